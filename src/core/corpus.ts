// The seam between the use cases and storage. A `CorpusStore` is where indexed documents live (the local hnswlib
// generations by default, PostgreSQL + pgvector for deployments with several processes); a `CorpusView` is one
// consistent state of it that a query reads from start to finish. Both stores follow the same index plan
// (index/plan.ts) and rank with the same tail (retrieve/rank.ts): each supplies only its candidates and its write.
import type { TermStatistics } from './retrieve/term-stats.js';
import type { IndexProgress, Passage, ReindexSummary, RetrieveOptions, StoredDocument } from './types.js';

/** Passages and the documents they were cut from, read from the same state so every offset holds. */
export interface Retrieval {
  passages: Passage[];
  documents: ReadonlyMap<string, StoredDocument>;
}

export interface CorpusView extends TermStatistics {
  /** Names the state: a generation directory or a database revision. Changes whenever the content does. */
  readonly revision: string;
  readonly embedder: { id: string; dimension: number };
  readonly documentCount: number;
  readonly chunkCount: number;
  /** Hybrid (keyword + vector) retrieval: the same contract for every store. */
  search(question: string, options: RetrieveOptions): Promise<Retrieval>;
  /** Every indexed document, with its full cleaned text. */
  documents(): Promise<ReadonlyMap<string, StoredDocument>>;
  /** Number of chunks per document source. */
  chunkCounts(): Promise<ReadonlyMap<string, number>>;
}

export interface ReindexRequest {
  /** Re-embed everything (also what an embedder change forces). */
  rebuild?: boolean;
  onProgress?: (progress: IndexProgress) => void;
}

export interface CorpusStore {
  readonly kind: 'local' | 'pgvector';
  /** Sets the store up without reading the corpus (database migrations); open() does this first. */
  prepare(): Promise<void>;
  /** Prepares the store (loads, migrates, builds a missing index) and returns the view to serve. */
  open(): Promise<CorpusView>;
  /** The view a new query should read: the newest state committed by this or any other process. */
  view(): Promise<CorpusView>;
  /** True while this process runs a re-index. */
  readonly isReindexing: boolean;
  /**
   * Incremental re-index of the corpus directory; `revision` names the state it leaves (a generation, a database
   * revision). Throws CoreError('REINDEX_BUSY') when one is running.
   */
  reindex(request?: ReindexRequest): Promise<{ summary: ReindexSummary; revision: string }>;
  close(): Promise<void>;
}
