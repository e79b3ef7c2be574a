// The feedback summary: unanswered questions grouped by shared terms (most asked first), criticised answers, modes.
import { describe, expect, it } from 'vitest';
import { formatFeedbackReport, parseFeedbackLines, parseSince, summariseFeedback, type FeedbackRecord } from '../../src/core/feedback/report.js';

const at = (daysAgo: number) => new Date(Date.UTC(2026, 0, 20) - daysAgo * 86_400_000).toISOString();
const record = (kind: FeedbackRecord['kind'], question: string, daysAgo = 1, extra: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
  kind,
  at: at(daysAgo),
  user: 'abc',
  question,
  standalone: question,
  mode: 'extractive',
  refused: kind === 'refusal',
  sources: [],
  ...extra,
});

describe('feedback report', () => {
  const records = [
    record('refusal', 'What do ferry tickets from Busan cost?'),
    record('refusal', 'How much is a ferry ticket Busan to Fukuoka?'),
    record('refusal', 'When does the Busan ferry leave in winter?'),
    record('refusal', 'Who won the chess olympiad?'),
    record('refusal', 'Old question about tariffs on steel', 30),
    record('vote-down', 'Where did they meet?', 1, { sources: ['a.txt'] }),
    record('vote-down', 'Where did they meet?', 1, { sources: ['a.txt'] }),
    record('vote-up', 'Who hosted the summit?'),
    record('wrong-citation', 'Who hosted the summit?', 1, { sources: ['b.txt'] }),
    record('answer', '', 1, { user: null, mode: 'llm' }),
  ];

  it('groups refusals by shared terms, most asked first, and respects --since', () => {
    const report = summariseFeedback(records, { sinceMs: 7 * 86_400_000, now: new Date(Date.UTC(2026, 0, 20)) });
    expect(report.unanswered[0]).toMatchObject({ count: 3 });
    expect(report.unanswered[0]!.terms).toEqual(expect.arrayContaining(['busan', 'ferry']));
    expect(report.unanswered.map((g) => g.count)).toEqual([3, 1]);
    expect(report.unanswered.flatMap((g) => g.questions)).not.toContain('Old question about tariffs on steel');
    expect(report.criticised.map((c) => [c.question, c.downVotes, c.wrongCitations])).toEqual([
      ['Where did they meet?', 2, 0],
      ['Who hosted the summit?', 0, 1],
    ]);
    expect(report.byMode).toEqual({ extractive: { answers: 0, refusals: 4, up: 1, down: 2 }, llm: { answers: 1, refusals: 0, up: 0, down: 0 } });
    expect(formatFeedbackReport(report)).toMatch(/3× /);
  });

  it('reads JSON lines, skipping torn lines; parses --since', () => {
    const text = `${JSON.stringify(records[0])}\n{"kind":"refusal","quest\n${JSON.stringify(records[5])}\n`;
    expect(parseFeedbackLines(text).map((r) => r.kind)).toEqual(['refusal', 'vote-down']);
    expect(parseSince('7d')).toBe(7 * 86_400_000);
    expect(parseSince('soon')).toBeNull();
  });
});
