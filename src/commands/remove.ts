// /remove: a corpus document goes to CORPUS_DIR/.trash/ (recoverable by moving it back), then the incremental
// re-index drops it. Only sources the index or the upload manifest knows can be named: by file path, or by the
// address of a document added by link.
import type { CorpusStore } from '../core/corpus.js';
import { CoreError } from '../core/errors.js';
import type { IndexProgress, Logger, ReindexSummary } from '../core/types.js';
import { reindexWhenFree } from './add.js';
import { normalizeLink } from './fetch-url.js';
import type { UploadRecord, UploadStore } from './uploads.js';

export interface RemoveRequest {
  source: string;
  userId: string;
  onProgress?: (progress: IndexProgress) => void;
}

export interface RemoveResult {
  source: string;
  /** Where the file is now, relative to the corpus directory. */
  trashedAs: string;
  reindex: ReindexSummary | null;
  busy: boolean;
}

export interface RemoveDependencies {
  store: CorpusStore;
  uploads: UploadStore;
  logger: Logger;
}

/** Sources for autocomplete: uploads first, then the rest of the corpus, filtered by `query`. */
export async function removableSources(deps: RemoveDependencies, query: string, limit = 25): Promise<string[]> {
  const [documents, records] = await Promise.all([(await deps.store.view()).documents(), deps.uploads.records()]);
  const needle = query.trim().toLowerCase();
  const all = [...new Set([...Object.keys(records), ...documents.keys()])];
  const matches = all.filter(
    (source) =>
      !needle ||
      source.toLowerCase().includes(needle) ||
      documents.get(source)?.title.toLowerCase().includes(needle) ||
      (documents.get(source)?.url ?? records[source]?.url ?? '').toLowerCase().includes(needle),
  );
  const uploaded = (source: string) => (records[source] ? 0 : 1);
  return matches.sort((a, b) => uploaded(a) - uploaded(b) || a.localeCompare(b)).slice(0, limit);
}

/**
 * The source a name refers to: a file path as indexed, or the address of a document added by link (as given, as
 * fetched, or as its citations show it).
 */
function sourceNamed(name: string, documents: ReadonlyMap<string, { url: string | null }>, records: Record<string, UploadRecord>): string {
  if (documents.has(name) || records[name] || !/^https?:\/\//i.test(name)) return name;
  const address = normalizeLink(name) ?? name;
  for (const [source, record] of Object.entries(records)) {
    if ([record.url, record.requestedUrl, record.fetchedUrl].includes(address)) return source;
  }
  for (const [source, doc] of documents) if (doc.url && normalizeLink(doc.url) === address) return source;
  return name;
}

export async function removeSource(deps: RemoveDependencies, request: RemoveRequest): Promise<RemoveResult> {
  const { store, uploads, logger } = deps;
  const [documents, records] = await Promise.all([(await store.view()).documents(), uploads.records()]);
  const source = sourceNamed(request.source.trim(), documents, records);
  if (!documents.has(source) && !records[source]) {
    throw new CoreError('INVALID_INPUT', `No indexed document is called "${source.slice(0, 120)}". Pick one from the list.`);
  }
  if (!(await uploads.exists(source))) throw new CoreError('INVALID_INPUT', `${source.slice(0, 120)} is no longer in the corpus folder.`);
  const trashedAs = await uploads.trash(source);
  logger.info({ userId: request.userId, source, trashedAs }, 'document removed');
  const reindex = await reindexWhenFree(store, request.onProgress, 60_000);
  return { source, trashedAs, reindex, busy: reindex === null };
}
