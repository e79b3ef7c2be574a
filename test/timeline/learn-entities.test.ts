import { describe, expect, it } from 'vitest';
import type { CleanDocument, Timeline } from '../../src/core/types.js';
import { buildTimeline, EntityDirectory, EntityLearner, parseTimelineQuery } from '../../src/core/timeline/index.js';
import { makeDoc, seedDocuments, shippedCatalog } from './fixtures.js';

const catalog = shippedCatalog();

function learn(...docs: CleanDocument[]) {
  return new EntityLearner().learn(docs);
}

function expectCitedAndChronological(timeline: Timeline, documents: readonly CleanDocument[]): void {
  const bySource = new Map(documents.map((d) => [d.source, d]));
  const starts = timeline.events.map((e) => e.date.split('/')[0] ?? '');
  expect([...starts].sort()).toEqual(starts);
  for (const event of [...timeline.events, ...timeline.undated]) {
    expect(event.citations.length).toBeGreaterThan(0);
    for (const c of event.citations) expect(bySource.get(c.source)?.text.slice(c.start, c.end)).toBe(c.quote);
  }
}

describe('learning entities from documents', () => {
  const text = [
    'Prime Minister Anna Kowalska met President Ji-ho Baek in Gdansk on Monday, officials said.',
    "But Kowalska's aides said the NATO talks would go on. Baek flew home to Busan the same day.",
    'The Baltic Shipping Agency welcomed the visit, and Ji Ho Baek thanked Kowalska for it.',
    'However, critics in Gdansk were unconvinced.',
  ].join('\n\n');
  const lexicon = learn(makeDoc('a.txt', text, '2025-03-10'));
  const labels = lexicon.entities.map((e) => e.label);

  it('finds people, places, organisations and acronyms; not sentence openers, titles or months', () => {
    expect(labels).toEqual(expect.arrayContaining(['Anna Kowalska', 'Ji-ho Baek', 'Gdansk', 'Busan', 'Baltic Shipping Agency', 'NATO']));
    for (const noise of ['But', 'However', 'Prime Minister', 'President', 'Monday', 'The Baltic Shipping Agency']) expect(labels).not.toContain(noise);
    expect(lexicon.lookup('kowalska')?.kind).toBe('person');
    expect(lexicon.lookup('NATO')?.kind).toBe('acronym');
    expect(lexicon.lookup('baltic shipping agency')?.kind).toBe('organisation');
  });

  it('links a surname to the full name of the same document, and merges spelling variants', () => {
    const baek = lexicon.lookup('Baek');
    expect(baek?.label).toBe('Ji-ho Baek');
    expect(baek?.aliases).toContain('Ji Ho Baek');
    // "President Ji-ho Baek", "Baek flew", "Ji Ho Baek thanked": three mentions, all in a.txt.
    expect(baek?.mentions).toBe(3);
    expect([...(baek?.documents.entries() ?? [])]).toEqual([['a.txt', 3]]);
    expect(lexicon.lookup('Kowalska')?.surname).toBe('Kowalska');
    expect(lexicon.lookup('gdansk')?.documents.get('a.txt')).toBe(2);
  });

  it('re-learns only changed documents (cache by content hash) and forgets removed ones', () => {
    const learner = new EntityLearner();
    const a = { ...makeDoc('a.txt', 'Officials in Gdansk met Anna Kowalska.', null), contentHash: 'h1' };
    const b = { ...makeDoc('b.txt', 'Officials in Busan met Anna Kowalska.', null), contentHash: 'h2' };
    expect(learner.learn([a, b]).lookup('Anna Kowalska')?.mentions).toBe(2);
    const lexicon = learner.learn([a]);
    expect(lexicon.lookup('Anna Kowalska')?.mentions).toBe(1);
    expect(lexicon.lookup('Busan')).toBeUndefined();
  });
});

describe('resolving queries against curated and learned entities', () => {
  const docs = seedDocuments();
  const lexicon = learn(...docs);
  const directory = new EntityDirectory(catalog, lexicon);
  const resolve = (query: string) => directory.resolve(parseTimelineQuery(query)).map((t) => `${t.source}:${t.label}`);

  it('matches the longest known names greedily; what is left is a phrase', () => {
    expect(resolve('xi jinping')).toEqual(['learned:Xi Jinping']);
    expect(resolve('kishida yoon')).toEqual(['learned:Fumio Kishida', 'learned:Yoon Suk Yeol']);
    expect(resolve('japan camp david tariffs')).toEqual(['curated:Japan', 'learned:Camp David', 'phrase:tariffs']);
    expect(resolve('north korea, japan')).toEqual(['curated:North Korea', 'curated:Japan']);
  });

  it('names the catalog knows stay curated ("Washington" is the US only because the catalog says so)', () => {
    expect(resolve('washington')).toEqual(['curated:United States']);
    expect(directory.entries.filter((e) => e.source === 'learned').map((e) => e.label)).not.toContain('Washington');
    // Curated entries count their learned spellings' mentions, so they rank with everything else.
    expect(directory.entries.find((e) => e.name === 'japan')?.mentions).toBeGreaterThan(10);
  });

  it('answers the questions a new user asks of the seed corpus', () => {
    const timeline = (query: string) => buildTimeline(docs, catalog, query, { lexicon });
    const dates = (query: string) => timeline(query).events.map((e) => e.date);
    expect(dates('thaad')).toEqual(['2016']);
    expect(dates('xi jinping').map((d) => d.slice(0, 7))).toEqual(expect.arrayContaining(['2025-11', '2026-01']));
    expect(dates('trump')).toEqual(['2025-08-24']);
    expect(dates('camp david').every((d) => d.startsWith('2023-08'))).toBe(true);
    expect(dates('kishida yoon').length).toBeGreaterThan(0);
    expect(dates('missile').length).toBeGreaterThan(0);
    for (const query of ['thaad', 'xi jinping', 'trump', 'camp david', 'kishida yoon', 'tariffs']) {
      expectCitedAndChronological(timeline(query), docs);
    }
    const none = timeline('pokemon');
    expect(none.events).toEqual([]);
    expect(none.message).toBe(`No dated events mention 'pokemon' in the ${docs.length} indexed documents.`);
  });

  it('matches phrases on stemmed words in order ("tariff" finds "tariffs", not scattered words)', () => {
    const doc = makeDoc('t.txt', 'The tariff on steel rose in 2019.\n\nSteel makers cut the price of their tariff lines in 2020.', '2024-01-01');
    expect(buildTimeline([doc], catalog, 'tariffs').events.map((e) => e.date)).toEqual(['2019', '2020']);
    expect(buildTimeline([doc], catalog, 'steel tariff').events.map((e) => e.date)).toEqual([]);
    expect(buildTimeline([doc], catalog, 'tariff, steel').events.map((e) => e.date)).toEqual(['2019', '2020']);
  });
});
