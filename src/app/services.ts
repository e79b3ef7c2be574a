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
  // Where a start goes (LOG_LEVEL=debug): ms since the process started at the end of each phase.
  const phases: Record<string, number> = { modulesLoaded: Math.round(performance.now()) };
  const phase = (name: string) => (phases[name] = Math.round(performance.now()));
  const embedder = options.embedder ?? (await createEmbedder(config));
  phase('embedder');
  const chat =
    options.chat !== undefined
      ? options.chat
      : config.openai.enabled
        ? // Imported only when configured: the OpenAI client takes ~250 ms to load.
          (await import('../providers/openai.js')).createOpenAIChatModel(config.openai)
        : null;
  // Sentence scoring always uses the local vectors: cheap, synchronous, and no network call per sentence. Plain
  // arrays, not typed ones: see `embedValues`.
  const localVectors = createLocalEmbedder(config);
  const scorer = {
    embed: (text: string) => localVectors.embedValues(text),
    wordSimilarity: (a: string, b: string) => localVectors.wordSimilarity(a, b),
    wordRank: (word: string) => localVectors.wordRank(word),
  };
  const catalog = loadCatalog(config.entitiesFile);
  phase('scorerAndCatalog');
  const store = options.store ?? (await createCorpusStore(config, embedder, logger));
  await store.open();
  phase('storeOpen');
  // The condense-question step only exists with a model; imported with it (LangChain's prompt templates).
  const condense = chat ? (await import('../providers/condense.js')).createCondenser(chat) : null;
  const services = createBotServices({ config, logger, store, chat, condense, scorer, catalog, warmEntities: options.warmEntities ?? false });
  phase('services');
  logger.debug({ msSinceProcessStart: phases }, 'start-up phases');
  return services;
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
