#!/usr/bin/env node
// Compiles src/ to dist/ (one .js per .ts, same tree, so paths resolved relative to a module — the PDF/DOCX
// worker, the SQL migrations, the project root — stay valid) and copies every other file of src/ beside it.
// Transpiling only: `npm run typecheck` (tsc) is the type check. Runs on `npm install`/`npm ci` (postinstall) and
// by scripts/run.mjs whenever a file under src/ is newer than the last build, so dist/ never runs stale code.
//   node scripts/build.mjs            build
//   node scripts/build.mjs --if-stale build only when src/ changed since the last build
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SRC = join(PROJECT_ROOT, 'src');
export const DIST = join(PROJECT_ROOT, 'dist');
/** Written last: its mtime is the time of the last complete build. */
export const STAMP = join(DIST, '.build-stamp');

function listFiles(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, out);
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** True when dist/ is missing or any file (or directory: deletions, renames) under src/ is newer than the stamp. */
export function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  const newer = (dir) => {
    if (statSync(dir).mtimeMs > built) return true;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() ? newer(path) : statSync(path).mtimeMs > built) return true;
    }
    return false;
  };
  return newer(SRC);
}

export async function build() {
  const started = Date.now();
  const { build: esbuild } = await import('esbuild');
  const files = listFiles(SRC);
  const sources = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  // Written in place rather than swapped in: a running bot that imports a module lazily (the Discord client,
  // the PDF worker) still finds one after someone rebuilt under it.
  await esbuild({
    entryPoints: sources,
    outdir: DIST,
    outbase: SRC,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  // Assets: the worker (.mjs), SQL migrations, anything else that lives beside the code.
  for (const file of files.filter((f) => !f.endsWith('.ts'))) {
    const target = join(DIST, relative(SRC, file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  // The stamp carries the build's start time: a source saved while esbuild ran still counts as newer.
  writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
  utimesSync(STAMP, started / 1000, started / 1000);
  return { files: sources.length, ms: Date.now() - started };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(SRC)) {
    // `npm ci` before the sources are copied (a Docker layer that installs dependencies first): nothing to build yet.
    console.error('build: no src/ yet, skipped');
  } else if (process.argv.includes('--if-stale') && !isStale()) {
    // up to date
  } else {
    const { files, ms } = await build();
    console.error(`build: ${files} modules compiled to ${relative(process.cwd(), DIST) || DIST} in ${ms} ms`);
  }
}
