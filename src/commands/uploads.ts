// Files added and removed from chat: safe names, atomic writes under CORPUS_DIR/uploads/, a small manifest of who
// added what and when (uploads/.uploads.json, hidden so the corpus scanner skips it), and a trash folder
// (CORPUS_DIR/.trash/) instead of deletion. Everything that lands in the corpus is written to a temporary name first
// and then renamed or linked into place, so a crash never leaves half a document for the next re-index.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { formatOf } from '../core/ingest/parse.js';
import { UPLOADS_MANIFEST } from '../core/ingest/source-addresses.js';

export const UPLOADS_DIR = 'uploads';
export const TRASH_DIR = '.trash';
// The loader reads the documents' addresses from this manifest too (core/ingest/source-addresses.ts).
const MANIFEST = path.posix.basename(UPLOADS_MANIFEST);
const MAX_NAME_LENGTH = 120;

export interface UploadRecord {
  /** Discord user id of whoever added it. */
  addedBy: string;
  /** ISO timestamp. */
  addedAt: string;
  /** The attachment's name as sent. */
  originalName: string;
  sha256: string;
  bytes: number;
  /** Documents added by link: the address citations show (the page's canonical one on the same site, else fetchedUrl). */
  url?: string;
  /** The link as given. */
  requestedUrl?: string;
  /** Where the document was found, after redirects. */
  fetchedUrl?: string;
}

export type NameCheck = { ok: true; name: string } | { ok: false; reason: string };

// C0/C1 controls, and the bidirectional overrides and isolates that make "evil‮fdp.exe" display as "evilexe.pdf".
const CONTROL = /[\p{Cc}]/u;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** A file name safe to create inside uploads/, or why the given one is refused. */
export function sanitizeFileName(raw: string): NameCheck {
  const name = raw.normalize('NFC');
  if (CONTROL.test(name) || BIDI.test(name)) return { ok: false, reason: 'file name contains control or right-to-left override characters' };
  if (/[/\\]/.test(name) || name.split(/[/\\]/).includes('..')) return { ok: false, reason: 'file name must not contain a path (/, \\ or ..)' };
  const cleaned = name
    .replace(/[^\p{L}\p{N} ._()+-]/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .trim();
  const ext = path.extname(cleaned).toLowerCase();
  if (!formatOf(cleaned)) return { ok: false, reason: `unsupported type ${ext || '(no extension)'}: send .txt, .md, .html, .pdf or .docx` };
  const stem = cleaned.slice(0, cleaned.length - ext.length).replace(/[\s.]+$/, '');
  if (!/[\p{L}\p{N}]/u.test(stem)) return { ok: false, reason: 'file name has no letters or digits' };
  return { ok: true, name: `${stem.slice(0, MAX_NAME_LENGTH - ext.length)}${ext}` };
}

export function uploadSource(name: string): string {
  return `${UPLOADS_DIR}/${name}`;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

async function writeDurably(file: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function temporaryName(dir: string): string {
  // Hidden: a scan running meanwhile never reads a file being written.
  return path.join(dir, `.incoming-${process.pid}-${randomBytes(6).toString('hex')}`);
}

export class UploadStore {
  constructor(readonly corpusDir: string) {}

  private get uploadsDir(): string {
    return path.join(this.corpusDir, UPLOADS_DIR);
  }

  async records(): Promise<Record<string, UploadRecord>> {
    try {
      const parsed = JSON.parse(await readFile(path.join(this.uploadsDir, MANIFEST), 'utf8')) as { uploads?: Record<string, UploadRecord> };
      return parsed.uploads && typeof parsed.uploads === 'object' ? parsed.uploads : {};
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return {};
      // A damaged manifest loses the "added by" notes, never a document.
      return {};
    }
  }

  private async saveRecords(records: Record<string, UploadRecord>): Promise<void> {
    await mkdir(this.uploadsDir, { recursive: true });
    const temporary = temporaryName(this.uploadsDir);
    await writeDurably(temporary, `${JSON.stringify({ version: 1, uploads: records }, null, 2)}\n`);
    await rename(temporary, path.join(this.uploadsDir, MANIFEST));
  }

  /** The upload added from this address (as given, as fetched, or as cited), if any. */
  async sourceOfAddress(address: string): Promise<string | null> {
    for (const [source, record] of Object.entries(await this.records())) {
      if (record.url === address || record.requestedUrl === address || record.fetchedUrl === address) return source;
    }
    return null;
  }

  async exists(source: string): Promise<boolean> {
    try {
      await stat(path.join(this.corpusDir, source));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Writes `bytes` as uploads/<name>. Without `replace`, an existing file is never overwritten (the final step is a
   * hard link, which fails if the name is taken); with it, the old file goes to the trash first.
   */
  async write(name: string, bytes: Uint8Array, record: UploadRecord, options: { replace: boolean }): Promise<{ source: string; replaced: string | null }> {
    await mkdir(this.uploadsDir, { recursive: true });
    const source = uploadSource(name);
    const target = path.join(this.uploadsDir, name);
    const temporary = temporaryName(this.uploadsDir);
    await writeDurably(temporary, bytes);
    let replaced: string | null = null;
    try {
      if (options.replace && (await this.exists(source))) replaced = await this.trash(source);
      // The record lands before the file: a re-index that starts in between must already see the document's address.
      const records = await this.records();
      const before = records[source];
      records[source] = record;
      await this.saveRecords(records);
      try {
        await link(temporary, target);
      } catch (error) {
        if (before) records[source] = before;
        else delete records[source];
        await this.saveRecords(records);
        throw error;
      }
    } catch (error) {
      if (errorCode(error) === 'EEXIST') throw new UploadConflict(source);
      throw error;
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
    return { source, replaced };
  }

  /** Moves a corpus file to .trash/<timestamp>/<source>; returns its path relative to the corpus. */
  async trash(source: string): Promise<string> {
    const from = await this.resolveInside(source);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const relative = path.join(TRASH_DIR, stamp, source);
    const to = path.join(this.corpusDir, relative);
    await mkdir(path.dirname(to), { recursive: true });
    await rename(from, to);
    const records = await this.records();
    if (records[source]) {
      delete records[source];
      await this.saveRecords(records);
    }
    return relative.split(path.sep).join('/');
  }

  /** The absolute path of a corpus source, refusing anything that would leave the corpus or touch hidden state. */
  private async resolveInside(source: string): Promise<string> {
    const parts = source.split('/');
    if (path.isAbsolute(source) || parts.some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.'))) {
      throw new UploadConflict(source, 'not a corpus document');
    }
    const root = await realpath(this.corpusDir);
    const absolute = path.join(root, ...parts);
    const real = await realpath(absolute);
    if (!real.startsWith(root + path.sep)) throw new UploadConflict(source, 'not inside the corpus');
    return absolute;
  }
}

export class UploadConflict extends Error {
  constructor(
    readonly source: string,
    readonly reason = 'already exists (send it again with replace:true to overwrite it)',
  ) {
    super(`${source}: ${reason}`);
    this.name = 'UploadConflict';
  }
}
