import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/core/chunk/chunker.js';
import { splitSentences } from '../../src/core/text/sentences.js';

const text = [
  'Japanese and South Korean leaders agreed to boost cooperation. They met in Tokyo on Saturday.',
  'Disputes over territory have long strained ties. But the neighbours have drawn closer in recent years.',
  'Lee will fly to Washington on Sunday. He will meet U.S. President Donald Trump. S. Korea and Japan agreed to trade deals.',
].join('\n\n');

describe('sentences', () => {
  it('splits on sentence ends but not after abbreviations, with exact offsets', () => {
    const spans = splitSentences(text);
    for (const span of spans) expect(text.slice(span.start, span.end)).toBe(span.text);
    expect(spans.map((s) => s.text)).toContain('He will meet U.S. President Donald Trump.');
    expect(spans.map((s) => s.text)).toContain('S. Korea and Japan agreed to trade deals.');
    expect(spans).toHaveLength(7);
  });

  it('ends a sentence after an initialism when a sentence opener follows it', () => {
    const spans = splitSentences('The leaders meet in Washington, D.C. The launch came days earlier. U.S. officials said so.');
    expect(spans.map((s) => s.text)).toEqual(['The leaders meet in Washington, D.C.', 'The launch came days earlier.', 'U.S. officials said so.']);
  });
});

describe('chunkDocument', () => {
  it('keeps offsets into the text and overlaps by one sentence', () => {
    const chunks = chunkDocument('a.txt', text, { targetChars: 120, maxChars: 400, overlapSentences: 1 });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(text.slice(chunk.start, chunk.end)).toBe(chunk.text);
      expect(chunk.text.length).toBeLessThanOrEqual(400);
    }
    // Overlap: each chunk after the first starts inside (or right at the end of) the previous one.
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeLessThan(chunks[i - 1]!.end);
    // Coverage: every sentence is in some chunk.
    for (const sentence of splitSentences(text)) {
      expect(chunks.some((c) => c.start <= sentence.start && c.end >= sentence.end)).toBe(true);
    }
  });

  it('derives stable ids from content: unchanged text keeps its id when other text changes', () => {
    const before = chunkDocument('a.txt', text, { targetChars: 120, maxChars: 400, overlapSentences: 0 });
    const after = chunkDocument('a.txt', text.replace('Sunday', 'Monday'), { targetChars: 120, maxChars: 400, overlapSentences: 0 });
    const kept = before.filter((c) => after.some((a) => a.id === c.id));
    expect(kept.length).toBe(before.length - 1);
    expect(chunkDocument('b.txt', text)[0]!.id).not.toBe(chunkDocument('a.txt', text)[0]!.id);
  });

  it('cuts a sentence longer than the ceiling at whitespace', () => {
    const long = Array.from({ length: 800 }, (_, i) => `word${i}`).join(' ');
    const chunks = chunkDocument('long.txt', long, { targetChars: 700, maxChars: 1200, overlapSentences: 1 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(1200);
      expect(long.slice(chunk.start, chunk.end)).toBe(chunk.text);
    }
  });
});
