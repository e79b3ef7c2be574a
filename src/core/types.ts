// Shared vocabulary of the core. Everything here is plain data: no I/O, no Discord, no environment.
import type { EmbeddingsInterface } from '@langchain/core/embeddings';

/** Where a document's publication date came from, most trustworthy first. */
/** `document-properties`: a PDF's creation date or a Word file's publish date, read from the file's own metadata. */
export type DateProvenance = 'front-matter' | 'meta-tag' | 'document-properties' | 'dateline' | 'byline';

export type DocumentFormat = 'txt' | 'md' | 'html' | 'pdf' | 'docx';

export interface DocumentMeta {
  /** Path relative to the corpus directory, with `/` separators. The document's identity. */
  source: string;
  title: string;
  /** ISO date `YYYY-MM-DD`, or null when the page carries no trustworthy date. */
  publishedAt: string | null;
  dateProvenance: DateProvenance | null;
  /** 0..1: how sure the loader is about `publishedAt` (0 when null). */
  dateConfidence: number;
  url: string | null;
  format: DocumentFormat;
}

/** A loaded document after boilerplate removal. Every offset in the system points into `text`. */
export interface CleanDocument extends DocumentMeta {
  text: string;
  /** SHA-256 of the raw file bytes. */
  fileHash: string;
  /** SHA-256 of the cleaned text and metadata: what decides whether a document must be re-chunked. */
  contentHash: string;
  /** Paged formats (PDF): offset in `text` where page i+1 starts; a page without text starts where the next does. */
  pageStarts?: number[];
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface Chunk {
  /** Stable id derived from the chunk's content and source, so unchanged text keeps its id. */
  id: string;
  source: string;
  /** Character offsets into the cleaned document text: `doc.text.slice(start, end) === text`. */
  start: number;
  end: number;
  text: string;
}

/** LangChain's embeddings contract plus what the index needs to know to stay consistent. */
export interface Embedder extends EmbeddingsInterface {
  /** Identifies model and settings: a different id means stored vectors are not comparable. */
  readonly id: string;
  readonly dimension: number;
}

/** A retrieved passage with the scores that ranked it. */
export interface Passage {
  chunk: Chunk;
  doc: DocumentMeta;
  /** Fused score used for ranking (higher is better). */
  score: number;
  bm25Score: number;
  vectorScore: number;
  /** Share of the query's content terms found in the passage (0..1). */
  termCoverage: number;
}

export interface Citation {
  /** 1-based number shown in the answer as `[n]`. */
  n: number;
  source: string;
  title: string;
  date: string | null;
  url: string | null;
  /** Exact span of the cleaned document text that supports the claim. */
  quote: string;
  start: number;
  end: number;
  /** 1-based page of the quote in a paged document (PDF); null or absent for other formats. */
  page?: number | null;
}

export type AnswerMode = 'extractive' | 'llm';

export interface Answer {
  question: string;
  /** Text with `[n]` markers after each sentence; a refusal message when `refused`. */
  answer: string;
  refused: boolean;
  mode: AnswerMode;
  citations: Citation[];
  /** Why the LLM path was not used or was abandoned, for logs and the reply footer. */
  fallbackReason?: string;
  /** The short answer span the answer leads with ("Tokyo", "24 August 2025"), or null when there is none. */
  short?: string | null;
  /** The expected answer type the question analysis found (person, place, date, reason…). */
  type?: string;
}

/** A date as precise as the text gives it: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or an interval `start/end`. */
export type IsoDatePrefix = string;

export interface TimelineCitation {
  n: number;
  source: string;
  title: string;
  /** The document's address, for documents that have one (added by link, or a page naming its own); absent otherwise. */
  url?: string;
  quote: string;
  start: number;
  end: number;
}

export interface TimelineEvent {
  date: IsoDatePrefix;
  status: 'happened' | 'planned';
  text: string;
  citations: TimelineCitation[];
}

export interface UndatedEvent {
  text: string;
  citations: TimelineCitation[];
}

/** One part of a timeline query as resolved: a known entity (curated or learned from the corpus) or a topic phrase. */
export interface TimelineTerm {
  /** Stable id: the curated key (`japan`), `learned:<key>` or `phrase:<stems>`. */
  name: string;
  label: string;
  aliases: string[];
  source: 'curated' | 'learned' | 'phrase';
}

export interface Timeline {
  entities: TimelineTerm[];
  events: TimelineEvent[];
  undated: UndatedEvent[];
  /** Set when nothing was found: says what was looked for and in how many documents. */
  message?: string;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The one thing the generative answerer needs from a chat model. Providers adapt their SDK to it. */
export interface ChatModel {
  readonly id: string;
  /** Resolves to the model's reply text; rejects on timeout, HTTP errors or malformed replies. */
  complete(messages: ChatMessage[], options?: { signal?: AbortSignal }): Promise<string>;
}

/** Minimal structured logger the core may be handed (pino satisfies it). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A document as a corpus store holds it: the cleaned document and when this version was indexed. */
export interface StoredDocument extends CleanDocument {
  /** When this version of the document was first indexed (ISO timestamp). */
  indexedAt: string;
}

/** What a retrieval asks a corpus store for. */
export interface RetrieveOptions {
  k: number;
  /** Only documents published on or after this ISO date. Undated documents are excluded when a range is set. */
  fromDate?: string;
  toDate?: string;
  /** Only these sources (paths relative to the corpus). */
  sources?: readonly string[];
  /** Which rankings to use; 'hybrid' (the default) fuses both. The others exist to measure each side alone. */
  mode?: 'hybrid' | 'keyword' | 'vector';
}

/** Where a re-index is; `done`/`total` count chunks while embedding. */
export interface IndexProgress {
  phase: 'scanning' | 'embedding' | 'writing' | 'done';
  done: number;
  total: number;
}

/** The outcome of one re-index, whichever store ran it (and the JSON of `npm run index -- --json`). */
export interface ReindexSummary {
  /** `added/updated/removed/unchanged` count documents; `embedded` counts chunks sent to the embedder. */
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  chunks: number;
  embedded: number;
  skipped: SkippedFile[];
  embedder: string;
  ms: number;
  rebuildReason?: string;
}
