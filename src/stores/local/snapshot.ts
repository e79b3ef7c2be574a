// An immutable, fully loaded index generation. Queries hold a reference to one snapshot for their whole run,
// so a re-index that swaps in a new one never shows them a half-built index.
import type { HierarchicalNSW } from 'hnswlib-node';
import type { Bm25Index } from '../../core/retrieve/bm25.js';
import type { ScannedFile } from '../../core/ingest/load.js';
import type { Chunk, SkippedFile, StoredDocument } from '../../core/types.js';
import type { GraphLogBody } from './graph-log.js';

export type HnswIndex = HierarchicalNSW;

export interface StoredChunk extends Chunk {
  /** The chunk's label in the HNSW graph. */
  label: number;
}

/** One file of a segment as this process last verified or wrote it: a later generation may link it if it is unchanged. */
export interface SegmentFile {
  name: string;
  sha256: string;
  bytes: number;
  /** Inode and modification time then: a file written to since (same name) is rewritten, not linked. */
  ino: number;
  mtimeMs: number;
}

/** A segment of the generation: its documents, its rows (consecutive, in segment order) and its two files. */
export interface SnapshotSegment {
  /** Content id of a sealed segment; null for the tail (docstore.json + vectors.f32). */
  id: string | null;
  sources: readonly string[];
  rows: number;
  docstore: SegmentFile;
  vectors: SegmentFile;
  /** Its BM25 postings (format 3; `bm25.parts[i]` of the generation's index for segment i). */
  bm25?: SegmentFile;
  /** The scan records of its documents (the tail's also those of files that are no document), when stored. */
  scan?: SegmentFile & { sources: readonly string[] };
}

/** The graph's files as this process verified or wrote them (graph-log.ts): what the next re-index links and extends. */
export interface GraphFiles {
  /** hnsw.bin: a later generation links it while it is unchanged (same inode, size and modification time). */
  base: SegmentFile;
  /** The operations of hnsw.log (empty for a fresh base, and in formats 1 and 2, which have no log). */
  log: GraphLogBody;
}

export interface IndexSnapshot {
  generation: string;
  createdAt: string;
  embedder: { id: string; dimension: number };
  documents: ReadonlyMap<string, StoredDocument>;
  /** Row i of `vectors` belongs to chunks[i]. */
  chunks: readonly StoredChunk[];
  vectors: Float32Array;
  rowByLabel: ReadonlyMap<number, number>;
  hnsw: HnswIndex;
  /** Keyword postings of `chunks` (row i = chunks[i]), as stored in the generation; absent in older generations. */
  bm25?: Bm25Index;
  /** The file of its term table (format 3), which the next generation links when no term was added. */
  bm25Terms?: SegmentFile;
  /** Labels below this may still be in the graph (deleted); new points get labels from here up. */
  nextLabel: number;
  skipped: readonly SkippedFile[];
  /** Boilerplate lines of the scan this generation was built from, when known (see loadCorpus' `previous`). */
  boilerplateLines?: readonly string[];
  parserRevision?: number;
  chunkerRevision?: number;
  /** The file records of that scan (what lets the next re-index skip unchanged files), when stored. */
  scan?: ReadonlyMap<string, ScannedFile>;
  /** The docstore and vector segments in row order, the tail last. */
  segments?: readonly SnapshotSegment[];
  /** Where `hnsw` came from on disk: its base file and the operations replayed on it. */
  graph?: GraphFiles;
}

export function vectorRow(snapshot: Pick<IndexSnapshot, 'vectors' | 'embedder'>, row: number): Float32Array {
  const d = snapshot.embedder.dimension;
  return snapshot.vectors.subarray(row * d, (row + 1) * d);
}

