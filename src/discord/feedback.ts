// FEEDBACK_FILE: votes, "Wrong citation?" reports, refusals and answer counts, one JSON object per line, appended in
// order even when clicks overlap. User ids are hashed; nothing of the message beyond the question is kept.
import { createHash } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FeedbackKind, FeedbackRecord } from '../core/feedback/report.js';
import type { Answer } from '../core/types.js';

export type { FeedbackRecord };

/** A stable pseudonym: the same user gives the same hash, which does not give the id back. */
export function hashUser(userId: string): string {
  return createHash('sha256').update(`citebot-feedback:${userId}`).digest('hex').slice(0, 16);
}

/** The record of an answer event: question, standalone question, mode, refused and cited sources only. */
export function feedbackRecord(kind: FeedbackKind, answer: Answer, options: { userId: string | null; question?: string; standalone?: string }): FeedbackRecord {
  const sources = [...new Set(answer.citations.map((c) => c.source))];
  if (kind === 'answer') return { kind, at: new Date().toISOString(), user: null, question: '', standalone: '', mode: answer.mode, refused: false, sources: [] };
  return {
    kind,
    at: new Date().toISOString(),
    user: options.userId ? hashUser(options.userId) : null,
    question: options.question ?? answer.question,
    standalone: options.standalone ?? answer.question,
    mode: answer.mode,
    refused: answer.refused,
    sources,
  };
}

export class FeedbackLog {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  append(record: FeedbackRecord): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    const write = this.queue.then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, line, 'utf8');
    });
    // Keep the chain alive after a failed write; the caller still sees the failure.
    this.queue = write.catch(() => undefined);
    return write;
  }
}
