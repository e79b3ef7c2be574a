// Okapi BM25 over our own postings: names, numbers and rare words ("THAAD", "1965") are exactly what dense
// vectors blur, and a small inverted index is faster than a general search library at this size.
import { contentTerms } from '../text/tokens.js';

export interface Bm25Hit {
  row: number;
  score: number;
}

const K1 = 1.2;
const B = 0.75;

export class Bm25Index {
  private readonly postings = new Map<string, { rows: number[]; tfs: number[] }>();
  private readonly lengths: Float64Array;
  private readonly averageLength: number;
  readonly size: number;

  constructor(texts: readonly string[]) {
    this.size = texts.length;
    this.lengths = new Float64Array(texts.length);
    let total = 0;
    texts.forEach((text, row) => {
      const counts = new Map<string, number>();
      const terms = contentTerms(text);
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let posting = this.postings.get(term);
        if (!posting) {
          posting = { rows: [], tfs: [] };
          this.postings.set(term, posting);
        }
        posting.rows.push(row);
        posting.tfs.push(tf);
      }
      this.lengths[row] = terms.length;
      total += terms.length;
    });
    this.averageLength = texts.length > 0 ? total / texts.length : 0;
  }

  /** Inverse document frequency; terms absent from the corpus get the maximum (they are maximally specific). */
  idf(term: string): number {
    const df = this.postings.get(term)?.rows.length ?? 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** The indexed vocabulary (stemmed terms). */
  vocabulary(): IterableIterator<string> {
    return this.postings.keys();
  }

  documentFrequency(term: string): number {
    return this.postings.get(term)?.rows.length ?? 0;
  }

  search(terms: readonly string[], limit: number, accept?: (row: number) => boolean): Bm25Hit[] {
    const scores = new Map<number, number>();
    for (const term of new Set(terms)) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const idf = this.idf(term);
      for (let i = 0; i < posting.rows.length; i++) {
        const row = posting.rows[i] ?? 0;
        const tf = posting.tfs[i] ?? 0;
        const norm = tf + K1 * (1 - B + (B * (this.lengths[row] ?? 0)) / (this.averageLength || 1));
        scores.set(row, (scores.get(row) ?? 0) + (idf * tf * (K1 + 1)) / norm);
      }
    }
    const hits: Bm25Hit[] = [];
    for (const [row, score] of scores) if (!accept || accept(row)) hits.push({ row, score });
    hits.sort((a, b) => b.score - a.score || a.row - b.row);
    return hits.slice(0, limit);
  }
}
