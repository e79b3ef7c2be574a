// A cheap deterministic embedder in its own module, so the crash-test child process imports nothing else.
import { createHash } from 'node:crypto';
import { Embeddings } from '@langchain/core/embeddings';
import type { Embedder } from '../../src/core/types.js';

/** Signed hashed bag of lowercase words, L2-normalised (the same scheme as the fake OpenAI server's embeddings). */
export function hashVector(text: string, dimension: number): number[] {
  const vector = new Array<number>(dimension).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const digest = createHash('sha1').update(word).digest();
    const index = digest.readUInt32BE(0) % dimension;
    vector[index] = (vector[index] ?? 0) + ((digest[4] ?? 0) & 1 ? 1 : -1);
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((v) => v / norm);
}

/** No word-vector file to load, and the same vectors in every process. */
export class HashEmbedder extends Embeddings implements Embedder {
  readonly id = 'test:hash-bow-64';
  readonly dimension = 64;

  constructor() {
    super({});
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => hashVector(text, this.dimension));
  }

  override async embedQuery(text: string): Promise<number[]> {
    return hashVector(text, this.dimension);
  }
}
