// Conversions between database rows and the core's types. Vectors travel in pgvector's text form ("[0.1,0.2]"),
// written and read by the pgvector package, so the pg client needs no custom type parser.
import pgvector from 'pgvector';
import type { CleanDocument, DateProvenance, DocumentFormat, SkippedFile, StoredDocument } from '../../core/types.js';

export interface DocumentRow {
  source: string;
  title: string;
  published_at: string | null;
  url: string | null;
  body: string;
  file_hash: string;
  content_hash: string;
  meta: { dateProvenance: DateProvenance | null; dateConfidence: number; format: DocumentFormat; pageStarts?: number[] };
  indexed_at: string;
}

/** Selects a DocumentRow with dates as ISO strings (the client's Date parsing would shift them by time zone). */
export const DOCUMENT_COLUMNS = `source, title, to_char(published_at, 'YYYY-MM-DD') AS published_at, url, body, file_hash,
  content_hash, meta, to_char(indexed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS indexed_at`;

export function documentOfRow(row: DocumentRow): StoredDocument {
  return { ...cleanDocumentOfRow(row), indexedAt: row.indexed_at };
}

/** The document of a row, without the time it was indexed (the previous scan reads rows without it). */
export function cleanDocumentOfRow(row: Omit<DocumentRow, 'indexed_at'>): CleanDocument {
  return {
    source: row.source,
    title: row.title,
    publishedAt: row.published_at,
    dateProvenance: row.meta.dateProvenance,
    dateConfidence: row.meta.dateConfidence,
    url: row.url,
    format: row.meta.format,
    text: row.body,
    fileHash: row.file_hash,
    contentHash: row.content_hash,
    ...(row.meta.pageStarts ? { pageStarts: row.meta.pageStarts } : {}),
  };
}

export function metaOfDocument(doc: StoredDocument): DocumentRow['meta'] {
  return { dateProvenance: doc.dateProvenance, dateConfidence: doc.dateConfidence, format: doc.format, ...(doc.pageStarts ? { pageStarts: doc.pageStarts } : {}) };
}

export function vectorLiteral(vector: readonly number[]): string {
  return pgvector.toSql([...vector]);
}

/** Float32, as the column stores it. */
export function parseVector(text: string): Float32Array {
  return Float32Array.from(pgvector.fromSql(text) as number[]);
}

export interface StateRow {
  embedder_id: string | null;
  dimension: number | null;
  revision: string;
  chunk_count: number;
  /** Sum of the chunks' lengths in terms (BM25's average length is this over chunk_count). */
  term_total: number;
  skipped: SkippedFile[];
  /** CHUNKER_REVISION of the stored chunks; null before migration 003 recorded it. */
  chunker_revision: number | null;
  /** The boilerplate lines and PARSER_REVISION of the last scan (migration 004); null: documents are parsed again. */
  boilerplate_lines: string[] | null;
  parser_revision: number | null;
}
