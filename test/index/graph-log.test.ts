// The graph as a base plus an operation log (format 3): a patched re-index links the previous base and extends the
// log, a fresh process replaying the log rebuilds exactly the graph the indexer returned, the log is folded into a new
// base past its bound, a damaged log is caught like any other file, and a format-2 index (hnsw.bin alone) is extended.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCurrentGeneration, newestLoadableGeneration } from '../../src/stores/local/generations.js';
import { appendGraphOperations, EMPTY_GRAPH_LOG, graphLogFile, type GraphLogPolicy } from '../../src/stores/local/graph-log.js';
import { runLocalIndex } from '../../src/stores/local/indexer.js';
import { INDEX_FORMAT_VERSION } from '../../src/stores/local/manifest.js';
import type { HnswIndex, IndexSnapshot } from '../../src/stores/local/snapshot.js';
import { captureLogger, removeDir, tempDir, writeFile } from '../helpers.js';
import { article, generateCorpus, HashEmbedder, seeded } from '../reliability/support.js';
import { corruptLoadError, expectFallbackThenRebuild, flipByte } from './damage.js';

const embedder = new HashEmbedder();
/** Every patched re-index extends the log, whatever the graph's size. */
const LOG_ALWAYS: GraphLogPolicy = { minBaseBytes: 0, maxAddedShare: 1 };
/** Every re-index writes the graph whole. */
const COMPACT_ALWAYS: GraphLogPolicy = { minBaseBytes: 0, maxAddedShare: 0 };
const DOCS = 40;
const random = seeded(29);
const dirs: string[] = [];
const scratch = tempDir('graphlog-scratch-');
dirs.push(scratch);
afterAll(() => dirs.forEach(removeDir));

const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const inode = (indexDir: string, generation: string, name: string) => statSync(join(indexDir, generation, name)).ino;
const manifestOf = (indexDir: string, generation: string) => JSON.parse(readFileSync(join(indexDir, generation, 'manifest.json'), 'utf8'));

function freshCorpus(): string {
  const dir = tempDir('graphlog-corpus-');
  dirs.push(dir);
  generateCorpus(dir, DOCS, 23);
  return dir;
}

function index(corpusDir: string, indexDir: string, graphLog: GraphLogPolicy = LOG_ALWAYS, serving?: IndexSnapshot) {
  return runLocalIndex({ corpusDir, indexDir, embedder, graphLog, ...(serving ? { serving } : {}) });
}

/** The graph as hnswlib saves it, its capacity field (max_elements, bytes 8-15) left out: capacity is not structure. */
function savedGraph(hnsw: HnswIndex): Buffer {
  const path = join(scratch, `graph-${Math.random().toString(36).slice(2)}.bin`);
  hnsw.writeIndexSync(path);
  const bytes = readFileSync(path);
  rmSync(path);
  bytes.fill(0, 8, 16);
  return bytes;
}

/** Same links, levels, deletions and vectors, and the same labels and distances for many queries at a small ef. */
function expectSameGraph(returned: HnswIndex, loaded: HnswIndex): void {
  expect(loaded.getCurrentCount()).toBe(returned.getCurrentCount());
  expect(savedGraph(loaded).equals(savedGraph(returned))).toBe(true);
  const queries = seeded(5);
  returned.setEf(10);
  loaded.setEf(10);
  for (let q = 0; q < 60; q++) {
    const query = Array.from({ length: embedder.dimension }, () => queries() - 0.5);
    expect(loaded.searchKnn(query, 10)).toEqual(returned.searchKnn(query, 10));
  }
}

/** Every chunk that kept its label kept its vector row, wherever its row moved. */
function expectKeptVectors(before: IndexSnapshot, after: IndexSnapshot): void {
  const d = embedder.dimension;
  let kept = 0;
  after.chunks.forEach((chunk, row) => {
    const oldRow = before.rowByLabel.get(chunk.label);
    if (oldRow === undefined) return;
    kept++;
    expect(Array.from(after.vectors.subarray(row * d, (row + 1) * d))).toEqual(Array.from(before.vectors.subarray(oldRow * d, (oldRow + 1) * d)));
  });
  expect(kept).toBeGreaterThan(after.chunks.length / 2);
}

/** A forger who edits a generation's files and fixes its manifest's checksums and CURRENT. */
function reseal(indexDir: string, generation: string): void {
  const dir = join(indexDir, generation);
  const manifest = manifestOf(indexDir, generation);
  for (const name of Object.keys(manifest.files)) {
    const bytes = readFileSync(join(dir, name));
    manifest.files[name] = { sha256: sha(bytes), bytes: bytes.length };
  }
  const text = JSON.stringify(manifest, null, 1);
  writeFileSync(join(dir, 'manifest.json'), text);
  writeFileSync(join(indexDir, 'CURRENT'), JSON.stringify({ generation, manifestSha256: sha(text) }));
}

describe('the graph as base + operation log', () => {
  let corpusDir: string;
  beforeAll(() => {
    corpusDir = freshCorpus();
  });

  it('re-indexes link the base and extend the log; a fresh load replays it into the very graph the indexer returned, also after compaction', async () => {
    const indexDir = tempDir('graphlog-index-');
    dirs.push(indexDir);
    const built = (await index(corpusDir, indexDir)).snapshot;
    expect(built.graph?.log.operations).toBe(0);
    expect(manifestOf(indexDir, built.generation).files['hnsw.log'].bytes).toBe(16);
    const baseInode = inode(indexDir, built.generation, 'hnsw.bin');

    let served = built;
    let operations = 0;
    const steps: Array<[string, () => void, boolean]> = [
      ['a changed document', () => writeFile(corpusDir, 'gen-0003.txt', article(900, random)), true],
      ['an added document', () => writeFile(corpusDir, 'late.txt', article(901, random)), true],
      ['a removed document', () => rmSync(join(corpusDir, 'gen-0010.txt')), false],
      ['two changed documents', () => ['gen-0004.txt', 'gen-0020.txt'].forEach((name, i) => writeFile(corpusDir, name, article(902 + i, random))), true],
    ];
    for (const [what, change, fromServed] of steps) {
      change();
      // Half of the runs start from the served snapshot (the bot), the others read the generation from disk.
      const result = await index(corpusDir, indexDir, LOG_ALWAYS, fromServed ? served : undefined);
      expect(result.reusedPrevious, what).toBe(false);
      const next = result.snapshot;
      expect(inode(indexDir, next.generation, 'hnsw.bin'), what).toBe(baseInode);
      expect(next.graph!.log.operations, what).toBeGreaterThan(operations);
      operations = next.graph!.log.operations;
      expect(statSync(join(indexDir, next.generation, 'hnsw.log')).size, what).toBe(graphLogFile(next.graph!.log, embedder.dimension).byteLength);
      const loaded = loadCurrentGeneration(indexDir);
      expect(loaded.graph!.log.operations).toBe(operations);
      expect(loaded.chunks.map((c) => c.label)).toEqual(next.chunks.map((c) => c.label));
      expectSameGraph(next.hnsw, loaded.hnsw);
      expectKeptVectors(served, next);
      served = next;
    }
    expect(served.graph!.log.added).toBeGreaterThan(0);

    // Past the bound (none here) the graph is written whole as a new base with an empty log.
    writeFile(corpusDir, 'gen-0030.txt', article(910, random));
    const compacted = (await index(corpusDir, indexDir, COMPACT_ALWAYS, served)).snapshot;
    expect(inode(indexDir, compacted.generation, 'hnsw.bin')).not.toBe(baseInode);
    expect(compacted.graph!.log.operations).toBe(0);
    expect(statSync(join(indexDir, compacted.generation, 'hnsw.log')).size).toBe(16);
    expectSameGraph(compacted.hnsw, loadCurrentGeneration(indexDir).hnsw);

    // The next patched run builds on the new base.
    writeFile(corpusDir, 'gen-0031.txt', article(911, random));
    const after = (await index(corpusDir, indexDir, LOG_ALWAYS, compacted)).snapshot;
    expect(inode(indexDir, after.generation, 'hnsw.bin')).toBe(inode(indexDir, compacted.generation, 'hnsw.bin'));
    expect(after.graph!.log.operations).toBeGreaterThan(0);
    expectSameGraph(after.hnsw, loadCurrentGeneration(indexDir).hnsw);
  });

  it('by default a graph smaller than the sharing bound is written whole: the fallback generation keeps its own', async () => {
    const corpus = freshCorpus();
    const indexDir = tempDir('graphlog-default-');
    dirs.push(indexDir);
    const built = (await runLocalIndex({ corpusDir: corpus, indexDir, embedder })).snapshot;
    writeFile(corpus, 'gen-0001.txt', article(920, random));
    const next = (await runLocalIndex({ corpusDir: corpus, indexDir, embedder, serving: built })).snapshot;
    expect(inode(indexDir, next.generation, 'hnsw.bin')).not.toBe(inode(indexDir, built.generation, 'hnsw.bin'));
    expect(next.graph!.log.operations).toBe(0);
  });
});

describe('a damaged graph log', () => {
  let corpusDir: string;
  let indexDir: string;
  let good: string;
  let damaged: string;
  beforeAll(async () => {
    corpusDir = freshCorpus();
    indexDir = tempDir('graphlog-damage-');
    dirs.push(indexDir);
    good = (await index(corpusDir, indexDir)).snapshot.generation;
    writeFile(corpusDir, 'gen-0002.txt', article(930, random));
    damaged = (await index(corpusDir, indexDir)).snapshot.generation;
    expect(manifestOf(indexDir, damaged).files['hnsw.log'].bytes).toBeGreaterThan(16);
  });

  const copy = () => {
    const dir = tempDir('graphlog-case-');
    dirs.push(dir);
    // A copy, not links: each case damages its own files.
    for (const generation of [good, damaged]) {
      for (const name of Object.keys(manifestOf(indexDir, generation).files).concat('manifest.json')) {
        writeFile(join(dir, generation), name, readFileSync(join(indexDir, generation, name)));
      }
    }
    writeFile(dir, 'CURRENT', readFileSync(join(indexDir, 'CURRENT')));
    return dir;
  };

  it('a flipped byte is caught by its checksum; the previous generation serves while the next run rebuilds', async () => {
    const dir = copy();
    flipByte(join(dir, damaged, 'hnsw.log'), 3);
    expect(corruptLoadError(dir).message).toMatch(/hnsw\.log fails its SHA-256 check/);
    expect(newestLoadableGeneration(dir, damaged)).toBe(good);
    await expectFallbackThenRebuild({ corpusDir, indexDir: dir, embedder, fallback: good, damaged, logged: /hnsw\.log fails its SHA-256 check/ });
  });

  it('a forged log (checksums fixed) that does not parse, or names a label the base lacks, is reported before use', () => {
    const truncated = copy();
    const path = join(truncated, damaged, 'hnsw.log');
    writeFileSync(path, readFileSync(path).subarray(0, 30));
    reseal(truncated, damaged);
    expect(corruptLoadError(truncated).message).toMatch(/hnsw\.log is malformed \(ends inside/);

    const unknownLabel = copy();
    const log = appendGraphOperations(EMPTY_GRAPH_LOG, [{ kind: 'delete', label: 999_999 }], embedder.dimension);
    writeFileSync(join(unknownLabel, damaged, 'hnsw.log'), graphLogFile(log, embedder.dimension));
    reseal(unknownLabel, damaged);
    expect(corruptLoadError(unknownLabel).message).toMatch(/hnsw\.log could not be replayed on hnsw\.bin/);
  });

  it('a base written to after the serving process verified it is hashed again, and the damage caught', async () => {
    const corpus = freshCorpus();
    const dir = tempDir('graphlog-served-');
    dirs.push(dir);
    const served = (await index(corpus, dir)).snapshot;
    const path = join(dir, served.generation, 'hnsw.bin');
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    writeFile(corpus, 'gen-0005.txt', article(940, random));
    const logger = captureLogger();
    const result = await runLocalIndex({ corpusDir: corpus, indexDir: dir, embedder, graphLog: LOG_ALWAYS, serving: served, logger });
    expect(logger.lines.some((l) => (l.msg ?? '').includes('served generation failed its check') && /hnsw\.bin fails its SHA-256 check/.test(JSON.stringify(l.obj)))).toBe(true);
    expect(result.summary.rebuildReason).toMatch(/previous index unusable/);
    expectSameGraph(result.snapshot.hnsw, loadCurrentGeneration(dir).hnsw);
  });
});

describe('an index written in format 2 (hnsw.bin alone)', () => {
  it('loads as a base with an empty log, and its next re-index links that base and writes format 3', async () => {
    const corpusDir = freshCorpus();
    const indexDir = tempDir('graphlog-v2-');
    dirs.push(indexDir);
    const built = (await index(corpusDir, indexDir)).snapshot;
    const manifest = manifestOf(indexDir, built.generation);
    manifest.formatVersion = 2;
    delete manifest.files['hnsw.log'];
    rmSync(join(indexDir, built.generation, 'hnsw.log'));
    const text = JSON.stringify(manifest, null, 1);
    writeFileSync(join(indexDir, built.generation, 'manifest.json'), text);
    writeFileSync(join(indexDir, 'CURRENT'), JSON.stringify({ generation: built.generation, manifestSha256: sha(text) }));

    const loaded = loadCurrentGeneration(indexDir);
    expect(loaded.graph!.log.operations).toBe(0);
    expectSameGraph(built.hnsw, loaded.hnsw);

    writeFile(corpusDir, 'gen-0007.txt', article(950, random));
    const next = (await index(corpusDir, indexDir, LOG_ALWAYS, loaded)).snapshot;
    expect(manifestOf(indexDir, next.generation).formatVersion).toBe(INDEX_FORMAT_VERSION);
    expect(INDEX_FORMAT_VERSION).toBe(3);
    expect(inode(indexDir, next.generation, 'hnsw.bin')).toBe(inode(indexDir, built.generation, 'hnsw.bin'));
    expect(next.graph!.log.added).toBeGreaterThan(0);
    expectSameGraph(next.hnsw, loadCurrentGeneration(indexDir).hnsw);
  });
});
