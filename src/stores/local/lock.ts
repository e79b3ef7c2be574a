// One writer at a time. The lock file records its owner; a lock whose owner process is gone (killed mid-index)
// is stale and is taken over instead of blocking every future re-index.
// Why not proper-lockfile: it declares a lock stale when its mtime stops being refreshed by a timer, and a
// re-index holds the event loop for seconds at a time (hnswlib graph building, writeIndexSync), so a second
// process could take over a live writer's lock; and a SIGKILLed writer's lock would block re-indexing until
// the staleness period ran out, where checking the owner's pid takes it over at once.
import { hostname } from 'node:os';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
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
      const fd = openSync(path, 'wx');
      const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
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
