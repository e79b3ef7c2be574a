// The bot's REST client: one @discordjs/rest manager for bot-token requests and a second one for interaction webhooks
// (editReply, followUp), so the answer never queues behind the bot's own global budget or a thread creation.
//
// Why two: @discordjs/rest counts every request of a manager against one client-side global budget (50/s by default)
// and, once it is spent, holds *all* of them until the next second. Discord itself does not count interaction
// endpoints against the bot's global limit, but a single manager does — so at 40 /ask per second, the final edits
// (40/s) plus one thread creation per answer (40/s) overran the 50/s budget and every edit waited for the next
// second (final p50 ~0.4 s at 30–40/s, measured in issue #25). Webhook requests carry the interaction token instead
// of the bot token; giving them their own manager keeps the bot-token budget exact and the answer's path free.
import { REST, RESTEvents, type InternalRequest, type RateLimitData, type RESTOptions, type ResponseLike } from 'discord.js';

/** The route of thread creation from a message, as @discordjs/rest names its bucket. */
export const THREAD_FROM_MESSAGE_ROUTE = '/channels/:id/messages/:id/threads';

/**
 * Requests that must never wait out a rate limit: thread creation is optional, so on a 429 (or a bucket or global
 * budget known to be spent) it fails at once with a RateLimitError and the thread is skipped, not delayed.
 */
export function skipOnRateLimit(data: Pick<RateLimitData, 'route' | 'method'>): boolean {
  return data.route === THREAD_FROM_MESSAGE_ROUTE && data.method.toUpperCase() === 'POST';
}

/**
 * Interaction webhook budget of the second manager. Discord exempts interaction endpoints from the global limit;
 * each token still has its own bucket (handled per route). The cap only stops a runaway loop from flooding Discord.
 */
const INTERACTION_WEBHOOK_REQUESTS_PER_SECOND = 500;

/** A token-authenticated webhook request (no bot token): how discord.js sends editReply, followUp, deleteReply. */
function isInteractionWebhook(request: InternalRequest): boolean {
  return request.auth === false && request.fullRoute.startsWith('/webhooks/');
}

export class BotREST extends REST {
  /** Interaction webhook requests only; never holds the bot token. */
  readonly interactions: REST;

  constructor(options: Partial<RESTOptions>) {
    super({ ...options, rejectOnRateLimit: (data) => skipOnRateLimit(data) });
    this.interactions = new REST({ ...options, rejectOnRateLimit: null, globalRequestsPerSecond: INTERACTION_WEBHOOK_REQUESTS_PER_SECOND });
    // One place for listeners: what happens on the webhook manager is reported as this manager's events.
    this.interactions.on(RESTEvents.Response, (request, response) => void this.emit(RESTEvents.Response, request, response));
    this.interactions.on(RESTEvents.RateLimited, (info) => void this.emit(RESTEvents.RateLimited, info));
    this.interactions.on(RESTEvents.InvalidRequestWarning, (info) => void this.emit(RESTEvents.InvalidRequestWarning, info));
  }

  override queueRequest(request: InternalRequest): Promise<ResponseLike> {
    return isInteractionWebhook(request) ? this.interactions.queueRequest(request) : super.queueRequest(request);
  }

  /** Requests the bot token may still make in the current second before @discordjs/rest holds them. */
  globalBudgetLeft(now = Date.now()): number {
    return this.globalReset < now ? this.options.globalRequestsPerSecond : Math.max(0, this.globalRemaining);
  }

  override clearHashSweeper(): void {
    super.clearHashSweeper();
    this.interactions.clearHashSweeper();
  }

  override clearHandlerSweeper(): void {
    super.clearHandlerSweeper();
    this.interactions.clearHandlerSweeper();
  }
}
