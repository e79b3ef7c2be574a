// Evaluation of retrieval and answers against a JSONL set (see ../shared/eval/README.md for the format).
import { readFileSync } from 'node:fs';
import { decodeHTML } from 'entities';
import { join } from 'node:path';
import { z } from 'zod';
import type { Answer } from '../core/types.js';
import { analyzeQuestion } from '../core/text/question.js';
import { contentTerms } from '../core/text/tokens.js';
import { isCalendarWord } from '../core/text/calendar.js';

export const qaItemSchema = z.object({
  id: z.string().optional(),
  question: z.string(),
  expect_any: z.array(z.string()).optional(),
  source: z.string().optional(),
  expect_refusal: z.boolean().optional(),
  /** The kind of question (who, when, when-resolve, why, said, unanswerable…), for accuracy by type. */
  type: z.string().optional(),
});
export type QaItem = z.infer<typeof qaItemSchema>;

/** One schema-checked object per non-empty line; a bad line is reported with its file and line number. */
export function readJsonLines<T>(path: string, schema: z.ZodType<T>): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), i }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, i }) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid line'}`);
      return parsed.data;
    });
}

export function readQaSet(path: string): QaItem[] {
  return readJsonLines(path, qaItemSchema);
}

export interface QaItemResult {
  id: string;
  question: string;
  kind: 'answerable' | 'unanswerable';
  /** The set's own label when it has one, else the type the question analysis found. */
  type: string;
  rank: number | null;
  correct: boolean;
  refused: boolean;
  citations: number;
  validCitations: number;
  ms: number;
  answer: string;
  /** A refusal of an answerable question that quotes, as "closest", a sentence holding the expected answer. */
  refusalCitesAnswer: boolean;
  /**
   * For a correct answer to a question that names an event ("meet", "veto"): whether the cited sentence states it
   * (same stem or irregular form, no word vectors) — "…as they met in Tokyo", not "Lee will fly from Tokyo…".
   * null when not applicable.
   */
  statesEvent: boolean | null;
}

/** A share, or null when its denominator is empty (printed "n/a", never a flattering 100 %). */
export type Rate = number | null;

export interface QaReport {
  items: QaItemResult[];
  recallAt5: Rate;
  mrr: Rate;
  accuracy: Rate;
  answerable: number;
  correct: number;
  unanswerable: number;
  refusedCorrectly: number;
  citationValidity: Rate;
  refusalAccuracy: Rate;
  falseRefusalRate: Rate;
  /** Refusals of answerable questions whose closest sources hold the expected answer. Should be 0. */
  refusalsCitingAnswer: number;
  /** Median length in characters of the non-refused answers. */
  medianAnswerChars: number | null;
  /** Correct / total per question type. */
  byType: Record<string, { correct: number; total: number }>;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Correct answers to questions naming an event whose cited sentence states it, of those that name one. */
  statesEvent: { stated: number; of: number };
}

/**
 * Whether `expected` occurs in `text` as a whole word or phrase (case-insensitive, a plural ending allowed):
 * "UK" is not found in "Suk" or "Ukraine", "decade" is found in "decades".
 */
export function containsPhrase(text: string, expected: string): boolean {
  const normalise = (s: string) => s.replace(/[’‘]/g, "'").replace(/[‐‑–—]/g, '-').replace(/\s+/g, ' ').trim();
  const needle = normalise(expected);
  if (needle.length === 0) return false;
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?:s|es)?(?![\\p{L}\\p{N}])`, 'iu').test(normalise(text));
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Text compared for citation validity: whitespace collapsed, and no space before closing or after opening
 * punctuation (markup between a word and its comma leaves one behind). A quote may skip text with "…".
 */
function comparable(text: string): string {
  return collapse(text.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"'))
    .replace(/ ([,.;:!?'")\]])/g, '$1')
    .replace(/([(\[]) /g, '$1');
}

/** Whether a quote is found in a file's text as a reader sees it (the eval sets' definition of a valid citation). */
export function quoteFoundIn(quote: string, readable: string): boolean {
  const parts = comparable(quote.replace(/[*_`]+/g, ' ')).split(/\s*(?:\.\.\.|…)\s*/).filter((part) => part.length > 0);
  return parts.length > 0 && parts.every((part) => readable.includes(part));
}

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
    const valid = raw !== null && quoteFoundIn(citation.quote, raw);
    if (valid) validCitations += 1;
    if (valid && citation.source === item.source) validInSource += 1;
  }
  const kind = item.expect_refusal ? 'unanswerable' : 'answerable';
  const expected = item.expect_any ?? [];
  const correct = kind === 'unanswerable' ? answer.refused : !answer.refused && expected.some((s) => containsPhrase(answer.answer, s)) && validInSource > 0;
  const refusalCitesAnswer = kind === 'answerable' && answer.refused && answer.citations.some((c) => expected.some((s) => containsPhrase(c.quote, s)));
  return {
    id: item.id ?? item.question,
    question: item.question,
    kind,
    type: item.type ?? (kind === 'unanswerable' ? 'unanswerable' : (answer as { type?: string }).type ?? 'other'),
    rank: rankIndex >= 0 ? rankIndex + 1 : null,
    correct,
    refused: answer.refused,
    citations: answer.citations.length,
    validCitations,
    ms,
    answer: answer.answer,
    refusalCitesAnswer,
    statesEvent: correct && kind === 'answerable' && item.source ? statesAskedEvent(item.question, answer.citations[0]?.quote ?? '', rawFile(item.source) ?? '') : null,
  };
}

/**
 * Whether a quote states what the question asks happened: one of its focus words that is no name (the source
 * writes it capitalised), number, month or weekday, by stem. null when the question names no such word.
 */
export function statesAskedEvent(question: string, quote: string, sourceText: string): boolean | null {
  const analysis = analyzeQuestion(question);
  const isName = (word: string) => {
    if (analysis.names.has(word)) return true;
    const capital = (sourceText.match(new RegExp(`\\b${word[0]?.toUpperCase() ?? ''}${word.slice(1)}\\b`, 'g')) ?? []).length;
    const lower = (sourceText.match(new RegExp(`\\b${word}\\b`, 'g')) ?? []).length;
    return capital > 0 && capital >= 4 * lower;
  };
  const events = analysis.focus.filter((f) => !/\d/.test(f.word) && !isCalendarWord(f.word) && !analysis.excluded.includes(f.term) && /^[a-z]+$/.test(f.word) && !isName(f.word));
  if (events.length === 0) return null;
  const terms = new Set(contentTerms(quote));
  return events.some((f) => terms.has(f.term));
}

export function summarize(items: QaItemResult[]): QaReport {
  const answerable = items.filter((i) => i.kind === 'answerable');
  const unanswerable = items.filter((i) => i.kind === 'unanswerable');
  const answered = items.filter((i) => !i.refused);
  const citations = answered.reduce((sum, i) => sum + i.citations, 0);
  const valid = answered.reduce((sum, i) => sum + i.validCitations, 0);
  const latencies = items.map((i) => i.ms).sort((a, b) => a - b);
  const lengths = answered.map((i) => i.answer.length).sort((a, b) => a - b);
  const byType: Record<string, { correct: number; total: number }> = {};
  for (const item of items) {
    const entry = (byType[item.type] ??= { correct: 0, total: 0 });
    entry.total += 1;
    if (item.correct) entry.correct += 1;
  }
  return {
    items,
    recallAt5: ratio(answerable.filter((i) => i.rank !== null).length, answerable.length),
    mrr: answerable.length === 0 ? null : answerable.reduce((sum, i) => sum + (i.rank ? 1 / i.rank : 0), 0) / answerable.length,
    accuracy: ratio(answerable.filter((i) => i.correct).length, answerable.length),
    answerable: answerable.length,
    correct: answerable.filter((i) => i.correct).length,
    unanswerable: unanswerable.length,
    refusedCorrectly: unanswerable.filter((i) => i.refused).length,
    citationValidity: ratio(valid, citations),
    refusalAccuracy: ratio(unanswerable.filter((i) => i.refused).length, unanswerable.length),
    falseRefusalRate: ratio(answerable.filter((i) => i.refused).length, answerable.length),
    refusalsCitingAnswer: items.filter((i) => i.refusalCitesAnswer).length,
    medianAnswerChars: lengths.length === 0 ? null : (lengths[Math.floor((lengths.length - 1) / 2)] ?? null),
    byType,
    latencyP50Ms: percentile(latencies, 0.5),
    latencyP95Ms: percentile(latencies, 0.95),
    statesEvent: { stated: items.filter((i) => i.statesEvent === true).length, of: items.filter((i) => i.statesEvent !== null).length },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index] ?? 0;
}

export function ratio(a: number, b: number): Rate {
  return b === 0 ? null : a / b;
}

/**
 * A corpus file's text as a reader sees it, ready for `quoteFoundIn`: an HTML page without its tags and with its
 * entities decoded (its source is not what anyone reads), any other file as it is. Cached per file.
 */
export function rawCorpusReader(corpusDir: string): (source: string) => string | null {
  const cache = new Map<string, string | null>();
  return (source) => {
    if (cache.has(source)) return cache.get(source) ?? null;
    let text: string | null;
    try {
      const raw = readFileSync(join(corpusDir, source), 'utf8');
      text = comparable(/\.x?html?$/i.test(source) ? decodeHTML(raw.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')) : raw);
    } catch {
      text = null;
    }
    cache.set(source, text);
    return text;
  };
}
