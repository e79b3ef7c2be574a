// Chooses the corpus store from the configuration: the local hnswlib index by default, PostgreSQL when
// STORE=pgvector. Each store is imported only when chosen: the default offline setup never loads the pg client,
// and STORE=pgvector never loads the hnswlib native addon.
import type { Config } from '../config.js';
import type { CorpusStore } from '../core/corpus.js';
import type { Embedder, Logger } from '../core/types.js';

export async function createCorpusStore(config: Config, embedder: Embedder, logger: Logger, options: { poolSize?: number } = {}): Promise<CorpusStore> {
  if (config.store.kind === 'pgvector') {
    if (!config.store.databaseUrl) throw new Error('STORE=pgvector needs DATABASE_URL.');
    const { PgVectorStore } = await import('../stores/pgvector/store.js');
    return new PgVectorStore({ databaseUrl: config.store.databaseUrl, poolSize: options.poolSize ?? config.store.poolSize, corpusDir: config.corpusDir, embedder, logger });
  }
  const { LocalStore } = await import('../stores/local/store.js');
  return new LocalStore({ corpusDir: config.corpusDir, indexDir: config.indexDir, embedder, logger });
}
