// The use cases behind every front end. Adapters (Discord, terminal, npm scripts) call these and only render;
// the composition root (src/app/services.ts) chooses the parts and passes them in.
import type { Config } from '../config.js';
import { CoreError } from '../core/errors.js';
import { answerExtractively, refusal, scoreSentences, type EvidenceModel } from '../core/answer/extractive.js';
import { evidencePassages } from '../core/answer/evidence.js';
import { DEFAULT_EXTRACTIVE_PARAMETERS, MODEL_EVIDENCE_FLOOR } from '../core/answer/parameters.js';
import { answerWithLlm } from '../core/answer/generative.js';
import { asksAboutThePresent, preferNewest, withSourceAge } from '../core/answer/recency.js';
import type { EntityCatalog } from '../core/timeline/index.js';
import type { TimelineEntities } from './timeline-entities.js';
import type { Answer, ChatModel, Logger, Timeline } from '../core/types.js';
import type { CorpusStore, CorpusView } from '../core/corpus.js';
import { cleanQuestion } from './question.js';
import { boundHistory, inventedNames, retrievalQuestion, standaloneQuestion, turnFromAnswer, type ConversationTurn, type KnownEntity } from '../core/conversation/index.js';
import type { createUploadServices } from './upload-services.js';
import type { AskOptions, BotServices, ConversationAnswer, EntitySummary, HelpInfo, ReindexProgress, ReindexSummary, SourceInfo, TimelineOptions, UploadServices } from './types.js';

export interface ServiceDependencies {
  /** The settings the use cases read (RETRIEVAL_K, LLM_TIMEOUT_MS). */
  config: Config;
  logger: Logger;
  /** An open store. */
  store: CorpusStore;
  /** The LLM answerer's model; null answers offline. */
  chat: ChatModel | null;
  /** Embeds sentences for the extractive answerer's similarity scores; word similarity lets paraphrases match. */
  scorer: { embed(text: string): ArrayLike<number>; wordSimilarity?(a: string, b: string): number; wordRank?(word: string): number | undefined };
  catalog: EntityCatalog;
  /** The model path's condense-question step; null or absent rewrites follow-ups offline only. */
  condense?: ((question: string, history: readonly ConversationTurn[], options?: { signal?: AbortSignal }) => Promise<string>) | null;
  /** Learn the corpus' entities in the background right away (long-running front ends), not on first use. */
  warmEntities?: boolean;
}

export interface Services extends BotServices {
  readonly store: CorpusStore;
  /** The evidence model the answerer scores with, for one view (idf from the view, local word vectors). */
  evidence(view: CorpusView): EvidenceModel;
  readonly retrievalK: number;
  close(): Promise<void>;
}

export function createBotServices(dependencies: ServiceDependencies): Services {
  const { config, logger, store, chat, scorer, catalog } = dependencies;

  // Derived results are cached per view: a new revision (from this or another process) gets fresh ones.
  const helpCache = new WeakMap<CorpusView, Promise<HelpInfo>>();
  // Timelines (chrono-node) and uploads (every document parser) are loaded on first use: together they are
  // about half of the modules a start would otherwise load, and `npm run ask` needs neither.
  let timelinesLoaded: Promise<TimelineEntities> | null = null;
  const timelines = () => (timelinesLoaded ??= import('./timeline-entities.js').then(({ TimelineEntities }) => new TimelineEntities(catalog)));
  const warm = (view: CorpusView) => {
    // Learn the corpus' entities now rather than on the first /timeline or autocomplete after a (re-)index.
    timelines()
      .then((entities) => entities.directory(view))
      .catch((error: unknown) => logger.warn({ err: error }, 'learning entities failed'));
  };

  let uploadsLoaded: Promise<ReturnType<typeof createUploadServices>> | null = null;
  const loadUploads = () => (uploadsLoaded ??= import('./upload-services.js').then(({ createUploadServices }) => createUploadServices({ config, store, logger })));
  const uploads: UploadServices & { records(): Promise<Awaited<ReturnType<ReturnType<typeof createUploadServices>['records']>>> } = {
    add: async (request) => (await loadUploads()).add(request),
    remove: async (request) => (await loadUploads()).remove(request),
    removable: async (query, limit) => (await loadUploads()).removable(query, limit),
    records: async () => (await loadUploads()).records(),
  };

  const evidenceFor = (view: CorpusView): EvidenceModel => ({
    idf: (term) => view.idf(term),
    knows: (term) => view.knows(term),
    embed: (text) => scorer.embed(text),
    ...(scorer.wordSimilarity ? { wordSimilarity: (a: string, b: string) => scorer.wordSimilarity?.(a, b) ?? 0 } : {}),
    ...(scorer.wordRank ? { wordRank: (word: string) => scorer.wordRank?.(word) } : {}),
  });

  const services: Services = {
    store,
    uploads,
    evidence: evidenceFor,
    retrievalK: config.retrievalK,

    async ask(rawQuestion: string, askOptions: AskOptions = {}): Promise<Answer> {
      const question = cleanQuestion(rawQuestion);
      const view = await store.view();
      const { passages, documents } = await view.search(question, { k: askOptions.k ?? config.retrievalK });
      const evidence = evidenceFor(view);
      // A question about the present ("who is the prime minister of X") is answered from the newest of the pages
      // that answer it equally well, and the answer says how old its page is.
      const present = asksAboutThePresent(question);
      // Offline, the answerer reads the documents of the best passages; every retrieved page is read when a model is
      // shown evidence, or when the newest page may be the answer although it ranks lower.
      const parameters = chat || present ? { ...DEFAULT_EXTRACTIVE_PARAMETERS, maxDocuments: Number.POSITIVE_INFINITY } : DEFAULT_EXTRACTIVE_PARAMETERS;
      const scored = scoreSentences(question, passages, documents, evidence, parameters);
      const sentences = present ? { ...scored, scored: preferNewest(scored.scored) } : scored;
      const dated = <A extends Answer>(answer: A): A => (present ? withSourceAge(answer, documents) : answer);
      const offline = answerExtractively(question, passages, documents, evidence, { scored: sentences, parameters });
      if (!chat || passages.length === 0) return dated(offline);
      // A loose floor, not the extractive gate: the model is asked whenever retrieval found passages about the
      // question at all, so a paraphrase the offline answerer misses can still be answered.
      const bestEvidence = Math.max(0, ...sentences.scored.map((s) => s.evidence));
      if (bestEvidence < MODEL_EVIDENCE_FLOOR) return dated({ ...offline, fallbackReason: 'no passage close enough to ask the model' });
      const shown = evidencePassages(sentences, { maxTokens: config.openai.evidenceTokens });
      if (shown.length === 0) return dated(offline);
      const answer = await answerWithLlm({
        question,
        passages: shown,
        documents,
        chat,
        logger,
        timeoutMs: config.openai.timeoutMs,
        ...(scorer.wordSimilarity ? { similarity: (a: string, b: string) => scorer.wordSimilarity?.(a, b) ?? 0 } : {}),
        refuse: () => refusal(question, passages, sentences.analysis, sentences.scored),
        fallback: async (reason) => ({ ...offline, fallbackReason: reason }),
      });
      return dated({ ...answer, type: offline.type, short: answer.mode === 'llm' ? null : offline.short });
    },

    async converse(rawQuestion: string, history: readonly ConversationTurn[], askOptions: AskOptions = {}): Promise<ConversationAnswer> {
      const question = cleanQuestion(rawQuestion);
      const turns = boundHistory(history);
      let standalone = question;
      // The topic words the offline rewrite keeps out of the visible question still steer retrieval and scoring.
      let context: string[] = [];
      if (turns.length > 0) {
        const known = await knownEntities();
        const offline = standaloneQuestion(question, turns, known);
        standalone = offline.standalone;
        if (dependencies.condense) standalone = await condensed(question, turns, offline.standalone);
        if (standalone === offline.standalone) context = offline.context;
        if (standalone !== question) logger.debug({ question, standalone, context, carried: offline.carried }, 'follow-up read as a standalone question');
      }
      const answer = await services.ask(retrievalQuestion({ standalone, context }), askOptions);
      return { answer, standalone, rewritten: standalone !== question, turn: turnFromAnswer(question, standalone, answer, context) };
    },

    async timeline(query: string | readonly string[], timelineOptions: TimelineOptions = {}): Promise<Timeline> {
      const view = await store.view();
      return (await timelines()).timeline(view, query, timelineOptions);
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
      warm(await store.view());
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

    async entities(): Promise<EntitySummary[]> {
      return (await timelines()).summaries(await store.view());
    },

    async close() {
      await store.close();
    },
  };

  /** The corpus' names with their kinds, for "he", "there" and "they" in follow-ups. */
  async function knownEntities(): Promise<KnownEntity[]> {
    try {
      const summaries = await (await timelines()).summaries(await store.view());
      return summaries.map((e) => ({ label: e.label, kind: e.kind === 'person' ? 'person' : e.kind === 'place' || e.source === 'curated' ? 'place' : 'other' }));
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'entities unavailable for follow-ups');
      return [];
    }
  }

  /** The model's condensed question when it invents no names; otherwise (or on failure) the offline rewrite. */
  async function condensed(question: string, turns: readonly ConversationTurn[], offline: string): Promise<string> {
    const condense = dependencies.condense;
    if (!condense) return offline;
    try {
      const signal = AbortSignal.timeout(config.openai.timeoutMs);
      const rewrite = cleanQuestion(await condense(question, turns, { signal }));
      const invented = inventedNames(rewrite, question, turns);
      if (invented.length === 0) return rewrite;
      logger.info({ question, rewrite, invented }, 'condensed question named things the conversation never mentioned; using the offline rewrite');
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'condense-question step failed; using the offline rewrite');
    }
    return offline;
  }

  async function describe(view: CorpusView): Promise<HelpInfo> {
    const documents = [...(await view.documents()).values()];
    const dates = documents.map((d) => d.publishedAt).filter((d): d is string => d !== null).sort();
    const topEntities = (await (await timelines()).summaries(view)).slice(0, 12).map((e) => e.label);
    return {
      documents: view.documentCount,
      chunks: view.chunkCount,
      dateRange: dates.length > 0 ? { from: dates[0] ?? '', to: dates[dates.length - 1] ?? '' } : null,
      topEntities,
      embedder: view.embedder.id,
      answerMode: chat ? 'llm' : 'extractive',
    };
  }
  if (dependencies.warmEntities) {
    store.view().then(warm, (error: unknown) => logger.warn({ err: error }, 'learning entities failed'));
  }
  return services;
}
