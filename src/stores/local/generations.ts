// Generations on disk:
//   INDEX_DIR/CURRENT          {"generation","manifestSha256"}: replaced atomically, the single switch
//   INDEX_DIR/gen-000042/      manifest.json, docstore.json, vectors.f32, hnsw.bin
// A new generation is written to a temporary directory, fsynced and renamed before CURRENT moves to it, so a
// crash at any point leaves the previous generation current and loadable. Every file is checked against the
// manifest's checksums before hnswlib sees it: the native reader trusts its input.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { CoreError } from '../../core/errors.js';
import {
  FILE_NAMES,
  INDEX_FORMAT_VERSION,
  docstoreSchema,
  manifestSchema,
  pointerSchema,
  scanFileSchema,
  type DocstoreFile,
  type Manifest,
} from './manifest.js';
import { fsyncDirectory, fsyncFile, hashFile, replaceFileAtomic, sha256, writeFileDurable, writePiecesDurable } from './files.js';
import { Bm25Index } from '../../core/retrieve/bm25.js';
import type { ScannedFile } from '../../core/ingest/load.js';
import type { SkippedFile, StoredDocument } from '../../core/types.js';
import type { HnswIndex, IndexSnapshot, StoredChunk } from './snapshot.js';

const POINTER = 'CURRENT';
const GENERATION_PATTERN = /^gen-(\d{6,})$/;

export interface GenerationContent {
  embedder: { id: string; dimension: number };
  documents: readonly StoredDocument[];
  chunks: readonly StoredChunk[];
  vectors: Float32Array;
  hnsw: HnswIndex;
  /** Keyword postings of `chunks`, stored beside them so loading does not tokenise the corpus again. */
  bm25: Bm25Index;
  hnswParams: { m: number; efConstruction: number; nextLabel: number };
  skipped: readonly SkippedFile[];
  boilerplateLines?: readonly string[];
  parserRevision?: number;
  chunkerRevision?: number;
  scan?: readonly ScannedFile[];
}

export function hasIndex(indexDir: string): boolean {
  return existsSync(join(indexDir, POINTER));
}

/**
 * Writes a complete new generation and makes it current. Afterwards only the new generation and `keep` (the
 * last generation known to be good, the fallback) remain; damaged or never-switched ones are removed.
 */
export function writeGeneration(
  indexDir: string,
  content: GenerationContent,
  hooks: { beforeSwitch?: () => void; keep?: string | null } = {},
): IndexSnapshot {
  mkdirSync(indexDir, { recursive: true });
  const generation = nextGenerationName(indexDir);
  const finalDir = join(indexDir, generation);
  const temporaryDir = join(indexDir, `${generation}.tmp`);
  rmSync(temporaryDir, { recursive: true, force: true });
  mkdirSync(temporaryDir);

  // Streamed: the same bytes as JSON.stringify({ documents, chunks }), without a 50 MB string and buffer at 100k chunks.
  const docstoreFile = writePiecesDurable(join(temporaryDir, FILE_NAMES.docstore), docstorePieces(content.documents, content.chunks));
  const vectorBytes = new Uint8Array(content.vectors.buffer, content.vectors.byteOffset, content.vectors.byteLength);
  writeFileDurable(join(temporaryDir, FILE_NAMES.vectors), vectorBytes);
  const hnswPath = join(temporaryDir, FILE_NAMES.hnsw);
  content.hnsw.writeIndexSync(hnswPath);
  const hnswFile = hashFile(hnswPath);
  fsyncFile(hnswPath); // hnswlib does not fsync
  const bm25Bytes = content.bm25.toBytes();
  writeFileDurable(join(temporaryDir, FILE_NAMES.bm25), bm25Bytes);
  const scanBytes = content.scan ? Buffer.from(JSON.stringify({ files: content.scan }), 'utf8') : null;
  if (scanBytes) writeFileDurable(join(temporaryDir, FILE_NAMES.scan), scanBytes);

  const createdAt = new Date().toISOString();
  const elements = content.hnsw.getCurrentCount();
  // One pass over the chunks: filtering them once per document is quadratic (minutes at 100k chunks).
  const chunksPerSource = new Map<string, number>();
  for (const chunk of content.chunks) chunksPerSource.set(chunk.source, (chunksPerSource.get(chunk.source) ?? 0) + 1);
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
    files: {
      [FILE_NAMES.docstore]: docstoreFile,
      [FILE_NAMES.vectors]: { sha256: sha256(vectorBytes), bytes: vectorBytes.byteLength },
      [FILE_NAMES.hnsw]: hnswFile,
      [FILE_NAMES.bm25]: { sha256: sha256(bm25Bytes), bytes: bm25Bytes.byteLength },
      ...(scanBytes ? { [FILE_NAMES.scan]: { sha256: sha256(scanBytes), bytes: scanBytes.byteLength } } : {}),
    },
  };
  const manifestBytes = JSON.stringify(manifest, null, 1);
  writeFileDurable(join(temporaryDir, 'manifest.json'), manifestBytes);
  fsyncDirectory(temporaryDir);
  renameSync(temporaryDir, finalDir);
  fsyncDirectory(indexDir);

  hooks.beforeSwitch?.();
  replaceFileAtomic(join(indexDir, POINTER), JSON.stringify({ generation, manifestSha256: sha256(manifestBytes) }));
  pruneGenerations(indexDir, [generation, hooks.keep ?? null]);

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
    nextLabel: content.hnswParams.nextLabel,
    skipped: content.skipped,
    ...(content.chunkerRevision !== undefined ? { chunkerRevision: content.chunkerRevision } : {}),
    ...(content.boilerplateLines && content.parserRevision !== undefined
      ? { boilerplateLines: content.boilerplateLines, parserRevision: content.parserRevision }
      : {}),
    ...(content.scan ? { scan: new Map(content.scan.map((file) => [file.source, file])) } : {}),
  };
}

/** The docstore file's JSON, piece by piece: `{"documents":[…],"chunks":[…]}` with the fields `DocstoreFile` declares. */
function* docstorePieces(documents: readonly StoredDocument[], chunks: readonly StoredChunk[]): Generator<string> {
  yield '{"documents":[';
  for (let i = 0; i < documents.length; i++) yield (i > 0 ? ',' : '') + JSON.stringify({ ...documents[i]! } satisfies DocstoreFile['documents'][number]);
  yield '],"chunks":[';
  for (let i = 0; i < chunks.length; i++) {
    const { id, source, start, end, label } = chunks[i]!;
    yield (i > 0 ? ',' : '') + JSON.stringify({ id, source, start, end, label } satisfies DocstoreFile['chunks'][number]);
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
  if (typeof rawManifest === 'object' && rawManifest !== null && (rawManifest as { formatVersion?: unknown }).formatVersion !== INDEX_FORMAT_VERSION) {
    throw corrupt(`index format ${String((rawManifest as { formatVersion?: unknown }).formatVersion)} is not the supported format ${INDEX_FORMAT_VERSION}`);
  }
  const manifest = parseOrCorrupt(manifestSchema, rawManifest, manifestPath);

  const read = (name: keyof Manifest['files']): Buffer => {
    const path = join(dir, name);
    if (!existsSync(path)) throw corrupt(`${generation}/${name} is missing`);
    const expected = manifest.files[name];
    if (!expected) throw corrupt(`${generation}/${name} is not in the manifest`);
    const size = statSync(path).size;
    if (size !== expected.bytes) throw corrupt(`${generation}/${name} has ${size} bytes, the manifest says ${expected.bytes}`);
    const bytes = readFileSync(path);
    if (sha256(bytes) !== expected.sha256) throw corrupt(`${generation}/${name} fails its SHA-256 check`);
    return bytes;
  };

  const docstore = parseOrCorrupt(docstoreSchema, parseJsonOrCorrupt(read(FILE_NAMES.docstore).toString('utf8'), FILE_NAMES.docstore), FILE_NAMES.docstore);
  const dimension = manifest.embedder.dimension;
  const vectorBytes = read(FILE_NAMES.vectors);
  if (vectorBytes.byteLength !== docstore.chunks.length * dimension * 4) {
    throw corrupt(`${generation}/${FILE_NAMES.vectors} holds ${vectorBytes.byteLength / 4 / dimension} vectors for ${docstore.chunks.length} chunks`);
  }
  if (docstore.chunks.length !== manifest.counts.chunks || docstore.documents.length !== manifest.counts.documents) {
    throw corrupt(`${generation}: docstore counts disagree with the manifest`);
  }
  read(FILE_NAMES.hnsw); // checksum only; hnswlib reads the verified file itself

  const hnsw = new hnswlib.HierarchicalNSW('cosine', dimension);
  try {
    hnsw.readIndexSync(join(dir, FILE_NAMES.hnsw), true);
  } catch (error) {
    throw corrupt(`${generation}/${FILE_NAMES.hnsw} could not be read: ${(error as Error).message}`);
  }
  if (hnsw.getNumDimensions() !== dimension || hnsw.getCurrentCount() !== manifest.hnsw.elements) {
    throw corrupt(`${generation}/${FILE_NAMES.hnsw} does not match the manifest (dimension or element count)`);
  }

  let bm25: Bm25Index | undefined;
  if (manifest.files[FILE_NAMES.bm25]) {
    try {
      bm25 = Bm25Index.fromBytes(read(FILE_NAMES.bm25));
    } catch (error) {
      if (error instanceof CoreError) throw error;
      throw corrupt(`${generation}/${FILE_NAMES.bm25} could not be read: ${(error as Error).message}`);
    }
    if (bm25.size !== docstore.chunks.length) throw corrupt(`${generation}/${FILE_NAMES.bm25} indexes ${bm25.size} rows for ${docstore.chunks.length} chunks`);
  }

  let scan: Map<string, ScannedFile> | undefined;
  if (manifest.files[FILE_NAMES.scan]) {
    const records = parseOrCorrupt(scanFileSchema, parseJsonOrCorrupt(read(FILE_NAMES.scan).toString('utf8'), FILE_NAMES.scan), FILE_NAMES.scan);
    scan = new Map(records.files.map((file) => [file.source, file]));
  }

  const vectors = new Float32Array(docstore.chunks.length * dimension);
  new Uint8Array(vectors.buffer).set(vectorBytes);
  const documents = new Map<string, StoredDocument>(docstore.documents.map((doc) => [doc.source, doc]));
  const chunks: StoredChunk[] = [];
  for (const stored of docstore.chunks) {
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
    nextLabel: manifest.hnsw.nextLabel,
    skipped: manifest.skipped,
    ...(manifest.chunkerRevision !== undefined ? { chunkerRevision: manifest.chunkerRevision } : {}),
    ...(manifest.boilerplateLines && manifest.parserRevision !== undefined
      ? { boilerplateLines: manifest.boilerplateLines, parserRevision: manifest.parserRevision }
      : {}),
    ...(scan ? { scan } : {}),
  };
}

/**
 * A private copy of the graph of `snapshot`, the verified generation a process serves, provided CURRENT still
 * names it: the pointer's manifest checksum, the manifest's record of hnsw.bin (size and SHA-256) and the graph's
 * shape are checked again, the rest of the generation is taken from memory. A re-index patches this copy, never
 * the graph queries are running on. Throws INDEX_CORRUPT like `loadCurrentGeneration` when anything disagrees.
 */
export function graphCopyOfServing(indexDir: string, snapshot: IndexSnapshot): HnswIndex {
  const pointerPath = join(indexDir, POINTER);
  const pointer = parseOrCorrupt(pointerSchema, readJsonOrCorrupt(pointerPath), pointerPath);
  if (pointer.generation !== snapshot.generation) throw corrupt(`CURRENT names ${pointer.generation}, not the served ${snapshot.generation}`);
  const dir = join(indexDir, snapshot.generation);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw corrupt(`generation ${snapshot.generation} has no manifest`);
  const manifestBytes = readFileSync(manifestPath);
  if (sha256(manifestBytes) !== pointer.manifestSha256) throw corrupt(`manifest of ${snapshot.generation} does not match the checksum recorded in CURRENT`);
  const manifest = parseOrCorrupt(manifestSchema, parseJsonOrCorrupt(manifestBytes.toString('utf8'), manifestPath), manifestPath);
  const path = join(dir, FILE_NAMES.hnsw);
  if (!existsSync(path)) throw corrupt(`${snapshot.generation}/${FILE_NAMES.hnsw} is missing`);
  const expected = manifest.files[FILE_NAMES.hnsw];
  const bytes = readFileSync(path);
  if (bytes.byteLength !== expected.bytes || sha256(bytes) !== expected.sha256) throw corrupt(`${snapshot.generation}/${FILE_NAMES.hnsw} fails its SHA-256 check`);
  const dimension = snapshot.embedder.dimension;
  const hnsw = new hnswlib.HierarchicalNSW('cosine', dimension);
  try {
    hnsw.readIndexSync(path, true);
  } catch (error) {
    throw corrupt(`${snapshot.generation}/${FILE_NAMES.hnsw} could not be read: ${(error as Error).message}`);
  }
  if (hnsw.getNumDimensions() !== dimension || hnsw.getCurrentCount() !== manifest.hnsw.elements || manifest.counts.chunks !== snapshot.chunks.length) {
    throw corrupt(`${snapshot.generation}/${FILE_NAMES.hnsw} does not match the manifest (dimension or element count)`);
  }
  return hnsw;
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
