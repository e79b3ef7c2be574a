// One writer at a time. The lock file records its owner; a lock whose owner process is gone (killed mid-index)
// is stale and is taken over instead of blocking every future re-index.
// Why not proper-lockfile: it declares a lock stale when its mtime stops being refreshed by a timer, and a
// re-index holds the event loop for seconds at a time (hnswlib graph building, writeIndexSync), so a second
// process could take over a live writer's lock; and a SIGKILLed writer's lock would block re-indexing until
// the staleness period ran out, where checking the owner's pid takes it over at once.
import { hostname } from 'node:os';
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreError } from '../../core/errors.js';

const LOCK_NAME = 'writer.lock';
/** A lock from another machine cannot be checked for liveness; after this long it is presumed dead. */
const FOREIGN_LOCK_STALE_MS = 30 * 60 * 1000;

export interface WriterLock {
  release(): void;
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export function acquireWriterLock(indexDir: string): WriterLock {
  mkdirSync(indexDir, { recursive: true });
  const path = join(indexDir, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // The owner goes into a private draft that is then hard-linked into place: link() fails when the lock
      // exists, and the lock never exists half-written, so a writer killed at any instant leaves a lock whose
      // owner can be checked (an empty one would block re-indexing until it aged).
      const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
      const draft = `${path}.${process.pid}`;
      writeFileSync(draft, JSON.stringify(owner));
      try {
        linkSync(draft, path);
      } finally {
        rmSync(draft, { force: true });
      }
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!isStale(path)) {
        throw new CoreError('INDEX_LOCKED', `Another re-index is writing ${indexDir} (lock file ${path}).`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new CoreError('INDEX_LOCKED', `Could not take the writer lock ${path}.`);
}

function isStale(path: string): boolean {
  let owner: Partial<LockOwner>;
  try {
    owner = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
  } catch {
    // Unreadable or half-written: the writer died while creating it, unless it was created a moment ago.
    try {
      return Date.now() - statSync(path).mtimeMs > 5_000;
    } catch {
      return true;
    }
  }
  if (owner.host !== hostname() || typeof owner.pid !== 'number') {
    const since = Date.parse(owner.since ?? '');
    return Number.isNaN(since) || Date.now() - since > FOREIGN_LOCK_STALE_MS;
  }
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
