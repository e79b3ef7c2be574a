// The model path's condense-question step: the model's standalone question is used unless it names something the
// conversation never mentioned, in which case the offline rewrite is (a scripted chat model stands in).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/commands/services.js';
import type { ConversationTurn } from '../../src/core/conversation/history.js';
import type { ChatMessage, ChatModel } from '../../src/core/types.js';
import { createLogger } from '../../src/logging.js';
import { seedServices, type SeedServices } from '../helpers.js';

let rewrite = '';
const prompts: ChatMessage[][] = [];
const chat: ChatModel = {
  id: 'scripted',
  async complete(messages) {
    if (messages.some((m) => m.content.includes('stands alone'))) {
      prompts.push(messages);
      return rewrite;
    }
    throw new Error('the answering step is not scripted here (falls back to the extractive answer)');
  },
};

let services: Services;
let corpusDir: string;
let indexDir: string;
let first: ConversationTurn;

let seed: SeedServices;

beforeAll(async () => {
  seed = await seedServices({ chat, logger: createLogger({ level: 'silent' }) });
  ({ services, corpusDir, indexDir } = seed);
  first = (await services.converse('Where did Ishiba and Lee meet?', [])).turn;
});

afterAll(() => seed?.dispose());

describe('condense-question step', () => {
  it('sends the history through the prompt template and uses a rewrite that invents nothing', async () => {
    rewrite = '"Why did Ishiba and Lee meet in Tokyo?"';
    const result = await services.converse('and why?', [first]);
    expect(result.standalone).toBe('Why did Ishiba and Lee meet in Tokyo?');
    const prompt = prompts.at(-1)!.map((m) => m.content).join('\n');
    expect(prompt).toContain('Where did Ishiba and Lee meet?');
    expect(prompt).toContain('Follow-up question: and why?');
  });

  it('falls back to the offline rewrite when the model brings in a name from nowhere', async () => {
    rewrite = 'Why did Ishiba and Putin meet in Vladivostok?';
    const result = await services.converse('and why?', [first]);
    expect(result.standalone).toBe('Why did Ishiba and Lee meet?');
  });

  it('asks no model for a first question', async () => {
    const before = prompts.length;
    await services.converse('Where did Ishiba and Lee meet?', []);
    expect(prompts.length).toBe(before);
  });
});
