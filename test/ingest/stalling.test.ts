// Issue #24, in the core: a page of 5,000 nested elements is parsed quickly (it spent minutes in Readability), every
// format is parsed in the worker, and what the worker's limits still stop is refused by name and reason, with the
// rest of the corpus — and the index already built — intact.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentExtractor, DEFAULT_EXTRACTION_LIMITS } from '../../src/core/ingest/extract/extractor.js';
import { loadCorpus } from '../../src/core/ingest/load.js';
import { parseAnyDocument } from '../../src/core/ingest/parse.js';
import { runLocalIndex } from '../../src/stores/local/indexer.js';
import { largeText, nestedPage } from '../fixtures/stalling.js';
import { localEmbedder, removeDir, seedCorpusCopy, tempDir, writeFile } from '../helpers.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Well under the minutes the page took, and over what it takes now on a loaded machine. */
const QUICK = { ...DEFAULT_EXTRACTION_LIMITS, timeoutMs: 10_000 };

let extractor: DocumentExtractor;
beforeAll(() => {
  extractor = new DocumentExtractor(QUICK);
});
afterAll(async () => {
  await extractor.close();
});

describe('pathological pages', () => {
  it('a page of 5,000 nested elements is parsed within a 10 s limit, its text intact', async () => {
    const doc = await parseAnyDocument('deep-notice.html', encode(nestedPage(5000)), { extractor });
    expect(doc.title).toBe('Deep harbour notice');
    expect(doc.text).toContain('the northern quay will reopen in May after the caisson repairs are finished');
  });

  it('text formats are parsed in the worker too: an 8 MB text arrives whole', async () => {
    const text = largeText(8 * 1024 * 1024);
    const doc = await parseAnyDocument('works-report.txt', encode(text), { extractor });
    expect(doc.text.length).toBeGreaterThan(8_000_000);
  });

  it('a page past the time limit is skipped by name with the reason; the rest of the corpus and the index stay', async () => {
    const corpusDir = seedCorpusCopy();
    const indexDir = join(tempDir('stall-index-'), 'index');
    try {
      const embedder = await localEmbedder();
      const before = await runLocalIndex({ corpusDir, indexDir, embedder });
      // Nesting this deep is quadratic in the HTML parser itself (htmlparser2 keeps its open elements in an array
      // it shifts): tens of seconds, so the worker's limit refuses it.
      writeFile(corpusDir, 'abyss.html', nestedPage(150_000));
      const strict = new DocumentExtractor({ ...DEFAULT_EXTRACTION_LIMITS, timeoutMs: 4000 });
      try {
        // The worker loads its parser before this file's clock matters.
        await parseAnyDocument('warm-up.txt', encode('A short sentence about the harbour and the ferry timetable.'), { extractor: strict });
        const corpus = await loadCorpus(corpusDir, { extractor: strict });
        expect(corpus.skipped).toEqual([{ path: 'abyss.html', reason: 'parsing took longer than 4 s (time limit)' }]);
        const after = await runLocalIndex({ corpusDir, indexDir, embedder, corpus });
        expect(after.summary.skipped.map((s) => s.path)).toEqual(['abyss.html']);
        expect([...after.snapshot.documents.keys()].sort()).toEqual([...before.snapshot.documents.keys()].sort());
        expect(after.snapshot.chunks.length).toBe(before.snapshot.chunks.length);
      } finally {
        await strict.close();
      }
    } finally {
      removeDir(corpusDir);
      removeDir(join(indexDir, '..'));
    }
  }, 60_000);
});
