// The ranking tail every store shares. A store finds the candidates (its keyword hits and its vector hits, each
// best first) and says how to read them; this fuses the two rankings by reciprocal rank fusion, drops chunks
// that overlap a better-ranked one, picks k with MMR for diversity and turns the picks into passages.
import { cosine } from '../embed/sif-embedder.js';
import type { Chunk, Passage, StoredDocument } from '../types.js';
import { CANDIDATES_PER_RANKING, dropOverlapping, FUSION_WEIGHTS, maximalMarginalRelevance, MMR_LAMBDA, reciprocalRankFusion, RRF_K } from './fusion.js';

/** One ranked candidate: a store-specific numeric id (row, database key) and the ranking's own score. */
export interface Hit {
  id: number;
  score: number;
}

export interface Candidates {
  /** Keyword hits, best first; `score` is the store's keyword score (BM25). */
  keyword: readonly Hit[];
  /** Vector hits, best first; `score` is the cosine similarity. */
  vector: readonly Hit[];
  chunk(id: number): Chunk | undefined;
  vectorOf(id: number): ArrayLike<number>;
  /** The document a chunk was cut from, read from the same state as the candidates. */
  document(source: string): StoredDocument | undefined;
  /** IDF-weighted share of the query's terms found in the candidate's indexed text (0..1). */
  coverage(id: number): number;
}

/** Fusion → overlap removal → MMR → passages. Ties in the fused score go to the lower id, so results are stable. */
export function rankPassages(candidates: Candidates, k: number): Passage[] {
  const { keyword, vector } = candidates;
  const fused = reciprocalRankFusion(
    [
      { rows: keyword.map((hit) => hit.id), weight: FUSION_WEIGHTS.keyword },
      { rows: vector.map((hit) => hit.id), weight: FUSION_WEIGHTS.vector },
    ],
    RRF_K,
  );
  const keywordScores = new Map(keyword.map((hit) => [hit.id, hit.score]));
  const vectorScores = new Map(vector.map((hit) => [hit.id, hit.score]));
  const ranked = [...fused.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .flatMap(([id, score]) => {
      const chunk = candidates.chunk(id);
      return chunk ? [{ id, score, chunk }] : [];
    });
  const picked = maximalMarginalRelevance(
    dropOverlapping(ranked, CANDIDATES_PER_RANKING / 2),
    (item) => item.score,
    (a, b) => cosine(candidates.vectorOf(a.id), candidates.vectorOf(b.id)),
    k,
    MMR_LAMBDA,
  );
  const passages: Passage[] = [];
  for (const { id, score, chunk } of picked) {
    const doc = candidates.document(chunk.source);
    if (!doc) continue; // never cite a document the store did not return with its candidates
    passages.push({
      chunk: { id: chunk.id, source: chunk.source, start: chunk.start, end: chunk.end, text: chunk.text },
      doc: documentMeta(doc),
      score,
      bm25Score: keywordScores.get(id) ?? 0,
      vectorScore: vectorScores.get(id) ?? 0,
      termCoverage: candidates.coverage(id),
    });
  }
  return passages;
}

/** A document's metadata without its text and hashes: what a passage carries. */
export function documentMeta(doc: StoredDocument): Passage['doc'] {
  const { text: _text, fileHash: _f, contentHash: _c, indexedAt: _i, ...meta } = doc;
  return meta;
}
