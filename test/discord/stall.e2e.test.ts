// Issue #24: adding a document never stalls the bot. The bot runs in its own process (`node scripts/run.mjs start`,
// the compiled bot as deployed) against the fake Discord in this one, so the fake's clock and its interactions do
// not wait on the bot's event loop: an interaction the bot cannot read while a re-index holds its loop is late by
// the fake's clock, as it would be on Discord. A /reindex over a corpus holding a page of 5,000 nested elements
// (minutes in Readability, on the event loop, before the fix) and an 8 MB text (3 s of cleaning there) runs while
// /ask is sent every 200 ms; every /ask must be acknowledged (deferred) within Discord's 3 s.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWordVectorsDir } from '../../src/app/embedders.js';
import { ADMIN_PERMISSIONS, FakeDiscord, snowflake, STRING, type RestCall, type SentInteraction } from '../fakes/discord-server.js';
import { largeText, nestedPage } from '../fixtures/stalling.js';
import { PROJECT_ROOT, removeDir, seedCorpusCopy, tempDir } from '../helpers.js';

/** Discord's deadline for the first response to an interaction. */
const ACK_DEADLINE_MS = 3000;
const ASK_EVERY_MS = 200;

let fake: FakeDiscord;
let bot: ChildProcess;
let corpusDir: string;
let dir: string;
const botLog: string[] = [];

function waitForLog(pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot never logged ${pattern}; last lines:\n${botLog.slice(-10).join('\n')}`)), timeoutMs);
    const check = (): void => {
      if (!botLog.some((line) => pattern.test(line))) return;
      clearTimeout(timer);
      bot.stderr?.off('data', check);
      resolve();
    };
    bot.stderr?.on('data', check);
    check();
  });
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  corpusDir = seedCorpusCopy();
  dir = tempDir('stall-');
  bot = spawn(process.execPath, [join(PROJECT_ROOT, 'scripts', 'run.mjs'), 'start'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: `stall-test-token.${Math.random().toString(36).slice(2)}`,
      DISCORD_API_BASE: fake.apiBase,
      CORPUS_DIR: corpusDir,
      INDEX_DIR: join(dir, 'index'),
      EMBEDDINGS: 'local',
      STORE: 'local',
      WORD_VECTORS_DIR: defaultWordVectorsDir(),
      WATCH_CORPUS: 'false',
      COOLDOWN_SECONDS: '0',
      ENTITIES_FILE: join(PROJECT_ROOT, 'data', 'entities.json'),
      FEEDBACK_FILE: join(dir, 'feedback.jsonl'),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  bot.stderr?.setEncoding('utf8');
  bot.stderr?.on('data', (data: string) => botLog.push(...data.split('\n').filter(Boolean)));
  await waitForLog(/discord bot ready/, 60_000);
});

afterAll(async () => {
  if (bot && bot.exitCode === null) {
    const exited = new Promise((resolve) => bot.once('exit', resolve));
    bot.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (bot.exitCode === null) bot.kill('SIGKILL');
  }
  await fake?.stop();
  if (corpusDir) removeDir(corpusDir);
  if (dir) removeDir(dir);
});

const isCallback = (call: RestCall): boolean => call.method === 'POST' && call.path.endsWith('/callback');
const isEdit = (call: RestCall): boolean => call.method === 'PATCH' && call.path.endsWith('/messages/@original');

describe('adding documents never stalls the bot', () => {
  it('acknowledges every /ask within 3 s while /reindex takes in a 5,000-deep page and an 8 MB text', async () => {
    writeFileSync(join(corpusDir, 'deep-notice.html'), nestedPage(5000));
    writeFileSync(join(corpusDir, 'works-report.txt'), largeText(8 * 1024 * 1024));

    const admin = { id: snowflake(), username: 'admin' };
    const reindex = fake.slash('reindex', [], { user: admin, permissions: ADMIN_PERMISSIONS });
    const finished = fake.waitForCall((c) => c.path.includes(reindex.token) && isEdit(c) && !/^⏳/.test(c.body.content ?? ''), 100_000);
    let done = false;
    void finished.then(() => (done = true), () => (done = true));

    // Questions keep coming for the whole re-index (at least 15, at most for a minute), each from another user.
    const asks: SentInteraction[] = [];
    const started = performance.now();
    while (asks.length < 15 || (!done && performance.now() - started < 60_000)) {
      asks.push(fake.slash('ask', [{ name: 'question', type: STRING, value: 'Where did Ishiba and Lee meet in August 2025?' }], { user: { id: snowflake(), username: `asker${asks.length}` } }));
      await new Promise((resolve) => setTimeout(resolve, ASK_EVERY_MS));
    }
    const ackOf = (ask: SentInteraction): RestCall | undefined => fake.callsFor(ask).find(isCallback);
    const lastSent = performance.now();
    while (asks.some((ask) => !ackOf(ask)) && performance.now() - lastSent < 10_000) await new Promise((resolve) => setTimeout(resolve, 50));

    const late: string[] = [];
    for (const [i, ask] of asks.entries()) {
      const ack = ackOf(ask);
      if (!ack) late.push(`/ask #${i + 1} never acknowledged`);
      else if (ack.at - ask.sentAt > ACK_DEADLINE_MS) late.push(`/ask #${i + 1} acknowledged after ${Math.round(ack.at - ask.sentAt)} ms`);
      else expect(ack.body.type).toBe(5); // deferred: the answer follows as an edit
    }
    expect(late).toEqual([]);
    const summary = (await finished).body.content as string;

    // Both files are in: the page through its stripped body (Readability is not run on it), the text in full.
    expect(summary).toMatch(/\+2 added .* skipped: none/);
  }, 180_000);
});
