// The one embed step of every store's re-index: batches, progress, and a check of every vector's dimension.
import { CoreError } from '../errors.js';
import { Pacer } from '../pacer.js';
import type { Embedder, IndexProgress } from '../types.js';

const EMBED_BATCH = 64;

/** Embeds texts in batches, reporting progress and checking every vector's dimension against the embedder's. */
export async function embedInBatches(embedder: Embedder, texts: readonly string[], onProgress?: (progress: IndexProgress) => void): Promise<number[][]> {
  const vectors: number[][] = [];
  await embedEach(embedder, texts, (vector) => vectors.push(vector), onProgress);
  return vectors;
}

/**
 * Embeds texts straight into rows of `target` (text i into row `firstRow + i`): only one batch of JS arrays is
 * alive at a time, instead of an array per text for the whole corpus (~85 MB at 100k chunks) beside the rows.
 */
export async function embedInto(
  embedder: Embedder,
  texts: readonly string[],
  target: Float32Array,
  firstRow: number,
  onProgress?: (progress: IndexProgress) => void,
): Promise<void> {
  const dimension = embedder.dimension;
  if ((firstRow + texts.length) * dimension > target.length) throw new RangeError('embedInto: target too small');
  let row = firstRow;
  await embedEach(embedder, texts, (vector) => target.set(vector, row++ * dimension), onProgress);
}

async function embedEach(embedder: Embedder, texts: readonly string[], take: (vector: number[]) => void, onProgress?: (progress: IndexProgress) => void): Promise<void> {
  let count = 0;
  // A local embedder computes synchronously: awaiting it alone never lets the event loop answer anyone.
  const pacer = new Pacer();
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    await pacer.tick();
    onProgress?.({ phase: 'embedding', done: i, total: texts.length });
    for (const vector of await embedder.embedDocuments(texts.slice(i, i + EMBED_BATCH))) {
      if (vector.length !== embedder.dimension) {
        throw new CoreError('EMBEDDER_MISMATCH', `Embedder ${embedder.id} returned ${vector.length} dimensions, expected ${embedder.dimension}.`);
      }
      if (count >= texts.length) break;
      take(vector);
      count += 1;
    }
  }
  if (count !== texts.length) {
    throw new CoreError('EMBEDDER_MISMATCH', `Embedder ${embedder.id} returned ${count} vectors for ${texts.length} texts.`);
  }
  onProgress?.({ phase: 'embedding', done: texts.length, total: texts.length });
}
