// The measurements of `npm run bench`: indexing, incremental re-indexing, query latency, memory and disk of the
// local store on the synthetic corpus. Timings on a shared machine are noisy, so every figure comes with a
// baseline measured in the same run: re-index times as a share of the full build, HNSW search against exact
// brute-force search over the same vectors, and a fixed CPU workload (`calibration_ms`) to compare runs across
// machines. Each size runs its build and its query phase in fresh child processes (child.ts), so peak and
// resident memory belong to that phase alone.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import hnswlib from 'hnswlib-node';
import { setFlagsFromString } from 'node:v8';
import { createLocalEmbedder } from '../../src/app/embedders.js';
import { answerExtractively, type EvidenceModel } from '../../src/core/answer/extractive.js';
import { listGenerations, loadCurrentGeneration } from '../../src/stores/local/generations.js';
import { runLocalIndex, type IndexTiming } from '../../src/stores/local/indexer.js';
import type { IndexSnapshot } from '../../src/stores/local/snapshot.js';
import { LocalView } from '../../src/stores/local/view.js';
import { measureColdStart } from './cold.js';
import { CorpusGenerator, writeCorpus } from './corpus.js';
import type { BenchReport, PhaseSplit, SizeReport } from './report.js';
import { percentile, round } from './stats.js';

const CHILD_SCRIPT = join(import.meta.dirname, 'child.ts');
const DEFAULT_QUERIES = 200;
const DEFAULT_RSS_QUESTIONS = 10_000;
const K = 10;
const RETRIEVE_K = 5; // RETRIEVAL_K's default: what /ask retrieves

export interface BenchOptions {
  sizes: number[];
  queries?: number;
  /** Run each phase in a child process (clean memory figures). Off for the in-process smoke test. */
  isolate?: boolean;
  log?: (line: string) => void;
  command?: string;
  /** Distinct questions answered before reading the resident memory of a long-running bot (default 10,000). */
  rssQuestions?: number;
  /** Cold start of whole processes (`npm run ask`, `npm start` to READY), against `node -e 0`; off in-process. */
  cold?: { runs: number; before?: string };
}

interface BuildJob {
  corpusDir: string;
  indexDir: string;
  documents: number;
}

interface BuildResult {
  chunks: number;
  documents: number;
  build: IndexTiming;
  noop: IndexTiming;
  one: IndexTiming;
  oneEmbedded: number;
  oneExpected: number;
  oneDocChunks: number;
  addDocs: number;
  add: IndexTiming;
  addEmbedded: number;
  addExpected: number;
  /** maxRSS right after the full build, before any re-index. */
  buildPeakRssMb: number;
  peakRssMb: number;
}

async function buildPhase(job: BuildJob, log: (line: string) => void): Promise<BuildResult> {
  const embedder = createLocalEmbedder({ wordVectorsDir: undefined });
  const generator = new CorpusGenerator();
  // The serving process's snapshot, handed to re-indexes that run as the bot runs them (/reindex, /add).
  let serving: IndexSnapshot | undefined;
  const run = async (label: string, rebuild = false, fromServing = false) => {
    let timing: IndexTiming | undefined;
    let lastShown = 0;
    const result = await runLocalIndex({
      corpusDir: job.corpusDir,
      indexDir: job.indexDir,
      embedder,
      rebuild,
      ...(fromServing && serving ? { serving } : {}),
      onTiming: (t) => (timing = t),
      onProgress: (p) => {
        if (p.phase === 'embedding' && p.total > 5000 && p.done - lastShown >= 20_000) {
          lastShown = p.done;
          log(`  ${label}: embedded ${p.done}/${p.total}`);
        }
      },
    });
    if (!timing) throw new Error('runLocalIndex did not report its timing');
    log(`  ${label}: ${Math.round(timing.totalMs)} ms, ${result.summary.embedded} chunks embedded`);
    serving = result.snapshot;
    // Only the figures: the snapshot stays reachable through `serving` alone, until the next run replaces it.
    return { timing, embedded: result.summary.embedded, snapshot: () => serving! };
  };

  const full = await run('full build', true);
  // The build alone, before any re-index ran in this process.
  const buildPeakRssMb = process.resourceUsage().maxRSS / 1024;
  const built = { chunks: full.snapshot().chunks.length, documents: full.snapshot().documents.size };
  // As `npm run index` runs it: a new process, the previous generation read and verified from disk.
  const noop = await run('re-index, nothing changed (previous generation from disk)');

  // Change one sentence in the middle of one document.
  const victim = generator.document(Math.floor(job.documents / 2));
  const paragraphs = victim.text.split('\n\n');
  const middle = Math.floor(paragraphs.length / 2);
  paragraphs[middle] = `${paragraphs[middle] ?? ''} A revised estimate was published on Friday by the statistics office.`;
  writeFileSync(join(job.corpusDir, victim.source), paragraphs.join('\n\n'));
  // Only the keys of what is compared are kept: a whole snapshot held for it would count in the peak RSS.
  const victimBefore = chunkKeys(noop.snapshot(), new Set([victim.source]));
  // As the bot runs it (/reindex): the served, already verified snapshot is the starting point.
  const one = await run('re-index, 1 document changed (from the served snapshot)', false, true);
  const oneExpected = newChunks(victimBefore, one.snapshot(), new Set([victim.source]));
  const oneDocChunks = one.snapshot().chunks.filter((c) => c.source === victim.source).length;

  // Add 1 % new documents (another seed: new text, new names).
  const addDocs = Math.max(1, Math.ceil(job.documents / 100));
  const added = new Set<string>();
  for (let i = 0; i < addDocs; i++) {
    const doc = generator.document(i, 2);
    mkdirSync(dirname(join(job.corpusDir, doc.source)), { recursive: true });
    writeFileSync(join(job.corpusDir, doc.source), doc.text);
    added.add(doc.source);
  }
  const addedBefore = chunkKeys(one.snapshot(), added);
  const add = await run(`re-index, ${addDocs} documents added (from the served snapshot)`, false, true);
  const addExpected = newChunks(addedBefore, add.snapshot(), added);

  return {
    chunks: built.chunks,
    documents: built.documents,
    build: full.timing,
    noop: noop.timing,
    one: one.timing,
    oneEmbedded: one.embedded,
    oneExpected,
    oneDocChunks,
    addDocs,
    add: add.timing,
    addEmbedded: add.embedded,
    addExpected,
    buildPeakRssMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

function chunkKeys(snapshot: IndexSnapshot, sources: ReadonlySet<string>): Set<string> {
  return new Set(snapshot.chunks.filter((c) => sources.has(c.source)).map((c) => `${c.id}\0${c.text}`));
}

/** Chunks of `sources` in `after` whose (id, text) the previous snapshot did not hold: what must be embedded. */
function newChunks(old: ReadonlySet<string>, after: IndexSnapshot, sources: ReadonlySet<string>): number {
  return after.chunks.filter((c) => sources.has(c.source) && !old.has(`${c.id}\0${c.text}`)).length;
}

interface QueryJob {
  indexDir: string;
  questions: Array<{ question: string; source: string }>;
  /** Distinct questions answered after the latency loops, for the resident memory of a long-running bot. */
  rssQuestions: string[];
}

interface QueryResult {
  loadGenerationMs: number;
  loadKbMs: number;
  rssMb: number;
  rssAfterQueriesMb: number;
  rssAfterManyMb: number;
  heapAfterManyMb: number;
  rssAfterManyIdleMb: number;
  rssAfterLoadSettledMb: number;
  heapAfterLoadMb: number;
  manyQuestions: number;
  retrieve: number[];
  retrieveBrute: number[];
  answer: number[];
  hitAt5: number;
  hnsw: number[];
  brute: number[];
  native: number[];
  recallAt10: number;
}

async function queryPhase(job: QueryJob, log: (line: string) => void): Promise<QueryResult> {
  const embedder = createLocalEmbedder({ wordVectorsDir: undefined }); // loaded before timing: the bot has it before it opens the index
  gc();
  let t = performance.now();
  const snapshot = loadCurrentGeneration(job.indexDir);
  const loadGenerationMs = performance.now() - t;
  t = performance.now();
  const base = new LocalView(snapshot, embedder);
  const loadKbMs = performance.now() - t;
  gc();
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  const heapAfterLoadMb = process.memoryUsage().heapUsed / 2 ** 20;
  const rssAfterLoadSettledMb = await settledRssMb();
  log(`  load: generation ${Math.round(loadGenerationMs)} ms + knowledge base ${Math.round(loadKbMs)} ms, RSS ${Math.round(rssMb)} MB (settled ${Math.round(rssAfterLoadSettledMb)} MB)`);

  const evidence: EvidenceModel = { idf: (term) => base.bm25.idf(term), embed: (text) => embedder.embedValues(text), wordSimilarity: (a, b) => embedder.wordSimilarity(a, b) };
  const questions = job.questions.map((q) => q.question);
  // Warm-up: JIT and lazily built caches, as a bot that has served a few questions.
  for (const question of questions.slice(0, 10)) await base.retrieve(question, { k: RETRIEVE_K });

  // Retrieval alone, then the full extractive answer, in separate loops so neither pays for the other's garbage.
  const retrieve: number[] = [];
  let hits = 0;
  for (const [i, question] of questions.entries()) {
    t = performance.now();
    const passages = await base.retrieve(question, { k: RETRIEVE_K });
    retrieve.push(performance.now() - t);
    if (passages.some((p) => p.chunk.source === job.questions[i]?.source)) hits += 1;
  }
  const answer: number[] = [];
  for (const question of questions) {
    t = performance.now();
    const passages = await base.retrieve(question, { k: RETRIEVE_K });
    answerExtractively(question, passages, snapshot.documents, evidence);
    answer.push(performance.now() - t);
  }

  const rssAfterQueriesMb = process.memoryUsage().rss / 2 ** 20;
  // A long-running bot: many distinct questions, then resident memory after a full collection. Every cache on
  // the way (answer features, row terms) must be bounded for this to stay near the figure after load.
  for (const question of job.rssQuestions) {
    const passages = await base.retrieve(question, { k: RETRIEVE_K });
    answerExtractively(question, passages, snapshot.documents, evidence);
  }
  gc();
  const rssAfterManyMb = process.memoryUsage().rss / 2 ** 20;
  const heapAfterManyMb = process.memoryUsage().heapUsed / 2 ** 20;
  // V8 keeps the heap it grew during the burst until it is idle (its memory reducer then gives pages back), as a
  // bot is between questions: read again once settled, the same way as after load.
  const rssAfterManyIdleMb = await settledRssMb();
  log(`  RSS after ${job.rssQuestions.length} more questions: ${Math.round(rssAfterManyMb)} MB (heap in use ${Math.round(heapAfterManyMb)} MB), settled ${Math.round(rssAfterManyIdleMb)} MB`);

  // Vector search alone, HNSW against the exact scans, on the same query vectors.
  const vectors = questions.map((q) => embedder.embed(q));
  const exact = new BruteForce(snapshot);
  const hnsw: number[] = [];
  const brute: number[] = [];
  let recall = 0;
  // Each method in its own loop, after a warm-up: interleaved, every exact scan would evict the graph from cache.
  for (const vector of vectors.slice(0, 10)) base.vectorSearch(Array.from(vector), K);
  const approximate: Array<Set<number>> = [];
  for (const vector of vectors) {
    const query = Array.from(vector);
    t = performance.now();
    const found = base.vectorSearch(query, K);
    hnsw.push(performance.now() - t);
    approximate.push(new Set(found.map((h) => h.row)));
  }
  for (const vector of vectors.slice(0, 10)) exact.search(vector, K);
  for (const vector of vectors) {
    t = performance.now();
    exact.search(vector, K);
    brute.push(performance.now() - t);
  }
  // The like-for-like baseline: hnswlib's own exact search (native, same distance code as the graph) over the
  // same vectors. Its top 10 is the truth recall is measured against.
  const native = new hnswlib.BruteforceSearch('cosine', snapshot.embedder.dimension);
  native.initIndex(Math.max(1, snapshot.chunks.length));
  const d = snapshot.embedder.dimension;
  for (let row = 0; row < snapshot.chunks.length; row++) native.addPoint(Array.from(snapshot.vectors.subarray(row * d, (row + 1) * d)), row);
  const nativeTimes: number[] = [];
  const k = Math.min(K, snapshot.chunks.length);
  for (const vector of vectors.slice(0, 10)) native.searchKnn(Array.from(vector), k);
  for (const [i, vector] of vectors.entries()) {
    const query = Array.from(vector);
    t = performance.now();
    const truth = native.searchKnn(query, k);
    nativeTimes.push(performance.now() - t);
    recall += recallAt(K, truth.neighbors, approximate[i] ?? new Set());
  }

  // The whole retrieval again with the exact scan in place of the graph: what the index saves end to end.
  const exactBase = Object.create(base) as LocalView;
  exactBase.vectorSearch = (query, limit, accept) => exact.searchScored(Float32Array.from(query), limit, accept);
  const retrieveBrute: number[] = [];
  for (const question of questions.slice(0, 10)) await exactBase.retrieve(question, { k: RETRIEVE_K }); // warm-up
  for (const question of questions) {
    t = performance.now();
    await exactBase.retrieve(question, { k: RETRIEVE_K });
    retrieveBrute.push(performance.now() - t);
  }

  return {
    loadGenerationMs,
    loadKbMs,
    rssMb,
    rssAfterQueriesMb,
    rssAfterManyMb,
    heapAfterManyMb,
    rssAfterManyIdleMb,
    rssAfterLoadSettledMb,
    heapAfterLoadMb,
    manyQuestions: job.rssQuestions.length,
    retrieve,
    retrieveBrute,
    answer,
    hitAt5: hits / Math.max(1, questions.length),
    hnsw,
    brute,
    native: nativeTimes,
    recallAt10: recall / Math.max(1, vectors.length),
  };
}

/** Share of the exact top-k (`truth`, best first) that an approximate search found. */
export function recallAt(k: number, truth: readonly number[], found: ReadonlySet<number>): number {
  const relevant = truth.slice(0, k);
  if (relevant.length === 0) return 1;
  return relevant.filter((row) => found.has(row)).length / relevant.length;
}

/** Exact cosine top-k over the snapshot's Float32Array: the baseline the graph is measured against. */
class BruteForce {
  private readonly inverseNorms: Float32Array;
  private readonly d: number;
  private readonly rows: number;

  constructor(private readonly snapshot: IndexSnapshot) {
    this.d = snapshot.embedder.dimension;
    this.rows = snapshot.chunks.length;
    this.inverseNorms = new Float32Array(this.rows);
    const v = snapshot.vectors;
    for (let r = 0; r < this.rows; r++) {
      let n = 0;
      for (let i = r * this.d, end = i + this.d; i < end; i++) n += (v[i] as number) * (v[i] as number);
      this.inverseNorms[r] = n > 0 ? 1 / Math.sqrt(n) : 0;
    }
  }

  search(query: Float32Array, k: number): number[] {
    return this.searchScored(query, k).map((h) => h.row);
  }

  searchScored(query: Float32Array, k: number, accept?: (row: number) => boolean): Array<{ row: number; similarity: number }> {
    const { d, rows } = this;
    const v = this.snapshot.vectors;
    let qn = 0;
    for (let i = 0; i < d; i++) qn += (query[i] as number) ** 2;
    const qi = qn > 0 ? 1 / Math.sqrt(qn) : 0;
    // Bounded min-heap-free top-k: k is small, an insertion into a sorted array is cheaper than a heap here.
    const bestRows: number[] = [];
    const bestScores: number[] = [];
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      const offset = r * d;
      for (let i = 0; i < d; i++) dot += (v[offset + i] as number) * (query[i] as number);
      const score = dot * (this.inverseNorms[r] as number) * qi;
      if (bestScores.length === k && score <= (bestScores[k - 1] as number)) continue;
      if (accept && !accept(r)) continue;
      let at = bestScores.length;
      while (at > 0 && (bestScores[at - 1] as number) < score) at--;
      bestScores.splice(at, 0, score);
      bestRows.splice(at, 0, r);
      if (bestScores.length > k) {
        bestScores.pop();
        bestRows.pop();
      }
    }
    return bestRows.map((row, i) => ({ row, similarity: bestScores[i] as number }));
  }
}

/**
 * Resident memory once the process has been idle: a full collection every 500 ms until RSS has not fallen for
 * three readings in a row (V8's memory reducer returns pages some seconds after work stops), at most 20 s.
 */
async function settledRssMb(): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  let steady = 0;
  for (let i = 0; i < 40 && steady < 3; i++) {
    await new Promise((resolveIdle) => setTimeout(resolveIdle, 500));
    gc();
    const rss = process.memoryUsage().rss / 2 ** 20;
    if (rss < lowest - 1) {
      lowest = rss;
      steady = 0;
    } else steady += 1;
  }
  return Math.min(lowest, process.memoryUsage().rss / 2 ** 20);
}

let gcFunction: (() => void) | null = null;
/** Full collection before reading RSS, without needing `--expose-gc` on the command line. */
function gc(): void {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  gcFunction();
}

async function inChild<T>(phase: 'build' | 'query', job: object, workDir: string): Promise<T> {
  const jobPath = join(workDir, `${phase}-job.json`);
  const resultPath = join(workDir, `${phase}-result.json`);
  writeFileSync(jobPath, JSON.stringify(job));
  // Same node and loader flags (tsx) as this process.
  const child = spawn(process.execPath, [...process.execArgv, CHILD_SCRIPT, phase, jobPath, resultPath], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
  if (code !== 0) throw new Error(`${phase} phase exited with code ${code}`);
  return JSON.parse(readFileSync(resultPath, 'utf8')) as T;
}

/** One phase in this process, as child.ts runs it: reads the job file, writes the result file. */
export async function runPhase(phase: string, jobPath: string, resultPath: string): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const job = JSON.parse(readFileSync(jobPath, 'utf8')) as BuildJob & QueryJob;
  const result = phase === 'build' ? await buildPhase(job, log) : await queryPhase(job, log);
  writeFileSync(resultPath, JSON.stringify(result));
}

/** Bytes under `dir`, a file hard-linked under several names (segments shared by generations) counted once. */
function directorySize(dir: string, seen = new Set<number>()): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      total += directorySize(path, seen);
      continue;
    }
    const stat = statSync(path);
    if (seen.has(stat.ino)) continue;
    seen.add(stat.ino);
    total += stat.size;
  }
  return total;
}

/** A fixed CPU workload (hashing and float arithmetic), so figures from different runs can be put side by side. */
function calibrate(): number {
  const started = performance.now();
  const bytes = new Uint8Array(32 * 2 ** 20).fill(7);
  createHash('sha256').update(bytes).digest();
  const a = new Float32Array(100_000).fill(0.5);
  let sum = 0;
  for (let round = 0; round < 50; round++) for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (a[(i * 7) % a.length] as number);
  if (sum < 0) throw new Error('unreachable');
  return performance.now() - started;
}

const split = (t: IndexTiming): PhaseSplit => ({
  scan_ms: round(t.scanMs, 0),
  chunk_ms: round(t.chunkMs, 0),
  embed_ms: round(t.embedMs, 0),
  graph_ms: round(t.graphMs, 0),
  keywords_ms: round(t.keywordsMs ?? 0, 0),
  write_ms: round(t.writeMs, 0),
  previous_ms: round(t.previousMs, 0),
});

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const queries = options.queries ?? DEFAULT_QUERIES;
  const isolate = options.isolate ?? true;
  const generator = new CorpusGenerator();
  const reports: SizeReport[] = [];
  const calibrationMs = calibrate();
  for (const size of options.sizes) {
    const workDir = mkdtempSync(join(tmpdir(), `bench-${size}-`));
    try {
      const corpusDir = join(workDir, 'corpus');
      const indexDir = join(workDir, 'index');
      log(`size ${size}: writing the synthetic corpus`);
      const rssQuestions = options.rssQuestions ?? DEFAULT_RSS_QUESTIONS;
      const corpus = writeCorpus(generator, corpusDir, size, queries + rssQuestions);
      log(`  ${corpus.documents} documents, ${(corpus.bytes / 2 ** 20).toFixed(1)} MB`);
      // A corpus is rarely indexed the instant it is written: files changed within the last 2 s are read again on
      // every scan (their timestamps cannot be trusted yet), which would hide what the scan records save.
      await new Promise((wait) => setTimeout(wait, 2100));
      const buildJob: BuildJob = { corpusDir, indexDir, documents: corpus.documents };
      const build = isolate ? await inChild<BuildResult>('build', buildJob, workDir) : await buildPhase(buildJob, log);
      const current = listGenerations(indexDir)[0];
      const diskMb = current ? directorySize(join(indexDir, current)) / 2 ** 20 : 0;
      const queryJob: QueryJob = {
        indexDir,
        questions: corpus.questions.slice(0, queries),
        // Distinct phrasings: the same few questions again would only measure a warm cache.
        rssQuestions: corpus.questions.slice(queries).map((q, i) => `${q.question} (${i})`),
      };
      const q = isolate ? await inChild<QueryResult>('query', queryJob, workDir) : await queryPhase(queryJob, log);
      const buildMs = build.build.totalMs;
      reports.push({
        target_chunks: size,
        chunks: build.chunks,
        documents: build.documents,
        corpus_mb: round(corpus.bytes / 2 ** 20, 1),
        build_ms: round(buildMs, 0),
        build_docs_per_s: round(build.documents / (buildMs / 1000), 0),
        build_chunks_per_s: round(build.chunks / (buildMs / 1000), 0),
        build_split: split(build.build),
        reindex_noop_ms: round(build.noop.totalMs, 0),
        reindex_noop_ratio: round(build.noop.totalMs / buildMs, 4),
        reindex_one_ms: round(build.one.totalMs, 0),
        reindex_one_ratio: round(build.one.totalMs / buildMs, 4),
        reindex_one_embedded: build.oneEmbedded,
        reindex_one_expected: build.oneExpected,
        reindex_one_doc_chunks: build.oneDocChunks,
        reindex_one_split: split(build.one),
        reindex_add_docs: build.addDocs,
        reindex_add_ms: round(build.add.totalMs, 0),
        reindex_add_ratio: round(build.add.totalMs / buildMs, 4),
        reindex_add_embedded: build.addEmbedded,
        reindex_add_expected: build.addExpected,
        reindex_add_split: split(build.add),
        peak_rss_mb: round(build.peakRssMb, 0),
        build_peak_rss_mb: round(build.buildPeakRssMb, 0),
        disk_mb: round(diskMb, 1),
        disk_total_mb: round(directorySize(indexDir) / 2 ** 20, 1),
        load_ms: round(q.loadGenerationMs + q.loadKbMs, 0),
        load_generation_ms: round(q.loadGenerationMs, 0),
        load_kb_ms: round(q.loadKbMs, 0),
        rss_mb: round(q.rssMb, 0),
        rss_after_queries_mb: round(q.rssAfterQueriesMb, 0),
        rss_after_many_mb: round(q.rssAfterManyMb, 0),
        rss_after_many_idle_mb: round(q.rssAfterManyIdleMb, 0),
        rss_after_load_settled_mb: round(q.rssAfterLoadSettledMb, 0),
        heap_after_load_mb: round(q.heapAfterLoadMb, 0),
        heap_after_many_mb: round(q.heapAfterManyMb, 0),
        rss_many_questions: q.manyQuestions,
        queries: q.retrieve.length,
        query_p50_ms: round(percentile(q.retrieve, 50)),
        query_p95_ms: round(percentile(q.retrieve, 95)),
        query_p99_ms: round(percentile(q.retrieve, 99)),
        query_brute_p95_ms: round(percentile(q.retrieveBrute, 95)),
        answer_p50_ms: round(percentile(q.answer, 50)),
        answer_p95_ms: round(percentile(q.answer, 95)),
        answer_p99_ms: round(percentile(q.answer, 99)),
        hit_at_5: round(q.hitAt5, 3),
        hnsw_p50_ms: round(percentile(q.hnsw, 50), 3),
        hnsw_p95_ms: round(percentile(q.hnsw, 95), 3),
        hnsw_p99_ms: round(percentile(q.hnsw, 99), 3),
        brute_p50_ms: round(percentile(q.brute, 50), 3),
        brute_p95_ms: round(percentile(q.brute, 95), 3),
        brute_p99_ms: round(percentile(q.brute, 99), 3),
        hnsw_over_brute_p95: round(percentile(q.hnsw, 95) / percentile(q.brute, 95), 4),
        brute_speedup_p95: round(percentile(q.brute, 95) / percentile(q.hnsw, 95), 1),
        native_p50_ms: round(percentile(q.native, 50), 3),
        native_p95_ms: round(percentile(q.native, 95), 3),
        native_p99_ms: round(percentile(q.native, 99), 3),
        native_speedup_p95: round(percentile(q.native, 95) / percentile(q.hnsw, 95), 1),
        recall_at_10: round(q.recallAt10, 4),
      });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  const cold = options.cold ? await measureColdStart({ ...options.cold, log }) : undefined;
  return {
    ...(cold ? { cold } : {}),
    machine: {
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? 'unknown',
      memory_gb: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      calibration_ms: round(calibrationMs, 0),
      date: new Date().toISOString(),
    },
    command: options.command ?? `npm run bench -- --sizes ${options.sizes.join(',')}`,
    sizes: reports,
  };
}

