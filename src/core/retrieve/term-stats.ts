// Corpus-wide term statistics the answerer needs (how specific a word is, whether the corpus knows it at all),
// independent of where the chunks are stored.
import { termMatch } from '../text/overlap.js';

export interface TermStatistics {
  /** Inverse document frequency of a stemmed term over the indexed chunks. */
  idf(term: string): number;
  /** Whether the corpus holds the term or a close derivation of it (shared long prefix). */
  knows(term: string): boolean;
}

/** BM25's idf; terms absent from the corpus get the maximum (they are maximally specific). */
export function bm25Idf(chunkCount: number, documentFrequency: number): number {
  return Math.log(1 + (chunkCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** Term statistics from a table of document frequencies (e.g. read from a database). */
export class TermTable implements TermStatistics {
  private vocabulary: Set<string> | null = null;

  constructor(
    private readonly frequencies: ReadonlyMap<string, number>,
    readonly chunkCount: number,
  ) {}

  idf(term: string): number {
    return bm25Idf(this.chunkCount, this.documentFrequency(term));
  }

  documentFrequency(term: string): number {
    return this.frequencies.get(term) ?? 0;
  }

  knows(term: string): boolean {
    if ((this.frequencies.get(term) ?? 0) > 0) return true;
    this.vocabulary ??= new Set([...this.frequencies.entries()].filter(([, df]) => df > 0).map(([term]) => term));
    return termMatch(term, this.vocabulary) > 0;
  }
}
