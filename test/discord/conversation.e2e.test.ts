// Follow-ups through the real discord.js client against the fake Discord: replies, threads the bot opens, /ask in
// a thread, mentions; what it must ignore; a restart that rebuilds the history from the bot's own messages; and the
// same without the Message Content intent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { ADMIN_PERMISSIONS, GUILD_MESSAGES_INTENT, MESSAGE_CONTENT_INTENT, STRING, snowflake, type RestCall, type SentInteraction } from '../fakes/discord-server.js';
import { startHarness, type Harness } from './harness.js';
import { limitProblems } from './limits-check.js';

const EPHEMERAL = 64;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ cooldownSeconds: 0, env: { DISCORD_MESSAGE_CONTENT: 'true', ASK_THREADS: 'auto' } });
});

afterAll(async () => {
  await h?.close();
});

const isEdit = (call: RestCall) => call.method === 'PATCH' && call.path.endsWith('/messages/@original');

function ask(question: string, channelId?: string): SentInteraction {
  return h.fake.slash('ask', [{ name: 'question', type: STRING, value: question }], channelId ? { channelId } : {});
}

function callOf(interaction: SentInteraction, predicate: (call: RestCall) => boolean): Promise<RestCall> {
  return h.fake.waitForCall((call) => call.path.includes(`/${interaction.token}`) && call.status < 300 && predicate(call), 8000);
}

/** The bot's message replying to `messageId` (POST /channels/{id}/messages with message_reference). */
function replyTo(messageId: string): Promise<RestCall> {
  return h.fake.waitForCall((call) => call.method === 'POST' && /\/channels\/\d+\/messages$/.test(call.path) && call.body?.message_reference?.message_id === messageId, 8000);
}

function threadFrom(messageId: string): Promise<RestCall> {
  return h.fake.waitForCall((call) => call.method === 'POST' && call.path.endsWith(`/messages/${messageId}/threads`), 8000);
}

const footer = (body: { embeds: Array<{ footer?: { text: string } }> }) => body.embeds[body.embeds.length - 1]?.footer?.text ?? '';
const repliesTo = (messageId: string) => h.fake.calls.filter((c) => c.method === 'POST' && c.body?.message_reference?.message_id === messageId);

/**
 * Waits until the bot has answered a later mention (in its own thread, so no new thread is opened): everything sent
 * before it has been handled, as gateway events are handled in order.
 */
async function barrier(channelId: string): Promise<void> {
  const id = h.fake.userMessage('Where did Ishiba and Lee meet?', { mention: true, channelId, user: { id: snowflake(), username: 'barrier' } });
  await replyTo(id);
}

describe('follow-ups in Discord', () => {
  let threadId: string;

  it('asks for guild messages and the Message Content intent when it is switched on, and logs the modes', () => {
    const intents = h.fake.identified.at(-1)!.intents;
    expect(intents & GUILD_MESSAGES_INTENT).toBeTruthy();
    expect(intents & MESSAGE_CONTENT_INTENT).toBeTruthy();
    expect(h.logs.some((line) => line.includes('follow-ups: replies, thread messages'))).toBe(true);
  });

  it('/ask opens a thread named after the question; a message in it follows up with the standalone question shown', async () => {
    const sent = ask('Where did Ishiba and Lee meet?');
    await callOf(sent, isEdit);
    const answerMessage = h.fake.originalMessage(sent);
    const created = await threadFrom(answerMessage.id);
    expect(created.body.name).toBe('Where did Ishiba and Lee meet?');
    threadId = answerMessage.id;

    const question = h.fake.userMessage('and why?', { channelId: threadId });
    const reply = await replyTo(question);
    expect(reply.path).toBe(`/api/v10/channels/${threadId}/messages`);
    expect(footer(reply.body)).toContain('Read as: "Why did Ishiba and Lee meet?"');
    expect(reply.body.allowed_mentions).toMatchObject({ parse: [] });
    expect(limitProblems(reply.body)).toEqual([]);
    // A follow-up in a thread opens no further thread.
    expect(h.fake.calls.filter((c) => c.path.includes(`/messages/${reply.body.id ?? 'none'}/threads`))).toHaveLength(0);
  });

  it('/ask inside the bot’s thread continues that conversation', async () => {
    const sent = ask('when?', threadId);
    const edit = await callOf(sent, isEdit);
    expect(footer(edit.body)).toMatch(/^Read as: "When did Ishiba and Lee meet\?"/);
    expect(h.fake.calls.filter((c) => c.path.endsWith(`/messages/${h.fake.originalMessage(sent).id}/threads`))).toHaveLength(0);
  });

  it('a reply to the bot’s answer follows up on that answer', async () => {
    const sent = ask('Who is Biden hosting at Camp David?');
    await callOf(sent, isEdit);
    const answerId = h.fake.originalMessage(sent).id;
    const question = h.fake.userMessage('and why?', { replyTo: answerId });
    const reply = await replyTo(question);
    expect(reply.path).toBe(`/api/v10/channels/${h.fake.channelId}/messages`);
    expect(footer(reply.body)).toContain('Read as: "Why is Biden hosting at Camp David?"');
  });

  it('@Bot question anywhere is a one-off /ask, answered with a thread for follow-ups', async () => {
    const question = h.fake.userMessage('Where did Ishiba and Lee meet?', { mention: true });
    const reply = await replyTo(question);
    expect(reply.body.embeds[0].title).toBe('Where did Ishiba and Lee meet?');
    expect(footer(reply.body)).not.toContain('Read as');
    const answer = h.fake.botMessagesIn(h.fake.channelId).find((m) => m.message_reference?.message_id === question);
    await threadFrom(answer.id);
  });

  it('ignores a thread it does not own, other bots, system messages and its own messages', async () => {
    const foreign = h.fake.foreignThread();
    const inForeign = h.fake.userMessage('Where did Ishiba and Lee meet?', { channelId: foreign });
    const fromBot = h.fake.userMessage('Where did Ishiba and Lee meet?', { mention: true, user: { id: snowflake(), username: 'otherbot', bot: true } });
    const system = h.fake.userMessage('joined', { mention: true, type: 7 });
    const before = h.fake.calls.length;
    await barrier(threadId);
    expect(repliesTo(inForeign)).toHaveLength(0);
    expect(repliesTo(fromBot)).toHaveLength(0);
    expect(repliesTo(system)).toHaveLength(0);
    expect(h.fake.botMessagesIn(foreign)).toHaveLength(0);
    // Its own answer (echoed by the gateway) was not taken for a question: one reply, one thread, nothing more.
    const posted = h.fake.calls.slice(before).filter((c) => c.method === 'POST' && /\/channels\/\d+\/messages$/.test(c.path));
    expect(posted).toHaveLength(1);
  });

  it('a thread it may not create falls back to the plain answer with a one-line note', async () => {
    h.fake.threadFailure = 'missing-permission';
    const sent = ask('Where did Ishiba and Lee meet?');
    const note = await callOf(sent, (c) => c.method === 'POST' && /\/webhooks\/\d+\/[^/]+$/.test(c.path));
    expect(note.body.flags).toBe(EPHEMERAL);
    expect(note.body.content).toMatch(/could not open a thread/i);
    expect(h.fake.originalMessage(sent).embeds[0].title).toBe('Where did Ishiba and Lee meet?');
  });

  it('👎 and refusals go to FEEDBACK_FILE (user hashed), and /report shows what the documents could not answer', async () => {
    const sent = ask('Where did Ishiba and Lee meet?');
    await callOf(sent, isEdit);
    const message = h.fake.originalMessage(sent);
    const ids = message.components[0].components.map((b: { custom_id: string }) => b.custom_id);
    const voter = { id: snowflake(), username: 'voter' };
    const click = h.fake.button(ids[3], message, { user: voter });
    await h.fake.waitForCall((c) => c.path.includes(`/${click.token}/callback`));
    const refused = ask('What is the capital of Canada?');
    await callOf(refused, isEdit);
    // The record is appended right after the reply: read until it is there.
    let lines: Array<Record<string, unknown> & { kind: string; user: string | null; question: string }> = [];
    for (let i = 0; i < 50 && !lines.some((r) => r.kind === 'refusal' && r.question === 'What is the capital of Canada?'); i++) {
      lines = (await readFile(h.config.discord.feedbackFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const down = lines.find((r) => r.kind === 'vote-down');
    expect(down!).toMatchObject({ question: 'Where did Ishiba and Lee meet?', mode: 'extractive', refused: false });
    expect(down!.user).not.toBe(voter.id);
    expect(lines.some((r) => r.kind === 'refusal' && r.question === 'What is the capital of Canada?')).toBe(true);

    const report = h.fake.slash('report', [], { permissions: ADMIN_PERMISSIONS });
    const edit = await callOf(report, isEdit);
    expect(edit.body.embeds[0].description).toContain('What is the capital of Canada?');
    expect(edit.body.embeds[0].description).toMatch(/voted down/);
  });

  it('after a restart, the thread’s history is rebuilt from the bot’s answer messages', async () => {
    await h.restart();
    const question = h.fake.userMessage('why?', { channelId: threadId });
    const reply = await replyTo(question);
    // The last turn of the thread was "when?" read as "When did Ishiba and Lee meet?".
    expect(footer(reply.body)).toContain('Read as: "Why did Ishiba and Lee meet?"');
    expect(h.logs.some((line) => line.includes('conversation rebuilt from the thread'))).toBe(true);
    expect(h.fake.calls.some((c) => c.method === 'GET' && c.path.startsWith(`/api/v10/channels/${threadId}/messages`))).toBe(true);
  });

  it('without the Message Content intent: plain messages are not read; /ask in the thread and mentions still follow up', async () => {
    await h.restart({ messageContent: false });
    const intents = h.fake.identified.at(-1)!.intents;
    expect(intents & MESSAGE_CONTENT_INTENT).toBe(0);
    const plain = h.fake.userMessage('and when?', { channelId: threadId });
    const mention = h.fake.userMessage('and when?', { channelId: threadId, mention: true });
    const reply = await replyTo(mention);
    expect(repliesTo(plain)).toHaveLength(0);
    expect(footer(reply.body)).toContain('Read as: "When did Ishiba and Lee meet?"');
    const sent = ask('why?', threadId);
    const edit = await callOf(sent, isEdit);
    expect(footer(edit.body)).toContain('Read as: "Why did Ishiba and Lee meet?"');
  });
});
