// Reciprocal rank fusion (Cormack et al. 2009): combines rankings without calibrating their score scales.
export function reciprocalRankFusion(rankings: ReadonlyArray<{ rows: readonly number[]; weight: number }>, k = 60): Map<number, number> {
  const fused = new Map<number, number>();
  for (const { rows, weight } of rankings) {
    rows.forEach((row, rank) => fused.set(row, (fused.get(row) ?? 0) + weight / (k + rank + 1)));
  }
  return fused;
}

/**
 * Maximal marginal relevance: greedily picks items that are relevant but not redundant with those already
 * picked, so the top passages are not five copies of one paragraph.
 */
export function maximalMarginalRelevance<T>(
  candidates: readonly T[],
  relevance: (item: T) => number,
  similarity: (a: T, b: T) => number,
  k: number,
  lambda = 0.75,
): T[] {
  const remaining = [...candidates];
  const picked: T[] = [];
  const maxRelevance = Math.max(1e-9, ...candidates.map(relevance));
  while (picked.length < k && remaining.length > 0) {
    let bestIndex = 0;
    let bestScore = -Infinity;
    remaining.forEach((item, index) => {
      const redundancy = picked.length === 0 ? 0 : Math.max(...picked.map((p) => similarity(item, p)));
      const score = lambda * (relevance(item) / maxRelevance) - (1 - lambda) * redundancy;
      if (score > bestScore) {
        bestScore = score;
        bestIndex = index;
      }
    });
    const [item] = remaining.splice(bestIndex, 1);
    if (item !== undefined) picked.push(item);
  }
  return picked;
}

/** Keyword ranking weighs more in the fusion: measured stronger than the offline vectors on the eval sets. */
export const FUSION_WEIGHTS = { keyword: 1, vector: 0.3 };
/** The constant k of reciprocal rank fusion. */
export const RRF_K = 60;
/** How many hits each ranking contributes to the fusion. */
export const CANDIDATES_PER_RANKING = 40;
/** Relevance against redundancy in the final pick (1 = relevance only). */
export const MMR_LAMBDA = 0.8;
/** HNSW search breadth, in both stores: measured by `npm run bench` for recall@10 against exact search (docs/benchmarks.md). */
export const EF_SEARCH = 300;

/** Chunks up to which EF_SEARCH keeps the HNSW search's recall@10 near 0.98 (measured: 0.977–0.984 at 98k chunks). */
const EF_SEARCH_CHUNKS = 250_000;

/**
 * HNSW search breadth for an index of `chunkCount` chunks, in both stores: EF_SEARCH, raised with the square root of
 * the size past EF_SEARCH_CHUNKS. The same breadth finds fewer of the true nearest neighbours in a larger graph
 * (recall@10 at efSearch 300: 0.98 at 98k chunks, 0.96 at 294k, 0.92 at 980k in both stores; 600 gives 0.968 at
 * 980k in pgvector).
 */
export function efSearchFor(chunkCount: number): number {
  return Math.min(1000, Math.round(EF_SEARCH * Math.max(1, Math.sqrt(chunkCount / EF_SEARCH_CHUNKS))));
}

interface Span {
  chunk: { source: string; start: number; end: number };
}

/**
 * Drops candidates overlapping a better-ranked one of the same document by more than half of the shorter:
 * neighbouring chunks share a sentence of overlap and would otherwise say the same thing twice.
 */
export function dropOverlapping<T extends Span>(ranked: readonly T[], limit: number): T[] {
  const kept: T[] = [];
  for (const candidate of ranked) {
    const { chunk } = candidate;
    const overlaps = kept.some(({ chunk: other }) => {
      if (other.source !== chunk.source) return false;
      const overlap = Math.min(other.end, chunk.end) - Math.max(other.start, chunk.start);
      return overlap > 0.5 * Math.min(other.end - other.start, chunk.end - chunk.start);
    });
    if (!overlaps) kept.push(candidate);
    if (kept.length >= limit) break;
  }
  return kept;
}
