// The npm-script contract, exercised as a user would: real processes, real files, JSON on stdout.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWordVectorsDir } from '../../src/app/embedders.js';
import type { Timeline } from '../../src/core/types.js';
import { nodeCommandFor, PROJECT_ROOT, removeDir, seedCorpusCopy, seedTimelineProblems, SHARED_EVAL, tempDir, writeFile } from '../helpers.js';

const run = promisify(execFile);
const ENTRY_POINTS = ['index-command.ts', 'ask-command.ts', 'timeline-command.ts', 'start.ts'];
const commands = new Map<string, Awaited<ReturnType<typeof nodeCommandFor>>>();

let corpusDir: string;
let indexDir: string;
const env = () => ({
  ...process.env,
  CORPUS_DIR: corpusDir,
  INDEX_DIR: indexDir,
  EVAL_DIR: SHARED_EVAL,
  // A bundled entry point cannot find the project root from its own location; name the vectors explicitly.
  WORD_VECTORS_DIR: defaultWordVectorsDir(),
  DISCORD_TOKEN: '',
  OPENAI_API_KEY: '',
  OPENAI_BASE_URL: '',
  LOG_LEVEL: 'warn',
});

async function cli(script: string, args: string[], input?: string) {
  const command = commands.get(script);
  if (!command) throw new Error(`no command for ${script}`);
  const child = run(command.file, [...command.args, ...args], { cwd: PROJECT_ROOT, env: env(), maxBuffer: 10 * 1024 * 1024 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return child;
}

beforeAll(async () => {
  for (const entry of ENTRY_POINTS) commands.set(entry, await nodeCommandFor(join(PROJECT_ROOT, 'src', 'cli', entry)));
  corpusDir = seedCorpusCopy({ 'notes.bin': Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7]).toString('latin1') });
  indexDir = tempDir('index-');
});
afterAll(() => {
  for (const command of commands.values()) command.cleanup();
  removeDir(corpusDir);
  removeDir(indexDir);
});

describe('npm run index', () => {
  it('--json prints exactly one JSON object; a second run embeds nothing; a new file embeds only its chunks', async () => {
    const first = JSON.parse((await cli('index-command.ts', ['--json'])).stdout);
    expect(first).toMatchObject({ added: 5, updated: 0, removed: 0, unchanged: 0 });
    expect(first.embedded).toBe(first.chunks);
    expect(first.skipped).toEqual([{ path: 'notes.bin', reason: expect.stringMatching(/binary|unsupported/) }]);
    expect(typeof first.embedder).toBe('string');
    expect(typeof first.ms).toBe('number');

    const second = JSON.parse((await cli('index-command.ts', ['--json'])).stdout);
    expect(second).toMatchObject({ added: 0, unchanged: 5, embedded: 0 });

    writeFile(corpusDir, 'extra.md', '---\ntitle: Ferry service resumes\ndate: 2025-09-02\n---\n\nThe ferry between Busan and Fukuoka resumed service on Tuesday after a two-week suspension caused by a typhoon. Operators said bookings were strong.\n');
    const third = JSON.parse((await cli('index-command.ts', ['--json'])).stdout);
    expect(third).toMatchObject({ added: 1, unchanged: 5 });
    expect(third.embedded).toBe(third.chunks - first.chunks);
  });

  it('human mode prints the one-line summary', async () => {
    const { stdout } = await cli('index-command.ts', []);
    expect(stdout).toMatch(/\+0 added · 0 changed · 0 removed · 6 unchanged · \d+ chunks \(0 embedded\) · 1 skipped: notes\.bin/);
  });
});

describe('npm run ask', () => {
  it('--json answers with verified citations', async () => {
    const answer = JSON.parse((await cli('ask-command.ts', ['Where did Ishiba and Lee meet?', '--json'])).stdout);
    expect(answer).toMatchObject({ refused: false, mode: 'extractive' });
    expect(answer.answer).toContain('Tokyo');
    expect(answer.citations[0]).toMatchObject({ n: 1, source: '000_66bda952950de0d6.txt', date: '2025-08-23', url: null });
    expect(answer.citations[0].quote.length).toBeGreaterThan(10);
  });

  it('answers a "when" question about a page added by a re-index with the date, worked out from its publication date', async () => {
    const answer = JSON.parse((await cli('ask-command.ts', ['When did the ferry between Busan and Fukuoka resume service?', '--json'])).stdout);
    expect(answer).toMatchObject({ refused: false, type: 'date', short: '2 September 2025' });
    expect(answer.answer).toContain('says "on Tuesday"');
    expect(answer.citations[0]).toMatchObject({ source: 'extra.md', date: '2025-09-02' });
  });

  it('rejects a bad --k with a clear message and a non-zero exit', async () => {
    await expect(cli('ask-command.ts', ['question', '--k', 'zero'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--k must be') });
  });
});

describe('npm start without DISCORD_TOKEN', () => {
  it('runs the terminal session on piped input: answers, refuses, lists sources, exits at end of input', async () => {
    const { stdout } = await cli('start.ts', [], '/ask Where did Ishiba and Lee meet?\n/ask What is the capital of Canada?\n/sources ferry\n/timeline japan korea\n/help\n');
    expect(stdout).toContain('Tokyo');
    expect(stdout).toContain("I couldn't find this in the indexed documents.");
    expect(stdout).toContain('Ferry service resumes');
    expect(stdout).toMatch(/1910\/1945/);
    expect(stdout).toContain('/timeline <entities>');
  });

  it('--json reads one question per line, carries the conversation, and /new resets it', async () => {
    const { stdout } = await cli('start.ts', ['--json'], 'Where did Ishiba and Lee meet?\nand why?\n/new\nwhy?\n');
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { question?: string; standalone?: string; refused?: boolean; citations?: unknown[]; reset?: boolean });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ question: 'Where did Ishiba and Lee meet?', standalone: 'Where did Ishiba and Lee meet?', refused: false });
    expect(lines[0]?.citations?.length).toBeGreaterThan(0);
    expect(lines[1]).toMatchObject({ question: 'and why?', standalone: 'Why did Ishiba and Lee meet?' });
    expect(lines[2]).toEqual({ reset: true });
    expect(lines[3]).toMatchObject({ question: 'why?', standalone: 'why?' });
  });
});

describe('npm run timeline', () => {
  it('--json prints the chronology contract; --png writes the picture', async () => {
    const png = join(tempDir('timeline-png-'), 'out.png');
    const timeline = JSON.parse((await cli('timeline-command.ts', ['japan', 'korea', '--json', '--png', png])).stdout) as Timeline;
    expect(timeline.entities).toEqual([
      expect.objectContaining({ name: 'japan', label: 'Japan', source: 'curated', aliases: expect.arrayContaining(['Tokyo']) }),
      expect.objectContaining({ name: 'korea', label: 'South Korea', source: 'curated' }),
    ]);
    expect(seedTimelineProblems(timeline)).toEqual([]);
    // Every citation quotes its page.
    for (const event of timeline.events) {
      for (const citation of event.citations) {
        const text = readFileSync(join(corpusDir, citation.source), 'utf8').replace(/\s+/g, ' ');
        expect(text, `${event.date} [${citation.n}]`).toContain(citation.quote.replace(/\s+/g, ' '));
      }
    }
    const bytes = readFileSync(png);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(bytes.readUInt32BE(16)).toBe(1000); // IHDR width
  });

  it('a learned name resolves; a name no document mentions is an empty timeline with a message, exit 0', async () => {
    const learned = JSON.parse((await cli('timeline-command.ts', ['xi', 'jinping', '--json'])).stdout);
    expect(learned.entities).toEqual([expect.objectContaining({ label: 'Xi Jinping', source: 'learned' })]);
    expect(learned.events.map((e: { date: string }) => e.date.slice(0, 7))).toEqual(expect.arrayContaining(['2025-11', '2026-01']));
    const { stdout } = await cli('timeline-command.ts', ['atlantis']);
    expect(stdout).toMatch(/No dated events mention 'atlantis' in the \d+ indexed documents\./);
  });
});
