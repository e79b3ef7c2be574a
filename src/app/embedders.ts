// Composition: picks the embedder the configuration asks for. The only place that knows both providers.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { SifEmbedder } from '../core/embed/sif-embedder.js';
import { loadWordVectors } from '../core/embed/word-vectors.js';
import type { Embedder } from '../core/types.js';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function defaultWordVectorsDir(): string {
  return join(projectRoot, 'node_modules', '.cache', 'word-vectors', 'glove-100d');
}

export function createLocalEmbedder(config: Pick<Config, 'wordVectorsDir'>): SifEmbedder {
  const directory = config.wordVectorsDir ?? defaultWordVectorsDir();
  const vectors = loadWordVectors(directory);
  const cachePath = join(directory, `sif-common-component-v2-${vectors.count}x${vectors.dimension}.f32`);
  const cached = readCommonComponent(cachePath, vectors.dimension);
  const embedder = new SifEmbedder(vectors, cached ? { commonComponent: cached } : {});
  if (!cached) writeCommonComponent(cachePath, embedder.commonComponent);
  return embedder;
}

export async function createEmbedder(config: Config): Promise<Embedder> {
  if (config.embeddings === 'openai') {
    // Imported only when chosen: the OpenAI client and LangChain's wrapper take ~250 ms to load.
    const { createOpenAIEmbedder } = await import('../providers/openai.js');
    return createOpenAIEmbedder(config.openai);
  }
  return createLocalEmbedder(config);
}

/**
 * The SIF common component depends only on the word vectors, and computing it is the largest part of an
 * embedder's start (~150 ms): it is kept beside the vectors (which prepare-word-vectors.mjs replaces as a whole,
 * so a stale file cannot outlive them). A missing, short or unwritable cache only costs the computation.
 */
function readCommonComponent(path: string, dimension: number): Float32Array | null {
  try {
    const bytes = readFileSync(path);
    if (bytes.byteLength !== dimension * 4) return null;
    const component = new Float32Array(dimension);
    new Uint8Array(component.buffer).set(bytes);
    return component.every(Number.isFinite) ? component : null;
  } catch {
    return null;
  }
}

function writeCommonComponent(path: string, component: Float32Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, new Uint8Array(component.buffer, component.byteOffset, component.byteLength));
    renameSync(temporary, path);
  } catch {
    rmSync(temporary, { force: true });
  }
}
