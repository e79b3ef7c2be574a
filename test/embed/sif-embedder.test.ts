import { describe, expect, it } from 'vitest';
import { createLocalEmbedder } from '../../src/app/embedders.js';

describe('the local SIF embedder', () => {
  const embedder = createLocalEmbedder({ wordVectorsDir: undefined });

  it('gives answer scoring the same vector as a plain array, whatever was embedded before', () => {
    const first = 'Japan and South Korea agreed to resume security talks on Sunday.';
    const typed = embedder.embed(first);
    embedder.embedValues('An unrelated sentence about trade disputes and semiconductors.');
    const plain = embedder.embedValues(first);
    expect(Array.isArray(plain)).toBe(true);
    expect(plain).toEqual(Array.from(typed));
    expect(embedder.embedValues('')).toEqual(new Array(embedder.dimension).fill(0));
  });

  it('word similarity is the cosine of the two word vectors, symmetric, 1 for the same word and 0 for an unknown one', () => {
    const talks = embedder.wordSimilarity('met', 'talks');
    expect(talks).toBeCloseTo(embedder.wordSimilarity('talks', 'met'), 12);
    expect(talks).toBeGreaterThan(embedder.wordSimilarity('met', 'banana'));
    expect(embedder.wordSimilarity('summit', 'summit')).toBe(1);
    expect(embedder.wordSimilarity('summit', 'qzxwvkjh')).toBe(0);
    for (const [a, b] of [['missile', 'launch'], ['tokyo', 'seoul'], ['apology', 'compensation']] as const) {
      const value = embedder.wordSimilarity(a, b);
      expect(value).toBeGreaterThan(-1);
      expect(value).toBeLessThan(1);
    }
  });
});
