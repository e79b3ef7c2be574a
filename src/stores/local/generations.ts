// Generations on disk:
//   INDEX_DIR/CURRENT          {"generation","manifestSha256"}: replaced atomically, the single switch
//   INDEX_DIR/gen-000042/      manifest.json, seg-<id>.json + seg-<id>.f32 + seg-<id>.scan.json + seg-<id>.bm25
//                              (sealed segments: documents and chunk records, vector rows, scan records, BM25
//                              postings), docstore.json + vectors.f32 + docstore.scan.json + docstore.bm25 (the tail
//                              segment), bm25.terms (the term table the postings share), hnsw.bin + hnsw.log (the
//                              graph: a base and the operations applied to it since, graph-log.ts)
//                              (format 2: one bm25.bin for all postings, hnsw.bin alone; format 1: also one
//                              docstore.json + vectors.f32 for everything, and scan.json)
// Sealed segments are immutable and named after their content; a new generation hard-links the ones it shares
// with the previous generation (their postings too, term ids being stable), so a re-index writes what changed and
// the term table when it grew. The graph's base is linked the same way while the log stays short
// (`GRAPH_LOG_POLICY`): the log is the previous one plus this run's markDelete/addPoint operations, and past the
// bound the whole graph is written as a new base with an empty log.
// A new generation is written to a temporary directory, fsynced and renamed before CURRENT moves to it, so a
// crash at any point leaves the previous generation current and loadable. Every file is checked against the
// manifest's checksums before hnswlib sees it: the native reader trusts its input.
import { closeSync, copyFileSync, existsSync, fstatSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { CoreError } from '../../core/errors.js';
import {
  FILE_NAMES,
  INDEX_FORMAT_VERSION,
  READABLE_FORMAT_VERSIONS,
  docstoreSchema,
  manifestSchema,
  pointerSchema,
  scanFileSchema,
  SCAN_RECORD_FIELDS,
  segmentFileNames,
  storedDocumentSchema,
  type DocstoreFile,
  type FileEntry,
  type Manifest,
} from './manifest.js';
import { fsyncDirectory, fsyncFile, hashFile, replaceFileAtomic, sha256, writeFileDurable, writePiecesDurable } from './files.js';
import { Bm25Index, Bm25Part, Bm25TermTable } from '../../core/retrieve/bm25.js';
import type { ScannedFile } from '../../core/ingest/load.js';
import type { SkippedFile, StoredDocument } from '../../core/types.js';
import type { SegmentLayout } from './segments.js';
import type { GraphFiles, HnswIndex, IndexSnapshot, SegmentFile, SnapshotSegment, StoredChunk } from './snapshot.js';
import { appendGraphOperations, applyGraphOperations, EMPTY_GRAPH_LOG, GRAPH_LOG_POLICY, graphLogFile, parseGraphLog, type GraphLogBody, type GraphLogPolicy, type GraphOperation } from './graph-log.js';

const POINTER = 'CURRENT';
const GENERATION_PATTERN = /^gen-(\d{6,})$/;

export interface GenerationContent {
  embedder: { id: string; dimension: number };
  documents: readonly StoredDocument[];
  chunks: readonly StoredChunk[];
  vectors: Float32Array;
  hnsw: HnswIndex;
  /** Keyword postings of `chunks`, one part per segment, stored beside them so loading does not tokenise the corpus again. */
  bm25: Bm25Index;
  hnswParams: { m: number; efConstruction: number; nextLabel: number };
  skipped: readonly SkippedFile[];
  boilerplateLines?: readonly string[];
  parserRevision?: number;
  chunkerRevision?: number;
  scan?: readonly ScannedFile[];
  /**
   * Which documents go to which segment, in row order (`chunks` must follow it), the tail last (segments.ts
   * `planSegments`). Without it every document goes to the tail.
   */
  segments?: readonly SegmentLayout[];
  /** The verified generation this one is derived from, in the same directory: its unchanged segments are linked. */
  previous?: IndexSnapshot | null;
  /**
   * When `hnsw` is the graph of `previous` (as loaded from its base + log) patched by exactly these operations, in
   * this order (graph-log.ts `applyGraphOperations`): the new generation may link that base and extend its log.
   * Absent when the graph was built from nothing.
   */
  graphOperations?: readonly GraphOperation[];
  /** When the log is used and when the graph is written whole (`GRAPH_LOG_POLICY` by default; small in tests). */
  graphLog?: GraphLogPolicy;
}

export function hasIndex(indexDir: string): boolean {
  return existsSync(join(indexDir, POINTER));
}

/**
 * Writes a complete new generation and makes it current. Afterwards only the new generation and `keep` (the
 * last generation known to be good, the fallback) remain; damaged or never-switched ones are removed.
 */
export async function writeGeneration(
  indexDir: string,
  content: GenerationContent,
  /**
   * `pause`: awaited between the steps (and the segments) of the write, which are synchronous: a bot re-indexing on
   * its event loop answers in between. The order of the steps, and so what a crash leaves, is the same.
   */
  hooks: { beforeSwitch?: () => void; keep?: string | null; pause?: () => Promise<void> } = {},
): Promise<IndexSnapshot> {
  const pause = hooks.pause ?? (async () => undefined);
  mkdirSync(indexDir, { recursive: true });
  const generation = nextGenerationName(indexDir);
  const finalDir = join(indexDir, generation);
  const temporaryDir = join(indexDir, `${generation}.tmp`);
  rmSync(temporaryDir, { recursive: true, force: true });
  mkdirSync(temporaryDir);

  const segments = await writeSegments(indexDir, temporaryDir, content, pause);
  await pause();
  const graph = writeGraph(indexDir, temporaryDir, content);
  await pause();
  const bm25Terms = writeTermTable(indexDir, temporaryDir, content);
  await pause();

  const createdAt = new Date().toISOString();
  const elements = content.hnsw.getCurrentCount();
  // One pass over the chunks: filtering them once per document is quadratic (minutes at 100k chunks).
  const chunksPerSource = new Map<string, number>();
  for (const chunk of content.chunks) chunksPerSource.set(chunk.source, (chunksPerSource.get(chunk.source) ?? 0) + 1);
  const segmentFiles: Record<string, FileEntry> = {};
  for (const segment of segments) {
    for (const file of [segment.docstore, segment.vectors, ...(segment.scan ? [segment.scan] : []), ...(segment.bm25 ? [segment.bm25] : [])]) {
      segmentFiles[file.name] = { sha256: file.sha256, bytes: file.bytes };
    }
  }
  const manifest: Manifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    generation,
    createdAt,
    embedder: content.embedder,
    hnsw: {
      space: 'cosine',
      m: content.hnswParams.m,
      efConstruction: content.hnswParams.efConstruction,
      elements,
      deleted: elements - content.chunks.length,
      nextLabel: content.hnswParams.nextLabel,
    },
    counts: { documents: content.documents.length, chunks: content.chunks.length },
    documents: content.documents.map((doc) => ({
      source: doc.source,
      fileHash: doc.fileHash,
      contentHash: doc.contentHash,
      chunks: chunksPerSource.get(doc.source) ?? 0,
      indexedAt: doc.indexedAt,
    })),
    skipped: [...content.skipped],
    ...(content.chunkerRevision !== undefined ? { chunkerRevision: content.chunkerRevision } : {}),
    ...(content.boilerplateLines && content.parserRevision !== undefined
      ? { boilerplateLines: [...content.boilerplateLines], parserRevision: content.parserRevision }
      : {}),
    segments: segments.flatMap((segment) => (segment.id ? [{ id: segment.id, documents: segment.sources.length, chunks: segment.rows }] : [])),
    files: {
      ...segmentFiles,
      [FILE_NAMES.docstore]: segmentFiles[FILE_NAMES.docstore]!,
      [FILE_NAMES.vectors]: segmentFiles[FILE_NAMES.vectors]!,
      [FILE_NAMES.hnsw]: { sha256: graph.files.base.sha256, bytes: graph.files.base.bytes },
      [FILE_NAMES.hnswLog]: graph.logEntry,
      [FILE_NAMES.bm25Terms]: { sha256: bm25Terms.sha256, bytes: bm25Terms.bytes },
    },
  };
  const manifestBytes = JSON.stringify(manifest, null, 1);
  await pause();
  writeFileDurable(join(temporaryDir, 'manifest.json'), manifestBytes);
  fsyncDirectory(temporaryDir);
  renameSync(temporaryDir, finalDir);
  fsyncDirectory(indexDir);

  hooks.beforeSwitch?.();
  replaceFileAtomic(join(indexDir, POINTER), JSON.stringify({ generation, manifestSha256: sha256(manifestBytes) }));
  await pause();
  pruneGenerations(indexDir, [generation, hooks.keep ?? null]);
  await pause();

  return {
    generation,
    createdAt,
    embedder: content.embedder,
    documents: new Map(content.documents.map((doc) => [doc.source, doc])),
    chunks: content.chunks,
    vectors: content.vectors,
    rowByLabel: new Map(content.chunks.map((chunk, row) => [chunk.label, row])),
    hnsw: content.hnsw,
    bm25: content.bm25,
    bm25Terms,
    nextLabel: content.hnswParams.nextLabel,
    skipped: content.skipped,
    ...(content.chunkerRevision !== undefined ? { chunkerRevision: content.chunkerRevision } : {}),
    ...(content.boilerplateLines && content.parserRevision !== undefined
      ? { boilerplateLines: content.boilerplateLines, parserRevision: content.parserRevision }
      : {}),
    ...(content.scan ? { scan: new Map(content.scan.map((file) => [file.source, file])) } : {}),
    // The names are the same after the directory's rename, and so are the inodes.
    segments,
    graph: graph.files,
  };
}

/**
 * Writes the graph's base and log into `dir`. When `content.hnsw` is the previous generation's graph patched by
 * `content.graphOperations`, its base is large enough to be worth sharing, still the file that generation verified,
 * and the extended log stays within `GRAPH_LOG_POLICY`, the base is hard-linked (copied where links are refused)
 * and the log is the previous one plus these operations. Otherwise the whole graph becomes a new base, its log empty.
 */
function writeGraph(indexDir: string, dir: string, content: GenerationContent): { files: GraphFiles; logEntry: FileEntry } {
  const dimension = content.embedder.dimension;
  const basePath = join(dir, FILE_NAMES.hnsw);
  const previous = content.previous ?? null;
  const before = previous?.graph;
  const policy = content.graphLog ?? GRAPH_LOG_POLICY;
  let base: SegmentFile | null = null;
  let log: GraphLogBody = EMPTY_GRAPH_LOG;
  if (content.graphOperations && previous && before && before.base.bytes >= policy.minBaseBytes) {
    const extended = appendGraphOperations(before.log, content.graphOperations, dimension);
    const maxAdded = Math.floor(policy.maxAddedShare * content.hnsw.getCurrentCount());
    const from = join(indexDir, previous.generation, FILE_NAMES.hnsw);
    if (extended.added <= maxAdded && extended.operations <= 4 * maxAdded && stillAsVerified(from, before.base)) {
      linkOrCopy(from, basePath);
      base = { ...before.base, ...identity(basePath) };
      log = extended;
    }
  }
  if (!base) {
    content.hnsw.writeIndexSync(basePath);
    const written = hashFile(basePath);
    fsyncFile(basePath); // hnswlib does not fsync
    base = { name: FILE_NAMES.hnsw, ...written, ...identity(basePath) };
  }
  const logBytes = graphLogFile(log, dimension);
  writeFileDurable(join(dir, FILE_NAMES.hnswLog), logBytes);
  return { files: { base, log }, logEntry: { sha256: sha256(logBytes), bytes: logBytes.byteLength } };
}

/**
 * Writes the docstore and vector segments of `content` into `dir`. A segment holding the same documents as one of
 * `content.previous`, with equal records, chunks and vector rows, is hard-linked from the previous generation
 * (copied where the filesystem refuses links) when its files are still the ones that generation verified; every
 * other segment is written, a sealed one under its content id.
 */
async function writeSegments(indexDir: string, dir: string, content: GenerationContent, pause: () => Promise<void>): Promise<SnapshotSegment[]> {
  const layout = content.segments ?? [{ sources: content.documents.map((doc) => doc.source), sealed: false }];
  if (layout.length === 0 || layout.some((segment, i) => segment.sealed === (i === layout.length - 1))) {
    throw new Error('internal: a segment layout ends with its one tail');
  }
  const documents = new Map(content.documents.map((doc) => [doc.source, doc]));
  const scanOf = content.scan ? new Map(content.scan.map((record) => [record.source, record])) : null;
  const previous = content.previous ?? null;
  const previousDir = previous ? join(indexDir, previous.generation) : null;
  const previousBySources = new Map<string, { segment: SnapshotSegment; firstRow: number; bm25: Bm25Part | undefined }>();
  let previousRow = 0;
  const previousParts = previous?.bm25 && previous.bm25.parts.length === previous.segments?.length ? previous.bm25.parts : [];
  for (const [i, segment] of (previous?.segments ?? []).entries()) {
    previousBySources.set(`${segment.id === null ? 'tail' : 'sealed'}\0${segment.sources.join('\0')}`, { segment, firstRow: previousRow, bm25: previousParts[i] });
    previousRow += segment.rows;
  }
  if (content.bm25.parts.length !== layout.length) throw new Error('internal: the BM25 postings are not cut like the segments');
  const dimension = content.embedder.dimension;
  const rowBytes = (firstRow: number, rows: number, vectors: Float32Array) =>
    new Uint8Array(vectors.buffer, vectors.byteOffset + firstRow * dimension * 4, rows * dimension * 4);

  const written: SnapshotSegment[] = [];
  let firstRow = 0;
  for (const [index, planned] of layout.entries()) {
    await pause();
    const members = new Set(planned.sources);
    let rows = 0;
    while (firstRow + rows < content.chunks.length && members.has(content.chunks[firstRow + rows]!.source)) rows++;
    const postings = content.bm25.parts[index]!;
    if (postings.rows !== rows) throw new Error('internal: the BM25 postings are not cut like the segments');
    const docs = planned.sources.map((source) => {
      const doc = documents.get(source);
      if (!doc) throw new Error(`internal: segment document ${source} is not in the generation`);
      return doc;
    });
    const ownRows = rowBytes(firstRow, rows, content.vectors);
    // The tail also carries the records of files that are no document (skipped, duplicates).
    const scan = scanOf
      ? [
          ...planned.sources.flatMap((source) => scanOf.get(source) ?? []),
          ...(planned.sealed ? [] : (content.scan ?? []).filter((record) => !documents.has(record.source))),
        ]
      : null;
    const candidate = previous && previousDir ? previousBySources.get(`${planned.sealed ? 'sealed' : 'tail'}\0${planned.sources.join('\0')}`) : undefined;
    const linkable = (file: SegmentFile | undefined): file is SegmentFile => file !== undefined && previousDir !== null && stillAsVerified(join(previousDir, file.name), file);
    /** Links a verified file of the previous generation in as `name` (a segment's files follow its id, which can change while a file's content does not). */
    const link = <F extends SegmentFile>(file: F, name = file.name): F => {
      linkOrCopy(join(previousDir!, file.name), join(dir, name));
      return { ...file, name, ...identity(join(dir, name)) };
    };
    let segment: SnapshotSegment;
    if (
      candidate &&
      previous &&
      sameSegmentContent(previous, candidate.firstRow, candidate.segment, content.chunks, firstRow, rows, documents) &&
      Buffer.compare(ownRows, rowBytes(candidate.firstRow, candidate.segment.rows, previous.vectors)) === 0 &&
      linkable(candidate.segment.docstore) &&
      linkable(candidate.segment.vectors)
    ) {
      const { scan: _scanDecidedBelow, bm25: _bm25DecidedBelow, ...kept } = candidate.segment;
      segment = { ...kept, docstore: link(candidate.segment.docstore), vectors: link(candidate.segment.vectors) };
    } else {
      const chunkRows = content.chunks.slice(firstRow, firstRow + rows);
      const docstoreTemporary = planned.sealed ? 'segment.json.tmp' : FILE_NAMES.docstore;
      const docstoreFile = writePiecesDurable(join(dir, docstoreTemporary), docstorePieces(docs, chunkRows));
      const id = planned.sealed ? `seg-${docstoreFile.sha256.slice(0, 16)}` : null;
      const names = id ? segmentFileNames(id) : { docstore: FILE_NAMES.docstore, vectors: FILE_NAMES.vectors };
      if (id) renameSync(join(dir, docstoreTemporary), join(dir, names.docstore));
      writeFileDurable(join(dir, names.vectors), ownRows);
      segment = {
        id,
        sources: planned.sources,
        rows,
        docstore: { name: names.docstore, ...docstoreFile, ...identity(join(dir, names.docstore)) },
        vectors: { name: names.vectors, sha256: sha256(ownRows), bytes: ownRows.byteLength, ...identity(join(dir, names.vectors)) },
      };
    }
    // Scan records change without the documents changing (a file touched, a racy record confirmed): they are a
    // third file of the segment, linked or written on their own.
    if (scan) {
      const previousScan = candidate?.segment.scan;
      const name = segment.id ? segmentFileNames(segment.id).scan : FILE_NAMES.tailScan;
      if (previous && previousScan && sameScanRecords(previous, previousScan.sources, scan) && linkable(previousScan)) {
        segment.scan = link(previousScan, name);
      } else {
        const file = writePiecesDurable(join(dir, name), scanPieces(scan));
        segment.scan = { name, ...file, ...identity(join(dir, name)), sources: scan.map((record) => record.source) };
      }
    }
    // Postings: linked when the index shares the previous generation's part for this segment (same rows, and term
    // ids are stable), else written.
    // The name follows the segment's id, which changes when a document's record does (its postings may not).
    const previousPostings = candidate?.segment.bm25;
    const name = segment.id ? segmentFileNames(segment.id).bm25 : FILE_NAMES.tailBm25;
    if (candidate?.bm25 === postings && linkable(previousPostings)) {
      segment.bm25 = link(previousPostings, name);
    } else {
      const bytes = postings.toBytes();
      writeFileDurable(join(dir, name), bytes);
      segment.bm25 = { name, sha256: sha256(bytes), bytes: bytes.byteLength, ...identity(join(dir, name)) };
    }
    written.push(segment);
    firstRow += rows;
  }
  if (firstRow !== content.chunks.length) throw new Error('internal: the chunks are not grouped by segment');
  return written;
}

/** The BM25 term table's file: linked when it holds the previous generation's terms (none added), else written. */
function writeTermTable(indexDir: string, dir: string, content: GenerationContent): SegmentFile {
  const path = join(dir, FILE_NAMES.bm25Terms);
  const previous = content.previous;
  const before = previous?.bm25Terms;
  if (previous?.bm25 && before && content.bm25.sameTerms(previous.bm25) && stillAsVerified(join(indexDir, previous.generation, before.name), before)) {
    linkOrCopy(join(indexDir, previous.generation, before.name), path);
    return { ...before, ...identity(path) };
  }
  const bytes = content.bm25.termBytes();
  writeFileDurable(path, bytes);
  return { name: FILE_NAMES.bm25Terms, sha256: sha256(bytes), bytes: bytes.byteLength, ...identity(path) };
}

/** The previous generation stored exactly `scan` for `sources`. */
function sameScanRecords(previous: IndexSnapshot, sources: readonly string[], scan: readonly ScannedFile[]): boolean {
  if (sources.length !== scan.length) return false;
  return scan.every((record, i) => {
    const before = sources[i] === record.source ? previous.scan?.get(record.source) : undefined;
    return before !== undefined && (before === record || SCAN_RECORD_FIELDS.every((field) => sameValue(before[field], record[field])));
  });
}

function sameValue(x: unknown, y: unknown): boolean {
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((value, i) => value === y[i]);
  return x === y;
}

/** Same documents (every stored field), same chunk records in the same rows. */
function sameSegmentContent(
  previous: IndexSnapshot,
  previousFirstRow: number,
  segment: SnapshotSegment,
  chunks: readonly StoredChunk[],
  firstRow: number,
  rows: number,
  documents: ReadonlyMap<string, StoredDocument>,
): boolean {
  if (segment.rows !== rows) return false;
  for (const source of segment.sources) {
    const before = previous.documents.get(source);
    const after = documents.get(source);
    if (!before || !after || !sameStoredDocument(before, after)) return false;
  }
  for (let i = 0; i < rows; i++) {
    const a = previous.chunks[previousFirstRow + i];
    const b = chunks[firstRow + i];
    if (!a || !b) return false;
    if (a !== b && (a.id !== b.id || a.source !== b.source || a.start !== b.start || a.end !== b.end || a.label !== b.label)) return false;
  }
  return true;
}

const DOCUMENT_FIELDS = Object.keys(storedDocumentSchema.shape) as Array<keyof DocstoreFile['documents'][number]>;

function sameStoredDocument(a: StoredDocument, b: StoredDocument): boolean {
  if (a === b) return true;
  return DOCUMENT_FIELDS.every((field) => sameValue(a[field], b[field]));
}

/** The document as stored: exactly the fields of the docstore schema, in its order (the bytes depend on nothing else). */
function storedDocumentRecord(doc: StoredDocument): DocstoreFile['documents'][number] {
  const record: Record<string, unknown> = {};
  for (const field of DOCUMENT_FIELDS) if (doc[field] !== undefined) record[field] = doc[field];
  return record as DocstoreFile['documents'][number];
}

function identity(path: string): { ino: number; mtimeMs: number } {
  const stat = statSync(path);
  return { ino: stat.ino, mtimeMs: stat.mtimeMs };
}

/** The file at `path` is the one verified or written (same inode, size and modification time). */
function stillAsVerified(path: string, file: SegmentFile): boolean {
  try {
    const stat = statSync(path);
    return stat.ino === file.ino && stat.size === file.bytes && stat.mtimeMs === file.mtimeMs;
  } catch {
    return false;
  }
}

/** A hard link (the bytes are immutable once written); a durable copy where links are refused. */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK' && code !== 'ENOSYS') throw error;
    copyFileSync(from, to);
    fsyncFile(to);
  }
}

/** A docstore segment's JSON, piece by piece: `{"documents":[…],"chunks":[…]}` with the fields `DocstoreFile` declares. */
function* docstorePieces(documents: readonly StoredDocument[], chunks: readonly StoredChunk[]): Generator<string> {
  yield '{"documents":[';
  for (let i = 0; i < documents.length; i++) yield (i > 0 ? ',' : '') + JSON.stringify(storedDocumentRecord(documents[i]!));
  yield '],"chunks":[';
  for (let i = 0; i < chunks.length; i++) {
    const { id, source, start, end, label } = chunks[i]!;
    yield (i > 0 ? ',' : '') + JSON.stringify({ id, source, start, end, label } satisfies DocstoreFile['chunks'][number]);
  }
  yield ']}';
}

/** A scan segment's JSON: `{"files":[…]}`, the shape of format 1's scan.json. */
function* scanPieces(scan: readonly ScannedFile[]): Generator<string> {
  yield '{"files":[';
  for (let i = 0; i < scan.length; i++) {
    const record: Record<string, unknown> = {};
    for (const field of SCAN_RECORD_FIELDS) record[field] = scan[i]![field];
    yield (i > 0 ? ',' : '') + JSON.stringify(record);
  }
  yield ']}';
}

/** Loads the current generation after verifying pointer, manifest and every file's checksum. */
export function loadCurrentGeneration(indexDir: string): IndexSnapshot {
  const pointerPath = join(indexDir, POINTER);
  if (!existsSync(pointerPath)) throw new CoreError('INDEX_MISSING', `No index in ${indexDir} yet; run \`npm run index\`.`);
  const pointer = parseOrCorrupt(pointerSchema, readJsonOrCorrupt(pointerPath), `${pointerPath}`);
  return loadGeneration(indexDir, pointer.generation, pointer.manifestSha256);
}

export function loadGeneration(indexDir: string, generation: string, expectedManifestSha?: string): IndexSnapshot {
  const dir = join(indexDir, generation);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw corrupt(`generation ${generation} has no manifest`);
  const manifestBytes = readFileSync(manifestPath);
  if (expectedManifestSha && sha256(manifestBytes) !== expectedManifestSha) {
    throw corrupt(`manifest of ${generation} does not match the checksum recorded in CURRENT`);
  }
  const rawManifest = parseJsonOrCorrupt(manifestBytes.toString('utf8'), manifestPath);
  const formatVersion = typeof rawManifest === 'object' && rawManifest !== null ? (rawManifest as { formatVersion?: unknown }).formatVersion : undefined;
  if (typeof formatVersion !== 'number' || !READABLE_FORMAT_VERSIONS.includes(formatVersion)) {
    throw corrupt(`index format ${String(formatVersion)} is not a supported format (${READABLE_FORMAT_VERSIONS.join(', ')}; this code writes ${INDEX_FORMAT_VERSION})`);
  }
  const manifest = parseOrCorrupt(manifestSchema, rawManifest, manifestPath);

  const check = (name: string): { path: string; expected: FileEntry; size: number; ino: number; mtimeMs: number } => {
    const path = join(dir, name);
    if (!existsSync(path)) throw corrupt(`${generation}/${name} is missing`);
    const expected = manifest.files[name];
    if (!expected) throw corrupt(`${generation}/${name} is not in the manifest`);
    const stat = statSync(path);
    if (stat.size !== expected.bytes) throw corrupt(`${generation}/${name} has ${stat.size} bytes, the manifest says ${expected.bytes}`);
    return { path, expected, size: stat.size, ino: stat.ino, mtimeMs: stat.mtimeMs };
  };
  const readChecked = (name: string) => {
    const checked = check(name);
    const bytes = readFileSync(checked.path);
    if (sha256(bytes) !== checked.expected.sha256) throw corrupt(`${generation}/${name} fails its SHA-256 check`);
    return { bytes, ...checked };
  };
  const read = (name: string): Buffer => readChecked(name).bytes;

  // Segment by segment (sealed ones, then the tail): each docstore is parsed on its own, never the whole corpus as
  // one string, and vector rows are read straight into their place in the generation's array.
  const dimension = manifest.embedder.dimension;
  const sealed = manifest.segments ?? [];
  const parts = [
    ...sealed.map((segment) => ({ id: segment.id as string | null, ...segmentFileNames(segment.id), declared: segment })),
    { id: null, docstore: FILE_NAMES.docstore, vectors: FILE_NAMES.vectors, scan: FILE_NAMES.tailScan, bm25: FILE_NAMES.tailBm25, declared: null },
  ];
  // Format 3: a term table, and each segment's postings over it.
  let termTable: { table: Bm25TermTable; file: SegmentFile } | null = null;
  if (manifest.files[FILE_NAMES.bm25Terms]) {
    const checked = readChecked(FILE_NAMES.bm25Terms);
    try {
      termTable = { table: Bm25TermTable.fromBytes(checked.bytes), file: { name: FILE_NAMES.bm25Terms, sha256: checked.expected.sha256, bytes: checked.size, ino: checked.ino, mtimeMs: checked.mtimeMs } };
    } catch (error) {
      throw corrupt(`${generation}/${FILE_NAMES.bm25Terms} could not be read: ${(error as Error).message}`);
    }
  }
  const postings: Bm25Part[] = [];
  const vectors = new Float32Array(manifest.counts.chunks * dimension);
  const vectorView = new Uint8Array(vectors.buffer);
  const loadedDocuments = new Map<string, StoredDocument>();
  const storedChunks: DocstoreFile['chunks'] = [];
  const segments: SnapshotSegment[] = [];
  const scannedInSegments = new Map<string, ScannedFile>();
  let everySegmentScanned = true;
  for (const part of parts) {
    const docstoreFile = readChecked(part.docstore);
    const docstore = parseOrCorrupt(docstoreSchema, parseJsonOrCorrupt(docstoreFile.bytes.toString('utf8'), part.docstore), part.docstore);
    const rows = docstore.chunks.length;
    if (part.declared && (part.declared.chunks !== rows || part.declared.documents !== docstore.documents.length || docstoreFile.expected.sha256.slice(0, 16) !== part.id?.slice(4))) {
      throw corrupt(`${generation}/${part.docstore} does not match its segment in the manifest`);
    }
    const vectorFile = check(part.vectors);
    if (vectorFile.size !== rows * dimension * 4) {
      throw corrupt(`${generation}/${part.vectors} holds ${vectorFile.size / 4 / dimension} vectors for ${rows} chunks`);
    }
    if (storedChunks.length + rows > manifest.counts.chunks) throw corrupt(`${generation}: docstore counts disagree with the manifest`);
    const offset = storedChunks.length * dimension * 4;
    if (readInto(vectorFile.path, vectorView.subarray(offset, offset + vectorFile.size)) !== vectorFile.expected.sha256) {
      throw corrupt(`${generation}/${part.vectors} fails its SHA-256 check`);
    }
    for (const doc of docstore.documents) {
      if (loadedDocuments.has(doc.source)) throw corrupt(`${generation}: document ${doc.source} is stored twice`);
      loadedDocuments.set(doc.source, doc);
    }
    for (const chunk of docstore.chunks) storedChunks.push(chunk);
    let scanFile: (SegmentFile & { sources: string[] }) | null = null;
    if (manifest.files[part.scan]) {
      const checked = readChecked(part.scan);
      const records = parseOrCorrupt(scanFileSchema, parseJsonOrCorrupt(checked.bytes.toString('utf8'), part.scan), part.scan).files;
      for (const record of records) scannedInSegments.set(record.source, record);
      scanFile = { name: part.scan, sha256: checked.expected.sha256, bytes: checked.size, ino: checked.ino, mtimeMs: checked.mtimeMs, sources: records.map((record) => record.source) };
    } else everySegmentScanned = false;
    let postingsFile: SegmentFile | null = null;
    if (termTable) {
      const checked = readChecked(part.bm25);
      let read: Bm25Part;
      try {
        read = Bm25Part.fromBytes(checked.bytes, termTable.table.count);
      } catch (error) {
        throw corrupt(`${generation}/${part.bm25} could not be read: ${(error as Error).message}`);
      }
      if (read.rows !== rows) throw corrupt(`${generation}/${part.bm25} indexes ${read.rows} rows for ${rows} chunks`);
      postings.push(read);
      postingsFile = { name: part.bm25, sha256: checked.expected.sha256, bytes: checked.size, ino: checked.ino, mtimeMs: checked.mtimeMs };
    }
    segments.push({
      id: part.id,
      sources: docstore.documents.map((doc) => doc.source),
      rows,
      ...(scanFile ? { scan: scanFile } : {}),
      ...(postingsFile ? { bm25: postingsFile } : {}),
      docstore: { name: part.docstore, sha256: docstoreFile.expected.sha256, bytes: docstoreFile.size, ino: docstoreFile.ino, mtimeMs: docstoreFile.mtimeMs },
      vectors: { name: part.vectors, sha256: vectorFile.expected.sha256, bytes: vectorFile.size, ino: vectorFile.ino, mtimeMs: vectorFile.mtimeMs },
    });
  }
  if (storedChunks.length !== manifest.counts.chunks || loadedDocuments.size !== manifest.counts.documents || manifest.documents.length !== loadedDocuments.size) {
    throw corrupt(`${generation}: docstore counts disagree with the manifest`);
  }
  const { hnsw, graph } = openGraph(dir, generation, manifest, undefined);

  let bm25: Bm25Index | undefined = termTable ? Bm25Index.fromStored(termTable.table, postings) : undefined;
  if (!bm25 && manifest.files[FILE_NAMES.bm25]) {
    try {
      bm25 = Bm25Index.fromBytes(read(FILE_NAMES.bm25));
    } catch (error) {
      if (error instanceof CoreError) throw error;
      throw corrupt(`${generation}/${FILE_NAMES.bm25} could not be read: ${(error as Error).message}`);
    }
    if (bm25.size !== storedChunks.length) throw corrupt(`${generation}/${FILE_NAMES.bm25} indexes ${bm25.size} rows for ${storedChunks.length} chunks`);
  }

  let scan: Map<string, ScannedFile> | undefined = everySegmentScanned ? scannedInSegments : undefined;
  if (manifest.files[FILE_NAMES.scan]) {
    const records = parseOrCorrupt(scanFileSchema, parseJsonOrCorrupt(read(FILE_NAMES.scan).toString('utf8'), FILE_NAMES.scan), FILE_NAMES.scan);
    scan = new Map(records.files.map((file) => [file.source, file]));
  }

  // In the manifest's (scan) order, as the writer held them.
  const documents = new Map<string, StoredDocument>();
  for (const { source } of manifest.documents) {
    const doc = loadedDocuments.get(source);
    if (!doc) throw corrupt(`${generation}: document ${source} of the manifest is in no segment`);
    documents.set(source, doc);
  }
  const chunks: StoredChunk[] = [];
  for (const stored of storedChunks) {
    const doc = documents.get(stored.source);
    if (!doc || stored.end > doc.text.length || stored.start < 0 || stored.start >= stored.end) {
      throw corrupt(`${generation}: chunk ${stored.id} points outside its document`);
    }
    chunks.push({ ...stored, text: doc.text.slice(stored.start, stored.end) });
  }
  return {
    generation,
    createdAt: manifest.createdAt,
    embedder: manifest.embedder,
    documents,
    chunks,
    vectors,
    rowByLabel: new Map(chunks.map((chunk, row) => [chunk.label, row])),
    hnsw,
    ...(bm25 ? { bm25 } : {}),
    ...(termTable ? { bm25Terms: termTable.file } : {}),
    nextLabel: manifest.hnsw.nextLabel,
    skipped: manifest.skipped,
    ...(manifest.chunkerRevision !== undefined ? { chunkerRevision: manifest.chunkerRevision } : {}),
    ...(manifest.boilerplateLines && manifest.parserRevision !== undefined
      ? { boilerplateLines: manifest.boilerplateLines, parserRevision: manifest.parserRevision }
      : {}),
    ...(scan ? { scan } : {}),
    segments,
    graph,
  };
}

/**
 * The generation's graph: its base checked against the manifest (hashed in slices, ~0.5 GB at 1M chunks, unless
 * `trusted` records that this process verified exactly this file: same checksum, size, inode and modification
 * time), its log read and checked whole, then the base read by hnswlib and the log replayed on it. hnswlib never
 * sees unverified bytes, and the result must hold the manifest's element count.
 */
function openGraph(dir: string, generation: string, manifest: Manifest, trusted: GraphFiles | undefined): { hnsw: HnswIndex; graph: GraphFiles } {
  const dimension = manifest.embedder.dimension;
  const basePath = join(dir, FILE_NAMES.hnsw);
  if (!existsSync(basePath)) throw corrupt(`${generation}/${FILE_NAMES.hnsw} is missing`);
  const expected = manifest.files[FILE_NAMES.hnsw];
  const stat = statSync(basePath);
  if (stat.size !== expected.bytes) throw corrupt(`${generation}/${FILE_NAMES.hnsw} has ${stat.size} bytes, the manifest says ${expected.bytes}`);
  const base: SegmentFile = { name: FILE_NAMES.hnsw, sha256: expected.sha256, bytes: stat.size, ino: stat.ino, mtimeMs: stat.mtimeMs };
  const verifiedBefore =
    trusted !== undefined && trusted.base.sha256 === expected.sha256 && trusted.base.bytes === stat.size && trusted.base.ino === stat.ino && trusted.base.mtimeMs === stat.mtimeMs;
  if (!verifiedBefore && hashFile(basePath).sha256 !== expected.sha256) throw corrupt(`${generation}/${FILE_NAMES.hnsw} fails its SHA-256 check`);

  let log: GraphLogBody = EMPTY_GRAPH_LOG;
  let operations: GraphOperation[] = [];
  const logEntry = manifest.files[FILE_NAMES.hnswLog];
  if (logEntry) {
    const logPath = join(dir, FILE_NAMES.hnswLog);
    if (!existsSync(logPath)) throw corrupt(`${generation}/${FILE_NAMES.hnswLog} is missing`);
    const bytes = readFileSync(logPath);
    if (bytes.byteLength !== logEntry.bytes) throw corrupt(`${generation}/${FILE_NAMES.hnswLog} has ${bytes.byteLength} bytes, the manifest says ${logEntry.bytes}`);
    if (sha256(bytes) !== logEntry.sha256) throw corrupt(`${generation}/${FILE_NAMES.hnswLog} fails its SHA-256 check`);
    try {
      ({ body: log, operations } = parseGraphLog(bytes, dimension));
    } catch (error) {
      throw corrupt(`${generation}/${FILE_NAMES.hnswLog} is malformed (${(error as Error).message})`);
    }
  } else if (manifest.formatVersion >= 3) {
    throw corrupt(`${generation}/${FILE_NAMES.hnswLog} is not in the manifest`);
  }

  const hnsw = new hnswlib.HierarchicalNSW('cosine', dimension);
  try {
    hnsw.readIndexSync(basePath, true);
  } catch (error) {
    throw corrupt(`${generation}/${FILE_NAMES.hnsw} could not be read: ${(error as Error).message}`);
  }
  if (hnsw.getNumDimensions() !== dimension) throw corrupt(`${generation}/${FILE_NAMES.hnsw} does not match the manifest (dimension or element count)`);
  try {
    applyGraphOperations(hnsw, operations);
  } catch (error) {
    throw corrupt(`${generation}/${FILE_NAMES.hnswLog} could not be replayed on ${FILE_NAMES.hnsw}: ${(error as Error).message}`);
  }
  if (hnsw.getCurrentCount() !== manifest.hnsw.elements) {
    throw corrupt(`${generation}/${FILE_NAMES.hnsw} does not match the manifest (dimension or element count)`);
  }
  return { hnsw, graph: { base, log } };
}

/** Reads the file at `path` into `target` (exactly its size) and returns its SHA-256. */
function readInto(path: string, target: Uint8Array): string {
  const fd = openSync(path, 'r');
  const hash = createHash('sha256');
  try {
    let offset = 0;
    while (offset < target.byteLength) {
      const read = readSync(fd, target, offset, Math.min(4 << 20, target.byteLength - offset), null);
      if (read === 0) break;
      hash.update(target.subarray(offset, offset + read));
      offset += read;
    }
    if (offset !== target.byteLength || fstatSync(fd).size !== target.byteLength) return '';
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * A private copy of the graph of `snapshot`, the verified generation a process serves, provided CURRENT still
 * names it: the pointer's manifest checksum, the manifest's record of the graph's files and the graph's shape are
 * checked again; the base is hashed again only when it is no longer the file the snapshot verified (see
 * `openGraph`); the rest of the generation is taken from memory. A re-index patches this copy, never the graph
 * queries are running on. Throws INDEX_CORRUPT like `loadCurrentGeneration` when anything disagrees.
 */
export function graphCopyOfServing(indexDir: string, snapshot: IndexSnapshot): { hnsw: HnswIndex; graph: GraphFiles } {
  const pointerPath = join(indexDir, POINTER);
  const pointer = parseOrCorrupt(pointerSchema, readJsonOrCorrupt(pointerPath), pointerPath);
  if (pointer.generation !== snapshot.generation) throw corrupt(`CURRENT names ${pointer.generation}, not the served ${snapshot.generation}`);
  const dir = join(indexDir, snapshot.generation);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw corrupt(`generation ${snapshot.generation} has no manifest`);
  const manifestBytes = readFileSync(manifestPath);
  if (sha256(manifestBytes) !== pointer.manifestSha256) throw corrupt(`manifest of ${snapshot.generation} does not match the checksum recorded in CURRENT`);
  const manifest = parseOrCorrupt(manifestSchema, parseJsonOrCorrupt(manifestBytes.toString('utf8'), manifestPath), manifestPath);
  if (manifest.embedder.dimension !== snapshot.embedder.dimension || manifest.counts.chunks !== snapshot.chunks.length) {
    throw corrupt(`${snapshot.generation}/${FILE_NAMES.hnsw} does not match the manifest (dimension or element count)`);
  }
  return openGraph(dir, snapshot.generation, manifest, snapshot.graph);
}

/** Generations on disk, newest first (temporary directories excluded). */
export function listGenerations(indexDir: string): string[] {
  if (!existsSync(indexDir)) return [];
  return readdirSync(indexDir)
    .filter((name) => GENERATION_PATTERN.test(name))
    .sort((a, b) => generationNumber(b) - generationNumber(a));
}

/** Removes leftovers of interrupted writes. Only called while holding the writer lock. */
export function removeTemporaryGenerations(indexDir: string): void {
  if (!existsSync(indexDir)) return;
  for (const name of readdirSync(indexDir)) {
    if (/^gen-\d+\.tmp$/.test(name) || /^CURRENT\.tmp-\d+$/.test(name)) rmSync(join(indexDir, name), { recursive: true, force: true });
  }
}

function nextGenerationName(indexDir: string): string {
  const numbers = existsSync(indexDir)
    ? readdirSync(indexDir).map((name) => /^gen-(\d+)/.exec(name)?.[1]).filter((n): n is string => n !== undefined).map(Number)
    : [];
  const next = (numbers.length > 0 ? Math.max(...numbers) : 0) + 1;
  return `gen-${String(next).padStart(6, '0')}`;
}

function pruneGenerations(indexDir: string, keep: ReadonlyArray<string | null>): void {
  for (const name of listGenerations(indexDir)) {
    if (!keep.includes(name)) rmSync(join(indexDir, name), { recursive: true, force: true });
  }
}

/** The generation CURRENT points to, without verifying it (null when there is no readable pointer). */
export function currentGenerationName(indexDir: string): string | null {
  try {
    const parsed = pointerSchema.safeParse(JSON.parse(readFileSync(join(indexDir, POINTER), 'utf8')));
    return parsed.success ? parsed.data.generation : null;
  } catch {
    return null;
  }
}

/** The newest generation other than `exclude` that passes full verification, for falling back after damage. */
export function newestLoadableGeneration(indexDir: string, exclude: string | null): string | null {
  return newestLoadableSnapshot(indexDir, exclude)?.generation ?? null;
}

export function newestLoadableSnapshot(indexDir: string, exclude: string | null): IndexSnapshot | null {
  for (const name of listGenerations(indexDir)) {
    if (name === exclude) continue;
    try {
      return loadGeneration(indexDir, name);
    } catch {
      // damaged too: try the next older one
    }
  }
  return null;
}

function generationNumber(name: string): number {
  return Number(GENERATION_PATTERN.exec(name)?.[1] ?? -1);
}

function corrupt(message: string): CoreError {
  return new CoreError('INDEX_CORRUPT', `Index is damaged: ${message}.`);
}

function readJsonOrCorrupt(path: string): unknown {
  return parseJsonOrCorrupt(readFileSync(path, 'utf8'), path);
}

function parseJsonOrCorrupt(text: string, label: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw corrupt(`${label} is not valid JSON`);
  }
}

function parseOrCorrupt<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, value: unknown, label: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw corrupt(`${label} is malformed${issue ? ` (${issue.path.map(String).join('.') || 'root'}: ${issue.message})` : ''}`);
  }
  return result.data;
}
