// BM25 postings stored in a generation and derived from the previous one: both must search exactly like a
// fresh build over the same texts.
import { describe, expect, it } from 'vitest';
import { Bm25Index, Bm25Part, Bm25TermTable } from '../../src/core/retrieve/bm25.js';
import { mulberry32 } from '../../scripts/bench/corpus.js';
import { analyzeQuery } from '../../src/core/retrieve/query.js';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexedTextOf } from '../../src/core/retrieve/indexed-text.js';
import { loadCurrentGeneration } from '../../src/stores/local/generations.js';
import { runLocalIndex } from '../../src/stores/local/indexer.js';
import { removeDir, seedCorpusCopy, tempDir } from '../helpers.js';
import { HashEmbedder } from '../reliability/hash-embedder.js';

const before = [
  'The harbour bridge in Aldermoor opened in March 2021 after four years of work.',
  'Flooding closed the tram line twice last winter; the council blamed the drains.',
  'The library of Kestrel reopened with a new reading room and longer hours.',
  'A new tram depot is planned north of the harbour, the council said.',
  'Prices of bread rose by 8 percent in the region, the statistics office reported.',
];
// Row 1 changed, row 3 removed, two new rows; the others move.
const after = [before[0]!, 'Flooding closed the tram line three times; engineers replaced the pumps.', before[2]!, before[4]!, 'The bridge toll was abolished in 2023.', 'Kestrel elected a new mayor, a former librarian.'];
const previousRow = [0, -1, 2, 4, -1, -1];
const QUESTIONS = ['When did the harbour bridge open?', 'tram flooding pumps', 'Kestrel library mayor', 'bread prices', 'council depot', 'toll 2023'];

function results(index: Bm25Index) {
  return QUESTIONS.map((q) => index.search(analyzeQuery(q).terms, 10));
}

describe('stored and derived BM25 postings', () => {
  it('a derived index searches like a fresh build over the new texts, with the same statistics', () => {
    const derived = new Bm25Index(before).derive([after.length], Int32Array.from(previousRow), (row) => after[row] ?? '');
    const fresh = new Bm25Index(after);
    expect(results(derived)).toEqual(results(fresh));
    for (const term of ['depot', 'pump', 'tram', 'bridg', 'nowher']) {
      expect(derived.documentFrequency(term)).toBe(fresh.documentFrequency(term));
      expect(derived.idf(term)).toBe(fresh.idf(term));
    }
    // "depot" was only in the removed row: no row holds it any more.
    expect([...derived.vocabulary()].sort()).toEqual([...fresh.vocabulary()].sort());
  });

  it('round-trips through its binary form and refuses damaged bytes', () => {
    const index = new Bm25Index(after);
    const bytes = index.toBytes();
    const read = Bm25Index.fromBytes(bytes);
    expect(results(read)).toEqual(results(index));
    expect(read.size).toBe(after.length);
    expect(() => Bm25Index.fromBytes(bytes.subarray(0, bytes.byteLength - 2))).toThrow(/bytes/);
    const wrongRow = bytes.slice();
    const view = new DataView(wrongRow.buffer);
    const postings = view.getUint32(16, true);
    // The last posting's row (layout: …, rows, lengths, term frequencies) points past the last row.
    view.setInt32(wrongRow.byteLength - 2 * postings - 4 * after.length - 4, 999, true);
    expect(() => Bm25Index.fromBytes(wrongRow)).toThrow(/BM25/);
  });
});

/** Random texts over a small vocabulary (so terms repeat across rows), with rare numbers and stop words mixed in. */
function randomTexts(random: () => number, count: number, from = 0): string[] {
  const pool = ['harbour', 'bridges', 'bridge', 'council', 'tram', 'flooding', 'pumps', 'library', 'mayor', 'prices', 'bread', 'depot', 'ferry', 'reading', 'engineers', 'winter', 'the', 'of', 'and', 'Kestrel', 'Aldermoor'];
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from({ length: 1 + Math.floor(random() * 30) }, () => pool[Math.floor(random() * pool.length)]!);
    if (random() < 0.3) words.push(`n${from + i}`); // a term only this row holds
    return words.join(' ');
  });
}

/** Rows cut into segments of random sizes (some empty, as the tail can be). */
function randomSegments(random: () => number, rows: number): number[] {
  const out: number[] = [];
  let left = rows;
  while (left > 0) {
    const n = Math.min(left, Math.floor(random() * 12));
    out.push(n);
    left -= n;
  }
  out.push(0);
  return out;
}

function expectSameSearches(index: Bm25Index, fresh: Bm25Index, queries: readonly (readonly string[])[]): void {
  expect(index.size).toBe(fresh.size);
  for (const terms of queries) {
    expect(index.search(terms, 7)).toEqual(fresh.search(terms, 7));
    expect(index.search(terms, 500)).toEqual(fresh.search(terms, 500));
    for (const term of terms) expect(index.documentFrequency(term)).toBe(fresh.documentFrequency(term));
  }
  expect([...index.vocabulary()].sort()).toEqual([...fresh.vocabulary()].sort());
}

describe('BM25 postings cut per segment', () => {
  const queries = ['harbour bridge', 'council tram flooding', 'kestrel mayor library', 'bread prices n3 n17', 'ferri depot winter', 'engin pump', 'n44 n45 n46 n47'].map((q) => analyzeQuery(q).terms);

  it('searches exactly like one fresh build over the same texts, through re-indexes that change, add and remove rows', () => {
    const random = mulberry32(11);
    let texts = randomTexts(random, 60);
    let index = new Bm25Index({ segments: randomSegments(random, texts.length), textOf: (row) => texts[row] ?? '' });
    expect(index.parts.length).toBeGreaterThan(3);
    expectSameSearches(index, new Bm25Index(texts), queries);
    let added = 60;
    for (let round = 0; round < 6; round++) {
      // Keep most rows (some with new text), drop some, append new ones; a kept row may move.
      const next: string[] = [];
      const previousRows: number[] = [];
      texts.forEach((text, row) => {
        const roll = random();
        if (roll < 0.1) return; // removed
        if (roll < 0.2) {
          next.push(randomTexts(random, 1, added++)[0]!);
          previousRows.push(-1);
          return;
        }
        next.push(text);
        previousRows.push(row);
      });
      const fresh = randomTexts(random, 1 + Math.floor(random() * 8), added);
      added += fresh.length;
      next.push(...fresh);
      previousRows.push(...fresh.map(() => -1));
      // Every other round keeps the previous cut where it can (so parts are shared), else cuts anew.
      const segments = round % 2 === 0 ? keepCut(index, previousRows) : randomSegments(random, next.length);
      const derived = index.derive(segments, Int32Array.from(previousRows), (row) => next[row] ?? '');
      expect(derived.parts.map((part) => part.rows)).toEqual(segments);
      expectSameSearches(derived, new Bm25Index(next), queries);
      // What a generation stores reads back the same.
      const table = Bm25TermTable.fromBytes(derived.termBytes());
      const stored = Bm25Index.fromStored(table, derived.parts.map((part) => Bm25Part.fromBytes(part.toBytes(), table.count)));
      expectSameSearches(stored, new Bm25Index(next), queries);
      // The previous index still answers as before: the table the two share only grew.
      expectSameSearches(index, new Bm25Index(texts), queries);
      texts = next;
      index = derived;
    }
  });

  it('shares the parts of unchanged segments and keeps term ids; a part built from reused rows equals a fresh one', () => {
    const random = mulberry32(5);
    const texts = randomTexts(random, 40);
    const index = new Bm25Index({ segments: [10, 10, 10, 10, 0], textOf: (row) => texts[row] ?? '' });
    const next = [...texts];
    next[15] = `${texts[15]} zeppelin`;
    const previousRows = Int32Array.from(texts.map((_, row) => (row === 15 ? -1 : row)));
    const derived = index.derive([10, 10, 10, 10, 0], previousRows, (row) => next[row] ?? '');
    expect(derived.parts.map((part, i) => part === index.parts[i])).toEqual([true, false, true, true, false]);
    expect(derived.termCount).toBe(index.termCount + 1); // "zeppelin" appended
    expect(Buffer.from(derived.termBytes()).subarray(0, index.termBytes().byteLength).equals(Buffer.from(index.termBytes()))).toBe(true);
    const rebuilt = new Bm25Index({ segments: [10], textOf: (row) => next[10 + row] ?? '' });
    // Same postings and lengths (term ids differ in a table built afresh: compare through the terms).
    const termsOf = (owner: Bm25Index, part: Bm25Part) => {
      const table = Bm25TermTable.fromBytes(owner.termBytes());
      return [...part.termIds].map((id, k) => [table.terms[id], [...part.postingRows.subarray(part.offsets[k], part.offsets[k + 1])], [...part.tfs.subarray(part.offsets[k], part.offsets[k + 1])]]).sort();
    };
    expect(termsOf(derived, derived.parts[1]!)).toEqual(termsOf(rebuilt, rebuilt.parts[0]!));
    expect([...derived.parts[1]!.lengths]).toEqual([...rebuilt.parts[0]!.lengths]);
    expect(() => Bm25Part.fromBytes(derived.parts[1]!.toBytes(), index.termCount)).toThrow(/outside the term table/);
  });
});

describe('parts assembled from previous postings', () => {
  it('are byte for byte the parts tokenising every row gives (one previous part in order, or several)', () => {
    const random = mulberry32(23);
    const texts = randomTexts(random, 40).map((text) => text.replace(/ n\d+/g, '')); // no row-only terms: no new ids below
    const index = new Bm25Index({ segments: [10, 10, 10, 10, 0], textOf: (row) => texts[row] ?? '' });
    const next = texts.map((text, row) => (row === 15 || row === 33 ? texts[row - 12]! : text));
    const textOf = (row: number) => next[row] ?? '';
    const kept = Int32Array.from(texts.map((_, row) => (row === 15 || row === 33 ? -1 : row)));
    const none = new Int32Array(texts.length).fill(-1);
    for (const segments of [[10, 10, 10, 10, 0], [20, 20, 0], [5, 30, 5]]) {
      const assembled = index.derive(segments, kept, textOf);
      const tokenised = index.derive(segments, none, textOf);
      expect(assembled.termCount).toBe(index.termCount);
      expect(assembled.parts.map((part) => Buffer.from(part.toBytes()).toString('hex'))).toEqual(tokenised.parts.map((part) => Buffer.from(part.toBytes()).toString('hex')));
    }
  });
});

/** Segment sizes that follow the previous index's parts for the rows kept in order, new rows in a last segment. */
function keepCut(index: Bm25Index, previousRows: readonly number[]): number[] {
  const partOfOld: number[] = [];
  index.parts.forEach((part, p) => partOfOld.push(...Array.from({ length: part.rows }, () => p)));
  const segments = index.parts.map(() => 0);
  let tail = 0;
  for (const old of previousRows) {
    if (old >= 0) segments[partOfOld[old]!]! += 1;
    else tail++;
  }
  return [...segments, tail];
}

describe('BM25 postings in a local generation', () => {
  it('are stored, checked like every file, and after a one-document re-index equal a fresh build', async () => {
    const corpusDir = seedCorpusCopy();
    const indexDir = tempDir('bm25-gen-');
    try {
      const embedder = new HashEmbedder();
      await runLocalIndex({ corpusDir, indexDir, embedder });
      const first = readdirSync(corpusDir).filter((name) => name.endsWith('.txt')).sort()[0]!;
      appendFileSync(join(corpusDir, first), '\nThe harbour authority added a second ferry pier in Aldermoor.\n');
      const { snapshot } = await runLocalIndex({ corpusDir, indexDir, embedder });

      const loaded = loadCurrentGeneration(indexDir);
      expect(loaded.bm25).toBeDefined();
      const texts = loaded.chunks.map((chunk) => indexedTextOf(chunk.text, loaded.documents.get(chunk.source) ?? null));
      const fresh = new Bm25Index(texts);
      for (const q of ['second ferry pier Aldermoor', ...QUESTIONS]) {
        expect(loaded.bm25!.search(analyzeQuery(q).terms, 10)).toEqual(fresh.search(analyzeQuery(q).terms, 10));
      }

      // Everything is in the tail at the default segment bound: its postings are docstore.bm25.
      const bm25Path = join(indexDir, snapshot.generation, 'docstore.bm25');
      const bytes = readFileSync(bm25Path);
      bytes[bytes.byteLength >> 1] = (bytes[bytes.byteLength >> 1] ?? 0) ^ 0xff;
      writeFileSync(bm25Path, bytes);
      expect(() => loadCurrentGeneration(indexDir)).toThrow(/docstore\.bm25 fails its SHA-256 check/);
    } finally {
      removeDir(corpusDir);
      removeDir(indexDir);
    }
  });
});
