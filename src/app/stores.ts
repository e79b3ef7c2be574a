// Chooses the corpus store from the configuration: the embedded index by default, PostgreSQL when STORE=pgvector.
import type { Config } from '../config.js';
import type { CorpusStore } from '../core/corpus.js';
import type { Embedder, Logger } from '../core/types.js';
import { Library } from './library.js';

export async function createCorpusStore(config: Config, embedder: Embedder, logger: Logger): Promise<CorpusStore> {
  if (config.store.kind === 'pgvector') {
    if (!config.store.databaseUrl) throw new Error('STORE=pgvector needs DATABASE_URL.');
    // Loaded only when chosen: the default offline setup never touches the pg client.
    const { PgVectorStore } = await import('../stores/pgvector/store.js');
    return new PgVectorStore({ databaseUrl: config.store.databaseUrl, poolSize: config.store.poolSize, corpusDir: config.corpusDir, embedder, logger });
  }
  return new Library({ corpusDir: config.corpusDir, indexDir: config.indexDir, embedder, logger });
}
