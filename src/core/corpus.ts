// The seam between the use cases and storage. A `CorpusStore` is where indexed documents live (the embedded
// hnswlib generations by default, PostgreSQL + pgvector for deployments with several processes); a
// `CorpusView` is one consistent state of it that a query reads from start to finish.
import type { IndexProgress, IndexRunResult } from './index/build.js';
import type { StoredDocument } from './index/snapshot.js';
import type { RetrieveOptions } from './retrieve/knowledge-base.js';
import type { TermStatistics } from './retrieve/term-stats.js';
import type { Passage } from './types.js';

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

export type ReindexSummary = IndexRunResult['summary'];

export interface ReindexRequest {
  /** Re-embed everything (also what an embedder change forces). */
  rebuild?: boolean;
  onProgress?: (progress: IndexProgress) => void;
}

export interface CorpusStore {
  readonly kind: 'local' | 'pgvector';
  /** Prepares the store (loads, migrates, builds a missing index) and returns the view to serve. */
  open(): Promise<CorpusView>;
  /** The view a new query should read: the newest state committed by this or any other process. */
  view(): Promise<CorpusView>;
  /** True while this process runs a re-index. */
  readonly isReindexing: boolean;
  /** Incremental re-index of the corpus directory. Throws CoreError('REINDEX_BUSY') when one is running. */
  reindex(request?: ReindexRequest): Promise<{ summary: ReindexSummary }>;
  close(): Promise<void>;
}
