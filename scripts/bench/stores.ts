// npm run bench -- --store pgvector [--sizes 10000,100000] [--queries 200] [--database-url URL] [--stores local,pgvector] [--json]
// The PostgreSQL + pgvector store against the embedded store on the same synthetic corpus, in the same run:
// full build, query latency through the one retrieval contract both implement (CorpusView.search, query
// embedding included), top-5 hit rate, and re-index of one changed document. Without --database-url (or
// DATABASE_URL in the configuration), PGlite + pgvector runs in a child process on 127.0.0.1 (WebAssembly, one
// core). For pgvector it also measures the HNSW scan's recall@10 against exact search, prints the plan's index
// scans, and times a --rebuild while another process (bench/pg-readers.ts) asks questions. `--stores pgvector`
// measures PostgreSQL alone (a size the embedded store is not to be built at).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLocalEmbedder } from '../../src/app/embedders.js';
import { createCorpusStore } from '../../src/app/stores.js';
import { loadConfig } from '../../src/config.js';
import type { CorpusStore } from '../../src/core/corpus.js';
import type { Logger } from '../../src/core/types.js';
import { dropStoreTables } from '../../src/stores/pgvector/migrate.js';
import { vectorLiteral } from '../../src/stores/pgvector/rows.js';
import { PgVectorStore } from '../../src/stores/pgvector/store.js';
import { efSearchFor } from '../../src/core/retrieve/fusion.js';
import { analyzeQuery } from '../../src/core/retrieve/query.js';
import type { Embedder } from '../../src/core/types.js';
import { CorpusGenerator, writeCorpus } from './corpus.js';
import { percentile, round } from './stats.js';

export interface StoreFigures {
  store: 'local' | 'pgvector';
  build_ms: number;
  query_p50_ms: number;
  query_p95_ms: number;
  hit_at_5: number;
  reindex_one_ms: number;
  reindex_one_ratio: number;
  reindex_one_embedded: number;
  /** The longest the bench process's event loop went without a turn during that re-index (the bot's replies wait as long). */
  reindex_one_longest_stall_ms: number;
  /** pgvector: top-10 of the HNSW index scan (ef_search as the store sets it) against exact search, mean over queries. */
  vector_recall_at_10?: number;
  /** pgvector: the hnsw.ef_search the store uses at this size. */
  ef_search?: number;
  /** pgvector: the index scans in the plan PostgreSQL chose for the first question's candidate statement. */
  plan_index_scans?: string[];
  /** pgvector: a second full build (--rebuild) while queries run, and the longest any of them took meanwhile. */
  rebuild_ms?: number;
  rebuild_queries?: number;
  rebuild_max_query_ms?: number;
}

export interface StoreComparison {
  target_chunks: number;
  chunks: number;
  documents: number;
  server: string;
  stores: StoreFigures[];
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export async function compareStores(options: {
  sizes: number[];
  queries: number;
  databaseUrl?: string;
  /** Which stores to measure (default both). */
  stores?: ReadonlyArray<StoreFigures['store']>;
  log: (line: string) => void;
}): Promise<StoreComparison[]> {
  const measured = options.stores ?? ['local', 'pgvector'];
  const { log } = options;
  const embedder = createLocalEmbedder({ wordVectorsDir: undefined });
  const server = options.databaseUrl ? null : await startPgliteChild();
  const databaseUrl = options.databaseUrl ?? server?.url ?? '';
  const results: StoreComparison[] = [];
  try {
    for (const size of options.sizes) {
      const workDir = mkdtempSync(join(tmpdir(), `bench-stores-${size}-`));
      try {
        const corpusDir = join(workDir, 'corpus');
        log(`size ${size}: writing the synthetic corpus`);
        const corpus = writeCorpus(new CorpusGenerator(), corpusDir, size, options.queries);
        await dropStoreTables(databaseUrl);
        // Each store as the composition root makes it for STORE=local / STORE=pgvector.
        const configFor = (kind: StoreFigures['store']) =>
          loadConfig({ corpusDir, indexDir: join(workDir, 'index') }, { STORE: kind, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '4' }, { dotenvPath: false });
        const stores: Array<[StoreFigures['store'], CorpusStore]> = [];
        for (const kind of measured) stores.push([kind, await createCorpusStore(configFor(kind), embedder, quiet)]);
        const figures: StoreFigures[] = [];
        let chunks = 0;
        const victim = corpus.questions[0]?.source ?? '';
        for (const [name, store] of stores) {
          await store.prepare();
          let started = performance.now();
          const built = await store.reindex({ rebuild: true });
          const buildMs = performance.now() - started;
          chunks = built.summary.chunks;
          log(`  ${name}: full build ${Math.round(buildMs)} ms (${chunks} chunks)`);
          await store.open();
          const view = await store.view();
          for (const { question } of corpus.questions.slice(0, 20)) await view.search(question, { k: 5 }); // warm-up
          const latencies: number[] = [];
          let hits = 0;
          for (const { question, source } of corpus.questions) {
            started = performance.now();
            const { passages } = await view.search(question, { k: 5 });
            latencies.push(performance.now() - started);
            if (passages.some((p) => p.chunk.source === source)) hits += 1;
          }
          const extra = store instanceof PgVectorStore ? await pgFigures(store, databaseUrl, embedder, corpus.questions.map((q) => q.question), log) : {};
          // The same one-sentence edit for both stores, reverted afterwards so the second store sees the same corpus.
          const path = join(corpusDir, victim);
          const original = readFileSync(path, 'utf8');
          writeFileSync(path, `${original}\nA revised estimate was published on Friday by the statistics office.\n`);
          started = performance.now();
          const { value: one, stallMs } = await longestStall(() => store.reindex());
          const oneMs = performance.now() - started;
          writeFileSync(path, original);
          log(`  ${name}: query p95 ${percentile(latencies, 95).toFixed(1)} ms, re-index of one document ${Math.round(oneMs)} ms`);
          figures.push({
            store: name,
            build_ms: Math.round(buildMs),
            query_p50_ms: round(percentile(latencies, 50)),
            query_p95_ms: round(percentile(latencies, 95)),
            hit_at_5: round(hits / corpus.questions.length, 3),
            reindex_one_ms: Math.round(oneMs),
            reindex_one_ratio: round(oneMs / buildMs, 4),
            reindex_one_embedded: one.summary.embedded,
            reindex_one_longest_stall_ms: Math.round(stallMs),
            ...extra,
          });
          await store.close();
        }
        results.push({ target_chunks: size, chunks, documents: corpus.documents, server: server ? 'PGlite (WASM) in a child process' : 'PostgreSQL at --database-url', stores: figures });
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    }
  } finally {
    server?.child.kill('SIGTERM');
  }
  return results;
}

export function formatComparison(results: readonly StoreComparison[]): string {
  const lines = [];
  for (const result of results) {
    lines.push(`${result.chunks} chunks (${result.documents} documents), pgvector on ${result.server}`);
    lines.push(`  ${'store'.padEnd(10)}${'build'.padStart(10)}${'query p50'.padStart(12)}${'query p95'.padStart(12)}${'hit@5'.padStart(8)}${'re-index 1 doc'.padStart(24)}`);
    for (const s of result.stores) {
      const reindex = `${s.reindex_one_ms} ms (${(s.reindex_one_ratio * 100).toFixed(1)} %)`;
      lines.push(
        `  ${s.store.padEnd(10)}${`${(s.build_ms / 1000).toFixed(1)} s`.padStart(10)}${`${s.query_p50_ms} ms`.padStart(12)}${`${s.query_p95_ms} ms`.padStart(12)}${s.hit_at_5.toFixed(3).padStart(8)}${reindex.padStart(24)}`,
      );
    }
    for (const s of result.stores) {
      if (s.vector_recall_at_10 === undefined) continue;
      lines.push(`  ${s.store}: vector recall@10 ${s.vector_recall_at_10.toFixed(3)} vs exact (ef_search ${s.ef_search}); plan: ${(s.plan_index_scans ?? []).join(', ')}`);
      lines.push(`  ${s.store}: --rebuild ${((s.rebuild_ms ?? 0) / 1000).toFixed(1)} s, ${s.rebuild_queries} queries meanwhile, longest ${s.rebuild_max_query_ms} ms`);
    }
    for (const s of result.stores) lines.push(`  ${s.store}: re-index of one document held the event loop at most ${s.reindex_one_longest_stall_ms} ms at a time`);
    const local = result.stores.find((s) => s.store === 'local');
    const remote = result.stores.find((s) => s.store === 'pgvector');
    if (local && remote) lines.push(`  pgvector / local: query p95 ×${(remote.query_p95_ms / local.query_p95_ms).toFixed(1)}, re-index of one document ×${(remote.reindex_one_ms / local.reindex_one_ms).toFixed(2)}`);
  }
  return lines.join('\n');
}

/**
 * The longest the event loop went without a turn while `work` ran: the largest gap between ticks of a 5 ms timer,
 * the gap up to the end included.
 */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    const value = await work();
    longest = Math.max(longest, performance.now() - last);
    return { value, stallMs: longest };
  } finally {
    clearInterval(timer);
  }
}

const RECALL_QUERIES = 100;

/** What only the PostgreSQL store is measured for: its vector index's recall, its plans, and readers during a rebuild. */
async function pgFigures(store: PgVectorStore, databaseUrl: string, embedder: Embedder, questions: readonly string[], log: (line: string) => void): Promise<Partial<StoreFigures>> {
  const view = await store.view();
  // Recall@10 of the HNSW scan against an exact scan (index scans priced out) for the same query vectors.
  let recall = 0;
  const sample = questions.slice(0, RECALL_QUERIES);
  const client = await store.pool.connect();
  let planIndexScans: string[] = [];
  try {
    for (const question of sample) {
      const vector = vectorLiteral(await embedder.embedQuery(question));
      const nearest = async (exact: boolean) => {
        await client.query(`BEGIN; SET LOCAL jit = off; SET LOCAL hnsw.ef_search = ${efSearchFor(view.chunkCount)}${exact ? '; SET LOCAL enable_indexscan = off' : ''}`);
        const { rows } = await client.query<{ row_id: string }>('SELECT row_id::text AS row_id FROM chunks ORDER BY embedding <=> $1::vector LIMIT 10', [vector]);
        await client.query('COMMIT');
        return rows.map((row) => row.row_id);
      };
      const approximate = new Set(await nearest(false));
      const exact = await nearest(true);
      recall += exact.filter((row) => approximate.has(row)).length / Math.max(1, exact.length);
    }
    const first = questions[0] ?? '';
    const { begin, text, values } = view.candidateQuery(analyzeQuery(first).terms, vectorLiteral(await embedder.embedQuery(first)), { k: 5 });
    await client.query(begin);
    const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${text}`, values);
    await client.query('ROLLBACK');
    const plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
    planIndexScans = plan ? indexScansOf(plan) : [];
  } finally {
    client.release();
  }
  log(`  pgvector: vector recall@10 ${(recall / sample.length).toFixed(3)} (ef_search ${efSearchFor(view.chunkCount)}); plan: ${planIndexScans.join(', ')}`);

  // A full rebuild while another process asks the same questions in a loop.
  const readers = await startReaders(databaseUrl, questions);
  const started = performance.now();
  let readerFigures: { queries: number; max_ms: number; p95_ms: number };
  try {
    await store.reindex({ rebuild: true });
  } finally {
    readerFigures = await readers.stop();
  }
  const rebuildMs = performance.now() - started;
  log(`  pgvector: rebuild ${Math.round(rebuildMs)} ms with ${readerFigures.queries} queries meanwhile (another process), longest ${readerFigures.max_ms} ms`);
  return {
    vector_recall_at_10: round(recall / sample.length, 3),
    ef_search: efSearchFor(view.chunkCount),
    plan_index_scans: planIndexScans,
    rebuild_ms: Math.round(rebuildMs),
    rebuild_queries: readerFigures.queries,
    rebuild_max_query_ms: readerFigures.max_ms,
  };
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function indexScansOf(plan: PlanNode): string[] {
  const here = plan['Index Name'] ? [`${plan['Node Type']} on ${plan['Index Name']}`] : [];
  return [...here, ...(plan.Plans ?? []).flatMap(indexScansOf)];
}

/** scripts/bench/pg-readers.ts in its own process, asking until stop() closes its stdin; resolves once it has answered one. */
async function startReaders(databaseUrl: string, questions: readonly string[]) {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-readers-')), 'questions.json');
  writeFileSync(file, JSON.stringify(questions));
  const script = join(import.meta.dirname, 'pg-readers.ts');
  const child = spawn(process.execPath, [...process.execArgv, script, databaseUrl, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const exited = new Promise<void>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg-readers exited with code ${code}`)))));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      out += data.toString();
      if (out.startsWith('ready\n')) resolve();
    });
    exited.catch(reject);
  });
  return {
    async stop(): Promise<{ queries: number; max_ms: number; p95_ms: number }> {
      child.stdin?.end();
      await exited;
      rmSync(dirname(file), { recursive: true, force: true });
      return JSON.parse(out.trim().split('\n').pop() ?? '{}') as { queries: number; max_ms: number; p95_ms: number };
    },
  };
}

/** PGlite in its own process (as a database server would be), on a free port of 127.0.0.1. */
async function startPgliteChild(): Promise<{ url: string; child: ChildProcess }> {
  const script = join(import.meta.dirname, '..', 'pglite-server.ts');
  const child = spawn(process.execPath, [...process.execArgv, script, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (data: Buffer) => {
      out += data.toString();
      const match = /DATABASE_URL=(\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`PGlite server exited with code ${code}`)));
  });
  return { url, child };
}

