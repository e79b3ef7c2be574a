// The model path's condense-question step: the history and the follow-up go through a LangChain prompt template and
// the model writes one standalone question. The caller checks the result (core/conversation inventedNames).
import { ChatPromptTemplate } from '@langchain/core/prompts';
import type { ConversationTurn } from '../core/conversation/history.js';
import type { ChatMessage, ChatModel } from '../core/types.js';

export type Condenser = (question: string, history: readonly ConversationTurn[], options?: { signal?: AbortSignal }) => Promise<string>;

const CONDENSE_PROMPT = ChatPromptTemplate.fromMessages([
  [
    'system',
    'You rewrite a follow-up question from a conversation into one question that stands alone. Replace pronouns and ' +
      'elliptical phrases with what they refer to in the conversation; turn relative times ("the year before", "after that") ' +
      'into dates from the conversation. If the question already stands alone, return it unchanged. Use only names found in ' +
      'the conversation or the question. Reply with the question only, no quotes, no explanation.',
  ],
  ['user', 'Conversation so far:\n{history}\n\nFollow-up question: {question}\n\nStandalone question:'],
]);

function historyText(history: readonly ConversationTurn[]): string {
  return history
    .map((turn, i) => {
      const sources = turn.sources.map((s) => `${s.title}${s.date ? ` (${s.date})` : ''}`).join('; ');
      return `Turn ${i + 1}. Question: ${turn.standalone}\nAnswer: ${turn.refused ? '(not answered by the documents)' : turn.answer}${sources ? `\nSources: ${sources}` : ''}`;
    })
    .join('\n\n');
}

export function createCondenser(chat: ChatModel): Condenser {
  return async (question, history, options = {}) => {
    const messages = await CONDENSE_PROMPT.formatMessages({ history: historyText(history), question });
    const chatMessages: ChatMessage[] = messages.map((m) => ({ role: m.getType() === 'system' ? 'system' : 'user', content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content) }));
    const reply = await chat.complete(chatMessages, options.signal ? { signal: options.signal } : {});
    return reply.trim().replace(/^["'“]|["'”]$/g, '').split('\n')[0]?.trim() ?? '';
  };
}
