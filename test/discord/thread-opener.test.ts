// The ThreadOpener alone, with stand-in answer messages and a clock of our own: the queue is bounded, skips instead of
// delaying, pauses on a rate limit as long as Discord says, guards the invalid-request budget and logs once.
import { ChannelType, RateLimitError, type Message, type ThreadChannel } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { ConversationStore } from '../../src/commands/conversation-store.js';
import { createLogger } from '../../src/logging.js';
import { ThreadOpener, type ThreadOpenerLimits } from '../../src/discord/thread-opener.js';

type StartThread = () => Promise<ThreadChannel>;

interface Rig {
  opener: ThreadOpener;
  logs: string[];
  notes: string[];
  clock: { now: number };
  conversations: ConversationStore;
  answer(id: string, channelId?: string): Message;
}

function rig(startThread: StartThread, options: { limits?: Partial<ThreadOpenerLimits>; budget?: () => number; busy?: () => boolean } = {}): Rig {
  const logs: string[] = [];
  const notes: string[] = [];
  const clock = { now: 1_000_000 };
  const logger = createLogger({ level: 'debug' }, { write: (line: string) => logs.push(line) });
  const conversations = new ConversationStore();
  const opener = new ThreadOpener({
    logger,
    conversations,
    now: () => clock.now,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.budget ? { budgetLeft: options.budget } : {}),
    ...(options.busy ? { busy: options.busy } : {}),
  });
  const answer = (id: string, channelId = '100000000000000001') =>
    ({ id, channelId, channel: { type: ChannelType.GuildText }, startThread }) as unknown as Message;
  return { opener, logs, notes, clock, conversations, answer };
}

function request(r: Rig, id: string) {
  return r.opener.request({ answer: r.answer(id), question: 'Where did Ishiba and Lee meet?', turns: [], note: async (text) => r.notes.push(text) });
}

const thread = (id: string) => ({ id }) as unknown as ThreadChannel;
const rateLimit = (global: boolean, retryAfter: number) =>
  new RateLimitError({
    global,
    retryAfter,
    timeToReset: retryAfter,
    limit: 1,
    method: 'POST',
    hash: 'h',
    url: 'http://127.0.0.1/api/v10/channels/1/messages/2/threads',
    route: '/channels/:id/messages/:id/threads',
    majorParameter: '1',
    sublimitTimeout: 0,
    scope: global ? 'global' : 'user',
  });
const warnings = (r: Rig) => r.logs.filter((l) => l.includes('threads from answers are skipped'));

describe('ThreadOpener', () => {
  it('opens threads one at a time per channel and carries the conversation into each', async () => {
    let running = 0;
    let most = 0;
    const r = rig(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return thread('t');
    });
    for (const id of ['1', '2', '3']) expect(request(r, id)).toBe('queued');
    await r.opener.idle();
    expect(r.opener.counts.opened).toBe(3);
    expect(most).toBe(1);
    expect(r.conversations.get('t')).toEqual([]);
  });

  it('a full backlog skips (never waits) and says so once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const r = rig(async () => {
      await gate;
      return thread('t');
    }, { limits: { maxPendingPerChannel: 2 } });
    const outcomes = ['1', '2', '3', '4', '5', '6'].map((id) => request(r, id));
    // The first is in flight, two wait, the rest are skipped at once.
    expect(outcomes).toEqual(['queued', 'queued', 'queued', 'backlog', 'backlog', 'backlog']);
    expect(warnings(r)).toHaveLength(1);
    release();
    await r.opener.idle();
    expect(r.opener.counts.opened).toBe(3);
    // Threads opened right after the skips: the episode goes on (no line per alternation) until a quiet spell.
    expect(r.logs.filter((l) => l.includes('threads from answers open again'))).toHaveLength(0);
    r.clock.now += 10_000;
    request(r, '7');
    await r.opener.idle();
    const resumed = r.logs.filter((l) => l.includes('threads from answers open again'));
    expect(resumed).toHaveLength(1);
    expect(JSON.parse(resumed[0]!)).toMatchObject({ skipped: { backlog: 3 } });
  });

  it('a route 429 pauses that channel for retry_after (at least the minimum), skipping in the meantime', async () => {
    let fail = true;
    const r = rig(async () => {
      if (fail) throw rateLimit(false, 2500);
      return thread('t');
    });
    request(r, '1');
    await r.opener.idle();
    fail = false;
    expect(r.opener.counts.rateLimited).toBe(1);
    expect(request(r, '2')).toBe('rate-limited');
    expect(request(r, '3')).toBe('rate-limited');
    // Another channel is not paused by this channel's bucket.
    expect(r.opener.wouldSkip('100000000000000001')).toBe('rate-limited');
    expect(r.opener.request({ answer: r.answer('4', '100000000000000002'), question: 'q', turns: [] })).toBe('queued');
    await r.opener.idle();
    expect(warnings(r)).toHaveLength(1);
    // Skipped for load: no message per answer (it would add requests when Discord asks for fewer).
    expect(r.notes).toHaveLength(0);
    r.clock.now += 2600;
    expect(request(r, '5')).toBe('queued');
    await r.opener.idle();
    expect(r.opener.counts.opened).toBe(2);
  });

  it('a global 429 pauses every channel, even for a retry_after of 0', async () => {
    const r = rig(async () => {
      throw rateLimit(true, 0);
    });
    request(r, '1');
    await r.opener.idle();
    // retry_after 0 still pauses for the minimum: asking again at once would be a retry storm.
    expect(r.opener.request({ answer: r.answer('2', '100000000000000009'), question: 'q', turns: [], note: async (t) => r.notes.push(t) })).toBe('rate-limited');
    expect(r.notes).toHaveLength(0);
    expect(JSON.parse(warnings(r)[0]!)).toMatchObject({ reason: 'rate-limited', global: true });
  });

  it('yields to answers when the bot token budget of the second is nearly spent', () => {
    let left = 50;
    const r = rig(async () => thread('t'), { budget: () => left });
    expect(request(r, '1')).toBe('queued');
    left = 5;
    expect(request(r, '2')).toBe('budget');
  });

  it('yields to answers while the process is short of CPU', () => {
    let busy = false;
    const r = rig(async () => thread('t'), { busy: () => busy });
    expect(r.opener.wouldSkip('100000000000000001')).toBeNull();
    busy = true;
    expect(request(r, '1')).toBe('busy');
    expect(JSON.parse(warnings(r)[0]!)).toMatchObject({ reason: 'busy' });
  });

  it('stops creating threads for the rest of 10 minutes after too many 429s', async () => {
    const r = rig(async () => {
      throw rateLimit(false, 0);
    }, { limits: { maxRateLimitedPer10Min: 3, minPauseMs: 10 } });
    for (const id of ['1', '2', '3']) {
      request(r, id);
      await r.opener.idle();
      r.clock.now += 20;
    }
    expect(request(r, '4')).toBe('invalid-requests');
    r.clock.now += 10 * 60 * 1000;
    expect(request(r, '5')).toBe('queued');
    await r.opener.idle();
  });

  it('a failure that is not a rate limit (missing permission) sends the failure note', async () => {
    const r = rig(async () => {
      throw Object.assign(new Error('Missing Permissions'), { status: 403, code: 50013 });
    });
    request(r, '1');
    await r.opener.idle();
    expect(r.opener.counts.failed).toBe(1);
    expect(r.notes).toEqual([expect.stringMatching(/could not open a thread/)]);
  });
});
