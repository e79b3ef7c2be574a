// /add: attachments and links → checked files under CORPUS_DIR/uploads/ → incremental re-index → a summary per file.
// Each file is refused with a reason before anything is written when its name, size, type, content or parse is
// wrong, or when the same content is already indexed; the parse runs in the worker thread under its limits. A link
// is fetched by fetch-url.ts (public addresses only, size and time limits) and stored with its address, which
// citations then show; the same article under a second address (same canonical address, or same text) is one
// document.
import type { Config } from '../config.js';
import type { CorpusStore } from '../core/corpus.js';
import { isCoreError } from '../core/errors.js';
import { DocumentExtractor } from '../core/ingest/extract/extractor.js';
import { isIngestError } from '../core/ingest/ingest-error.js';
import { parseAnyDocument, sha256 } from '../core/ingest/parse.js';
import type { DateProvenance, IndexProgress, Logger, ReindexSummary } from '../core/types.js';
import { downloadAttachment, formatMb, type DownloadOutcome } from './download.js';
import { fetchDocument, normalizeLink, checkLink, type FetchOutcome } from './fetch-url.js';
import { sanitizeFileName, UploadConflict, uploadSource, type UploadRecord, type UploadStore } from './uploads.js';

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
  /** Links to fetch (http/https); each becomes one document that cites its address. */
  links?: string[];
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
  /** The address citations show, for documents added by link. */
  url: string | null;
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
  /** Injected in tests (e.g. with a resolver); the guarded fetch of fetch-url.ts with the configured policy by default. */
  fetchLink?: (url: string) => Promise<FetchOutcome>;
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

/** A host without the prefixes that name another edition of the same site ("www.", "m.", "amp.", "mobile."). */
function siteHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/^(?:www|m|amp|mobile)\./, '');
}

/**
 * The page's own canonical address when it is on the site it was fetched from (the same host, give or take "www.",
 * "m.", "amp." or "mobile."), else where it was fetched. A page cannot make its citation show another site's address
 * — nor its parent domain's: on a host that gives users subdomains, a user's page must not pass for the host's.
 */
export function citationAddress(canonical: string | null, fetchedUrl: string): string {
  const own = canonical ? normalizeLink(canonical) : null;
  if (!own) return fetchedUrl;
  return siteHost(new URL(own)) === siteHost(new URL(fetchedUrl)) ? own : fetchedUrl;
}

/** A readable file name for a fetched document: host and last path segment, with the extension of its format. */
export function linkFileName(url: string, format: string): string {
  const parsed = new URL(url);
  const last = parsed.pathname.split('/').filter(Boolean).pop() ?? '';
  let segment: string;
  try {
    segment = decodeURIComponent(last);
  } catch {
    // A malformed %-escape: the raw segment still makes a name.
    segment = last;
  }
  segment = segment.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const slug = `${siteHost(parsed)}${segment ? `-${segment}` : ''}`
    .replace(/[^\p{L}\p{N}.-]+/gu, '-')
    .replace(/-+/g, '-')
    .slice(0, 90)
    .replace(/[-.]+$/, '');
  return `${slug || 'page'}.${format}`;
}

interface Candidate {
  /** What the administrator gave: a file name or a link. */
  name: string;
  fileName: string;
  bytes: Uint8Array;
  record: Omit<UploadRecord, 'sha256' | 'bytes'>;
  replace: boolean;
  /** Links: the address citations will show (duplicates are found by it too). */
  url: string | null;
}

export async function addUploads(deps: AddDependencies, request: AddRequest): Promise<AddResult> {
  const { config, store, uploads, logger } = deps;
  const download = deps.download ?? ((url: string) => downloadAttachment(url, { maxBytes: config.uploads.maxBytes, extraBase: config.uploads.cdnBase }));
  const fetchLink =
    deps.fetchLink ??
    ((url: string) =>
      fetchDocument(url, {
        maxBytes: config.uploads.maxBytes,
        timeoutMs: config.fetch.timeoutMs,
        ports: config.fetch.ports,
        allowOrigins: config.fetch.allowOrigins,
        userAgent: config.fetch.userAgent,
      }));
  const result: AddResult = { added: [], duplicates: [], refused: [], pending: [], reindex: null, busy: false };
  const refuse = (name: string, reason: string): void => {
    result.refused.push({ name, reason });
    logger.info({ userId: request.userId, file: name, reason }, 'upload refused');
  };

  const view = await store.view();
  const indexed = await view.documents();
  const byFileHash = new Map<string, string>();
  const byTextHash = new Map<string, string>();
  const byUrl = new Map<string, string>();
  for (const doc of indexed.values()) {
    byFileHash.set(doc.fileHash, doc.source);
    byTextHash.set(sha256(doc.text), doc.source);
    const url = doc.url ? normalizeLink(doc.url) : null;
    if (url) byUrl.set(url, doc.source);
  }

  const written: Array<{ name: string; source: string; replaced: boolean }> = [];
  const links = request.links ?? [];
  const total = request.attachments.length + links.length;
  const extractor = new DocumentExtractor();

  /** Checks a downloaded or fetched file (same bytes, full parse, same text) and writes it. */
  const stage = async (candidate: Candidate): Promise<void> => {
    const checked = sanitizeFileName(candidate.fileName);
    if (!checked.ok) {
      refuse(candidate.name, checked.reason);
      return;
    }
    const source = uploadSource(checked.name);
    const fileHash = sha256(candidate.bytes);
    const sameFile = byFileHash.get(fileHash);
    if (sameFile) {
      result.duplicates.push({ name: candidate.name, source: sameFile });
      return;
    }
    let parsed: { text: string; url: string | null };
    try {
      // The full parse, here and now: a file the index would skip is refused instead of stored.
      parsed = await parseAnyDocument(source, candidate.bytes, { extractor });
    } catch (error) {
      refuse(candidate.name, isIngestError(error) ? error.reason : 'could not be read');
      return;
    }
    let url = candidate.url;
    if (url !== null) {
      // A page's own canonical address (on its own site) is the article's address, whichever link led to it.
      url = citationAddress(parsed.url, url);
      const sameArticle = byUrl.get(url);
      if (sameArticle && sameArticle !== source) {
        result.duplicates.push({ name: candidate.name, source: sameArticle });
        return;
      }
    }
    const textHash = sha256(parsed.text);
    const sameText = byTextHash.get(textHash);
    if (sameText && sameText !== source) {
      result.duplicates.push({ name: candidate.name, source: sameText });
      return;
    }
    try {
      const record: UploadRecord = { ...candidate.record, sha256: fileHash, bytes: candidate.bytes.length, ...(url ? { url } : {}) };
      const stored = await uploads.write(checked.name, candidate.bytes, record, { replace: candidate.replace });
      written.push({ name: candidate.name, source: stored.source, replaced: stored.replaced !== null });
      byFileHash.set(fileHash, stored.source);
      byTextHash.set(textHash, stored.source);
      if (url) byUrl.set(url, stored.source);
      logger.info({ userId: request.userId, source: stored.source, sha256: fileHash, bytes: record.bytes, replaced: stored.replaced, url: url ?? undefined }, 'upload added');
    } catch (error) {
      if (error instanceof UploadConflict) refuse(candidate.name, `${error.source} ${error.reason}`);
      else if (['EROFS', 'EACCES', 'EPERM', 'ENOSPC'].includes(errorCode(error) ?? '')) {
        logger.error({ userId: request.userId, file: candidate.name, code: errorCode(error) }, 'cannot write to the corpus folder');
        refuse(candidate.name, `cannot write to the corpus folder (${errorCode(error)})`);
      } else throw error;
    }
  };

  try {
    for (const [i, attachment] of request.attachments.entries()) {
      request.onProgress?.({ phase: 'checking', file: attachment.name, done: i, total });
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
      await stage({
        name: attachment.name,
        fileName: checked.name,
        bytes: fetched.bytes,
        record: { addedBy: request.userId, addedAt: new Date().toISOString(), originalName: attachment.name },
        replace: request.replace,
        url: null,
      });
    }
    for (const [i, link] of links.entries()) {
      request.onProgress?.({ phase: 'checking', file: link, done: request.attachments.length + i, total });
      const checked = checkLink(link);
      if (!checked.ok) {
        refuse(link, checked.reason);
        continue;
      }
      const address = checked.url.toString();
      // The same address again: nothing to fetch (replace:true fetches it again and replaces the stored copy).
      const known = (await uploads.sourceOfAddress(address)) ?? byUrl.get(address) ?? null;
      if (known && !request.replace) {
        result.duplicates.push({ name: link, source: known });
        continue;
      }
      const fetched = await fetchLink(address);
      if (!fetched.ok) {
        refuse(link, fetched.reason);
        continue;
      }
      const knownFinal = known ?? (await uploads.sourceOfAddress(fetched.finalUrl)) ?? byUrl.get(fetched.finalUrl) ?? null;
      if (knownFinal && !request.replace) {
        result.duplicates.push({ name: link, source: knownFinal });
        continue;
      }
      // Replacing: the same file again. Otherwise a name of its own (a different page with the same name gets a suffix).
      const replacing = Boolean(knownFinal?.startsWith('uploads/') && request.replace);
      const named = sanitizeFileName(linkFileName(fetched.finalUrl, fetched.format));
      let fileName = replacing ? knownFinal!.slice('uploads/'.length) : named.ok ? named.name : `page.${fetched.format}`;
      if (!replacing && (await uploads.exists(uploadSource(fileName)))) fileName = fileName.replace(/(\.[a-z]+)$/, `-${sha256(fetched.finalUrl).slice(0, 8)}$1`);
      await stage({
        name: link,
        fileName,
        bytes: fetched.bytes,
        record: { addedBy: request.userId, addedAt: new Date().toISOString(), originalName: link, requestedUrl: address, fetchedUrl: fetched.finalUrl },
        replace: replacing,
        url: fetched.finalUrl,
      });
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
      url: doc.url,
    });
  }
  return result;
}
