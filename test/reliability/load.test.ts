// 200 concurrent questions while a re-index swaps generations: every question is answered from one complete
// generation (its citations check out against exactly that one), and the old generation is released afterwards.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/app/services.js';
import type { Services } from '../../src/commands/services.js';
import type { Answer } from '../../src/core/types.js';
import type { IndexSnapshot } from '../../src/stores/local/snapshot.js';
import { captureLogger, removeDir, seedCorpusCopy, tempDir, testConfig, writeFile, servingBase } from '../helpers.js';
import { article, citationProblems, generateCorpus, HashEmbedder, seeded } from './support.js';

/** global.gc when the worker was started with --expose-gc, else the same function obtained at run time. */
function gcFunction(): (() => void) | null {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
}

const QUESTIONS = [
  'Where did Japanese and South Korean leaders meet?',
  'What did the Harbour council approve?',
  'Which residents wrote to the ferry operator?',
  'When did the Valley museum open the reading room?',
  'What did the Northgate water company postpone?',
  'Who agreed to boost bilateral cooperation?',
  'What happened to the old depot in Riverside?',
  'Which library funded night buses?',
];

let corpus: string;
let indexDir: string;
let services: Services;

beforeAll(async () => {
  corpus = seedCorpusCopy();
  generateCorpus(corpus, 40, 7);
  indexDir = join(tempDir('rel-load-'), 'index');
  services = await createServices({ config: testConfig({ corpusDir: corpus, indexDir }), logger: captureLogger(), embedder: new HashEmbedder(), chat: null });
});

afterAll(async () => {
  await services?.close();
  removeDir(corpus);
  removeDir(join(indexDir, '..'));
});

describe('load during a re-index', () => {
  it('answers 200 concurrent questions while generations swap; each from one whole generation', async () => {
    const gc = gcFunction();
    for (const q of QUESTIONS) await services.ask(q); // warm caches so the baseline is fair
    gc?.();
    const baseline = process.memoryUsage().heapUsed;
    const oldBase = new WeakRef(servingBase(services));

    // The re-index adds a file and shifts every offset of an existing one: an answer mixing generations would
    // quote text at offsets that do not hold it.
    writeFile(corpus, 'gen-0003.txt', `Correction: an earlier version of this report misnamed the council.\n\n${article(3, seeded(99))}`);
    writeFile(corpus, 'late-news.txt', article(1000, seeded(5)));

    const asked: Array<Promise<{ answer: Answer; snapshot: IndexSnapshot }>> = [];
    const issue = (i: number) => {
      // ask() takes the current knowledge base synchronously, before its first await: record that one.
      const snapshot = servingBase(services).snapshot;
      asked.push(services.ask(QUESTIONS[i % QUESTIONS.length]!).then((answer) => ({ answer, snapshot })));
    };
    let i = 0;
    for (; i < 80; i++) issue(i);
    let swapped = false;
    const reindex = services.reindex().then((summary) => {
      swapped = true;
      return summary;
    });
    while (!swapped && i < 150) {
      for (let k = 0; k < 5; k++) issue(i++);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const summary = await reindex;
    while (i < 200) issue(i++);

    const results = await Promise.all(asked);
    expect(summary).toMatchObject({ added: 1, updated: 1 });
    expect(results).toHaveLength(200);
    const generations = new Map<string, number>();
    for (const { answer, snapshot } of results) {
      generations.set(snapshot.generation, (generations.get(snapshot.generation) ?? 0) + 1);
      expect(answer.answer.length).toBeGreaterThan(0);
      expect(citationProblems(answer, snapshot.documents)).toEqual([]);
    }
    expect(results.filter((r) => !r.answer.refused).length).toBeGreaterThan(100);
    // Both generations served questions: the swap really happened under load.
    expect(generations.size).toBe(2);
    expect([...generations.values()].every((n) => n >= 20)).toBe(true);
    const newest = servingBase(services).snapshot;
    expect(newest.documents.has('late-news.txt')).toBe(true);
    expect(results.at(-1)!.snapshot.generation).toBe(newest.generation);

    results.length = 0;
    asked.length = 0;
    await new Promise((resolve) => setImmediate(resolve));
    if (gc) {
      gc();
      // The old generation is released once its last question finished (no timing involved).
      expect(oldBase.deref()).toBeUndefined();
      expect(process.memoryUsage().heapUsed - baseline).toBeLessThan(40 * 1024 * 1024);
    } else {
      expect(process.memoryUsage().heapUsed).toBeLessThan(baseline * 3 + 200 * 1024 * 1024);
    }
  });
});
