// Question hygiene shared by the services and the adapters: adapters call it before acknowledging an interaction, so
// an unusable question is refused privately instead of after a public "thinking…" message.
import { CoreError } from '../core/errors.js';

/** Longest question we search with; longer input is cut (Discord allows 6,000 characters in an option). */
export const MAX_QUESTION_CHARS = 1000;

/** Strips control characters and cuts overlong input; refuses empty questions with a clear message. */
export function cleanQuestion(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = raw.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, ' ').replace(/\s+/g, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(cleaned)) {
    throw new CoreError('INVALID_INPUT', 'Please ask a question in words, e.g. "Where did the leaders meet?"');
  }
  if (cleaned.length <= MAX_QUESTION_CHARS) return cleaned;
  // Never keep half of a surrogate pair (an emoji at the cut): a lone surrogate is not valid text for the LLM API.
  const last = cleaned.charCodeAt(MAX_QUESTION_CHARS - 1);
  return cleaned.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_QUESTION_CHARS - 1 : MAX_QUESTION_CHARS);
}
