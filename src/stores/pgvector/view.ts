// One revision of the PostgreSQL store, as the use cases read it. The candidates come from one SQL statement:
// BM25 and cosine distance each rank their own candidates (with the filters applied in the database);
// the shared ranking tail (core/retrieve/rank.ts) then fuses them, removes overlaps and picks with MMR, exactly
// as for the local store.
import pg from 'pg';
import type { CorpusView, Retrieval } from '../../core/corpus.js';
import { CANDIDATES_PER_RANKING, efSearchFor } from '../../core/retrieve/fusion.js';
import { analyzeQuery } from '../../core/retrieve/query.js';
import { documentMeta, rankPassages, type Hit } from '../../core/retrieve/rank.js';
import type { TermTable } from '../../core/retrieve/term-stats.js';
import { weightedCoverage } from '../../core/text/overlap.js';
import { contentTerms } from '../../core/text/tokens.js';
import { BM25_PARAMETERS } from '../../core/retrieve/bm25.js';
import type { Embedder, Passage, RetrieveOptions, StoredDocument } from '../../core/types.js';
import { DOCUMENT_COLUMNS, documentOfRow, parseVector, vectorLiteral, type DocumentRow } from './rows.js';

const { escapeLiteral } = pg;

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
function candidatesSql(filterInVectorScan: boolean, scoredTermCount: number, groupCount: number): string {
  return `
WITH keyword AS (
  SELECT s.row_id, s.score, row_number() OVER (ORDER BY s.score DESC, s.row_id) AS rank
  FROM (${keywordScoresSql(scoredTermCount, groupCount)}) s
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
    LIMIT $14::int
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

/** The first parameter number of the per-term parameters: term i (from 0) is ${FIRST_TERM + 2i}, its idf the next. */
const FIRST_TERM = 15;

/**
 * The keyword candidates and their BM25 scores. Candidates: the rows holding one of the candidate terms ($1), and
 * the rows holding all the terms of one of the candidate groups, pairs mostly (the parameters after the per-term
 * ones), at most as many per group as its cap (the parameters after the groups). Each arm is a GIN bitmap scan.
 * A group is capped because its estimate assumes its terms independent: two words that always go together (an
 * organisation's name) select thousands of rows that hold nothing else of the question, and scoring them was
 * most of the query's time; the rows that hold more of the question are reached through rarer terms or pairs.
 *
 * The score over the `count` scored terms: one term after another, added to 0, exactly as the local store's
 * postings add them up (a term the row lacks adds 0, which changes no sum), so both stores' scores are the same
 * numbers. Each term's position in the row is found once (the inner subquery; OFFSET 0 keeps PostgreSQL from
 * folding it into the formula, which repeats it) by its hash in `term_hashes` (integers: comparing every text
 * was 1 µs per term and row), and the term at that position checked, so a collision can only hide a term,
 * never count another one. A row reached through several arms is scored once per arm: DISTINCT keeps one.
 */
function keywordScoresSql(count: number, groupCount: number): string {
  const firstGroup = FIRST_TERM + 2 * count;
  const firstCap = firstGroup + groupCount;
  const columns = 'c.row_id, c.term_total, c.terms, c.term_counts, c.term_hashes';
  const where = `$3::boolean AND ${filterOn('c')}`;
  const arms = [
    `SELECT ${columns} FROM chunks c WHERE c.terms && $1::text[] AND ${where}`,
    ...Array.from({ length: groupCount }, (_, i) => `(SELECT ${columns} FROM chunks c WHERE c.terms @> $${firstGroup + i}::text[] AND ${where} LIMIT $${firstCap + i}::int)`),
  ];
  if (count === 0) return `SELECT DISTINCT m.row_id, 0::float8 AS score FROM (${arms.join(' UNION ALL ')}) m`;
  const indexes = Array.from({ length: count }, (_, i) => i);
  const term = (i: number) => `$${FIRST_TERM + 2 * i}::text`;
  const idf = (i: number) => `$${FIRST_TERM + 2 * i + 1}::float8`;
  const positions = indexes.map((i) => `array_position(m.term_hashes, hashtext(${term(i)})) AS p${i}`).join(', ');
  const frequencies = indexes.map((i) => `CASE WHEN p.terms[p.p${i}] = ${term(i)} THEN p.term_counts[p.p${i}]::float8 END AS f${i}`).join(', ');
  const norm = '$9::float8 * ($11::float8 + ($12::float8 * f.term_total) / $13::float8)';
  const score = indexes.map((i) => `coalesce(${idf(i)} * f.f${i} * $10::float8 / (f.f${i} + ${norm}), 0)`).join(' + ');
  return `SELECT ${groupCount > 0 ? 'DISTINCT ' : ''}f.row_id, (0::float8 + ${score}) AS score
    FROM (SELECT p.row_id, p.term_total, ${frequencies}
          FROM (SELECT m.row_id, m.term_total, m.terms, m.term_counts, ${positions}
                FROM (${arms.join(' UNION ALL ')}) m OFFSET 0) p OFFSET 0) f`;
}

/**
 * `text` with its $n parameters replaced by SQL literals of `values` (strings escaped by the pg client's
 * escapeLiteral; numbers must be finite), for a multi-statement query, which cannot take bound parameters.
 */
export function inlineParameters(text: string, values: readonly unknown[]): string {
  const literal = (value: unknown): string => {
    if (value === null || value === undefined) return 'NULL';
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new RangeError(`inlineParameters: ${value} is not a finite number`);
      return `(${String(value)})`;
    }
    if (typeof value === 'string') return escapeLiteral(value);
    if (Array.isArray(value)) return value.length === 0 ? "'{}'" : `ARRAY[${value.map(literal).join(', ')}]`;
    throw new TypeError(`inlineParameters: cannot inline a ${typeof value}`);
  };
  return text.replace(/\$(\d+)/g, (_match, n: string) => {
    const index = Number(n) - 1;
    if (index >= values.length) throw new RangeError(`inlineParameters: no value for $${n}`);
    return literal(values[index]);
  });
}

/** A placeholder for a candidate's document while ranking (rankPassages only copies its metadata). */
function pendingDocument(source: string): StoredDocument {
  return { source, title: '', publishedAt: null, dateProvenance: null, dateConfidence: 0, url: null, format: 'txt', text: '', fileHash: '', contentHash: '', indexedAt: '' };
}


/** ef_search on older pgvector with filters: the pool read before filtering, and its LIMIT. */
const WIDE_POOL = 1000;

export class PgVectorView implements CorpusView {
  private documentsLoading: Promise<ReadonlyMap<string, StoredDocument>> | null = null;
  private countsLoading: Promise<ReadonlyMap<string, number>> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    readonly state: ViewState,
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
    // Two round trips: the transaction's start with the candidate statement, then the picked passages' documents
    // with COMMIT (multi-statement queries, so the values go in as literals). On a busy machine every round trip
    // waits for both processes to be scheduled again; four of them cost more than the statement did.
    const client = await this.pool.connect();
    try {
      const opened = (await client.query(`${begin}; ${inlineParameters(text, values)}`)) as unknown as Array<pg.QueryResult<CandidateRow>>;
      const rows = opened.at(-1)?.rows ?? [];
      const ranked = this.rank(rows, query.terms, options.k);
      // Only the picked passages' documents, read in the same snapshot as the candidates (a foreign key holds
      // every chunk's document): the candidates' documents were ten times as many bytes, for nothing.
      const sources = [...new Set(ranked.map((passage) => passage.chunk.source))];
      const closed = (await client.query(
        sources.length === 0 ? 'COMMIT' : `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE source = ANY (${inlineParameters('$1::text[]', [sources])}); COMMIT`,
      )) as unknown as Array<pg.QueryResult<DocumentRow>>;
      const docs = sources.length === 0 ? [] : (closed[0]?.rows ?? []);
      const documents = new Map<string, StoredDocument>(docs.map((row) => [row.source, documentOfRow(row)]));
      const passages = ranked.flatMap((passage) => {
        const doc = documents.get(passage.chunk.source);
        return doc ? [{ ...passage, doc: documentMeta(doc) }] : [];
      });
      return { passages, documents };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The shared ranking tail over the candidate rows; each passage's `doc` is filled in by search(). */
  private rank(rows: readonly CandidateRow[], terms: readonly string[], k: number): Passage[] {
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
    return rankPassages(
      {
        keyword: ranking((row) => row.keyword_rank, (row) => row.keyword_score),
        vector: ranking((row) => row.vector_rank, (row) => row.vector_score),
        chunk: (id) => byId.get(id)?.chunk,
        vectorOf: (id) => byId.get(id)?.vector ?? [],
        // Ranking never reads the document; its real metadata replaces this one once the picked passages' documents are read.
        document: (source) => pendingDocument(source),
        coverage: (id) => weightedCoverage(terms, new Set(contentTerms(byId.get(id)?.row.search_text ?? '')), (term) => this.idf(term)),
      },
      k,
    );
  }

  /**
   * The statement search() runs for these query terms, embedding and options, and the transaction it runs in
   * (tests EXPLAIN it on a real server, to check that it uses the indexes).
   */
  candidateQuery(terms: readonly string[], embedding: string, options: RetrieveOptions): { begin: string; text: string; values: unknown[] } {
    const mode = options.mode ?? 'hybrid';
    const useVectors = mode !== 'keyword';
    const filtered = Boolean(options.sources || options.fromDate || options.toDate);
    const { candidateTerms, candidateGroups, scoredTerms } = keywordTerms(terms, this.state.terms);
    const { k1, b } = BM25_PARAMETERS;
    const widePool = filtered && !this.options.iterativeScan;

    // One snapshot for candidates and their documents: a re-index committing in between cannot make a passage's
    // offsets point into a newer version of its document. The transaction, its settings and the table lock take
    // one round trip. The lock comes before the first query takes the snapshot: a search that waited for a
    // rebuild's swap (indexer.ts) then reads the new table with a snapshot that sees its rows.
    // No JIT: at a million rows the estimated cost passes jit_above_cost, and compiling takes longer than the query.
    // No sequential scans: PostgreSQL prices `terms && $1` like any cheap operator and, when the candidate terms
    // cover a tenth of the table or more, plans a read of every row (an array overlap per row: 50 ms at 10k
    // chunks) over the GIN bitmap (5 ms); every part of this statement has an index path.
    const settings = ['SET LOCAL jit = off', 'SET LOCAL enable_seqscan = off', `SET LOCAL hnsw.ef_search = ${widePool ? WIDE_POOL : efSearchFor(this.state.chunkCount)}`];
    if (filtered && this.options.iterativeScan) settings.push("SET LOCAL hnsw.iterative_scan = 'relaxed_order'");
    const begin = ['BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', ...settings, 'LOCK TABLE chunks IN ACCESS SHARE MODE'].join('; ');
    return {
      begin,
      text: candidatesSql(!widePool, scoredTerms.length, candidateGroups.length),
      values: [
        candidateTerms,
        embedding,
        mode !== 'vector' && candidateTerms.length + candidateGroups.length > 0,
        useVectors,
        CANDIDATES_PER_RANKING,
        options.sources ? [...options.sources] : null,
        options.fromDate ?? null,
        options.toDate ?? null,
        k1,
        k1 + 1,
        1 - b,
        b,
        this.state.averageTermCount || 1,
        widePool ? WIDE_POOL : CANDIDATES_PER_RANKING,
        ...scoredTerms.flatMap((term) => [term, this.idf(term)]),
        ...candidateGroups.map((group) => group.terms),
        ...candidateGroups.map((group) => group.cap),
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

/** Estimated candidate rows beyond which no further (more common) term, or pair of terms, selects candidates. */
const MAX_KEYWORD_CANDIDATES = 1500;
/** At most this many pairs of terms (each is one more GIN scan). */
const MAX_PAIRS = 12;
/** A pair's rows are capped at this multiple of its estimate (df·df'/N, which assumes independent terms)… */
const PAIR_ROWS_SLACK = 2;
/** …but at no fewer rows than this. */
const PAIR_ROWS_FLOOR = 100;
const cappedRows = (estimate: number) => Math.max(PAIR_ROWS_FLOOR, Math.ceil(PAIR_ROWS_SLACK * estimate));

export interface KeywordTerms {
  /** Every query term the corpus holds: all count in the BM25 score. */
  scoredTerms: string[];
  /** Rows holding any of these are candidates. */
  candidateTerms: string[];
  /** Rows holding all the terms of one of these groups (pairs, mostly) are candidates too, at most `cap` per group. */
  candidateGroups: Array<{ terms: string[]; cap: number }>;
}

/**
 * Which rows BM25 scores. Every row holding a query term, as in the local store, while their number stays
 * within MAX_KEYWORD_CANDIDATES (always on the eval sets' corpora: the same results as the local store). Past
 * that, in large corpora, scoring every such row would read a large share of the table for common words, so
 * the candidates are the rows holding one of the rarest terms (rarest first, within the budget), plus the rows
 * holding two of the other terms together (pairs by their expected overlap, df·df'/N, smallest first, within
 * the budget): the rows BM25 ranks first hold several of the question's terms, and the rest add little. When
 * neither selects anything, the rows holding the rarest terms all together.
 */
export function keywordTerms(terms: readonly string[], table: TermTable): KeywordTerms {
  const df = (term: string) => table.documentFrequency(term);
  const scoredTerms = [...new Set(terms)].filter((term) => df(term) > 0);
  const byRarity = [...scoredTerms].sort((a, b) => df(a) - df(b));
  const candidateTerms: string[] = [];
  let budget = MAX_KEYWORD_CANDIDATES;
  for (const term of byRarity) {
    if (df(term) > budget) break;
    candidateTerms.push(term);
    budget -= df(term);
  }
  const rest = byRarity.slice(candidateTerms.length);
  const pairs: Array<{ pair: [string, string]; rows: number }> = [];
  rest.forEach((a, i) => rest.slice(i + 1).forEach((b) => pairs.push({ pair: [a, b], rows: (df(a) * df(b)) / Math.max(1, table.chunkCount) })));
  pairs.sort((x, y) => x.rows - y.rows);
  const candidateGroups: KeywordTerms['candidateGroups'] = [];
  for (const { pair, rows } of pairs) {
    if (rows > budget || candidateGroups.length >= MAX_PAIRS) break;
    candidateGroups.push({ terms: pair, cap: cappedRows(rows) });
    budget -= rows;
  }
  if (candidateTerms.length === 0 && candidateGroups.length === 0 && byRarity.length > 0) {
    // Only common words, no two of them rare enough together (at a million chunks, questions whose rarest word
    // is in 47k rows): the rows holding the rarest terms all together, as many terms as it takes to bring the
    // estimate within the budget, capped. Scoring every row of the rarest term had taken 350 ms.
    const group: string[] = [];
    let rows = table.chunkCount;
    for (const term of byRarity) {
      group.push(term);
      rows = (rows * df(term)) / Math.max(1, table.chunkCount);
      if (rows <= MAX_KEYWORD_CANDIDATES) break;
    }
    candidateGroups.push({ terms: group, cap: cappedRows(Math.min(rows, MAX_KEYWORD_CANDIDATES)) });
  }
  return { scoredTerms, candidateTerms, candidateGroups };
}
