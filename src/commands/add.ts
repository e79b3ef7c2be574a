// /add: attachments → checked files under CORPUS_DIR/uploads/ → incremental re-index → a summary per file.
// Each file is refused with a reason before anything is written when its name, size, type, content or parse is
// wrong, or when the same content is already indexed; the parse runs in the worker thread under its limits.
import type { Config } from '../config.js';
import type { CorpusStore } from '../core/corpus.js';
import { isCoreError } from '../core/errors.js';
import { DocumentExtractor } from '../core/ingest/extract/extractor.js';
import { isIngestError } from '../core/ingest/ingest-error.js';
import { parseAnyDocument, sha256 } from '../core/ingest/parse.js';
import type { DateProvenance, IndexProgress, Logger, ReindexSummary } from '../core/types.js';
import { downloadAttachment, formatMb, type DownloadOutcome } from './download.js';
import { sanitizeFileName, UploadConflict, uploadSource, type UploadStore } from './uploads.js';

export interface AttachmentRef {
  /** File name as sent. */
  name: string;
  url: string;
  /** Size Discord reports, checked before downloading. */
  size: number;
}

export type AddProgress = { phase: 'checking'; file: string; done: number; total: number } | IndexProgress;

export interface AddRequest {
  attachments: AttachmentRef[];
  /** Overwrite an upload of the same name (the old file goes to the trash). */
  replace: boolean;
  userId: string;
  onProgress?: (progress: AddProgress) => void;
}

export interface AddedDocument {
  name: string;
  source: string;
  title: string;
  publishedAt: string | null;
  dateProvenance: DateProvenance | null;
  chunks: number;
  /** True when an earlier upload of the same name went to the trash. */
  replaced: boolean;
}

export interface AddResult {
  added: AddedDocument[];
  /** Same content already indexed: nothing was written. */
  duplicates: Array<{ name: string; source: string }>;
  refused: Array<{ name: string; reason: string }>;
  /** Stored, but another re-index kept this one from running in time: the next re-index picks them up. */
  pending: Array<{ name: string; source: string }>;
  /** The re-index run, or null when nothing was written or another re-index was running (`busy`). */
  reindex: ReindexSummary | null;
  busy: boolean;
}

export interface AddDependencies {
  config: Config;
  store: CorpusStore;
  uploads: UploadStore;
  logger: Logger;
  /** Injected in tests; the CDN download by default. */
  download?: (url: string) => Promise<DownloadOutcome>;
  /** How long to wait for a re-index started elsewhere (/reindex, the watcher) before giving up. Default 60 s. */
  busyWaitMs?: number;
}

const BUSY_RETRY_MS = 1000;

/** Runs the incremental re-index, waiting for one already running (it may have started before our files landed). */
export async function reindexWhenFree(
  store: CorpusStore,
  onProgress: ((progress: IndexProgress) => void) | undefined,
  waitMs: number,
): Promise<ReindexSummary | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return (await store.reindex(onProgress ? { onProgress } : {})).summary;
    } catch (error) {
      if (!isCoreError(error, 'REINDEX_BUSY')) throw error;
      if (Date.now() + BUSY_RETRY_MS > deadline) return null;
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    }
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export async function addUploads(deps: AddDependencies, request: AddRequest): Promise<AddResult> {
  const { config, store, uploads, logger } = deps;
  const download = deps.download ?? ((url: string) => downloadAttachment(url, { maxBytes: config.uploads.maxBytes, extraBase: config.uploads.cdnBase }));
  const result: AddResult = { added: [], duplicates: [], refused: [], pending: [], reindex: null, busy: false };
  const refuse = (name: string, reason: string): void => {
    result.refused.push({ name, reason });
    logger.info({ userId: request.userId, file: name, reason }, 'upload refused');
  };

  const view = await store.view();
  const indexed = await view.documents();
  const byFileHash = new Map<string, string>();
  const byTextHash = new Map<string, string>();
  for (const doc of indexed.values()) {
    byFileHash.set(doc.fileHash, doc.source);
    byTextHash.set(sha256(doc.text), doc.source);
  }

  const written: Array<{ name: string; source: string; replaced: boolean }> = [];
  const extractor = new DocumentExtractor();
  try {
    for (const [i, attachment] of request.attachments.entries()) {
      request.onProgress?.({ phase: 'checking', file: attachment.name, done: i, total: request.attachments.length });
      const checked = sanitizeFileName(attachment.name);
      if (!checked.ok) {
        refuse(attachment.name, checked.reason);
        continue;
      }
      const source = uploadSource(checked.name);
      if (attachment.size > config.uploads.maxBytes) {
        refuse(attachment.name, `file too large (${formatMb(attachment.size)}, limit ${formatMb(config.uploads.maxBytes)})`);
        continue;
      }
      if (!request.replace && (await uploads.exists(source))) {
        refuse(attachment.name, `${source} already exists (send it again with replace:true to overwrite it)`);
        continue;
      }
      const fetched = await download(attachment.url);
      if (!fetched.ok) {
        refuse(attachment.name, fetched.reason);
        continue;
      }
      const fileHash = sha256(fetched.bytes);
      const sameFile = byFileHash.get(fileHash);
      if (sameFile) {
        result.duplicates.push({ name: attachment.name, source: sameFile });
        continue;
      }
      let text: string;
      try {
        // The full parse, here and now: a file the index would skip is refused instead of stored.
        text = (await parseAnyDocument(source, fetched.bytes, { extractor })).text;
      } catch (error) {
        refuse(attachment.name, isIngestError(error) ? error.reason : 'could not be read');
        continue;
      }
      const sameText = byTextHash.get(sha256(text));
      if (sameText && sameText !== source) {
        result.duplicates.push({ name: attachment.name, source: sameText });
        continue;
      }
      try {
        const record = { addedBy: request.userId, addedAt: new Date().toISOString(), originalName: attachment.name, sha256: fileHash, bytes: fetched.bytes.length };
        const stored = await uploads.write(checked.name, fetched.bytes, record, { replace: request.replace });
        written.push({ name: attachment.name, source: stored.source, replaced: stored.replaced !== null });
        byFileHash.set(fileHash, stored.source);
        byTextHash.set(sha256(text), stored.source);
        logger.info({ userId: request.userId, source: stored.source, sha256: fileHash, bytes: record.bytes, replaced: stored.replaced }, 'upload added');
      } catch (error) {
        if (error instanceof UploadConflict) refuse(attachment.name, `${error.source} ${error.reason}`);
        else if (['EROFS', 'EACCES', 'EPERM', 'ENOSPC'].includes(errorCode(error) ?? '')) {
          logger.error({ userId: request.userId, file: attachment.name, code: errorCode(error) }, 'cannot write to the corpus folder');
          refuse(attachment.name, `cannot write to the corpus folder (${errorCode(error)})`);
        } else throw error;
      }
    }
  } finally {
    await extractor.close();
  }
  if (written.length === 0) return result;

  result.reindex = await reindexWhenFree(store, request.onProgress, deps.busyWaitMs ?? 60_000);
  result.busy = result.reindex === null;
  const after = await store.view();
  const [documents, counts] = await Promise.all([after.documents(), after.chunkCounts()]);
  for (const file of written) {
    const doc = documents.get(file.source);
    if (!doc) {
      const skipped = result.reindex?.skipped.find((s) => s.path === file.source);
      if (skipped) result.refused.push({ name: file.name, reason: `stored, but the index skipped it: ${skipped.reason}` });
      else result.pending.push({ name: file.name, source: file.source });
      continue;
    }
    result.added.push({
      name: file.name,
      source: file.source,
      title: doc.title,
      publishedAt: doc.publishedAt,
      dateProvenance: doc.dateProvenance,
      chunks: counts.get(file.source) ?? 0,
      replaced: file.replaced,
    });
  }
  return result;
}
