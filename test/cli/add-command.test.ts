// npm run add as a user runs it: a real process, a loopback web server, JSON on stdout. The server's origin is let
// through by the test-only FETCH_ALLOW_ORIGINS; without it the same link is refused.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWordVectorsDir } from '../../src/app/embedders.js';
import { nodeCommandFor, PROJECT_ROOT, removeDir, seedCorpusCopy, tempDir, writeFile } from '../helpers.js';
import { articlePage, FakeWeb } from '../fakes/web-server.js';

const run = promisify(execFile);
let add: Awaited<ReturnType<typeof nodeCommandFor>>;
let ask: Awaited<ReturnType<typeof nodeCommandFor>>;
let web: FakeWeb;
let corpusDir: string;
let indexDir: string;
let filesDir: string;

const env = (extra: Record<string, string> = {}) => ({
  ...process.env,
  CORPUS_DIR: corpusDir,
  INDEX_DIR: indexDir,
  WORD_VECTORS_DIR: defaultWordVectorsDir(),
  DISCORD_TOKEN: '',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  LOG_LEVEL: 'warn',
  FETCH_ALLOW_ORIGINS: '',
  ...extra,
});

async function cli(command: typeof add, args: string[], extra: Record<string, string> = {}): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(command.file, [...command.args, ...args], { cwd: PROJECT_ROOT, env: env(extra), maxBuffer: 10 * 1024 * 1024 });
    return { stdout, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; code?: number };
    return { stdout: failed.stdout ?? '', code: failed.code ?? -1 };
  }
}

beforeAll(async () => {
  add = await nodeCommandFor(join(PROJECT_ROOT, 'src', 'cli', 'add-command.ts'));
  ask = await nodeCommandFor(join(PROJECT_ROOT, 'src', 'cli', 'ask-command.ts'));
  web = await FakeWeb.start();
  web.page(
    '/stories/glacier',
    articlePage({
      title: 'Glacier railway reopens after landslide',
      date: '2025-07-14',
      paragraphs: ['The glacier railway reopened on 14 July 2025, six weeks after a landslide buried the tracks near Tall Pass station.', 'Repairs cost 2.5 million francs.'],
    }),
    'text/html',
  );
  corpusDir = seedCorpusCopy();
  indexDir = tempDir('index-');
  filesDir = tempDir('files-');
  writeFile(filesDir, 'orchard.md', '---\ntitle: Orchard library hours\ndate: 2025-05-30\n---\n\nThe Orchard Street library will stay open until 9 pm from 1 June 2025.\n');
}, 120_000);

afterAll(async () => {
  add?.cleanup();
  ask?.cleanup();
  await web?.stop();
  removeDir(corpusDir);
  removeDir(indexDir);
  removeDir(filesDir);
});

describe('npm run add', () => {
  it('refuses a loopback link by default (exit 1, the reason in --json)', async () => {
    const { stdout, code } = await cli(add, [web.url('/stories/glacier'), '--json']);
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result.added).toEqual([]);
    expect(result.refused).toEqual([{ name: web.url('/stories/glacier'), reason: expect.stringMatching(/port \d+ is not allowed/) }]);
    expect(web.requests).toEqual([]);
  });

  it('--json adds a link and a file; ask --json then cites the link', async () => {
    const { stdout, code } = await cli(add, [web.url('/stories/glacier'), join(filesDir, 'orchard.md'), 'gopher://old.test/x', '--json'], { FETCH_ALLOW_ORIGINS: web.origin });
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.added).toEqual([
      expect.objectContaining({ source: 'uploads/orchard.md', title: 'Orchard library hours', url: null }),
      expect.objectContaining({ source: 'uploads/127.0.0.1-glacier.html', title: 'Glacier railway reopens after landslide', publishedAt: '2025-07-14', url: web.url('/stories/glacier') }),
    ]);
    expect(result.refused).toEqual([{ name: 'gopher://old.test/x', reason: 'only http and https links are fetched (not gopher)' }]);
    expect(result.reindex).toMatchObject({ added: 2 });

    const answer = JSON.parse((await cli(ask, ['When did the glacier railway reopen?', '--json'])).stdout);
    expect(answer.citations[0]).toMatchObject({ source: 'uploads/127.0.0.1-glacier.html', url: web.url('/stories/glacier') });
  });

  it('the same link again is already indexed, in plain text too', async () => {
    const { stdout } = await cli(add, [web.url('/stories/glacier')], { FETCH_ALLOW_ORIGINS: web.origin });
    expect(stdout).toContain(`already  ${web.url('/stories/glacier')}: already indexed as uploads/127.0.0.1-glacier.html`);
  });
});
