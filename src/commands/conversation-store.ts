// Conversations kept in memory, keyed by thread or reply chain, with a hard size bound: the least recently used
// conversation goes first, and each conversation keeps only its bounded history (core/conversation). A restart
// loses nothing that matters: Discord conversations are rebuilt from the bot's own answer messages.
import { LRUCache } from 'lru-cache';
import { appendTurn, boundHistory, HISTORY_LIMITS, turnChars, type ConversationTurn, type HistoryLimits } from '../core/conversation/history.js';

export interface ConversationStoreLimits extends HistoryLimits {
  /** Most conversations kept. */
  maxConversations: number;
  /** Most characters kept over all conversations. */
  maxTotalChars: number;
}

export const CONVERSATION_STORE_LIMITS: ConversationStoreLimits = { ...HISTORY_LIMITS, maxConversations: 2000, maxTotalChars: 2_000_000 };

export class ConversationStore {
  private readonly cache: LRUCache<string, ConversationTurn[]>;

  constructor(readonly limits: ConversationStoreLimits = CONVERSATION_STORE_LIMITS) {
    this.cache = new LRUCache<string, ConversationTurn[]>({
      max: limits.maxConversations,
      maxSize: limits.maxTotalChars,
      sizeCalculation: (turns) => Math.max(1, turns.reduce((sum, t) => sum + turnChars(t), 0)),
    });
  }

  get(key: string): ConversationTurn[] | undefined {
    return this.cache.get(key);
  }

  set(key: string, turns: readonly ConversationTurn[]): void {
    this.cache.set(key, boundHistory(turns, this.limits));
  }

  append(key: string, turn: ConversationTurn): ConversationTurn[] {
    const turns = appendTurn(this.cache.get(key) ?? [], turn, this.limits);
    this.cache.set(key, turns);
    return turns;
  }

  /** Another key (a reply to the answer message) continuing the same conversation. */
  alias(key: string, turns: readonly ConversationTurn[]): void {
    this.set(key, turns);
  }

  get size(): number {
    return this.cache.size;
  }

  get totalChars(): number {
    return this.cache.calculatedSize;
  }
}
