// What the model is shown: the sentences the answer stage found best, from every retrieved document, each with its
// neighbours, merged when they touch, deduplicated, within a token budget. Each block is a contiguous span of its
// document, so it is handed to the model (and verified) as an ordinary passage with exact offsets.
import type { Passage } from '../types.js';
import type { SentenceAnalysis } from './extractive.js';

export interface EvidenceOptions {
  /** Rough budget for the passages' text, in tokens (≈ 4 characters each). */
  maxTokens: number;
  /** Sentences taken on each side of a chosen one. */
  neighbours?: number;
  /** At most this many blocks. */
  maxBlocks?: number;
}

export const DEFAULT_EVIDENCE_TOKENS = 3000;
const CHARS_PER_TOKEN = 4;

/** Passages built from the best-scored sentences and their neighbours, best first. */
export function evidencePassages(analysis: SentenceAnalysis, options: EvidenceOptions): Passage[] {
  const neighbours = options.neighbours ?? 1;
  const maxBlocks = options.maxBlocks ?? 12;
  const budget = options.maxTokens * CHARS_PER_TOKEN;
  // Sentence-index ranges per document, in the order their best sentence ranks.
  const ranges = new Map<string, Array<{ from: number; to: number; rank: number }>>();
  const passageOf = new Map<string, Passage>();
  let used = 0;
  let blocks = 0;
  for (const [rank, sentence] of analysis.scored.entries()) {
    if (blocks >= maxBlocks || used >= budget) break;
    const source = sentence.doc.source;
    const spans = analysis.sentencesBySource.get(source);
    if (!spans) continue;
    if (!passageOf.has(source)) passageOf.set(source, sentence.passage);
    const list = ranges.get(source) ?? [];
    const from = Math.max(0, sentence.index - neighbours);
    const to = Math.min(spans.length - 1, sentence.index + neighbours);
    if (list.some((r) => sentence.index >= r.from && sentence.index <= r.to)) continue;
    const cost = (spans[to]?.end ?? 0) - (spans[from]?.start ?? 0);
    if (used + cost > budget && blocks > 0) continue;
    // Merge with a range it touches, so the model never sees the same sentence twice.
    const touching = list.find((r) => from <= r.to + 1 && to >= r.from - 1);
    if (touching) {
      touching.from = Math.min(touching.from, from);
      touching.to = Math.max(touching.to, to);
    } else {
      list.push({ from, to, rank });
      blocks += 1;
    }
    ranges.set(source, list);
    used += cost;
  }
  const out: Array<{ passage: Passage; rank: number }> = [];
  for (const [source, list] of ranges) {
    const spans = analysis.sentencesBySource.get(source);
    const base = passageOf.get(source);
    const doc = analysis.scored.find((s) => s.doc.source === source)?.doc;
    if (!spans || !base || !doc) continue;
    for (const range of list) {
      const start = spans[range.from]?.start ?? 0;
      const end = spans[range.to]?.end ?? start;
      const text = doc.text.slice(start, end);
      out.push({
        rank: range.rank,
        passage: {
          ...base,
          chunk: { id: `${source}#${start}-${end}`, source, start, end, text },
          doc: base.doc,
        },
      });
    }
  }
  return out.sort((a, b) => a.rank - b.rank).map((o) => o.passage);
}
