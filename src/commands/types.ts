// The use cases both front ends (Discord and the terminal session) call. One implementation, two adapters.
import type { ConversationTurn } from '../core/conversation/history.js';
import type { Answer, IndexProgress, ReindexSummary, Timeline } from '../core/types.js';
import type { AddRequest, AddResult } from './add.js';
import type { RemoveRequest, RemoveResult } from './remove.js';

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

/** A known entity for autocomplete and /help. */
export interface EntitySummary {
  /** Stable id: the curated key or `learned:<key>`. */
  name: string;
  label: string;
  source: 'curated' | 'learned';
  kind: string;
  /** Mentions in the indexed documents. */
  mentions: number;
}

/** An answer inside a conversation: what was asked, how it was read, and the turn it leaves behind. */
export interface ConversationAnswer {
  answer: Answer;
  /** The question as read (the follow-up rewritten to stand alone), equal to the question when it stood alone. */
  standalone: string;
  rewritten: boolean;
  turn: ConversationTurn;
}

export interface BotServices {
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /** A question with the turns before it (oldest first): rewritten to stand alone, then answered like ask(). */
  converse(question: string, history: readonly ConversationTurn[], options?: AskOptions): Promise<ConversationAnswer>;
  /**
   * The query as typed (or as command-line words): known names (curated or learned from the corpus) are
   * matched greedily, anything else is a topic phrase. Nothing found is an empty timeline with a `message`.
   */
  timeline(query: string | readonly string[], options?: TimelineOptions): Promise<Timeline>;
  sources(query?: string): Promise<SourceInfo[]>;
  /** Throws CoreError('REINDEX_BUSY') when another re-index is running. Queries keep using the old index meanwhile. */
  reindex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexSummary>;
  help(): Promise<HelpInfo>;
  /** Entities of the corpus, most-mentioned first, for autocomplete and /help. */
  entities(): Promise<EntitySummary[]>;
  /** Absent when the front end offers no uploads. */
  readonly uploads?: UploadServices;
}
