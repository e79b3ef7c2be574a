// The use cases behind every front end. Adapters (Discord, terminal, npm scripts) call these and only render;
// the composition root (src/app/services.ts) chooses the parts and passes them in.
import type { Config } from '../config.js';
import { CoreError } from '../core/errors.js';
import { answerExtractively, type EvidenceModel } from '../core/answer/extractive.js';
import { answerWithLlm } from '../core/answer/generative.js';
import { buildTimeline, entityNames, type EntityCatalog } from '../core/timeline/index.js';
import type { Answer, ChatModel, Logger, Timeline } from '../core/types.js';
import type { CorpusStore, CorpusView } from '../core/corpus.js';
import { cleanQuestion } from './question.js';
import type { AskOptions, BotServices, HelpInfo, ReindexProgress, ReindexSummary, SourceInfo, TimelineOptions } from './types.js';

export interface ServiceDependencies {
  /** The settings the use cases read (RETRIEVAL_K, LLM_TIMEOUT_MS). */
  config: Config;
  logger: Logger;
  /** An open store. */
  store: CorpusStore;
  /** The LLM answerer's model; null answers offline. */
  chat: ChatModel | null;
  /** Embeds sentences for the extractive answerer's similarity scores. */
  scorer: { embed(text: string): ArrayLike<number> };
  catalog: EntityCatalog;
}

export interface Services extends BotServices {
  readonly store: CorpusStore;
  close(): Promise<void>;
}

export function createBotServices(dependencies: ServiceDependencies): Services {
  const { config, logger, store, chat, scorer, catalog } = dependencies;

  // Derived results are cached per view: a new revision (from this or another process) gets fresh ones.
  const timelineCache = new WeakMap<CorpusView, Map<string, Timeline>>();
  const helpCache = new WeakMap<CorpusView, Promise<HelpInfo>>();

  const services: Services = {
    store,

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
      const [documents, counts] = await Promise.all([view.documents(), view.chunkCounts()]);
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
