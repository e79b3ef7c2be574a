// Okapi BM25 over our own postings: names, numbers and rare words ("THAAD", "1965") are exactly what dense
// vectors blur, and a small inverted index is faster than a general search library at this size.
// Postings live in flat typed arrays (CSR layout): at 100k chunks, arrays of JS numbers and a Map of scores
// per query cost hundreds of megabytes and tens of milliseconds.
import { STOP_WORDS, termOf, words } from '../text/tokens.js';
import { bm25Idf } from './term-stats.js';

export interface Bm25Hit {
  row: number;
  score: number;
}

const K1 = 1.2;
const B = 0.75;
/** The Okapi parameters, for stores that score BM25 elsewhere (the PostgreSQL store, in SQL). */
export const BM25_PARAMETERS = { k1: K1, b: B } as const;

export class Bm25Index {
  private readonly termIds = new Map<string, number>();
  /** Postings of term t: rows[offsets[t] .. offsets[t+1]), in ascending row order, with their term frequencies. */
  private readonly offsets: Int32Array;
  private readonly rows: Int32Array;
  private readonly tfs: Uint16Array;
  /** K1 · (1 − B + B · length/average) per row: the length part of BM25's denominator. */
  private readonly lengthNorms: Float64Array;
  /** Per-query accumulator, reused: searches are synchronous, so they never overlap. */
  private readonly scores: Float64Array;
  private readonly touched: Int32Array;
  readonly size: number;

  /** `texts`, or a row count and a function giving one row's text at a time (so all texts never sit in memory at once). */
  constructor(texts: readonly string[] | { count: number; textOf: (row: number) => string }) {
    const count = 'count' in texts ? texts.count : texts.length;
    const textOf = 'count' in texts ? texts.textOf : (row: number) => texts[row] ?? '';
    this.size = count;
    ({ offsets: this.offsets, rows: this.rows, tfs: this.tfs, lengthNorms: this.lengthNorms } = Bm25Index.postingsOf(count, textOf, this.termIds));
    this.scores = new Float64Array(count);
    this.touched = new Int32Array(count);
  }

  private static postingsOf(count: number, textOf: (row: number) => string, termIds: Map<string, number>) {
    const lengths = new Float64Array(count);
    // One lookup per word: folded word → term id, or -1 for stop words. Stemming dominates tokenising otherwise,
    // and a corpus repeats the same few thousand word forms.
    const wordIds = new Map<string, number>();
    // Pass 1: (termId, tf) pairs per row, appended to one growing buffer.
    let pairs = new Int32Array(Math.max(1024, count * 48));
    let pairCount = 0;
    const rowEnds = new Int32Array(count);
    let df = new Int32Array(1024);
    let tf = new Int32Array(1024);
    const present: number[] = [];
    let total = 0;
    for (let row = 0; row < count; row++) {
      let length = 0;
      for (const word of words(textOf(row))) {
        let id = wordIds.get(word);
        if (id === undefined) {
          if (STOP_WORDS.has(word)) id = -1;
          else {
            const term = termOf(word);
            id = termIds.get(term);
            if (id === undefined) {
              id = termIds.size;
              termIds.set(term, id);
              if (id >= df.length) {
                df = grow(df, df.length * 2);
                tf = grow(tf, tf.length * 2);
              }
            }
          }
          wordIds.set(word, id);
        }
        if (id < 0) continue;
        if (tf[id] === 0) present.push(id);
        tf[id] = (tf[id] ?? 0) + 1;
        length += 1;
      }
      if (pairCount + 2 * present.length > pairs.length) pairs = grow(pairs, Math.max(pairs.length * 2, pairCount + 2 * present.length));
      // Ids in first-occurrence order, as the Map of counts this replaced iterated them.
      for (const id of present) {
        pairs[pairCount++] = id;
        pairs[pairCount++] = tf[id] ?? 0;
        tf[id] = 0;
        df[id] = (df[id] ?? 0) + 1;
      }
      present.length = 0;
      rowEnds[row] = pairCount;
      lengths[row] = length;
      total += length;
    }
    // Pass 2: counting sort of the pairs by term, which keeps each posting list in row order.
    const terms = termIds.size;
    const offsets = new Int32Array(terms + 1);
    for (let t = 0; t < terms; t++) offsets[t + 1] = (offsets[t] ?? 0) + (df[t] ?? 0);
    const postings = offsets[terms] ?? 0;
    const rows = new Int32Array(postings);
    const tfs = new Uint16Array(postings);
    const fill = offsets.slice(0, terms);
    let start = 0;
    for (let row = 0; row < count; row++) {
      const end = rowEnds[row] ?? start;
      for (let p = start; p < end; p += 2) {
        const id = pairs[p] ?? 0;
        const at = fill[id] ?? 0;
        fill[id] = at + 1;
        rows[at] = row;
        tfs[at] = Math.min(0xffff, pairs[p + 1] ?? 0);
      }
      start = end;
    }
    const averageLength = count > 0 ? total / count : 0;
    const lengthNorms = new Float64Array(count);
    for (let row = 0; row < count; row++) lengthNorms[row] = K1 * (1 - B + (B * (lengths[row] ?? 0)) / (averageLength || 1));
    return { offsets, rows, tfs, lengthNorms };
  }

  /** Inverse document frequency; terms absent from the corpus get the maximum (they are maximally specific). */
  idf(term: string): number {
    return bm25Idf(this.size, this.documentFrequency(term));
  }

  /** The indexed vocabulary (stemmed terms). */
  vocabulary(): IterableIterator<string> {
    return this.termIds.keys();
  }

  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : (this.offsets[id + 1] ?? 0) - (this.offsets[id] ?? 0);
  }

  search(terms: readonly string[], limit: number, accept?: (row: number) => boolean): Bm25Hit[] {
    const { scores, touched, rows, tfs, lengthNorms } = this;
    let touchedCount = 0;
    for (const term of new Set(terms)) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idf(term);
      const end = this.offsets[id + 1] ?? 0;
      for (let p = this.offsets[id] ?? 0; p < end; p++) {
        const row = rows[p] ?? 0;
        const tf = tfs[p] ?? 0;
        const previous = scores[row] ?? 0;
        if (previous === 0) touched[touchedCount++] = row;
        scores[row] = previous + (idf * tf * (K1 + 1)) / (tf + (lengthNorms[row] ?? 0));
      }
    }
    // Top `limit` by (score desc, row asc) with a bounded min-heap: sorting every touched row costs more at scale.
    const heap = new TopK(limit);
    for (let i = 0; i < touchedCount; i++) {
      const row = touched[i] ?? 0;
      const score = scores[row] ?? 0;
      scores[row] = 0;
      if (heap.accepts(row, score) && (!accept || accept(row))) heap.push(row, score);
    }
    return heap.sorted();
  }
}

/** Keeps the k best (score desc, row asc) hits seen. */
class TopK {
  private readonly rows: number[] = [];
  private readonly scores: number[] = [];

  constructor(private readonly k: number) {}

  /** Whether (row, score) would enter the heap: checked before the caller's (possibly costly) filter. */
  accepts(row: number, score: number): boolean {
    if (this.k <= 0) return false;
    return this.rows.length < this.k || better(row, score, this.rows[0] ?? 0, this.scores[0] ?? 0);
  }

  push(row: number, score: number): void {
    const { rows, scores } = this;
    if (rows.length < this.k) {
      rows.push(row);
      scores.push(score);
      let i = rows.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!better(rows[parent] ?? 0, scores[parent] ?? 0, row, score)) break;
        rows[i] = rows[parent] ?? 0;
        scores[i] = scores[parent] ?? 0;
        i = parent;
      }
      rows[i] = row;
      scores[i] = score;
      return;
    }
    // Replace the worst (the root) and sift down.
    let i = 0;
    const n = rows.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let worst = left;
      if (right < n && better(rows[left] ?? 0, scores[left] ?? 0, rows[right] ?? 0, scores[right] ?? 0)) worst = right;
      if (!better(row, score, rows[worst] ?? 0, scores[worst] ?? 0)) break;
      rows[i] = rows[worst] ?? 0;
      scores[i] = scores[worst] ?? 0;
      i = worst;
    }
    rows[i] = row;
    scores[i] = score;
  }

  sorted(): Bm25Hit[] {
    const hits = this.rows.map((row, i) => ({ row, score: this.scores[i] ?? 0 }));
    return hits.sort((a, b) => b.score - a.score || a.row - b.row);
  }
}

/** True when hit a ranks before hit b. */
function better(rowA: number, scoreA: number, rowB: number, scoreB: number): boolean {
  return scoreA > scoreB || (scoreA === scoreB && rowA < rowB);
}

function grow(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(length);
  grown.set(array);
  return grown;
}
