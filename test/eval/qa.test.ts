import { describe, expect, it } from 'vitest';
import { containsPhrase, scoreItem, statesAskedEvent, summarize } from '../../src/eval/qa.js';
import { foldOf } from '../../src/eval/calibrate.js';
import type { Answer } from '../../src/core/types.js';

const DOC = 'Relations with China nosedived in 2016 after Seoul agreed to deploy the THAAD system. Exercises involve UK forces.';
const read = (source: string) => (source === 'a.txt' ? DOC : null);
const cite = (quote: string) => ({ n: 1, source: 'a.txt', title: 'A', date: null, url: null, quote, start: 0, end: quote.length });
const answer = (text: string, refused = false, quote = 'Exercises involve UK forces.'): Answer => ({ question: 'q', answer: text, refused, mode: 'extractive', citations: [cite(quote)] });

describe('expected strings match as whole words or phrases', () => {
  it('"UK" is not found in "Suk" or "Ukraine", a plural ending is allowed, case and spacing do not matter', () => {
    expect(containsPhrase('Yoon Suk Yeol', 'UK')).toBe(false);
    expect(containsPhrase('the war in Ukraine', 'UK')).toBe(false);
    expect(containsPhrase('involving UK forces', 'UK')).toBe(true);
    expect(containsPhrase('for decades', 'decade')).toBe(true);
    expect(containsPhrase('the early   WARNING data', 'early warning')).toBe(true);
    expect(containsPhrase('Nov. 2025', 'Nov. 2025')).toBe(true);
    expect(containsPhrase('November 20255', 'November 2025')).toBe(false);
  });

  it('scores an answer correct only with the phrase and a valid citation into the source; refusals never count', () => {
    const item = { question: 'Which forces?', expect_any: ['UK'], source: 'a.txt' };
    expect(scoreItem(item, answer('UK forces take part [1]'), ['a.txt'], 1, read).correct).toBe(true);
    expect(scoreItem(item, answer('Yoon Suk Yeol said so [1]'), ['a.txt'], 1, read).correct).toBe(false);
    expect(scoreItem(item, answer('UK forces [1]', false, 'not in the file'), ['a.txt'], 1, read).correct).toBe(false);
    const refused = scoreItem(item, answer("I couldn't find this.", true), ['a.txt'], 1, read);
    expect(refused.correct).toBe(false);
    // The refusal quotes the sentence that holds the answer: counted.
    expect(refused.refusalCitesAnswer).toBe(true);
  });
});

describe('summaries', () => {
  it('report n/a (null) for empty denominators instead of a flattering 100 %', () => {
    const report = summarize([]);
    expect(report.accuracy).toBeNull();
    expect(report.refusalAccuracy).toBeNull();
    expect(report.citationValidity).toBeNull();
    expect(report.falseRefusalRate).toBeNull();
    expect(report.medianAnswerChars).toBeNull();
  });

  it('count refusals citing the answer, the median answer length and accuracy by type', () => {
    const item = { question: 'Which forces?', expect_any: ['UK'], source: 'a.txt', type: 'which' };
    const unanswerable = { question: 'Capital of Canada?', expect_refusal: true, type: 'unanswerable' };
    const report = summarize([
      scoreItem(item, answer('UK forces [1]'), ['a.txt'], 1, read),
      scoreItem(item, answer('nothing', true), ['a.txt'], 1, read),
      scoreItem(unanswerable, answer('nothing', true, 'Relations with China nosedived in 2016 after Seoul agreed to deploy the THAAD system.'), [], 1, read),
    ]);
    expect(report.correct).toBe(1);
    expect(report.refusalsCitingAnswer).toBe(1);
    expect(report.refusalAccuracy).toBe(1);
    expect(report.falseRefusalRate).toBe(0.5);
    expect(report.medianAnswerChars).toBe('UK forces [1]'.length);
    expect(report.byType).toEqual({ which: { correct: 1, total: 2 }, unanswerable: { correct: 1, total: 1 } });
  });

  it('folds are a stable function of the item id', () => {
    expect(foldOf('n-01', 5)).toBe(foldOf('n-01', 5));
    const folds = new Set(Array.from({ length: 40 }, (_, i) => foldOf(`q-${i}`, 5)));
    expect(folds.size).toBe(5);
  });
});

describe('statesAskedEvent', () => {
  const source = 'Leaders of Freedonia and Sylvania met in Rome on Saturday. Lee will fly from Rome to Oslo on Sunday.';
  it('tells the sentence that states the asked event from one that only shares the answer and a name', () => {
    expect(statesAskedEvent('where did lee and the sylvanian leader meet?', 'Leaders of Freedonia and Sylvania met in Rome on Saturday.', source)).toBe(true);
    expect(statesAskedEvent('where did lee and the sylvanian leader meet?', 'Lee will fly from Rome to Oslo on Sunday.', source)).toBe(false);
    expect(statesAskedEvent('who is Lee?', 'Lee will fly from Rome to Oslo on Sunday.', source)).toBeNull();
  });
});
