// Sends only the latest of a stream of updates, at most once per interval, one at a time and in order.
import type { ChatInputCommandInteraction } from 'discord.js';
import type { Logger } from '../core/types.js';
import { NO_MENTIONS } from './render/limits.js';

export interface ThrottledSender<T> {
  push(value: T): void;
  /** Stops further sends and resolves once the one in flight (if any) is done. */
  close(): Promise<void>;
}

export function throttledSender<T>(
  send: (value: T) => Promise<unknown>,
  intervalMs: number,
  onError: (error: unknown) => void,
  now: () => number = Date.now,
): ThrottledSender<T> {
  let latest: { value: T } | undefined;
  let lastSent = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  const flush = () => {
    timer = undefined;
    if (closed || !latest) return;
    const { value } = latest;
    latest = undefined;
    lastSent = now();
    chain = chain.then(() => send(value)).then(
      () => undefined,
      (error: unknown) => onError(error),
    );
  };

  return {
    push(value) {
      if (closed) return;
      latest = { value };
      if (timer) return;
      timer = setTimeout(flush, Math.max(0, lastSent + intervalMs - now()));
    },
    close() {
      closed = true;
      latest = undefined;
      clearTimeout(timer);
      return chain;
    },
  };
}

/** Discord rate-limits edits; one progress edit per interval is plenty for a human. */
const PROGRESS_INTERVAL_MS = 1500;

/** Progress of a long admin command (re-index, add, remove) as throttled edits of its deferred reply. */
export function progressReplies(
  interaction: Pick<ChatInputCommandInteraction, 'editReply'>,
  logger: Logger,
): ThrottledSender<string> {
  return throttledSender(
    (content: string) => interaction.editReply({ content, allowedMentions: NO_MENTIONS }),
    PROGRESS_INTERVAL_MS,
    (error) => logger.warn({ err: String(error) }, 'progress edit failed'),
  );
}
