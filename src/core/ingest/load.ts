// Corpus directory → clean documents. File-system trouble is reported per file in `skipped`; it never stops the run.
import { statSync, type Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CoreError, isCoreError } from '../errors.js';
import type { CleanDocument, SkippedFile } from '../types.js';
import { decodeBytes } from './decode.js';
import { IngestError, isIngestError, MAX_FILE_BYTES, tooLargeReason } from './ingest-error.js';
import { boilerplateKey, isShortLine } from './patterns.js';
import { sharedExtractor, type DocumentExtractor } from './extract/extractor.js';
import { formatOf, sha256, unsupportedReason } from './parse.js';
import { readSourceAddresses, withSourceAddress } from './source-addresses.js';

export interface LoadCorpusResult {
  documents: CleanDocument[];
  skipped: SkippedFile[];
  /** Short lines found in two or more documents (boilerplate keys), sorted: part of every document's parse input. */
  boilerplateLines?: string[];
  /** PARSER_REVISION of the code that produced `documents`. */
  parserRevision?: number;
  /** What this scan learned about each loaded document's file, for the next scan (`previous.scan`). */
  scan?: ScannedFile[];
}

/**
 * What a scan remembers of one file. The next scan trusts it for a file whose size, modification time and inode
 * are unchanged: it neither reads nor decodes that file again (the stored document is reused).
 */
export interface ScannedFile {
  source: string;
  /** -1: recorded too close to the file's last change to trust (a write in the same clock tick goes unseen). */
  size: number;
  mtimeMs: number;
  ino: number;
  /** SHA-256 of the bytes: the stored document's `fileHash`. */
  fileHash: string;
  /** The file's contribution to the cross-document boilerplate lines (plain text and Markdown), else null. */
  lineKeys: string[] | null;
  /** Every line key (short enough to be boilerplate) its parse looked up in the boilerplate set; null: unknown. */
  consulted: string[] | null;
  /**
   * SHA-256 of the cleaned text (what duplicates are found by), so a reused document is not hashed again: at 100k
   * chunks hashing every text took ~60 ms of each re-index. Absent in records written before it was kept.
   */
  textHash?: string;
}

/** A file modified this recently may change again within the same timestamp tick: its stat is not trusted. */
const RACY_MS = 2000;

/**
 * Bump when parsing or cleaning gives different documents for the same bytes: documents stored by another revision
 * are then parsed again instead of being reused (see `LoadCorpusOptions.previous`).
 */
export const PARSER_REVISION = 14;

export interface LoadCorpusOptions {
  /**
   * Documents of an earlier load and the boilerplate lines it found. Parsing is a pure function of the bytes and
   * those lines, so a file whose SHA-256 equals its stored `fileHash` is not parsed again while the lines are the
   * same: a re-index reads every file but only cleans what changed.
   */
  previous?: {
    documents: ReadonlyMap<string, CleanDocument>;
    boilerplateLines: readonly string[];
    parserRevision: number;
    /**
     * The earlier scan's file records. With them, an unchanged file (same size, mtime, inode) is not read at all,
     * and when the boilerplate lines change, only documents whose parse consulted a changed line are parsed again.
     */
    scan?: ReadonlyMap<string, ScannedFile>;
  };
  /**
   * Parses every file off the event loop, under its time and memory limits; by default the process's shared one
   * (`sharedExtractor`).
   */
  extractor?: DocumentExtractor;
}

interface Listed {
  source: string;
  absolute: string;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

function isInside(root: string, target: string): boolean {
  return target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Recursive listing, sorted by code point so the order (and duplicate resolution) never depends on locale. */
async function listCorpus(root: string): Promise<{ files: Listed[]; skipped: SkippedFile[] }> {
  const files: Listed[] = [];
  const skipped: SkippedFile[] = [];
  const visited = new Set<string>([root]);

  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: prefix || '.', reason: `unreadable: ${errorCode(error)}` });
      return;
    }
    entries.sort((a, b) => byCodePoint(a.name, b.name));
    for (const entry of entries) {
      // Hidden entries are editor, VCS or index state, not corpus documents.
      if (entry.name.startsWith('.')) continue;
      const absolute = path.join(dir, entry.name);
      const source = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(absolute);
        } catch (error) {
          skipped.push({ path: source, reason: errorCode(error) === 'ENOENT' ? 'broken symlink' : `unreadable: ${errorCode(error)}` });
          continue;
        }
        if (!isInside(root, target)) {
          skipped.push({ path: source, reason: 'symlink outside the corpus' });
          continue;
        }
        let info;
        try {
          info = await stat(target);
        } catch (error) {
          skipped.push({ path: source, reason: `unreadable: ${errorCode(error)}` });
          continue;
        }
        if (info.isDirectory()) {
          if (visited.has(target)) continue;
          visited.add(target);
          await walk(target, source);
        } else if (info.isFile()) {
          files.push({ source, absolute });
        } else {
          skipped.push({ path: source, reason: 'not a regular file' });
        }
      } else if (entry.isDirectory()) {
        // A directory is walked whatever its name ("x.txt/" included): it is never a document itself.
        let real = absolute;
        try {
          real = await realpath(absolute);
        } catch {
          // Keep the listed path; readdir will report the problem.
        }
        if (visited.has(real)) continue;
        visited.add(real);
        await walk(absolute, source);
      } else if (entry.isFile()) {
        files.push({ source, absolute });
      } else {
        skipped.push({ path: source, reason: 'not a regular file' });
      }
    }
  };

  await walk(root, '');
  files.sort((a, b) => byCodePoint(a.source, b.source));
  return { files, skipped };
}

/** Files read concurrently by loadCorpus (libuv runs four file-system threads by default). */
const READ_CONCURRENCY = 16;

type ReadOutcome = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

export async function readCorpusFile(absolute: string): Promise<ReadOutcome> {
  try {
    const info = await stat(absolute);
    if (!info.isFile()) return { ok: false, reason: 'not a regular file' };
    if (info.size > MAX_FILE_BYTES) return { ok: false, reason: tooLargeReason(info.size) };
    const bytes = await readFile(absolute);
    // The file may have grown since stat.
    if (bytes.length > MAX_FILE_BYTES) return { ok: false, reason: tooLargeReason(bytes.length) };
    return { ok: true, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return { ok: false, reason: 'file disappeared while reading' };
    if (code === 'EISDIR') return { ok: false, reason: 'not a regular file' };
    return { ok: false, reason: `unreadable: ${code}` };
  }
}

/** Short-line keys of a plain-text or Markdown file (its contribution to the boilerplate lines), else null. */
function lineKeysOf(source: string, bytes: Uint8Array): string[] | null {
  const format = formatOf(source);
  if (format !== 'txt' && format !== 'md') return null;
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return null;
  const keys = new Set<string>();
  for (const line of decoded.text.split(/\r\n|\r|\n/)) {
    if (isShortLine(line)) keys.add(boilerplateKey(line));
  }
  return [...keys];
}

/**
 * Short lines present in two or more distinct plain-text or Markdown documents: menus, section labels, widgets.
 * Identical files count once, or a copied page would turn its own headings into boilerplate.
 */
function crossDocumentLines(files: ReadonlyArray<{ fileHash: string; lineKeys: readonly string[] | null }>): Set<string> {
  const counts = new Map<string, number>();
  const seenFiles = new Set<string>();
  for (const { fileHash, lineKeys } of files) {
    if (!lineKeys || seenFiles.has(fileHash)) continue;
    seenFiles.add(fileHash);
    for (const key of lineKeys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const lines = new Set<string>();
  for (const [key, count] of counts) if (count >= 2) lines.add(key);
  return lines;
}

type FileState =
  | { ok: true; source: string; absolute: string; bytes: Uint8Array | null; size: number; mtimeMs: number; ino: number; fileHash: string; lineKeys: string[] | null; cached: ScannedFile | null }
  | { ok: false; source: string; reason: string };

/** Stats a file; reads, hashes and decodes it only when the earlier scan's record of it cannot be trusted. */
async function scanFile(file: Listed, remembered: ScannedFile | undefined): Promise<FileState> {
  let info;
  try {
    // Synchronous on purpose: a stat answered from the inode cache costs microseconds, and the promise machinery
    // around an asynchronous one cost more than the call (~80 → ~25 ms for 11k files).
    info = statSync(file.absolute);
  } catch (error) {
    const code = errorCode(error);
    return { ok: false, source: file.source, reason: code === 'ENOENT' ? 'file disappeared while reading' : `unreadable: ${code}` };
  }
  if (!info.isFile()) return { ok: false, source: file.source, reason: 'not a regular file' };
  if (info.size > MAX_FILE_BYTES) return { ok: false, source: file.source, reason: tooLargeReason(info.size) };
  const unchanged = remembered && remembered.size === info.size && remembered.mtimeMs === info.mtimeMs && remembered.ino === info.ino;
  if (unchanged) {
    return { ok: true, source: file.source, absolute: file.absolute, bytes: null, size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, fileHash: remembered.fileHash, lineKeys: remembered.lineKeys, cached: remembered };
  }
  const read = await readCorpusFile(file.absolute);
  if (!read.ok) return { ok: false, source: file.source, reason: read.reason };
  return {
    ok: true,
    source: file.source,
    absolute: file.absolute,
    bytes: read.bytes,
    size: read.bytes.byteLength,
    mtimeMs: info.mtimeMs,
    ino: info.ino,
    fileHash: sha256(read.bytes),
    lineKeys: lineKeysOf(file.source, read.bytes),
    cached: null,
  };
}

export async function loadCorpus(corpusDir: string, options: LoadCorpusOptions = {}): Promise<LoadCorpusResult> {
  let root: string;
  try {
    root = await realpath(path.resolve(corpusDir));
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new CoreError('INVALID_INPUT', `corpus directory is not readable: ${corpusDir}`, { cause: error });
  }

  const scanStarted = Date.now();
  const listing = await listCorpus(root);
  const skipped: SkippedFile[] = [...listing.skipped];
  const supported = listing.files.filter((file) => {
    if (formatOf(file.source)) return true;
    skipped.push({ path: file.source, reason: unsupportedReason(file.source) });
    return false;
  });
  // Records of the earlier scan are only trusted with the documents they describe, from the same parser.
  const earlier = options.previous && options.previous.parserRevision === PARSER_REVISION ? options.previous : null;
  const remembered = (source: string): ScannedFile | undefined => {
    const record = earlier?.scan?.get(source);
    return record && earlier?.documents.get(source)?.fileHash === record.fileHash ? record : undefined;
  };
  // Several files in flight: one at a time, a corpus of 10,000 small files spent seconds waiting on round trips.
  const states = new Array<FileState>(supported.length);
  let nextFile = 0;
  const scanner = async () => {
    while (nextFile < supported.length) {
      const i = nextFile++;
      const file = supported[i]!;
      states[i] = await scanFile(file, remembered(file.source));
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, supported.length) }, scanner));
  const readable: Array<Extract<FileState, { ok: true }>> = [];
  for (const state of states) {
    if (state.ok) readable.push(state);
    else skipped.push({ path: state.source, reason: state.reason });
  }

  const boilerplateLines = crossDocumentLines(readable);
  const sortedLines = [...boilerplateLines].sort(byCodePoint);
  // Lines that entered or left the set since the earlier scan: a document whose parse never looked one up
  // would be parsed exactly as before.
  const linesSame = earlier !== null && sameLines(earlier.boilerplateLines, sortedLines);
  const changedLines = new Set<string>();
  if (earlier && !linesSame) {
    const before = new Set(earlier.boilerplateLines);
    for (const line of sortedLines) if (!before.has(line)) changedLines.add(line);
    for (const line of before) if (!boilerplateLines.has(line)) changedLines.add(line);
  }
  const documents: CleanDocument[] = [];
  const scan: ScannedFile[] = [];
  const firstByText = new Map<string, string>();
  // Documents added by link carry the address they came from (uploads manifest).
  const addresses = await readSourceAddresses(root);
  const extractor = (): DocumentExtractor => options.extractor ?? sharedExtractor();
  for (const file of readable) {
    let doc: CleanDocument;
    let consulted: string[] | null;
    let knownTextHash: string | undefined;
    try {
      const before = earlier?.documents.get(file.source);
      const record = earlier?.scan?.get(file.source);
      const knownConsulted = record && record.fileHash === file.fileHash ? record.consulted : null;
      const reusable =
        before !== undefined &&
        before.fileHash === file.fileHash &&
        (linesSame || (knownConsulted !== null && !knownConsulted.some((key) => changedLines.has(key))));
      if (reusable) {
        doc = cleanDocumentOf(before);
        // The record describes the same bytes (same fileHash) and the text is the stored one it was taken from.
        if (record?.textHash !== undefined && record.fileHash === file.fileHash) knownTextHash = record.textHash;
        // Unknown for documents stored before parses were observed: any change of the lines re-parses them.
        consulted = knownConsulted;
      } else {
        ({ doc, consulted } = await parseRecorded(file, await bytesOf(file), sortedLines, extractor));
      }
    } catch (error) {
      // A parser that cannot run is nobody's file: skipping them all would empty the index.
      if (isCoreError(error, 'PARSER_UNAVAILABLE')) throw error;
      const reason = isIngestError(error) ? error.reason : `could not parse: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
      skipped.push({ path: file.source, reason });
      continue;
    }
    doc = withSourceAddress(doc, addresses.get(file.source));
    // Same article under two names: keep the first in sorted order so answers cite one stable source.
    const textHash = knownTextHash ?? sha256(doc.text);
    const first = firstByText.get(textHash);
    if (first !== undefined) {
      skipped.push({ path: file.source, reason: `duplicate of ${first}` });
      continue;
    }
    firstByText.set(textHash, file.source);
    documents.push(doc);
    const racy = file.mtimeMs > scanStarted - RACY_MS;
    scan.push({ source: file.source, size: racy ? -1 : file.size, mtimeMs: file.mtimeMs, ino: file.ino, fileHash: file.fileHash, lineKeys: file.lineKeys, consulted, textHash });
  }

  skipped.sort((a, b) => byCodePoint(a.path, b.path));
  return { documents, skipped, boilerplateLines: sortedLines, parserRevision: PARSER_REVISION, scan };
}

/** The file's bytes: already read, or read now (its record was trusted, but its document cannot be reused). */
async function bytesOf(file: Extract<FileState, { ok: true }>): Promise<Uint8Array> {
  if (file.bytes) return file.bytes;
  const read = await readCorpusFile(file.absolute);
  if (!read.ok) throw new IngestError(file.source, read.reason);
  if (sha256(read.bytes) !== file.fileHash) throw new IngestError(file.source, 'file changed while reading');
  return read.bytes;
}

/** Parses a file in the worker: its document, and the boilerplate keys the parse looked up. */
async function parseRecorded(
  file: { source: string },
  bytes: Uint8Array,
  boilerplateLines: readonly string[],
  extractor: () => DocumentExtractor,
): Promise<{ doc: CleanDocument; consulted: string[] }> {
  const outcome = await extractor().parse(file.source, bytes, boilerplateLines);
  if (!outcome.ok) throw new IngestError(file.source, outcome.reason);
  return outcome.value;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

/** The CleanDocument fields of a stored document (which may carry index bookkeeping besides). */
function cleanDocumentOf(doc: CleanDocument): CleanDocument {
  const { source, title, publishedAt, dateProvenance, dateConfidence, url, format, text, fileHash, contentHash, pageStarts } = doc;
  return { source, title, publishedAt, dateProvenance, dateConfidence, url, format, text, fileHash, contentHash, ...(pageStarts ? { pageStarts } : {}) };
}
