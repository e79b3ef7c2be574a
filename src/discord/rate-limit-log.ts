// What Discord's rate limits did, in the log: the first 429 of an episode (per route bucket, or global) as a warning
// with what Discord said, the rest only counted and summarised when the next episode starts or the bot stops.
// A line per 429 would make the log grow with the load exactly when the bot is busiest.
import type { AppLogger } from '../logging.js';
import { scrubTokens } from './router.js';

/** An episode ends after this long without a 429 on its key. */
const QUIET_MS = 10_000;

export interface RateLimitEvent {
  method: string;
  /** The bucket route (`/channels/:id/messages/:id/threads`), never a URL with a token. */
  route: string;
  global: boolean;
  retryAfterMs: number | null;
}

interface Episode {
  since: number;
  last: number;
  count: number;
  event: RateLimitEvent;
}

export class RateLimitLog {
  private readonly episodes = new Map<string, Episode>();

  constructor(
    private readonly logger: AppLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** A 429 answered by Discord. */
  rateLimited(event: RateLimitEvent): void {
    const key = event.global ? 'global' : `${event.method.toUpperCase()} ${event.route}`;
    const now = this.now();
    const episode = this.episodes.get(key);
    if (episode && now - episode.last <= QUIET_MS) {
      episode.count += 1;
      episode.last = now;
      return;
    }
    if (episode) this.summarise(key, episode);
    this.episodes.set(key, { since: now, last: now, count: 1, event });
    this.logger.warn(
      { method: event.method.toUpperCase(), route: scrubTokens(event.route), global: event.global, retryAfterMs: event.retryAfterMs },
      'rate limited by Discord (429); more on this route are counted, not logged, until it has been quiet for 10 s',
    );
  }

  /** Summaries of the episodes still open (at stop). */
  close(): void {
    for (const [key, episode] of this.episodes) this.summarise(key, episode);
    this.episodes.clear();
  }

  private summarise(key: string, episode: Episode): void {
    if (episode.count <= 1) return;
    this.logger.info({ key: scrubTokens(key), count: episode.count, forMs: episode.last - episode.since }, 'rate-limit episode: 429s from Discord');
  }
}
