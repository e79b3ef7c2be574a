// Durable file primitives: write to a temporary name, fsync, rename. A reader sees the old bytes or the new
// ones, never a torn file.
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

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

