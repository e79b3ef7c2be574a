// Loads the compact word-vector files written by scripts/prepare-word-vectors.mjs (vocab.txt + vectors.f32).
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CoreError } from '../errors.js';

export interface WordVectors {
  readonly dimension: number;
  /** Word → row; rows are ordered by corpus frequency, most frequent first. */
  readonly rows: ReadonlyMap<string, number>;
  readonly matrix: Float32Array;
  readonly count: number;
  readonly sourceVersion: string;
}

const cache = new Map<string, WordVectors>();

export function loadWordVectors(directory: string): WordVectors {
  const cached = cache.get(directory);
  if (cached) return cached;
  const metaPath = join(directory, 'meta.json');
  if (!existsSync(metaPath)) {
    throw new CoreError(
      'WORD_VECTORS_MISSING',
      `Offline word vectors not found in ${directory}. Run \`node scripts/prepare-word-vectors.mjs\` (it runs on npm install).`,
    );
  }
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { dimension: number; count: number; sourceVersion: string };
  const vocab = readFileSync(join(directory, 'vocab.txt'), 'utf8').split('\n');
  const vectorsPath = join(directory, 'vectors.f32');
  const expectedBytes = meta.count * meta.dimension * 4;
  if (vocab.length !== meta.count || statSync(vectorsPath).size !== expectedBytes) {
    throw new CoreError(
      'WORD_VECTORS_MISSING',
      `Word vectors in ${directory} are incomplete (expected ${meta.count} words, ${expectedBytes} bytes). Re-run \`node scripts/prepare-word-vectors.mjs\`.`,
    );
  }
  // Read straight into an aligned Float32Array: no 80 MB intermediate Buffer that would linger in the RSS.
  const matrix = new Float32Array(meta.count * meta.dimension);
  readInto(vectorsPath, new Uint8Array(matrix.buffer));
  const rows = new Map<string, number>();
  vocab.forEach((word, row) => {
    if (!rows.has(word)) rows.set(word, row);
  });
  const loaded: WordVectors = { dimension: meta.dimension, rows, matrix, count: meta.count, sourceVersion: meta.sourceVersion };
  cache.set(directory, loaded);
  return loaded;
}

function readInto(path: string, target: Uint8Array): void {
  const fd = openSync(path, 'r');
  try {
    let offset = 0;
    while (offset < target.byteLength) {
      const read = readSync(fd, target, offset, target.byteLength - offset, offset);
      if (read === 0) throw new CoreError('WORD_VECTORS_MISSING', `${path} ended early; re-run \`node scripts/prepare-word-vectors.mjs\`.`);
      offset += read;
    }
  } finally {
    closeSync(fd);
  }
}
