// Damage done to a generation on disk, and what loading it must then say: shared by the index tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { isCoreError } from '../../src/core/errors.js';
import { loadCurrentGeneration } from '../../src/stores/local/generations.js';
import type { IndexSnapshot } from '../../src/stores/local/snapshot.js';
import { LocalStore } from '../../src/stores/local/store.js';
import type { Embedder } from '../../src/core/types.js';
import { captureLogger } from '../helpers.js';

/** Flips every bit of one byte of the file: the middle one, or `fromEnd` bytes before its end. */
export function flipByte(path: string, fromEnd?: number): void {
  const bytes = readFileSync(path);
  const at = fromEnd === undefined ? Math.floor(bytes.length / 2) : bytes.length - fromEnd;
  bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  writeFileSync(path, bytes);
}

/** The INDEX_CORRUPT error loading the current generation of `indexDir` gives (the test fails if it loads). */
export function corruptLoadError(indexDir: string): Error {
  try {
    loadCurrentGeneration(indexDir);
  } catch (error) {
    expect(isCoreError(error, 'INDEX_CORRUPT')).toBe(true);
    return error as Error;
  }
  throw new Error(`the damaged generation in ${indexDir} loaded`);
}

/**
 * Opens a store on an index whose current generation is damaged: it must serve `fallback` at once, rebuild from the
 * corpus, then serve the rebuilt generation and log the damage (`logged`).
 */
export async function expectFallbackThenRebuild(options: { corpusDir: string; indexDir: string; embedder: Embedder; fallback: string; damaged: string; logged: RegExp }): Promise<IndexSnapshot> {
  const logger = captureLogger();
  const store = new LocalStore({ corpusDir: options.corpusDir, indexDir: options.indexDir, embedder: options.embedder, logger });
  const opening = store.open();
  expect(store.current.snapshot.generation).toBe(options.fallback);
  await opening;
  const rebuilt = loadCurrentGeneration(options.indexDir);
  expect(rebuilt.generation).not.toBe(options.damaged);
  expect(store.current.snapshot.generation).toBe(rebuilt.generation);
  expect(logger.lines.some((line) => line.level === 'error' && options.logged.test(JSON.stringify(line.obj)))).toBe(true);
  return rebuilt;
}
