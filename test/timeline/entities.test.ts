import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../../src/core/timeline/entities.js';
import { buildTimeline, EntityDirectory, entityNames, parseEntityCatalog, parseTimelineQuery } from '../../src/core/timeline/index.js';
import { makeDoc, shippedCatalog } from './fixtures.js';

const matcher = compileMatcher(shippedCatalog());
function entitiesIn(text: string): string[] {
  return [...new Set(matcher.match(text).map((m) => m.entity))].sort();
}

describe('alias rules', () => {
  it('matches countries, demonyms, capitals and possessives', () => {
    expect(entitiesIn("Japan's premier flew to Seoul to meet South Korean officials.")).toEqual(['japan', 'korea']);
    expect(entitiesIn('S. Korea and the Japanese cabinet agreed.')).toEqual(['japan', 'korea']);
    expect(entitiesIn('South Koreans distrusted China.')).toEqual(['china', 'korea']);
  });
  it('does not take the Sea of Japan for Japan', () => {
    expect(entitiesIn('North Korea launched a missile towards the Sea of Japan.')).toEqual(['north-korea']);
  });
  it('does not take North Korea or North Koreans for (South) Korea', () => {
    expect(entitiesIn('North Korean leader Kim Jong Un spoke.')).toEqual(['north-korea']);
    expect(entitiesIn("The history of DPRK-Japan relations is long.")).toEqual(['japan', 'north-korea']);
    expect(entitiesIn("The Democratic People's Republic of Korea protested.")).toEqual(['north-korea']);
  });
  it('splits hyphenated compounds', () => {
    expect(entitiesIn('The importance of Japan-South Korea relations is growing.')).toEqual(['japan', 'korea']);
  });
  it('matches hyphen and space variants of full names', () => {
    expect(entitiesIn('President Lee Jae-myung arrived.')).toEqual(['korea']);
    expect(entitiesIn('President Lee Jae Myung arrived.')).toEqual(['korea']);
    expect(entitiesIn('Former president Yoon Suk-yeol was removed.')).toEqual(['korea']);
  });
  it('counts a bare surname only when the full name is in the same document', () => {
    expect(entitiesIn('Lee said the talks went well.')).toEqual([]);
    expect(entitiesIn('President Lee Jae Myung arrived. Later, Lee said the talks went well.')).toEqual(['korea']);
    const text = 'President Lee Jae Myung arrived. Later, Lee said the talks went well.';
    const second = matcher.match(text).filter((m) => m.start > text.indexOf('Later'));
    expect(second.map((m) => text.slice(m.start, m.end))).toEqual(['Lee']);
  });
  it('does not count a different person sharing the surname', () => {
    const text =
      'President Lee Jae Myung will visit Beijing. Pyongyang remains the "key issue", Lee Jae-mook, a professor at a university in the capital, told reporters. Jae-mook Lee added more.';
    const lees = matcher
      .match(text)
      .filter((m) => m.entity === 'korea')
      .map((m) => text.slice(m.start, m.end));
    expect(lees).toEqual(['Lee Jae Myung']);
  });
  it('accepts a surname after a title or at a sentence start', () => {
    const text = 'Fumio Kishida arrived. Prime Minister Kishida spoke. But Kishida left early.\n\nKishida returned.';
    expect(matcher.match(text).filter((m) => m.entity === 'japan')).toHaveLength(4);
  });
});

describe('catalog', () => {
  it('lists entity names', () => {
    const names = entityNames(shippedCatalog());
    expect(names).toEqual(expect.arrayContaining(['japan', 'korea', 'north-korea', 'us', 'china', 'russia']));
  });
  it('names the bad key in validation errors', () => {
    expect(() => parseEntityCatalog({ entities: { japan: { aliases: 'Japan' } } })).toThrow(/entities\.japan\.aliases/);
    expect(() => parseEntityCatalog({ entities: { japan: { aliases: ['Japan'], leaders: [{ nam: 'X' }] } } })).toThrow(/entities\.japan\.leaders\.0/);
    expect(() => parseEntityCatalog({ entities: { Japan: { aliases: ['Japan'] } } })).toThrow(/entities\.Japan/);
    expect(() => parseEntityCatalog({ entities: { korea: { aliases: ['Korea'], leaders: [{ name: 'Lee Jae Myung', surname: 'Kim' }] } } })).toThrow(
      /entities\.korea\.leaders/,
    );
  });
  it('resolves query words, including multi-word names and aliases', () => {
    const directory = new EntityDirectory(shippedCatalog(), null);
    const names = (query: string) => directory.resolve(parseTimelineQuery(query)).map((t) => t.name);
    expect(names('japan korea')).toEqual(['japan', 'korea']);
    expect(names('North Korea Japan')).toEqual(['north-korea', 'japan']);
    expect(names('south korea, US')).toEqual(['korea', 'us']);
  });
  it('a name no document mentions: an empty timeline with a message, not an error', () => {
    const docs = [makeDoc('a.txt', 'Japan and South Korea met on March 1, 2024.', '2024-03-02')];
    const timeline = buildTimeline(docs, shippedCatalog(), ['japan', 'atlantis']);
    expect(timeline.events).toEqual([]);
    expect(timeline.entities.map((e) => [e.name, e.source])).toEqual([
      ['japan', 'curated'],
      ['phrase:atlanti', 'phrase'],
    ]);
    expect(timeline.message).toBe("No dated events mention 'Japan' and 'atlantis' together in the 1 indexed document.");
  });
});
