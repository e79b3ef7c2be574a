// A document added by link carries its address in both stores: in the documents and in the passages citations are
// cut from, and an unchanged manifest re-indexes nothing.
import { afterAll, describe, expect, it } from 'vitest';
import type { CorpusStore } from '../../src/core/corpus.js';
import { LocalStore } from '../../src/stores/local/store.js';
import { PgVectorStore } from '../../src/stores/pgvector/store.js';
import { startTestDatabase, type TestDatabase } from '../fakes/pglite-server.js';
import { captureLogger, localEmbedder, removeDir, seedCorpusCopy, tempDir, writeFile } from '../helpers.js';

let db: TestDatabase | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await db?.stop();
});

const KINDS: Array<{ name: string; create(corpusDir: string): Promise<CorpusStore> }> = [
  {
    name: 'local',
    async create(corpusDir) {
      const indexDir = tempDir('address-index-');
      cleanups.push(() => removeDir(indexDir));
      return new LocalStore({ corpusDir, indexDir, embedder: localEmbedder(), logger: captureLogger() });
    },
  },
  {
    name: 'pgvector',
    async create(corpusDir) {
      db ??= await startTestDatabase();
      await db.reset();
      return new PgVectorStore({ databaseUrl: db.url, poolSize: 2, corpusDir, embedder: localEmbedder(), logger: captureLogger() });
    },
  },
];

const ADDRESS = 'https://news.example/2026/02/hydrofoil-resumes';

describe.each(KINDS)('$name store', (kind) => {
  it('keeps the address of a document added by link, and re-indexes nothing when nothing changed', async () => {
    const corpusDir = seedCorpusCopy();
    cleanups.push(() => removeDir(corpusDir));
    writeFile(corpusDir, 'uploads/news.example-hydrofoil.txt', 'Hydrofoil service resumes\n\nA hydrofoil service between Fukuoka and Busan resumed on 2 February 2026, the operators said.\n');
    writeFile(corpusDir, 'uploads/.uploads.json', JSON.stringify({ version: 1, uploads: { 'uploads/news.example-hydrofoil.txt': { addedBy: '1', addedAt: '2026-02-03T00:00:00Z', originalName: ADDRESS, sha256: '', bytes: 0, url: ADDRESS } } }));
    const store = await kind.create(corpusDir);
    cleanups.push(() => store.close());
    const view = await store.open();
    expect((await view.documents()).get('uploads/news.example-hydrofoil.txt')?.url).toBe(ADDRESS);
    const found = await view.search('When did the hydrofoil service between Fukuoka and Busan resume?', { k: 3 });
    const passage = found.passages.find((p) => p.chunk.source === 'uploads/news.example-hydrofoil.txt');
    expect(passage?.doc.url).toBe(ADDRESS);
    const again = await store.reindex();
    expect(again.summary).toMatchObject({ added: 0, updated: 0, removed: 0, embedded: 0 });
  }, 120_000);
});
