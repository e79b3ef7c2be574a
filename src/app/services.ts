// The composition root of the entry points that serve questions (npm start and every shard of start:sharded,
// ask, timeline, eval): picks the embedder, the chat model and the store from the configuration (embedders.ts,
// stores.ts, which `npm run index` uses alone), opens the store and hands everything to the use cases, which
// choose nothing themselves. Tests pass their own parts instead.
import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import type { CorpusStore } from '../core/corpus.js';
import { CoreError } from '../core/errors.js';
import { parseEntityCatalog, type EntityCatalog } from '../core/timeline/index.js';
import type { ChatModel, Embedder, Logger } from '../core/types.js';
import { createBotServices, type Services } from '../commands/services.js';
import { createOpenAIChatModel } from '../providers/openai.js';
import { createCondenser } from '../providers/condense.js';
import { createEmbedder, createLocalEmbedder } from './embedders.js';
import { createCorpusStore } from './stores.js';

export interface AppOptions {
  config: Config;
  logger: Logger;
  /** Injected in tests; otherwise chosen by EMBEDDINGS. */
  embedder?: Embedder;
  /** Injected in tests (null: offline); otherwise an OpenAI-compatible model when one is configured. */
  chat?: ChatModel | null;
  /** Injected in tests; otherwise chosen by STORE. */
  store?: CorpusStore;
  /** Learn the corpus' entities in the background right away (long-running front ends), not on first use. */
  warmEntities?: boolean;
}

/** Everything a front end needs, with the store open (a missing local index is built first). */
export async function createServices(options: AppOptions): Promise<Services> {
  const { config, logger } = options;
  const embedder = options.embedder ?? (await createEmbedder(config));
  const chat = options.chat !== undefined ? options.chat : config.openai.enabled ? createOpenAIChatModel(config.openai) : null;
  // Sentence scoring always uses the local vectors: cheap, synchronous, and no network call per sentence.
  const scorer = createLocalEmbedder(config);
  const catalog = loadCatalog(config.entitiesFile);
  const store = options.store ?? (await createCorpusStore(config, embedder, logger));
  await store.open();
  return createBotServices({ config, logger, store, chat, condense: chat ? createCondenser(chat) : null, scorer, catalog, warmEntities: options.warmEntities ?? false });
}

function loadCatalog(path: string): EntityCatalog {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new CoreError('INVALID_INPUT', `Cannot read the entity alias file ${path}: ${(error as Error).message}`);
  }
  return parseEntityCatalog(json);
}
