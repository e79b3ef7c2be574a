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
