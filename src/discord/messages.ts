// User-facing wording for errors, kept short; details go to the log, never to the channel.
import { isCoreError } from '../core/errors.js';

export function errorMessage(error: unknown): string {
  if (isCoreError(error)) {
    switch (error.code) {
      case 'INDEX_MISSING':
        return 'The document index has not been built yet. An administrator can run `/reindex`.';
      case 'INDEX_CORRUPT':
      case 'EMBEDDER_MISMATCH':
        return 'The document index needs a rebuild. An administrator can run `/reindex`.';
      case 'INDEX_LOCKED':
      case 'REINDEX_BUSY':
        return 'The index is being updated right now. Please try again in a moment.';
      case 'INVALID_INPUT':
        return 'I could not use that input. Please rephrase and try again.';
      default:
        break;
    }
  }
  return 'Sorry, something went wrong while handling that. The error has been logged.';
}

export function cooldownMessage(command: string, msLeft: number): string {
  const seconds = Math.max(1, Math.ceil(msLeft / 1000));
  return `Easy there! You can use \`/${command}\` again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
}

export const EXPIRED_MESSAGE =
  'I no longer have that answer in memory (I keep recent ones only, and forget them when I restart). Please ask again with `/ask`.';
export const EXPIRED_TIMELINE_MESSAGE = 'That timeline has expired. Please run `/timeline` again.';
export const STOPPING_MESSAGE = 'I am restarting right now. Please try again in a few seconds.';

/** When a thread cannot be opened from an answer (permission, channel type, locked). */
export const THREAD_FAILED_NOTE = 'I could not open a thread here (missing permission?); reply to this answer to follow up.';