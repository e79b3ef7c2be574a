// Probe conversations of our own (not the dev set) for each kind of follow-up the offline rewriter handles.
import { describe, expect, it } from 'vitest';
import { standaloneQuestion, inventedNames, type KnownEntity } from '../../src/core/conversation/rewrite.js';
import { boundHistory, HISTORY_LIMITS, type ConversationTurn } from '../../src/core/conversation/history.js';
import { ConversationStore } from '../../src/commands/conversation-store.js';

const entities: KnownEntity[] = [
  { label: 'Angela Merkel', kind: 'person' },
  { label: 'Emmanuel Macron', kind: 'person' },
  { label: 'Paris', kind: 'place' },
  { label: 'Berlin', kind: 'place' },
];

function turn(standalone: string, answer: string, extra: Partial<ConversationTurn> = {}): ConversationTurn {
  return { question: standalone, standalone, answer, short: null, refused: false, type: 'description', sources: [{ source: 'a.txt', title: 'A', date: '2019-03-14' }], ...extra };
}

describe('standaloneQuestion', () => {
  const visit = turn('when did merkel visit paris?', '14 March 2019 — Merkel met Macron in Paris on Thursday.', { type: 'date', short: '14 March 2019' });

  it('leaves the first question and a complete new topic alone', () => {
    expect(standaloneQuestion('when did merkel visit paris?', []).rewritten).toBe(false);
    const fresh = standaloneQuestion('how many wind turbines did the Danish government approve?', [visit], entities);
    expect(fresh).toEqual({ standalone: 'how many wind turbines did the Danish government approve?', rewritten: false, carried: [], context: [] });
  });

  it('leaves complete questions alone even when they contain "it", "that" or "there" as plain words', () => {
    for (const question of ['is it true that Macron hosted the summit in Berlin?', 'were there protests in Berlin during the summit?', 'what did the Danish government announce about wind power?']) {
      expect(standaloneQuestion(question, [visit], entities).rewritten).toBe(false);
    }
  });

  it('resolves pronouns from the previous turn', () => {
    const result = standaloneQuestion('who did she meet there?', [visit], entities);
    expect(result.standalone).toMatch(/^Who did Merkel meet in Paris/);
  });

  it('asks the previous question about the present for "is that still the case?"', () => {
    const leader = turn('who is the chancellor of germany?', 'Angela Merkel — Chancellor Angela Merkel said…', { type: 'person', short: 'Angela Merkel' });
    for (const followUp of ['is that still the case?', 'still true?', 'and now?', 'is she still in office?']) {
      expect(standaloneQuestion(followUp, [leader], entities).standalone).toBe('who is the chancellor of germany now?');
    }
  });

  it('places the previous answer inside a larger place for "which city is that in?"', () => {
    const venue = turn('where did the leaders meet?', 'Élysée Palace — They met at the Élysée Palace.', { type: 'place', short: 'Élysée Palace' });
    expect(standaloneQuestion('which city is that in?', [venue], entities).standalone).toBe('Which city is Élysée Palace in?');
  });

  it('asks the previous question again for a bare wh-word', () => {
    expect(standaloneQuestion('and why?', [visit], entities).standalone).toBe('Why did merkel visit paris?');
    const who = turn('who hosted the summit in berlin?', 'Merkel — Merkel hosted the summit.', { type: 'person', short: 'Merkel' });
    expect(standaloneQuestion('who else?', [who], entities).standalone).toBe('Besides Merkel, who else hosted the summit in berlin?');
    const coming = standaloneQuestion('who else is coming?', [who], entities);
    expect(coming.standalone).toBe('Besides Merkel, who else is coming?');
    expect(coming.context).toContain('summit');
  });

  it('replaces relative time by dates from the previous answer', () => {
    expect(standaloneQuestion('what about the year before?', [visit], entities).standalone).toBe('when did merkel visit paris in 2018?');
    expect(standaloneQuestion('what did macron announce after that?', [visit], entities).standalone).toMatch(/after 14 March 2019/);
  });

  it('swaps the subject for "what about X"', () => {
    expect(standaloneQuestion('what about macron?', [visit], entities).standalone).toBe('when did Macron visit paris?');
  });

  it('carries the topic into an elliptical question', () => {
    const result = standaloneQuestion('how long?', [turn('how long did the strike at the port of rotterdam last?', 'Three weeks.')], entities);
    expect(result.rewritten).toBe(true);
    const elliptic = standaloneQuestion('and the cost?', [turn('how long did the strike at the port of rotterdam last?', 'Three weeks.')], entities);
    expect(elliptic.standalone).toBe('What about the cost?');
    expect(elliptic.context).toContain('strike');
  });

  it('flags names a model rewrite invented', () => {
    expect(inventedNames('Why did Merkel visit Rome?', 'why?', [visit])).toEqual(['rome']);
    expect(inventedNames('Why did Merkel visit Paris?', 'why?', [visit])).toEqual([]);
  });
});

describe('history bounds', () => {
  it('keeps the last 6 turns within 4,000 characters', () => {
    const many = Array.from({ length: 20 }, (_, i) => turn(`question ${i}?`, 'x'.repeat(300)));
    const bounded = boundHistory(many);
    expect(bounded).toHaveLength(HISTORY_LIMITS.maxTurns);
    expect(bounded.at(-1)?.question).toBe('question 19?');
    const long = Array.from({ length: 6 }, (_, i) => turn(`q${i}?`, 'y'.repeat(1500)));
    expect(boundHistory(long).reduce((n, t) => n + t.question.length + t.standalone.length + t.answer.length + 16, 0)).toBeLessThanOrEqual(4000);
  });

  it('10,000 follow-ups over 1,000 threads stay within the store bound', () => {
    const store = new ConversationStore({ ...HISTORY_LIMITS, maxConversations: 300, maxTotalChars: 200_000 });
    for (let i = 0; i < 10_000; i++) {
      const thread = `thread-${(i * 7919) % 1000}`;
      const turns = store.append(thread, turn(`follow-up ${i} about topic ${i % 13}?`, 'z'.repeat(50 + (i % 400))));
      expect(turns.length).toBeLessThanOrEqual(HISTORY_LIMITS.maxTurns);
    }
    expect(store.size).toBeLessThanOrEqual(300);
    expect(store.totalChars).toBeLessThanOrEqual(200_000);
    expect(store.size).toBeGreaterThan(0);
  });
});
