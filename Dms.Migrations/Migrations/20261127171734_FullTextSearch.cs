using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class FullTextSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // unaccent() is only STABLE (its dictionary could change); indexes need an IMMUTABLE wrapper bound to it.
            // The title, file name and tags vector is a generated column, so renaming a document needs no reindex;
            // the body vector is written by the search port when a document is indexed (capped, see Dms:Search).
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS unaccent;
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE FUNCTION dms_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
                    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
                CREATE FUNCTION dms_tags_text(text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
                    AS $$ SELECT coalesce(array_to_string($1, ' '), '') $$;
                ALTER TABLE documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', dms_unaccent(title)), 'A') ||
                    setweight(to_tsvector('english', dms_unaccent(file_name)), 'A') ||
                    setweight(to_tsvector('english', dms_unaccent(dms_tags_text(tags))), 'B')) STORED;
                ALTER TABLE document_texts ADD COLUMN search_vector tsvector;
                CREATE INDEX ix_documents_search_vector ON documents USING gin (search_vector);
                CREATE INDEX ix_document_texts_search_vector ON document_texts USING gin (search_vector);
                CREATE INDEX ix_documents_title_trigram ON documents USING gin (dms_unaccent(lower(title)) gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX ix_documents_title_trigram;
                DROP INDEX ix_document_texts_search_vector;
                DROP INDEX ix_documents_search_vector;
                ALTER TABLE document_texts DROP COLUMN search_vector;
                ALTER TABLE documents DROP COLUMN search_vector;
                DROP FUNCTION dms_tags_text(text[]);
                DROP FUNCTION dms_unaccent(text);
                """);
        }
    }
}
