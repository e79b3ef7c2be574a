// Evaluation of retrieval and answers against a JSONL set (see ../shared/eval/README.md for the format).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Answer } from '../core/types.js';

export const qaItemSchema = z.object({
  id: z.string().optional(),
  question: z.string(),
  expect_any: z.array(z.string()).optional(),
  source: z.string().optional(),
  expect_refusal: z.boolean().optional(),
});
export type QaItem = z.infer<typeof qaItemSchema>;

export function readQaSet(path: string): QaItem[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, i }) => {
      const parsed = qaItemSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid item'}`);
      return parsed.data;
    });
}

export interface QaItemResult {
  id: string;
  question: string;
  kind: 'answerable' | 'unanswerable';
  rank: number | null;
  correct: boolean;
  refused: boolean;
  citations: number;
  validCitations: number;
  ms: number;
  answer: string;
}

export interface QaReport {
  items: QaItemResult[];
  recallAt5: number;
  mrr: number;
  accuracy: number;
  answerable: number;
  correct: number;
  citationValidity: number;
  refusalAccuracy: number;
  falseRefusalRate: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Scores one item. `rawFile` reads a corpus file's original text, against which quotes are checked. */
export function scoreItem(
  item: QaItem,
  answer: Answer,
  retrievedSources: readonly string[],
  ms: number,
  rawFile: (source: string) => string | null,
): QaItemResult {
  const rankIndex = item.source ? retrievedSources.slice(0, 5).indexOf(item.source) : -1;
  let validCitations = 0;
  let validInSource = 0;
  for (const citation of answer.citations) {
    const raw = rawFile(citation.source);
    const valid = raw !== null && collapse(raw).includes(collapse(citation.quote));
    if (valid) validCitations += 1;
    if (valid && citation.source === item.source) validInSource += 1;
  }
  const lower = answer.answer.toLowerCase();
  const kind = item.expect_refusal ? 'unanswerable' : 'answerable';
  const correct =
    kind === 'unanswerable'
      ? answer.refused
      : !answer.refused && (item.expect_any ?? []).some((s) => lower.includes(s.toLowerCase())) && validInSource > 0;
  return {
    id: item.id ?? item.question,
    question: item.question,
    kind,
    rank: rankIndex >= 0 ? rankIndex + 1 : null,
    correct,
    refused: answer.refused,
    citations: answer.citations.length,
    validCitations,
    ms,
    answer: answer.answer,
  };
}

export function summarize(items: QaItemResult[]): QaReport {
  const answerable = items.filter((i) => i.kind === 'answerable');
  const unanswerable = items.filter((i) => i.kind === 'unanswerable');
  const withSource = answerable;
  const citations = items.filter((i) => !i.refused).reduce((sum, i) => sum + i.citations, 0);
  const valid = items.filter((i) => !i.refused).reduce((sum, i) => sum + i.validCitations, 0);
  const latencies = items.map((i) => i.ms).sort((a, b) => a - b);
  return {
    items,
    recallAt5: ratio(withSource.filter((i) => i.rank !== null).length, withSource.length),
    mrr: withSource.length === 0 ? 0 : withSource.reduce((sum, i) => sum + (i.rank ? 1 / i.rank : 0), 0) / withSource.length,
    accuracy: ratio(answerable.filter((i) => i.correct).length, answerable.length),
    answerable: answerable.length,
    correct: answerable.filter((i) => i.correct).length,
    citationValidity: citations === 0 ? 1 : valid / citations,
    refusalAccuracy: ratio(unanswerable.filter((i) => i.refused).length, unanswerable.length),
    falseRefusalRate: ratio(answerable.filter((i) => i.refused).length, answerable.length),
    latencyP50Ms: percentile(latencies, 0.5),
    latencyP95Ms: percentile(latencies, 0.95),
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index] ?? 0;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 1 : a / b;
}

export function rawCorpusReader(corpusDir: string): (source: string) => string | null {
  return (source) => {
    try {
      return readFileSync(join(corpusDir, source), 'utf8');
    } catch {
      return null;
    }
  };
}
