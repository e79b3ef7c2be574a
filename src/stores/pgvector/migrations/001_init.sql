-- Documents, chunks and the statistics the answerer needs. The embedding column gets its dimension (and its
-- HNSW index) when the first embedder writes to the store: the dimension depends on the configured embedder.
CREATE EXTENSION IF NOT EXISTS vector;

-- One row: which embedder the vectors come from, and a revision bumped by every committed re-index so that
-- every process can tell cheaply whether what it caches is still current.
CREATE TABLE store_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  embedder_id text,
  dimension integer,
  revision bigint NOT NULL DEFAULT 0,
  chunk_count integer NOT NULL DEFAULT 0,
  skipped jsonb NOT NULL DEFAULT '[]'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO store_state DEFAULT VALUES;

CREATE TABLE documents (
  source text PRIMARY KEY,
  title text NOT NULL,
  published_at date,
  url text,
  body text NOT NULL,
  file_hash text NOT NULL,
  content_hash text NOT NULL,
  -- dateProvenance, dateConfidence, format: read back as they were written, never queried.
  meta jsonb NOT NULL,
  indexed_at timestamptz NOT NULL
);

CREATE TABLE chunks (
  row_id bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  source text NOT NULL REFERENCES documents (source) ON DELETE CASCADE,
  start_offset integer NOT NULL,
  end_offset integer NOT NULL,
  body text NOT NULL,
  -- The chunk plus its document's title and publication month: what keyword search matches.
  search_text text NOT NULL,
  -- Copied from the document so date filters need no join (a changed date changes the content hash, and
  -- with it every chunk row).
  published_at date,
  -- Distinct stemmed terms of search_text (the project's own tokenizer), space-separated: kept so removing a
  -- chunk can update term_stats exactly.
  terms text NOT NULL,
  embedding vector NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', search_text)) STORED
);
CREATE INDEX chunks_tsv_gin ON chunks USING gin (tsv);
CREATE INDEX chunks_source ON chunks (source);
CREATE INDEX chunks_published_at ON chunks (published_at);

-- Document frequency of each stemmed term over chunks: idf and "does the corpus know this word" for the
-- answerer, kept in step with chunks inside the same transactions.
CREATE TABLE term_stats (
  term text PRIMARY KEY,
  df integer NOT NULL
);
