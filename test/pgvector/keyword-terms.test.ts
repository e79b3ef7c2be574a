// Which rows the PostgreSQL store scores with BM25 in a large corpus: the rarest terms, then pairs of the
// common ones, each pair capped near its estimate (pure function; no database).
import { describe, expect, it } from 'vitest';
import { TermTable } from '../../src/core/retrieve/term-stats.js';
import { keywordTerms } from '../../src/stores/pgvector/view.js';

describe('keywordTerms', () => {
  it('scores every term but selects candidates by the rarest terms and capped pairs of the common ones', () => {
    const table = new TermTable(new Map([['harbour', 40], ['central', 4000], ['bank', 4500], ['santiago', 1600], ['plan', 100_000]]), 100_000);
    const { scoredTerms, candidateTerms, candidatePairs } = keywordTerms(['central', 'bank', 'plan', 'harbour', 'santiago', 'unknown'], table);
    expect(scoredTerms).toEqual(['central', 'bank', 'plan', 'harbour', 'santiago']);
    expect(candidateTerms).toEqual(['harbour']);
    // Expected overlaps (df·df'/N): santiago+central 64, santiago+bank 72, central+bank 180 — each capped at
    // twice its estimate, and at no fewer than 100 rows; `plan`, in every row, pairs with nothing in budget.
    expect(candidatePairs).toEqual([
      { pair: ['santiago', 'central'], cap: 128 },
      { pair: ['santiago', 'bank'], cap: 144 },
      { pair: ['central', 'bank'], cap: 360 },
    ]);
  });

  it('in a small corpus every row holding a query term is a candidate, as in the local store', () => {
    const table = new TermTable(new Map([['ferry', 3], ['busan', 5], ['service', 20]]), 35);
    expect(keywordTerms(['ferry', 'busan', 'service'], table)).toEqual({ scoredTerms: ['ferry', 'busan', 'service'], candidateTerms: ['ferry', 'busan', 'service'], candidatePairs: [] });
  });
});
