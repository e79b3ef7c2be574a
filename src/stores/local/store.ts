// The local store (the default): hnswlib generations on disk, one loaded in memory. Holds the view currently
// serving queries and swaps in a new one after a re-index. Queries capture the view once, so they finish on the
// generation they started with.
import type { CorpusStore, ReindexRequest } from '../../core/corpus.js';
import { CoreError, isCoreError } from '../../core/errors.js';
import { sameEmbedder } from '../../core/index/plan.js';
import type { Embedder, Logger, ReindexSummary } from '../../core/types.js';
import { currentGenerationName, hasIndex, loadCurrentGeneration, newestLoadableSnapshot } from './generations.js';
import type { LocalIndexOptions, LocalIndexResult } from './indexer.js';
import type { IndexSnapshot } from './snapshot.js';
import { LocalView } from './view.js';

export interface LocalStoreOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  logger: Logger;
}

export class LocalStore implements CorpusStore {
  readonly kind = 'local' as const;
  /** The generation being served; its view (BM25 postings) is built on first use, not by a bare `npm run index`. */
  private serving: { snapshot: IndexSnapshot; view: LocalView | null } | null = null;
  private running: Promise<LocalIndexResult> | null = null;

  constructor(private readonly options: LocalStoreOptions) {}

  async prepare(): Promise<void> {
    // Nothing to set up: the index directory is created by the first re-index.
  }

  /** Loads the current index, building it first when there is none or it cannot be trusted. */
  async open(): Promise<LocalView> {
    const { indexDir, embedder, logger } = this.options;
    if (hasIndex(indexDir)) {
      try {
        const snapshot = loadCurrentGeneration(indexDir);
        if (sameEmbedder(snapshot.embedder, embedder)) {
          this.serve(snapshot);
          return this.current;
        }
        logger.warn({ indexed: snapshot.embedder.id, configured: embedder.id }, 'index was built with another embedder; rebuilding');
      } catch (error) {
        if (!isCoreError(error)) throw error;
        logger.error({ err: error.message }, 'current index failed verification; serving the previous generation while rebuilding');
        const fallback = this.previousGoodGeneration();
        if (fallback) this.serve(fallback);
      }
    }
    await this.reindex();
    return this.current;
  }

  /** The view serving queries now. */
  get current(): LocalView {
    if (!this.serving) throw new CoreError('INDEX_MISSING', 'The index is not loaded yet.');
    this.serving.view ??= new LocalView(this.serving.snapshot, this.options.embedder);
    return this.serving.view;
  }

  async view(): Promise<LocalView> {
    return this.current;
  }

  async close(): Promise<void> {
    // Nothing but memory is held: the generation files are closed once loaded.
  }

  get isReindexing(): boolean {
    return this.running !== null;
  }

  /** Runs an incremental re-index and swaps the result in. A second call while one runs is refused. */
  async reindex(request: ReindexRequest & Pick<LocalIndexOptions, 'beforeSwitch' | 'corpus'> = {}): Promise<{ summary: ReindexSummary; revision: string }> {
    if (this.running) throw new CoreError('REINDEX_BUSY', 'A re-index is already running.');
    const { corpusDir, indexDir, embedder, logger } = this.options;
    // The indexer (and with it the parsers: linkedom, pdf.js, mammoth) is loaded on the first re-index only.
    // The served snapshot was verified when loaded: the re-index starts from it rather than reading it again.
    const serving = this.serving?.snapshot;
    this.running = import('./indexer.js').then(({ runLocalIndex }) => runLocalIndex({ ...request, corpusDir, indexDir, embedder, logger, ...(serving ? { serving } : {}) }));
    try {
      const result = await this.running;
      if (!result.reusedPrevious || this.serving?.snapshot.generation !== result.snapshot.generation) this.serve(result.snapshot);
      logger.info({ ...result.summary, generation: result.snapshot.generation }, 'index ready');
      return { summary: result.summary, revision: result.snapshot.generation };
    } finally {
      this.running = null;
    }
  }

  private serve(snapshot: IndexSnapshot): void {
    this.serving = { snapshot, view: null };
  }

  private previousGoodGeneration(): IndexSnapshot | null {
    const { indexDir, embedder } = this.options;
    const fallback = newestLoadableSnapshot(indexDir, currentGenerationName(indexDir));
    return fallback && sameEmbedder(fallback.embedder, embedder) ? fallback : null;
  }
}
