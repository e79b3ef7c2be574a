// npm run bench [-- --sizes 1000,10000,100000] [--queries 200] [--json] [--svg FILE]
//           [-- --store pgvector [--database-url URL]]  (the pgvector store against the local one: bench-stores.ts)
// Speed and scale of indexing and querying on a synthetic news corpus. Timings on a shared machine are noisy,
// so every figure comes with a baseline measured in the same run: re-index times as a share of the full build,
// HNSW search against exact brute-force search over the same vectors, and a fixed CPU workload (`calibration_ms`)
// to compare runs across machines. Each size runs its build and its query phase in fresh child processes, so
// peak and resident memory belong to that phase alone. Human mode: table on stdout, progress on stderr.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { createLocalEmbedder, defaultWordVectorsDir } from '../src/app/embedders.js';
import { loadConfig } from '../src/config.js';
import { answerExtractively, type EvidenceModel } from '../src/core/answer/extractive.js';
import { chunkDocument } from '../src/core/chunk/chunker.js';
import { runIndex, type IndexTiming } from '../src/core/index/build.js';
import type { IndexSnapshot } from '../src/core/index/snapshot.js';
import { listGenerations, loadCurrentGeneration } from '../src/core/index/store.js';
import { KnowledgeBase } from '../src/core/retrieve/knowledge-base.js';
import { STOP_WORDS } from '../src/core/text/tokens.js';

const SCRIPT = fileURLToPath(import.meta.url);
const DEFAULT_SIZES = [1000, 10000];
const DEFAULT_QUERIES = 200;
const K = 10;
const RETRIEVE_K = 5; // RETRIEVAL_K's default: what /ask retrieves

// ---------------------------------------------------------------------------------------------------------
// Report shape

export interface PhaseSplit {
  scan_ms: number;
  chunk_ms: number;
  embed_ms: number;
  graph_ms: number;
  write_ms: number;
  previous_ms: number;
}

export interface SizeReport {
  target_chunks: number;
  chunks: number;
  documents: number;
  corpus_mb: number;
  build_ms: number;
  build_docs_per_s: number;
  build_chunks_per_s: number;
  build_split: PhaseSplit;
  reindex_noop_ms: number;
  reindex_noop_ratio: number;
  reindex_one_ms: number;
  reindex_one_ratio: number;
  reindex_one_embedded: number;
  reindex_one_expected: number;
  reindex_one_doc_chunks: number;
  reindex_one_split: PhaseSplit;
  reindex_add_docs: number;
  reindex_add_ms: number;
  reindex_add_ratio: number;
  reindex_add_embedded: number;
  reindex_add_expected: number;
  peak_rss_mb: number;
  disk_mb: number;
  disk_total_mb: number;
  load_ms: number;
  load_generation_ms: number;
  load_kb_ms: number;
  rss_mb: number;
  rss_after_queries_mb: number;
  queries: number;
  query_p50_ms: number;
  query_p95_ms: number;
  query_p99_ms: number;
  query_brute_p95_ms: number;
  answer_p50_ms: number;
  answer_p95_ms: number;
  answer_p99_ms: number;
  hit_at_5: number;
  hnsw_p50_ms: number;
  hnsw_p95_ms: number;
  hnsw_p99_ms: number;
  brute_p50_ms: number;
  brute_p95_ms: number;
  brute_p99_ms: number;
  hnsw_over_brute_p95: number;
  brute_speedup_p95: number;
  recall_at_10: number;
}

export interface BenchReport {
  machine: { cpus: number; cpu_model: string; memory_gb: number; node: string; platform: string; calibration_ms: number; date: string };
  command: string;
  sizes: SizeReport[];
}

export interface BenchOptions {
  sizes: number[];
  queries?: number;
  /** Run each phase in a child process (clean memory figures). Off for the in-process smoke test. */
  isolate?: boolean;
  log?: (line: string) => void;
  command?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Deterministic synthetic corpus

/** Small, fast, seeded PRNG (mulberry32): the same seed gives the same corpus on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  /** Index in [0, n) with p(r) ∝ 1/(r+1): word frequencies in text follow Zipf's law. */
  zipf(n: number): number {
    return Math.min(n - 1, Math.floor(Math.exp(this.next() * Math.log(n + 1))) - 1);
  }
}

const FIRST = ['Akira', 'Min-jun', 'Sofia', 'Daniel', 'Yuki', 'Ji-woo', 'Maria', 'Ahmed', 'Elena', 'Kenji', 'Hana', 'Lucas', 'Priya', 'Omar', 'Chloe', 'Hiroshi', 'Seo-yeon', 'Mateo', 'Aisha', 'Noah', 'Ingrid', 'Tomas', 'Leila', 'Ravi', 'Grace', 'Felix', 'Amara', 'Jonas', 'Mei', 'Carlos', 'Nadia', 'Victor', 'Keiko', 'Samuel', 'Lina', 'Hugo', 'Yara', 'Ethan', 'Sakura', 'Pavel'];
const LAST = ['Tanaka', 'Kim', 'Rossi', 'Novak', 'Sato', 'Park', 'Garcia', 'Haddad', 'Petrova', 'Yamamoto', 'Lee', 'Fischer', 'Sharma', 'Farouk', 'Martin', 'Suzuki', 'Choi', 'Lopez', 'Okafor', 'Schmidt', 'Larsen', 'Dvorak', 'Rahimi', 'Iyer', 'Walsh', 'Brandt', 'Mensah', 'Berg', 'Wong', 'Silva', 'Kovac', 'Moreau', 'Ito', 'Adeyemi', 'Nakamura', 'Jung', 'Costa', 'Weber', 'Kato', 'Hansen', 'Dubois', 'Mendes', 'Takahashi', 'Yoon', 'Russo', 'Khan', 'Olsen', 'Varga', 'Abe', 'Cruz'];
const PLACES = ['Tokyo', 'Seoul', 'Osaka', 'Busan', 'Beijing', 'Washington', 'Brussels', 'Geneva', 'Jakarta', 'Manila', 'Hanoi', 'Bangkok', 'Singapore', 'Sydney', 'Canberra', 'Ottawa', 'Berlin', 'Paris', 'Madrid', 'Rome', 'Warsaw', 'Nairobi', 'Lagos', 'Cairo', 'Dubai', 'Delhi', 'Mumbai', 'Karachi', 'Tehran', 'Ankara', 'Athens', 'Lisbon', 'Dublin', 'Oslo', 'Helsinki', 'Vienna', 'Prague', 'Budapest', 'Lima', 'Santiago', 'Bogota', 'Quito', 'Havana', 'Montreal', 'Vancouver', 'Auckland', 'Taipei', 'Sapporo', 'Incheon', 'Fukuoka'];
const ORGS = ['Finance Ministry', 'Trade Ministry', 'central bank', 'Energy Agency', 'Health Ministry', 'port authority', 'transport board', 'defence ministry', 'national railway', 'statistics office', 'environment agency', 'fisheries council', 'space agency', 'coast guard', 'audit board', 'labour union', 'chamber of commerce', 'water authority', 'housing board', 'science council'];
const TITLES = ['Minister', 'Governor', 'Mayor', 'spokesperson', 'chief executive', 'director', 'senator', 'ambassador', 'chairwoman', 'chairman', 'commissioner', 'deputy minister'];
const VERBS = ['allocate', 'invest', 'spend', 'commit', 'set aside', 'borrow', 'raise', 'redirect'];
const UNITS = ['tonnes', 'megawatts', 'barrels', 'passengers', 'homes', 'vehicles', 'containers', 'jobs'];
const ADJECTIVES = ['cautious', 'optimistic', 'concerned', 'confident', 'divided', 'hopeful', 'sceptical', 'firm'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Topic words: common English nouns and verbs from the embedder's own vocabulary, most frequent first. */
function topicVocabulary(): string[] {
  const lines = readFileSync(join(defaultWordVectorsDir(), 'vocab.txt'), 'utf8').split('\n');
  const out: string[] = [];
  for (let rank = 400; rank < lines.length && out.length < 20_000; rank++) {
    const word = lines[rank] ?? '';
    if (/^[a-z]{4,12}$/.test(word) && !STOP_WORDS.has(word)) out.push(word);
  }
  return out;
}

interface SyntheticDocument {
  source: string;
  text: string;
  question: string;
}

export class CorpusGenerator {
  private readonly vocabulary = topicVocabulary();

  /** Document `index` is a pure function of (seed, index): the same corpus on every machine and run. */
  document(index: number, seed = 1): SyntheticDocument {
    const rng = new Rng(seed * 1_000_003 + index);
    const topic = Array.from({ length: 6 }, () => this.word(rng));
    const people = Array.from({ length: 3 }, () => `${rng.pick(FIRST)} ${rng.pick(LAST)}`);
    const places = [rng.pick(PLACES), rng.pick(PLACES)];
    const org = rng.pick(ORGS);
    const year = rng.between(2015, 2025);
    const month = rng.int(12);
    const day = rng.between(1, 28);
    const noun = () => (rng.float() < 0.7 ? rng.pick(topic) : this.word(rng));
    const ctx = { rng, people, places, org, year, noun };
    const target = rng.between(3000, 6000);
    const headline = `${places[0]} ${topic[0]} ${topic[1]} plan: ${rng.between(2, 900)} ${rng.pick(UNITS)} at stake`;
    const head = `${headline}\n\nBy ${rng.pick(people)}\n${places[0]} (Wire) ${MONTHS[month]?.slice(0, 3)} ${day}, ${year}\n\n`;
    let body = '';
    let question = '';
    while (head.length + body.length < target) {
      const sentences: string[] = [];
      const count = rng.between(2, 4);
      for (let i = 0; i < count; i++) {
        const made = sentence(ctx);
        sentences.push(made.text);
        if (!question && made.question) question = made.question;
      }
      body += `${sentences.join(' ')}\n\n`;
    }
    if (!question) question = `What did ${people[0]} say about the ${topic[0]} ${topic[1]} plan?`;
    const source = `d${String(Math.floor(index / 1000)).padStart(3, '0')}/doc-${seed}-${String(index).padStart(6, '0')}.txt`;
    return { source, text: head + body.trimEnd() + '\n', question };
  }

  private word(rng: Rng): string {
    return this.vocabulary[rng.zipf(this.vocabulary.length)] ?? 'report';
  }
}

interface SentenceContext {
  rng: Rng;
  people: string[];
  places: string[];
  org: string;
  year: number;
  noun: () => string;
}

function sentence(c: SentenceContext): { text: string; question?: string } {
  const { rng } = c;
  const person = rng.pick(c.people);
  const place = rng.pick(c.places);
  const month = rng.pick(MONTHS);
  const year = c.year + rng.between(-3, 2);
  const date = `${month} ${rng.between(1, 28)}, ${year}`;
  const money = `${rng.between(2, 950)} million dollars`;
  const count = rng.between(3, 98_000).toLocaleString('en-US');
  const [n1, n2, n3] = [c.noun(), c.noun(), c.noun()];
  switch (rng.int(10)) {
    case 0: {
      const verb = rng.pick(VERBS);
      return {
        text: `On ${date}, ${rng.pick(TITLES)} ${person} said the ${c.org} would ${verb} ${money} for ${n1} and ${n2} programmes in ${place}.`,
        question: `How much did the ${c.org} plan to ${verb} for ${n1} and ${n2} programmes in ${place}?`,
      };
    }
    case 1:
      return { text: `${person}, who leads the ${c.org}'s ${n1} office, told reporters in ${place} that ${n2} ${n3} had risen ${rng.between(2, 40)} percent since ${month} ${year}.` };
    case 2:
      return { text: `The ${c.org} reported ${count} ${n1} cases across ${place} by ${date}, up from ${rng.between(3, 90_000).toLocaleString('en-US')} a year earlier.` };
    case 3:
      return {
        text: `Officials in ${place} expect the ${n1} ${n2} project to be completed by ${month} ${year}, according to ${person}.`,
        question: `When is the ${n1} ${n2} project in ${place} expected to be completed?`,
      };
    case 4:
      return { text: `"We are ${rng.pick(ADJECTIVES)} about the ${n1} and the ${n2}," ${person} said at a ${n3} forum in ${place} on ${rng.pick(WEEKDAYS)}.` };
    case 5:
      return { text: `Talks between ${place} and ${rng.pick(PLACES)} on ${n1} ${n2} resumed on ${date} after a ${rng.between(2, 120)}-day pause.` };
    case 6:
      return { text: `Analysts estimate that ${n1} demand could reach ${count} ${rng.pick(UNITS)} by ${year + 3}, though ${n2} ${n3} remain uncertain.` };
    case 7:
      return { text: `The ${n1} ${n2} scheme was first proposed in ${year - rng.between(1, 20)} by ${person}, then ${rng.pick(TITLES)} of ${place}.` };
    case 8:
      return {
        text: `${person} is due to visit ${place} in ${month} to discuss ${n1} and ${n2} with ${rng.pick(TITLES)} ${rng.pick(FIRST)} ${rng.pick(LAST)}.`,
        question: `Who will ${person} meet in ${place} to discuss ${n1} and ${n2}?`,
      };
    default:
      return { text: `Critics, including ${person}, argued that the ${n1} plan ignored ${n2} costs estimated at ${money}.` };
  }
}

interface GeneratedCorpus {
  dir: string;
  documents: number;
  bytes: number;
  questions: Array<{ question: string; source: string }>;
}

/** Writes documents until the chunker's estimate reaches `targetChunks`. */
export function writeCorpus(generator: CorpusGenerator, dir: string, targetChunks: number, queries: number): GeneratedCorpus {
  let chunks = 0;
  let bytes = 0;
  let index = 0;
  const all: Array<{ question: string; source: string }> = [];
  while (chunks < targetChunks) {
    const doc = generator.document(index++);
    const path = join(dir, doc.source);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, doc.text);
    // Chunking the raw text is a close estimate of what the loader's cleaned text will give.
    chunks += chunkDocument(doc.source, doc.text).length;
    bytes += Buffer.byteLength(doc.text);
    all.push({ question: doc.question, source: doc.source });
  }
  // Questions about documents spread over the whole corpus, in a fixed order.
  const rng = new Rng(7);
  const questions = Array.from({ length: queries }, () => all[rng.int(all.length)] as { question: string; source: string });
  return { dir, documents: index, bytes, questions };
}

// ---------------------------------------------------------------------------------------------------------
// Phases

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
  peakRssMb: number;
}

async function buildPhase(job: BuildJob, log: (line: string) => void): Promise<BuildResult> {
  const embedder = createLocalEmbedder({ wordVectorsDir: undefined });
  const generator = new CorpusGenerator();
  const run = async (label: string, rebuild = false) => {
    let timing: IndexTiming | undefined;
    let lastShown = 0;
    const result = await runIndex({
      corpusDir: job.corpusDir,
      indexDir: job.indexDir,
      embedder,
      rebuild,
      onTiming: (t) => (timing = t),
      onProgress: (p) => {
        if (p.phase === 'embedding' && p.total > 5000 && p.done - lastShown >= 20_000) {
          lastShown = p.done;
          log(`  ${label}: embedded ${p.done}/${p.total}`);
        }
      },
    });
    if (!timing) throw new Error('runIndex did not report its timing');
    log(`  ${label}: ${Math.round(timing.totalMs)} ms, ${result.summary.embedded} chunks embedded`);
    return { result, timing };
  };

  const full = await run('full build', true);
  const before = full.result.snapshot;
  const noop = await run('re-index, nothing changed');

  // Change one sentence in the middle of one document.
  const victim = generator.document(Math.floor(job.documents / 2));
  const paragraphs = victim.text.split('\n\n');
  const middle = Math.floor(paragraphs.length / 2);
  paragraphs[middle] = `${paragraphs[middle] ?? ''} A revised estimate was published on Friday by the statistics office.`;
  writeFileSync(join(job.corpusDir, victim.source), paragraphs.join('\n\n'));
  const one = await run('re-index, 1 document changed');
  const afterOne = one.result.snapshot;
  const oneExpected = newChunks(before, afterOne, new Set([victim.source]));

  // Add 1 % new documents (another seed: new text, new names).
  const addDocs = Math.max(1, Math.ceil(job.documents / 100));
  const added = new Set<string>();
  for (let i = 0; i < addDocs; i++) {
    const doc = generator.document(i, 2);
    mkdirSync(dirname(join(job.corpusDir, doc.source)), { recursive: true });
    writeFileSync(join(job.corpusDir, doc.source), doc.text);
    added.add(doc.source);
  }
  const add = await run(`re-index, ${addDocs} documents added`);
  const addExpected = newChunks(afterOne, add.result.snapshot, added);

  return {
    chunks: before.chunks.length,
    documents: before.documents.size,
    build: full.timing,
    noop: noop.timing,
    one: one.timing,
    oneEmbedded: one.result.summary.embedded,
    oneExpected,
    oneDocChunks: afterOne.chunks.filter((c) => c.source === victim.source).length,
    addDocs,
    add: add.timing,
    addEmbedded: add.result.summary.embedded,
    addExpected,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** Chunks of `sources` in `after` whose (id, text) the previous snapshot did not hold: what must be embedded. */
function newChunks(before: IndexSnapshot, after: IndexSnapshot, sources: ReadonlySet<string>): number {
  const old = new Set(before.chunks.filter((c) => sources.has(c.source)).map((c) => `${c.id}\0${c.text}`));
  return after.chunks.filter((c) => sources.has(c.source) && !old.has(`${c.id}\0${c.text}`)).length;
}

interface QueryJob {
  indexDir: string;
  questions: Array<{ question: string; source: string }>;
}

interface QueryResult {
  loadGenerationMs: number;
  loadKbMs: number;
  rssMb: number;
  rssAfterQueriesMb: number;
  retrieve: number[];
  retrieveBrute: number[];
  answer: number[];
  hitAt5: number;
  hnsw: number[];
  brute: number[];
  recallAt10: number;
}

async function queryPhase(job: QueryJob, log: (line: string) => void): Promise<QueryResult> {
  const embedder = createLocalEmbedder({ wordVectorsDir: undefined }); // loaded before timing: the bot has it before it opens the index
  gc();
  let t = performance.now();
  const snapshot = loadCurrentGeneration(job.indexDir);
  const loadGenerationMs = performance.now() - t;
  t = performance.now();
  const base = new KnowledgeBase(snapshot, embedder);
  const loadKbMs = performance.now() - t;
  gc();
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  log(`  load: generation ${Math.round(loadGenerationMs)} ms + knowledge base ${Math.round(loadKbMs)} ms, RSS ${Math.round(rssMb)} MB`);

  const evidence: EvidenceModel = { idf: (term) => base.bm25.idf(term), embed: (text) => embedder.embed(text), wordSimilarity: (a, b) => embedder.wordSimilarity(a, b) };
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

  // Vector search alone, HNSW against the exact scan, on the same query vectors.
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
  for (const [i, vector] of vectors.entries()) {
    t = performance.now();
    const truth = exact.search(vector, K);
    brute.push(performance.now() - t);
    recall += truth.filter((row) => approximate[i]?.has(row)).length / Math.max(1, Math.min(K, truth.length));
  }

  // The whole retrieval again with the exact scan in place of the graph: what the index saves end to end.
  const exactBase = Object.create(base) as KnowledgeBase;
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
    rssAfterQueriesMb: process.memoryUsage().rss / 2 ** 20,
    retrieve,
    retrieveBrute,
    answer,
    hitAt5: hits / Math.max(1, questions.length),
    hnsw,
    brute,
    recallAt10: recall / Math.max(1, vectors.length),
  };
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

// ---------------------------------------------------------------------------------------------------------
// Orchestration

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
  const child = spawn(process.execPath, [...process.execArgv, SCRIPT, '--child', phase, '--job', jobPath, '--result', resultPath], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolveExit) => child.on('exit', resolveExit));
  if (code !== 0) throw new Error(`${phase} phase exited with code ${code}`);
  return JSON.parse(readFileSync(resultPath, 'utf8')) as T;
}

async function childMain(phase: string, jobPath: string, resultPath: string): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const job = JSON.parse(readFileSync(jobPath, 'utf8')) as BuildJob & QueryJob;
  const result = phase === 'build' ? await buildPhase(job, log) : await queryPhase(job, log);
  writeFileSync(resultPath, JSON.stringify(result));
}

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directorySize(path) : statSync(path).size;
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

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const split = (t: IndexTiming): PhaseSplit => ({
  scan_ms: round(t.scanMs, 0),
  chunk_ms: round(t.chunkMs, 0),
  embed_ms: round(t.embedMs, 0),
  graph_ms: round(t.graphMs, 0),
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
      const corpus = writeCorpus(generator, corpusDir, size, queries);
      log(`  ${corpus.documents} documents, ${(corpus.bytes / 2 ** 20).toFixed(1)} MB`);
      const buildJob: BuildJob = { corpusDir, indexDir, documents: corpus.documents };
      const build = isolate ? await inChild<BuildResult>('build', buildJob, workDir) : await buildPhase(buildJob, log);
      const current = listGenerations(indexDir)[0];
      const diskMb = current ? directorySize(join(indexDir, current)) / 2 ** 20 : 0;
      const queryJob: QueryJob = { indexDir, questions: corpus.questions };
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
        peak_rss_mb: round(build.peakRssMb, 0),
        disk_mb: round(diskMb, 1),
        disk_total_mb: round(directorySize(indexDir) / 2 ** 20, 1),
        load_ms: round(q.loadGenerationMs + q.loadKbMs, 0),
        load_generation_ms: round(q.loadGenerationMs, 0),
        load_kb_ms: round(q.loadKbMs, 0),
        rss_mb: round(q.rssMb, 0),
        rss_after_queries_mb: round(q.rssAfterQueriesMb, 0),
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
        recall_at_10: round(q.recallAt10, 4),
      });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  return {
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

// ---------------------------------------------------------------------------------------------------------
// Output

export function formatTable(report: BenchReport): string {
  const rows: Array<[string, (s: SizeReport) => string]> = [
    ['chunks (documents)', (s) => `${s.chunks} (${s.documents})`],
    ['full build', (s) => `${(s.build_ms / 1000).toFixed(1)} s`],
    ['  documents/s · chunks/s', (s) => `${s.build_docs_per_s} · ${s.build_chunks_per_s}`],
    ['  scan · chunk · embed', (s) => `${s.build_split.scan_ms} · ${s.build_split.chunk_ms} · ${s.build_split.embed_ms} ms`],
    ['  graph · write', (s) => `${s.build_split.graph_ms} · ${s.build_split.write_ms} ms`],
    ['re-index, nothing changed', (s) => `${s.reindex_noop_ms} ms (${pct(s.reindex_noop_ratio)} of build)`],
    ['re-index, 1 doc changed', (s) => `${s.reindex_one_ms} ms (${pct(s.reindex_one_ratio)})`],
    ['  chunks embedded / expected', (s) => `${s.reindex_one_embedded} / ${s.reindex_one_expected} (doc has ${s.reindex_one_doc_chunks})`],
    ['re-index, +1 % docs', (s) => `${s.reindex_add_ms} ms (${pct(s.reindex_add_ratio)}), ${s.reindex_add_docs} docs`],
    ['  chunks embedded / expected', (s) => `${s.reindex_add_embedded} / ${s.reindex_add_expected}`],
    ['retrieve p50 / p95 / p99', (s) => `${s.query_p50_ms} / ${s.query_p95_ms} / ${s.query_p99_ms} ms`],
    ['  same, exact vector scan p95', (s) => `${s.query_brute_p95_ms} ms`],
    ['answer p50 / p95 / p99', (s) => `${s.answer_p50_ms} / ${s.answer_p95_ms} / ${s.answer_p99_ms} ms`],
    ['source doc in top 5', (s) => pct(s.hit_at_5)],
    ['HNSW top-10 p50 / p95', (s) => `${s.hnsw_p50_ms} / ${s.hnsw_p95_ms} ms`],
    ['brute force p50 / p95', (s) => `${s.brute_p50_ms} / ${s.brute_p95_ms} ms`],
    ['  speed-up p95 · recall@10', (s) => `${s.brute_speedup_p95}× · ${s.recall_at_10}`],
    ['load (generation + KB)', (s) => `${s.load_ms} ms (${s.load_generation_ms} + ${s.load_kb_ms})`],
    ['RSS after load · after queries', (s) => `${s.rss_mb} · ${s.rss_after_queries_mb} MB`],
    ['peak RSS during build', (s) => `${s.peak_rss_mb} MB`],
    ['index on disk (all generations)', (s) => `${s.disk_mb} MB (${s.disk_total_mb} MB)`],
  ];
  const header = ['', ...report.sizes.map((s) => `${s.target_chunks.toLocaleString('en-US')} chunks`)];
  const body = rows.map(([label, cell]) => [label, ...report.sizes.map(cell)]);
  const widths = header.map((_, i) => Math.max(...[header, ...body].map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const m = report.machine;
  return [
    `${m.cpus} × ${m.cpu_model}, ${m.memory_gb} GB, Node ${m.node}; calibration ${m.calibration_ms} ms; ${m.date}`,
    line(header),
    ...body.map(line),
  ].join('\n');
}

function pct(x: number): string {
  return `${(100 * x).toFixed(x < 0.1 ? 2 : 1)} %`;
}

/** Latency against corpus size on log–log axes: retrieval and answer p95, HNSW and brute-force vector search p95. */
export function latencySvg(report: BenchReport): string {
  const W = 860;
  const H = 440;
  const pad = { left: 70, right: 270, top: 40, bottom: 60 };
  const sizes = report.sizes;
  const series: Array<{ label: string; color: string; dash?: string; value: (s: SizeReport) => number }> = [
    { label: 'answer p95 (retrieve + extract)', color: '#7b3294', value: (s) => s.answer_p95_ms },
    { label: 'retrieve p95 (hybrid, HNSW)', color: '#1b7837', value: (s) => s.query_p95_ms },
    { label: 'retrieve p95, exact scan', color: '#1b7837', dash: '6 4', value: (s) => s.query_brute_p95_ms },
    { label: 'vector top-10 p95, brute force', color: '#d6604d', dash: '6 4', value: (s) => s.brute_p95_ms },
    { label: 'vector top-10 p95, HNSW', color: '#2166ac', value: (s) => s.hnsw_p95_ms },
  ];
  const xs = sizes.map((s) => s.chunks);
  const ys = sizes.flatMap((s) => series.map((line) => line.value(s))).filter((y) => y > 0);
  const xMin = Math.log10(Math.min(...xs) / 1.5);
  const xMax = Math.log10(Math.max(...xs) * 1.5);
  const yMin = Math.floor(Math.log10(Math.min(...ys)));
  const yMax = Math.ceil(Math.log10(Math.max(...ys)));
  const x = (v: number) => pad.left + ((Math.log10(v) - xMin) / (xMax - xMin || 1)) * (W - pad.left - pad.right);
  const y = (v: number) => H - pad.bottom - ((Math.log10(Math.max(v, 10 ** yMin)) - yMin) / (yMax - yMin || 1)) * (H - pad.top - pad.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${pad.left}" y="22" font-size="15" font-weight="bold">Query latency vs corpus size (p95, ms, log–log)</text>`,
  ];
  for (let e = yMin; e <= yMax; e++) {
    const yy = y(10 ** e);
    out.push(`<line x1="${pad.left}" x2="${W - pad.right}" y1="${yy}" y2="${yy}" stroke="#dddddd"/>`);
    out.push(`<text x="${pad.left - 8}" y="${yy + 4}" text-anchor="end">${formatTick(10 ** e)}</text>`);
  }
  for (const v of xs) {
    const xx = x(v);
    out.push(`<line x1="${xx}" x2="${xx}" y1="${pad.top}" y2="${H - pad.bottom}" stroke="#eeeeee"/>`);
    out.push(`<text x="${xx}" y="${H - pad.bottom + 18}" text-anchor="middle">${v.toLocaleString('en-US')}</text>`);
  }
  out.push(`<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${H - pad.bottom}" stroke="#333"/>`);
  out.push(`<line x1="${pad.left}" x2="${W - pad.right}" y1="${H - pad.bottom}" y2="${H - pad.bottom}" stroke="#333"/>`);
  out.push(`<text x="${(pad.left + W - pad.right) / 2}" y="${H - 18}" text-anchor="middle">chunks in the index</text>`);
  out.push(`<text transform="translate(18 ${(pad.top + H - pad.bottom) / 2}) rotate(-90)" text-anchor="middle">milliseconds (p95)</text>`);
  // The 20 ms retrieval target.
  const target = y(20);
  out.push(`<line x1="${pad.left}" x2="${W - pad.right}" y1="${target}" y2="${target}" stroke="#999" stroke-dasharray="2 3"/>`);
  out.push(`<text x="${pad.left + 6}" y="${target - 4}" fill="#666">retrieval target 20 ms</text>`);
  series.forEach((line, i) => {
    const points = sizes.map((s) => `${x(s.chunks).toFixed(1)},${y(line.value(s)).toFixed(1)}`);
    out.push(`<polyline fill="none" stroke="${line.color}" stroke-width="2"${line.dash ? ` stroke-dasharray="${line.dash}"` : ''} points="${points.join(' ')}"/>`);
    for (const p of points) {
      const [px, py] = p.split(',');
      out.push(`<circle cx="${px}" cy="${py}" r="3" fill="${line.color}"/>`);
    }
    const ly = pad.top + 10 + i * 22;
    out.push(`<line x1="${W - pad.right + 12}" x2="${W - pad.right + 36}" y1="${ly}" y2="${ly}" stroke="${line.color}" stroke-width="2"${line.dash ? ` stroke-dasharray="${line.dash}"` : ''}/>`);
    out.push(`<text x="${W - pad.right + 42}" y="${ly + 4}" font-size="11">${line.label}</text>`);
  });
  out.push(`<text x="${pad.left}" y="${H - 4}" font-size="10" fill="#666">${escapeXml(`${report.machine.cpus} × ${report.machine.cpu_model}, Node ${report.machine.node}, ${report.machine.date.slice(0, 10)}`)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function formatTick(v: number): string {
  return v >= 1 ? String(Math.round(v)) : String(Number(v.toPrecision(1)));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string' },
      queries: { type: 'string' },
      json: { type: 'boolean', default: false },
      svg: { type: 'string' },
      child: { type: 'string' },
      job: { type: 'string' },
      result: { type: 'string' },
      store: { type: 'string' },
      'database-url': { type: 'string' },
    },
  });
  if (values.child) {
    await childMain(values.child, values.job ?? '', values.result ?? '');
    return;
  }
  const sizes = values.sizes ? values.sizes.split(',').map((s) => Number(s.trim())) : DEFAULT_SIZES;
  if (sizes.some((s) => !Number.isInteger(s) || s <= 0)) throw new Error(`--sizes takes positive whole numbers, got "${values.sizes}"`);
  const queries = values.queries ? Number(values.queries) : DEFAULT_QUERIES;
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  if (values.store !== undefined) {
    if (values.store !== 'pgvector') throw new Error(`--store takes "pgvector", got "${values.store}"`);
    const { compareStores, formatComparison } = await import('./bench-stores.js');
    const databaseUrl = values['database-url'] ?? loadConfig().store.databaseUrl;
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const results = await compareStores({ sizes: values.sizes ? sizes : [10_000, 100_000], queries, log, ...(databaseUrl ? { databaseUrl } : {}) });
    process.stdout.write(values.json ? `${JSON.stringify({ command, results })}\n` : `${formatComparison(results)}\n`);
    return;
  }
  const report = await runBench({ sizes, queries, command });
  if (values.svg) writeFileSync(resolve(values.svg), latencySvg(report));
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${formatTable(report)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === SCRIPT) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
