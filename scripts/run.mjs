#!/usr/bin/env node
// What the npm scripts run: `node scripts/run.mjs <entry> [args…]` starts dist/cli/<entry>.js, the compiled
// JavaScript, so no start pays for transpiling TypeScript. When a file under src/ is newer than the last build
// (someone edited the code), dist/ is rebuilt first (~1 s): dist/ never runs stale code. Checking costs a few
// milliseconds of stat calls.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, DIST, isStale, SRC } from './build.mjs';

const entry = process.argv[2];
if (!entry || !/^[a-z][a-z0-9-]*$/.test(entry)) {
  process.stderr.write('usage: node scripts/run.mjs <cli entry, e.g. ask-command> [args…]\n');
  process.exit(2);
}
if (existsSync(SRC) && isStale()) {
  const { files, ms } = await build();
  process.stderr.write(`build: src/ changed, ${files} modules recompiled to dist/ in ${ms} ms\n`);
}
const script = join(DIST, 'cli', `${entry}.js`);
if (!existsSync(script)) {
  process.stderr.write(`error: ${script} does not exist (no such entry point, or run \`npm run build\`)\n`);
  process.exit(2);
}
// The entry point reads its flags from process.argv.slice(2): drop the entry name.
process.argv.splice(1, 2, script);
await import(pathToFileURL(script).href);
