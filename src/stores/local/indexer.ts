// The local store's re-index. It follows the shared plan (core/index/plan.ts): only chunks whose text is new
// are sent to the embedder, and the HNSW graph of the previous generation is patched (markDelete + add)
// instead of rebuilt unless deletions have piled up or the plan starts from nothing.
import hnswlib from 'hnswlib-node';
import { CHUNKER_REVISION, chunkDocumentPaced } from '../../core/chunk/chunker.js';
import { isCoreError } from '../../core/errors.js';
import { embedInto } from '../../core/index/embed.js';
import { partitionChunks, planIndex, sameEmbedder, summarize, type IndexPlan } from '../../core/index/plan.js';
import { loadCorpus } from '../../core/ingest/index.js';
import { Pacer } from '../../core/pacer.js';
import type { ScannedFile } from '../../core/ingest/load.js';
import { Bm25Index } from '../../core/retrieve/bm25.js';
import { indexedTextOf } from '../../core/retrieve/indexed-text.js';
import type { CleanDocument, Embedder, IndexProgress, Logger, ReindexSummary, SkippedFile, StoredDocument } from '../../core/types.js';
import { acquireWriterLock } from './lock.js';
import type { HnswIndex, IndexSnapshot, StoredChunk } from './snapshot.js';
import { planSegments, type SegmentLayout } from './segments.js';
import { applyGraphOperationsPaced, type GraphLogPolicy, type GraphOperation } from './graph-log.js';
import { currentGenerationName, graphCopyOfServing, hasIndex, loadCurrentGeneration, newestLoadableGeneration, removeTemporaryGenerations, writeGeneration } from './generations.js';

export const HNSW_M = 16;
export const HNSW_EF_CONSTRUCTION = 200;
/** Past this share of deleted elements, searching a patched graph gets slower than rebuilding it. */
const MAX_DELETED_SHARE = 0.25;

export interface LocalIndexOptions {
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
  corpus?: { documents: CleanDocument[]; skipped: SkippedFile[]; boilerplateLines?: string[]; parserRevision?: number; scan?: ScannedFile[] };
  /**
   * The verified snapshot the caller is serving. When CURRENT still names it, it is the previous generation
   * (only the pointer, the manifest and the graph file are checked again; a private copy of the graph is patched),
   * instead of reading and verifying the whole generation from disk once more.
   */
  serving?: IndexSnapshot;
  /** Bound of a docstore + vector segment in bytes (segments.ts `SEGMENT_BYTES` by default; small in tests). */
  segmentBytes?: number;
  /** When the graph's base is linked and its log extended (graph-log.ts `GRAPH_LOG_POLICY` by default; small in tests). */
  graphLog?: GraphLogPolicy;
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
  /** Building (from scratch) or deriving (from the previous generation's) the BM25 postings. */
  keywordsMs: number;
  /** Writing, fsyncing and switching to the new generation. */
  writeMs: number;
  totalMs: number;
}

export interface LocalIndexResult {
  summary: ReindexSummary;
  snapshot: IndexSnapshot;
  /** True when nothing changed and no new generation was written. */
  reusedPrevious: boolean;
}

export async function runLocalIndex(options: LocalIndexOptions): Promise<LocalIndexResult> {
  const started = performance.now();
  const timing: IndexTiming = { previousMs: 0, scanMs: 0, chunkMs: 0, embedMs: 0, graphMs: 0, keywordsMs: 0, writeMs: 0, totalMs: 0 };
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
    let unusable: string | undefined;
    // The generation kept beside the new one as a fallback: the last one known to be good.
    let fallbackGeneration: string | null = options.rebuild ? currentGenerationName(options.indexDir) : null;
    if (!options.rebuild && hasIndex(options.indexDir)) {
      try {
        previous = fromServing(options.indexDir, options.serving, options.logger) ?? loadCurrentGeneration(options.indexDir);
        fallbackGeneration = previous.generation;
      } catch (error) {
        if (!isCoreError(error)) throw error;
        unusable = error.message;
        options.logger?.warn({ err: error.message }, 'previous index unusable; rebuilding from the corpus');
        fallbackGeneration = newestLoadableGeneration(options.indexDir, currentGenerationName(options.indexDir));
      }
    }

    const embedderKept = previous !== null && sameEmbedder(previous.embedder, embedder);
    if (previous && !embedderKept) options.logger?.warn({ from: previous.embedder.id, to: embedder.id }, 'embedder changed; full rebuild');

    lap('previousMs');
    options.onProgress?.({ phase: 'scanning', done: 0, total: 0 });
    const reusable =
      embedderKept && previous?.boilerplateLines && previous.parserRevision !== undefined
        ? { previous: { documents: previous.documents, boilerplateLines: previous.boilerplateLines, parserRevision: previous.parserRevision, ...(previous.scan ? { scan: previous.scan } : {}) } }
        : {};
    // The bot runs this on its event loop: every step proportional to the change gives the loop a turn every few
    // milliseconds (parsing already runs in the parser worker), and the steps that walk the whole corpus (the scan's
    // bookkeeping, the plan, the row layout, the write) each get a turn of the loop before them, so their stretches
    // do not add up.
    const pacer = new Pacer();
    await pacer.pause();
    const corpus = options.corpus ?? (await loadCorpus(options.corpusDir, reusable));
    await pacer.pause();
    lap('scanMs');

    const plan = planIndex(previous, corpus, embedder, { ...(options.rebuild ? { rebuild: true } : {}), ...(unusable !== undefined ? { unusable } : {}) });
    // From here on `base` is what the plan builds on: nothing when it starts from scratch.
    const base = plan.fresh ? null : previous;
    if (base && plan.nothingChanged) {
      options.onProgress?.({ phase: 'done', done: 0, total: 0 });
      finish();
      return {
        summary: summarize(plan, { chunks: base.chunks.length, embedded: 0, skipped: corpus.skipped, embedder: embedder.id, ms: performance.now() - started }),
        snapshot: base,
        reusedPrevious: true,
      };
    }

    await pacer.pause();
    const { documents, chunksOf, previousChunksOf } = await followPlan(plan, base, lap, pacer);
    await pacer.pause();
    const layout = layOutRows(plan, base, documents, chunksOf, previousChunksOf, embedder.dimension, options.segmentBytes);
    lap('scanMs');

    // Embed only what is new, straight into the new generation's rows (rows follow the segments).
    const vectors = new Float32Array(layout.rows.length * embedder.dimension);
    await embedFresh(embedder, layout.rows, vectors, options.onProgress);
    lap('embedMs');
    options.onProgress?.({ phase: 'writing', done: 0, total: 1 });

    await pacer.pause();
    const { allChunks, hnsw, nextLabel, previousRows, graphOperations } = await assembleGraph(base, layout, vectors, embedder.dimension, pacer);
    lap('graphMs');
    await pacer.pause();
    const bm25 = await keywordIndex(layout.patchable ? base : null, documents, allChunks, previousRows, layout.segmentRows, pacer);
    await pacer.pause();
    lap('keywordsMs');
    const snapshot = await writeGeneration(
      options.indexDir,
      {
        embedder: { id: embedder.id, dimension: embedder.dimension },
        documents,
        chunks: allChunks,
        vectors,
        hnsw,
        bm25,
        hnswParams: { m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, nextLabel },
        skipped: corpus.skipped,
        chunkerRevision: CHUNKER_REVISION,
        ...(corpus.boilerplateLines && corpus.parserRevision !== undefined
          ? { boilerplateLines: corpus.boilerplateLines, parserRevision: corpus.parserRevision }
          : {}),
        ...(corpus.scan ? { scan: corpus.scan } : {}),
        segments: layout.segments,
        previous: base,
        ...(graphOperations ? { graphOperations } : {}),
        ...(options.graphLog ? { graphLog: options.graphLog } : {}),
      },
      { keep: fallbackGeneration, pause: () => pacer.pause(), ...(options.beforeSwitch ? { beforeSwitch: options.beforeSwitch } : {}) },
    );
    lap('writeMs');
    options.onProgress?.({ phase: 'done', done: 1, total: 1 });
    finish();
    return {
      summary: summarize(plan, { chunks: allChunks.length, embedded: layout.freshCount, skipped: corpus.skipped, embedder: embedder.id, ms: performance.now() - started }),
      snapshot,
      reusedPrevious: false,
    };
  } finally {
    lock.release();
  }
}

/** The served snapshot with a private copy of its graph, or null when it is not (or no longer) CURRENT's generation. */
function fromServing(indexDir: string, serving: IndexSnapshot | undefined, logger: Logger | undefined): IndexSnapshot | null {
  if (!serving || currentGenerationName(indexDir) !== serving.generation) return null;
  try {
    const { hnsw, graph } = graphCopyOfServing(indexDir, serving);
    return { ...serving, hnsw, graph };
  } catch (error) {
    if (!isCoreError(error)) throw error;
    // Let the full load report it (and fall back) exactly as without a served snapshot.
    logger?.warn({ err: error.message }, 'served generation failed its check; reading the index from disk');
    return null;
  }
}

/** A chunk of the new generation: `old` is the stored chunk whose vector (and, when the graph is patched, label) it keeps. */
interface ChunkEntry {
  chunk: Omit<StoredChunk, 'label'>;
  old: StoredChunk | null;
}

/**
 * The documents of the new generation, in scan order, and each one's chunks in document order: a kept document
 * keeps its chunks (and their labels); a changed one is chunked again, keeping the vectors of chunks whose id and
 * text are unchanged.
 */
async function followPlan(
  plan: IndexPlan,
  base: IndexSnapshot | null,
  lap: (phase: 'scanMs' | 'chunkMs') => void,
  pacer: Pacer,
): Promise<{ documents: StoredDocument[]; chunksOf: Map<string, ChunkEntry[]>; previousChunksOf: (source: string) => readonly StoredChunk[] }> {
  const now = new Date().toISOString();
  const documents: StoredDocument[] = [];
  const chunksOf = new Map<string, ChunkEntry[]>();
  const previousChunksOf = chunksBySource(base?.chunks ?? []);
  for (const { doc, action } of plan.documents) {
    if (action === 'keep') {
      const stored = base?.documents.get(doc.source);
      // A kept document is its stored record (never mutated) when every field still agrees: no copy per document.
      documents.push(stored && sameCleanFields(stored, doc) ? stored : { ...doc, indexedAt: stored?.indexedAt ?? now });
      chunksOf.set(doc.source, previousChunksOf(doc.source).map((chunk) => ({ chunk, old: chunk })));
      continue;
    }
    documents.push({ ...doc, indexedAt: now });
    // A changed document keeps the vectors of chunks whose text did not change (same id).
    const stored = new Map(previousChunksOf(doc.source).map((chunk) => [chunk.id, chunk]));
    lap('scanMs'); // planning is bookkeeping of the scan
    const chunks = await chunkDocumentPaced(doc.source, doc.text, pacer);
    const { kept } = partitionChunks(chunks, (id) => stored.get(id));
    lap('chunkMs');
    const keptOld = new Map(kept.map(({ chunk, stored: old }) => [chunk, old]));
    chunksOf.set(doc.source, chunks.map((chunk) => ({ chunk, old: keptOld.get(chunk) ?? null })));
  }
  return { documents, chunksOf, previousChunksOf };
}

/**
 * Each source's chunks in `chunks`. A generation stores a document's chunks in consecutive rows, so this records
 * one range per source (a map of 100k arrays cost tens of milliseconds per re-index); a store that does not is
 * grouped the slow way.
 */
function chunksBySource(chunks: readonly StoredChunk[]): (source: string) => readonly StoredChunk[] {
  const ranges = new Map<string, [number, number]>();
  let start = 0;
  for (let row = 1; row <= chunks.length; row++) {
    const source = chunks[start]!.source;
    if (row < chunks.length && chunks[row]!.source === source) continue;
    if (ranges.has(source)) {
      const lists = new Map<string, StoredChunk[]>();
      for (const chunk of chunks) {
        const list = lists.get(chunk.source);
        if (list) list.push(chunk);
        else lists.set(chunk.source, [chunk]);
      }
      return (wanted) => lists.get(wanted) ?? [];
    }
    ranges.set(source, [start, row]);
    start = row;
  }
  return (source) => {
    const range = ranges.get(source);
    return range ? chunks.slice(range[0], range[1]) : [];
  };
}

/** The stored record says exactly what the scan's document says (every field, `indexedAt` aside). */
function sameCleanFields(stored: StoredDocument, doc: CleanDocument): boolean {
  const storedFields = stored as unknown as Record<string, unknown>;
  const docFields = doc as unknown as Record<string, unknown>;
  const fields = Object.keys(docFields);
  if (Object.keys(storedFields).length !== fields.length + 1 || !('indexedAt' in storedFields)) return false;
  return fields.every((field) => {
    const x = storedFields[field];
    const y = docFields[field];
    if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((value, i) => value === y[i]);
    return x === y;
  });
}

interface RowLayout {
  /** The new generation's chunks in row order: segment by segment, document by document. */
  rows: ChunkEntry[];
  segments: SegmentLayout[];
  /** Chunks (rows) per segment. */
  segmentRows: number[];
  /** Whether the previous graph is patched (kept chunks keep their labels) rather than rebuilt. */
  patchable: boolean;
  /** Labels of the previous graph no chunk keeps. */
  removedLabels: number[];
  freshCount: number;
}

/**
 * Decides the segments (segments.ts) and with them the row of every chunk. A document counts as unchanged for
 * its segment when the plan keeps it and the graph is patched (so its chunks keep their labels); the writer checks
 * the contents again before linking anything.
 */
function layOutRows(
  plan: IndexPlan,
  base: IndexSnapshot | null,
  documents: readonly StoredDocument[],
  chunksOf: ReadonlyMap<string, readonly ChunkEntry[]>,
  previousChunksOf: (source: string) => readonly StoredChunk[],
  dimension: number,
  segmentBytes: number | undefined,
): RowLayout {
  const keptSources = new Set<string>();
  for (const { doc, action } of plan.documents) if (action === 'keep') keptSources.add(doc.source);
  // Counted per document, not per chunk: a kept document keeps all its chunks, so only changed and removed
  // documents can free a label (a pass over every chunk cost tens of milliseconds per re-index at 100k).
  let kept = 0;
  let fresh = 0;
  let removedLabels: number[] = [];
  for (const [source, entries] of chunksOf) {
    if (keptSources.has(source)) {
      kept += entries.length;
      continue;
    }
    const reused = new Set<number>();
    for (const { old } of entries) {
      if (old) {
        kept++;
        reused.add(old.label);
      } else fresh++;
    }
    for (const chunk of previousChunksOf(source)) if (!reused.has(chunk.label)) removedLabels.push(chunk.label);
  }
  for (const source of plan.removed) for (const chunk of previousChunksOf(source)) removedLabels.push(chunk.label);
  if (base) {
    if (kept + removedLabels.length !== base.chunks.length) {
      // Not every previous chunk is accounted for by its own document: find the freed labels the long way.
      const keptLabels = new Set<number>();
      for (const entries of chunksOf.values()) for (const { old } of entries) if (old) keptLabels.add(old.label);
      removedLabels = base.chunks.filter((chunk) => !keptLabels.has(chunk.label)).map((chunk) => chunk.label);
    } else {
      // In row order, as the graph has always been patched.
      removedLabels.sort((a, b) => (base.rowByLabel.get(a) ?? 0) - (base.rowByLabel.get(b) ?? 0));
    }
  }
  const patchable =
    base !== null &&
    (base.hnsw.getCurrentCount() - base.chunks.length + removedLabels.length - fresh) <= MAX_DELETED_SHARE * Math.max(1, kept + fresh);
  const segments = planSegments({
    previous: base?.segments?.map((segment) => ({ sources: segment.sources, sealed: segment.id !== null })) ?? null,
    documents: documents.map((doc) => ({ source: doc.source, bytes: doc.text.length + (chunksOf.get(doc.source)?.length ?? 0) * (96 + 4 * dimension) })),
    unchanged: (source) => patchable && keptSources.has(source),
    ...(segmentBytes !== undefined ? { segmentBytes } : {}),
  });
  const rows: ChunkEntry[] = [];
  const segmentRows = segments.map((segment) => {
    const first = rows.length;
    for (const source of segment.sources) rows.push(...(chunksOf.get(source) ?? []));
    return rows.length - first;
  });
  return { rows, segments, segmentRows, patchable, removedLabels, freshCount: fresh };
}

/** Embeds the fresh rows into `vectors`: in place when they are consecutive (a build from nothing), else via a buffer. */
async function embedFresh(embedder: Embedder, rows: readonly ChunkEntry[], vectors: Float32Array, onProgress: ((progress: IndexProgress) => void) | undefined): Promise<void> {
  const freshRows: number[] = [];
  rows.forEach((entry, row) => {
    if (!entry.old) freshRows.push(row);
  });
  if (freshRows.length === 0) return;
  const texts = freshRows.map((row) => rows[row]!.chunk.text);
  const first = freshRows[0]!;
  if (freshRows[freshRows.length - 1]! - first === freshRows.length - 1) {
    await embedInto(embedder, texts, vectors, first, onProgress);
    return;
  }
  const d = embedder.dimension;
  const buffer = new Float32Array(freshRows.length * d);
  await embedInto(embedder, texts, buffer, 0, onProgress);
  freshRows.forEach((row, i) => vectors.set(buffer.subarray(i * d, (i + 1) * d), row * d));
}

/**
 * The new generation's chunks and graph. Kept chunks take their stored vectors; the previous graph is patched in
 * place (markDelete + add) unless there is none or deletions have piled up; then it is rebuilt.
 */
async function assembleGraph(
  base: IndexSnapshot | null,
  layout: RowLayout,
  /** Rows for every chunk, the fresh ones already filled. */
  vectors: Float32Array,
  dimension: number,
  pacer: Pacer,
): Promise<{ allChunks: StoredChunk[]; hnsw: HnswIndex; nextLabel: number; previousRows: Int32Array; graphOperations: GraphOperation[] | null }> {
  const { patchable, removedLabels } = layout;
  let nextLabel = patchable && base ? Math.max(base.nextLabel, maxLabel(base) + 1) : 0;
  const allChunks: StoredChunk[] = [];
  const labelsToAdd: Array<{ label: number; row: number }> = [];
  /** Row in `base` of each new row (kept chunks), -1 for fresh ones. */
  const previousRows = new Int32Array(layout.rows.length).fill(-1);
  const copies = base ? new RunCopier(base.vectors, vectors, dimension) : null;
  layout.rows.forEach(({ chunk, old }, row) => {
    if (!old) {
      const label = nextLabel++;
      allChunks.push({ ...chunk, label });
      labelsToAdd.push({ label, row });
      return;
    }
    const oldRow = base?.rowByLabel.get(old.label);
    if (oldRow === undefined || !base) throw new Error(`internal: no stored vector for chunk ${chunk.id}`);
    previousRows[row] = oldRow;
    copies?.add(oldRow, row);
    const label = patchable ? old.label : nextLabel++;
    // Stored chunks are never mutated, so a kept one is shared rather than copied (100k objects per re-index).
    allChunks.push(chunk === old && label === old.label ? old : { ...chunk, label });
    if (!patchable) labelsToAdd.push({ label, row });
  });
  copies?.flush();

  if (patchable && base) {
    // `base`'s graph belongs to this run alone (loaded by it from base + log, or a private copy of the served one),
    // so it can be patched in place; reading the file a second time cost a full graph load per re-index. The
    // operations go through the same function that replays the log at load, in the order they are logged, so
    // every process that loads the new generation rebuilds exactly this graph.
    const graphOperations: GraphOperation[] = [
      ...removedLabels.map((label): GraphOperation => ({ kind: 'delete', label })),
      ...labelsToAdd.map(({ label, row }): GraphOperation => ({ kind: 'add', label, vector: vectors.subarray(row * dimension, (row + 1) * dimension) })),
    ];
    await applyGraphOperationsPaced(base.hnsw, graphOperations, pacer);
    return { allChunks, hnsw: base.hnsw, nextLabel, previousRows, graphOperations };
  }
  const hnsw = new hnswlib.HierarchicalNSW('cosine', dimension);
  hnsw.initIndex({ maxElements: Math.ceil(allChunks.length * 1.25) + 16, m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, randomSeed: 42, allowReplaceDeleted: true });
  for (const { label, row } of labelsToAdd) {
    hnsw.addPoint(Array.from(vectors.subarray(row * dimension, (row + 1) * dimension)), label, false);
    if (pacer.due) await pacer.pause();
  }
  return { allChunks, hnsw, nextLabel, previousRows, graphOperations: null };
}

/**
 * The new generation's BM25 postings, one part per segment. With the previous generation's postings at hand, a
 * kept chunk whose indexed text is unchanged (same chunk text, same document title and date) reuses its postings
 * and only the rest is tokenised; a segment whose rows are exactly a previous part's shares it as it is. A re-index
 * of one document costs the segments it rewrites, not the corpus. Without them (a build from nothing, or a graph
 * rebuilt from scratch, which rewrites every segment anyway) the term table starts afresh, dropping dead terms.
 */
async function keywordIndex(
  base: IndexSnapshot | null,
  documents: readonly StoredDocument[],
  chunks: readonly StoredChunk[],
  previousRows: Int32Array,
  segmentRows: readonly number[],
  pacer: Pacer,
): Promise<Bm25Index> {
  // Looked up only for the rows tokenised: a re-index of one document tokenises a few dozen.
  let bySource: Map<string, StoredDocument> | null = null;
  const textOf = (row: number) => {
    const chunk = chunks[row];
    bySource ??= new Map(documents.map((doc) => [doc.source, doc]));
    return chunk ? indexedTextOf(chunk.text, bySource.get(chunk.source) ?? null) : '';
  };
  if (!base?.bm25) return Bm25Index.buildPaced({ segments: segmentRows, textOf }, pacer);
  // Documents whose title or date changed: their kept chunks keep their text but not their indexed text.
  const retitled = new Set<string>();
  for (const doc of documents) {
    const before = base.documents.get(doc.source);
    if (before && before !== doc && (before.title !== doc.title || before.publishedAt !== doc.publishedAt)) retitled.add(doc.source);
  }
  let reusable = previousRows;
  if (retitled.size > 0) {
    reusable = previousRows.slice();
    // Rows come grouped by document: the set is consulted once per run of a document's rows.
    let source: string | null = null;
    let dropped = false;
    for (let row = 0; row < chunks.length; row++) {
      const chunk = chunks[row]!;
      if (chunk.source !== source) {
        source = chunk.source;
        dropped = retitled.has(source);
      }
      if (dropped) reusable[row] = -1;
    }
  }
  return base.bm25.derivePaced(segmentRows, reusable, textOf, pacer);
}

/**
 * Copies kept vector rows from the previous generation's array into the new one, a run of consecutive rows at a
 * time: one `set` per kept document rather than a view and a copy per row (100k of each per re-index).
 */
class RunCopier {
  private from = -1;
  private to = -1;
  private length = 0;

  constructor(
    private readonly source: Float32Array,
    private readonly target: Float32Array,
    private readonly dimension: number,
  ) {}

  add(oldRow: number, row: number): void {
    if (this.length > 0 && oldRow === this.from + this.length && row === this.to + this.length) {
      this.length++;
      return;
    }
    this.flush();
    this.from = oldRow;
    this.to = row;
    this.length = 1;
  }

  flush(): void {
    if (this.length === 0) return;
    const d = this.dimension;
    this.target.set(this.source.subarray(this.from * d, (this.from + this.length) * d), this.to * d);
    this.length = 0;
  }
}

function maxLabel(snapshot: IndexSnapshot): number {
  let max = -1;
  for (const chunk of snapshot.chunks) if (chunk.label > max) max = chunk.label;
  return max;
}
