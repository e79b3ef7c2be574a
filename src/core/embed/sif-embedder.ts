// Offline sentence embeddings: smooth-inverse-frequency weighted average of GloVe word vectors
// (Arora et al., "A simple but tough-to-beat baseline for sentence embeddings"). Word probabilities come from
// the vectors' frequency rank via Zipf's law, so nothing beyond the shipped vectors is needed.
import { Embeddings } from '@langchain/core/embeddings';
import type { Embedder } from '../types.js';
import { words } from '../text/tokens.js';
import type { WordVectors } from './word-vectors.js';

const SIF_A = 1e-3;
/** Words used to estimate the common discourse direction (the most frequent ones dominate it). */
const COMMON_COMPONENT_WORDS = 20_000;

// Computing the common component takes a few hundred milliseconds; it depends only on the vectors.
const commonComponents = new WeakMap<WordVectors, Float32Array>();

export class SifEmbedder extends Embeddings implements Embedder {
  readonly id: string;
  readonly dimension: number;
  private readonly logHarmonic: number;
  /** Unit vector shared by almost all sentences; removing it makes cosine similarities discriminative. */
  readonly commonComponent: Float32Array;

  /** `commonComponent`: a previously computed one for these vectors (see `commonComponent`), to skip computing it. */
  constructor(
    private readonly vectors: WordVectors,
    options: { commonComponent?: Float32Array } = {},
  ) {
    super({});
    this.dimension = vectors.dimension;
    this.id = `local:glove${vectors.dimension}-sif-pc1:v2`;
    // Zipf: p(rank r) ≈ 1 / (r · H_V), with H_V ≈ ln(V) + 0.5772.
    this.logHarmonic = Math.log(vectors.count) + 0.5772;
    let common = commonComponents.get(vectors) ?? (options.commonComponent?.length === vectors.dimension ? options.commonComponent : undefined);
    if (!common) {
      common = commonComponentOf(vectors, (row) => this.weight(row));
    }
    commonComponents.set(vectors, common);
    this.commonComponent = common;
  }

  private weight(row: number): number {
    const probability = 1 / ((row + 1) * this.logHarmonic);
    return SIF_A / (SIF_A + probability);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => Array.from(this.embed(text)));
  }

  async embedQuery(text: string): Promise<number[]> {
    return Array.from(this.embed(text));
  }

  /** Synchronous form (indexing, queries); unit length, or all zeros for text with no words. */
  embed(text: string): Float32Array {
    return this.embedInto(text, new Float32Array(this.dimension));
  }

  /**
   * The same vector as a plain array, for answer scoring. Scoring embeds hundreds of sentences per question; a
   * typed array per sentence is a small native allocation each, and their churn fragmented the C heap (RSS grew by
   * ~85 MB over a few thousand questions at 100k chunks while the live data stayed constant). A plain array lives
   * on the JS heap, which the collector compacts.
   */
  embedValues(text: string): number[] {
    const scratch = (this.scratch ??= new Float32Array(this.dimension));
    scratch.fill(0);
    this.embedInto(text, scratch);
    // Copied by index: the same numbers as Array.from(scratch), which goes through the typed array's iterator and
    // cost about ten times as much per sentence. Into a copy of a packed array of doubles, not `new Array(n)`, which
    // makes a holey one: reading a holey array's elements cost ~3× as much in every cosine, and boxed them.
    const values = (this.packedDoubles ??= packedDoubles(this.dimension)).slice();
    for (let i = 0; i < values.length; i++) values[i] = scratch[i] as number;
    return values;
  }

  private scratch: Float32Array | null = null;
  private packedDoubles: number[] | null = null;

  private embedInto(text: string, out: Float32Array): Float32Array {
    const dimension = this.dimension;
    // Locals for the hot loops (scoring embeds every sentence of the documents read); the arithmetic, and so
    // every vector, is the same as reading the fields in place.
    const rows = this.vectors.rows;
    const matrix = this.vectors.matrix;
    const common = this.commonComponent;
    for (const word of words(text)) {
      const row = rows.get(word);
      if (row === undefined) {
        // Out-of-vocabulary words (rare names) get a fixed pseudo-random direction, so the same rare word
        // in a query and a passage still pulls them together.
        addHashedVector(out, word, 1);
        continue;
      }
      const weight = this.weight(row);
      const offset = row * dimension;
      for (let i = 0; i < dimension; i++) out[i] = (out[i] as number) + weight * (matrix[offset + i] as number);
    }
    // SIF's second step: remove the projection on the common component.
    let projection = 0;
    for (let i = 0; i < dimension; i++) projection += (out[i] as number) * (common[i] as number);
    for (let i = 0; i < dimension; i++) out[i] = (out[i] as number) - projection * (common[i] as number);
    normalize(out);
    return out;
  }

  /**
   * 1 / |v| per vocabulary row, computed on first use (0 = not yet): word similarity reads the shared matrix in
   * place, so scoring allocates nothing per word and needs no cache (a per-word cache of unit vectors grew the
   * heap by ~10 MB over a few thousand questions).
   */
  private inverseNorms: Float64Array | null = null;

  private inverseNorm(row: number): number {
    const norms = (this.inverseNorms ??= new Float64Array(this.vectors.count));
    let value = norms[row] ?? 0;
    if (value === 0) {
      const offset = row * this.dimension;
      let sum = 0;
      for (let i = 0; i < this.dimension; i++) sum += (this.vectors.matrix[offset + i] ?? 0) ** 2;
      value = sum > 0 ? 1 / Math.sqrt(sum) : Number.POSITIVE_INFINITY;
      norms[row] = value;
    }
    return Number.isFinite(value) ? value : 0;
  }

  /** A folded word's rank in the vectors' general English (0 = the commonest), or undefined when they lack it. */
  wordRank(word: string): number | undefined {
    return this.vectors.rows.get(word);
  }

  /** Cosine similarity of two words' vectors (0 when either is unknown): "met" ~ "talks", "fire" ~ "launched". */
  wordSimilarity(a: string, b: string): number {
    if (a === b) return 1;
    const rowA = this.vectors.rows.get(a);
    const rowB = this.vectors.rows.get(b);
    if (rowA === undefined || rowB === undefined) return 0;
    const scale = this.inverseNorm(rowA) * this.inverseNorm(rowB);
    if (scale === 0) return 0;
    const matrix = this.vectors.matrix;
    const offsetA = rowA * this.dimension;
    const offsetB = rowB * this.dimension;
    let dot = 0;
    for (let i = 0; i < this.dimension; i++) dot += (matrix[offsetA + i] ?? 0) * (matrix[offsetB + i] ?? 0);
    return dot * scale;
  }
}

/**
 * First principal direction (uncentred) of the SIF-weighted vectors of the most frequent words, by power
 * iteration. The SIF paper estimates it from the corpus' sentences; taking it from the vocabulary keeps the
 * embedder independent of the corpus, so adding a document never changes the vectors of the others.
 */
function commonComponentOf(vectors: WordVectors, weight: (row: number) => number): Float32Array {
  const d = vectors.dimension;
  const rows = Math.min(COMMON_COMPONENT_WORDS, vectors.count);
  let u = new Float64Array(d).fill(1 / Math.sqrt(d));
  for (let iteration = 0; iteration < 25; iteration++) {
    const next = new Float64Array(d);
    for (let r = 0; r < rows; r++) {
      const offset = r * d;
      const w = weight(r);
      let dot = 0;
      for (let i = 0; i < d; i++) dot += w * (vectors.matrix[offset + i] ?? 0) * (u[i] ?? 0);
      for (let i = 0; i < d; i++) next[i] = (next[i] ?? 0) + dot * w * (vectors.matrix[offset + i] ?? 0);
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += (next[i] ?? 0) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < d; i++) next[i] = (next[i] ?? 0) / norm;
    u = next;
  }
  return Float32Array.from(u);
}

/** An array of `length` doubles that V8 holds packed (pushed one by one; `new Array(length)` would be holey). */
function packedDoubles(length: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(0.5);
  return out;
}

function addHashedVector(out: Float32Array, word: string, weight: number): void {
  // xorshift32 seeded by FNV-1a of the word: deterministic across runs and machines.
  let seed = 2166136261;
  for (let i = 0; i < word.length; i++) seed = Math.imul(seed ^ word.charCodeAt(i), 16777619);
  let state = seed >>> 0 || 1;
  // GloVe components have a spread of roughly ±0.4; match that scale so OOV words weigh like rare words.
  for (let i = 0; i < out.length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = (out[i] ?? 0) + weight * ((state / 4294967296) * 2 - 1) * 0.7;
  }
}

export function normalize(vector: Float32Array): void {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += (vector[i] ?? 0) ** 2;
  if (norm === 0) return;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) * scale;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
