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

/** The parts an index is made of, as stored in a generation (see `toBytes`/`fromBytes`). */
interface Bm25Parts {
  terms: string[];
  offsets: Int32Array;
  rows: Int32Array;
  tfs: Uint16Array;
  lengths: Uint32Array;
}

const FORMAT_MAGIC = 0x35324d42; // "BM25", little-endian
const FORMAT_VERSION = 1;

export class Bm25Index {
  private readonly termIds: Map<string, number>;
  /** Postings of term t: rows[offsets[t] .. offsets[t+1]), with their term frequencies (row order is not relied on). */
  private readonly offsets: Int32Array;
  private readonly rows: Int32Array;
  private readonly tfs: Uint16Array;
  /** Indexed words per row (stop words excluded). */
  private readonly lengths: Uint32Array;
  /** K1 · (1 − B + B · length/average) per row: the length part of BM25's denominator. */
  private readonly lengthNorms: Float64Array;
  /** Per-query accumulator, reused: searches are synchronous, so they never overlap. */
  private readonly scores: Float64Array;
  private readonly touched: Int32Array;
  readonly size: number;

  /** `texts`, or a row count and a function giving one row's text at a time (so all texts never sit in memory at once). */
  constructor(texts: readonly string[] | { count: number; textOf: (row: number) => string } | { parts: Bm25Parts }) {
    let parts: Bm25Parts;
    if ('parts' in texts) parts = texts.parts;
    else {
      const count = 'count' in texts ? texts.count : texts.length;
      const textOf = 'count' in texts ? texts.textOf : (row: number) => texts[row] ?? '';
      parts = Bm25Index.derivedParts(null, count, () => -1, textOf);
    }
    this.termIds = new Map(parts.terms.map((term, id) => [term, id]));
    ({ offsets: this.offsets, rows: this.rows, tfs: this.tfs, lengths: this.lengths } = parts);
    const count = parts.lengths.length;
    this.size = count;
    let total = 0;
    for (let row = 0; row < count; row++) total += parts.lengths[row] ?? 0;
    const averageLength = count > 0 ? total / count : 0;
    this.lengthNorms = new Float64Array(count);
    for (let row = 0; row < count; row++) this.lengthNorms[row] = K1 * (1 - B + (B * (parts.lengths[row] ?? 0)) / (averageLength || 1));
    this.scores = new Float64Array(count);
    this.touched = new Int32Array(count);
  }

  /**
   * The index of a new generation from this one: row `row` reuses the postings of this index's row
   * `previousRow(row)` when that is ≥ 0 (same indexed text), and only the other rows are tokenised. Searches give
   * exactly what a fresh build over the same texts gives (term ids differ; terms no row holds any more stay in the
   * table with no postings, which is what `documentFrequency` and `vocabulary` report).
   */
  derive(count: number, previousRow: (row: number) => number, textOf: (row: number) => string): Bm25Index {
    return new Bm25Index({ parts: Bm25Index.derivedParts(this, count, previousRow, textOf) });
  }

  private static derivedParts(previous: Bm25Index | null, count: number, previousRow: (row: number) => number, textOf: (row: number) => string): Bm25Parts {
    const terms = previous ? [...previous.termIds.keys()] : [];
    const termIds = previous ? new Map(previous.termIds) : new Map<string, number>();
    const lengths = new Uint32Array(count);
    // Old row → new row, for the rows whose postings are reused.
    const newRowOf = new Int32Array(previous?.size ?? 0).fill(-1);
    // One lookup per word: folded word → term id, or -1 for stop words. Stemming dominates tokenising otherwise,
    // and a corpus repeats the same few thousand word forms.
    const wordIds = new Map<string, number>();
    // Pass 1: (termId, tf) pairs per tokenised row, appended to one growing buffer.
    let pairs = new Int32Array(1024);
    let pairCount = 0;
    const tokenised: number[] = [];
    const rowEnds: number[] = [];
    let df = new Int32Array(Math.max(1024, terms.length));
    let tf = new Int32Array(df.length);
    const present: number[] = [];
    for (let row = 0; row < count; row++) {
      const old = previous ? previousRow(row) : -1;
      if (previous && old >= 0 && old < previous.size) {
        newRowOf[old] = row;
        lengths[row] = previous.lengths[old] ?? 0;
        continue;
      }
      let length = 0;
      for (const word of words(textOf(row))) {
        let id = wordIds.get(word);
        if (id === undefined) {
          if (STOP_WORDS.has(word)) id = -1;
          else {
            const term = termOf(word);
            id = termIds.get(term);
            if (id === undefined) {
              id = terms.length;
              terms.push(term);
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
      tokenised.push(row);
      rowEnds.push(pairCount);
      lengths[row] = length;
    }
    // Reused postings count towards their term's document frequency.
    if (previous) {
      for (let t = 0; t < previous.offsets.length - 1; t++) {
        const end = previous.offsets[t + 1] ?? 0;
        let kept = 0;
        for (let p = previous.offsets[t] ?? 0; p < end; p++) if ((newRowOf[previous.rows[p] ?? 0] ?? -1) >= 0) kept++;
        df[t] = (df[t] ?? 0) + kept;
      }
    }
    // Pass 2: counting sort by term; reused postings first, then the tokenised rows in row order.
    const termCount = terms.length;
    const offsets = new Int32Array(termCount + 1);
    for (let t = 0; t < termCount; t++) offsets[t + 1] = (offsets[t] ?? 0) + (df[t] ?? 0);
    const postings = offsets[termCount] ?? 0;
    const rows = new Int32Array(postings);
    const tfs = new Uint16Array(postings);
    const fill = offsets.slice(0, termCount);
    if (previous) {
      for (let t = 0; t < previous.offsets.length - 1; t++) {
        const end = previous.offsets[t + 1] ?? 0;
        for (let p = previous.offsets[t] ?? 0; p < end; p++) {
          const row = newRowOf[previous.rows[p] ?? 0] ?? -1;
          if (row < 0) continue;
          const at = fill[t] ?? 0;
          fill[t] = at + 1;
          rows[at] = row;
          tfs[at] = previous.tfs[p] ?? 0;
        }
      }
    }
    let start = 0;
    tokenised.forEach((row, i) => {
      const end = rowEnds[i] ?? start;
      for (let p = start; p < end; p += 2) {
        const id = pairs[p] ?? 0;
        const at = fill[id] ?? 0;
        fill[id] = at + 1;
        rows[at] = row;
        tfs[at] = Math.min(0xffff, pairs[p + 1] ?? 0);
      }
      start = end;
    });
    return { terms, offsets, rows, tfs, lengths };
  }

  /**
   * Compact binary form, stored in a generation so loading is reading rather than tokenising every chunk:
   * a header (magic, version, rows, terms, postings, vocabulary bytes), the term table as newline-separated
   * UTF-8, then offsets, rows, lengths (32-bit) and term frequencies (16-bit), all little-endian.
   */
  toBytes(): Uint8Array {
    const vocabulary = Buffer.from([...this.termIds.keys()].join('\n'), 'utf8');
    const header = 6 * 4;
    const vocabularyPadded = Math.ceil(vocabulary.byteLength / 4) * 4;
    const total = header + vocabularyPadded + 4 * (this.offsets.length + this.rows.length + this.lengths.length) + 2 * this.tfs.length;
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    [FORMAT_MAGIC, FORMAT_VERSION, this.size, this.termIds.size, this.rows.length, vocabulary.byteLength].forEach((value, i) => view.setUint32(i * 4, value, true));
    out.set(vocabulary, header);
    let at = header + vocabularyPadded;
    for (const array of [this.offsets, this.rows, this.lengths, this.tfs]) {
      out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
      at += array.byteLength;
    }
    return out;
  }

  /** Reads `toBytes`' output; throws a plain Error naming what is wrong when the bytes are not a valid index. */
  static fromBytes(bytes: Uint8Array): Bm25Index {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const header = 6 * 4;
    if (bytes.byteLength < header || view.getUint32(0, true) !== FORMAT_MAGIC) throw new Error('not a BM25 index');
    const [version = 0, count = 0, termCount = 0, postings = 0, vocabularyBytes = 0] = [1, 2, 3, 4, 5].map((i) => view.getUint32(i * 4, true));
    if (version !== FORMAT_VERSION) throw new Error(`BM25 index format ${version} is not ${FORMAT_VERSION}`);
    const vocabularyPadded = Math.ceil(vocabularyBytes / 4) * 4;
    const expected = header + vocabularyPadded + 4 * (termCount + 1 + postings + count) + 2 * postings;
    if (bytes.byteLength !== expected) throw new Error(`BM25 index has ${bytes.byteLength} bytes, its header implies ${expected}`);
    const vocabulary = Buffer.from(bytes.buffer, bytes.byteOffset + header, vocabularyBytes).toString('utf8');
    const terms = termCount === 0 ? [] : vocabulary.split('\n');
    if (terms.length !== termCount) throw new Error(`BM25 index lists ${terms.length} terms, its header says ${termCount}`);
    let at = bytes.byteOffset + header + vocabularyPadded;
    // Copied out (not views): the file's buffer need not be aligned, and it can be released once read.
    const take = <T>(make: (buffer: ArrayBuffer) => T, length: number, width: number): T => {
      const copy = bytes.buffer.slice(at, at + length * width) as ArrayBuffer;
      at += length * width;
      return make(copy);
    };
    const offsets = take((b) => new Int32Array(b), termCount + 1, 4);
    const rows = take((b) => new Int32Array(b), postings, 4);
    const lengths = take((b) => new Uint32Array(b), count, 4);
    const tfs = take((b) => new Uint16Array(b), postings, 2);
    if (offsets[0] !== 0 || offsets[termCount] !== postings) throw new Error('BM25 index offsets are inconsistent');
    for (let t = 0; t < termCount; t++) if ((offsets[t + 1] ?? 0) < (offsets[t] ?? 0)) throw new Error('BM25 index offsets are inconsistent');
    for (let p = 0; p < postings; p++) if ((rows[p] ?? -1) < 0 || (rows[p] ?? count) >= count) throw new Error('BM25 index row out of range');
    return new Bm25Index({ parts: { terms, offsets, rows, tfs, lengths } });
  }

  /** Inverse document frequency; terms absent from the corpus get the maximum (they are maximally specific). */
  idf(term: string): number {
    return bm25Idf(this.size, this.documentFrequency(term));
  }

  /** The indexed vocabulary (stemmed terms some row holds). */
  *vocabulary(): IterableIterator<string> {
    for (const [term, id] of this.termIds) if ((this.offsets[id + 1] ?? 0) > (this.offsets[id] ?? 0)) yield term;
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
