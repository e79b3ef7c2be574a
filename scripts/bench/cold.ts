// Cold start of whole processes, as someone trying the project meets it: `npm run ask` on the seed corpus and
// `npm start` (with a token) until the bot is ready on the loopback fake Discord. Measured against `node -e 0` in
// the same run, interleaved run by run so machine load hits every line alike; optionally against another
// checkout of the project (`--before DIR`, e.g. a worktree of main with its node_modules) for a before/after.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeDiscord } from '../../test/fakes/discord-server.js';
import type { ColdStartReport, ColdStartTree } from './report.js';

const PROJECT_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const QUESTION = 'Where did the leaders of Japan and South Korea meet?';

interface Tree {
  label: string;
  dir: string;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return Math.round(sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}

/** Runs a command to its end; resolves with the wall-clock milliseconds. */
function timed(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<number> {
  const started = performance.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveRun(performance.now() - started) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.slice(-500)}`))));
  });
}

/** Starts `npm start` and resolves with the milliseconds until its log says the bot is ready; then stops it. */
function timeToReady(tree: Tree, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn('npm', ['start'], { cwd: tree.dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const timer = setTimeout(() => finish(new Error(`${tree.label}: no READY within 60 s: ${output.slice(-500)}`)), 60_000);
    const finish = (error: Error | null, ms?: number) => {
      clearTimeout(timer);
      // npm runs the bot in a child of its own: signal the whole group.
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      child.once('exit', () => (error ? reject(error) : resolveRun(ms ?? 0)));
      if (child.exitCode !== null) (error ? reject(error) : resolveRun(ms ?? 0));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('discord bot ready')) finish(null, performance.now() - started);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => finish(error));
  });
}

export async function measureColdStart(options: { runs: number; before?: string; log: (line: string) => void }): Promise<ColdStartReport> {
  const trees: Tree[] = [{ label: 'this tree', dir: PROJECT_ROOT }, ...(options.before ? [{ label: 'before', dir: resolve(options.before) }] : [])];
  const work = mkdtempSync(join(tmpdir(), 'bench-cold-'));
  const fake = await FakeDiscord.start();
  try {
    const corpusDir = join(work, 'corpus');
    cpSync(join(PROJECT_ROOT, 'corpus'), corpusDir, { recursive: true });
    const envFor = (tree: Tree, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
      ...process.env,
      CORPUS_DIR: corpusDir,
      INDEX_DIR: join(work, `index-${trees.indexOf(tree)}`),
      DISCORD_TOKEN: '',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      LOG_LEVEL: 'info',
      ...extra,
    });
    const botEnv = (tree: Tree) =>
      envFor(tree, { DISCORD_TOKEN: 'bench.fake.token', DISCORD_API_BASE: fake.apiBase, DISCORD_CLIENT_ID: fake.applicationId, FEEDBACK_FILE: join(work, 'feedback.jsonl') });
    // Each tree indexes the seed corpus with its own code (not timed), and runs once to warm the disk cache.
    for (const tree of trees) {
      await timed('npm', ['run', '-s', 'index'], { cwd: tree.dir, env: envFor(tree) });
      await timed('npm', ['run', '-s', 'ask', '--', QUESTION, '--json'], { cwd: tree.dir, env: envFor(tree) });
    }
    const node: number[] = [];
    const results = new Map<Tree, { ask: number[]; ready: number[] }>(trees.map((tree) => [tree, { ask: [], ready: [] }]));
    for (let run = 0; run < options.runs; run++) {
      node.push(await timed(process.execPath, ['-e', '0'], { cwd: PROJECT_ROOT, env: process.env }));
      for (const tree of trees) {
        const result = results.get(tree)!;
        result.ask.push(await timed('npm', ['run', '-s', 'ask', '--', QUESTION, '--json'], { cwd: tree.dir, env: envFor(tree) }));
        result.ready.push(await timeToReady(tree, botEnv(tree)));
      }
      options.log(`  cold start run ${run + 1}/${options.runs}: node ${Math.round(node.at(-1) ?? 0)} ms; ${trees.map((t) => `${t.label}: ask ${Math.round(results.get(t)!.ask.at(-1) ?? 0)} ms, READY ${Math.round(results.get(t)!.ready.at(-1) ?? 0)} ms`).join('; ')}`);
    }
    const report: ColdStartTree[] = trees.map((tree) => {
      const { ask, ready } = results.get(tree)!;
      return {
        label: tree.label,
        dir: tree.dir,
        ask_ms: ask.map(Math.round),
        ask_median_ms: median(ask),
        ready_ms: ready.map(Math.round),
        ready_median_ms: median(ready),
      };
    });
    return { runs: options.runs, node_median_ms: median(node), trees: report };
  } finally {
    await fake.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
