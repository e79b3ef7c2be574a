import { describe, expect, it } from 'vitest';
import { extractDates, formatDate, isFutureSentence } from '../../src/core/timeline/dates.js';

function dates(sentence: string, publishedAt: string | null): string[] {
  return extractDates(sentence, publishedAt).map((m) => (m.value ? formatDate(m.value) : 'unresolved'));
}

describe('absolute dates', () => {
  it('keeps the day when the text gives one', () => {
    expect(dates('The accord was signed on March 16, 2023 in Tokyo.', null)).toEqual(['2023-03-16']);
    expect(dates('Officials met on Aug 23, 2025, in Seoul.', '2025-09-01')).toEqual(['2025-08-23']);
  });
  it('keeps the month when no day is given', () => {
    expect(dates('Talks resumed in March 2024 after a pause.', null)).toEqual(['2024-03']);
  });
  it('reads years after a cue word', () => {
    expect(dates('It was the first visit since 1965, when relations were normalised.', '2025-08-23')).toEqual(['1965']);
    expect(dates('In 2022, polling showed a shift.', '2025-12-30')).toEqual(['2022']);
  });
  it('reads a year that qualifies a named event or a work, but not a count', () => {
    expect(dates('He was part of the team that won the 2009 Pulitzer Prize.', null)).toEqual(['2009']);
    expect(dates('The film adapts Aciman’s 2007 novel.', null)).toEqual(['2007']);
    expect(dates('The 2000 members voted against it.', null)).toEqual([]);
  });
  it('reads years, decades and centuries ago written in words', () => {
    expect(dates('Twenty years ago we saw an explosion of websites.', '2015-10-15')).toEqual(['1995']);
    expect(dates('A decade ago it began.', '2015-10-15')).toEqual(['2005']);
    expect(dates('Thirty-five years ago it began.', null)).toEqual(['unresolved']);
  });
  it('reads year ranges as intervals', () => {
    expect(dates('Japan ruled the peninsula from 1910 to 1945.', '2023-08-15')).toEqual(['1910/1945']);
    expect(dates('The war lasted between 1950 and 1953.', null)).toEqual(['1950/1953']);
    expect(dates('The 1950–1953 war ended in an armistice.', null)).toEqual(['1950/1953']);
  });
});

describe('relative dates, anchored on the publication date', () => {
  it('puts a month of a past-tense sentence before publication', () => {
    expect(dates('Ties gained momentum in March, when the government acted.', '2023-08-15')).toEqual(['2023-03']);
    expect(dates('The two leaders last met in November.', '2025-12-30')).toEqual(['2025-11']);
  });
  it('puts a month of a future-tense sentence after publication', () => {
    expect(dates('The leaders will meet again in June.', '2025-08-23')).toEqual(['2026-06']);
    expect(dates('The leaders met in June.', '2025-08-23')).toEqual(['2025-06']);
  });
  it('reads a date something was moved or postponed to as ahead of publication', () => {
    expect(dates('Work continued on the feature, but its release has been moved to January.', '2020-12-18')).toEqual(['2021-01']);
    expect(dates('The vote was postponed until March.', '2024-11-02')).toEqual(['2025-03']);
  });
  it('resolves last month / this month to a month, never a day', () => {
    expect(dates('Last month, the president pitched a plan.', '2025-12-30')).toEqual(['2025-11']);
    expect(dates('Asked this month whether he would side with them, he declined.', '2025-12-30')).toEqual(['2025-12']);
  });
  it('takes "on Saturday" in a page published on a Saturday as that day', () => {
    expect(dates('The leaders met in Tokyo on Saturday.', '2025-08-23')).toEqual(['2025-08-23']);
  });
  it('takes a past weekday as the last one and a future weekday as the next one', () => {
    expect(dates('The leaders met on Monday.', '2025-08-23')).toEqual(['2025-08-18']);
    expect(dates('He will fly to Washington on Sunday afternoon.', '2025-08-23')).toEqual(['2025-08-24']);
    expect(dates('He will visit China from Sunday to meet Xi.', '2025-12-30')).toEqual(['2026-01-04']);
  });
  it('reads weekday ranges as day intervals', () => {
    expect(dates('He will attend a summit from Sunday to Tuesday, his office said.', '2025-12-30')).toEqual(['2026-01-04/2026-01-06']);
  });
  it('reads next week as the Monday-to-Sunday interval', () => {
    expect(dates('The president will visit China next week.', '2025-12-30')).toEqual(['2026-01-05/2026-01-11']);
  });
  it('gives a day without year the year on the right side of publication', () => {
    expect(dates('The meteor shower peaked on Aug. 12.', '2025-08-23')).toEqual(['2025-08-12']);
  });
  it('cannot resolve relative dates without a publication date', () => {
    expect(dates('On Tuesday morning, the missile was launched.', null)).toEqual(['unresolved']);
    expect(dates('The ministers met in March.', null)).toEqual(['unresolved']);
  });
});

describe('what is not an event date', () => {
  it('ignores durations', () => {
    expect(dates('Their discussions, spanning about two hours, covered defence.', '2025-08-23')).toEqual([]);
    expect(dates('The deal ended a four-year economic feud.', '2025-08-23')).toEqual([]);
    expect(dates('He will then head to Shanghai for two days.', '2025-08-23')).toEqual([]);
    expect(dates('Seoul has for decades trodden a fine line.', '2025-08-23')).toEqual([]);
  });
  it('ignores ages, money, quantities and bare numbers', () => {
    expect(dates('The astronaut died at 97.', '2025-08-23')).toEqual([]);
    expect(dates('The firm pledged $2025 million and sent 2000 troops.', '2025-08-23')).toEqual([]);
    expect(dates('Tariffs fell to 15 percent on 1,500 products.', '2025-08-23')).toEqual([]);
    expect(dates('Exports rose in 2,024 categories.', '2025-08-23')).toEqual([]);
  });
  it('ignores copyright spans and decades', () => {
    expect(dates('Content is Copyright 1995-2024 by the network.', '2025-08-23')).toEqual([]);
    expect(dates('Growth in the 1990s was fast.', '2025-08-23')).toEqual([]);
  });
  it('tells the month from the verb and the modal', () => {
    expect(dates('Protesters will march on the capital and officials may respond.', '2025-08-23')).toEqual([]);
  });
});

describe('announced or past', () => {
  it('reads "planning"/"planned" as an announcement only when they are verbs', () => {
    expect(isFutureSentence('President Biden is planning to meet Japanese and South Korean officials.')).toBe(true);
    expect(isFutureSentence('The summit, planned for next month, …')).toBe(true);
    expect(isFutureSentence('A visit is planned after the election.')).toBe(true);
    expect(isFutureSentence('From World War II planning sessions to the 1978 accords, the retreat has witnessed history.')).toBe(false);
  });
});
