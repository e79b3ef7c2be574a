// Discord's rate limits through the real discord.js client against the fake Discord: answers are delivered first and
// always; thread creation backs off or is skipped on a 429 (route or global) or a bucket its headers say is spent,
// the log says so once, retries wait for retry_after (no storm), and threads come back afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snowflake, STRING, THREAD_ROUTE, type RestCall, type SentInteraction } from '../fakes/discord-server.js';
import { startHarness, type Harness } from './harness.js';

const QUESTIONS = ['Where did Ishiba and Lee meet?', 'Who is Biden hosting at Camp David?', 'When will President Lee visit China?'];
const SKIPPED_LOG = 'threads from answers are skipped for now';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ cooldownSeconds: 30, env: { DISCORD_MESSAGE_CONTENT: 'true', ASK_THREADS: 'auto' } });
});

afterAll(async () => {
  await h?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isEdit = (call: RestCall) => call.method === 'PATCH' && call.path.endsWith('/messages/@original');
const isNote = (call: RestCall) => call.method === 'POST' && /\/webhooks\/\d+\/[^/]+$/.test(call.path);
const threadCalls = (since = 0) => h.fake.calls.slice(since).filter((c) => THREAD_ROUTE(c.method, c.path));
const logsWith = (text: string, since = 0) => h.logs.slice(since).filter((line) => line.includes(text));
/** The warnings that thread creation is paused by a rate limit (a burst may also overflow the backlog: another reason). */
const rateLimitWarnings = (since: number) => logsWith(SKIPPED_LOG, since).filter((line) => line.includes('"reason":"rate-limited"'));

/** /ask from a new user each time (the cooldown is per user, as when many people ask at once). */
function ask(question: string): SentInteraction {
  return h.fake.slash('ask', [{ name: 'question', type: STRING, value: question }], { user: { id: snowflake(), username: 'asker' } });
}

function callOf(interaction: SentInteraction, predicate: (call: RestCall) => boolean): Promise<RestCall> {
  return h.fake.waitForCall((call) => call.path.includes(`/${interaction.token}`) && call.status < 300 && predicate(call), 10_000);
}

/**
 * Sends `n` /ask at once and waits until each is settled: acknowledged, answered (final edit), and its thread
 * opened or skipped (the bot's ThreadOpener is idle). Returns how many got a thread.
 */
async function burst(n: number): Promise<{ sent: SentInteraction[]; threads: number; skipped: number }> {
  const requestedBefore = h.bot.threads.counts.requested;
  const sent = Array.from({ length: n }, (_, i) => ask(QUESTIONS[i % QUESTIONS.length]!));
  for (const interaction of sent) {
    const defer = await callOf(interaction, (c) => c.path.endsWith('/callback'));
    expect(defer.body.type).toBe(5);
    const edit = await callOf(interaction, isEdit);
    expect(edit.body.embeds[0].title).toBeTruthy();
  }
  // Each answer asks for its thread right after its edit came back: wait for all of them, then for the queue.
  for (let i = 0; i < 500 && h.bot.threads.counts.requested - requestedBefore < n; i++) await sleep(10);
  expect(h.bot.threads.counts.requested - requestedBefore).toBe(n);
  await h.bot.threads.idle();
  const answerIds = sent.map((interaction) => h.fake.originalMessage(interaction).id as string);
  const threads = answerIds.filter((id) => h.fake.calls.some((c) => c.path.endsWith(`/messages/${id}/threads`) && c.status === 201)).length;
  // Skipped for load: no extra message per answer (no ephemeral note).
  for (const interaction of sent) expect(h.fake.callsFor(interaction).filter(isNote)).toHaveLength(0);
  return { sent, threads, skipped: n - threads };
}

/** The bot logs after Discord's answer reached it, a moment after the fake recorded the call: wait for the line. */
async function waitForLog(text: string, since: number): Promise<void> {
  for (let i = 0; i < 200 && logsWith(text, since).length === 0; i++) await sleep(10);
  expect(logsWith(text, since).length).toBeGreaterThanOrEqual(1);
}

/**
 * Waits until thread creation opens again after a pause (real time passes; nothing is asserted about it). Returns
 * the id of the thread the next answer got.
 */
async function recover(): Promise<string> {
  h.fake.clearRateLimits();
  await sleep(1300);
  const { threads, sent } = await burst(1);
  expect(threads).toBe(1);
  return h.fake.originalMessage(sent[0]!).id as string;
}

describe('Discord rate limits', () => {
  it('thread creation answered 429: skipped for retry_after, logged once, the answers all delivered, then threads again', async () => {
    await recover();
    const callsBefore = h.fake.calls.length;
    const logsBefore = h.logs.length;
    const limitedBefore = h.fake.rateLimited.route;
    h.fake.rateLimitNext(1, 0.5, THREAD_ROUTE);
    const { threads, skipped } = await burst(10);
    expect(threads + skipped).toBe(10);
    expect(skipped).toBeGreaterThan(0);
    // One 429, and no retry of it: thread creation paused instead of asking again.
    expect(h.fake.rateLimited.route - limitedBefore).toBe(1);
    expect(threadCalls(callsBefore).filter((c) => c.status === 429)).toHaveLength(1);
    expect(rateLimitWarnings(logsBefore)).toHaveLength(1);
    expect(logsWith('rate limited by Discord (429)', logsBefore)).toHaveLength(1);
    await recover();
  });

  it('half of the thread creations answered 429: every answer delivered, every 429 waited out before the next try', async () => {
    const callsBefore = h.fake.calls.length;
    const logsBefore = h.logs.length;
    h.fake.rateLimitFraction(0.5, 0.3, THREAD_ROUTE);
    const { threads, skipped } = await burst(20);
    expect(threads + skipped).toBe(20);
    const tries = threadCalls(callsBefore);
    const limited = tries.filter((c) => c.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    // No retry storm: after each 429 the next thread creation came only once retry_after (0.3 s) had passed.
    for (const call of limited) {
      const next = tries.find((c) => c.at > call.at);
      if (next) expect(next.at - call.at).toBeGreaterThanOrEqual(300);
    }
    // At most one warning per 429 episode, never one per skipped answer.
    expect(rateLimitWarnings(logsBefore).length).toBeLessThanOrEqual(limited.length);
    await recover();
  });

  it('a global 429 burst: answers keep flowing (interaction webhooks are outside the global limit), bot-token requests wait', async () => {
    const logsBefore = h.logs.length;
    const limitedBefore = { ...h.fake.rateLimited };
    // The next request made with the bot token is answered with a global 429 (retry_after 1 s).
    h.fake.rateLimitNext(1, 1, () => true, { global: true });
    const { threads, skipped } = await burst(10);
    expect(threads + skipped).toBe(10);
    expect(skipped).toBeGreaterThan(0);
    expect(h.fake.rateLimited.global - limitedBefore.global).toBe(1);
    // Nothing with the bot token arrived while Discord had said to wait.
    expect(h.fake.rateLimited.early - limitedBefore.early).toBe(0);
    // Logged once: the 429 with what Discord said; the thread warning at most once (an episode still open from the
    // previous test already said it, and episodes end only after a quiet spell).
    const globalLines = logsWith('rate limited by Discord (429)', logsBefore).filter((line) => line.includes('"global":true'));
    expect(globalLines).toHaveLength(1);
    expect(rateLimitWarnings(logsBefore).length).toBeLessThanOrEqual(1);

    // Recovery: once the pause is over, threads open again.
    await recover();
  });

  it('after a restart, a follow-up whose history read is rate-limited is answered in time, without that history', async () => {
    const threadId = await recover();
    await h.restart();
    const logsBefore = h.logs.length;
    // Reading the thread's messages back meets a 429 with a long retry_after.
    h.fake.rateLimitNext(1, 3, (method, path) => method === 'GET' && path.startsWith(`/api/v10/channels/${threadId}/messages`));
    const question = h.fake.userMessage('and why?', { channelId: threadId });
    const reply = await h.fake.waitForCall((c) => c.method === 'POST' && c.status === 200 && c.body?.message_reference?.message_id === question, 10_000);
    expect(reply.path).toBe(`/api/v10/channels/${threadId}/messages`);
    await waitForLog('reading the thread back takes too long', logsBefore);
    h.fake.clearRateLimits();
  });

  // Last: the client then knows the thread bucket is spent for a minute (as it should), so no thread opens after it.
  it('a thread bucket that its X-RateLimit headers say is spent: threads are skipped without a 429, answers flow', async () => {
    await recover();
    const callsBefore = h.fake.calls.length;
    const logsBefore = h.logs.length;
    const limitedBefore = h.fake.rateLimited.route;
    // Two thread creations per channel per minute: after the second, the headers say Remaining 0.
    h.fake.limitRoute(THREAD_ROUTE, 2, 60);
    const { threads, skipped } = await burst(8);
    expect(threads).toBe(2);
    expect(skipped).toBe(6);
    // The client believed the headers: no request was made into the spent bucket.
    expect(threadCalls(callsBefore)).toHaveLength(2);
    expect(h.fake.rateLimited.route - limitedBefore).toBe(0);
    expect(rateLimitWarnings(logsBefore)).toHaveLength(1);

    // While threads are known to be skipped, the answer itself says how to follow up.
    const next = ask('Where did Ishiba and Lee meet?');
    const edit = await callOf(next, isEdit);
    expect(edit.body.embeds.at(-1).footer.text).toMatch(/reply to this answer to follow up/);

    // A mention answered now gets no thread and no extra channel message; a reply to it follows up.
    const mention = h.fake.userMessage('Where did Ishiba and Lee meet?', { mention: true });
    await h.fake.waitForCall((c) => c.method === 'POST' && c.status === 200 && c.body?.message_reference?.message_id === mention, 10_000);
    const answer = h.fake.botMessagesIn(h.fake.channelId).find((m) => m.message_reference?.message_id === mention);
    const reply = h.fake.userMessage('and why?', { replyTo: answer.id as string });
    const followUp = await h.fake.waitForCall((c) => c.method === 'POST' && c.status === 200 && c.body?.message_reference?.message_id === reply, 10_000);
    expect(followUp.body.embeds.at(-1).footer.text).toContain('Read as: "Why did Ishiba and Lee meet?"');
    // The only message replying to the answer is the follow-up's: no "could not open a thread" note was posted.
    expect(h.fake.calls.filter((c) => c.method === 'POST' && c.body?.message_reference?.message_id === answer.id)).toHaveLength(0);
    expect(h.fake.calls.filter((c) => c.path.endsWith(`/messages/${answer.id as string}/threads`))).toHaveLength(0);

    h.fake.clearRateLimits();
  });
});
