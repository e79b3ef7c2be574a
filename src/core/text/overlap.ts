// How much of a question's vocabulary a text contains, weighted by how specific each term is.
// Stems that share a long prefix count as a partial match: Porter stemming leaves derivations apart
// ("japanes"/"japan", "acquir"/"acquisit"), and questions often use the other form.

const PARTIAL_MATCH = 0.8;
const MIN_SHARED_PREFIX = 5;

/** 1 for the same term, PARTIAL_MATCH for a shared prefix of ≥ 5 letters, else 0. Numbers match exactly. */
export function termMatch(queryTerm: string, present: ReadonlySet<string>): number {
  if (present.has(queryTerm)) return 1;
  if (queryTerm.length < MIN_SHARED_PREFIX || /\d/.test(queryTerm)) return 0;
  const prefix = queryTerm.slice(0, MIN_SHARED_PREFIX);
  for (const term of present) {
    if (term.length >= MIN_SHARED_PREFIX && term.startsWith(prefix) && !/\d/.test(term)) {
      let shared = MIN_SHARED_PREFIX;
      while (shared < term.length && shared < queryTerm.length && term[shared] === queryTerm[shared]) shared++;
      if (shared >= 0.7 * Math.min(term.length, queryTerm.length)) return PARTIAL_MATCH;
    }
  }
  return 0;
}

/** IDF-weighted share (0..1) of `queryTerms` found in `present`. */
export function weightedCoverage(queryTerms: readonly string[], present: ReadonlySet<string>, idf: (term: string) => number): number {
  let total = 0;
  let found = 0;
  for (const term of queryTerms) {
    const weight = idf(term);
    total += weight;
    found += weight * termMatch(term, present);
  }
  return total === 0 ? 0 : found / total;
}
