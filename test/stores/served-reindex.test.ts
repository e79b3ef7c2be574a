// The bot's re-index starts from the snapshot it serves (verified when loaded) instead of reading the generation
// again, and patches a private copy of its graph: queries still running on the old view see it unchanged.
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStore } from '../../src/stores/local/store.js';
import { captureLogger, removeDir, seedCorpusCopy, tempDir } from '../helpers.js';
import { HashEmbedder } from '../reliability/hash-embedder.js';

describe('re-index from the served snapshot', () => {
  it('leaves the served graph untouched and gives the generation a fresh load gives', async () => {
    const corpusDir = seedCorpusCopy();
    const indexDir = tempDir('served-');
    try {
      const embedder = new HashEmbedder();
      const store = new LocalStore({ corpusDir, indexDir, embedder, logger: captureLogger() });
      const old = await store.open();
      const query = await embedder.embedQuery('summit cooperation missile');
      const before = old.vectorSearch(query, 10);
      const elements = old.snapshot.hnsw.getCurrentCount();

      const victim = readdirSync(corpusDir).filter((name) => name.endsWith('.txt')).sort()[0]!;
      appendFileSync(join(corpusDir, victim), '\nThe harbour authority added a second ferry pier in Aldermoor.\n');
      const { summary } = await store.reindex();
      expect(summary.updated).toBe(1);

      // The old view (a query that started before the swap) searches the very same graph as before.
      expect(old.snapshot.hnsw.getCurrentCount()).toBe(elements);
      expect(old.vectorSearch(query, 10)).toEqual(before);

      // The new generation, read back from disk, holds the change and answers like the served one.
      const fresh = new LocalStore({ corpusDir, indexDir, embedder, logger: captureLogger() });
      const reloaded = await fresh.open();
      const served = await store.view();
      expect(reloaded.revision).toBe(served.revision);
      expect((await reloaded.search('second ferry pier Aldermoor', { k: 3 })).passages[0]?.chunk.source).toBe(victim);
      expect(reloaded.vectorSearch(query, 10)).toEqual(served.vectorSearch(query, 10));
    } finally {
      removeDir(corpusDir);
      removeDir(indexDir);
    }
  });
});
