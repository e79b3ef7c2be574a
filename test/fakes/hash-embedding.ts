// Deterministic embeddings shared by the fake OpenAI server and the tests' cheap embedder: no word vectors to
// load, and the same vectors in every process.
import { createHash } from 'node:crypto';

/** Deterministic embedding: signed hashed bag of lowercase words, L2-normalised. */
export function fakeEmbedding(text: string, dimension = 64): number[] {
  const vector = new Array<number>(dimension).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const digest = createHash('sha1').update(word).digest();
    const index = digest.readUInt32BE(0) % dimension;
    vector[index] = (vector[index] ?? 0) + ((digest[4] ?? 0) & 1 ? 1 : -1);
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((v) => v / norm);
}
