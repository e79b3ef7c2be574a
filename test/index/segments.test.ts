// Segmented generations: a re-index hard-links the docstore/vector segments it did not change, a damaged segment is
// still caught by its checksum, generations stay independent by name, and a format-1 index (one docstore.json)
// still loads and is segmented by its next re-index.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/core/retrieve/bm25.js';
import { indexedTextOf } from '../../src/core/retrieve/indexed-text.js';
import { analyzeQuery } from '../../src/core/retrieve/query.js';
import { loadCurrentGeneration, loadGeneration } from '../../src/stores/local/generations.js';
import { runLocalIndex } from '../../src/stores/local/indexer.js';
import { INDEX_FORMAT_VERSION } from '../../src/stores/local/manifest.js';
import { planSegments } from '../../src/stores/local/segments.js';
import { LocalStore } from '../../src/stores/local/store.js';
import type { IndexSnapshot } from '../../src/stores/local/snapshot.js';
import { captureLogger, removeDir, tempDir, writeFile } from '../helpers.js';
import { article, generateCorpus, HashEmbedder, seeded } from '../reliability/support.js';
import { corruptLoadError, expectFallbackThenRebuild, flipByte } from './damage.js';

const embedder = new HashEmbedder();
const EDITED_LATER = 'gen-0012.txt';
/** A few documents per segment with the 64-dimension test embedder. */
const SEGMENT_BYTES = 6_000;
const random = seeded(7);
const dirs: string[] = [];
let corpusDir: string;

beforeAll(() => {
  corpusDir = tempDir('seg-corpus-');
  dirs.push(corpusDir);
  generateCorpus(corpusDir, 24, 17);
});
afterAll(() => dirs.forEach(removeDir));

const index = (indexDir: string, corpus = corpusDir) => runLocalIndex({ corpusDir: corpus, indexDir, embedder, segmentBytes: SEGMENT_BYTES });
const sealedFiles = (snapshot: IndexSnapshot) =>
  (snapshot.segments ?? []).filter((s) => s.id !== null).flatMap((s) => [s.docstore.name, s.vectors.name, ...(s.bm25 ? [s.bm25.name] : [])]);
const inode = (indexDir: string, generation: string, name: string) => statSync(join(indexDir, generation, name)).ino;
const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** Same documents, chunks (row by row), vectors and postings. */
function expectSameContent(a: IndexSnapshot, b: IndexSnapshot): void {
  expect([...a.documents.keys()]).toEqual([...b.documents.keys()]);
  expect(a.chunks.map((c) => [c.id, c.label, c.text])).toEqual(b.chunks.map((c) => [c.id, c.label, c.text]));
  expect(Buffer.from(a.vectors.buffer).equals(Buffer.from(b.vectors.buffer))).toBe(true);
  expect(Buffer.from(a.bm25!.toBytes()).equals(Buffer.from(b.bm25!.toBytes()))).toBe(true);
  const records = (s: IndexSnapshot) => [...(s.scan ?? new Map()).values()].sort((x, y) => x.source.localeCompare(y.source));
  expect(records(a).length).toBeGreaterThan(0);
  expect(records(a)).toEqual(records(b));
}

/** Turns a format-3 generation's postings (bm25.terms + one .bm25 per segment) into formats 1–2's one bm25.bin. */
function toWholeBm25File(dir: string, manifest: { files: Record<string, unknown> }, snapshot: IndexSnapshot): void {
  for (const name of Object.keys(manifest.files).filter((name) => name.endsWith('.bm25') || name === 'bm25.terms')) {
    rmSync(join(dir, name));
    delete manifest.files[name];
  }
  const bytes = snapshot.bm25!.toBytes();
  writeFileSync(join(dir, 'bm25.bin'), bytes);
  manifest.files['bm25.bin'] = { sha256: sha(bytes), bytes: bytes.byteLength };
}

/** A copy of the corpus with one document edited (the others untouched). */
function corpusWith(edits: Record<string, string>): string {
  const dir = tempDir('seg-corpus-edit-');
  dirs.push(dir);
  for (let i = 0; i < 24; i++) {
    const name = `gen-${String(i).padStart(4, '0')}.txt`;
    writeFile(dir, name, edits[name] ?? readFileSync(join(corpusDir, name)));
  }
  return dir;
}

describe('planSegments', () => {
  const docs = (n: number) => Array.from({ length: n }, (_, i) => ({ source: `d${i}`, bytes: 100 }));
  it('packs a build from nothing into sealed segments of the bound and a smaller tail', () => {
    expect(planSegments({ previous: null, documents: docs(7), unchanged: () => false, segmentBytes: 300 })).toEqual([
      { sources: ['d0', 'd1', 'd2'], sealed: true },
      { sources: ['d3', 'd4', 'd5'], sealed: true },
      { sources: ['d6'], sealed: false },
    ]);
  });
  it('keeps unchanged segments, rewrites the one with a change in place, and sends new documents to the tail', () => {
    const previous = planSegments({ previous: null, documents: docs(7), unchanged: () => false, segmentBytes: 300 });
    const next = planSegments({ previous, documents: [...docs(7), { source: 'new', bytes: 100 }], unchanged: (s) => s !== 'd4', segmentBytes: 300 });
    expect(next).toEqual([
      { sources: ['d0', 'd1', 'd2'], sealed: true },
      { sources: ['d3', 'd4', 'd5'], sealed: true },
      { sources: ['d6', 'new'], sealed: false },
    ]);
  });
  it('compacts a segment that removals shrank below half the bound into the tail', () => {
    const previous = planSegments({ previous: null, documents: docs(7), unchanged: () => false, segmentBytes: 300 });
    const remaining = docs(7).filter((d) => d.source !== 'd3' && d.source !== 'd4');
    expect(planSegments({ previous, documents: remaining, unchanged: () => true, segmentBytes: 300 })).toEqual([
      { sources: ['d0', 'd1', 'd2'], sealed: true },
      { sources: ['d5', 'd6'], sealed: false },
    ]);
  });
});

describe('segmented generations on disk', () => {
  let indexDir: string;
  let first: IndexSnapshot;
  let second: IndexSnapshot;
  const EDITED = 'gen-0005.txt';

  beforeAll(async () => {
    indexDir = tempDir('seg-index-');
    dirs.push(indexDir);
    first = (await index(indexDir)).snapshot;
    second = (await index(indexDir, corpusWith({ [EDITED]: article(905, random) }))).snapshot;
  });

  it('a one-document re-index links every segment but the one holding that document (and the tail)', () => {
    const sealed = (first.segments ?? []).filter((s) => s.id !== null);
    expect(sealed.length).toBeGreaterThanOrEqual(3);
    const before = new Set(sealedFiles(first));
    const linked = sealedFiles(second).filter((name) => before.has(name));
    for (const name of linked) expect(inode(indexDir, second.generation, name)).toBe(inode(indexDir, first.generation, name));
    const rewritten = (second.segments ?? []).filter((s) => s.id !== null && !before.has(s.docstore.name));
    expect(rewritten).toHaveLength(1);
    expect(rewritten[0]!.sources).toContain(EDITED);
    // Docstore, vector rows and BM25 postings of each unchanged segment.
    expect(linked).toHaveLength(3 * (sealed.length - 1));
    expect(linked.filter((name) => name.endsWith('.bm25'))).toHaveLength(sealed.length - 1);
    // What the writer kept in memory is exactly what a process loading the generation reads.
    expectSameContent(second, loadCurrentGeneration(indexDir));
  });

  it('removing the older generation leaves the newer one whole', () => {
    const again = loadGeneration(indexDir, second.generation);
    rmSync(join(indexDir, first.generation), { recursive: true });
    expectSameContent(again, loadCurrentGeneration(indexDir));
  });

  it('damage to a linked segment is detected, and a re-index writes it anew', async () => {
    const dir = tempDir('seg-damage-');
    dirs.push(dir);
    await index(dir);
    const current = (await index(dir, corpusWith({ [EDITED]: article(905, seeded(7)) }))).snapshot;
    const linkedName = sealedFiles(current).find((name) => name.endsWith('.json'))!;
    flipByte(join(dir, current.generation, linkedName));
    expect(corruptLoadError(dir).message).toContain(`${linkedName} fails its SHA-256 check`);
    const rebuilt = await index(dir);
    expect(rebuilt.summary.rebuildReason).toMatch(/previous index unusable/);
    expect(loadCurrentGeneration(dir).chunks.length).toBe(rebuilt.summary.chunks);
  });

  it('a segment written to after the serving process verified it is rewritten from memory, not linked', async () => {
    const dir = tempDir('seg-serving-');
    dirs.push(dir);
    const store = new LocalStore({ corpusDir, indexDir: dir, embedder, logger: captureLogger() });
    await index(dir);
    await store.open();
    const served = store.current.snapshot;
    const victim = sealedFiles(served).find((name) => name.endsWith('.f32'))!;
    const path = join(dir, served.generation, victim);
    const bytes = readFileSync(path);
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    writeFile(corpusDir, 'late.txt', article(999, random));
    try {
      const { revision } = await store.reindex();
      const loaded = loadCurrentGeneration(dir); // would fail its checksum had the damaged file been linked
      expect(loaded.generation).toBe(revision);
      expect(sha(readFileSync(join(dir, revision, victim)))).toBe(loaded.segments!.find((s) => s.vectors.name === victim)!.vectors.sha256);
    } finally {
      rmSync(join(corpusDir, 'late.txt'));
    }
  });
});

describe('an index written in format 1 (one docstore.json)', () => {
  it('loads, and its next re-index writes sealed segments', async () => {
    const dir = tempDir('seg-v1-');
    dirs.push(dir);
    const built = (await runLocalIndex({ corpusDir, indexDir: dir, embedder })).snapshot; // default bound: all in the tail
    expect(built.segments).toHaveLength(1);
    const manifestPath = join(dir, built.generation, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    // Format 1 had no segments, kept the scan records in scan.json and all postings in bm25.bin.
    manifest.formatVersion = 1;
    delete manifest.segments;
    renameSync(join(dir, built.generation, 'docstore.scan.json'), join(dir, built.generation, 'scan.json'));
    manifest.files['scan.json'] = manifest.files['docstore.scan.json'];
    delete manifest.files['docstore.scan.json'];
    toWholeBm25File(join(dir, built.generation), manifest, built);
    // …and no graph log (format 3): its hnsw.bin is the whole graph.
    rmSync(join(dir, built.generation, 'hnsw.log'));
    delete manifest.files['hnsw.log'];
    const text = JSON.stringify(manifest, null, 1);
    writeFileSync(manifestPath, text);
    writeFileSync(join(dir, 'CURRENT'), JSON.stringify({ generation: built.generation, manifestSha256: sha(text) }));
    expectSameContent(built, loadCurrentGeneration(dir));

    writeFile(corpusDir, 'late.txt', article(998, random));
    try {
      const next = await index(dir);
      expect(next.summary).toMatchObject({ added: 1, embedded: next.snapshot.chunks.filter((c) => c.source === 'late.txt').length });
      expect((next.snapshot.segments ?? []).filter((s) => s.id !== null).length).toBeGreaterThanOrEqual(3);
      expect(JSON.parse(readFileSync(join(dir, next.snapshot.generation, 'manifest.json'), 'utf8')).formatVersion).toBe(INDEX_FORMAT_VERSION);
      expectSameContent(next.snapshot, loadCurrentGeneration(dir));
    } finally {
      rmSync(join(corpusDir, 'late.txt'));
    }
  });
});

const QUERIES = ['Harbour council approved a new bridge', 'ferry operator winter timetable', 'solar farm report 905', 'residents wrote to the library', 'day 1203', 'Northgate flood wall'];

/** The generation's postings search exactly like a fresh build over its chunks' indexed texts. */
function expectFreshSearches(snapshot: IndexSnapshot): void {
  const texts = snapshot.chunks.map((chunk) => indexedTextOf(chunk.text, snapshot.documents.get(chunk.source) ?? null));
  const fresh = new Bm25Index(texts);
  expect(snapshot.bm25!.parts.length).toBe(snapshot.segments!.length);
  for (const question of QUERIES) {
    const { terms } = analyzeQuery(question);
    expect(snapshot.bm25!.search(terms, 20)).toEqual(fresh.search(terms, 20));
    for (const term of terms) expect(snapshot.bm25!.idf(term)).toBe(fresh.idf(term));
  }
}

describe('BM25 postings per segment', () => {
  it('search like a fresh build after re-indexes that change, add, retitle and remove documents', async () => {
    const dir = tempDir('seg-bm25-');
    const corpus = tempDir('seg-bm25-corpus-');
    dirs.push(dir, corpus);
    cpSync(corpusDir, corpus, { recursive: true });
    const steps: Array<() => void> = [
      () => writeFile(corpus, 'gen-0003.txt', article(903, random)),
      () => writeFile(corpus, 'late-1.txt', article(1001, random)),
      // Same body, new title: every chunk keeps its text but not its indexed text.
      () => writeFile(corpus, 'gen-0010.txt', readFileSync(join(corpus, 'gen-0010.txt'), 'utf8').replace(/^[^\n]*/, 'Westbrook museum reviewed extra staff (report 1010)')),
      () => ['gen-0000.txt', 'gen-0001.txt', 'gen-0002.txt', 'gen-0004.txt'].forEach((name) => rmSync(join(corpus, name))),
      () => {
        writeFile(corpus, 'late-2.txt', article(1002, random));
        writeFile(corpus, 'gen-0020.txt', article(920, random));
      },
    ];
    let snapshot = (await index(dir, corpus)).snapshot;
    expectFreshSearches(snapshot);
    for (const step of steps) {
      step();
      const before = snapshot;
      snapshot = (await index(dir, corpus)).snapshot;
      // Unchanged segments keep their postings as they are: the same file.
      const previousNames = new Set(before.segments!.map((segment) => segment.bm25!.name));
      const kept = snapshot.segments!.filter((segment) => segment.id !== null && previousNames.has(segment.bm25!.name));
      expect(kept.length).toBeGreaterThan(0);
      for (const { bm25 } of kept) expect(inode(dir, snapshot.generation, bm25!.name)).toBe(inode(dir, before.generation, bm25!.name));
      expectFreshSearches(snapshot);
      const loaded = loadCurrentGeneration(dir);
      expectSameContent(snapshot, loaded);
      expectFreshSearches(loaded);
    }
  });

  it('a segment renamed by a changed document record, with the same chunks, keeps its postings under the new name', async () => {
    const dir = tempDir('seg-bm25-rename-');
    dirs.push(dir);
    const name = 'gen-0007.txt';
    const first = (await index(dir)).snapshot;
    // Trailing blank lines: a new file hash (so a new document record and segment id), the same chunks; and a new
    // document, so that something is written at all.
    const corpus = corpusWith({ [name]: `${readFileSync(join(corpusDir, name), 'utf8')}\n\n\n` });
    writeFile(corpus, 'late-3.txt', article(1003, random));
    const second = (await index(dir, corpus)).snapshot;
    const before = first.segments!.find((segment) => segment.sources.includes(name))!;
    const after = second.segments!.find((segment) => segment.sources.includes(name))!;
    expect(after.id).not.toBe(before.id);
    expect(after.bm25!.name).toBe(`${after.id}.bm25`);
    // Every file of the segment follows its id, or the next load would not find the scan records.
    expect(after.scan!.name).toBe(`${after.id}.scan.json`);
    expect(inode(dir, second.generation, after.bm25!.name)).toBe(inode(dir, first.generation, before.bm25!.name));
    const loaded = loadCurrentGeneration(dir);
    expect(loaded.scan?.get(name)).toBeDefined();
    expectSameContent(second, loaded);
    expectFreshSearches(loaded);
  });

  it('a damaged seg-*.bm25 is caught by its checksum; the previous generation answers while the index is rebuilt', async () => {
    const dir = tempDir('seg-bm25-damage-');
    dirs.push(dir);
    const good = (await index(dir)).snapshot.generation;
    const current = (await index(dir, corpusWith({ [EDITED_LATER]: article(906, seeded(9)) }))).snapshot;
    // The rewritten segment's postings: a linked file is the previous generation's too, so damage would reach both.
    const victim = sealedFiles(current).find((name) => name.endsWith('.bm25') && !existsSync(join(dir, good, name)))!;
    flipByte(join(dir, current.generation, victim));
    expect(corruptLoadError(dir).message).toContain(`${victim} fails its SHA-256 check`);
    const logged = new RegExp(`${victim.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} fails its SHA-256 check`);
    const rebuilt = await expectFallbackThenRebuild({ corpusDir, indexDir: dir, embedder, fallback: good, damaged: current.generation, logged });
    expectFreshSearches(rebuilt);
  });

  it('postings that pass their checksum but are not valid (a forged manifest) are refused by name', async () => {
    const dir = tempDir('seg-bm25-forged-');
    dirs.push(dir);
    const built = (await index(dir)).snapshot;
    const victim = sealedFiles(built).find((name) => name.endsWith('.bm25'))!;
    const genDir = join(dir, built.generation);
    const bytes = readFileSync(join(genDir, victim));
    bytes.writeUInt32LE(0x7fffffff, 5 * 4); // the first term id: far outside the term table
    rmSync(join(genDir, victim)); // it is a fresh file, but write a new inode as a forger would
    writeFileSync(join(genDir, victim), bytes);
    const manifestPath = join(genDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.files[victim] = { sha256: sha(bytes), bytes: bytes.length };
    const text = JSON.stringify(manifest, null, 1);
    writeFileSync(manifestPath, text);
    writeFileSync(join(dir, 'CURRENT'), JSON.stringify({ generation: built.generation, manifestSha256: sha(text) }));
    expect(() => loadCurrentGeneration(dir)).toThrow(new RegExp(`${victim.replace('.', '\\.')} could not be read: .*outside the term table`));
  });
});

describe('an index with one bm25.bin (format 2, or format 3 before per-segment postings)', () => {
  it.each([2, 3])('format %i loads, and its next re-index writes postings per segment', async (formatVersion) => {
    const dir = tempDir('seg-v2-');
    dirs.push(dir);
    const built = (await index(dir)).snapshot;
    expect((built.segments ?? []).length).toBeGreaterThan(3);
    const genDir = join(dir, built.generation);
    const manifestPath = join(genDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.formatVersion = formatVersion;
    toWholeBm25File(genDir, manifest, built);
    if (formatVersion === 2) {
      // …and no graph log: format 2's hnsw.bin is the whole graph.
      rmSync(join(genDir, 'hnsw.log'));
      delete manifest.files['hnsw.log'];
    }
    const text = JSON.stringify(manifest, null, 1);
    writeFileSync(manifestPath, text);
    writeFileSync(join(dir, 'CURRENT'), JSON.stringify({ generation: built.generation, manifestSha256: sha(text) }));
    expect(readdirSync(genDir).filter((name) => name.endsWith('.bm25') || name === 'bm25.terms')).toEqual([]);
    const loaded = loadCurrentGeneration(dir);
    expect(loaded.bm25!.parts).toHaveLength(1);
    expectSameContent(built, loaded);

    const next = (await index(dir, corpusWith({ [EDITED_LATER]: article(907, seeded(3)) }))).snapshot;
    const nextDir = join(dir, next.generation);
    const nextManifest = JSON.parse(readFileSync(join(nextDir, 'manifest.json'), 'utf8'));
    expect(nextManifest.formatVersion).toBe(3);
    expect(nextManifest.files['bm25.bin']).toBeUndefined();
    expect(nextManifest.files['bm25.terms']).toBeDefined();
    for (const segment of next.segments!) expect(nextManifest.files[segment.bm25!.name]).toBeDefined();
    const reloaded = loadCurrentGeneration(dir);
    expectSameContent(next, reloaded);
    expectFreshSearches(reloaded);
  });
});
