-- Keyword search with the project's own tokenizer and Okapi BM25, as in the local store, instead of
-- PostgreSQL's English configuration and ts_rank (which ranked differently and lost MRR on the eval sets).
-- Each chunk keeps its distinct stemmed terms (GIN-indexed: the candidates), how often each occurs, and its
-- length in terms; store_state keeps the total length, for BM25's average.
DROP INDEX IF EXISTS chunks_tsv_gin;
ALTER TABLE chunks DROP COLUMN IF EXISTS tsv;
ALTER TABLE chunks ALTER COLUMN terms TYPE text[] USING CASE WHEN terms = '' THEN '{}'::text[] ELSE string_to_array(terms, ' ') END;
-- term_counts[i] is how often terms[i] occurs; NULL until filled in by the store at start-up (rows written
-- before this migration: the tokenizer lives in the application, not in SQL).
ALTER TABLE chunks ADD COLUMN term_counts integer[];
ALTER TABLE chunks ADD COLUMN term_total integer;
CREATE INDEX chunks_terms_gin ON chunks USING gin (terms);
ALTER TABLE store_state ADD COLUMN term_total bigint NOT NULL DEFAULT 0;
-- Kept in the row (MAIN: the chunk's text and search_text are moved out first): BM25 reads both arrays of every
-- keyword candidate, and a TOAST fetch per read made that the query's largest cost.
ALTER TABLE chunks ALTER COLUMN terms SET STORAGE MAIN, ALTER COLUMN term_counts SET STORAGE MAIN;
-- A hash per term, in the same order: BM25 finds a query term's position in a row by comparing integers
-- (array_position over text compared every string: 1 µs per term and row, most of the keyword side's time at
-- 100k chunks); the term at that position is then checked, so a collision can only hide a term, never count
-- another one.
CREATE OR REPLACE FUNCTION chunk_term_hashes(terms text[]) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ARRAY(SELECT hashtext(term) FROM unnest(terms) WITH ORDINALITY AS t(term, position) ORDER BY position);
ALTER TABLE chunks ADD COLUMN term_hashes integer[] GENERATED ALWAYS AS (chunk_term_hashes(terms)) STORED;
ALTER TABLE chunks ALTER COLUMN term_hashes SET STORAGE MAIN;
