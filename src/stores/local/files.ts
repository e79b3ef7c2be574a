// Durable file primitives: write to a temporary name, fsync, rename. A reader sees the old bytes or the new
// ones, never a torn file.
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

// The one SHA-256 hex digest of the project (documents' hashes come from the same function).
export { sha256 } from '../../core/ingest/parse.js';

/** Writes `bytes` to `path` and fsyncs the file (not the directory). */
export function writeFileDurable(path: string, bytes: Uint8Array | string): void {
  const fd = openSync(path, 'w');
  try {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    let offset = 0;
    while (offset < buffer.byteLength) offset += writeSync(fd, buffer, offset, buffer.byteLength - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a file written by someone else (hnswlib) to disk. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncDirectory(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic there.
  }
}

/** Atomically replaces `path` with `bytes`. */
export function replaceFileAtomic(path: string, bytes: Uint8Array | string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileDurable(temporary, bytes);
  renameSync(temporary, path);
  fsyncDirectory(dirname(path));
}


const PIECE_BUFFER = 1 << 20;

/**
 * Writes `pieces` one after the other to `path`, fsyncs it and returns the SHA-256 and size of what was written:
 * a large file (the docstore) is never held as one string and one buffer besides the objects it is made from.
 */
export function writePiecesDurable(path: string, pieces: Iterable<string>): { sha256: string; bytes: number } {
  const fd = openSync(path, 'w');
  const hash = createHash('sha256');
  let total = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = () => {
    if (pending.length === 0) return;
    const buffer = Buffer.from(pending.join(''), 'utf8');
    hash.update(buffer);
    let offset = 0;
    while (offset < buffer.byteLength) offset += writeSync(fd, buffer, offset, buffer.byteLength - offset);
    total += buffer.byteLength;
    pending = [];
    pendingLength = 0;
  };
  try {
    for (const piece of pieces) {
      pending.push(piece);
      pendingLength += piece.length;
      if (pendingLength >= PIECE_BUFFER) flush();
    }
    flush();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), bytes: total };
}

/** SHA-256 and size of a file, read in slices rather than whole. */
export function hashFile(path: string): { sha256: string; bytes: number } {
  const fd = openSync(path, 'r');
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(4 << 20);
  let total = 0;
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.byteLength, null);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
      total += read;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), bytes: total };
}
