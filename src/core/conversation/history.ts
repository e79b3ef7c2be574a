// A conversation's memory: the turns before the current question, bounded so that one busy thread can never grow
// the prompt or the store without limit. Pure data; the adapters decide where a conversation lives.
import type { Answer } from '../types.js';

export interface TurnSource {
  source: string;
  title: string;
  /** The cited document's date (YYYY-MM-DD or a prefix), or null. */
  date: string | null;
}

export interface ConversationTurn {
  /** What the user typed. */
  question: string;
  /** The question as it was read (equal to `question` when it stood alone). */
  standalone: string;
  /** The short answer span, or the answer's first sentence (markers removed), bounded. */
  answer: string;
  /** The short answer span ("Xi Jinping", "23 August 2025"), or null. */
  short: string | null;
  refused: boolean;
  /** The expected answer type of the standalone question (person, date…), when known. */
  type: string | null;
  sources: TurnSource[];
  /** Topic words carried to retrieval but not shown in `standalone` (rewrite.ts), when the turn was rewritten. */
  context?: string[];
}

export interface HistoryLimits {
  maxTurns: number;
  maxChars: number;
}

/** Last 6 turns, at most 4,000 characters: enough for "and why?" chains, small enough for a prompt. */
export const HISTORY_LIMITS: HistoryLimits = { maxTurns: 6, maxChars: 4000 };

const MAX_ANSWER_CHARS = 400;

/** The characters a turn costs against the history bound. */
export function turnChars(turn: ConversationTurn): number {
  return turn.question.length + turn.standalone.length + (turn.context?.join(' ').length ?? 0) + turn.answer.length + (turn.short?.length ?? 0) + turn.sources.reduce((sum, s) => sum + s.source.length + s.title.length + (s.date?.length ?? 0), 0);
}

/** The newest turns that fit both bounds (oldest dropped first). */
export function boundHistory(turns: readonly ConversationTurn[], limits: HistoryLimits = HISTORY_LIMITS): ConversationTurn[] {
  const kept: ConversationTurn[] = [];
  let chars = 0;
  for (let i = turns.length - 1; i >= 0 && kept.length < limits.maxTurns; i--) {
    const turn = turns[i]!;
    const cost = turnChars(turn);
    if (chars + cost > limits.maxChars) break;
    chars += cost;
    kept.unshift(turn);
  }
  return kept;
}

/** Appends a turn and re-applies the bound. */
export function appendTurn(turns: readonly ConversationTurn[], turn: ConversationTurn, limits: HistoryLimits = HISTORY_LIMITS): ConversationTurn[] {
  return boundHistory([...turns, turn], limits);
}

/** The answer's first sentence without citation markers or bold: what "that" and "it" refer to next. */
export function shortAnswerText(answer: Pick<Answer, 'answer' | 'short' | 'refused'>): string {
  if (answer.refused) return '';
  const plain = answer.answer.replace(/\*\*/g, '').replace(/\s*\[\d+\]/g, '').replace(/\s+/g, ' ').trim();
  const first = /^.{1,400}?[.!?](?=\s|$)/.exec(plain)?.[0] ?? plain;
  const text = answer.short && !first.includes(answer.short) ? `${answer.short} — ${first}` : first;
  return text.length <= MAX_ANSWER_CHARS ? text : `${text.slice(0, MAX_ANSWER_CHARS - 1)}…`;
}

/** The turn an answered question leaves behind. */
export function turnFromAnswer(question: string, standalone: string, answer: Answer, context: readonly string[] = []): ConversationTurn {
  const seen = new Set<string>();
  const sources: TurnSource[] = [];
  for (const c of answer.citations) {
    if (seen.has(c.source)) continue;
    seen.add(c.source);
    sources.push({ source: c.source, title: c.title.slice(0, 200), date: c.date });
    if (sources.length >= 3) break;
  }
  return {
    question: question.slice(0, 500),
    standalone: standalone.slice(0, 700),
    answer: shortAnswerText(answer),
    short: answer.refused ? null : (answer.short ?? null),
    refused: answer.refused,
    type: answer.type ?? null,
    sources,
    ...(context.length > 0 ? { context: context.slice(0, 12) } : {}),
  };
}
