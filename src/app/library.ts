// The embedded store (the default): hnswlib generations on disk, one loaded in memory. Holds the knowledge base
// currently serving queries and swaps in a new one after a re-index. Queries capture the reference once, so
// they finish on the generation they started with.
import { CoreError, isCoreError } from '../core/errors.js';
import { runIndex, type IndexRunResult } from '../core/index/build.js';
import { currentGenerationName, hasIndex, loadCurrentGeneration, newestLoadableSnapshot } from '../core/index/store.js';
import { KnowledgeBase } from '../core/retrieve/knowledge-base.js';
import type { CorpusStore, ReindexRequest } from '../core/corpus.js';
import type { Embedder, Logger } from '../core/types.js';

export interface LibraryOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  logger: Logger;
}

export class Library implements CorpusStore {
  readonly kind = 'local' as const;
  private currentBase: KnowledgeBase | null = null;
  private running: Promise<IndexRunResult> | null = null;

  constructor(private readonly options: LibraryOptions) {}

  /** Loads the current index, building it first when there is none or it cannot be trusted. */
  async open(): Promise<KnowledgeBase> {
    const { indexDir, embedder, logger } = this.options;
    if (hasIndex(indexDir)) {
      try {
        const snapshot = loadCurrentGeneration(indexDir);
        if (snapshot.embedder.id === embedder.id && snapshot.embedder.dimension === embedder.dimension) {
          this.currentBase = new KnowledgeBase(snapshot, embedder);
          return this.currentBase;
        }
        logger.warn({ indexed: snapshot.embedder.id, configured: embedder.id }, 'index was built with another embedder; rebuilding');
      } catch (error) {
        if (!isCoreError(error)) throw error;
        logger.error({ err: error.message }, 'current index failed verification; serving the previous generation while rebuilding');
        const fallback = this.previousGoodGeneration();
        if (fallback) this.currentBase = new KnowledgeBase(fallback, embedder);
      }
    }
    await this.reindex();
    return this.current;
  }

  get current(): KnowledgeBase {
    if (!this.currentBase) throw new CoreError('INDEX_MISSING', 'The index is not loaded yet.');
    return this.currentBase;
  }

  async view(): Promise<KnowledgeBase> {
    return this.current;
  }

  async close(): Promise<void> {
    // Nothing but memory is held: the generation files are closed once loaded.
  }

  get isReindexing(): boolean {
    return this.running !== null;
  }

  /** Runs an incremental re-index and swaps the result in. A second call while one runs is refused. */
  async reindex(options: ReindexRequest = {}): Promise<IndexRunResult> {
    if (this.running) throw new CoreError('REINDEX_BUSY', 'A re-index is already running.');
    const { corpusDir, indexDir, embedder, logger } = this.options;
    this.running = runIndex({
      corpusDir,
      indexDir,
      embedder,
      logger,
      ...(options.rebuild ? { rebuild: true } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    try {
      const result = await this.running;
      if (!result.reusedPrevious || !this.currentBase || this.currentBase.snapshot.generation !== result.snapshot.generation) {
        this.currentBase = new KnowledgeBase(result.snapshot, embedder);
      }
      logger.info({ ...result.summary, generation: result.snapshot.generation }, 'index ready');
      return result;
    } finally {
      this.running = null;
    }
  }

  private previousGoodGeneration() {
    const { indexDir, embedder } = this.options;
    const fallback = newestLoadableSnapshot(indexDir, currentGenerationName(indexDir));
    return fallback && fallback.embedder.id === embedder.id && fallback.embedder.dimension === embedder.dimension ? fallback : null;
  }
}
