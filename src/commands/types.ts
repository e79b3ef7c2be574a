// The use cases both front ends (Discord and the terminal session) call. One implementation, two adapters.
import type { IndexProgress, IndexRunResult } from '../core/index/build.js';
import type { Answer, Timeline } from '../core/types.js';
import type { AddRequest, AddResult } from './add.js';
import type { RemoveRequest, RemoveResult } from './remove.js';

export interface AskOptions {
  /** How many passages to retrieve (defaults to the configured RETRIEVAL_K). */
  k?: number;
}

export interface TimelineOptions {
  /** List events involving any of the entities instead of all of them. */
  any?: boolean;
}

/** Exactly the JSON printed by `npm run index -- --json` (defined by the core's index run). */
export type ReindexSummary = IndexRunResult['summary'];

export type ReindexProgress = IndexProgress;

export interface SourceInfo {
  source: string;
  title: string;
  publishedAt: string | null;
  url: string | null;
  chunks: number;
  /** ISO timestamp of the index generation that first stored this version of the document. */
  indexedAt: string;
  /** For files added with /add: the Discord user id and when. */
  addedBy?: string;
  addedAt?: string;
}

/** Adding and removing documents from chat (administrators). */
export interface UploadServices {
  add(request: AddRequest): Promise<AddResult>;
  /** Throws CoreError('INVALID_INPUT') for a source the index does not know. */
  remove(request: RemoveRequest): Promise<RemoveResult>;
  /** Sources matching `query`, uploads first, for autocomplete. */
  removable(query: string, limit?: number): Promise<string[]>;
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
  /** Absent when the front end offers no uploads. */
  readonly uploads?: UploadServices;
}
