// Sentence-aware chunking with overlap. Chunks are spans of the cleaned text (never rewritten), so a quote taken
// from a chunk can always be located in the document by its offsets.
import { createHash } from 'node:crypto';
import type { Pacer } from '../pacer.js';
import type { Chunk } from '../types.js';
import { paragraphSentences, splitParagraphs, splitSentences, type Span } from '../text/sentences.js';

export interface ChunkOptions {
  /** Aim for chunks of about this many characters. */
  targetChars: number;
  /** Hard ceiling: a longer sentence is cut at whitespace. */
  maxChars: number;
  /** Sentences repeated at the start of the next chunk, so an answer spanning a boundary stays retrievable. */
  overlapSentences: number;
}

export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { targetChars: 700, maxChars: 1200, overlapSentences: 1 };

/**
 * Bump when chunk boundaries change for the same text (the chunker or the sentence splitter): an index cut by
 * another revision is cut again on the next re-index, re-using every vector whose chunk text is unchanged.
 */
export const CHUNKER_REVISION = 2;

export function chunkDocument(source: string, text: string, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Chunk[] {
  const sentences = splitSentences(text).flatMap((span) => cutLongSpan(text, span, options.maxChars));
  return chunksOf(source, text, sentences, options);
}

/**
 * chunkDocument in slices: the same chunks, with the event loop given a turn between paragraphs (splitting the
 * sentences of a text of several megabytes took a second).
 */
export async function chunkDocumentPaced(source: string, text: string, pacer: Pacer, options: ChunkOptions = DEFAULT_CHUNK_OPTIONS): Promise<Chunk[]> {
  const sentences: Span[] = [];
  for (const paragraph of splitParagraphs(text)) {
    for (const span of paragraphSentences(text, paragraph)) sentences.push(...cutLongSpan(text, span, options.maxChars));
    await pacer.tick();
  }
  return chunksOf(source, text, sentences, options);
}

function chunksOf(source: string, text: string, sentences: readonly Span[], options: ChunkOptions): Chunk[] {
  const chunks: Chunk[] = [];
  const seen = new Map<string, number>();
  let index = 0;
  while (index < sentences.length) {
    const first = sentences[index];
    if (!first) break;
    let last = index;
    while (last + 1 < sentences.length) {
      const next = sentences[last + 1];
      if (!next || next.end - first.start > options.targetChars) break;
      last += 1;
    }
    const lastSpan = sentences[last] ?? first;
    const chunkText = text.slice(first.start, lastSpan.end);
    const occurrence = seen.get(chunkText) ?? 0;
    seen.set(chunkText, occurrence + 1);
    chunks.push({ id: chunkId(source, chunkText, occurrence), source, start: first.start, end: lastSpan.end, text: chunkText });
    if (last + 1 >= sentences.length) break;
    // Step forward, keeping `overlapSentences` of this chunk, but always make progress.
    index = Math.max(index + 1, last + 1 - options.overlapSentences);
  }
  return chunks;
}

export function chunkId(source: string, text: string, occurrence: number): string {
  return createHash('sha256').update(source).update('\0').update(text).update('\0').update(String(occurrence)).digest('hex').slice(0, 24);
}

function cutLongSpan(text: string, span: Span, maxChars: number): Span[] {
  if (span.end - span.start <= maxChars) return [span];
  const pieces: Span[] = [];
  let start = span.start;
  while (start < span.end) {
    let end = Math.min(span.end, start + maxChars);
    if (end < span.end) {
      const breakAt = text.lastIndexOf(' ', end);
      if (breakAt > start + maxChars / 2) end = breakAt;
    }
    const piece = text.slice(start, end);
    const trimmedEnd = start + piece.trimEnd().length;
    if (trimmedEnd > start) pieces.push({ start, end: trimmedEnd, text: text.slice(start, trimmedEnd) });
    start = end;
    while (start < span.end && /\s/.test(text[start] ?? '')) start += 1;
  }
  return pieces;
}
