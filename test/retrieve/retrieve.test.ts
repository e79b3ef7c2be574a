import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/core/retrieve/bm25.js';
import { maximalMarginalRelevance, reciprocalRankFusion } from '../../src/core/retrieve/fusion.js';
import { analyzeQuery } from '../../src/core/retrieve/query.js';
import { runLocalIndex } from '../../src/stores/local/indexer.js';
import { LocalView } from '../../src/stores/local/view.js';
import { contentTerms } from '../../src/core/text/tokens.js';
import { localEmbedder, removeDir, seedCorpusCopy, tempDir } from '../helpers.js';

describe('fusion and diversification', () => {
  it('reciprocal rank fusion rewards items ranked well by both lists', () => {
    const fused = reciprocalRankFusion([
      { rows: [1, 2, 3], weight: 1 },
      { rows: [3, 1, 4], weight: 1 },
    ]);
    const order = [...fused.entries()].sort((a, b) => b[1] - a[1]).map(([row]) => row);
    expect(order.slice(0, 2)).toEqual([1, 3]);
    expect(fused.get(4)).toBeLessThan(fused.get(2)!);
  });

  it('MMR skips near-duplicates of what it already picked', () => {
    const items = [
      { id: 'a', rel: 1.0, v: [1, 0] },
      { id: 'a-copy', rel: 0.99, v: [1, 0] },
      { id: 'b', rel: 0.8, v: [0, 1] },
    ];
    const picked = maximalMarginalRelevance(items, (i) => i.rel, (x, y) => x.v[0]! * y.v[0]! + x.v[1]! * y.v[1]!, 2, 0.5);
    expect(picked.map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('BM25 ranks rare exact terms (names, numbers) first', () => {
    const index = new Bm25Index([
      'Relations nosedived in 2016 after Seoul agreed to deploy the THAAD system.',
      'Relations improved as leaders met in Tokyo.',
      'Relations between the countries were normalised in 1965.',
    ]);
    expect(index.search(contentTerms('THAAD deployment'), 3)[0]?.row).toBe(0);
    expect(index.search(contentTerms('what happened in 1965'), 3)[0]?.row).toBe(2);
  });

  it('query understanding folds case, diacritics and hyphen variants', () => {
    expect(analyzeQuery('Lee Jae-myung').terms).toEqual(analyzeQuery('lee jae myung').terms);
    expect(analyzeQuery('Pokémon Séoul').terms).toEqual(analyzeQuery('pokemon seoul').terms);
    expect(analyzeQuery('When did they meet?').answerType).toBe('when');
    expect(analyzeQuery('How many troops are there?').terms).toEqual(['troop']);
  });
});

describe('hybrid retrieval over the seed corpus', () => {
  let corpusDir: string;
  let indexDir: string;
  let base: LocalView;
  beforeAll(async () => {
    corpusDir = seedCorpusCopy();
    indexDir = tempDir('index-');
    const { snapshot } = await runLocalIndex({ corpusDir, indexDir, embedder: localEmbedder() });
    base = new LocalView(snapshot, localEmbedder());
  });
  afterAll(() => {
    removeDir(corpusDir);
    removeDir(indexDir);
  });

  // The store contract (test/stores/contract.test.ts) covers offsets, overlaps, filters and modes for both stores.
  it('ranks the passage with the rare keyword first', async () => {
    const passages = await base.retrieve('THAAD missile defence system', { k: 4 });
    expect(passages[0]?.chunk.source).toBe('001_bafdd1d5e9ecaa96.txt');
    expect(passages[0]?.chunk.text).toContain('THAAD');
  });

  it('the vector side alone finds a paraphrase with no shared keyword', async () => {
    const vector = await localEmbedder().embedQuery('rocket test over the ocean');
    const hits = base.vectorSearch(vector, 1);
    expect(base.snapshot.chunks[hits[0]!.row]?.text).toContain('launched a ballistic missile');
  });
});
