using Dms.Contracts;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// What describes a document is searched too: its type's and correspondent's names, its custom fields (their names,
    /// texts, option labels, numbers, amounts and dates) and its notes, weighted below the title and above the body.
    /// One function writes that text, <c>dms_document_description</c>: the PostgreSQL index puts it in its vector, the
    /// Elasticsearch adapter reads it for its documents. It runs as its caller, so row-level security keeps it to the
    /// transaction's tenant; a description is capped like the body is.
    /// </summary>
    public partial class SearchDescriptions : Migration
    {
        private const string Description = """
            CREATE FUNCTION dms_document_description(document uuid, max_characters integer) RETURNS text
            LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
                SELECT left(concat_ws(' ',
                    (SELECT t.name FROM documents d JOIN document_types t ON t.id = d.document_type_id WHERE d.id = document),
                    (SELECT c.name FROM documents d JOIN correspondents c ON c.id = d.correspondent_id WHERE d.id = document),
                    (SELECT string_agg(concat_ws(' ', f.name, v.text_value, v.integer_value::text, v.number_value::text, v.currency, v.date_value::text,
                                (SELECT string_agg(o ->> 'label', ' ') FROM jsonb_array_elements(f.options) o
                                 WHERE (o ->> 'id')::uuid = ANY (coalesce(v.option_ids, '{}')))), ' ')
                     FROM field_values v JOIN custom_fields f ON f.id = v.field_id WHERE v.document_id = document),
                    (SELECT string_agg(n.text, ' ' ORDER BY n.created_at) FROM notes n WHERE n.document_id = document)), max_characters)
            $$;
            REVOKE ALL ON FUNCTION dms_document_description(uuid, integer) FROM PUBLIC;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                {Description}
                GRANT EXECUTE ON FUNCTION dms_document_description(uuid, integer) TO {DatabaseNames.AppRole};
                {SearchEntries.IndexFunction(SearchEntries.Vector + " ||\n setweight(to_tsvector('dms_english', dms_document_description(d.id, max_characters)), 'B')")}
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                {SearchEntries.IndexFunction(SearchEntries.Vector)}
                DROP FUNCTION dms_document_description(uuid, integer);
                """);
        }
    }
}
