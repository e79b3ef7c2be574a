// The pure parts of the PostgreSQL store's search statement (no database): which rows it scores with BM25 in a
// large corpus, and how values are written into its multi-statement queries.
import { describe, expect, it } from 'vitest';
import { TermTable } from '../../src/core/retrieve/term-stats.js';
import { EF_SEARCH } from '../../src/core/retrieve/fusion.js';
import { efSearchFor } from '../../src/core/retrieve/fusion.js';
import { inlineParameters, keywordTerms } from '../../src/stores/pgvector/view.js';

describe('keywordTerms', () => {
  it('scores every term but selects candidates by the rarest terms and capped pairs of the common ones', () => {
    const table = new TermTable(new Map([['harbour', 40], ['central', 4000], ['bank', 4500], ['santiago', 1600], ['plan', 100_000]]), 100_000);
    const { scoredTerms, candidateTerms, candidateGroups } = keywordTerms(['central', 'bank', 'plan', 'harbour', 'santiago', 'unknown'], table);
    expect(scoredTerms).toEqual(['central', 'bank', 'plan', 'harbour', 'santiago']);
    expect(candidateTerms).toEqual(['harbour']);
    // Expected overlaps (df·df'/N): santiago+central 64, santiago+bank 72, central+bank 180 — each capped at
    // twice its estimate, and at no fewer than 100 rows; `plan`, in every row, pairs with nothing in budget.
    expect(candidateGroups).toEqual([
      { terms: ['santiago', 'central'], cap: 128 },
      { terms: ['santiago', 'bank'], cap: 144 },
      { terms: ['central', 'bank'], cap: 360 },
    ]);
  });

  it('in a small corpus every row holding a query term is a candidate, as in the local store', () => {
    const table = new TermTable(new Map([['ferry', 3], ['busan', 5], ['service', 20]]), 35);
    expect(keywordTerms(['ferry', 'busan', 'service'], table)).toEqual({ scoredTerms: ['ferry', 'busan', 'service'], candidateTerms: ['ferry', 'busan', 'service'], candidateGroups: [] });
  });

  it('of only common words, selects the rows holding the rarest ones together, as many as bring the estimate within budget', () => {
    const table = new TermTable(new Map([['athen', 47_000], ['within', 141_000], ['other', 216_000], ['project', 418_000]]), 1_000_000);
    // 47k, then 47k·141k/1M = 6.6k, then 6.6k·216k/1M = 1.4k: within budget with the third term.
    expect(keywordTerms(['within', 'other', 'project', 'athen'], table).candidateGroups).toEqual([{ terms: ['athen', 'within', 'other'], cap: 2863 }]);
    // One common word alone: its rows, capped.
    expect(keywordTerms(['project'], table)).toEqual({ scoredTerms: ['project'], candidateTerms: [], candidateGroups: [{ terms: ['project'], cap: 3000 }] });
  });
});

describe('inlineParameters', () => {
  it('writes each value as a literal of its kind, quotes escaped, $10 not taken for $1', () => {
    const values = ["o'brien", null, true, 0.1 + 0.2, ['a', "b'c", 'd\\e'], [], -3, '[1,2]', 'x', 'y'];
    expect(inlineParameters('$1 $2 $3 $4::float8 $5::text[] $6::text[] $7::int $8::vector $10', values)).toBe(
      "'o''brien' NULL true (0.30000000000000004)::float8 ARRAY['a', 'b''c',  E'd\\\\e']::text[] '{}'::text[] (-3)::int '[1,2]'::vector 'y'",
    );
  });

  it('refuses what it cannot write exactly', () => {
    expect(() => inlineParameters('$1', [Number.NaN])).toThrow(RangeError);
    expect(() => inlineParameters('$2', ['only one'])).toThrow(RangeError);
    expect(() => inlineParameters('$1', [{}])).toThrow(TypeError);
  });
});

describe('efSearchFor', () => {
  it('keeps the shared ef_search up to a quarter million chunks, then widens the HNSW scan with the square root of the size', () => {
    expect(efSearchFor(35)).toBe(EF_SEARCH);
    expect(efSearchFor(98_029)).toBe(EF_SEARCH);
    expect(efSearchFor(1_000_000)).toBe(2 * EF_SEARCH);
    expect(efSearchFor(100_000_000)).toBe(1000);
  });
});
