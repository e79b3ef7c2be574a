// Damaged index files: every kind of damage is caught by the pointer/manifest/checksum checks (hnswlib never sees
// unverified bytes), reported clearly, and repaired by a rebuild while the previous generation keeps answering.
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../src/stores/local/store.js';
import { createServices } from '../../src/app/services.js';
import { isCoreError } from '../../src/core/errors.js';
import { runLocalIndex } from '../../src/stores/local/indexer.js';
import { loadCurrentGeneration } from '../../src/stores/local/generations.js';
import { captureLogger, removeDir, seedCorpusCopy, tempDir, testConfig, writeFile, servingBase } from '../helpers.js';
import { answerFrom, citationProblems, HashEmbedder } from './support.js';

const embedder = new HashEmbedder();
const QUESTION = 'Where did Japanese and South Korean leaders meet?';
let root: string;
let corpus: string;
let pristine: string;
let good: string; // the older, intact generation
let damaged: string; // the generation CURRENT points at, which each case damages

const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  root = tempDir('rel-corrupt-');
  corpus = seedCorpusCopy({ 'extra.txt': 'Harbour crane arrives\n\nA new harbour crane arrived on Monday and will be working by the end of the month, port officials said.\n' });
  pristine = join(root, 'pristine');
  good = (await runLocalIndex({ corpusDir: corpus, indexDir: pristine, embedder })).snapshot.generation;
  writeFile(corpus, 'extra.txt', 'Harbour crane delayed\n\nThe new harbour crane is stuck at sea after a storm and will arrive late, port officials said on Tuesday.\n');
  damaged = (await runLocalIndex({ corpusDir: corpus, indexDir: pristine, embedder })).snapshot.generation;
});

afterAll(() => {
  removeDir(root);
  removeDir(corpus);
});

function flip(path: string, at = 0.5): void {
  const bytes = readFileSync(path);
  const i = Math.floor(bytes.length * at);
  bytes[i] = (bytes[i] ?? 0) ^ 0xff;
  writeFileSync(path, bytes);
}

function halve(path: string): void {
  truncateSync(path, Math.floor(readFileSync(path).length / 2));
}

/** A forger who also fixes the manifest's checksums and CURRENT: only the deeper checks can catch this. */
function reseal(indexDir: string): void {
  const dir = join(indexDir, damaged);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  for (const name of Object.keys(manifest.files)) {
    const bytes = readFileSync(join(dir, name));
    manifest.files[name] = { sha256: sha(bytes), bytes: bytes.length };
  }
  const text = JSON.stringify(manifest, null, 1);
  writeFileSync(join(dir, 'manifest.json'), text);
  writeFileSync(join(indexDir, 'CURRENT'), JSON.stringify({ generation: damaged, manifestSha256: sha(text) }));
}

function setManifestDimension(indexDir: string): void {
  const path = join(indexDir, damaged, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  manifest.embedder.dimension = 128;
  writeFileSync(path, JSON.stringify(manifest, null, 1));
}

/** hnswlib's saveIndex header: offsetLevel0_, max_elements_, cur_element_count (each a size_t) … */
function understateElementCount(indexDir: string): void {
  const path = join(indexDir, damaged, 'hnsw.bin');
  const bytes = readFileSync(path);
  const count = bytes.readBigUInt64LE(16);
  expect(count).toBeGreaterThan(5n);
  expect(bytes.readBigUInt64LE(8)).toBeGreaterThanOrEqual(count); // max_elements: sanity check of the layout
  bytes.writeBigUInt64LE(count - 5n, 16);
  writeFileSync(path, bytes);
}

const file = (name: string) => (indexDir: string) => join(indexDir, damaged, name);
const CASES: Array<{ name: string; damage: (indexDir: string) => void; reason: RegExp; pointerOnly?: boolean }> = [
  // With only the pointer damaged, every generation directory still verifies: the newest one may serve.
  { name: 'CURRENT with a flipped byte', damage: (d) => flip(join(d, 'CURRENT'), 0.3), reason: /CURRENT is (not valid JSON|malformed)|no manifest/, pointerOnly: true },
  { name: 'CURRENT truncated', damage: (d) => halve(join(d, 'CURRENT')), reason: /CURRENT is not valid JSON/, pointerOnly: true },
  { name: 'manifest.json with a flipped byte', damage: (d) => flip(file('manifest.json')(d)), reason: /manifest of gen-\d+ does not match the checksum recorded in CURRENT/ },
  { name: 'manifest.json truncated', damage: (d) => halve(file('manifest.json')(d)), reason: /manifest of gen-\d+ does not match the checksum/ },
  { name: 'docstore.json with a flipped byte', damage: (d) => flip(file('docstore.json')(d)), reason: /docstore\.json fails its SHA-256 check/ },
  { name: 'docstore.json truncated', damage: (d) => halve(file('docstore.json')(d)), reason: /docstore\.json has \d+ bytes, the manifest says \d+/ },
  { name: 'vectors.f32 with a flipped byte', damage: (d) => flip(file('vectors.f32')(d)), reason: /vectors\.f32 fails its SHA-256 check/ },
  { name: 'vectors.f32 truncated', damage: (d) => halve(file('vectors.f32')(d)), reason: /vectors\.f32 has \d+ bytes/ },
  { name: 'hnsw.bin with a flipped byte', damage: (d) => flip(file('hnsw.bin')(d), 0.7), reason: /hnsw\.bin fails its SHA-256 check/ },
  { name: 'hnsw.bin truncated', damage: (d) => halve(file('hnsw.bin')(d)), reason: /hnsw\.bin has \d+ bytes/ },
  { name: 'hnsw.bin deleted', damage: (d) => rmSync(file('hnsw.bin')(d)), reason: /hnsw\.bin is missing/ },
  { name: "manifest's dimension changed", damage: setManifestDimension, reason: /manifest of gen-\d+ does not match the checksum/ },
  {
    name: "manifest's dimension changed, checksums forged",
    damage: (d) => (setManifestDimension(d), reseal(d)),
    reason: /vectors\.f32 holds [\d.]+ vectors for \d+ chunks/,
  },
  { name: 'hnsw header claiming fewer elements than it holds', damage: understateElementCount, reason: /hnsw\.bin fails its SHA-256 check/ },
  {
    name: 'hnsw header claiming fewer elements, checksums forged',
    damage: (d) => (understateElementCount(d), reseal(d)),
    // Only here does hnswlib read the file, and its own consistency check turns into a clear error.
    reason: /hnsw\.bin could not be read: .*corrupted/,
  },
];

describe('a damaged current generation', () => {
  it.each(CASES)('$name: detected, reported, served from the previous generation and rebuilt', async ({ damage, reason, pointerOnly }) => {
    const indexDir = join(root, `case-${Math.random().toString(36).slice(2)}`);
    cpSync(pristine, indexDir, { recursive: true });
    damage(indexDir);

    let error: unknown;
    try {
      loadCurrentGeneration(indexDir);
    } catch (e) {
      error = e;
    }
    expect(isCoreError(error, 'INDEX_CORRUPT'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Index is damaged: /);
    expect((error as Error).message).toMatch(reason);

    const logger = captureLogger();
    const library = new LocalStore({ corpusDir: corpus, indexDir, embedder, logger });
    const opening = library.open();
    // While the rebuild runs, the previous good generation answers.
    expect(library.isReindexing).toBe(true);
    const serving = library.current;
    expect(pointerOnly ? [good, damaged] : [good]).toContain(serving.snapshot.generation);
    const answer = await answerFrom(serving, QUESTION);
    expect(answer.refused).toBe(false);
    expect(citationProblems(answer, serving.snapshot.documents)).toEqual([]);

    await opening;
    const rebuilt = loadCurrentGeneration(indexDir);
    expect(rebuilt.generation).not.toBe(damaged);
    expect(library.current.snapshot.generation).toBe(rebuilt.generation);
    expect([...rebuilt.documents.values()].find((d) => d.source === 'extra.txt')?.text).toContain('stuck at sea');
    const report = logger.lines.find((l) => l.level === 'error');
    expect(report?.msg).toMatch(/failed verification; serving the previous generation/);
    expect(String((report?.obj as { err?: unknown }).err)).toMatch(reason);
    removeDir(indexDir);
  });

  it('createBotServices over a damaged index starts, logs why, and answers from the rebuilt index', async () => {
    const indexDir = join(root, 'services');
    cpSync(pristine, indexDir, { recursive: true });
    flip(join(indexDir, damaged, 'hnsw.bin'));
    const logger = captureLogger();
    const services = await createServices({ config: testConfig({ corpusDir: corpus, indexDir }), logger, embedder, chat: null });
    const answer = await services.ask(QUESTION);
    expect(answer.refused).toBe(false);
    expect(citationProblems(answer, servingBase(services).snapshot.documents)).toEqual([]);
    expect(servingBase(services).snapshot.generation).not.toBe(damaged);
    expect(logger.lines.some((l) => l.level === 'error' && /hnsw\.bin fails its SHA-256 check/.test(JSON.stringify(l.obj)))).toBe(true);
    expect(logger.lines.some((l) => l.msg === 'index ready' && /previous index unusable/.test(JSON.stringify(l.obj)))).toBe(true);
    await services.close();
  });
});
