// Conversation evaluation: each turn of a conversations-*.jsonl item is graded like a qa-*.jsonl item (qa.ts
// scoreItem), with the turns before it as the history. First turns are also asked alone, to show that carrying a
// conversation never makes a fresh question worse.
import { z } from 'zod';
import type { BotServices } from '../commands/types.js';
import type { ConversationTurn } from '../core/conversation/history.js';
import { qaItemSchema, rawCorpusReader, readJsonLines, scoreItem, type QaItemResult } from './qa.js';

export const conversationSchema = z.object({ id: z.string(), turns: z.array(qaItemSchema).min(1) });
export type ConversationItem = z.infer<typeof conversationSchema>;

export function readConversationSet(path: string): ConversationItem[] {
  return readJsonLines(path, conversationSchema);
}

export interface ConversationTurnResult extends QaItemResult {
  conversation: string;
  turn: number;
  standalone: string;
  /** Topic words carried to retrieval beside the standalone question. */
  context: string[];
}

export interface ConversationReport {
  turns: ConversationTurnResult[];
  correct: number;
  total: number;
  firstTurns: { correct: number; total: number; aloneCorrect: number };
  followUps: { correct: number; total: number };
  latencyP95Ms: number;
}

export async function runConversationEval(services: Pick<BotServices, 'ask' | 'converse'>, conversations: readonly ConversationItem[], corpusDir: string): Promise<ConversationReport> {
  const read = rawCorpusReader(corpusDir);
  const turns: ConversationTurnResult[] = [];
  let aloneCorrect = 0;
  for (const conversation of conversations) {
    let history: ConversationTurn[] = [];
    for (const [index, item] of conversation.turns.entries()) {
      const started = performance.now();
      const result = await services.converse(item.question, history);
      const ms = performance.now() - started;
      const sources = result.answer.citations.map((c) => c.source);
      const scored = scoreItem({ ...item, id: `${conversation.id}#${index + 1}` }, result.answer, sources, ms, read);
      turns.push({ ...scored, conversation: conversation.id, turn: index + 1, standalone: result.standalone, context: result.turn.context ?? [] });
      history = [...history, result.turn];
      if (index === 0) {
        const alone = await services.ask(item.question);
        if (scoreItem(item, alone, alone.citations.map((c) => c.source), 0, read).correct) aloneCorrect += 1;
      }
    }
  }
  const first = turns.filter((t) => t.turn === 1);
  const later = turns.filter((t) => t.turn > 1);
  const latencies = turns.map((t) => t.ms).sort((a, b) => a - b);
  return {
    turns,
    correct: turns.filter((t) => t.correct).length,
    total: turns.length,
    firstTurns: { correct: first.filter((t) => t.correct).length, total: first.length, aloneCorrect },
    followUps: { correct: later.filter((t) => t.correct).length, total: later.length },
    latencyP95Ms: latencies[Math.max(0, Math.ceil(0.95 * latencies.length) - 1)] ?? 0,
  };
}
