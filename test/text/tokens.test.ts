import { describe, expect, it } from 'vitest';
import { stemmer } from 'stemmer';
import { foldText, termCacheSize, termOf } from '../../src/core/text/tokens.js';

describe('folding', () => {
  it('folds ASCII text as the full path does: lower case, backticks as apostrophes', () => {
    expect(foldText('Don`t STOP')).toBe("don't stop");
    expect(foldText('U.S. 2024 Plan-B')).toBe('u.s. 2024 plan-b');
  });

  it('still removes diacritics and unifies typographic apostrophes in other text', () => {
    expect(foldText('Café Naïve’s ‘x’')).toBe("cafe naive's 'x'");
    expect(foldText('ﬁle')).toBe('file');
  });
});

describe('the stem cache', () => {
  it('gives the stemmer’s term and stays bounded however many word forms pass through it', () => {
    expect(termOf('meetings')).toBe(stemmer('meetings'));
    expect(termOf('met')).toBe('meet');
    for (let i = 0; i < 120_000; i++) termOf(`form${String.fromCharCode(97 + (i % 26))}x${i.toString(36).replace(/\d/g, 'q')}`);
    expect(termCacheSize()).toBeLessThanOrEqual(50_000);
    // A form seen long ago is stemmed again, the same way.
    expect(termOf('meetings')).toBe(stemmer('meetings'));
  });
});
