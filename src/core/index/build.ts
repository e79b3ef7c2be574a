// Incremental re-index. The plan is a pure diff of content hashes; only chunks whose text is new are sent to
// the embedder, and the HNSW graph of the previous generation is patched (markDelete + add) instead of rebuilt
// unless deletions have piled up or the embedder changed.
import hnswlib from 'hnswlib-node';
import { chunkDocument } from '../chunk/chunker.js';
import { CoreError, isCoreError } from '../errors.js';
import { loadCorpus } from '../ingest/index.js';
import type { CleanDocument, Embedder, Logger, SkippedFile } from '../types.js';
import { acquireWriterLock } from './lock.js';
import type { HnswIndex, IndexSnapshot, StoredChunk, StoredDocument } from './snapshot.js';
import { vectorRow } from './snapshot.js';
import { currentGenerationName, hasIndex, loadCurrentGeneration, newestLoadableGeneration, removeTemporaryGenerations, writeGeneration } from './store.js';

export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 200;
const EMBED_BATCH = 64;
/** Past this share of deleted elements, searching a patched graph gets slower than rebuilding it. */
const MAX_DELETED_SHARE = 0.25;

export interface IndexProgress {
  phase: 'scanning' | 'embedding' | 'writing' | 'done';
  done: number;
  total: number;
}

export interface IndexRunOptions {
  corpusDir: string;
  indexDir: string;
  embedder: Embedder;
  /** Ignore the previous generation entirely. */
  rebuild?: boolean;
  onProgress?: (progress: IndexProgress) => void;
  logger?: Logger;
  /** Test hook: called after the new generation is on disk, before CURRENT is switched to it. */
  beforeSwitch?: () => void;
  /** Documents already loaded (lets callers reuse a scan); defaults to loading `corpusDir`. */
  corpus?: { documents: CleanDocument[]; skipped: SkippedFile[]; boilerplateLines?: string[]; parserRevision?: number };
  /** Receives where the run's wall-clock time went (benchmarks, logs). Called once, when the run succeeds. */
  onTiming?: (timing: IndexTiming) => void;
}

/** Milliseconds per phase of one run; they add up to about `totalMs`. */
export interface IndexTiming {
  /** Reading and verifying the previous generation. */
  previousMs: number;
  /** Listing, reading, decoding and cleaning the corpus files. */
  scanMs: number;
  chunkMs: number;
  embedMs: number;
  /** Assembling vectors and building or patching the HNSW graph. */
  graphMs: number;
  /** Writing, fsyncing and switching to the new generation. */
  writeMs: number;
  totalMs: number;
}

export interface IndexRunResult {
  /** `added/updated/removed/unchanged` count documents; `embedded` counts chunks sent to the embedder. */
  summary: {
    added: number;
    updated: number;
    removed: number;
    unchanged: number;
    chunks: number;
    embedded: number;
    skipped: SkippedFile[];
    embedder: string;
    ms: number;
    rebuildReason?: string;
  };
  snapshot: IndexSnapshot;
  /** True when nothing changed and no new generation was written. */
  reusedPrevious: boolean;
}

export async function runIndex(options: IndexRunOptions): Promise<IndexRunResult> {
  const started = performance.now();
  const timing: IndexTiming = { previousMs: 0, scanMs: 0, chunkMs: 0, embedMs: 0, graphMs: 0, writeMs: 0, totalMs: 0 };
  let mark = started;
  /** Charges the time since the last lap to one phase. */
  const lap = (phase: Exclude<keyof IndexTiming, 'totalMs'>) => {
    const now = performance.now();
    timing[phase] += now - mark;
    mark = now;
  };
  const finish = () => {
    timing.totalMs = performance.now() - started;
    options.onTiming?.(timing);
  };
  const lock = acquireWriterLock(options.indexDir);
  try {
    removeTemporaryGenerations(options.indexDir);
    const { embedder } = options;
    let previous: IndexSnapshot | null = null;
    let rebuildReason: string | undefined = options.rebuild ? 'rebuild requested' : undefined;
    // The generation kept beside the new one as a fallback: the last one known to be good.
    let fallbackGeneration: string | null = options.rebuild ? currentGenerationName(options.indexDir) : null;
    if (!options.rebuild && hasIndex(options.indexDir)) {
      try {
        previous = loadCurrentGeneration(options.indexDir);
        fallbackGeneration = previous.generation;
      } catch (error) {
        if (!isCoreError(error)) throw error;
        rebuildReason = `previous index unusable (${error.message})`;
        options.logger?.warn({ err: error.message }, 'previous index unusable; rebuilding from the corpus');
        fallbackGeneration = newestLoadableGeneration(options.indexDir, currentGenerationName(options.indexDir));
      }
    }
    if (previous && (previous.embedder.id !== embedder.id || previous.embedder.dimension !== embedder.dimension)) {
      rebuildReason = `embedder changed from ${previous.embedder.id} (${previous.embedder.dimension}d) to ${embedder.id} (${embedder.dimension}d)`;
      options.logger?.warn({ from: previous.embedder.id, to: embedder.id }, 'embedder changed; full rebuild');
      previous = null;
    }

    lap('previousMs');
    options.onProgress?.({ phase: 'scanning', done: 0, total: 0 });
    const reusable =
      previous?.boilerplateLines && previous.parserRevision !== undefined
        ? { previous: { documents: previous.documents, boilerplateLines: previous.boilerplateLines, parserRevision: previous.parserRevision } }
        : {};
    const corpus = options.corpus ?? (await loadCorpus(options.corpusDir, reusable));
    lap('scanMs');
    const now = new Date().toISOString();

    // Plan: which documents are new, changed, unchanged, gone.
    let added = 0;
    let updated = 0;
    let unchanged = 0;
    const documents: StoredDocument[] = [];
    const keptChunks: StoredChunk[] = [];
    const freshChunks: Array<Omit<StoredChunk, 'label'>> = [];
    const previousChunksBySource = new Map<string, StoredChunk[]>();
    for (const chunk of previous?.chunks ?? []) {
      const list = previousChunksBySource.get(chunk.source) ?? [];
      list.push(chunk);
      previousChunksBySource.set(chunk.source, list);
    }
    for (const doc of corpus.documents) {
      const before = previous?.documents.get(doc.source);
      if (before && before.contentHash === doc.contentHash) {
        unchanged += 1;
        documents.push({ ...doc, indexedAt: before.indexedAt });
        keptChunks.push(...(previousChunksBySource.get(doc.source) ?? []));
        continue;
      }
      if (before) updated += 1;
      else added += 1;
      documents.push({ ...doc, indexedAt: now });
      // A changed document keeps the vectors of chunks whose text did not change (same id).
      const reusable = new Map((previousChunksBySource.get(doc.source) ?? []).map((chunk) => [chunk.id, chunk]));
      lap('scanMs'); // planning is bookkeeping of the scan
      const docChunks = chunkDocument(doc.source, doc.text);
      lap('chunkMs');
      for (const chunk of docChunks) {
        const old = reusable.get(chunk.id);
        if (old && old.text === chunk.text) keptChunks.push({ ...chunk, label: old.label });
        else freshChunks.push(chunk);
      }
    }
    const currentSources = new Set(corpus.documents.map((doc) => doc.source));
    const removed = previous ? [...previous.documents.keys()].filter((source) => !currentSources.has(source)).length : 0;
    lap('scanMs');

    if (previous && added === 0 && updated === 0 && removed === 0 && sameSkipped(previous.skipped, corpus.skipped)) {
      options.onProgress?.({ phase: 'done', done: 0, total: 0 });
      finish();
      return {
        summary: summary({ added, updated, removed, unchanged, chunks: previous.chunks.length, embedded: 0, skipped: corpus.skipped, embedder: embedder.id, ms: performance.now() - started }),
        snapshot: previous,
        reusedPrevious: true,
      };
    }

    // Embed only what is new.
    const freshVectors = await embedInBatches(embedder, freshChunks.map((chunk) => chunk.text), options.onProgress);
    lap('embedMs');
    options.onProgress?.({ phase: 'writing', done: 0, total: 1 });

    // Assemble rows: kept chunks (old vectors) then fresh ones, in document order for a tidy docstore.
    const dimension = embedder.dimension;
    const keptLabels = new Set(keptChunks.map((chunk) => chunk.label));
    const removedLabels = (previous?.chunks ?? []).filter((chunk) => !keptLabels.has(chunk.label)).map((chunk) => chunk.label);
    const patchable =
      previous !== null &&
      rebuildReason === undefined &&
      (previous.hnsw.getCurrentCount() - previous.chunks.length + removedLabels.length - freshChunks.length) <=
        MAX_DELETED_SHARE * Math.max(1, keptChunks.length + freshChunks.length);

    let nextLabel = patchable && previous ? Math.max(previous.nextLabel, maxLabel(previous) + 1) : 0;
    const allChunks: StoredChunk[] = [];
    const vectors = new Float32Array((keptChunks.length + freshChunks.length) * dimension);
    const labelsToAdd: Array<{ label: number; row: number }> = [];
    keptChunks.forEach((chunk) => {
      const oldRow = previous?.rowByLabel.get(chunk.label);
      if (oldRow === undefined || !previous) throw new Error(`internal: no stored vector for chunk ${chunk.id}`);
      const row = allChunks.length;
      vectors.set(vectorRow(previous, oldRow), row * dimension);
      const label = patchable ? chunk.label : nextLabel++;
      // Stored chunks are never mutated, so a kept one is shared rather than copied (100k objects per re-index).
      allChunks.push(label === chunk.label ? chunk : { ...chunk, label });
      if (!patchable) labelsToAdd.push({ label, row });
    });
    freshChunks.forEach((chunk, i) => {
      const row = allChunks.length;
      vectors.set(freshVectors[i] ?? [], row * dimension);
      const label = nextLabel++;
      allChunks.push({ ...chunk, label });
      labelsToAdd.push({ label, row });
    });

    let hnsw: HnswIndex;
    if (patchable && previous) {
      // `previous` was loaded by this run for this run alone (a serving snapshot is a different object), so its
      // graph can be patched in place; reading the file a second time cost a full graph load per re-index.
      hnsw = previous.hnsw;
      for (const label of removedLabels) hnsw.markDelete(label);
      const needed = hnsw.getCurrentCount() + labelsToAdd.length;
      if (needed > hnsw.getMaxElements()) hnsw.resizeIndex(Math.ceil(needed * 1.25) + 16);
    } else {
      hnsw = new hnswlib.HierarchicalNSW('cosine', dimension);
      hnsw.initIndex({ maxElements: Math.ceil(allChunks.length * 1.25) + 16, m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, randomSeed: 42, allowReplaceDeleted: true });
    }
    for (const { label, row } of labelsToAdd) {
      hnsw.addPoint(Array.from(vectors.subarray(row * dimension, (row + 1) * dimension)), label, patchable);
    }

    lap('graphMs');
    const snapshot = writeGeneration(
      options.indexDir,
      {
        embedder: { id: embedder.id, dimension },
        documents,
        chunks: allChunks,
        vectors,
        hnsw,
        hnswParams: { m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, nextLabel },
        skipped: corpus.skipped,
        ...(corpus.boilerplateLines && corpus.parserRevision !== undefined
          ? { boilerplateLines: corpus.boilerplateLines, parserRevision: corpus.parserRevision }
          : {}),
      },
      { keep: fallbackGeneration, ...(options.beforeSwitch ? { beforeSwitch: options.beforeSwitch } : {}) },
    );
    lap('writeMs');
    options.onProgress?.({ phase: 'done', done: 1, total: 1 });
    finish();
    return {
      summary: summary({
        added,
        updated,
        removed,
        unchanged,
        chunks: allChunks.length,
        embedded: freshChunks.length,
        skipped: corpus.skipped,
        embedder: embedder.id,
        ms: performance.now() - started,
        ...(rebuildReason ? { rebuildReason } : {}),
      }),
      snapshot,
      reusedPrevious: false,
    };
  } finally {
    lock.release();
  }
}

/** Embeds texts in batches, reporting progress and checking every vector's dimension against the embedder's. */
export async function embedInBatches(embedder: Embedder, texts: readonly string[], onProgress?: (progress: IndexProgress) => void): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    onProgress?.({ phase: 'embedding', done: i, total: texts.length });
    for (const vector of await embedder.embedDocuments(texts.slice(i, i + EMBED_BATCH))) {
      if (vector.length !== embedder.dimension) {
        throw new CoreError('EMBEDDER_MISMATCH', `Embedder ${embedder.id} returned ${vector.length} dimensions, expected ${embedder.dimension}.`);
      }
      vectors.push(vector);
    }
  }
  if (vectors.length !== texts.length) {
    throw new CoreError('EMBEDDER_MISMATCH', `Embedder ${embedder.id} returned ${vectors.length} vectors for ${texts.length} texts.`);
  }
  onProgress?.({ phase: 'embedding', done: texts.length, total: texts.length });
  return vectors;
}

function summary(s: IndexRunResult['summary']): IndexRunResult['summary'] {
  return { ...s, ms: Math.round(s.ms) };
}

function maxLabel(snapshot: IndexSnapshot): number {
  let max = -1;
  for (const chunk of snapshot.chunks) if (chunk.label > max) max = chunk.label;
  return max;
}

/** Whether two scans skipped the same files for the same reasons (then a re-index that changed nothing can stop). */
export function sameSkipped(a: readonly SkippedFile[], b: readonly SkippedFile[]): boolean {
  return a.length === b.length && a.every((item, i) => item.path === b[i]?.path && item.reason === b[i]?.reason);
}
