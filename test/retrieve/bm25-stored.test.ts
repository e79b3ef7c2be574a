// BM25 postings stored in a generation and derived from the previous one: both must search exactly like a
// fresh build over the same texts.
import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/core/retrieve/bm25.js';
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
