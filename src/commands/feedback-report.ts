// Reading FEEDBACK_FILE for `npm run report` and /report: a missing file is an empty report, not an error.
import { readFile } from 'node:fs/promises';
import { parseFeedbackLines, summariseFeedback, type FeedbackReport } from '../core/feedback/report.js';

export async function feedbackReport(file: string, options: { sinceMs?: number } = {}): Promise<FeedbackReport> {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return summariseFeedback(parseFeedbackLines(text), options.sinceMs === undefined ? {} : { sinceMs: options.sinceMs });
}
