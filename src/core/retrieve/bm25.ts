// Okapi BM25 over our own postings: names, numbers and rare words ("THAAD", "1965") are exactly what dense
// vectors blur, and a small inverted index is faster than a general search library at this size.
// Postings live in flat typed arrays (CSR layout): at 100k chunks, arrays of JS numbers and a Map of scores
// per query cost hundreds of megabytes and tens of milliseconds.
// They are cut like a generation's docstore: one part per segment (rows local to the part) over one append-only
// term table shared by every part and by the indexes derived from one another, so term ids are stable and a
// re-index reuses the parts of the segments it did not change as they are: its cost follows what it rewrites.
import { runPaced, runSync, type Pacer } from '../pacer.js';
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

const LEGACY_MAGIC = 0x35324d42; // "BM25", little-endian: the whole-index form (`toBytes`)
const LEGACY_VERSION = 1;
const PART_MAGIC = 0x53324d42; // "BM2S", little-endian: one part (`Bm25Part.toBytes`)
const PART_VERSION = 1;
const MAX_TF = 0xffff;

type Texts = readonly string[] | { count: number; textOf: (row: number) => string };

/**
 * The term table: term → id, ids being positions in `terms`. Append-only, so the ids a part stores stay valid in
 * every index derived from its own; an index sees only its first `termCount` terms. Shared between an index and
 * the ones derived from it; a derivation from an index whose table has since grown past it (a re-index that was
 * abandoned) works on a copy, so two lines of derivation never give one id two terms.
 */
export class Bm25TermTable {
  readonly ids: Map<string, number>;
  /** UTF-8 of the first `encodedCount` terms, one per line: the stored form, kept so a write appends to it. */
  private encoded: Uint8Array;
  private encodedCount: number;

  constructor(readonly terms: string[], encoded?: Uint8Array) {
    this.ids = new Map(terms.map((term, id) => [term, id]));
    this.encoded = encoded ?? new Uint8Array(0);
    this.encodedCount = encoded ? terms.length : 0;
  }

  /** Reads `bytes(count)`' output; throws a plain Error when a term is listed twice. */
  static fromBytes(bytes: Uint8Array): Bm25TermTable {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    const table = new Bm25TermTable(text.length === 0 ? [] : text.split('\n'), bytes);
    if (table.ids.size !== table.terms.length) throw new Error('the BM25 term table lists a term twice');
    return table;
  }

  get count(): number {
    return this.terms.length;
  }

  fork(count: number): Bm25TermTable {
    return new Bm25TermTable(this.terms.slice(0, count));
  }

  add(term: string): number {
    const id = this.terms.length;
    this.terms.push(term);
    this.ids.set(term, id);
    return id;
  }

  /** The stored form of the first `count` terms: newline-separated UTF-8 (terms hold no whitespace). */
  bytes(count: number): Uint8Array {
    if (count === this.encodedCount) return this.encoded;
    if (count < this.encodedCount) return Buffer.from(this.terms.slice(0, count).join('\n'), 'utf8');
    const appended = Buffer.from((this.encodedCount > 0 ? '\n' : '') + this.terms.slice(this.encodedCount, count).join('\n'), 'utf8');
    this.encoded = Buffer.concat([this.encoded, appended]);
    this.encodedCount = count;
    return this.encoded;
  }
}

/**
 * The postings of one segment's rows: for each term id the segment holds (sorted ascending, global ids), its
 * postings — rows local to the segment, ascending, with their term frequencies — and each row's length.
 */
export class Bm25Part {
  constructor(
    readonly rows: number,
    /** Term ids present, strictly ascending. */
    readonly termIds: Int32Array,
    /** Postings of termIds[k]: postingRows[offsets[k] .. offsets[k+1]). */
    readonly offsets: Int32Array,
    readonly postingRows: Int32Array,
    readonly tfs: Uint16Array,
    /** Indexed words per row (stop words excluded). */
    readonly lengths: Uint32Array,
  ) {}

  /** Adds `sign` × this part's document frequencies into `df` (indexed by term id). */
  addFrequencies(df: Int32Array, sign: 1 | -1): void {
    const { termIds, offsets } = this;
    for (let k = 0; k < termIds.length; k++) {
      const id = termIds[k] ?? 0;
      df[id] = (df[id] ?? 0) + sign * ((offsets[k + 1] ?? 0) - (offsets[k] ?? 0));
    }
  }

  /**
   * Compact binary form (a segment's `.bm25` file): a header (magic, version, rows, terms, postings), then term
   * ids, offsets, posting rows and lengths (32-bit) and term frequencies (16-bit), all little-endian.
   */
  toBytes(): Uint8Array {
    const header = 5 * 4;
    const arrays = [this.termIds, this.offsets, this.postingRows, this.lengths, this.tfs];
    const out = new Uint8Array(header + arrays.reduce((sum, array) => sum + array.byteLength, 0));
    const view = new DataView(out.buffer);
    [PART_MAGIC, PART_VERSION, this.rows, this.termIds.length, this.postingRows.length].forEach((value, i) => view.setUint32(i * 4, value, true));
    let at = header;
    for (const array of arrays) {
      out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
      at += array.byteLength;
    }
    return out;
  }

  /** Reads `toBytes`' output; throws a plain Error naming what is wrong when the bytes are not a valid part over `termCount` terms. */
  static fromBytes(bytes: Uint8Array, termCount: number): Bm25Part {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const header = 5 * 4;
    if (bytes.byteLength < header || view.getUint32(0, true) !== PART_MAGIC) throw new Error('not BM25 postings');
    const [version = 0, rows = 0, terms = 0, postings = 0] = [1, 2, 3, 4].map((i) => view.getUint32(i * 4, true));
    if (version !== PART_VERSION) throw new Error(`BM25 postings format ${version} is not ${PART_VERSION}`);
    const expected = header + 4 * (terms + terms + 1 + postings + rows) + 2 * postings;
    if (bytes.byteLength !== expected) throw new Error(`BM25 postings have ${bytes.byteLength} bytes, their header implies ${expected}`);
    const take = copier(bytes, header);
    const termIds = take((b) => new Int32Array(b), terms, 4);
    const offsets = take((b) => new Int32Array(b), terms + 1, 4);
    const postingRows = take((b) => new Int32Array(b), postings, 4);
    const lengths = take((b) => new Uint32Array(b), rows, 4);
    const tfs = take((b) => new Uint16Array(b), postings, 2);
    let previous = -1;
    for (let k = 0; k < terms; k++) {
      const id = termIds[k] ?? -1;
      if (id <= previous || id >= termCount) throw new Error('BM25 postings name a term out of order or outside the term table');
      previous = id;
      if ((offsets[k + 1] ?? 0) < (offsets[k] ?? 0)) throw new Error('BM25 postings offsets are inconsistent');
    }
    if (offsets[0] !== 0 || offsets[terms] !== postings) throw new Error('BM25 postings offsets are inconsistent');
    for (let p = 0; p < postings; p++) if ((postingRows[p] ?? -1) < 0 || (postingRows[p] ?? rows) >= rows) throw new Error('BM25 postings row out of range');
    return new Bm25Part(rows, termIds, offsets, postingRows, tfs, lengths);
  }
}

/** Everything an index is made of; `df` is derived from the parts when absent. */
interface Assembled {
  table: Bm25TermTable;
  termCount: number;
  parts: readonly Bm25Part[];
  df?: Int32Array;
}

export class Bm25Index {
  private readonly table: Bm25TermTable;
  /** Terms of `table` this index sees (the table may have grown since, for an index derived from this one). */
  readonly termCount: number;
  /** One per segment, in row order. */
  readonly parts: readonly Bm25Part[];
  /** Row of each part's local row 0; the last entry is `size`. */
  private readonly firstRows: Int32Array;
  /** Document frequency per term id, summed over the parts. */
  private readonly df: Int32Array;
  /** Made at the first search: an index a re-index writes is often never searched in that process. */
  private searchState: SearchState | null = null;
  readonly size: number;

  /**
   * Built from `texts` (or a row count and a function giving one row's text at a time, so all texts never sit in
   * memory at once), as one part, or one part per segment of `segments` rows.
   */
  constructor(source: Texts | { segments: readonly number[]; textOf: (row: number) => string } | { assembled: Assembled }) {
    let assembled: Assembled;
    if ('assembled' in source) assembled = source.assembled;
    else {
      const textOf = 'textOf' in source ? source.textOf : (row: number) => source[row] ?? '';
      const segments = 'segments' in source ? source.segments : ['count' in source ? source.count : source.length];
      const rows = segments.reduce((sum, n) => sum + n, 0);
      const empty = new Bm25Index({ assembled: { table: new Bm25TermTable([]), termCount: 0, parts: [] } });
      assembled = runSync(empty.derivation(segments, new Int32Array(rows).fill(-1), textOf));
    }
    const { table, termCount, parts } = assembled;
    this.table = table;
    this.termCount = termCount;
    this.parts = parts;
    this.firstRows = new Int32Array(parts.length + 1);
    parts.forEach((part, i) => (this.firstRows[i + 1] = (this.firstRows[i] ?? 0) + part.rows));
    const count = this.firstRows[parts.length] ?? 0;
    this.size = count;
    if (assembled.df) this.df = assembled.df;
    else {
      this.df = new Int32Array(termCount);
      for (const part of parts) part.addFrequencies(this.df, 1);
    }
  }

  private prepareSearch(): SearchState {
    if (this.searchState) return this.searchState;
    const { parts, size, termCount } = this;
    let total = 0;
    for (const part of parts) for (let row = 0; row < part.rows; row++) total += part.lengths[row] ?? 0;
    const averageLength = size > 0 ? total / size : 0;
    const lengthNorms = new Float64Array(size);
    let row = 0;
    for (const part of parts) {
      for (let local = 0; local < part.rows; local++) lengthNorms[row++] = K1 * (1 - B + (B * (part.lengths[local] ?? 0)) / (averageLength || 1));
    }
    // Which parts hold each term, and where: a search then visits only those parts. Searching every part's term ids
    // cost a cache miss per step, and at 1M chunks (~250 parts) that was a third of a retrieval.
    const termPartStarts = new Int32Array(termCount + 1);
    for (const part of parts) for (const id of part.termIds) termPartStarts[id + 1] = (termPartStarts[id + 1] ?? 0) + 1;
    for (let id = 0; id < termCount; id++) termPartStarts[id + 1] = (termPartStarts[id + 1] ?? 0) + (termPartStarts[id] ?? 0);
    const entries = termPartStarts[termCount] ?? 0;
    const termParts = new Int32Array(entries);
    const termPartPositions = new Int32Array(entries);
    const fill = termPartStarts.slice(0, termCount);
    parts.forEach((part, p) => {
      part.termIds.forEach((id, k) => {
        const at = fill[id] ?? 0;
        fill[id] = at + 1;
        termParts[at] = p;
        termPartPositions[at] = k;
      });
    });
    this.searchState = { lengthNorms, scores: new Float64Array(size), touched: new Int32Array(size), termPartStarts, termParts, termPartPositions };
    return this.searchState;
  }

  /** An index over stored parts (`Bm25Part.fromBytes` over `table.count` terms) and term table (`Bm25TermTable.fromBytes` of `termBytes()`). */
  static fromStored(table: Bm25TermTable, parts: readonly Bm25Part[]): Bm25Index {
    return new Bm25Index({ assembled: { table, termCount: table.count, parts } });
  }

  /** The term table's stored form: one term per line, UTF-8, ids in order. */
  termBytes(): Uint8Array {
    return this.table.bytes(this.termCount);
  }

  /** True when `other` has exactly this index's term table (same terms, same ids): its stored form can be reused. */
  sameTerms(other: Bm25Index): boolean {
    return this.termCount === other.termCount && (this.table === other.table || this.table.terms.slice(0, this.termCount).every((term, id) => other.table.terms[id] === term));
  }

  /**
   * The index of a new generation from this one, one part per segment of `segments` rows: row `row` reuses the
   * postings of this index's row `previousRows[row]` when that is ≥ 0 (same indexed text), and only the other rows
   * are tokenised. A segment whose rows are exactly one of this index's parts, in order, shares that part; the
   * others are assembled from the previous parts' postings (a pass over only the parts that hold their rows) and
   * the tokenised rows. Term ids stay; new terms are appended; terms no row holds any more stay in the table with no
   * postings (which is what `documentFrequency` and `vocabulary` report). Searches give exactly what a fresh build
   * over the same texts gives.
   */
  derive(segments: readonly number[], previousRows: Int32Array, textOf: (row: number) => string): Bm25Index {
    return new Bm25Index({ assembled: runSync(this.derivation(segments, previousRows, textOf)) });
  }

  /** derive in slices (a re-index on the bot's event loop): the loop gets a turn between tokenised rows. */
  async derivePaced(segments: readonly number[], previousRows: Int32Array, textOf: (row: number) => string, pacer: Pacer): Promise<Bm25Index> {
    return new Bm25Index({ assembled: await runPaced(this.derivation(segments, previousRows, textOf), pacer) });
  }

  /** The constructor's build from texts, in slices. */
  static async buildPaced(source: { segments: readonly number[]; textOf: (row: number) => string }, pacer: Pacer): Promise<Bm25Index> {
    const rows = source.segments.reduce((sum, n) => sum + n, 0);
    const empty = new Bm25Index({ assembled: { table: new Bm25TermTable([]), termCount: 0, parts: [] } });
    return new Bm25Index({ assembled: await runPaced(empty.derivation(source.segments, new Int32Array(rows).fill(-1), source.textOf), pacer) });
  }

  /** The derivation as steps: it yields after each tokenised row and each segment, where slicing may pause it. */
  private *derivation(segments: readonly number[], previousRows: Int32Array, textOf: (row: number) => string): Generator<void, Assembled> {
    const table = this.table.terms.length === this.termCount ? this.table : this.table.fork(this.termCount);
    const previous = this.parts;
    const partOf = partFinder(this.firstRows);
    const size = this.size;
    const reusable = (row: number) => {
      const old = previousRows[row] ?? -1;
      return old < size ? old : -1;
    };
    // Which previous part each segment shares, if any.
    const shared = new Int32Array(segments.length).fill(-1);
    const taken = new Uint8Array(previous.length);
    const firstOf = new Int32Array(segments.length + 1);
    segments.forEach((rows, s) => {
      const first = firstOf[s] ?? 0;
      firstOf[s + 1] = first + rows;
      const start = rows > 0 ? reusable(first) : -1;
      if (start < 0) return;
      const p = partOf(start);
      if (taken[p] || this.firstRows[p] !== start || previous[p]?.rows !== rows) return;
      // Inlined (this runs over every row of the new generation).
      for (let r = 1; r < rows; r++) if (previousRows[first + r] !== start + r) return;
      shared[s] = p;
      taken[p] = 1;
    });
    if ((firstOf[segments.length] ?? 0) !== previousRows.length) throw new Error('internal: segment rows and previous rows disagree');
    // The last segment needing rows of each previous part, so its row-major copy is dropped after it; and the one
    // previous part a segment's kept rows all come from, in their order (-1: none, -2: several, or reordered).
    const lastUse = new Int32Array(previous.length).fill(-1);
    const onlySource = new Int32Array(segments.length).fill(-1);
    segments.forEach((rows, s) => {
      if (shared[s]! >= 0) return;
      let lastOld = -1;
      for (let row = firstOf[s] ?? 0, end = row + rows; row < end; row++) {
        const old = reusable(row);
        if (old < 0) continue;
        const p = partOf(old);
        lastUse[p] = s;
        if (onlySource[s] === -1 || (onlySource[s] === p && old > lastOld)) onlySource[s] = p;
        else onlySource[s] = -2;
        lastOld = old;
      }
    });
    const byRow = new Map<number, RowMajor>();
    const postingsPerRow = this.size > 0 ? (1.1 * previous.reduce((sum, part) => sum + part.postingRows.length, 0)) / this.size : 64;
    const tokenizer = new Tokenizer(table);
    const counts = new Scratch();
    const parts: Bm25Part[] = [];
    const built: Bm25Part[] = [];
    for (let s = 0; s < segments.length; s++) {
      const rows = segments[s]!;
      const sharedPart = shared[s]! >= 0 ? previous[shared[s]!] : undefined;
      if (sharedPart) {
        parts.push(sharedPart);
        continue;
      }
      yield;
      const only = onlySource[s]!;
      if (only >= 0) {
        // The usual case (a document changed in a segment, or documents appended to the tail): the kept rows are
        // one previous part's, in order, so its postings are filtered term by term, without regrouping them.
        const part = yield* keptFromOne(previous[only]!, this.firstRows[only] ?? 0, rows, firstOf[s] ?? 0, reusable, tokenizer, textOf, counts, table);
        parts.push(part);
        built.push(part);
        continue;
      }
      const builder = new PartBuilder(rows, rows * postingsPerRow);
      for (let local = 0, row = firstOf[s] ?? 0; local < rows; local++, row++) {
        const old = reusable(row);
        if (old < 0) {
          builder.endRow(tokenizer.pairs(textOf(row), builder.pairs));
          yield;
          continue;
        }
        const p = partOf(old);
        let source = byRow.get(p);
        if (!source) byRow.set(p, (source = new RowMajor(previous[p]!)));
        builder.endRow(source.copyRow(old - (this.firstRows[p] ?? 0), builder.pairs));
      }
      const part = builder.finish(counts.zeros(table.terms.length));
      parts.push(part);
      built.push(part);
      for (const p of [...byRow.keys()]) if (lastUse[p] === s) byRow.delete(p);
    }
    // Document frequencies: the previous ones, less the parts no segment shares, plus the new parts.
    const df = new Int32Array(table.terms.length);
    df.set(this.df.subarray(0, Math.min(this.df.length, df.length)));
    previous.forEach((part, p) => {
      if (!taken[p]) part.addFrequencies(df, -1);
    });
    for (const part of built) part.addFrequencies(df, 1);
    return { table, termCount: table.terms.length, parts, df };
  }

  /**
   * The whole index in one file, as format-2 generations stored it (`bm25.bin`): a header (magic, version, rows,
   * terms, postings, vocabulary bytes), the term table as newline-separated UTF-8, then offsets, rows, lengths
   * (32-bit) and term frequencies (16-bit), all little-endian.
   */
  toBytes(): Uint8Array {
    const vocabulary = this.termBytes();
    const termCount = this.termCount;
    const offsets = new Int32Array(termCount + 1);
    for (let t = 0; t < termCount; t++) offsets[t + 1] = (offsets[t] ?? 0) + (this.df[t] ?? 0);
    const postings = offsets[termCount] ?? 0;
    const rows = new Int32Array(postings);
    const tfs = new Uint16Array(postings);
    const lengths = new Uint32Array(this.size);
    const fill = offsets.slice(0, termCount);
    this.parts.forEach((part, p) => {
      const first = this.firstRows[p] ?? 0;
      lengths.set(part.lengths, first);
      for (let k = 0; k < part.termIds.length; k++) {
        const id = part.termIds[k] ?? 0;
        for (let q = part.offsets[k] ?? 0, end = part.offsets[k + 1] ?? 0; q < end; q++) {
          const at = fill[id] ?? 0;
          fill[id] = at + 1;
          rows[at] = first + (part.postingRows[q] ?? 0);
          tfs[at] = part.tfs[q] ?? 0;
        }
      }
    });
    const header = 6 * 4;
    const vocabularyPadded = Math.ceil(vocabulary.byteLength / 4) * 4;
    const out = new Uint8Array(header + vocabularyPadded + 4 * (offsets.length + rows.length + lengths.length) + 2 * tfs.length);
    const view = new DataView(out.buffer);
    [LEGACY_MAGIC, LEGACY_VERSION, this.size, termCount, postings, vocabulary.byteLength].forEach((value, i) => view.setUint32(i * 4, value, true));
    out.set(vocabulary, header);
    let at = header + vocabularyPadded;
    for (const array of [offsets, rows, lengths, tfs]) {
      out.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
      at += array.byteLength;
    }
    return out;
  }

  /**
   * Reads `toBytes`' output (a format-2 generation's `bm25.bin`) as an index of one part; throws a plain Error
   * naming what is wrong when the bytes are not a valid index.
   */
  static fromBytes(bytes: Uint8Array): Bm25Index {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const header = 6 * 4;
    if (bytes.byteLength < header || view.getUint32(0, true) !== LEGACY_MAGIC) throw new Error('not a BM25 index');
    const [version = 0, count = 0, termCount = 0, postings = 0, vocabularyBytes = 0] = [1, 2, 3, 4, 5].map((i) => view.getUint32(i * 4, true));
    if (version !== LEGACY_VERSION) throw new Error(`BM25 index format ${version} is not ${LEGACY_VERSION}`);
    const vocabularyPadded = Math.ceil(vocabularyBytes / 4) * 4;
    const expected = header + vocabularyPadded + 4 * (termCount + 1 + postings + count) + 2 * postings;
    if (bytes.byteLength !== expected) throw new Error(`BM25 index has ${bytes.byteLength} bytes, its header implies ${expected}`);
    const table = Bm25TermTable.fromBytes(new Uint8Array(bytes.subarray(header, header + vocabularyBytes))); // a copy: the table keeps it
    if (table.terms.length !== termCount) throw new Error(`BM25 index lists ${table.terms.length} terms, its header says ${termCount}`);
    const take = copier(bytes, header + vocabularyPadded);
    const offsets = take((b) => new Int32Array(b), termCount + 1, 4);
    const rows = take((b) => new Int32Array(b), postings, 4);
    const lengths = take((b) => new Uint32Array(b), count, 4);
    const tfs = take((b) => new Uint16Array(b), postings, 2);
    if (offsets[0] !== 0 || offsets[termCount] !== postings) throw new Error('BM25 index offsets are inconsistent');
    for (let t = 0; t < termCount; t++) if ((offsets[t + 1] ?? 0) < (offsets[t] ?? 0)) throw new Error('BM25 index offsets are inconsistent');
    for (let p = 0; p < postings; p++) if ((rows[p] ?? -1) < 0 || (rows[p] ?? count) >= count) throw new Error('BM25 index row out of range');
    // One part: the terms that have postings (their ids ascending), rows as stored.
    let present = 0;
    for (let t = 0; t < termCount; t++) if ((offsets[t + 1] ?? 0) > (offsets[t] ?? 0)) present++;
    const termIds = new Int32Array(present);
    const partOffsets = new Int32Array(present + 1);
    present = 0;
    for (let t = 0; t < termCount; t++) {
      if ((offsets[t + 1] ?? 0) === (offsets[t] ?? 0)) continue;
      termIds[present] = t;
      partOffsets[++present] = offsets[t + 1] ?? 0;
    }
    return new Bm25Index({ assembled: { table, termCount, parts: [new Bm25Part(count, termIds, partOffsets, rows, tfs, lengths)] } });
  }

  /** Inverse document frequency; terms absent from the corpus get the maximum (they are maximally specific). */
  idf(term: string): number {
    return bm25Idf(this.size, this.documentFrequency(term));
  }

  /** The indexed vocabulary (stemmed terms some row holds). */
  *vocabulary(): IterableIterator<string> {
    const { df, table } = this;
    for (let id = 0; id < this.termCount; id++) if ((df[id] ?? 0) > 0) yield table.terms[id]!;
  }

  documentFrequency(term: string): number {
    const id = this.idOf(term);
    return id < 0 ? 0 : (this.df[id] ?? 0);
  }

  private idOf(term: string): number {
    const id = this.table.ids.get(term);
    return id !== undefined && id < this.termCount ? id : -1;
  }

  search(terms: readonly string[], limit: number, accept?: (row: number) => boolean): Bm25Hit[] {
    const { scores, touched, lengthNorms, termPartStarts, termParts, termPartPositions } = this.prepareSearch();
    const { parts, firstRows } = this;
    let touchedCount = 0;
    for (const term of new Set(terms)) {
      const id = this.idOf(term);
      if (id < 0) continue;
      const idf = bm25Idf(this.size, this.df[id] ?? 0);
      // The parts holding the term, in part order (so scores add up in the same order as a single index's).
      for (let e = termPartStarts[id] ?? 0, entriesEnd = termPartStarts[id + 1] ?? 0; e < entriesEnd; e++) {
        const p = termParts[e] ?? 0;
        const part = parts[p]!;
        const k = termPartPositions[e] ?? 0;
        const first = firstRows[p] ?? 0;
        const { postingRows, tfs } = part;
        const end = part.offsets[k + 1] ?? 0;
        for (let q = part.offsets[k] ?? 0; q < end; q++) {
          const row = first + (postingRows[q] ?? 0);
          const tf = tfs[q] ?? 0;
          const previous = scores[row] ?? 0;
          if (previous === 0) touched[touchedCount++] = row;
          scores[row] = previous + (idf * tf * (K1 + 1)) / (tf + (lengthNorms[row] ?? 0));
        }
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

/**
 * Which part holds a row: the last part whose first row is ≤ it (so not an empty part), by binary search over the
 * parts' first rows; the part found last is checked first, as rows come in runs.
 */
function partFinder(firstRows: Int32Array): (row: number) => number {
  let last = 0;
  return (row) => {
    if (row >= (firstRows[last] ?? 0) && row < (firstRows[last + 1] ?? 0)) return last;
    let low = 0;
    let high = firstRows.length - 2;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if ((firstRows[mid] ?? 0) <= row) low = mid;
      else high = mid - 1;
    }
    last = low;
    return low;
  };
}

/** A growable buffer of (term id, tf) pairs. */
class Pairs {
  data: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(1024, capacity));
  }

  reserve(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    this.data = grow(this.data, Math.max(this.data.length * 2, this.length + extra));
  }
}

/** Folds and stems a row's words into (term id, tf) pairs, adding new terms to the table. */
class Tokenizer {
  /** Folded word → term id, or -1 for stop words: stemming dominates tokenising otherwise, and a corpus repeats the same few thousand word forms. */
  private readonly wordIds = new Map<string, number>();
  private tf = new Int32Array(1024);
  private readonly present: number[] = [];

  constructor(private readonly table: Bm25TermTable) {}

  /** Appends the row's pairs to `out` (ids in first-occurrence order) and returns the row's length. */
  pairs(text: string, out: Pairs): number {
    const { present, table } = this;
    let length = 0;
    for (const word of words(text)) {
      let id = this.wordIds.get(word);
      if (id === undefined) {
        if (STOP_WORDS.has(word)) id = -1;
        else {
          const term = termOf(word);
          id = table.ids.get(term) ?? table.add(term);
          if (id >= this.tf.length) this.tf = grow(this.tf, Math.max(this.tf.length * 2, id + 1));
        }
        this.wordIds.set(word, id);
      }
      if (id < 0) continue;
      if (this.tf[id] === 0) present.push(id);
      this.tf[id] = (this.tf[id] ?? 0) + 1;
      length += 1;
    }
    out.reserve(2 * present.length);
    for (const id of present) {
      out.data[out.length++] = id;
      out.data[out.length++] = Math.min(MAX_TF, this.tf[id] ?? 0);
      this.tf[id] = 0;
    }
    present.length = 0;
    return length;
  }
}

/** A previous part's postings by row (what building a new part from some of its rows needs). */
class RowMajor {
  private readonly starts: Int32Array;
  private readonly pairs: Int32Array;

  constructor(private readonly part: Bm25Part) {
    const { rows, termIds, offsets, postingRows, tfs } = part;
    this.starts = new Int32Array(rows + 1);
    for (let q = 0; q < postingRows.length; q++) this.starts[(postingRows[q] ?? 0) + 1]! += 1;
    for (let r = 0; r < rows; r++) this.starts[r + 1]! += this.starts[r] ?? 0;
    const fill = this.starts.slice(0, rows);
    this.pairs = new Int32Array(2 * postingRows.length);
    for (let k = 0; k < termIds.length; k++) {
      const id = termIds[k] ?? 0;
      for (let q = offsets[k] ?? 0, end = offsets[k + 1] ?? 0; q < end; q++) {
        const row = postingRows[q] ?? 0;
        const at = fill[row] ?? 0;
        fill[row] = at + 1;
        this.pairs[2 * at] = id;
        this.pairs[2 * at + 1] = tfs[q] ?? 0;
      }
    }
  }

  /** Appends local row `row`'s pairs to `out` and returns its length. */
  copyRow(row: number, out: Pairs): number {
    const from = 2 * (this.starts[row] ?? 0);
    const to = 2 * (this.starts[row + 1] ?? 0);
    out.reserve(to - from);
    out.data.set(this.pairs.subarray(from, to), out.length);
    out.length += to - from;
    return this.part.lengths[row] ?? 0;
  }
}

/** A zero-filled counter per term id, reused from part to part (each part leaves it zeroed). */
class Scratch {
  private counts = new Int32Array(1024);

  zeros(termCount: number): Int32Array {
    if (termCount > this.counts.length) this.counts = new Int32Array(Math.max(termCount, this.counts.length * 2));
    return this.counts;
  }
}

/**
 * A new part whose kept rows all come from `previous` (first row `previousFirst`), in the same order, the other
 * rows tokenised: two passes over the previous part's postings (count, then copy), the tokenised rows' postings
 * merged in by row. Gives what `PartBuilder` gives (rows ascending within each term).
 */
function* keptFromOne(
  previous: Bm25Part,
  previousFirst: number,
  rows: number,
  first: number,
  reusable: (row: number) => number,
  tokenizer: Tokenizer,
  textOf: (row: number) => string,
  scratch: Scratch,
  table: Bm25TermTable,
): Generator<void, Bm25Part> {
  const newRowOf = new Int32Array(previous.rows).fill(-1);
  const lengths = new Uint32Array(rows);
  const fresh = new Pairs(0);
  const freshRowOf: number[] = [];
  for (let local = 0; local < rows; local++) {
    const old = reusable(first + local);
    if (old >= 0) {
      newRowOf[old - previousFirst] = local;
      lengths[local] = previous.lengths[old - previousFirst] ?? 0;
      continue;
    }
    const before = fresh.length;
    lengths[local] = tokenizer.pairs(textOf(first + local), fresh);
    for (let p = before; p < fresh.length; p += 2) freshRowOf.push(local);
    yield;
  }
  // The tokenised rows' postings grouped by term (ids ascending), rows ascending within each.
  const grouped = groupByTerm(fresh, (pair) => freshRowOf[pair] ?? 0, scratch.zeros(table.terms.length));
  const { termIds: freshIds, offsets: freshOffsets, postingRows: freshRows, tfs: freshTfs } = grouped;
  const freshPostings = freshRows.length;
  // Pass 1 over the previous postings: how many of each term's stay.
  const { termIds: oldIds, offsets: oldOffsets, postingRows: oldRows, tfs: oldTfs } = previous;
  const keptCount = new Int32Array(oldIds.length);
  let keptPostings = 0;
  for (let k = 0; k < oldIds.length; k++) {
    let kept = 0;
    for (let q = oldOffsets[k] ?? 0, end = oldOffsets[k + 1] ?? 0; q < end; q++) if ((newRowOf[oldRows[q] ?? 0] ?? -1) >= 0) kept++;
    keptCount[k] = kept;
    keptPostings += kept;
  }
  // Pass 2: both sorted term lists merged; within a term both row lists are ascending, so they are merged too.
  const termIds = new Int32Array(oldIds.length + freshIds.length);
  const offsets = new Int32Array(termIds.length + 1);
  const postingRows = new Int32Array(keptPostings + freshPostings);
  const tfs = new Uint16Array(postingRows.length);
  let terms = 0;
  let at = 0;
  let a = 0;
  let b = 0;
  while (a < oldIds.length || b < freshIds.length) {
    const oldId = a < oldIds.length ? (oldIds[a] ?? 0) : Infinity;
    const freshId = b < freshIds.length ? (freshIds[b] ?? 0) : Infinity;
    const id = Math.min(oldId, freshId);
    let q = 0;
    let qEnd = 0;
    if (oldId === id) {
      if ((keptCount[a] ?? 0) > 0) {
        q = oldOffsets[a] ?? 0;
        qEnd = oldOffsets[a + 1] ?? 0;
      }
      a++;
    }
    let f = 0;
    let fEnd = 0;
    if (freshId === id) {
      f = freshOffsets[b] ?? 0;
      fEnd = freshOffsets[b + 1] ?? 0;
      b++;
    }
    if (q === qEnd && f === fEnd) continue;
    let keptRow = -1;
    for (;;) {
      while (keptRow < 0 && q < qEnd) {
        keptRow = newRowOf[oldRows[q] ?? 0] ?? -1;
        if (keptRow < 0) q++;
      }
      if (keptRow >= 0 && (f >= fEnd || keptRow < (freshRows[f] ?? 0))) {
        postingRows[at] = keptRow;
        tfs[at++] = oldTfs[q++] ?? 0;
        keptRow = -1;
      } else if (f < fEnd) {
        postingRows[at] = freshRows[f] ?? 0;
        tfs[at++] = freshTfs[f++] ?? 0;
      } else break;
    }
    termIds[terms++] = id;
    offsets[terms] = at;
  }
  return new Bm25Part(rows, termIds.slice(0, terms), offsets.slice(0, terms + 1), postingRows, tfs, lengths);
}

/** One new part, row by row; `finish` sorts the pairs into postings (rows ascending within each term). */
class PartBuilder {
  readonly pairs: Pairs;
  private readonly rowEnds: Int32Array;
  private readonly lengths: Uint32Array;
  private row = 0;

  /** `expectedPostings`: a guess, so the pair buffer rarely grows (each growth copies it). */
  constructor(private readonly rows: number, expectedPostings: number) {
    this.pairs = new Pairs(2 * Math.ceil(expectedPostings));
    this.rowEnds = new Int32Array(rows);
    this.lengths = new Uint32Array(rows);
  }

  endRow(length: number): void {
    this.lengths[this.row] = length;
    this.rowEnds[this.row] = this.pairs.length;
    this.row++;
  }

  /** `counts`: zeros over every term id; left zeroed. */
  finish(counts: Int32Array): Bm25Part {
    const { rowEnds } = this;
    // Pairs are visited in order, so the row of each follows from the rows' ends with one cursor.
    let row = 0;
    const rowOf = (pair: number) => {
      while (row < this.rows && (rowEnds[row] ?? 0) <= 2 * pair) row++;
      return row;
    };
    const { termIds, offsets, postingRows, tfs } = groupByTerm(this.pairs, rowOf, counts);
    return new Bm25Part(this.rows, termIds, offsets, postingRows, tfs, this.lengths);
  }
}

/**
 * Counting sort of (term id, tf) pairs into postings grouped by term, term ids ascending; within a term the pairs
 * keep their order (rows ascending when the pairs come in row order). `rowOf` is called once per pair, in order.
 * `counts`: zeros over every term id; left zeroed.
 */
function groupByTerm(pairs: Pairs, rowOf: (pair: number) => number, counts: Int32Array): { termIds: Int32Array; offsets: Int32Array; postingRows: Int32Array; tfs: Uint16Array } {
  const { data } = pairs;
  const postings = pairs.length / 2;
  const present: number[] = [];
  for (let i = 0; i < postings; i++) {
    const id = data[2 * i] ?? 0;
    if (counts[id] === 0) present.push(id);
    counts[id] = (counts[id] ?? 0) + 1;
  }
  const termIds = Int32Array.from(present).sort();
  const offsets = new Int32Array(termIds.length + 1);
  for (let k = 0; k < termIds.length; k++) {
    const id = termIds[k] ?? 0;
    offsets[k + 1] = (offsets[k] ?? 0) + (counts[id] ?? 0);
    counts[id] = offsets[k] ?? 0; // from here on: where the term's next posting goes
  }
  const postingRows = new Int32Array(postings);
  const tfs = new Uint16Array(postings);
  for (let i = 0; i < postings; i++) {
    const id = data[2 * i] ?? 0;
    const at = counts[id] ?? 0;
    counts[id] = at + 1;
    postingRows[at] = rowOf(i);
    tfs[at] = data[2 * i + 1] ?? 0;
  }
  for (let k = 0; k < termIds.length; k++) counts[termIds[k] ?? 0] = 0;
  return { termIds, offsets, postingRows, tfs };
}

/** Copies typed arrays out of `bytes` from `at` on (copies, not views: the file's buffer need not be aligned, and it can be released once read). */
function copier(bytes: Uint8Array, at: number): <T>(make: (buffer: ArrayBuffer) => T, length: number, width: number) => T {
  let offset = bytes.byteOffset + at;
  return (make, length, width) => {
    const copy = bytes.buffer.slice(offset, offset + length * width) as ArrayBuffer;
    offset += length * width;
    return make(copy);
  };
}

/** What a search needs beyond the postings, made at the first search. */
interface SearchState {
  /** K1 · (1 − B + B · length/average) per row: the length part of BM25's denominator. */
  lengthNorms: Float64Array;
  /** The per-query accumulator, reused (searches are synchronous, so they never overlap). */
  scores: Float64Array;
  touched: Int32Array;
  /** Term t is in parts termParts[termPartStarts[t] .. termPartStarts[t+1]), at position termPartPositions[…] of each. */
  termPartStarts: Int32Array;
  termParts: Int32Array;
  termPartPositions: Int32Array;
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
