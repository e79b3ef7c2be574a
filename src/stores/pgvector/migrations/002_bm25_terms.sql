-- Keyword search with the project's own tokenizer and Okapi BM25, as in the local store, instead of
-- PostgreSQL's English configuration and ts_rank (which ranked differently and lost MRR on the eval sets).
-- Each chunk keeps its distinct stemmed terms (GIN-indexed: the candidates), how often each occurs, and its
-- length in terms; store_state keeps the total length, for BM25's average.
--
-- A store that already has chunks is not altered in place (that rewrote `chunks` twice, indexes included,
-- under an exclusive lock: readers waited ~90 s at 100k chunks): the new layout is built in a shadow table
-- from the old rows while this transaction holds only SHARE on `chunks` (writers wait, readers do not), then
-- swapped in, as a rebuild does (indexer.ts); only the swap takes the exclusive lock, for milliseconds.
-- test/pgvector/migrations.test.ts checks that the result is the same as altering in place
-- (test/pgvector/fixtures/002_bm25_terms.in-place.sql, the first version of this migration).
LOCK TABLE chunks IN SHARE MODE;
SET LOCAL client_min_messages = 'warning';
DROP TABLE IF EXISTS chunks_next;
-- Columns (the dropped tsv included, so column numbers match an in-place change), defaults (the row_id
-- sequence), NOT NULLs and storage as 001 and the first index run left them (embedding has its dimension by then).
CREATE TABLE chunks_next (LIKE chunks INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE);
ALTER TABLE chunks_next DROP COLUMN tsv;
ALTER TABLE chunks_next ALTER COLUMN terms TYPE text[] USING CASE WHEN terms = '' THEN '{}'::text[] ELSE string_to_array(terms, ' ') END;
-- term_counts[i] is how often terms[i] occurs; NULL until filled in by the store at start-up (rows written
-- before this migration: the tokenizer lives in the application, not in SQL).
ALTER TABLE chunks_next ADD COLUMN term_counts integer[];
ALTER TABLE chunks_next ADD COLUMN term_total integer;
-- Kept in the row (MAIN: the chunk's text and search_text are moved out first): BM25 reads both arrays of every
-- keyword candidate, and a TOAST fetch per read made that the query's largest cost.
ALTER TABLE chunks_next ALTER COLUMN terms SET STORAGE MAIN, ALTER COLUMN term_counts SET STORAGE MAIN;
-- A hash per term, in the same order: BM25 finds a query term's position in a row by comparing integers
-- (array_position over text compared every string: 1 µs per term and row, most of the keyword side's time at
-- 100k chunks); the term at that position is then checked, so a collision can only hide a term, never count
-- another one.
CREATE OR REPLACE FUNCTION chunk_term_hashes(terms text[]) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY(SELECT hashtext(term) FROM unnest(terms) WITH ORDINALITY AS t(term, position) ORDER BY position);
ALTER TABLE chunks_next ADD COLUMN term_hashes integer[] GENERATED ALWAYS AS (chunk_term_hashes(terms)) STORED;
ALTER TABLE chunks_next ALTER COLUMN term_hashes SET STORAGE MAIN;

INSERT INTO chunks_next (row_id, id, source, start_offset, end_offset, body, search_text, published_at, terms, embedding)
SELECT row_id, id, source, start_offset, end_offset, body, search_text, published_at,
       CASE WHEN terms = '' THEN '{}'::text[] ELSE string_to_array(terms, ' ') END, embedding
FROM chunks;

-- The indexes `chunks` has (but the full-text one, replaced by chunks_terms_gin), built once on the filled table;
-- the HNSW graph in memory if it fits (as a rebuild sets it).
SELECT set_config('maintenance_work_mem', greatest(setting::bigint, 1048576)::text || 'kB', true) FROM pg_settings WHERE name = 'maintenance_work_mem';
ALTER TABLE chunks_next ADD CONSTRAINT chunks_next_pkey PRIMARY KEY (row_id);
ALTER TABLE chunks_next ADD CONSTRAINT chunks_next_id_key UNIQUE (id);
DO $$
DECLARE
  index record;
BEGIN
  FOR index IN
    SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
    WHERE x.indrelid = 'chunks'::regclass AND NOT x.indisprimary AND NOT x.indisunique AND i.relname <> 'chunks_tsv_gin'
  LOOP
    EXECUTE regexp_replace(index.definition, '^CREATE INDEX (\S+) ON (\S+) ', 'CREATE INDEX \1_next ON chunks_next ');
  END LOOP;
END $$;
CREATE INDEX chunks_terms_gin_next ON chunks_next USING gin (terms);
-- Checked now, while readers still use `chunks` (it holds SHARE ROW EXCLUSIVE on documents: writers wait).
ALTER TABLE chunks_next ADD CONSTRAINT chunks_next_source_fkey FOREIGN KEY (source) REFERENCES documents (source) ON DELETE CASCADE;
ANALYZE chunks_next;

-- The swap: waits for the queries running on the old table, holds new ones for as long as these renames take.
LOCK TABLE chunks IN ACCESS EXCLUSIVE MODE;
ALTER SEQUENCE chunks_row_id_seq OWNED BY chunks_next.row_id;
DROP TABLE chunks;
ALTER TABLE chunks_next RENAME TO chunks;
ALTER TABLE chunks RENAME CONSTRAINT chunks_next_source_fkey TO chunks_source_fkey;
DO $$
DECLARE
  index record;
BEGIN
  FOR index IN SELECT i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = 'chunks'::regclass LOOP
    EXECUTE format('ALTER INDEX %I RENAME TO %I', index.name, regexp_replace(regexp_replace(index.name, '^chunks_next_', 'chunks_'), '_next$', ''));
  END LOOP;
END $$;

ALTER TABLE store_state ADD COLUMN term_total bigint NOT NULL DEFAULT 0;
