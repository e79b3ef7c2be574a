// SIGKILL the indexer at seeded points of a re-index (scanning, embedding, building/writing, and between "generation
// on disk" and "CURRENT switched"). After every kill the last good index loads and answers, the killed writer's lock
// is taken over, and the next re-index completes.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireWriterLock } from '../../src/stores/local/lock.js';
import { loadCurrentGeneration } from '../../src/stores/local/generations.js';
import { LocalView } from '../../src/stores/local/view.js';
import { nodeCommandFor, PROJECT_ROOT, removeDir, tempDir, writeFile } from '../helpers.js';
import { answerFrom, article, citationProblems, generateCorpus, HashEmbedder, seeded } from './support.js';

const CHILD_TS = join(PROJECT_ROOT, 'test', 'reliability', 'fixtures', 'index-child.ts');
const KILLS = 9;
const embedder = new HashEmbedder();
const random = seeded(20_240_611);
let root: string;
let corpus: string;
let indexDir: string;
/** How the child is started: a bundle (fast start) when esbuild is at hand, else through tsx. */
let command: Awaited<ReturnType<typeof nodeCommandFor>>;

beforeAll(async () => {
  root = tempDir('rel-crash-');
  corpus = join(root, 'corpus');
  indexDir = join(root, 'index');
  generateCorpus(corpus, 80, 11, 14);
  command = await nodeCommandFor(CHILD_TS);
});

afterAll(() => {
  command?.cleanup();
  removeDir(root);
});

interface ChildRun {
  lines: string[];
  killed: boolean;
  code: number | null;
  stderr: string;
  /** performance.now() of each marker, by its first word(s). */
  at: Map<string, number>;
}

type KillPlan = { after: string; delayMs: number } | null;

/** Runs one re-index in a child; with a plan, SIGKILLs it `delayMs` after the first stdout line starting with `after`. */
function runChild(options: { rebuild: boolean; plan: KillPlan; embedDelayMs: number; pauseBeforeSwitchMs?: number }): Promise<ChildRun> {
  const args = [...command.args, corpus, indexDir, ...(options.rebuild ? ['rebuild'] : [])];
  const child = spawn(command.file, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, EMBED_DELAY_MS: String(options.embedDelayMs), PAUSE_BEFORE_SWITCH_MS: String(options.pauseBeforeSwitchMs ?? 0) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: ChildRun = { lines: [], killed: false, code: null, stderr: '', at: new Map() };
  let buffer = '';
  let armed = false;
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      run.lines.push(line);
      const key = line.split(' ').slice(0, 2).join(' ');
      if (!run.at.has(key)) run.at.set(key, performance.now());
      if (options.plan && !armed && line.startsWith(options.plan.after)) {
        armed = true;
        setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) {
            run.killed = true;
            child.kill('SIGKILL');
          }
        }, options.plan.delayMs);
      }
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      run.code = code;
      resolve(run);
    });
  });
}

/** Changes a few documents (and sometimes adds or removes one) so every re-index has real work to do. */
function mutateCorpus(round: number): void {
  for (let k = 0; k < 4; k++) {
    const i = Math.floor(random() * 80);
    writeFile(corpus, `gen-${String(i).padStart(4, '0')}.txt`, article(i + 1000 * (round + 1), random, 14));
  }
  if (round % 3 === 0) writeFile(corpus, `late-${round}.txt`, article(5000 + round, random, 6));
  if (round % 4 === 1) rmSync(join(corpus, `late-${round - 1}.txt`), { force: true });
}

function expectIndexServes(): string {
  const snapshot = loadCurrentGeneration(indexDir);
  const base = new LocalView(snapshot, embedder);
  return snapshot.generation + (base.snapshot.chunks.length > 0 ? '' : ' (empty)');
}

describe('SIGKILL during re-index', () => {
  it(`after each of ${KILLS} kills at seeded points the last good index loads and answers, and the next run completes`, async () => {
    const first = await runChild({ rebuild: true, plan: null, embedDelayMs: 10 });
    expect(first.code, first.stderr).toBe(0);
    // Phase lengths of an unkilled run, to spread the kill points over them.
    const embedMs = (first.at.get('progress writing') ?? 0) - (first.at.get('progress embedding') ?? 0);
    const writeMs = (first.at.get('before-switch') ?? 0) - (first.at.get('progress writing') ?? 0);
    expect(embedMs).toBeGreaterThan(0);

    const outcomes: string[] = [];
    let kills = 0;
    let staleLocks = 0;
    let lockTakeovers = 0;
    /** A run that starts over a killed writer's lock must take it over (get past scanning) instead of giving up. */
    const countTakeover = (hadLock: boolean, run: ChildRun) => {
      const progressed = run.lines.some((l) => l.startsWith('progress'));
      if (!hadLock || (run.killed && !progressed)) return; // killed before it even tried: inconclusive
      staleLocks += 1;
      if (progressed) lockTakeovers += 1;
    };
    for (let round = 0; round < KILLS; round++) {
      mutateCorpus(round);
      const before = loadCurrentGeneration(indexDir).generation;
      const stage = ['start', 'progress embedding', 'progress writing', 'before-switch'][round % 4]!;
      const delayMs =
        stage === 'start' ? random() * 60 : stage === 'progress embedding' ? random() * embedMs : stage === 'progress writing' ? random() * writeMs * 0.9 : 0;
      const hadLock = existsSync(join(indexDir, 'writer.lock'));
      // Kills aimed at embedding or writing use a full rebuild, whose phases are as long as the measured ones.
      const rebuild = random() < 0.4 || stage === 'progress embedding' || stage === 'progress writing';
      const run = await runChild({ rebuild, plan: { after: stage, delayMs }, embedDelayMs: 10, pauseBeforeSwitchMs: stage === 'before-switch' ? 5000 : 0 });
      if (run.killed) kills += 1;
      else expect(run.code, run.stderr).toBe(0);
      countTakeover(hadLock, run);

      // The index on disk is whole: the previous generation, or (only if the child got past the switch) the new one.
      const serving = loadCurrentGeneration(indexDir);
      if (stage === 'before-switch') expect(serving.generation).toBe(before);
      const base = new LocalView(serving, embedder);
      const answer = await answerFrom(base, 'What did the Harbour council approve?');
      expect(answer.refused).toBe(false);
      expect(citationProblems(answer, serving.documents)).toEqual([]);
      outcomes.push(`${stage}+${Math.round(delayMs)}ms: ${run.killed ? 'killed' : 'finished'}, serving ${expectIndexServes()}`);

      if (round % 3 === 2) {
        // The next re-index after a kill completes, takes over the stale lock, and becomes the last good index.
        const locked = existsSync(join(indexDir, 'writer.lock'));
        const next = await runChild({ rebuild: false, plan: null, embedDelayMs: 0 });
        countTakeover(locked, next);
        expect(next.code, next.stderr).toBe(0);
        expect(loadCurrentGeneration(indexDir).generation).not.toBe(before);
        expect(existsSync(join(indexDir, 'writer.lock'))).toBe(false);
        outcomes.push(`completed, serving ${expectIndexServes()}`);
      }
    }
    expect(kills, outcomes.join('\n')).toBeGreaterThanOrEqual(KILLS - 2);
    // Killed writers leave their lock behind; the following runs took it over.
    expect(staleLocks).toBeGreaterThanOrEqual(KILLS - 3);
    expect(lockTakeovers).toBe(staleLocks);

    // The last round ended with a completed run: the index reflects the corpus as it is now, with nothing left over.
    const finalSnapshot = loadCurrentGeneration(indexDir);
    expect(readdirSync(indexDir).filter((n) => n.includes('.tmp'))).toEqual([]);
    expect(finalSnapshot.documents.size).toBe(readdirSync(corpus).length);
    expect(readdirSync(indexDir).filter((n) => n.startsWith('gen-')).length).toBeLessThanOrEqual(2);
  });

  it('a lock held by a live process is respected; one left by a dead process is taken over', async () => {
    const dir = join(root, 'locks');
    mkdirSync(dir, { recursive: true });
    const lockPath = join(dir, 'writer.lock');
    const { hostname } = await import('node:os');
    // The parent (vitest worker) is alive and not us.
    writeFileSync(lockPath, JSON.stringify({ pid: process.ppid, host: hostname(), since: new Date().toISOString() }));
    expect(() => acquireWriterLock(dir)).toThrow(expect.objectContaining({ code: 'INDEX_LOCKED' }));
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('close', resolve));
    writeFileSync(lockPath, JSON.stringify({ pid: dead.pid, host: hostname(), since: new Date().toISOString() }));
    const lock = acquireWriterLock(dir);
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });
});
