// Corpus directory → clean documents. File-system trouble is reported per file in `skipped`; it never stops the run.
import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CoreError } from '../errors.js';
import type { CleanDocument, SkippedFile } from '../types.js';
import { decodeBytes } from './decode.js';
import { isIngestError, MAX_FILE_BYTES, tooLargeReason } from './ingest-error.js';
import { boilerplateKey, isShortLine } from './patterns.js';
import { DocumentExtractor } from './extract/extractor.js';
import { formatOf, isBinaryFormat, parseAnyDocument, parseDocument, sha256, unsupportedReason } from './parse.js';

export interface LoadCorpusResult {
  documents: CleanDocument[];
  skipped: SkippedFile[];
  /** Short lines found in two or more documents (boilerplate keys), sorted: part of every document's parse input. */
  boilerplateLines?: string[];
  /** PARSER_REVISION of the code that produced `documents`. */
  parserRevision?: number;
}

/**
 * Bump when parsing or cleaning gives different documents for the same bytes: documents stored by another revision
 * are then parsed again instead of being reused (see `LoadCorpusOptions.previous`).
 */
export const PARSER_REVISION = 2;

export interface LoadCorpusOptions {
  /**
   * Documents of an earlier load and the boilerplate lines it found. Parsing is a pure function of the bytes and
   * those lines, so a file whose SHA-256 equals its stored `fileHash` is not parsed again while the lines are the
   * same: a re-index reads every file but only cleans what changed.
   */
  previous?: { documents: ReadonlyMap<string, CleanDocument>; boilerplateLines: readonly string[]; parserRevision: number };
  /** Parses PDF and Word files off the event loop; by default one is started (and ended) for this load. */
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

/**
 * Short lines present in two or more distinct plain-text or Markdown documents: menus, section labels, widgets.
 * Identical files count once, or a copied page would turn its own headings into boilerplate.
 */
function crossDocumentLines(files: ReadonlyArray<{ source: string; bytes: Uint8Array }>): Set<string> {
  const counts = new Map<string, number>();
  const seenFiles = new Set<string>();
  for (const { source, bytes } of files) {
    const format = formatOf(source);
    if (format !== 'txt' && format !== 'md') continue;
    const hash = sha256(bytes);
    if (seenFiles.has(hash)) continue;
    seenFiles.add(hash);
    const decoded = decodeBytes(bytes);
    if (!decoded.ok) continue;
    const keys = new Set<string>();
    for (const line of decoded.text.split(/\r\n|\r|\n/)) {
      if (isShortLine(line)) keys.add(boilerplateKey(line));
    }
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const lines = new Set<string>();
  for (const [key, count] of counts) if (count >= 2) lines.add(key);
  return lines;
}

export async function loadCorpus(corpusDir: string, options: LoadCorpusOptions = {}): Promise<LoadCorpusResult> {
  let root: string;
  try {
    root = await realpath(path.resolve(corpusDir));
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new CoreError('INVALID_INPUT', `corpus directory is not readable: ${corpusDir}`, { cause: error });
  }

  const listing = await listCorpus(root);
  const skipped: SkippedFile[] = [...listing.skipped];
  const readable: Array<{ source: string; bytes: Uint8Array }> = [];
  const supported = listing.files.filter((file) => {
    if (formatOf(file.source)) return true;
    skipped.push({ path: file.source, reason: unsupportedReason(file.source) });
    return false;
  });
  // Several reads in flight: one at a time, a corpus of 10,000 small files spent seconds waiting on round trips.
  const outcomes = new Array<ReadOutcome>(supported.length);
  let nextFile = 0;
  const reader = async () => {
    while (nextFile < supported.length) {
      const i = nextFile++;
      outcomes[i] = await readCorpusFile(supported[i]!.absolute);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, supported.length) }, reader));
  supported.forEach((file, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) readable.push({ source: file.source, bytes: outcome.bytes });
    else skipped.push({ path: file.source, reason: outcome.reason });
  });

  const boilerplateLines = crossDocumentLines(readable);
  const sortedLines = [...boilerplateLines].sort(byCodePoint);
  const previous =
    options.previous && options.previous.parserRevision === PARSER_REVISION && sameLines(options.previous.boilerplateLines, sortedLines)
      ? options.previous.documents
      : null;
  const documents: CleanDocument[] = [];
  const firstByText = new Map<string, string>();
  let ownExtractor: DocumentExtractor | null = null;
  const extractor = (): DocumentExtractor => options.extractor ?? (ownExtractor ??= new DocumentExtractor());
  try {
    for (const file of readable) {
      let doc: CleanDocument;
      try {
        const before = previous?.get(file.source);
        const format = formatOf(file.source);
        doc =
          before && before.fileHash === sha256(file.bytes)
            ? cleanDocumentOf(before)
            : format && isBinaryFormat(format)
              ? await parseAnyDocument(file.source, file.bytes, { boilerplateLines, extractor: extractor() })
              : parseDocument(file.source, file.bytes, { boilerplateLines });
      } catch (error) {
        const reason = isIngestError(error) ? error.reason : `could not parse: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
        skipped.push({ path: file.source, reason });
        continue;
      }
      // Same article under two names: keep the first in sorted order so answers cite one stable source.
      const textHash = sha256(doc.text);
      const first = firstByText.get(textHash);
      if (first !== undefined) {
        skipped.push({ path: file.source, reason: `duplicate of ${first}` });
        continue;
      }
      firstByText.set(textHash, file.source);
      documents.push(doc);
    }
  } finally {
    await (ownExtractor as DocumentExtractor | null)?.close();
  }

  skipped.sort((a, b) => byCodePoint(a.path, b.path));
  return { documents, skipped, boilerplateLines: sortedLines, parserRevision: PARSER_REVISION };
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

/** The CleanDocument fields of a stored document (which may carry index bookkeeping besides). */
function cleanDocumentOf(doc: CleanDocument): CleanDocument {
  const { source, title, publishedAt, dateProvenance, dateConfidence, url, format, text, fileHash, contentHash, pageStarts } = doc;
  return { source, title, publishedAt, dateProvenance, dateConfidence, url, format, text, fileHash, contentHash, ...(pageStarts ? { pageStarts } : {}) };
}
