import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runLocalIndex } from '../../src/stores/local/indexer.js';
import { listGenerations, loadCurrentGeneration } from '../../src/stores/local/generations.js';
import { cosine } from '../../src/core/embed/sif-embedder.js';
import { vectorRow } from '../../src/stores/local/snapshot.js';
import type { Embedder } from '../../src/core/types.js';
import { localEmbedder, removeDir, seedCorpusCopy, tempDir, writeFile } from '../helpers.js';
import { corruptLoadError, flipByte } from './damage.js';

const NEW_DOC = `Trade ministers meet in Busan

Busan, March 3 (AFP) March 3, 2025

Trade ministers from Japan and South Korea met in the port city of Busan on Monday to discuss semiconductor export controls. The talks lasted four hours and ended with a joint statement on supply chains.

Officials said a follow-up meeting would take place in Osaka in the autumn, where both sides hope to sign a memorandum on critical minerals.`;

/** Counts every text the embedder is asked to embed. */
function countingEmbedder(): Embedder & { embedded: number } {
  const inner = localEmbedder();
  const wrapper = {
    id: inner.id,
    dimension: inner.dimension,
    embedded: 0,
    async embedDocuments(texts: string[]) {
      wrapper.embedded += texts.length;
      return inner.embedDocuments(texts);
    },
    embedQuery: (text: string) => inner.embedQuery(text),
  };
  return wrapper;
}

const dirs: string[] = [];
function setup() {
  const corpusDir = seedCorpusCopy();
  const indexDir = tempDir('index-');
  dirs.push(corpusDir, indexDir);
  return { corpusDir, indexDir };
}
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

describe('incremental index', () => {
  it('adding, changing and removing documents embeds only what changed', async () => {
    const { corpusDir, indexDir } = setup();
    const embedder = countingEmbedder();
    const first = await runLocalIndex({ corpusDir, indexDir, embedder });

    writeFile(corpusDir, 'new/busan.txt', NEW_DOC);
    const added = await runLocalIndex({ corpusDir, indexDir, embedder });
    const newChunks = added.snapshot.chunks.filter((c) => c.source === 'new/busan.txt');
    expect(added.summary).toMatchObject({ added: 1, updated: 0, removed: 0, unchanged: 5 });
    expect(newChunks.length).toBeGreaterThan(0);
    expect(added.summary.embedded).toBe(newChunks.length);

    // Change one paragraph of the new document: only chunks whose text changed are embedded again.
    writeFile(corpusDir, 'new/busan.txt', NEW_DOC.replace('four hours', 'five hours'));
    const changed = await runLocalIndex({ corpusDir, indexDir, embedder });
    expect(changed.summary).toMatchObject({ added: 0, updated: 1, removed: 0, unchanged: 5 });
    expect(changed.summary.embedded).toBeGreaterThan(0);
    expect(changed.summary.embedded).toBeLessThanOrEqual(newChunks.length);

    rmSync(join(corpusDir, 'new/busan.txt'));
    const removed = await runLocalIndex({ corpusDir, indexDir, embedder });
    expect(removed.summary).toMatchObject({ added: 0, updated: 0, removed: 1, unchanged: 5, embedded: 0 });
    expect(removed.snapshot.chunks.some((c) => c.source === 'new/busan.txt')).toBe(false);
    expect(removed.summary.chunks).toBe(first.summary.chunks);

    // The patched graph finds the same nearest neighbours as exact search over the stored vectors.
    const loaded = loadCurrentGeneration(indexDir);
    expect(loaded.chunks.length).toBe(first.summary.chunks);
    const query = await embedder.embedQuery('Camp David summit');
    loaded.hnsw.setEf(200); // wider than the index: the graph search is exhaustive
    const hits = loaded.hnsw.searchKnn(query, 3, (label) => loaded.rowByLabel.has(label));
    const exact = loaded.chunks
      .map((chunk, row) => ({ label: chunk.label, similarity: cosine(query, vectorRow(loaded, row)) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 3)
      .map((hit) => hit.label);
    expect(hits.neighbors).toEqual(exact);
  });
});

describe('crash safety', () => {
  it('a crash after writing a generation but before switching the pointer leaves the last good index', async () => {
    const { corpusDir, indexDir } = setup();
    const first = await runLocalIndex({ corpusDir, indexDir, embedder: localEmbedder() });
    writeFile(corpusDir, 'busan.txt', NEW_DOC);
    await expect(
      runLocalIndex({
        corpusDir,
        indexDir,
        embedder: localEmbedder(),
        beforeSwitch: () => {
          throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow('simulated crash');
    const loaded = loadCurrentGeneration(indexDir);
    expect(loaded.generation).toBe(first.snapshot.generation);
    expect(loaded.documents.has('busan.txt')).toBe(false);
    // The lock was released and the next run completes.
    const next = await runLocalIndex({ corpusDir, indexDir, embedder: localEmbedder() });
    expect(next.summary.added).toBe(1);
    expect(loadCurrentGeneration(indexDir).documents.has('busan.txt')).toBe(true);
  });

  it('a stale lock left by a dead writer is recovered', async () => {
    const { corpusDir, indexDir } = setup();
    await runLocalIndex({ corpusDir, indexDir, embedder: localEmbedder() });
    writeFileSync(join(indexDir, 'writer.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), since: new Date().toISOString() }));
    const result = await runLocalIndex({ corpusDir, indexDir, embedder: localEmbedder() });
    expect(result.summary.unchanged).toBe(5);
    expect(existsSync(join(indexDir, 'writer.lock'))).toBe(false);
  });
});

describe('generations kept on disk', () => {
  it('keep the last good generation as the fallback, never a damaged or never-switched one', async () => {
    const { corpusDir, indexDir } = setup();
    const embedder = localEmbedder();
    const gen1 = (await runLocalIndex({ corpusDir, indexDir, embedder })).snapshot.generation;
    writeFile(corpusDir, 'busan.txt', NEW_DOC);
    const gen2 = (await runLocalIndex({ corpusDir, indexDir, embedder })).snapshot.generation;
    expect(listGenerations(indexDir).sort()).toEqual([gen1, gen2].sort());

    // A writer that dies before switching leaves an orphan; the next run removes it and keeps the current one.
    writeFile(corpusDir, 'busan.txt', NEW_DOC.replace('Monday', 'Tuesday'));
    await expect(runLocalIndex({ corpusDir, indexDir, embedder, beforeSwitch: () => { throw new Error('crash'); } })).rejects.toThrow('crash');
    const gen4 = (await runLocalIndex({ corpusDir, indexDir, embedder })).snapshot.generation;
    expect(listGenerations(indexDir).sort()).toEqual([gen2, gen4].sort());

    // Damage the current one: the rebuild keeps the older good generation, not the damaged one.
    const hnswPath = join(indexDir, gen4, 'hnsw.bin');
    const bytes = readFileSync(hnswPath);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    writeFileSync(hnswPath, bytes);
    const gen5 = (await runLocalIndex({ corpusDir, indexDir, embedder })).snapshot.generation;
    expect(listGenerations(indexDir).sort()).toEqual([gen2, gen5].sort());
  });
});

describe('corruption', () => {
  async function built() {
    const { corpusDir, indexDir } = setup();
    const result = await runLocalIndex({ corpusDir, indexDir, embedder: localEmbedder() });
    return { corpusDir, indexDir, genDir: join(indexDir, result.snapshot.generation) };
  }

  for (const file of ['hnsw.bin', 'vectors.f32', 'docstore.json']) {
    it(`a flipped byte in ${file} is detected before hnswlib reads it, and the next run rebuilds`, async () => {
      const { corpusDir, indexDir, genDir } = await built();
      flipByte(join(genDir, file));
      expect(corruptLoadError(indexDir).message).toContain(file);
      const rebuilt = await runLocalIndex({ corpusDir, indexDir, embedder: localEmbedder() });
      expect(rebuilt.summary.rebuildReason).toMatch(/previous index unusable/);
      expect(loadCurrentGeneration(indexDir).chunks.length).toBe(rebuilt.summary.chunks);
    });
  }

  it('a truncated file, a changed dimension and an edited manifest are each reported clearly', async () => {
    const { indexDir, genDir } = await built();
    const hnswPath = join(genDir, 'hnsw.bin');
    const original = readFileSync(hnswPath);
    writeFileSync(hnswPath, original.subarray(0, 100));
    expect(() => loadCurrentGeneration(indexDir)).toThrow(/hnsw\.bin has 100 bytes/);
    writeFileSync(hnswPath, original);
    expect(loadCurrentGeneration(indexDir).chunks.length).toBeGreaterThan(0);

    const manifestPath = join(genDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.embedder.dimension = 300;
    writeFileSync(manifestPath, JSON.stringify(manifest));
    expect(() => loadCurrentGeneration(indexDir)).toThrow(/manifest .* does not match the checksum/);
    expect(readdirSync(indexDir)).toContain('CURRENT');
  });
});
