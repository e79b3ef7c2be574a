// Probe conversations of our own (not the dev set): pronouns resolved by their role, minimal "Read as" questions,
// the topic carried as context only where the follow-up still leans on the conversation.
import { describe, expect, it } from 'vitest';
import { retrievalQuestion, standaloneQuestion, type KnownEntity } from '../../src/core/conversation/rewrite.js';
import type { ConversationTurn } from '../../src/core/conversation/history.js';

const entities: KnownEntity[] = [
  { label: 'Justin Trudeau', kind: 'person' },
  { label: 'Claudia Sheinbaum', kind: 'person' },
  { label: 'Emmanuel Macron', kind: 'person' },
  { label: 'Angela Merkel', kind: 'person' },
  { label: 'Mexico', kind: 'place' },
  { label: 'Paris', kind: 'place' },
];

function turn(question: string, answer: string, extra: Partial<ConversationTurn> = {}): ConversationTurn {
  return { question, standalone: question, answer, short: null, refused: false, type: 'description', sources: [{ source: 'a.txt', title: 'A', date: '2024-05-02' }], ...extra };
}

/** Plays a conversation: each question is rewritten with the turns before it, answered by the given answer. */
function play(steps: ReadonlyArray<{ q: string; answer: string; extra?: Partial<ConversationTurn> }>) {
  const history: ConversationTurn[] = [];
  return steps.map(({ q, answer, extra }) => {
    const read = standaloneQuestion(q, history, entities);
    history.push({ ...turn(q, answer, extra), standalone: read.standalone, ...(read.context.length > 0 ? { context: read.context } : {}) });
    return read;
  });
}

describe('pronouns by role', () => {
  it('subject "he" is the person the user named, not the answer to "who"; object "them" beside him is the place', () => {
    const [, together, why] = play([
      { q: "who's trudeau flying to mexico to see?", answer: 'Claudia Sheinbaum — Justin Trudeau will meet Claudia Sheinbaum.', extra: { type: 'person', short: 'Claudia Sheinbaum' } },
      { q: 'what are the two of them signing together?', answer: 'A trade accord.' },
      { q: 'why is he so keen to patch things up with them?', answer: 'Tariffs.' },
    ]);
    expect(together?.standalone).toMatch(/Claudia Sheinbaum and Trudeau|Trudeau and Claudia Sheinbaum/);
    expect(why?.standalone).toBe('Why is Trudeau so keen to patch things up with Mexico?');
    // Every pronoun became a name and the question has words of its own: it stands alone, no context.
    expect(why?.context).toEqual([]);
  });

  it('object "him" after a "who" question is the person the answer found; "she" stays the asker\'s subject', () => {
    const [, when] = play([
      { q: 'who did merkel meet in paris?', answer: 'Emmanuel Macron — Merkel met Emmanuel Macron in Paris.', extra: { type: 'person', short: 'Emmanuel Macron' } },
      { q: 'when did she first meet him?', answer: '2017.' },
    ]);
    expect(when?.standalone).toBe('When did Merkel first meet Emmanuel Macron?');
  });

  it('"he" after a "who" question that named nobody is the answer', () => {
    const [, since] = play([
      { q: 'who leads the french government?', answer: 'Emmanuel Macron — Emmanuel Macron leads it.', extra: { type: 'person', short: 'Emmanuel Macron' } },
      { q: 'when did he take office?', answer: '2017.' },
    ]);
    expect(since?.standalone).toBe('When did Emmanuel Macron take office?');
  });
});

describe('minimal Read-as', () => {
  it('"the strike" after an earlier question described it carries that description as context, not in the sentence', () => {
    const [, , howLong] = play([
      { q: 'after the dockers strike in rotterdam, what did shippers fear?', answer: 'Delays.' },
      { q: 'and what did the unions demand?', answer: 'Higher pay.' },
      { q: 'how long did the strike last?', answer: 'Three weeks.' },
    ]);
    expect(howLong?.standalone).toBe('How long did the strike last?');
    expect(howLong?.context).toEqual(['dockers']);
    expect(retrievalQuestion(howLong!)).toBe('How long did the strike last (dockers)?');
  });

  it('an unresolved "that" keeps the topic of the whole chain as context, and no question shows parentheses', () => {
    const reads = play([
      { q: 'how did trudeau describe the talks in mexico with sheinbaum?', answer: 'Productive.' },
      { q: 'and what did he say was the hardest issue?', answer: 'Steel tariffs.' },
      { q: 'what date did he say that?', answer: '2 May 2024.' },
    ]);
    expect(reads[1]?.standalone).toBe('What did Trudeau say was the hardest issue?');
    expect(reads[2]?.standalone).toBe('What date did Trudeau say that?');
    expect(reads[2]?.context).toEqual(expect.arrayContaining(['hardest', 'talks']));
    for (const read of reads) expect(read.standalone).not.toMatch(/\(/);
  });
});
