// The one embed step of every store's re-index: batches, progress, and a check of every vector's dimension.
import { CoreError } from '../errors.js';
import type { Embedder, IndexProgress } from '../types.js';

const EMBED_BATCH = 64;

/** Embeds texts in batches, reporting progress and checking every vector's dimension against the embedder's. */
export async function embedInBatches(embedder: Embedder, texts: readonly string[], onProgress?: (progress: IndexProgress) => void): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    onProgress?.({ phase: 'embedding', done: i, total: texts.length });
    for (const vector of await embedder.embedDocuments(texts.slice(i, i + EMBED_BATCH))) {
      if (vector.length !== embedder.dimension) {
        throw new CoreError('EMBEDDER_MISMATCH', `Embedder ${embedder.id} returned ${vector.length} dimensions, expected ${embedder.dimension}.`);
      }
      vectors.push(vector);
    }
  }
  if (vectors.length !== texts.length) {
    throw new CoreError('EMBEDDER_MISMATCH', `Embedder ${embedder.id} returned ${vectors.length} vectors for ${texts.length} texts.`);
  }
  onProgress?.({ phase: 'embedding', done: texts.length, total: texts.length });
  return vectors;
}
