using Dms.Contracts;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// The search index as a table of its own, holding exactly the searchable documents (ready, not in the trash) with
    /// one weighted vector each. Row-level security cannot serve full-text search: <c>@@</c> and <c>%</c> are not
    /// leakproof, so under a policy PostgreSQL may not use them in an index scan and read every row of the tenant
    /// instead. So this table has no policy and the application role has no rights on it; it is reached only through
    /// the functions below, which run as the table's owner and filter by the transaction's tenant themselves.
    /// </summary>
    public partial class SearchEntries : Migration
    {
        internal const string Vector = """
            setweight(to_tsvector('dms_english', d.title), 'A') ||
            setweight(to_tsvector('dms_english', d.file_name), 'A') ||
            setweight(to_tsvector('dms_english', dms_tags_text(d.tags)), 'B') ||
            setweight(to_tsvector('dms_english', left(t.text, max_characters)), 'C')
            """;

        internal const string Entry = "document_id uuid, version integer, title text, file_name text, tags text[], content_type text, created_at timestamptz, score real";

        /// <summary>What a function reading the index returns: <see cref="Entry"/>, and the keys of a document (since SearchKeys).</summary>
        private static string Returned(bool keys) => keys ? Entry + ", keys text[]" : Entry;

        internal const string Filters = """
            (wanted_tag IS NULL OR e.tags @> ARRAY[wanted_tag])
            AND (wanted_type IS NULL OR e.content_type = wanted_type)
            AND (created_from IS NULL OR e.created_at >= created_from)
            AND (created_to IS NULL OR e.created_at <= created_to)
            """;

        /// <summary>
        /// The function that brings the entries of documents in line with them, its words weighted by
        /// <paramref name="vector"/> (over <c>d</c>, the document, and <c>t</c>, its current text).
        /// </summary>
        /// <param name="keys">Whether the entries hold their keys (since SearchKeys): what describes a document as exact terms, in the vector too.</param>
        /// <param name="restricted">Whether the entries say if their document is restricted (since GroupsAndPermissions).</param>
        internal static string IndexFunction(string vector, bool keys = false, bool restricted = false) => $"""
                -- Brings the entries of these documents in line with them as this transaction sees them: a ready
                -- document is indexed from its current version's stored text, any other leaves the index.
                CREATE OR REPLACE FUNCTION dms_search_index(document_ids uuid[], max_characters integer) RETURNS integer
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
                DECLARE
                    indexed integer;
                BEGIN
                    DELETE FROM search_entries e
                    WHERE e.document_id = ANY(document_ids) AND (e.tenant_id = app_tenant_id() OR app_cross_tenant());
                    INSERT INTO search_entries (document_id, tenant_id, version, title, file_name, tags, content_type, created_at,{(restricted ? " restricted," : "")} vector{(keys ? ", keys" : "")})
                    SELECT d.id, d.tenant_id, d.current_version, d.title, d.file_name, d.tags, d.content_type, d.created_at,{(restricted ? " d.restricted," : "")}
                           {(keys ? $"{vector} || array_to_tsvector(k.keys), k.keys" : vector)}
                    FROM documents d{(keys ? "\n                    CROSS JOIN LATERAL (SELECT dms_document_keys(d.id) AS keys) k" : "")}
                    JOIN document_texts t ON t.document_id = d.id AND t.version = d.current_version
                    WHERE d.id = ANY(document_ids) AND d.status = 'ready' AND (d.tenant_id = app_tenant_id() OR app_cross_tenant());
                    GET DIAGNOSTICS indexed = ROW_COUNT;
                    RETURN indexed;
                END $$;
                """;

        /// <summary>
        /// The two functions that read the index for a tenant, with their rights: the matches of a query, ranked (title
        /// and file name weigh most, then tags, then the body), and titles and file names like the words typed (trigram
        /// similarity, which forgives typos). Never across tenants: app.cross_tenant does not apply here. Capped, each
        /// stops after <c>max_candidates</c> rows: a set-returning SQL function computes its whole result before the
        /// caller's LIMIT applies, so only a limit inside it bounds the rows read and ranked.
        /// </summary>
        /// <param name="permissions">Whether a restricted entry shows only to those who may see its document (since GroupsAndPermissions).</param>
        internal static string SearchFunctions(bool capped, bool keys = false, bool permissions = false)
        {
            var (cap, limit, signature) = capped ? (", max_candidates integer", "LIMIT max_candidates", ", integer") : ("", "", "");
            var filters = permissions ? Filters + "\n                      AND (NOT e.restricted OR dms_sees_document(e.document_id))" : Filters;
            var (entry, keyColumn) = (Returned(keys), keys ? ", e.keys" : "");
            return $"""
                CREATE FUNCTION dms_search_matches(query tsquery, wanted_tag text, wanted_type text, created_from timestamptz, created_to timestamptz{cap})
                RETURNS TABLE ({entry})
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
                    SELECT e.document_id, e.version, e.title, e.file_name, e.tags, e.content_type, e.created_at, ts_rank(e.vector, query){keyColumn}
                    FROM search_entries e
                    WHERE e.tenant_id = app_tenant_id() AND e.vector @@ query AND {filters}
                    {limit}
                $$;
                CREATE FUNCTION dms_search_titles(words text, wanted_tag text, wanted_type text, created_from timestamptz, created_to timestamptz{cap})
                RETURNS TABLE ({entry})
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
                    SELECT e.document_id, e.version, e.title, e.file_name, e.tags, e.content_type, e.created_at,
                           greatest(similarity(dms_unaccent(lower(e.title)), dms_unaccent(lower(words))),
                                    similarity(dms_unaccent(lower(e.file_name)), dms_unaccent(lower(words)))){keyColumn}
                    FROM search_entries e
                    WHERE e.tenant_id = app_tenant_id()
                      AND (dms_unaccent(lower(e.title)) % dms_unaccent(lower(words)) OR dms_unaccent(lower(e.file_name)) % dms_unaccent(lower(words)))
                      AND {filters}
                    {limit}
                $$;
                REVOKE ALL ON FUNCTION dms_search_matches(tsquery, text, text, timestamptz, timestamptz{signature}) FROM PUBLIC;
                REVOKE ALL ON FUNCTION dms_search_titles(text, text, text, timestamptz, timestamptz{signature}) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION dms_search_matches(tsquery, text, text, timestamptz, timestamptz{signature}) TO {DatabaseNames.AppRole};
                GRANT EXECUTE ON FUNCTION dms_search_titles(text, text, text, timestamptz, timestamptz{signature}) TO {DatabaseNames.AppRole};
                """;
        }

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every column stays in the row (STORAGE MAIN): a query reads the vector (to rank) and the tags (for the
            // facets) of every match, and fetching them from the TOAST table, where PostgreSQL moves the columns of
            // a wide row first, made ranking four times slower and facets five times. btree_gin lets one GIN index
            // hold tenant and words, so a query reads only its own tenant's matches.
            migrationBuilder.Sql($"""
                CREATE EXTENSION IF NOT EXISTS btree_gin;
                -- English with accents folded by the text search configuration itself, so a snippet marks the
                -- original word: 'resume' finds 'résumé' and highlights it.
                CREATE TEXT SEARCH CONFIGURATION dms_english (COPY = pg_catalog.english);
                ALTER TEXT SEARCH CONFIGURATION dms_english ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, english_stem;
                DROP INDEX ix_documents_title_trigram;
                DROP INDEX ix_document_texts_search_vector;
                DROP INDEX ix_documents_search_vector;
                ALTER TABLE document_texts DROP COLUMN search_vector;
                ALTER TABLE documents DROP COLUMN search_vector;

                CREATE TABLE search_entries (
                    document_id uuid PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
                    tenant_id uuid NOT NULL,
                    version integer NOT NULL,
                    title text NOT NULL,
                    file_name text NOT NULL,
                    tags text[] NOT NULL,
                    content_type text NOT NULL,
                    created_at timestamptz NOT NULL,
                    vector tsvector NOT NULL);
                ALTER TABLE search_entries ALTER COLUMN vector SET STORAGE MAIN, ALTER COLUMN tags SET STORAGE MAIN,
                    ALTER COLUMN title SET STORAGE MAIN, ALTER COLUMN file_name SET STORAGE MAIN, ALTER COLUMN content_type SET STORAGE MAIN;
                CREATE INDEX ix_search_entries_vector ON search_entries USING gin (tenant_id, vector);
                CREATE INDEX ix_search_entries_title ON search_entries USING gin (tenant_id, dms_unaccent(lower(title)) gin_trgm_ops);
                CREATE INDEX ix_search_entries_file_name ON search_entries USING gin (tenant_id, dms_unaccent(lower(file_name)) gin_trgm_ops);
                REVOKE ALL ON search_entries FROM PUBLIC;

                {IndexFunction(Vector)}

                {SearchFunctions(capped: false)}

                REVOKE ALL ON FUNCTION dms_search_index(uuid[], integer) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION dms_search_index(uuid[], integer) TO {DatabaseNames.AppRole};
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The earlier vectors come back empty: reindex after going down.
            migrationBuilder.Sql("""
                DROP FUNCTION dms_search_titles(text, text, text, timestamptz, timestamptz);
                DROP FUNCTION dms_search_matches(tsquery, text, text, timestamptz, timestamptz);
                DROP FUNCTION dms_search_index(uuid[], integer);
                DROP TABLE search_entries;
                DROP TEXT SEARCH CONFIGURATION dms_english;
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
    }
}
