// Questions about the present: the newest of the pages that answer equally well answers, and the answer says how
// old its page is. Pure rules first, then the real use case over a corpus with an old and a new page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asksAboutThePresent, preferNewest, sourceAgeNote, withSourceAge } from '../../src/core/answer/recency.js';
import type { Answer, Citation } from '../../src/core/types.js';
import { seedServices, writeFile, type SeedServices } from '../helpers.js';

describe('asksAboutThePresent', () => {
  it('recognises an office holder in the present tense and "now / currently / still / latest"', () => {
    for (const question of [
      'who is the prime minister of Freedonia?',
      "who's the CEO of Mozilla",
      'Who are the owners of the club?',
      'who runs the harbour board?',
      'who leads the party',
      'what is the current price of the ticket?',
      'is the museum still closed?',
      'Who is in charge of the port now?',
      'what is the latest version of Firefox?',
      'are the trams running today?',
    ]) {
      expect(asksAboutThePresent(question), question).toBe(true);
    }
  });

  it('leaves past, dated and timeless questions alone', () => {
    for (const question of [
      'who was the prime minister of Freedonia in 2019?',
      'who was the CEO before Eich?',
      'which netscape guy grabbed the mozilla.org domain name?',
      'what is a hermitian matrix?',
      'when did the museum reopen?',
      'what did the mayor say today?',
      'who wrote the screenplay for the big sick?',
      'where did Ishiba and Lee meet in August 2025?',
    ]) {
      expect(asksAboutThePresent(question), question).toBe(false);
    }
  });
});

describe('preferNewest', () => {
  const doc = (source: string, publishedAt: string | null) => ({ source, publishedAt });
  const c = (id: string, score: number, publishedAt: string | null) => ({ id, score, doc: doc(id.split('#')[0]!, publishedAt) });

  it('puts the newest page first among equally good candidates, undated last', () => {
    const ranked = [c('old#1', 1.0, '2019-05-01'), c('undated#1', 0.97, null), c('new#1', 0.95, '2024-03-03'), c('new#2', 0.5, '2024-03-03')];
    expect(preferNewest(ranked).map((x) => x.id)).toEqual(['new#1', 'old#1', 'undated#1', 'new#2']);
  });

  it('never lets a clearly weaker sentence of a newer page win', () => {
    const ranked = [c('old#1', 1.0, '2019-05-01'), c('new#1', 0.7, '2024-03-03')];
    expect(preferNewest(ranked).map((x) => x.id)).toEqual(['old#1', 'new#1']);
  });

  it('keeps the order within one page and leaves its input alone', () => {
    const ranked = [c('a#1', 1.0, '2020-01-01'), c('a#2', 0.99, '2020-01-01'), c('b#1', 0.98, '2023-01-01')];
    const copy = [...ranked];
    expect(preferNewest(ranked).map((x) => x.id)).toEqual(['b#1', 'a#1', 'a#2']);
    expect(ranked).toEqual(copy);
    expect(preferNewest([])).toEqual([]);
  });
});

describe('sourceAgeNote', () => {
  const citation = (source: string, date: string | null): Citation => ({ n: 1, source, title: source, date, url: null, quote: 'x', start: 0, end: 1 });
  const answer = (citations: Citation[], refused = false): Answer => ({ question: 'q', answer: 'Ada Marsh. [1]', refused, mode: 'extractive', citations });
  const documents = new Map([
    ['old.md', { publishedAt: '2019-05-01' }],
    ['new.md', { publishedAt: '2024-03-03' }],
    ['undated.html', { publishedAt: null }],
  ]);

  it('gives the date of the page the answer cites, or says it is undated', () => {
    expect(sourceAgeNote(answer([citation('new.md', '2024-03-03')]), documents)).toBe('(from a page dated 3 March 2024)');
    expect(sourceAgeNote(answer([citation('old.md', '2019-05-01'), citation('new.md', '2024-03-03')]), documents)).toBe('(from a page dated 3 March 2024)');
    expect(sourceAgeNote(answer([citation('undated.html', null)]), documents)).toBe('(from an undated page)');
    expect(sourceAgeNote(answer([citation('undated.html', null)], true), documents)).toBeNull();
    expect(withSourceAge(answer([citation('undated.html', null)]), documents).answer).toBe('Ada Marsh. [1] (from an undated page)');
  });
});

describe('the ask use case on an old and a new page', () => {
  let seed: SeedServices;
  beforeAll(async () => {
    seed = await seedServices({
      addFiles: (dir) => {
        writeFile(
          dir,
          'freedonia/2019-cabinet.md',
          '---\ntitle: Freedonia swears in a new cabinet\ndate: 2019-05-01\n---\nRufus Firefly is the prime minister of Freedonia, and he swore in his new cabinet at the palace on Wednesday.\n\nThe cabinet met for the first time on Thursday to discuss the budget.\n',
        );
        writeFile(
          dir,
          'freedonia/2024-cabinet.md',
          '---\ntitle: Freedonia swears in a new cabinet\ndate: 2024-03-03\n---\nGloria Teasdale is the prime minister of Freedonia, and she swore in her new cabinet at the palace on Monday.\n\nThe cabinet met for the first time on Tuesday to discuss the budget.\n',
        );
      },
    });
  });
  afterAll(() => seed?.dispose());

  it('answers a present-tense question from the newest page and says how old it is', async () => {
    const answer = await seed.services.ask('who is the prime minister of Freedonia?');
    expect(answer.refused).toBe(false);
    expect(answer.citations[0]?.source).toBe('freedonia/2024-cabinet.md');
    expect(answer.answer).toContain('Gloria Teasdale');
    expect(answer.answer).toMatch(/\(from a page dated 3 March 2024\)$/);
  });

  it('leaves a question about the past as it was', async () => {
    const answer = await seed.services.ask('who was the prime minister of Freedonia in 2019?');
    expect(answer.answer).not.toContain('(from a page dated');
  });
});
