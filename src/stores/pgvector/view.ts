// One revision of the PostgreSQL store, as the use cases read it. The candidates come from one SQL statement:
// BM25 and cosine distance each rank their own candidates (with the filters applied in the database);
// the shared ranking tail (core/retrieve/rank.ts) then fuses them, removes overlaps and picks with MMR, exactly
// as for the local store.
import type pg from 'pg';
import type { CorpusView, Retrieval } from '../../core/corpus.js';
import { CANDIDATES_PER_RANKING, EF_SEARCH } from '../../core/retrieve/fusion.js';
import { analyzeQuery } from '../../core/retrieve/query.js';
import { rankPassages, type Hit } from '../../core/retrieve/rank.js';
import type { TermTable } from '../../core/retrieve/term-stats.js';
import { weightedCoverage } from '../../core/text/overlap.js';
import { contentTerms } from '../../core/text/tokens.js';
import { BM25_PARAMETERS } from '../../core/retrieve/bm25.js';
import type { Embedder, RetrieveOptions, StoredDocument } from '../../core/types.js';
import { DOCUMENT_COLUMNS, documentOfRow, parseVector, vectorLiteral, type DocumentRow } from './rows.js';
import { inTransaction } from './transaction.js';

export interface ViewState {
  revision: string;
  embedder: { id: string; dimension: number };
  documentCount: number;
  chunkCount: number;
  /** BM25's average chunk length, in terms. */
  averageTermCount: number;
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

/** The filters of a search, on a row alias: applied in the database, to both rankings. */
const filterOn = (alias: string) =>
  `($6::text[] IS NULL OR ${alias}.source = ANY ($6)) AND ($7::date IS NULL OR ${alias}.published_at >= $7) AND ($8::date IS NULL OR ${alias}.published_at <= $8)`;

/**
 * The candidates of both rankings in one statement, each shaped so that PostgreSQL can use its index:
 * - keyword: rows holding a query term, found through the GIN index on `terms` (`&&`), scored with Okapi BM25
 *   from each row's term counts and the idf the view computed from term_stats, exactly as the local store's
 *   postings do (same tokenizer, same formula, same tie-break on insertion order);
 * - vector: the nearest rows from an index-ordered `ORDER BY embedding <=> $q LIMIT n` subquery (the HNSW index
 *   scan), numbered afterwards: a window function over the distance in the same query level made the planner
 *   sort the whole table instead. With filters the scan applies them itself and keeps going (pgvector ≥ 0.8,
 *   iterative scan), or, on older pgvector, reads a pool as wide as ef_search and filters that.
 */
function candidatesSql(filterInVectorScan: boolean): string {
  return `
WITH keyword AS (
  SELECT s.row_id, s.score, row_number() OVER (ORDER BY s.score DESC, s.row_id) AS rank
  FROM (
    SELECT c.row_id, (
      SELECT sum(q.idf * q.tf * $12::float8 / (q.tf + $11::float8 * ($13::float8 + ($14::float8 * c.term_total) / $15::float8)))
      FROM (SELECT u.idf, c.term_counts[array_position(c.terms, u.term)]::float8 AS tf FROM unnest($9::text[], $10::float8[]) AS u(term, idf)) q
      WHERE q.tf IS NOT NULL
    ) AS score
    FROM chunks c
    WHERE $3::boolean AND c.terms && $1::text[] AND ${filterOn('c')}
  ) s
  ORDER BY s.score DESC, s.row_id
  LIMIT $5::int
),
semantic AS (
  SELECT n.row_id, 1 - n.distance AS similarity, row_number() OVER (ORDER BY n.distance, n.row_id) AS rank
  FROM (
    SELECT c.row_id, c.source, c.published_at, c.embedding <=> $2::vector AS distance
    FROM chunks c
    WHERE $4::boolean${filterInVectorScan ? ` AND ${filterOn('c')}` : ''}
    ORDER BY c.embedding <=> $2::vector
    LIMIT $16::int
  ) n
  ${filterInVectorScan ? '' : `WHERE ${filterOn('n')}`}
  ORDER BY n.distance, n.row_id
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
}

/** ef_search on older pgvector with filters: the pool read before filtering, and its LIMIT. */
const WIDE_POOL = 1000;

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
    const { begin, text, values } = this.candidateQuery(query.terms, embedding, options);
    const { rows, documents } = await inTransaction(this.pool, begin, async (client) => {
      const { rows } = await client.query<CandidateRow>(text, values);
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

  /**
   * The statement search() runs for these query terms, embedding and options, and the transaction it runs in
   * (tests EXPLAIN it on a real server, to check that it uses the indexes).
   */
  candidateQuery(terms: readonly string[], embedding: string, options: RetrieveOptions): { begin: string; text: string; values: unknown[] } {
    const mode = options.mode ?? 'hybrid';
    const useVectors = mode !== 'keyword';
    const filtered = Boolean(options.sources || options.fromDate || options.toDate);
    const { candidateTerms, scoredTerms } = keywordTerms(terms, this.state.terms);
    const { k1, b } = BM25_PARAMETERS;
    const widePool = filtered && !this.options.iterativeScan;

    // One snapshot for candidates and their documents: a re-index committing in between cannot make a passage's
    // offsets point into a newer version of its document. The transaction, its settings and the table lock take
    // one round trip. The lock comes before the first query takes the snapshot: a search that waited for a
    // rebuild's swap (indexer.ts) then reads the new table with a snapshot that sees its rows.
    // No JIT: at a million rows the estimated cost passes jit_above_cost, and compiling takes longer than the query.
    const settings = ['SET LOCAL jit = off', `SET LOCAL hnsw.ef_search = ${widePool ? WIDE_POOL : Math.min(1000, EF_SEARCH)}`];
    if (filtered && this.options.iterativeScan) settings.push("SET LOCAL hnsw.iterative_scan = 'relaxed_order'");
    const begin = ['BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', ...settings, 'LOCK TABLE chunks IN ACCESS SHARE MODE'].join('; ');
    return {
      begin,
      text: candidatesSql(!widePool),
      values: [
        candidateTerms,
        embedding,
        mode !== 'vector' && candidateTerms.length > 0,
        useVectors,
        CANDIDATES_PER_RANKING,
        options.sources ? [...options.sources] : null,
        options.fromDate ?? null,
        options.toDate ?? null,
        scoredTerms,
        scoredTerms.map((term) => this.idf(term)),
        k1,
        k1 + 1,
        1 - b,
        b,
        this.state.averageTermCount || 1,
        widePool ? WIDE_POOL : CANDIDATES_PER_RANKING,
      ],
    };
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

/** Rows holding a candidate term beyond which the most common terms stop selecting candidates (see below). */
const MAX_KEYWORD_POSTINGS = 20_000;
const MIN_CANDIDATE_TERMS = 2;

/**
 * The query's stemmed terms that the corpus holds (`scoredTerms`: every one counts in the BM25 score), and those
 * whose rows are the keyword candidates (`candidateTerms`). Both are every known term, as in the local store,
 * unless their rows add up to more than MAX_KEYWORD_POSTINGS: then the most common terms are left out of the
 * candidate selection while rarer ones remain (they add little to the score, and a row holding only them rarely
 * ranks in the top 40, while scoring them all would read a large share of the table at a million chunks).
 */
export function keywordTerms(terms: readonly string[], table: TermTable): { candidateTerms: string[]; scoredTerms: string[] } {
  const known = [...new Set(terms)].filter((term) => table.documentFrequency(term) > 0);
  const byRarity = [...known].sort((a, b) => table.documentFrequency(a) - table.documentFrequency(b));
  const candidateTerms: string[] = [];
  let postings = 0;
  for (const term of byRarity) {
    postings += table.documentFrequency(term);
    if (candidateTerms.length >= MIN_CANDIDATE_TERMS && postings > MAX_KEYWORD_POSTINGS) break;
    candidateTerms.push(term);
  }
  return { candidateTerms, scoredTerms: known };
}
