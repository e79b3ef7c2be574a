// Re-index into PostgreSQL, following the shared plan (core/index/plan.ts). Scanning, chunking and embedding
// happen outside any transaction; the write is one transaction, so readers see either the old corpus or the new
// one, never a document half replaced, and a crash leaves the last committed state.
// - Incremental: unchanged documents are not touched; a changed document's chunks are deleted and inserted,
//   re-using the stored vector of every chunk whose text did not change. Row locks only: readers never wait.
// - Rebuild (--rebuild, embedder changed, first run): the new chunks go into a shadow table, indexed there, and
//   swapped in for `chunks` at the end of the transaction. Only the swap takes the table's exclusive lock, for
//   milliseconds; readers keep answering from the old rows until then (they lock `chunks` before taking their
//   snapshot, so one that waited for the swap reads the new table with a snapshot that sees it).
import type pg from 'pg';
import { CHUNKER_REVISION, chunkDocumentPaced } from '../../core/chunk/chunker.js';
import type { ReindexRequest } from '../../core/corpus.js';
import { CoreError } from '../../core/errors.js';
import { embedInBatches, embedInto } from '../../core/index/embed.js';
import { partitionChunks, planIndex, sameEmbedder, summarize, type IndexedState } from '../../core/index/plan.js';
import { loadCorpus } from '../../core/ingest/index.js';
import type { LoadCorpusOptions, ScannedFile } from '../../core/ingest/load.js';
import { Pacer } from '../../core/pacer.js';
import { indexedTextOf } from '../../core/retrieve/indexed-text.js';
import { contentTerms } from '../../core/text/tokens.js';
import type { Chunk, CleanDocument, Embedder, Logger, ReindexSummary, SkippedFile, StoredDocument } from '../../core/types.js';
import { ADVISORY_LOCKS } from './locks.js';
import { cleanDocumentOfRow, metaOfDocument, vectorLiteral, type DocumentRow, type StateRow } from './rows.js';
import { inTransaction } from './transaction.js';

const INSERT_BATCH = 250;
/** Chunks a full build embeds and writes at a time. */
const REBUILD_SLICE = 10_000;
/** maintenance_work_mem for a rebuild's index builds, at least (1 GiB: a million 100-dimension chunks' HNSW graph). */
const BUILD_MEMORY_KB = 1024 * 1024;
export const HNSW_INDEX = 'chunks_embedding_hnsw';

export interface PgIndexOptions extends ReindexRequest {
  corpusDir: string;
  embedder: Embedder;
  logger?: Logger;
  /** Documents already loaded (benchmarks re-use one scan); defaults to loading `corpusDir`. */
  corpus?: { documents: CleanDocument[]; skipped: SkippedFile[]; boilerplateLines?: string[]; parserRevision?: number; scan?: ScannedFile[] };
  /** Test hook: runs inside the write transaction, just before COMMIT. */
  beforeCommit?: () => Promise<void> | void;
  /** Test hook: runs inside a rebuild's transaction once the shadow table is filled and indexed, before the swap. */
  beforeSwap?: () => Promise<void> | void;
}

export interface PgIndexResult {
  summary: ReindexSummary;
  /** The revision committed by this run (unchanged when nothing changed). */
  revision: string;
  timing: { scanMs: number; embedMs: number; writeMs: number; totalMs: number };
}

interface NewChunk extends Chunk, TermCounts {
  searchText: string;
  publishedAt: string | null;
  vector: string | null;
}

export interface TermCounts {
  /** Distinct stemmed terms of the keyword text, in order of first occurrence. */
  terms: string[];
  /** How often each of `terms` occurs. */
  counts: number[];
  /** Length of the keyword text in terms (stop words excluded), as BM25 measures it. */
  total: number;
}

/** A chunk as the store writes it, its vector still to come. */
function newChunkOf(chunk: Chunk, doc: CleanDocument): NewChunk {
  const searchText = indexedTextOf(chunk.text, doc);
  return { ...chunk, searchText, publishedAt: doc.publishedAt, ...termCountsOf(searchText), vector: null };
}

async function newChunksOf(cut: ReadonlyArray<{ chunk: Chunk; doc: CleanDocument }>, pacer: Pacer): Promise<NewChunk[]> {
  const out: NewChunk[] = [];
  for (const { chunk, doc } of cut) {
    out.push(newChunkOf(chunk, doc));
    if (pacer.due) await pacer.pause();
  }
  return out;
}

/** The keyword text's terms as the local store's BM25 index counts them (core/retrieve/bm25.ts). */
export function termCountsOf(searchText: string): TermCounts {
  const counts = new Map<string, number>();
  const all = contentTerms(searchText);
  for (const term of all) counts.set(term, (counts.get(term) ?? 0) + 1);
  return { terms: [...counts.keys()], counts: [...counts.values()], total: all.length };
}

export async function runPgIndex(pool: pg.Pool, options: PgIndexOptions): Promise<PgIndexResult> {
  const started = performance.now();
  const { embedder, logger } = options;
  const lockClient = await pool.connect();
  try {
    // Session-level lock, held for the whole run by this connection: another process's /reindex is refused
    // at once instead of scanning and embedding the same files twice. A crashed process's session ends and
    // PostgreSQL releases the lock with it.
    const { rows: lockRows } = await lockClient.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [ADVISORY_LOCKS.reindex]);
    if (!lockRows[0]?.ok) throw new CoreError('REINDEX_BUSY', 'A re-index is already running in another bot process.');
    try {
      const state = await readState(pool);
      const previous: IndexedState | null =
        state.embedder_id === null || state.dimension === null
          ? null
          : {
              embedder: { id: state.embedder_id, dimension: state.dimension },
              documents: new Map(
                (await pool.query<{ source: string; content_hash: string }>('SELECT source, content_hash FROM documents')).rows.map((row) => [
                  row.source,
                  { contentHash: row.content_hash },
                ]),
              ),
              skipped: state.skipped,
              ...(state.chunker_revision === null ? {} : { chunkerRevision: state.chunker_revision }),
            };

      options.onProgress?.({ phase: 'scanning', done: 0, total: 0 });
      // The stored scan records let the scan skip every file that did not change, as the local store's do.
      // The steps that walk the whole corpus each get a turn of the event loop before them: their stretches do not add up.
      const pacer = new Pacer();
      const scanned = previous && !options.rebuild ? await previousScan(pool, state) : null;
      await pacer.pause();
      const corpus = options.corpus ?? (await loadCorpus(options.corpusDir, scanned ? { previous: scanned } : {}));
      await pacer.pause();
      const plan = planIndex(previous, corpus, embedder, options.rebuild ? { rebuild: true } : {});
      await pacer.pause();
      // A document the scan re-used carries no text (see previousScan); the plan may still cut it again (another
      // chunker revision): its stored text is read then, and only then.
      await fillReusedTexts(pool, plan.documents.filter((entry) => entry.action !== 'keep').map((entry) => entry.doc));
      if (previous && !sameEmbedder(previous.embedder, embedder)) {
        logger?.warn({ from: previous.embedder.id, to: embedder.id }, 'embedder changed; re-embedding every document');
      }
      const scanMs = performance.now() - started;

      if (plan.nothingChanged) {
        // Nothing for readers, but records to keep: a file touched without changing, a racy record settled, or
        // the first run after migration 004 (else every later run would parse the whole corpus again).
        const scan = await scanUpdate(corpus, scanned, pacer);
        if (scan && (scan.records.size > 0 || !sameLines(scan, state))) await writeScanOnly(pool, scan);
        options.onProgress?.({ phase: 'done', done: 0, total: 0 });
        const totalMs = performance.now() - started;
        return {
          summary: summarize(plan, { chunks: state.chunk_count, embedded: 0, skipped: corpus.skipped, embedder: embedder.id, ms: totalMs }),
          revision: state.revision,
          timing: { scanMs, embedMs: 0, writeMs: 0, totalMs },
        };
      }

      const changed = plan.documents.filter((entry) => entry.action !== 'keep').map((entry) => entry.doc);
      // Cut now (each chunk's text a slice of its document's); keyword text, term counts and vector later.
      // The bot runs this on its event loop: cutting and counting terms give the loop a turn every few ms.
      const cut: Array<{ chunk: Chunk; doc: CleanDocument }> = [];
      for (const doc of changed) for (const chunk of await chunkDocumentPaced(doc.source, doc.text, pacer)) cut.push({ chunk, doc });
      const now = new Date().toISOString();
      const base = {
        dimension: embedder.dimension,
        embedderId: embedder.id,
        documents: changed.map((doc) => ({ ...doc, indexedAt: now })),
        removed: plan.removed,
        skipped: corpus.skipped,
        scan: await scanUpdate(corpus, scanned, pacer),
        ...(options.beforeCommit ? { beforeCommit: options.beforeCommit } : {}),
        ...(options.beforeSwap ? { beforeSwap: options.beforeSwap } : {}),
      };
      let embedMs = 0;
      let embedded = 0;
      let written: { revision: string; chunkCount: number };
      if (plan.fresh) {
        // A full build embeds slice by slice, straight into the shadow table: only one slice's keyword texts,
        // term lists and vectors are in memory at a time (a million chunks at once did not fit in Node's heap).
        written = await writeChanges(pool, {
          ...base,
          fresh: true,
          fill: async (insert) => {
            for (let i = 0; i < cut.length; i += REBUILD_SLICE) {
              const embedStarted = performance.now();
              const slice = await newChunksOf(cut.slice(i, i + REBUILD_SLICE), pacer);
              const vectors = new Float32Array(slice.length * embedder.dimension);
              await embedInto(embedder, slice.map((chunk) => chunk.text), vectors, 0, (progress) =>
                options.onProgress?.({ phase: 'embedding', done: i + progress.done, total: cut.length }),
              );
              slice.forEach((chunk, j) => (chunk.vector = vectorLiteral(Array.from(vectors.subarray(j * embedder.dimension, (j + 1) * embedder.dimension)))));
              embedMs += performance.now() - embedStarted;
              embedded += slice.length;
              for (let j = 0; j < slice.length; j += INSERT_BATCH) await insert(slice.slice(j, j + INSERT_BATCH));
            }
            options.onProgress?.({ phase: 'writing', done: 0, total: 1 });
          },
        });
      } else {
        const embedStarted = performance.now();
        const newChunks = await newChunksOf(cut, pacer);
        const stored = await storedVectors(pool, newChunks);
        const { kept, fresh } = partitionChunks(newChunks, (id) => stored.get(id));
        for (const { chunk, stored: old } of kept) chunk.vector = old.embedding;
        const vectors = await embedInBatches(embedder, fresh.map((chunk) => chunk.text), options.onProgress);
        fresh.forEach((chunk, i) => (chunk.vector = vectorLiteral(vectors[i] ?? [])));
        embedMs = performance.now() - embedStarted;
        embedded = fresh.length;
        options.onProgress?.({ phase: 'writing', done: 0, total: 1 });
        written = await writeChanges(pool, { ...base, fresh: false, chunks: newChunks });
      }
      const { revision, chunkCount } = written;
      options.onProgress?.({ phase: 'done', done: 1, total: 1 });
      const totalMs = performance.now() - started;
      return {
        summary: summarize(plan, { chunks: chunkCount, embedded, skipped: corpus.skipped, embedder: embedder.id, ms: totalMs }),
        revision,
        timing: { scanMs, embedMs, writeMs: totalMs - scanMs - embedMs, totalMs },
      };
    } finally {
      await lockClient.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.reindex]).catch(() => undefined);
    }
  } finally {
    lockClient.release();
  }
}

export async function readState(db: pg.Pool | pg.PoolClient): Promise<StateRow> {
  const { rows } = await db.query<StateRow>('SELECT embedder_id, dimension, revision::text AS revision, chunk_count, term_total::float8 AS term_total, skipped, chunker_revision, boilerplate_lines, parser_revision FROM store_state');
  const state = rows[0];
  if (!state) throw new CoreError('INDEX_CORRUPT', 'The database has no store_state row: run the migrations again (the bot does at start-up).');
  return state;
}

/** A reused document's text: never empty in a parsed one (the parse refuses a file without text). */
const NOT_READ = '';

/**
 * The previous scan as loadCorpus takes it, from the stored records. Documents come without their text (at a
 * million chunks the bodies are most of the database): only an unchanged file's document is re-used, and the plan
 * keeps those as they are, so their text is not needed (fillReusedTexts reads it when it is). A record without
 * the text's hash is left out: the scan would otherwise hash the missing text to find duplicates.
 */
async function previousScan(pool: pg.Pool, state: StateRow): Promise<NonNullable<LoadCorpusOptions['previous']> | null> {
  if (state.boilerplate_lines === null || state.parser_revision === null) return null;
  const { rows } = await pool.query<Omit<DocumentRow, 'body' | 'indexed_at'> & { scan: ScannedFile | null }>(
    `SELECT source, title, to_char(published_at, 'YYYY-MM-DD') AS published_at, url, file_hash, content_hash, meta, scan
     FROM documents WHERE scan IS NOT NULL`,
  );
  const documents = new Map<string, CleanDocument>();
  const scan = new Map<string, ScannedFile>();
  for (const row of rows) {
    if (!row.scan || row.scan.textHash === undefined) continue;
    documents.set(row.source, cleanDocumentOfRow({ ...row, body: NOT_READ }));
    scan.set(row.source, row.scan);
  }
  return { documents, boilerplateLines: state.boilerplate_lines, parserRevision: state.parser_revision, scan };
}

/** Reads the stored text of re-used documents the plan writes again (in place). */
async function fillReusedTexts(pool: pg.Pool, documents: CleanDocument[]): Promise<void> {
  const missing = documents.filter((doc) => doc.text === NOT_READ);
  if (missing.length === 0) return;
  const { rows } = await pool.query<{ source: string; body: string }>('SELECT source, body FROM documents WHERE source = ANY ($1)', [missing.map((doc) => doc.source)]);
  const bodies = new Map(rows.map((row) => [row.source, row.body]));
  for (const doc of missing) {
    const body = bodies.get(doc.source);
    if (body === undefined) throw new CoreError('INDEX_CORRUPT', `The stored text of ${doc.source} disappeared during the re-index; run it again.`);
    doc.text = body;
  }
}

/** What the write stores of this scan: its lines and revision, and the records that differ from the stored ones. */
async function scanUpdate(
  corpus: { boilerplateLines?: string[]; parserRevision?: number; scan?: ScannedFile[] },
  scanned: NonNullable<LoadCorpusOptions['previous']> | null,
  pacer: Pacer,
): Promise<ScanUpdate | null> {
  if (!corpus.scan || !corpus.boilerplateLines || corpus.parserRevision === undefined) return null;
  const records = new Map<string, ScannedFile>();
  for (const record of corpus.scan) {
    const before = scanned?.scan?.get(record.source);
    if (!before || JSON.stringify(before) !== JSON.stringify(record)) records.set(record.source, record);
    if (pacer.due) await pacer.pause();
  }
  return { boilerplateLines: corpus.boilerplateLines, parserRevision: corpus.parserRevision, records };
}

function sameLines(scan: ScanUpdate, state: StateRow): boolean {
  const stored = state.boilerplate_lines;
  return state.parser_revision === scan.parserRevision && stored !== null && stored.length === scan.boilerplateLines.length && stored.every((line, i) => line === scan.boilerplateLines[i]);
}

/** The scan's records and lines alone, when no document changed (the revision stays: readers see nothing new). */
async function writeScanOnly(pool: pg.Pool, scan: ScanUpdate): Promise<void> {
  await inTransaction(pool, 'BEGIN', async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.write]);
    await client.query('UPDATE store_state SET boilerplate_lines = $1::text[], parser_revision = $2', [scan.boilerplateLines, scan.parserRevision]);
    await writeScan(client, { documents: [], scan });
  });
}

interface ScanUpdate {
  boilerplateLines: string[];
  parserRevision: number;
  /** New or changed records by source (unchanged ones are not written again). */
  records: Map<string, ScannedFile>;
}

interface StoredVector {
  text: string;
  /** pgvector's text form, written back as it was read. */
  embedding: string;
}

/** The stored text and vector of every chunk id among `chunks` that the store already holds. */
async function storedVectors(pool: pg.Pool, chunks: readonly NewChunk[]): Promise<Map<string, StoredVector>> {
  if (chunks.length === 0) return new Map();
  const { rows } = await pool.query<{ id: string; body: string; embedding: string }>(
    'SELECT id, body, embedding::text AS embedding FROM chunks WHERE id = ANY ($1)',
    [chunks.map((chunk) => chunk.id)],
  );
  return new Map(rows.map((row) => [row.id, { text: row.body, embedding: row.embedding }]));
}

interface WriteBase {
  dimension: number;
  embedderId: string;
  documents: StoredDocument[];
  removed: string[];
  skipped: SkippedFile[];
  /** null: the corpus came without scan records (a caller's own scan); the stored ones are dropped. */
  scan: ScanUpdate | null;
  beforeCommit?: () => Promise<void> | void;
  beforeSwap?: () => Promise<void> | void;
}

/** Changed documents' chunks, all in memory: an incremental re-index. */
interface PatchPlan extends WriteBase {
  fresh: false;
  chunks: NewChunk[];
}

/** Every chunk, handed batch by batch to `insert` by `fill` (inside the write transaction): a full build. */
interface RebuildPlan extends WriteBase {
  fresh: true;
  fill: (insert: (batch: NewChunk[]) => Promise<void>) => Promise<void>;
}

type WritePlan = PatchPlan | RebuildPlan;

async function writeChanges(pool: pg.Pool, plan: WritePlan): Promise<{ revision: string; chunkCount: number }> {
  return inTransaction(pool, 'BEGIN', async (client) => {
    // Exclusive among writers even where the session lock above is not (PGlite serves every connection from
    // one session); the plan is re-checked against what is committed now, so a run that waited here for
    // another one writes only what is still different.
    await client.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.write]);
    const { termTotal, chunkDelta } = plan.fresh ? { termTotal: await rebuildChunks(client, plan), chunkDelta: null } : await patchChunks(client, plan);
    await writeScan(client, plan);
    // A patch counts its own rows: count(*) read every row of the table (a second at a million chunks).
    const { rows } = await client.query<{ revision: string; chunk_count: number }>(
      `UPDATE store_state SET embedder_id = $1, dimension = $2, revision = revision + 1,
         chunk_count = CASE WHEN $6::int IS NULL THEN (SELECT count(*) FROM chunks) ELSE chunk_count + $6::int END,
         term_total = $4, skipped = $3::jsonb, chunker_revision = $5,
         boilerplate_lines = $7::text[], parser_revision = $8, updated_at = now()
       RETURNING revision::text AS revision, chunk_count`,
      [plan.embedderId, plan.dimension, JSON.stringify(plan.skipped), termTotal, CHUNKER_REVISION, chunkDelta, plan.scan?.boilerplateLines ?? null, plan.scan?.parserRevision ?? null],
    );
    await plan.beforeCommit?.();
    const state = rows[0];
    return { revision: state?.revision ?? '0', chunkCount: state?.chunk_count ?? 0 };
  });
}

/**
 * The scan records: with the documents written (upsertDocuments), and for kept documents whose file was touched
 * without changing (a new mtime) or whose record was written too close to the file's last change to be trusted.
 * Without records (a caller's own scan), none may be trusted any longer: the lines they were taken with are gone.
 */
async function writeScan(client: pg.PoolClient, plan: Pick<WriteBase, 'documents' | 'scan'>): Promise<void> {
  if (!plan.scan) {
    await client.query('UPDATE documents SET scan = NULL WHERE scan IS NOT NULL');
    return;
  }
  const written = new Set(plan.documents.map((doc) => doc.source));
  const rest = [...plan.scan.records.values()].filter((record) => !written.has(record.source));
  if (rest.length === 0) return;
  await client.query('UPDATE documents SET scan = t.scan FROM unnest($1::text[], $2::jsonb[]) AS t(source, scan) WHERE documents.source = t.source', [
    rest.map((record) => record.source),
    rest.map((record) => JSON.stringify(record)),
  ]);
}

/**
 * Changed documents' chunks replaced in place; returns the new total term count and how many chunks were added
 * (less those deleted). Row locks only.
 */
async function patchChunks(client: pg.PoolClient, plan: PatchPlan): Promise<{ termTotal: number; chunkDelta: number }> {
  const delta = new Map<string, number>();
  const count = (terms: Iterable<string>, by: number) => {
    for (const term of terms) delta.set(term, (delta.get(term) ?? 0) + by);
  };
  const committed = new Map(
    (await client.query<{ source: string; content_hash: string }>('SELECT source, content_hash FROM documents')).rows.map((row) => [row.source, row.content_hash]),
  );
  const documents = plan.documents.filter((doc) => committed.get(doc.source) !== doc.contentHash);
  const writing = new Set(documents.map((doc) => doc.source));
  const chunks = plan.chunks.filter((chunk) => writing.has(chunk.source));
  const { rows: stateRows } = await client.query<{ term_total: number }>('SELECT term_total::float8 AS term_total FROM store_state');
  let termTotal = stateRows[0]?.term_total ?? 0;

  const replaced = [...documents.map((doc) => doc.source), ...plan.removed];
  let deleted = 0;
  if (replaced.length > 0) {
    const { rows } = await client.query<{ terms: string[]; term_total: number | null }>(
      'DELETE FROM chunks WHERE source = ANY ($1) RETURNING terms, term_total',
      [replaced],
    );
    for (const row of rows) {
      count(row.terms, -1);
      termTotal -= row.term_total ?? 0;
    }
    deleted = rows.length;
  }
  if (plan.removed.length > 0) await client.query('DELETE FROM documents WHERE source = ANY ($1)', [plan.removed]);
  for (let i = 0; i < documents.length; i += INSERT_BATCH) await upsertDocuments(client, documents.slice(i, i + INSERT_BATCH), plan.scan);
  for (let i = 0; i < chunks.length; i += INSERT_BATCH) await insertChunks(client, 'chunks', chunks.slice(i, i + INSERT_BATCH));
  for (const chunk of chunks) {
    count(chunk.terms, +1);
    termTotal += chunk.total;
  }
  const terms = [...delta.entries()].filter(([, by]) => by !== 0);
  if (terms.length > 0) {
    await client.query(
      `INSERT INTO term_stats (term, df) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (term) DO UPDATE SET df = term_stats.df + excluded.df`,
      [terms.map(([term]) => term), terms.map(([, by]) => by)],
    );
    // Only the terms this run changed can have dropped to zero: no pass over the whole table.
    await client.query('DELETE FROM term_stats WHERE term = ANY ($1) AND df <= 0', [terms.map(([term]) => term)]);
  }
  return { termTotal, chunkDelta: chunks.length - deleted };
}

/** The shadow table `chunks` is rebuilt in, and the names its indexes get once it is swapped in. */
const SHADOW = 'chunks_next';
const SHADOW_INDEXES: ReadonlyArray<{ name: string; create: (table: string, name: string) => string }> = [
  { name: 'chunks_pkey', create: (table, name) => `ALTER TABLE ${table} ADD CONSTRAINT ${name} PRIMARY KEY (row_id)` },
  { name: 'chunks_id_key', create: (table, name) => `ALTER TABLE ${table} ADD CONSTRAINT ${name} UNIQUE (id)` },
  { name: 'chunks_source', create: (table, name) => `CREATE INDEX ${name} ON ${table} (source)` },
  { name: 'chunks_published_at', create: (table, name) => `CREATE INDEX ${name} ON ${table} (published_at)` },
  { name: 'chunks_terms_gin', create: (table, name) => `CREATE INDEX ${name} ON ${table} USING gin (terms)` },
  { name: HNSW_INDEX, create: (table, name) => `CREATE INDEX ${name} ON ${table} USING hnsw (embedding vector_cosine_ops)` },
];

/**
 * Every chunk written into a shadow table with the embedder's dimension, indexed there (after the bulk insert:
 * one pass instead of an update per row), then swapped in for `chunks`. Readers are blocked only by the swap at
 * the end: a lock on `chunks`, a DROP and renames. Returns the new total term count.
 */
async function rebuildChunks(client: pg.PoolClient, plan: RebuildPlan): Promise<number> {
  // A shadow left by a run that crashed before its COMMIT cannot exist (it was created in that transaction), but a
  // manual one might; the NOTICE of its absence is noise.
  await client.query("SET LOCAL client_min_messages = 'warning'");
  await client.query(`DROP TABLE IF EXISTS ${SHADOW}`);
  // Columns, defaults (the row_id sequence), NOT NULLs, generated columns and storage as the migrations left `chunks`.
  await client.query(`CREATE TABLE ${SHADOW} (LIKE chunks INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE)`);
  await client.query(`ALTER TABLE ${SHADOW} ALTER COLUMN embedding TYPE vector(${Number(plan.dimension)})`);
  const frequencies = new Map<string, number>();
  let termTotal = 0;
  await plan.fill(async (batch) => {
    await insertChunks(client, SHADOW, batch);
    for (const chunk of batch) {
      for (const term of chunk.terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      termTotal += chunk.total;
    }
  });
  // The HNSW graph is built in memory when it fits in maintenance_work_mem, and far more slowly on disk when not
  // (the server default, 64 MB, holds about 100k chunks of 100 dimensions): raised for this transaction only.
  await client.query(
    "SELECT set_config('maintenance_work_mem', greatest(setting::bigint, $1)::text || 'kB', true) FROM pg_settings WHERE name = 'maintenance_work_mem'",
    [BUILD_MEMORY_KB],
  );
  for (const index of SHADOW_INDEXES) await client.query(index.create(SHADOW, `${SHADOW}_${index.name.replace(/^chunks_/, '')}`));
  // Statistics now, not when autovacuum gets to the new table: the first queries after the swap are planned
  // with them (without, the planner guesses the filters' selectivity and may pass over the indexes).
  await client.query(`ANALYZE ${SHADOW}`);

  // Documents and term statistics: ordinary row changes, invisible to readers until COMMIT.
  const sources = plan.documents.map((doc) => doc.source);
  await client.query('DELETE FROM documents WHERE NOT (source = ANY ($1))', [sources]);
  for (let i = 0; i < plan.documents.length; i += INSERT_BATCH) await upsertDocuments(client, plan.documents.slice(i, i + INSERT_BATCH), plan.scan);
  await client.query('DELETE FROM term_stats');
  await client.query('INSERT INTO term_stats (term, df) SELECT * FROM unnest($1::text[], $2::int[])', [[...frequencies.keys()], [...frequencies.values()]]);

  await plan.beforeSwap?.();
  // The swap. Waits for the queries running on the old table (milliseconds), holds new ones as briefly.
  await client.query('LOCK TABLE chunks IN ACCESS EXCLUSIVE MODE');
  await client.query(`ALTER SEQUENCE chunks_row_id_seq OWNED BY ${SHADOW}.row_id`);
  await client.query('DROP TABLE chunks');
  await client.query(`ALTER TABLE ${SHADOW} RENAME TO chunks`);
  for (const index of SHADOW_INDEXES) await client.query(`ALTER INDEX ${SHADOW}_${index.name.replace(/^chunks_/, '')} RENAME TO ${index.name}`);
  // NOT VALID: enforced for every row written from now on, without a scan of the table under the lock (the
  // rows were just written from the documents upserted above).
  await client.query('ALTER TABLE chunks ADD CONSTRAINT chunks_source_fkey FOREIGN KEY (source) REFERENCES documents (source) ON DELETE CASCADE NOT VALID');
  return termTotal;
}

async function upsertDocuments(client: pg.PoolClient, documents: StoredDocument[], scan: ScanUpdate | null): Promise<void> {
  await client.query(
    `INSERT INTO documents (source, title, published_at, url, body, file_hash, content_hash, meta, indexed_at, scan)
     SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::timestamptz[], $10::jsonb[])
     ON CONFLICT (source) DO UPDATE SET title = excluded.title, published_at = excluded.published_at, url = excluded.url,
       body = excluded.body, file_hash = excluded.file_hash, content_hash = excluded.content_hash, meta = excluded.meta,
       indexed_at = excluded.indexed_at, scan = excluded.scan`,
    [
      documents.map((doc) => doc.source),
      documents.map((doc) => doc.title),
      documents.map((doc) => doc.publishedAt),
      documents.map((doc) => doc.url),
      documents.map((doc) => doc.text),
      documents.map((doc) => doc.fileHash),
      documents.map((doc) => doc.contentHash),
      documents.map((doc) => JSON.stringify(metaOfDocument(doc))),
      documents.map((doc) => doc.indexedAt),
      // A document written without its scan record is parsed again by the next scan.
      documents.map((doc) => {
        const record = scan?.records.get(doc.source);
        return record ? JSON.stringify(record) : null;
      }),
    ],
  );
}

async function insertChunks(client: pg.PoolClient, table: 'chunks' | typeof SHADOW, chunks: NewChunk[]): Promise<void> {
  // Term lists travel as text (space-separated terms, comma-separated counts): unnest cannot take arrays of arrays.
  await client.query(
    `INSERT INTO ${table} (id, source, start_offset, end_offset, body, search_text, published_at, terms, term_counts, term_total, embedding)
     SELECT id, source, start_offset, end_offset, body, search_text, published_at, string_to_array(terms, ' '),
            string_to_array(term_counts, ',')::int[], term_total, embedding::vector
     FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::date[], $8::text[], $9::text[], $10::text[], $11::int[])
       AS t(id, source, start_offset, end_offset, body, search_text, published_at, terms, embedding, term_counts, term_total)`,
    [
      chunks.map((chunk) => chunk.id),
      chunks.map((chunk) => chunk.source),
      chunks.map((chunk) => chunk.start),
      chunks.map((chunk) => chunk.end),
      chunks.map((chunk) => chunk.text),
      chunks.map((chunk) => chunk.searchText),
      chunks.map((chunk) => chunk.publishedAt),
      chunks.map((chunk) => chunk.terms.join(' ')),
      chunks.map((chunk) => chunk.vector),
      chunks.map((chunk) => chunk.counts.join(',')),
      chunks.map((chunk) => chunk.total),
    ],
  );
}


