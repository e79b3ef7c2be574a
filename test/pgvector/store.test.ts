// The PostgreSQL + pgvector store through its public interface, with the project's real pg-based code talking
// over TCP to PGlite + pgvector on 127.0.0.1 (or to the server in TEST_DATABASE_URL, when set: all of this
// suite runs against it unchanged, and it resets the store's tables, so give it a throwaway database).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../src/stores/local/store.js';
import { createServices } from '../../src/app/services.js';
import type { Services } from '../../src/commands/services.js';
import { ConfigError, loadConfig, secretsOf } from '../../src/config.js';
import { isQuoteAt } from '../../src/core/answer/citations.js';
import { CoreError } from '../../src/core/errors.js';
import type { Embedder } from '../../src/core/types.js';
import { termCountsOf } from '../../src/stores/pgvector/indexer.js';
import { migrate, readMigrations } from '../../src/stores/pgvector/migrate.js';
import { ADVISORY_LOCKS } from '../../src/stores/pgvector/locks.js';
import { PgVectorStore } from '../../src/stores/pgvector/store.js';
import { PgVectorView } from '../../src/stores/pgvector/view.js';
import { startTestDatabase, type TestDatabase } from '../fakes/pglite-server.js';
import { makePdf } from '../fixtures/documents.js';
import { QUAY_REPORT } from '../fixtures/document-specs.js';
import { HashEmbedder } from '../reliability/hash-embedder.js';
import { citationProblems } from '../reliability/support.js';
import { captureLogger, localEmbedder, nodeCommandFor, PROJECT_ROOT, removeDir, seedCorpusCopy, seedTimelineProblems, tempDir, testConfig } from '../helpers.js';

let db: TestDatabase;
const opened: PgVectorStore[] = [];

beforeAll(async () => {
  db = await startTestDatabase();
}, 60_000);

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
  await db?.stop();
});

function storeFor(corpusDir: string, embedder: Embedder = localEmbedder()): PgVectorStore {
  const store = new PgVectorStore({ databaseUrl: db.url, poolSize: 4, corpusDir, embedder, logger: captureLogger() });
  opened.push(store);
  return store;
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** term_stats must equal the document frequencies recomputed from the chunks' own term lists. */
async function termStatsDrift(): Promise<number> {
  const rows = await query<{ drift: number }>(`
    WITH actual AS (SELECT term, count(*)::int AS df FROM chunks, unnest(terms) AS term GROUP BY term)
    SELECT count(*)::int AS drift FROM actual FULL OUTER JOIN term_stats s USING (term)
    WHERE actual.df IS DISTINCT FROM s.df`);
  return rows[0]?.drift ?? -1;
}

const QUESTIONS = [
  'When did Japan and South Korea hold a summit?',
  'What did Lee Jae-myung say about Japan?',
  'What is THAAD?',
  'Where was the trilateral summit held?',
];

describe('schema and migrations', () => {
  beforeAll(() => db.reset());

  it('applies the migrations once, even when two processes start together', async () => {
    const pools = [new pg.Pool({ connectionString: db.url }), new pg.Pool({ connectionString: db.url })];
    try {
      const [first, second] = await Promise.all(pools.map((pool) => migrate(pool)));
      // Each migration is applied by exactly one of the two (which one takes which depends on who wins each lock),
      // and each process applies its share in order.
      expect([...(first ?? []), ...(second ?? [])].sort()).toEqual(['001_init.sql', '002_bm25_terms.sql', '003_chunker_revision.sql', '004_scan_records.sql']);
      for (const applied of [first ?? [], second ?? []]) expect(applied).toEqual([...applied].sort());
      expect(await migrate(pools[0]!)).toEqual([]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('has an HNSW cosine index on the vectors and a GIN index on the terms once indexed', async () => {
    const store = storeFor(seedCorpusCopy());
    await store.open();
    const indexes = await query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE tablename = 'chunks'");
    const definitions = indexes.map((row) => row.indexdef).join('\n');
    expect(definitions).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    expect(definitions).toMatch(/USING gin \(terms\)/);
    const [column] = await query<{ type: string }>(
      "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'chunks'::regclass AND attname = 'embedding'",
    );
    expect(column?.type).toBe(`vector(${localEmbedder().dimension})`);
    await store.close();
  });
});

describe('migration 002 on a store indexed before it', () => {
  beforeEach(() => db.reset());

  /** A store as migration 001 and the first index run of that time left it: vectors, their HNSW index, term strings. */
  async function storeAt001(pool: pg.Pool): Promise<void> {
    await migrate(pool, readMigrations().filter((migration) => migration.version === 1));
    await pool.query('ALTER TABLE chunks ALTER COLUMN embedding TYPE vector(3)');
    await pool.query('CREATE INDEX chunks_embedding_hnsw ON chunks USING hnsw (embedding vector_cosine_ops)');
    await pool.query(`INSERT INTO documents (source, title, published_at, body, file_hash, content_hash, meta, indexed_at) VALUES
      ('a.txt', 'A', '2025-01-02', 'Ferries resumed. Busan port.', 'f1', 'c1', '{}', now()), ('b.txt', 'B', NULL, 'Nothing.', 'f2', 'c2', '{}', now())`);
    await pool.query(`INSERT INTO chunks (id, source, start_offset, end_offset, body, search_text, published_at, terms, embedding) VALUES
      ('a#0', 'a.txt', 0, 16, 'Ferries resumed.', 'A Ferries resumed.', '2025-01-02', 'ferri resum', '[1,0,0]'),
      ('a#1', 'a.txt', 17, 28, 'Busan port.', 'A Busan port.', '2025-01-02', 'busan port', '[0,1,0]'),
      ('b#0', 'b.txt', 0, 8, 'Nothing.', 'B Nothing.', NULL, '', '[0,0,1]')`);
  }

  /** Everything about `chunks` that the store or PostgreSQL relies on, and its rows. */
  async function chunksAsBuilt(pool: pg.Pool): Promise<unknown> {
    const rows = async (sql: string) => (await pool.query(sql)).rows;
    return {
      columns: await rows(`SELECT attnum, attname, format_type(atttypid, atttypmod) AS type, attnotnull, attgenerated, attstorage, attisdropped,
          pg_get_expr(d.adbin, d.adrelid) AS expression
        FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE attrelid = 'chunks'::regclass AND attnum > 0 ORDER BY attnum`),
      indexes: await rows("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'chunks' ORDER BY indexname"),
      constraints: await rows("SELECT conname, pg_get_constraintdef(oid) AS definition, convalidated FROM pg_constraint WHERE conrelid = 'chunks'::regclass ORDER BY conname"),
      sequence: await rows("SELECT pg_get_serial_sequence('chunks', 'row_id') AS sequence, nextval('chunks_row_id_seq') AS next"),
      state: await rows("SELECT column_name, data_type, column_default FROM information_schema.columns WHERE table_name = 'store_state' ORDER BY ordinal_position"),
      rows: await rows('SELECT * FROM chunks ORDER BY row_id'),
    };
  }

  it('builds the new layout beside the old rows and swaps it in: the same table as altering it in place', async () => {
    const upgraded: unknown[] = [];
    for (const second of [
      readMigrations().find((migration) => migration.version === 2)!,
      { version: 2, name: '002_bm25_terms.sql', sql: readFileSync(join(PROJECT_ROOT, 'test/pgvector/fixtures/002_bm25_terms.in-place.sql'), 'utf8') },
    ]) {
      await db.reset();
      const pool = new pg.Pool({ connectionString: db.url });
      try {
        await storeAt001(pool);
        expect(await migrate(pool, [...readMigrations().filter((migration) => migration.version === 1), second])).toEqual(['002_bm25_terms.sql']);
        upgraded.push(await chunksAsBuilt(pool));
      } finally {
        await pool.end();
      }
    }
    const [shadowed, inPlace] = upgraded as Array<{ rows: Array<{ terms: string[] }>; indexes: Array<{ indexname: string }> }>;
    expect(shadowed).toEqual(inPlace);
    expect(shadowed?.rows.map((row) => row.terms)).toEqual([['ferri', 'resum'], ['busan', 'port'], []]);
    expect(shadowed?.indexes.map((index) => index.indexname)).toEqual(['chunks_embedding_hnsw', 'chunks_id_key', 'chunks_pkey', 'chunks_published_at', 'chunks_source', 'chunks_terms_gin']);
  });

  it('leaves rows whose term counts the store fills in at start-up, as before', async () => {
    const pool = new pg.Pool({ connectionString: db.url });
    try {
      await storeAt001(pool);
      await migrate(pool);
    } finally {
      await pool.end();
    }
    const [filled] = await query<{ missing: number }>('SELECT count(*)::int AS missing FROM chunks WHERE term_counts IS NULL');
    expect(filled?.missing).toBe(3);
    const store = storeFor(seedCorpusCopy(), new HashEmbedder());
    await store.prepare();
    const rows = await query<{ search_text: string; terms: string[]; term_counts: number[]; term_total: number }>(
      'SELECT search_text, terms, term_counts, term_total FROM chunks ORDER BY row_id',
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const expected = termCountsOf(row.search_text);
      expect({ terms: row.terms, counts: row.term_counts, total: row.term_total }).toEqual(expected);
    }
  });
});

describe('rows written before BM25 term counts (migration 002)', () => {
  beforeAll(() => db.reset());

  it('are counted at start-up, and search ranks as before', async () => {
    const corpus = seedCorpusCopy();
    const first = storeFor(corpus);
    await first.open();
    const expected = await (await first.view()).search(QUESTIONS[0]!, { k: 5 });
    await first.close();
    // What migration 002 leaves on rows of an older store: the terms, no counts.
    await query('UPDATE chunks SET term_counts = NULL, term_total = NULL');
    await query('UPDATE store_state SET term_total = 0, revision = revision + 1');

    const second = storeFor(corpus);
    const view = await second.open();
    expect(await query('SELECT row_id FROM chunks WHERE term_counts IS NULL OR term_total IS NULL')).toEqual([]);
    const again = await view.search(QUESTIONS[0]!, { k: 5 });
    expect(again.passages.map((p) => [p.chunk.id, p.score])).toEqual(expected.passages.map((p) => [p.chunk.id, p.score]));
    expect(await termStatsDrift()).toBe(0);
    await second.close();
  });
});

// What every store must do is in test/stores/contract.test.ts, run against both; here the two are compared.
describe('the same answers as the local store', () => {
  let corpus: string;
  let pgStore: PgVectorStore;
  let local: LocalStore;
  let indexDir: string;

  beforeAll(async () => {
    await db.reset();
    corpus = seedCorpusCopy();
    indexDir = tempDir('pg-contract-');
    pgStore = storeFor(corpus);
    await pgStore.open();
    local = new LocalStore({ corpusDir: corpus, indexDir, embedder: localEmbedder(), logger: captureLogger() });
    await local.open();
  }, 60_000);

  afterAll(() => removeDir(indexDir));

  it('ranks keywords exactly as the local store does (BM25 over the same terms), and hybrid to the same passages', async () => {
    const pgView = await pgStore.view();
    const localView = await local.view();
    const ranked = (passages: Array<{ chunk: { id: string }; score: number }>) => passages.map((p) => [p.chunk.id, p.score.toFixed(12)]);
    for (const question of [...QUESTIONS, 'How many people attended the trilateral summit in 2023?']) {
      for (const mode of ['keyword', 'hybrid'] as const) {
        const pgPassages = (await pgView.search(question, { k: 5, mode })).passages;
        expect(pgPassages.length).toBeGreaterThan(0);
        expect(ranked(pgPassages)).toEqual(ranked((await localView.search(question, { k: 5, mode })).passages));
      }
    }
  });

  it('filters the same with or without iterative scans (pgvector < 0.8 reads a wide pool and filters it)', async () => {
    const view = await pgStore.view();
    const withoutIterative = new PgVectorView(pgStore.pool, view.state, localEmbedder(), { iterativeScan: false });
    const filters = [{ sources: ['001_bafdd1d5e9ecaa96.txt'] }, { fromDate: '2025-01-01', toDate: '2025-12-31' }];
    for (const filter of filters) {
      const expected = await view.search('missile defence summit', { k: 5, ...filter });
      expect(expected.passages.length).toBeGreaterThan(0);
      expect((await withoutIterative.search('missile defence summit', { k: 5, ...filter })).passages.map((p) => p.chunk.id)).toEqual(expected.passages.map((p) => p.chunk.id));
    }
  });

  it('knows the corpus vocabulary like the local store does', async () => {
    const pgView = await pgStore.view();
    const localView = await local.view();
    for (const term of ['japan', 'korea', 'summit', 'thaad', 'zanzibar']) {
      expect(pgView.knows(term)).toBe(localView.knows(term));
      expect(pgView.idf(term)).toBeCloseTo(localView.idf(term), 6);
    }
    expect(pgView.chunkCount).toBe(localView.chunkCount);
    expect(pgView.documentCount).toBe(localView.documentCount);
    expect(await termStatsDrift()).toBe(0);
  });
});

describe('incremental re-index', () => {
  let corpus: string;
  let store: PgVectorStore;

  beforeEach(async () => {
    await db.reset();
    corpus = seedCorpusCopy();
    store = storeFor(corpus);
    await store.open();
  });

  it('leaves unchanged documents untouched and embeds only what changed', async () => {
    const before = await query<{ source: string; row_id: string; indexed_at: string }>(
      'SELECT c.source, c.row_id::text, d.indexed_at::text FROM chunks c JOIN documents d USING (source) ORDER BY c.row_id',
    );
    const revision = (await store.view()).revision;
    const unchanged = await store.reindex();
    expect(unchanged.summary).toMatchObject({ added: 0, updated: 0, removed: 0, embedded: 0 });
    expect((await store.view()).revision).toBe(revision);

    const [victim, gone] = [...new Set(before.map((row) => row.source))];
    writeFileSync(join(corpus, victim!), `Tokyo and Seoul agreed on a new ferry line on 3 March 2026, officials said.\n`);
    rmSync(join(corpus, gone!));
    writeFileSync(join(corpus, 'added.txt'), 'Busan hosted a trade fair in April 2026 with exhibitors from Japan and South Korea.\n');
    const changed = await store.reindex();
    expect(changed.summary).toMatchObject({ added: 1, updated: 1, removed: 1, unchanged: 3, embedded: 2 });

    const after = await query<{ source: string; row_id: string; indexed_at: string }>(
      'SELECT c.source, c.row_id::text, d.indexed_at::text FROM chunks c JOIN documents d USING (source) ORDER BY c.row_id',
    );
    const untouched = before.filter((row) => row.source !== victim && row.source !== gone);
    expect(after.filter((row) => row.source !== victim && row.source !== 'added.txt')).toEqual(untouched);
    expect(after.some((row) => row.source === gone)).toBe(false);
    expect(await termStatsDrift()).toBe(0);

    const view = await store.view();
    expect(view.revision).not.toBe(revision);
    const { passages } = await view.search('When was the ferry line agreed?', { k: 3 });
    expect(passages[0]?.chunk.source).toBe(victim);
  });

  it('keeps the last committed state when the write fails before COMMIT', async () => {
    const revision = (await store.view()).revision;
    const documentsBefore = await query<{ source: string; content_hash: string }>('SELECT source, content_hash FROM documents ORDER BY source');
    writeFileSync(join(corpus, 'late.txt'), 'Osaka and Incheon opened a joint research centre in May 2026.\n');
    await expect(store.reindex({ beforeCommit: () => Promise.reject(new Error('disk full')) })).rejects.toThrow('disk full');
    expect(await query('SELECT source, content_hash FROM documents ORDER BY source')).toEqual(documentsBefore);
    expect((await store.view()).revision).toBe(revision);
    expect((await store.reindex()).summary.added).toBe(1);
  });

  it('rolls back a writer killed inside its transaction; the next run completes', async () => {
    // A separate store whose vectors come from the cheap hash embedder, so the child needs no word vectors.
    await db.reset();
    const hashCorpus = seedCorpusCopy();
    const hashStore = storeFor(hashCorpus, new HashEmbedder());
    await hashStore.open();
    const revision = (await hashStore.view()).revision;
    writeFileSync(join(hashCorpus, 'killed.txt'), 'Kobe and Daegu signed a sister-city agreement in June 2026.\n');
    const command = await nodeCommandFor(join(PROJECT_ROOT, 'test', 'pgvector', 'fixtures', 'write-child.ts'));
    try {
      const child = spawn(command.file, [...command.args, db.url, hashCorpus], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (data: Buffer) => data.toString().includes('holding') && resolve());
        child.on('exit', (code) => reject(new Error(`child exited (${code}) before its commit: ${stderr}`)));
      });
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));
    } finally {
      command.cleanup();
    }
    // The server rolls back the dead connection's transaction: nothing of killed.txt is visible.
    await expect.poll(async () => (await query<{ n: number }>("SELECT count(*)::int AS n FROM documents WHERE source = 'killed.txt'"))[0]?.n, { timeout: 10_000 }).toBe(0);
    expect((await hashStore.view()).revision).toBe(revision);
    const next = await hashStore.reindex();
    expect(next.summary).toMatchObject({ added: 1, embedded: 1 });
    expect(await termStatsDrift()).toBe(0);
  }, 30_000);
});

describe('re-index in proportion to the change (scan records, migration 004)', () => {
  let corpus: string;
  let store: PgVectorStore;
  const past = new Date(Date.now() - 3_600_000);

  beforeEach(async () => {
    await db.reset();
    corpus = seedCorpusCopy();
    // Files written a moment ago are read again by every scan (their records are not trusted yet): age them.
    for (const name of readdirSync(corpus)) utimesSync(join(corpus, name), past, past);
    store = storeFor(corpus);
    await store.open();
  });

  it('trusts an unchanged file (same size, mtime, inode) without reading it, and parses only what changed', async () => {
    expect(await query('SELECT source FROM documents WHERE scan IS NULL')).toEqual([]);
    const [trusted, edited] = readdirSync(corpus).sort();
    const stored = await query<{ body: string }>('SELECT body FROM documents WHERE source = $1', [trusted]);
    // Same length, same mtime, same inode, other bytes: a scan that read it would index the new text.
    const path = join(corpus, trusted!);
    const original = readFileSync(path);
    writeFileSync(path, Buffer.from(original.toString('latin1').replace(/[a-z]/g, 'x'), 'latin1'));
    utimesSync(path, past, past);
    writeFileSync(join(corpus, edited!), `${readFileSync(join(corpus, edited!), 'utf8')}\nTokyo and Seoul agreed on a new ferry line on 3 March 2026, officials said.\n`);

    const changed = await store.reindex();
    expect(changed.summary).toMatchObject({ added: 0, updated: 1, removed: 0, unchanged: 4 });
    expect(await query<{ body: string }>('SELECT body FROM documents WHERE source = $1', [trusted])).toEqual(stored);
    expect(await termStatsDrift()).toBe(0);
    const [state] = await query<{ chunk_count: number; actual: number }>('SELECT chunk_count, (SELECT count(*)::int FROM chunks) AS actual FROM store_state');
    expect(state?.chunk_count).toBe(state?.actual);
  });

  it('reads the stored text of re-used documents when the plan cuts them again (another chunker revision)', async () => {
    const before = await query<{ id: string; body: string }>('SELECT id, body FROM chunks ORDER BY id');
    await query('UPDATE store_state SET chunker_revision = 1');
    const again = await store.reindex();
    expect(again.summary).toMatchObject({ updated: 5, embedded: 0 });
    expect(await query<{ id: string; body: string }>('SELECT id, body FROM chunks ORDER BY id')).toEqual(before);
    expect(await termStatsDrift()).toBe(0);
  });
});

describe('embedder identity', () => {
  beforeEach(() => db.reset());

  it('stores the embedder id and dimension, re-embeds on a change, and refuses queries from a mismatched process', async () => {
    const corpus = seedCorpusCopy();
    const localStore = storeFor(corpus);
    await localStore.open();
    const hashStore = storeFor(corpus, new HashEmbedder());
    const view = await hashStore.open();
    expect(view.embedder).toEqual({ id: 'test:hash-bow-64', dimension: 64 });
    const [state] = await query<{ embedder_id: string; dimension: number }>('SELECT embedder_id, dimension FROM store_state');
    expect(state).toEqual({ embedder_id: 'test:hash-bow-64', dimension: 64 });
    const [column] = await query<{ type: string }>(
      "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'chunks'::regclass AND attname = 'embedding'",
    );
    expect(column?.type).toBe('vector(64)');
    const error = await localStore.view().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('EMBEDDER_MISMATCH');
    expect((error as CoreError).message).toMatch(/same EMBEDDINGS settings/);
  });
});

describe('several processes share one store', () => {
  let corpus: string;
  beforeEach(async () => {
    await db.reset();
    corpus = seedCorpusCopy();
  });

  it('a re-index by one process is seen by the next query of another', async () => {
    const first = storeFor(corpus);
    const second = storeFor(corpus);
    await Promise.all([first.open(), second.open()]);
    expect((await query<{ n: number }>('SELECT count(*)::int AS n FROM documents'))[0]?.n).toBe(5);
    const before = await second.view();
    writeFileSync(join(corpus, 'ferry.txt'), 'A hydrofoil service between Fukuoka and Busan resumed on 2 February 2026.\n');
    await first.reindex();
    const after = await second.view();
    expect(after.revision).not.toBe(before.revision);
    const { passages } = await after.search('When did the hydrofoil service resume?', { k: 3 });
    expect(passages[0]?.chunk.source).toBe('ferry.txt');
    expect(after.knows('hydrofoil')).toBe(true);
    expect(before.knows('hydrofoil')).toBe(false);
  });

  it('overlapping re-indexes from two processes are serialized: the change is written once', async () => {
    const first = storeFor(corpus);
    const second = storeFor(corpus);
    await Promise.all([first.open(), second.open()]);
    writeFileSync(join(corpus, 'rail.txt'), 'Engineers from Japan and South Korea studied an undersea rail tunnel in 2026.\n');
    const results = await Promise.allSettled([first.reindex(), second.reindex()]);
    const refused = results.filter((r) => r.status === 'rejected');
    for (const r of refused) expect((r.reason as CoreError).code).toBe('REINDEX_BUSY');
    // A real server refuses the second at once (session advisory lock); PGlite serves all connections from one
    // session, where the transaction-level lock still serializes the two writes.
    if (db.kind === 'postgres') expect(refused).toHaveLength(1);
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    expect(await query('SELECT source FROM documents WHERE source = $1', ['rail.txt'])).toHaveLength(1);
    const [counts] = await query<{ chunks: number; state: number }>('SELECT count(*)::int AS chunks, (SELECT chunk_count FROM store_state) AS state FROM chunks');
    expect(counts?.chunks).toBe(counts?.state);
    expect(await termStatsDrift()).toBe(0);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('refuses /reindex while another session holds the re-index lock (real PostgreSQL only)', async () => {
    const store = storeFor(corpus);
    await store.open();
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.reindex]);
      await expect(store.reindex()).rejects.toMatchObject({ code: 'REINDEX_BUSY' });
    } finally {
      await holder.end();
    }
    await expect(store.reindex()).resolves.toBeTruthy();
  });
});

describe('the bot services on STORE=pgvector', () => {
  let services: Services;
  let indexDir: string;
  let corpusDir: string;

  beforeAll(async () => {
    await db.reset();
    indexDir = tempDir('pg-services-');
    corpusDir = seedCorpusCopy();
    const config = testConfig({ corpusDir, indexDir, env: { STORE: 'pgvector', DATABASE_URL: db.url } });
    services = await createServices({ config, logger: captureLogger(), embedder: localEmbedder(), chat: null });
  }, 60_000);

  afterAll(async () => {
    await services?.close();
    removeDir(indexDir);
  });

  it('answers with verified citations, lists sources, builds the timeline and refuses what the corpus lacks', async () => {
    expect(services.store.kind).toBe('pgvector');
    const answer = await services.ask('What did Lee Jae-myung say about Japan?');
    expect(answer.refused).toBe(false);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(citationProblems(answer, await (await services.store.view()).documents())).toEqual([]);
    const refusal = await services.ask('What did the Zanzibar delegation sign in Nairobi?');
    expect(refusal.refused).toBe(true);
    const sources = await services.sources();
    expect(sources).toHaveLength(5);
    expect(sources.every((s) => s.chunks > 0 && s.indexedAt.endsWith('Z'))).toBe(true);
    const timeline = await services.timeline(['japan', 'korea']);
    expect(seedTimelineProblems(timeline)).toEqual([]);
    const documents = await (await services.store.view()).documents();
    for (const citation of timeline.events.flatMap((event) => event.citations)) {
      expect(isQuoteAt(documents.get(citation.source)?.text ?? '', citation.quote, citation.start, citation.end)).toBe(true);
    }
    const help = await services.help();
    expect(help).toMatchObject({ documents: 5, embedder: localEmbedder().id });
    // The local index directory is not used by this store.
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(indexDir)).toEqual([]);
  });

  it('keeps a PDF page starts, so citations carry the page', async () => {
    writeFileSync(join(corpusDir, 'quay.pdf'), await makePdf(QUAY_REPORT));
    expect((await services.reindex()).added).toBe(1);
    const answer = await services.ask('How much will the reconstruction of the hydrofoil terminal cost?');
    expect(answer.citations.find((c) => c.source === 'quay.pdf')?.page).toBe(2);
  });
});

describe('configuration', () => {
  const base = { ENTITIES_FILE: 'data/entities.json' };

  it('asks for DATABASE_URL when STORE=pgvector, and rejects a malformed one without echoing it', () => {
    expect(() => loadConfig({}, { ...base, STORE: 'pgvector' }, { dotenvPath: false })).toThrow(/STORE=pgvector needs DATABASE_URL/);
    let error: unknown;
    try {
      loadConfig({}, { ...base, DATABASE_URL: 'mysql://root:hunter22@db/x' }, { dotenvPath: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toMatch(/postgres:\/\//);
    expect(String((error as Error).message)).not.toMatch(/hunter22/);
  });

  it('treats the database password as a secret', () => {
    const config = loadConfig({}, { ...base, STORE: 'pgvector', DATABASE_URL: 'postgres://bot:s3cret-pass@127.0.0.1:5432/corpus' }, { dotenvPath: false });
    expect(config.store).toMatchObject({ kind: 'pgvector', poolSize: 5 });
    expect(secretsOf(config)).toContain('s3cret-pass');
  });
});
