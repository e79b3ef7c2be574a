// The use cases both front ends (Discord and the terminal session) call. One implementation, two adapters.
import type { Answer, IndexProgress, ReindexSummary, Timeline } from '../core/types.js';

export type { ReindexSummary };

export interface AskOptions {
  /** How many passages to retrieve (defaults to the configured RETRIEVAL_K). */
  k?: number;
}

export interface TimelineOptions {
  /** List events involving any of the entities instead of all of them. */
  any?: boolean;
}

export type ReindexProgress = IndexProgress;

export interface SourceInfo {
  source: string;
  title: string;
  publishedAt: string | null;
  url: string | null;
  chunks: number;
  /** ISO timestamp of the index generation that first stored this version of the document. */
  indexedAt: string;
}

export interface HelpInfo {
  documents: number;
  chunks: number;
  dateRange: { from: string; to: string } | null;
  topEntities: string[];
  embedder: string;
  answerMode: 'extractive' | 'llm';
}

export interface BotServices {
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /** Throws CoreError('UNKNOWN_ENTITY') naming the known entities when a word maps to none. */
  timeline(entities: string[], options?: TimelineOptions): Promise<Timeline>;
  sources(query?: string): Promise<SourceInfo[]>;
  /** Throws CoreError('REINDEX_BUSY') when another re-index is running. Queries keep using the old index meanwhile. */
  reindex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexSummary>;
  help(): Promise<HelpInfo>;
  /** Entity names from the alias file, for autocomplete. */
  entityNames(): string[];
}
