// The use cases behind every front end. Adapters (Discord, terminal, npm scripts) call these and only render.
import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import { CoreError } from '../core/errors.js';
import { answerExtractively, type EvidenceModel } from '../core/answer/extractive.js';
import { answerWithLlm } from '../core/answer/generative.js';
import { buildTimeline, entityNames, parseEntityCatalog, type EntityCatalog } from '../core/timeline/index.js';
import type { Answer, ChatModel, Embedder, Logger, Timeline } from '../core/types.js';
import type { CorpusStore, CorpusView } from '../core/corpus.js';
import { createEmbedder, createLocalEmbedder } from '../app/embedders.js';
import { createCorpusStore } from '../app/stores.js';
import { createOpenAIChatModel } from '../providers/openai.js';
import { cleanQuestion } from './question.js';
import { createUploadServices } from './upload-services.js';
import type { AskOptions, BotServices, HelpInfo, ReindexProgress, ReindexSummary, SourceInfo, TimelineOptions } from './types.js';


export interface ServiceOptions {
  config: Config;
  logger: Logger;
  /** Injected in tests; otherwise chosen from the configuration. */
  embedder?: Embedder;
  chat?: ChatModel | null;
  /** Injected in tests; otherwise chosen by STORE. */
  store?: CorpusStore;
}

export interface Services extends BotServices {
  readonly store: CorpusStore;
  close(): Promise<void>;
}

export async function createBotServices(options: ServiceOptions): Promise<Services> {
  const { config, logger } = options;
  const embedder = options.embedder ?? (await createEmbedder(config));
  const chat = options.chat !== undefined ? options.chat : config.openai.enabled ? createOpenAIChatModel(config.openai) : null;
  // Sentence scoring always uses the local vectors: cheap, synchronous, and no network call per sentence.
  const scorer = createLocalEmbedder(config);
  const catalog = loadCatalog(config.entitiesFile);
  const store = options.store ?? (await createCorpusStore(config, embedder, logger));
  await store.open();

  // Derived results are cached per view: a new revision (from this or another process) gets fresh ones.
  const timelineCache = new WeakMap<CorpusView, Map<string, Timeline>>();
  const helpCache = new WeakMap<CorpusView, Promise<HelpInfo>>();

  const uploads = createUploadServices({ config, store, logger });

  const services: Services = {
    store,
    uploads,

    async ask(rawQuestion: string, askOptions: AskOptions = {}): Promise<Answer> {
      const question = cleanQuestion(rawQuestion);
      const view = await store.view();
      const { passages, documents } = await view.search(question, { k: askOptions.k ?? config.retrievalK });
      const evidence: EvidenceModel = { idf: (term) => view.idf(term), embed: (text) => scorer.embed(text), knows: (term) => view.knows(term) };
      const extractive = () => answerExtractively(question, passages, documents, evidence);
      if (!chat || passages.length === 0) return extractive();
      const offline = extractive();
      // The model is only asked when the retrieved evidence is good enough to answer from at all.
      if (offline.refused) return offline;
      return answerWithLlm({
        question,
        passages,
        documents,
        chat,
        logger,
        timeoutMs: config.openai.timeoutMs,
        fallback: async (reason) => ({ ...offline, fallbackReason: reason }),
      });
    },

    async timeline(entities: string[], timelineOptions: TimelineOptions = {}): Promise<Timeline> {
      const words = entities.flatMap((e) => e.split(/[\s,]+/)).map((e) => e.trim().toLowerCase()).filter(Boolean);
      if (words.length === 0) {
        throw new CoreError('INVALID_INPUT', `Name one or more entities, e.g. "japan korea". Known: ${entityNames(catalog).join(', ')}.`);
      }
      const view = await store.view();
      const key = `${timelineOptions.any ? 'any' : 'all'}:${words.join(' ')}`;
      let cache = timelineCache.get(view);
      if (!cache) {
        cache = new Map();
        timelineCache.set(view, cache);
      }
      const cached = cache.get(key);
      if (cached) return cached;
      const documents = await view.documents();
      const timeline = buildTimeline([...documents.values()], catalog, words, { any: timelineOptions.any ?? false });
      cache.set(key, timeline);
      return timeline;
    },

    async sources(query?: string): Promise<SourceInfo[]> {
      const view = await store.view();
      const [documents, counts, added] = await Promise.all([view.documents(), view.chunkCounts(), uploads.records()]);
      const needle = query?.trim().toLowerCase();
      return [...documents.values()]
        .filter((doc) => !needle || doc.title.toLowerCase().includes(needle) || doc.source.toLowerCase().includes(needle) || doc.text.toLowerCase().includes(needle))
        .sort((a, b) => a.source.localeCompare(b.source))
        .map((doc) => ({
          source: doc.source,
          title: doc.title,
          publishedAt: doc.publishedAt,
          url: doc.url,
          chunks: counts.get(doc.source) ?? 0,
          indexedAt: doc.indexedAt,
          ...(added[doc.source] ? { addedBy: added[doc.source]!.addedBy, addedAt: added[doc.source]!.addedAt } : {}),
        }));
    },

    async reindex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexSummary> {
      const result = await store.reindex(onProgress ? { onProgress } : {});
      return result.summary;
    },

    async help(): Promise<HelpInfo> {
      const view = await store.view();
      let info = helpCache.get(view);
      if (!info) {
        info = describe(view);
        helpCache.set(view, info);
      }
      return info;
    },

    entityNames: () => entityNames(catalog),

    async close() {
      await store.close();
    },
  };

  async function describe(view: CorpusView): Promise<HelpInfo> {
    const documents = [...(await view.documents()).values()];
    const dates = documents.map((d) => d.publishedAt).filter((d): d is string => d !== null).sort();
    const text = documents.map((d) => d.text.toLowerCase()).join('\n');
    const topEntities = entityNames(catalog)
      .map((name) => ({ name, mentions: text.split(name.toLowerCase().replace(/-/g, ' ')).length - 1 }))
      .filter((e) => e.mentions > 0)
      .sort((a, b) => b.mentions - a.mentions)
      .slice(0, 6)
      .map((e) => e.name);
    return {
      documents: view.documentCount,
      chunks: view.chunkCount,
      dateRange: dates.length > 0 ? { from: dates[0] ?? '', to: dates[dates.length - 1] ?? '' } : null,
      topEntities,
      embedder: view.embedder.id,
      answerMode: chat ? 'llm' : 'extractive',
    };
  }
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

