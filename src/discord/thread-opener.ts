// Threads from answers, opened after the answer and off its path: a small low-priority queue per channel that is
// bounded and skips (never delays) a thread when the backlog, the bot's request budget, the CPU or a 429 from
// Discord says so.
// A skipped thread costs nothing but the thread: the answer is already delivered, and replying to it follows up.
//
// Why not simply `await answer.startThread()` after the answer: Discord limits thread creation per channel and
// counts it against the bot's global budget, and @discordjs/rest waits out every limit in order — so under load
// threads queued up without bound and, sharing the client's global budget, held the next answers back (issue #25).
import { RateLimitError } from 'discord.js';
import type { ConversationStore } from '../commands/conversation-store.js';
import type { AppLogger } from '../logging.js';
import { openThread } from './conversation.js';
import type { ThreadRequest, ThreadRequester, ThreadSkipReason } from './types.js';

export type { ThreadRequest, ThreadSkipReason };

export interface ThreadOpenerOptions {
  logger: AppLogger;
  conversations: ConversationStore;
  /** Requests the bot token may still make this second (the REST manager's global budget). */
  budgetLeft?: () => number;
  /** True while the process is short of CPU (event-loop delay): a thread costs CPU the next answers need. */
  busy?: () => boolean;
  now?: () => number;
  limits?: Partial<ThreadOpenerLimits>;
}

export interface ThreadOpenerLimits {
  /** Threads waiting per channel; more are skipped (Discord creates them one at a time per channel anyway). */
  maxPendingPerChannel: number;
  /** Threads waiting over all channels. */
  maxPending: number;
  /** A thread not started within this long after its answer is skipped: the conversation has moved on. */
  maxWaitMs: number;
  /** Requests of the bot's global budget kept for answers sent as messages (mentions, replies): threads yield. */
  reserveBudget: number;
  /** Shortest pause after a 429, whatever retry_after said (a 0 would invite a retry storm). */
  minPauseMs: number;
  /** Most 429s thread creation may cause per 10 minutes (Discord bans an IP at 10,000 invalid requests). */
  maxRateLimitedPer10Min: number;
  /**
   * A skip episode ends (and is summarised) at the first thread opened this long after the last skip: under steady
   * load skips and threads alternate, and a warning per alternation would again be a line per answer.
   */
  episodeQuietMs: number;
}

export const THREAD_OPENER_LIMITS: ThreadOpenerLimits = {
  maxPendingPerChannel: 4,
  maxPending: 50,
  maxWaitMs: 10_000,
  reserveBudget: 5,
  minPauseMs: 1000,
  // 1 % of Discord's ban threshold: thread creation alone can never bring the bot near it.
  maxRateLimitedPer10Min: 100,
  episodeQuietMs: 10_000,
};

const TEN_MINUTES = 10 * 60 * 1000;


interface Pending {
  request: ThreadRequest;
  at: number;
}

export interface ThreadOpenerCounts {
  requested: number;
  opened: number;
  failed: number;
  skipped: Record<ThreadSkipReason, number>;
  /** 429s (or spent buckets) reported by @discordjs/rest for thread creation. */
  rateLimited: number;
}

export class ThreadOpener implements ThreadRequester {
  readonly counts: ThreadOpenerCounts = { requested: 0, opened: 0, failed: 0, rateLimited: 0, skipped: { 'rate-limited': 0, backlog: 0, budget: 0, busy: 0, 'invalid-requests': 0 } };
  private readonly limits: ThreadOpenerLimits;
  private readonly logger: AppLogger;
  private readonly now: () => number;
  private readonly queues = new Map<string, Pending[]>();
  private readonly pumps = new Map<string, Promise<void>>();
  /** Channels whose pump is running. */
  private readonly running = new Set<string>();
  private pending = 0;
  /** Thread creation paused until (ms): everywhere after a global 429, per channel after a route 429. */
  private pausedUntil = 0;
  private readonly channelPausedUntil = new Map<string, number>();
  /** When each recent 429 happened (the invalid-request guard's window). */
  private readonly rateLimitTimes: number[] = [];
  /** The current skip episode: logged once when it starts, summarised when threads open again. */
  private episode: { reasons: Set<ThreadSkipReason>; skipped: Record<ThreadSkipReason, number>; since: number; lastSkip: number } | null = null;

  constructor(private readonly options: ThreadOpenerOptions) {
    this.limits = { ...THREAD_OPENER_LIMITS, ...options.limits };
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /** Whether a thread asked for now in this channel would be skipped (to say so in the answer itself). */
  wouldSkip(channelId: string): ThreadSkipReason | null {
    const queued = this.queues.get(channelId)?.length ?? 0;
    return this.skipReason(channelId) ?? (queued >= this.limits.maxPendingPerChannel || this.pending >= this.limits.maxPending ? 'backlog' : null);
  }

  /** Queues a thread for `answer`; returns at once (queued, or why it was skipped). Never throws. */
  request(request: ThreadRequest): 'queued' | ThreadSkipReason {
    this.counts.requested += 1;
    const channelId = request.answer.channelId;
    const queue = this.queues.get(channelId) ?? [];
    const reason = this.wouldSkip(channelId);
    if (reason) {
      this.skip(reason);
      return reason;
    }
    queue.push({ request, at: this.now() });
    this.queues.set(channelId, queue);
    this.pending += 1;
    if (!this.running.has(channelId)) {
      // Marked running synchronously here and unmarked synchronously when its queue is found empty: a request that
      // arrives in between always finds either a running pump that will see it or none (and starts one).
      this.running.add(channelId);
      const pump = this.pump(channelId);
      this.pumps.set(channelId, pump);
      void pump.finally(() => {
        if (this.pumps.get(channelId) === pump) this.pumps.delete(channelId);
      });
    }
    return 'queued';
  }

  /** Resolves when every queued thread was opened or skipped (for a graceful stop). */
  async idle(): Promise<void> {
    while (this.pumps.size > 0) await Promise.allSettled([...this.pumps.values()]);
  }

  /** One channel at a time, in order: Discord's thread bucket is per channel, so more in flight would only wait. */
  private async pump(channelId: string): Promise<void> {
    const queue = this.queues.get(channelId) ?? [];
    while (queue.length > 0) {
      const { request, at } = queue.shift()!;
      this.pending -= 1;
      const reason = this.skipReason(channelId) ?? (this.now() - at > this.limits.maxWaitMs ? 'backlog' : null);
      if (reason) this.skip(reason);
      else {
        try {
          await this.open(request);
        } catch (error) {
          // open() handles Discord's answers; anything else is a bug, which must not stop the channel's queue.
          this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'thread opener failed');
        }
      }
    }
    this.queues.delete(channelId);
    this.running.delete(channelId);
  }

  private skipReason(channelId: string): ThreadSkipReason | null {
    const now = this.now();
    while (this.rateLimitTimes.length > 0 && this.rateLimitTimes[0]! <= now - TEN_MINUTES) this.rateLimitTimes.shift();
    if (this.rateLimitTimes.length >= this.limits.maxRateLimitedPer10Min) return 'invalid-requests';
    if (now < this.pausedUntil || now < (this.channelPausedUntil.get(channelId) ?? 0)) return 'rate-limited';
    if (this.options.budgetLeft && this.options.budgetLeft() <= this.limits.reserveBudget) return 'budget';
    if (this.options.busy?.()) return 'busy';
    return null;
  }

  private async open(request: ThreadRequest): Promise<void> {
    const { answer, question, turns } = request;
    let outcome: Awaited<ReturnType<typeof openThread>>;
    try {
      outcome = await openThread(answer, question, this.logger);
    } catch (error) {
      if (!(error instanceof RateLimitError)) throw error;
      this.rateLimited(answer.channelId, error);
      this.skip('rate-limited');
      return;
    }
    if (outcome.ok) {
      this.counts.opened += 1;
      // A thread started from a message has that message's id; the store already holds the history under it.
      this.options.conversations.set(outcome.thread.id, turns);
      if (this.episode && this.now() - this.episode.lastSkip >= this.limits.episodeQuietMs) this.endEpisode();
      return;
    }
    this.counts.failed += 1;
    await this.sendNote(request, outcome.note);
  }

  /** Pauses thread creation for as long as Discord (or the client's own bookkeeping) says, and at least minPauseMs. */
  private rateLimited(channelId: string, error: RateLimitError): void {
    const now = this.now();
    this.counts.rateLimited += 1;
    this.rateLimitTimes.push(now);
    const until = now + Math.max(this.limits.minPauseMs, error.retryAfter, error.timeToReset, error.sublimitTimeout);
    if (error.global) this.pausedUntil = Math.max(this.pausedUntil, until);
    else this.channelPausedUntil.set(channelId, Math.max(this.channelPausedUntil.get(channelId) ?? 0, until));
    // Noted here rather than in skip(): this line has what Discord said.
    this.noteReason('rate-limited', { global: error.global, scope: error.scope, route: error.route, retryAfterMs: error.retryAfter, pausedMs: until - now, channelId });
  }

  private skip(reason: ThreadSkipReason): void {
    this.counts.skipped[reason] += 1;
    this.noteReason(reason, {});
    this.episode!.skipped[reason] += 1;
    this.episode!.lastSkip = this.now();
  }

  /**
   * One warning per reason and episode, not per answer: under load the log must not become the next bottleneck. An
   * episode lasts until a thread opens after a quiet spell (episodeQuietMs), logged once with what was skipped.
   */
  private noteReason(reason: ThreadSkipReason, details: Record<string, unknown>): void {
    this.episode ??= { reasons: new Set(), skipped: { 'rate-limited': 0, backlog: 0, budget: 0, busy: 0, 'invalid-requests': 0 }, since: this.now(), lastSkip: this.now() };
    if (this.episode.reasons.has(reason)) return;
    this.episode.reasons.add(reason);
    const why: Record<ThreadSkipReason, string> = {
      'rate-limited': 'Discord rate-limited thread creation',
      backlog: 'too many threads waiting to be created',
      budget: "the bot's request budget is kept for answers",
      busy: 'the process is short of CPU; it is kept for answers',
      'invalid-requests': 'too many 429s in 10 minutes',
    };
    this.logger.warn(
      { reason, ...details },
      `threads from answers are skipped for now (${why[reason]}); answers are unaffected and replying to them follows up — logged once until threads open again`,
    );
  }

  private endEpisode(): void {
    if (!this.episode) return;
    const { skipped, since } = this.episode;
    this.episode = null;
    this.logger.info({ skipped, forMs: this.now() - since }, 'threads from answers open again');
  }

  private async sendNote(request: ThreadRequest, text: string): Promise<void> {
    await request.note?.(text).catch((error: unknown) => this.logger.debug({ err: error instanceof Error ? error.message : String(error) }, 'could not send the thread note'));
  }
}
