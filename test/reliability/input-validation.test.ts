// Bad input (at the services boundary and through the real bot against the fake Discord) and hostile documents shown
// by the bot: clear answers, private where they should be, no pings, no masked links from documents, no stack traces,
// nothing over Discord's limits, and no token in the log.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Services } from '../../src/commands/services.js';
import { cleanQuestion, MAX_QUESTION_CHARS } from '../../src/commands/question.js';
import { isCoreError } from '../../src/core/errors.js';
import { errorMessage } from '../../src/discord/messages.js';
import { STRING, type RestCall, type SentInteraction } from '../fakes/discord-server.js';
import { startHarness, type Harness } from '../discord/harness.js';
import { limitProblems, messageOf } from '../discord/limits-check.js';
import { writeFile, servingBase } from '../helpers.js';
import { HOSTILE_MD, HOSTILE_QUESTION, HOSTILE_TXT, maskedLinks } from './hostile.js';
import { citationProblems } from './support.js';

const EPHEMERAL = 64;
let h: Harness;

beforeAll(async () => {
  // No cooldown: these tests fire several questions from the same user.
  h = await startHarness({ cooldownSeconds: 0 });
  writeFile(h.config.corpusDir, 'scam-warning.txt', HOSTILE_TXT);
  writeFile(h.config.corpusDir, 'nitro.md', HOSTILE_MD);
  await h.services.reindex();
});

afterAll(async () => {
  await h?.close();
});

const isCallback = (call: RestCall) => call.method === 'POST' && call.path.endsWith('/callback');
const isEdit = (call: RestCall) => call.method === 'PATCH' && call.path.endsWith('/messages/@original');

function callOf(sent: SentInteraction, predicate: (call: RestCall) => boolean): Promise<RestCall> {
  return h.fake.waitForCall((call) => call.path.includes(`/${sent.token}`) && call.status < 300 && predicate(call), 10_000);
}

/** The documents of the generation serving now (the harness runs the real services underneath). */
const documents = () => servingBase(h.services.base as Services).snapshot.documents;

const ask = (question: string) => h.fake.slash('ask', [{ name: 'question', type: STRING, value: question }]);

function allText(message: Record<string, any>): string {
  return JSON.stringify([message.content ?? '', message.embeds ?? []]);
}

async function errorOf(work: Promise<unknown>): Promise<Error> {
  const outcome = await work.then(
    () => null,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error;
}

describe('questions at the services boundary', () => {
  it.each([
    ['empty', ''],
    ['whitespace', ' \n\t '],
    ['only emoji', '🤔😀🙃👍🏽'],
    ['only punctuation and control characters', '\u0000?!…\u0007\u001b\u007f'],
  ])('%s: refused with INVALID_INPUT and a one-line hint', async (_name, question) => {
    const error = await errorOf(h.services.ask(question));
    expect(isCoreError(error, 'INVALID_INPUT')).toBe(true);
    expect(error.message).toBe('Please ask a question in words, e.g. "Where did the leaders meet?"');
  });

  it('control characters are replaced, and the question is answered', async () => {
    const answer = await h.services.ask('\u0000Where\u0007 did Japanese and South Korean\u001b leaders meet?\u007f');
    expect(answer.question).toBe('Where did Japanese and South Korean leaders meet?');
    expect(answer.refused).toBe(false);
    expect(citationProblems(answer, documents())).toEqual([]);
  });

  it('a 6,000-character question is cut to the limit and answered', async () => {
    const question = `Where did Japanese and South Korean leaders meet? ${'x'.repeat(5950)}`;
    expect(question.length).toBe(6000);
    const answer = await h.services.ask(question);
    expect(answer.question.length).toBe(MAX_QUESTION_CHARS);
    // Answered, not merely replied to: a refusal would not count.
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain('Tokyo');
  });

  it('the cut never splits an emoji in half', () => {
    const cut = cleanQuestion(`${'a'.repeat(MAX_QUESTION_CHARS - 1)}🤔 and more`);
    expect(cut.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('mixed scripts, emoji around words and surrogate pairs are fine', async () => {
    expect(cleanQuestion('🤔 東京で会談？ 🙂')).toBe('🤔 東京で会談？ 🙂');
    const answer = await h.services.ask('🇯🇵🇰🇷 Where did Ishiba and Lee meet? 🤝');
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain('Tokyo');
  });
});

describe('timeline entities at the services boundary', () => {
  it('names the documents never mention: an empty timeline whose message says what and where', async () => {
    const timeline = await h.services.timeline(['atlantis', 'narnia']);
    expect(timeline.events).toEqual([]);
    expect(timeline.undated).toEqual([]);
    expect(timeline.entities.map((e) => e.source)).toEqual(['phrase']);
    expect(timeline.message).toMatch(/^No dated events mention 'atlantis narnia' in the \d+ indexed documents\.$/);
  });

  it('no entities at all: INVALID_INPUT with examples', async () => {
    const error = await errorOf(h.services.timeline([' ', ',,']));
    expect(isCoreError(error, 'INVALID_INPUT')).toBe(true);
    expect(error.message).toMatch(/e\.g\. "japan korea"/);
  });

  it('user-facing wording for these errors has no stack or internals', () => {
    for (const error of [new Error('x\n    at foo (/src/a.ts:1:1)'), new TypeError('undefined is not a function')]) {
      expect(errorMessage(error)).not.toMatch(/\bat\b.*:\d+|TypeError|undefined/);
    }
  });
});

describe('input validation through /ask and /timeline', () => {
  it.each([
    ['an empty question', ''],
    ['only spaces', '     '],
    ['only emoji', '🤔🤔🤔 🙃'],
    ['only control characters and punctuation', '\u0000\u0007?!\u001b'],
  ])('%s is refused privately, before any public "thinking…" message', async (_name, question) => {
    const sent = ask(question);
    const reply = await callOf(sent, isCallback);
    expect(reply.body.type).toBe(4);
    expect(reply.body.data.flags).toBe(EPHEMERAL);
    expect(reply.body.data.content).toMatch(/Please ask a question in words/);
    expect(reply.body.data.allowed_mentions).toEqual({ parse: [] });
    // The only response is that private reply: no public defer came first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.fake.callsFor(sent).filter(isCallback).map((c) => c.body.type)).toEqual([4]);
  });

  it('control characters are stripped and the question answered', async () => {
    const sent = ask('\u0000\u0007Where did Japanese and South Korean leaders meet?\u001b[31m\u007f');
    expect((await callOf(sent, isCallback)).body.type).toBe(5);
    const edit = await callOf(sent, isEdit);
    expect(edit.body.embeds[0].title).toBe('Where did Japanese and South Korean leaders meet? [31m');
    expect(h.services.lastAnswer?.refused).toBe(false);
  });

  it('a 6,000-character question is cut, answered, and rendered within limits', async () => {
    const question = `Where did Japanese and South Korean leaders meet? ${'Please explain in detail. '.repeat(240)}`.slice(0, 6000);
    expect(question.length).toBe(6000);
    const sent = ask(question);
    const edit = await callOf(sent, isEdit);
    expect(limitProblems(edit.body)).toEqual([]);
    expect(h.services.lastAnswer!.question.length).toBeLessThanOrEqual(1000);
  });

  it('/timeline of names no document mentions says so, privately', async () => {
    const sent = h.fake.slash('timeline', [{ name: 'entities', type: STRING, value: 'atlantis, narnia' }]);
    const reply = await callOf(sent, (c) => (isCallback(c) && c.body.type === 4) || /\/webhooks\//.test(c.path));
    const message = messageOf(reply)!;
    expect(message.flags).toBe(EPHEMERAL);
    expect(message.content).toMatch(/^No dated events mention 'atlantis' and 'narnia' together in the \d+ indexed documents\.$/);
    expect(limitProblems(message)).toEqual([]);
  });
});

describe('hostile documents through the bot', () => {
  it('an answer quoting the hostile document pings nobody and shows links with their domain', async () => {
    const sent = ask(HOSTILE_QUESTION);
    const edit = await callOf(sent, isEdit);
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
    expect(limitProblems(edit.body)).toEqual([]);
    const answer = h.services.lastAnswer!;
    expect(answer.citations.some((c) => c.source === 'scam-warning.txt')).toBe(true);

    const quotesId = h.fake.originalMessage(sent).components[0].components[0].custom_id;
    const quotes = h.fake.button(quotesId, h.fake.originalMessage(sent));
    const shown = await callOf(quotes, isCallback);
    expect(shown.body.data.allowed_mentions).toEqual({ parse: [] });
    expect(limitProblems(shown.body.data)).toEqual([]);
    const text = allText(shown.body.data);
    expect(text).toContain('evil.example');
    for (const message of [edit.body, shown.body.data]) {
      for (const link of maskedLinks(allText(message).replace(/\\\\/g, '\\'))) {
        expect(link.after.startsWith(` (${new URL(link.url).hostname})`), link.url).toBe(true);
      }
    }
  });

  it('the bot token and interaction tokens never reached the (unmasked) log', async () => {
    // The check below is only meaningful on a log that recorded the interactions; their lines may still be on
    // their way, so wait for them rather than racing them.
    await vi.waitFor(() => expect(h.logs.filter((line) => line.includes('interaction handled')).length).toBeGreaterThanOrEqual(5), { timeout: 10_000 });
    const logText = h.logs.join('');
    expect(logText).not.toContain(h.config.discord.token);
    for (const sent of h.fake.sent) expect(logText).not.toContain(sent.token);
  });

  it('no message to users carries a stack trace, and every one is within limits without pings', () => {
    const messages = h.fake.calls.filter((c) => c.status < 300).map(messageOf).filter((m): m is Record<string, any> => m !== undefined);
    expect(messages.length).toBeGreaterThan(8);
    for (const message of messages) {
      expect(limitProblems(message)).toEqual([]);
      expect(allText(message)).not.toMatch(/\n\s+at |\bat .*\.(ts|js):\d+|TypeError|ReferenceError/);
    }
  });
});
