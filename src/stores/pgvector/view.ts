// One revision of the PostgreSQL store, as the use cases read it. The candidates come from one SQL statement:
// full-text rank and cosine distance each rank their own candidates (with the filters applied in the database);
// the shared ranking tail (core/retrieve/rank.ts) then fuses them, removes overlaps and picks with MMR, exactly
// as for the local store.
import type pg from 'pg';
import type { CorpusView, Retrieval } from '../../core/corpus.js';
import { CANDIDATES_PER_RANKING, EF_SEARCH } from '../../core/retrieve/fusion.js';
import { analyzeQuery } from '../../core/retrieve/query.js';
import { rankPassages, type Hit } from '../../core/retrieve/rank.js';
import type { TermTable } from '../../core/retrieve/term-stats.js';
import { weightedCoverage } from '../../core/text/overlap.js';
import { contentTerms, STOP_WORDS, termOf, words } from '../../core/text/tokens.js';
import type { Embedder, RetrieveOptions, StoredDocument } from '../../core/types.js';
import { DOCUMENT_COLUMNS, documentOfRow, parseVector, vectorLiteral, type DocumentRow } from './rows.js';
import { inTransaction } from './transaction.js';

export interface ViewState {
  revision: string;
  embedder: { id: string; dimension: number };
  documentCount: number;
  chunkCount: number;
  terms: TermTable;
}

interface CandidateRow {
  row_id: string;
  keyword_rank: number | null;
  keyword_score: number;
  vector_rank: number | null;
  vector_score: number;
  id: string;
  source: string;
  start_offset: number;
  end_offset: number;
  body: string;
  search_text: string;
  embedding: string;
}

const CANDIDATES_SQL = `
WITH keyword AS (
  SELECT c.row_id, ts_rank(c.tsv, q.query, 1) AS score,
         row_number() OVER (ORDER BY ts_rank(c.tsv, q.query, 1) DESC, c.row_id) AS rank
  FROM chunks c, (SELECT to_tsquery('english', $1) AS query) q
  WHERE $3::boolean AND c.tsv @@ q.query
    AND ($6::text[] IS NULL OR c.source = ANY ($6))
    AND ($7::date IS NULL OR c.published_at >= $7) AND ($8::date IS NULL OR c.published_at <= $8)
  ORDER BY rank
  LIMIT $5::int
),
semantic AS (
  SELECT c.row_id, 1 - (c.embedding <=> $2::vector) AS similarity,
         row_number() OVER (ORDER BY c.embedding <=> $2::vector, c.row_id) AS rank
  FROM chunks c
  WHERE $4::boolean
    AND ($6::text[] IS NULL OR c.source = ANY ($6))
    AND ($7::date IS NULL OR c.published_at >= $7) AND ($8::date IS NULL OR c.published_at <= $8)
  ORDER BY c.embedding <=> $2::vector
  LIMIT $5::int
),
candidates AS (
  SELECT coalesce(k.row_id, s.row_id) AS row_id, k.rank AS keyword_rank, coalesce(k.score, 0) AS keyword_score,
         s.rank AS vector_rank, coalesce(s.similarity, 0) AS vector_score
  FROM keyword k FULL OUTER JOIN semantic s ON s.row_id = k.row_id
)
SELECT f.row_id::text AS row_id, f.keyword_rank::int AS keyword_rank, f.keyword_score::float8 AS keyword_score,
       f.vector_rank::int AS vector_rank, f.vector_score::float8 AS vector_score,
       c.id, c.source, c.start_offset, c.end_offset, c.body, c.search_text, c.embedding::text AS embedding
FROM candidates f JOIN chunks c ON c.row_id = f.row_id`;

export class PgVectorView implements CorpusView {
  private documentsLoading: Promise<ReadonlyMap<string, StoredDocument>> | null = null;
  private countsLoading: Promise<ReadonlyMap<string, number>> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly state: ViewState,
    private readonly queryEmbedder: Embedder,
    private readonly options: { iterativeScan: boolean },
  ) {}

  get revision(): string {
    return this.state.revision;
  }
  get embedder(): { id: string; dimension: number } {
    return this.state.embedder;
  }
  get documentCount(): number {
    return this.state.documentCount;
  }
  get chunkCount(): number {
    return this.state.chunkCount;
  }
  idf(term: string): number {
    return this.state.terms.idf(term);
  }
  knows(term: string): boolean {
    return this.state.terms.knows(term);
  }

  async search(question: string, options: RetrieveOptions): Promise<Retrieval> {
    if (this.state.chunkCount === 0) return { passages: [], documents: new Map() };
    const query = analyzeQuery(question);
    const mode = options.mode ?? 'hybrid';
    const useVectors = mode !== 'keyword';
    const embedding = useVectors ? vectorLiteral(await this.queryEmbedder.embedQuery(question)) : vectorLiteral(new Array<number>(this.state.embedder.dimension).fill(0));
    const filtered = Boolean(options.sources || options.fromDate || options.toDate);

    // One snapshot for candidates and their documents: a re-index committing in between cannot make a passage's
    // offsets point into a newer version of its document. The transaction and its settings take one round trip;
    // with filters, pgvector ≥ 0.8 keeps scanning the graph until enough rows pass them.
    const iterative = filtered && this.options.iterativeScan ? "; SET LOCAL hnsw.iterative_scan = 'relaxed_order'" : '';
    const begin = `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL hnsw.ef_search = ${Math.min(1000, EF_SEARCH)}${iterative}`;
    const { rows, documents } = await inTransaction(this.pool, begin, async (client) => {
      const { rows } = await client.query<CandidateRow>(CANDIDATES_SQL, [
        keywordQuery(question, this.state.terms),
        embedding,
        mode !== 'vector',
        useVectors,
        CANDIDATES_PER_RANKING,
        options.sources ? [...options.sources] : null,
        options.fromDate ?? null,
        options.toDate ?? null,
      ]);
      const sources = [...new Set(rows.map((row) => row.source))];
      const docs = await client.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE source = ANY ($1)`, [sources]);
      return { rows, documents: new Map<string, StoredDocument>(docs.rows.map((row) => [row.source, documentOfRow(row)])) };
    });

    // Candidate ids are the rows' serial keys, so ties in the fused score go to the row inserted first.
    const byId = new Map(
      rows.map((row) => [
        Number(row.row_id),
        { row, chunk: { id: row.id, source: row.source, start: row.start_offset, end: row.end_offset, text: row.body }, vector: parseVector(row.embedding) },
      ]),
    );
    const ranking = (rank: (row: CandidateRow) => number | null, score: (row: CandidateRow) => number): Hit[] =>
      rows
        .filter((row) => rank(row) !== null)
        .sort((a, b) => (rank(a) ?? 0) - (rank(b) ?? 0))
        .map((row) => ({ id: Number(row.row_id), score: score(row) }));
    const passages = rankPassages(
      {
        keyword: ranking((row) => row.keyword_rank, (row) => row.keyword_score),
        vector: ranking((row) => row.vector_rank, (row) => row.vector_score),
        chunk: (id) => byId.get(id)?.chunk,
        vectorOf: (id) => byId.get(id)?.vector ?? [],
        // Read in the same snapshot as the candidates (a foreign key holds every chunk's document).
        document: (source) => documents.get(source),
        coverage: (id) => weightedCoverage(query.terms, new Set(contentTerms(byId.get(id)?.row.search_text ?? '')), (term) => this.idf(term)),
      },
      options.k,
    );
    return { passages, documents };
  }

  documents(): Promise<ReadonlyMap<string, StoredDocument>> {
    this.documentsLoading ??= this.pool
      .query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM documents ORDER BY source`)
      .then((result) => new Map(result.rows.map((row) => [row.source, documentOfRow(row)])));
    this.documentsLoading.catch(() => (this.documentsLoading = null));
    return this.documentsLoading;
  }

  chunkCounts(): Promise<ReadonlyMap<string, number>> {
    this.countsLoading ??= this.pool
      .query<{ source: string; count: number }>('SELECT source, count(*)::int AS count FROM chunks GROUP BY source')
      .then((result) => new Map(result.rows.map((row) => [row.source, row.count])));
    this.countsLoading.catch(() => (this.countsLoading = null));
    return this.countsLoading;
  }
}

/** Words in more than this share of chunks are left out of the keyword query when rarer ones remain. */
const MAX_KEYWORD_SHARE = 0.1;
const MIN_KEYWORDS = 2;
/** Below this many chunks ranking every match is cheap, and pruning cost recall on the small probe set. */
const PRUNE_FROM_CHUNKS = 2000;

/**
 * The question's content words OR-ed for to_tsquery, which stems them with PostgreSQL's English rules. Only
 * letters and digits reach it, so no user input can form tsquery syntax. Words found in a large share of the
 * chunks are dropped while rarer ones remain, in large corpora (they add little to the ranking, and an OR of
 * them makes PostgreSQL rank half the table: hybrid p95 181 → 49 ms at 10k chunks on PGlite).
 */
export function keywordQuery(question: string, terms?: TermTable): string {
  const candidates = [...new Set(words(question))].filter((word) => !STOP_WORDS.has(word) && /^[\p{L}\p{N}]+$/u.test(word));
  if (!terms || terms.chunkCount < PRUNE_FROM_CHUNKS) return candidates.join(' | ');
  const byRarity = candidates
    .map((word) => ({ word, share: terms.documentFrequency(termOf(word)) / terms.chunkCount }))
    .sort((a, b) => a.share - b.share);
  return byRarity
    .filter((entry, rank) => rank < MIN_KEYWORDS || entry.share <= MAX_KEYWORD_SHARE)
    .map((entry) => entry.word)
    .join(' | ');
}
