// "Wrong citation?" reports: one JSON object per line, appended in order even when clicks overlap.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Citation } from '../core/types.js';

export interface FeedbackRecord {
  kind: 'wrong-citation';
  timestamp: string;
  userId: string;
  guildId: string | null;
  interactionId: string;
  question: string;
  answer: string;
  mode: string;
  refused: boolean;
  citations: Citation[];
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
