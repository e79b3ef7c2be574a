// /remove: a corpus document goes to CORPUS_DIR/.trash/ (recoverable by moving it back), then the incremental
// re-index drops it. Only sources the index or the upload manifest knows can be named.
import type { CorpusStore } from '../core/corpus.js';
import { CoreError } from '../core/errors.js';
import type { IndexProgress, Logger, ReindexSummary } from '../core/types.js';
import { reindexWhenFree } from './add.js';
import type { UploadStore } from './uploads.js';

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
  const matches = all.filter((source) => !needle || source.toLowerCase().includes(needle) || documents.get(source)?.title.toLowerCase().includes(needle));
  const uploaded = (source: string) => (records[source] ? 0 : 1);
  return matches.sort((a, b) => uploaded(a) - uploaded(b) || a.localeCompare(b)).slice(0, limit);
}

export async function removeSource(deps: RemoveDependencies, request: RemoveRequest): Promise<RemoveResult> {
  const { store, uploads, logger } = deps;
  const source = request.source.trim();
  const [documents, records] = await Promise.all([(await store.view()).documents(), uploads.records()]);
  if (!documents.has(source) && !records[source]) {
    throw new CoreError('INVALID_INPUT', `No indexed document is called "${source.slice(0, 120)}". Pick one from the list.`);
  }
  if (!(await uploads.exists(source))) throw new CoreError('INVALID_INPUT', `${source.slice(0, 120)} is no longer in the corpus folder.`);
  const trashedAs = await uploads.trash(source);
  logger.info({ userId: request.userId, source, trashedAs }, 'document removed');
  const reindex = await reindexWhenFree(store, request.onProgress, 60_000);
  return { source, trashedAs, reindex, busy: reindex === null };
}
