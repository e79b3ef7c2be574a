// Where the filesystem refuses hard links (another device, no link support), a re-index copies the unchanged
// segments and the graph's base instead: same bytes, files of its own, and a generation that loads like any other.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadCurrentGeneration } from '../../src/stores/local/generations.js';
import { runLocalIndex } from '../../src/stores/local/indexer.js';
import type { IndexSnapshot } from '../../src/stores/local/snapshot.js';
import { removeDir, tempDir, writeFile } from '../helpers.js';
import { article, generateCorpus, HashEmbedder, seeded } from '../reliability/support.js';

const refusedLinks = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  // Only links between generations are refused: the writer lock links its own files (lock.ts).
  const linkSync = (from: string, to: string) => {
    if (!/gen-\d+/.test(String(from))) return actual.linkSync(from, to);
    refusedLinks.count++;
    throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
  };
  return { ...actual, linkSync, default: { ...actual, linkSync } };
});

const embedder = new HashEmbedder();
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe('a filesystem that refuses hard links', () => {
  it('gets copies of the unchanged segments and graph base, and the generation loads', async () => {
    const corpusDir = tempDir('nolink-corpus-');
    const indexDir = tempDir('nolink-index-');
    dirs.push(corpusDir, indexDir);
    generateCorpus(corpusDir, 24, 17);
    const options = { corpusDir, indexDir, embedder, segmentBytes: 6_000, graphLog: { minBaseBytes: 0, maxAddedShare: 1 } };
    const first = (await runLocalIndex(options)).snapshot;
    writeFile(corpusDir, 'gen-0005.txt', article(905, seeded(3)));
    const second = (await runLocalIndex({ ...options, serving: first })).snapshot;

    const shared = (snapshot: IndexSnapshot) => new Set([...(snapshot.segments ?? []).filter((s) => s.id !== null).flatMap((s) => [s.docstore.name, s.vectors.name]), 'hnsw.bin']);
    const before = shared(first);
    const kept = [...shared(second)].filter((name) => before.has(name));
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(refusedLinks.count).toBeGreaterThanOrEqual(kept.length);
    for (const name of kept) {
      const [a, b] = [join(indexDir, first.generation, name), join(indexDir, second.generation, name)];
      expect(statSync(b).ino, name).not.toBe(statSync(a).ino);
      expect(readFileSync(b).equals(readFileSync(a)), name).toBe(true);
    }
    expect(second.graph!.log.operations).toBeGreaterThan(0);

    const loaded = loadCurrentGeneration(indexDir);
    expect(loaded.generation).toBe(second.generation);
    expect(loaded.chunks.map((c) => [c.id, c.label])).toEqual(second.chunks.map((c) => [c.id, c.label]));
    const query = Array.from({ length: embedder.dimension }, (_, i) => Math.sin(i));
    expect(loaded.hnsw.searchKnn(query, 10)).toEqual(second.hnsw.searchKnn(query, 10));
  });
});
