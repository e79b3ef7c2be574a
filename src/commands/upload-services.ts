// Wires /add and /remove to one store: one change to the corpus folder at a time in this process.
import type { Config } from '../config.js';
import type { CorpusStore } from '../core/corpus.js';
import type { Logger } from '../core/types.js';
import { addUploads, type AddDependencies } from './add.js';
import { removableSources, removeSource } from './remove.js';
import type { UploadServices } from './types.js';
import { UploadStore, type UploadRecord } from './uploads.js';

export interface UploadServiceOptions {
  config: Config;
  store: CorpusStore;
  logger: Logger;
  download?: AddDependencies['download'];
}

export function createUploadServices(options: UploadServiceOptions): UploadServices & { records(): Promise<Record<string, UploadRecord>> } {
  const uploads = new UploadStore(options.config.corpusDir);
  const deps = { ...options, uploads };
  let queue: Promise<unknown> = Promise.resolve();
  // Two /add commands at once would otherwise both pass the "name is free" and "already indexed" checks.
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    add: (request) => serial(() => addUploads(deps, request)),
    remove: (request) => serial(() => removeSource(deps, request)),
    removable: (query, limit) => removableSources(deps, query, limit),
    records: () => uploads.records(),
  };
}
