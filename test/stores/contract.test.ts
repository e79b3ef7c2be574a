// One contract, two stores: every behaviour the use cases rely on from a CorpusStore / CorpusView, run against the
// local store (real hnswlib generations on disk) and the PostgreSQL store (the project's pg code over TCP to PGlite
// + pgvector on 127.0.0.1, or TEST_DATABASE_URL). What only one store has (generations and their damage, SQL rows,
// advisory locks, several processes) is tested beside it: test/index/, test/reliability/, test/pgvector/.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorpusStore } from '../../src/core/corpus.js';
import type { Embedder } from '../../src/core/types.js';
import { LocalStore } from '../../src/stores/local/store.js';
import { PgVectorStore } from '../../src/stores/pgvector/store.js';
import { startTestDatabase, type TestDatabase } from '../fakes/pglite-server.js';
import { HashEmbedder } from '../reliability/hash-embedder.js';
import { captureLogger, localEmbedder, removeDir, seedCorpusCopy, tempDir } from '../helpers.js';

interface StoreKind {
  name: string;
  /** A new, empty place for a store: an index directory, an emptied database. */
  empty(): Promise<string>;
  create(place: string, corpusDir: string, embedder: Embedder): CorpusStore;
}

let db: TestDatabase | undefined;
const cleanups: Array<() => Promise<void> | void> = [];

const KINDS: StoreKind[] = [
  {
    name: 'local (hnswlib)',
    async empty() {
      const dir = tempDir('contract-index-');
      cleanups.push(() => removeDir(dir));
      return dir;
    },
    create: (indexDir, corpusDir, embedder) => new LocalStore({ corpusDir, indexDir, embedder, logger: captureLogger() }),
  },
  {
    name: process.env.TEST_DATABASE_URL ? 'pgvector (PostgreSQL at TEST_DATABASE_URL)' : 'pgvector (PGlite)',
    async empty() {
      db ??= await startTestDatabase();
      await db.reset();
      return db.url;
    },
    create: (databaseUrl, corpusDir, embedder) => new PgVectorStore({ databaseUrl, poolSize: 4, corpusDir, embedder, logger: captureLogger() }),
  },
];

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await db?.stop();
});

const THAAD_SOURCE = '001_bafdd1d5e9ecaa96.txt';
const FERRY = 'A hydrofoil service between Fukuoka and Busan resumed on 2 February 2026, the operators said.\n';

describe.each(KINDS)('$name store', (kind) => {
  let corpusDir: string;
  let place: string;
  let store: CorpusStore;

  /** A store over the same place and corpus (another process, or this one after a restart). */
  function sibling(embedder: Embedder = localEmbedder()): CorpusStore {
    const other = kind.create(place, corpusDir, embedder);
    cleanups.push(() => other.close());
    return other;
  }

  beforeAll(async () => {
    corpusDir = seedCorpusCopy();
    cleanups.push(() => removeDir(corpusDir));
    place = await kind.empty();
    store = sibling();
  }, 60_000);

  it('opens an empty store by indexing the corpus, and describes what it holds', async () => {
    const view = await store.open();
    expect(view.documentCount).toBe(5);
    expect(view.chunkCount).toBeGreaterThan(10);
    expect({ id: view.embedder.id, dimension: view.embedder.dimension }).toEqual({ id: localEmbedder().id, dimension: localEmbedder().dimension });
    const documents = await view.documents();
    expect([...documents.keys()].sort()).toHaveLength(5);
    for (const doc of documents.values()) expect(doc.indexedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const counts = await view.chunkCounts();
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(view.chunkCount);
    expect((await store.view()) === view).toBe(true);
  });

  it('searches: k distinct passages, the best first, each quoted at its offsets in the documents returned with it', async () => {
    const view = await store.view();
    const { passages, documents } = await view.search('THAAD missile defence system', { k: 4 });
    expect(passages).toHaveLength(4);
    expect(passages.some((p) => p.chunk.source === THAAD_SOURCE && p.chunk.text.includes('THAAD'))).toBe(true);
    // MMR orders the rest for diversity; the first pick is the most relevant.
    const scores = passages.map((p) => p.score);
    expect(Math.max(...scores)).toBe(scores[0]);
    for (const passage of passages) {
      const doc = documents.get(passage.chunk.source);
      expect(doc?.text.slice(passage.chunk.start, passage.chunk.end)).toBe(passage.chunk.text);
      expect(passage.doc).toMatchObject({ source: doc?.source, title: doc?.title, publishedAt: doc?.publishedAt });
      expect(passage.termCoverage).toBeGreaterThanOrEqual(0);
      expect(passage.termCoverage).toBeLessThanOrEqual(1);
    }
    // No passage repeats more than half of a better one from the same document.
    for (const [i, a] of passages.entries()) {
      for (const b of passages.slice(i + 1)) {
        if (a.chunk.source !== b.chunk.source) continue;
        const overlap = Math.min(a.chunk.end, b.chunk.end) - Math.max(a.chunk.start, b.chunk.start);
        expect(overlap).toBeLessThanOrEqual(0.5 * Math.min(a.chunk.end - a.chunk.start, b.chunk.end - b.chunk.start));
      }
    }
  });

  it('filters by source and by date, and ranks by one side alone when asked', async () => {
    const view = await store.view();
    const dated = [...(await view.documents()).values()].filter((doc) => doc.publishedAt).sort((a, b) => (a.publishedAt ?? '').localeCompare(b.publishedAt ?? ''));
    const newest = dated[dated.length - 1]!;
    const bySource = await view.search('missile', { k: 5, sources: [THAAD_SOURCE] });
    expect(bySource.passages.length).toBeGreaterThan(0);
    expect(bySource.passages.every((p) => p.chunk.source === THAAD_SOURCE)).toBe(true);
    const byDate = await view.search('Japan Korea relations', { k: 5, fromDate: newest.publishedAt! });
    expect(byDate.passages.length).toBeGreaterThan(0);
    expect(byDate.passages.every((p) => (p.doc.publishedAt ?? '') >= newest.publishedAt!)).toBe(true);
    const keywordOnly = await view.search('THAAD', { k: 3, mode: 'keyword' });
    expect(keywordOnly.passages.length).toBeGreaterThan(0);
    expect(keywordOnly.passages.every((p) => p.vectorScore === 0 && p.bm25Score > 0)).toBe(true);
    const vectorOnly = await view.search('THAAD', { k: 3, mode: 'vector' });
    expect(vectorOnly.passages).toHaveLength(3);
    expect(vectorOnly.passages.every((p) => p.bm25Score === 0 && p.vectorScore > 0)).toBe(true);
  });

  it('knows its vocabulary: rare words weigh more, unknown words are unknown', async () => {
    const view = await store.view();
    expect(view.knows('thaad')).toBe(true);
    expect(view.knows('zanzibar')).toBe(false);
    expect(view.idf('thaad')).toBeGreaterThan(view.idf('japan'));
  });

  it('a re-index that finds nothing changed embeds nothing and keeps the revision', async () => {
    const before = await store.view();
    const result = await store.reindex();
    expect(result.summary).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 5, embedded: 0, chunks: before.chunkCount });
    expect(result.revision).toBe(before.revision);
    expect((await store.view()).revision).toBe(before.revision);
  });

  it('adding, changing and removing documents embeds only their new chunks; new views see it, old ones do not', async () => {
    const before = await store.view();
    const counts = await before.chunkCounts();
    const [changed, gone] = [...counts.keys()].filter((source) => source !== THAAD_SOURCE).sort();
    writeFileSync(join(corpusDir, changed!), 'Tokyo and Seoul agreed on a new ferry line on 3 March 2026, officials said.\n');
    rmSync(join(corpusDir, gone!));
    writeFileSync(join(corpusDir, 'ferry.txt'), FERRY);
    const result = await store.reindex();
    expect(result.summary).toMatchObject({ added: 1, updated: 1, removed: 1, unchanged: 3, embedded: 2 });
    expect(result.summary.chunks).toBe(before.chunkCount - counts.get(changed!)! - counts.get(gone!)! + 2);
    expect(result.revision).not.toBe(before.revision);

    const after = await store.view();
    expect(after.revision).toBe(result.revision);
    expect(after.documentCount).toBe(5);
    expect((await after.documents()).has(gone!)).toBe(false);
    const { passages } = await after.search('When did the hydrofoil service resume?', { k: 3 });
    expect(passages[0]?.chunk.source).toBe('ferry.txt');
    expect(after.knows('hydrofoil')).toBe(true);
    // A query that started on the old view finishes on it.
    expect(before.knows('hydrofoil')).toBe(false);
    expect((await before.documents()).has(gone!)).toBe(true);
  });

  it('a changed document keeps the stored vectors of its unchanged chunks', async () => {
    const view = await store.view();
    const counts = await view.chunkCounts();
    const [longest] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const path = join(corpusDir, longest);
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n\nA closing paragraph added later about a cultural exchange in Kyoto.\n`);
    const result = await store.reindex();
    expect(result.summary.updated).toBe(1);
    expect(result.summary.embedded).toBeGreaterThan(0);
    expect(result.summary.embedded).toBeLessThan(counts.get(longest)!);
  });

  it('refuses a second re-index while one runs', async () => {
    writeFileSync(join(corpusDir, 'busy.txt'), 'Engineers from Japan and South Korea studied an undersea rail tunnel in 2026.\n');
    const first = store.reindex();
    expect(store.isReindexing).toBe(true);
    await expect(store.reindex()).rejects.toMatchObject({ code: 'REINDEX_BUSY' });
    expect((await first).summary.added).toBe(1);
    expect(store.isReindexing).toBe(false);
  });

  it('another embedder re-embeds every document and says why', async () => {
    const chunks = (await store.view()).chunkCount;
    const hashed = sibling(new HashEmbedder());
    const result = await hashed.reindex();
    expect(result.summary).toMatchObject({ added: 6, updated: 0, removed: 0, unchanged: 0, chunks, embedded: chunks });
    expect(result.summary.rebuildReason).toMatch(/^embedder changed from local:.* to test:hash-bow-64 \(64d\)$/);
    const view = await hashed.view();
    expect({ id: view.embedder.id, dimension: view.embedder.dimension }).toEqual({ id: 'test:hash-bow-64', dimension: 64 });
    expect((await view.search('hydrofoil service', { k: 1 })).passages[0]?.chunk.source).toBe('ferry.txt');
  });
});
