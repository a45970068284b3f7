using Dms.Contracts;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// A document's keys: what describes it as exact terms, so that a search filters by them through the same GIN
    /// index as its words and counts them for its facets. <c>type:ID</c>, <c>correspondent:ID</c>, <c>option:ID</c>
    /// (each chosen option of a select or multi-select), <c>has:FIELD-ID</c> (any value) and
    /// <c>field:FIELD-ID:VALUE</c> (every kind but long text and the choices, the value written as
    /// <c>Dms.Search.SearchKeys</c> writes it: lower case and at most 200 characters for texts, numbers without trailing
    /// zeros, an amount's currency before its number, dates as yyyy-mm-dd). Ids rather than names, so a rename changes
    /// no key. The entries keep them (<c>keys</c>) and their vector holds them as lexemes; one function writes them,
    /// <c>dms_document_keys</c>, which runs as its caller (row-level security keeps it to the transaction's tenant) and
    /// which the Elasticsearch adapter reads too.
    /// </summary>
    public partial class SearchKeys : Migration
    {
        private const string KeysFunction = """
            CREATE FUNCTION dms_document_keys(document uuid) RETURNS text[]
            LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
                SELECT coalesce(array_agg(k ORDER BY k), '{}') FROM (
                    SELECT 'type:' || d.document_type_id FROM documents d WHERE d.id = document AND d.document_type_id IS NOT NULL
                    UNION SELECT 'correspondent:' || d.correspondent_id FROM documents d WHERE d.id = document AND d.correspondent_id IS NOT NULL
                    UNION SELECT 'has:' || v.field_id FROM field_values v WHERE v.document_id = document
                    UNION SELECT 'option:' || o FROM field_values v, unnest(v.option_ids) o WHERE v.document_id = document
                    UNION SELECT 'field:' || v.field_id || ':' || CASE v.kind
                            WHEN 'text' THEN left(lower(v.text_value), 200)
                            WHEN 'url' THEN left(lower(v.text_value), 200)
                            WHEN 'user' THEN left(lower(v.text_value), 200)
                            WHEN 'integer' THEN v.integer_value::text
                            WHEN 'decimal' THEN trim_scale(v.number_value)::text
                            WHEN 'monetary' THEN lower(v.currency) || trim_scale(v.number_value)::text
                            WHEN 'date' THEN to_char(v.date_value, 'YYYY-MM-DD')
                            WHEN 'boolean' THEN v.boolean_value::text
                            WHEN 'document_link' THEN v.linked_document_id::text
                        END
                    FROM field_values v WHERE v.document_id = document) keys(k)
                WHERE k IS NOT NULL
            $$;
            REVOKE ALL ON FUNCTION dms_document_keys(uuid) FROM PUBLIC;
            """;

        internal const string DropReadFunctions = """
            DROP FUNCTION dms_search_matches(tsquery, text, text, timestamptz, timestamptz, integer);
            DROP FUNCTION dms_search_titles(text, text, text, timestamptz, timestamptz, integer);
            """;

        internal const string Vector = SearchEntries.Vector + " ||\n setweight(to_tsvector('dms_english', dms_document_description(d.id, max_characters)), 'B')";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                {KeysFunction}
                GRANT EXECUTE ON FUNCTION dms_document_keys(uuid) TO {DatabaseNames.AppRole};
                ALTER TABLE search_entries ADD COLUMN keys text[] NOT NULL DEFAULT ARRAY[]::text[];
                ALTER TABLE search_entries ALTER COLUMN keys SET STORAGE MAIN;
                SET LOCAL {DatabaseNames.CrossTenantSetting} = 'on';
                UPDATE search_entries e SET keys = k.keys, vector = e.vector || array_to_tsvector(k.keys)
                FROM (SELECT document_id, dms_document_keys(document_id) AS keys FROM search_entries) k
                WHERE k.document_id = e.document_id AND cardinality(k.keys) > 0;
                {SearchEntries.IndexFunction(Vector, keys: true)}
                {DropReadFunctions}
                {SearchEntries.SearchFunctions(capped: true, keys: true)}
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                {DropReadFunctions}
                {SearchEntries.SearchFunctions(capped: true)}
                {SearchEntries.IndexFunction(Vector)}
                SET LOCAL {DatabaseNames.CrossTenantSetting} = 'on';
                UPDATE search_entries e SET vector = ts_delete(e.vector, e.keys) WHERE cardinality(e.keys) > 0;
                ALTER TABLE search_entries DROP COLUMN keys;
                DROP FUNCTION dms_document_keys(uuid);
                """);
        }
    }
}
