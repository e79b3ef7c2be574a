// A cheap deterministic embedder in its own module, so the crash-test child process imports nothing else.
import { Embeddings } from '@langchain/core/embeddings';
import type { Embedder } from '../../src/core/types.js';
import { fakeEmbedding as hashVector } from '../fakes/hash-embedding.js';

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
