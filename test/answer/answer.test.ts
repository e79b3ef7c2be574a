import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/commands/services.js';
import { assembleAnswer, isQuoteAt, verifiedCitations } from '../../src/core/answer/citations.js';
import { REFUSAL_TEXT } from '../../src/core/answer/extractive.js';
import { readQaSet } from '../../src/eval/qa.js';
import { runQaEval } from '../../src/eval/run.js';
import { runScriptedModels } from '../../src/eval/scripted-models.js';
import { join } from 'node:path';
import { SHARED_EVAL, testConfig, servingBase, seedServices, type SeedServices } from '../helpers.js';

let seed: SeedServices;
let services: Services;
let corpusDir: string;
let indexDir: string;
beforeAll(async () => {
  seed = await seedServices();
  ({ services, corpusDir, indexDir } = seed);
});
afterAll(() => seed?.dispose());

describe('extractive answers', () => {
  it('answers with [n] after each sentence and citations whose quotes are in the stored document', async () => {
    const answer = await services.ask('Where did Ishiba and Lee meet in August 2025?');
    expect(answer.refused).toBe(false);
    expect(answer.mode).toBe('extractive');
    expect(answer.answer).toContain('Tokyo');
    expect(answer.answer).toMatch(/\[1\]/);
    const documents = servingBase(services).snapshot.documents;
    expect(verifiedCitations(answer.citations, documents)).toHaveLength(answer.citations.length);
    for (const citation of answer.citations) {
      expect(answer.answer).toContain(`[${citation.n}]`);
      expect(citation.date === null || /^\d{4}-\d{2}-\d{2}$/.test(citation.date)).toBe(true);
    }
  });

  it('refuses when the corpus does not cover the question, listing the closest sources', async () => {
    const answer = await services.ask('What is the capital of Canada?');
    expect(answer.refused).toBe(true);
    expect(answer.answer).toBe(REFUSAL_TEXT);
    // The closest sources are listed (never an empty list passing vacuously), each a verified quote.
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(verifiedCitations(answer.citations, servingBase(services).snapshot.documents)).toHaveLength(answer.citations.length);
    for (const citation of answer.citations) expect(citation.title.length).toBeGreaterThan(0);
  });

  it('rejects empty or symbol-only questions with a clear message', async () => {
    await expect(services.ask('   ')).rejects.toThrow(/Please ask a question/);
    await expect(services.ask('🤔🤔')).rejects.toThrow(/Please ask a question/);
    const long = await services.ask(`Where did Ishiba and Lee meet? ${'x'.repeat(6000)}`);
    expect(long.question.length).toBeLessThanOrEqual(1000);
  });
});

describe('citation verification', () => {
  it('a tampered quote or wrong offsets are rejected, and the sentence citing it is dropped', async () => {
    const documents = servingBase(services).snapshot.documents;
    const doc = documents.get('001_bafdd1d5e9ecaa96.txt')!;
    const quote = 'Relations with China nosedived in 2016 after Seoul agreed to deploy the US-made THAAD missile defence system.';
    const start = doc.text.indexOf(quote);
    expect(start).toBeGreaterThan(-1);
    expect(isQuoteAt(doc.text, quote, start, start + quote.length)).toBe(true);
    const tampered = quote.replace('2016', '2017');
    expect(isQuoteAt(doc.text, tampered, start, start + tampered.length)).toBe(false);
    expect(isQuoteAt(doc.text, quote, start + 1, start + 1 + quote.length)).toBe(false);

    const base = { source: doc.source, title: doc.title, date: doc.publishedAt, url: doc.url };
    const { answer, citations, droppedClaims } = assembleAnswer(
      [
        { sentence: 'Relations nosedived in 2016.', support: [{ ...base, quote, start, end: start + quote.length }] },
        { sentence: 'Relations nosedived in 2017.', support: [{ ...base, quote: tampered, start, end: start + tampered.length }] },
      ],
      documents,
    );
    expect(droppedClaims).toBe(1);
    expect(citations).toHaveLength(1);
    expect(answer).toBe('Relations nosedived in 2016. [1]');
  });
});

describe('dev set', () => {
  it('meets the targets: accuracy ≥ 9/10, both refusals, 100 % valid citations, recall@5 ≥ 0.9', async () => {
    const report = await runQaEval(services, readQaSet(join(SHARED_EVAL, 'qa-dev.jsonl')), corpusDir);
    expect(report.correct).toBeGreaterThanOrEqual(9);
    expect(report.answerable).toBe(10);
    expect(report.refusalAccuracy).toBe(1);
    expect(report.citationValidity).toBe(1);
    expect(report.recallAt5).toBeGreaterThanOrEqual(0.9);
    expect(report.refusalsCitingAnswer).toBe(0);
  });

  it('the model path with scripted models on the fake OpenAI server: oracle kept, paraphrases kept, fabrications blocked', async () => {
    const items = readQaSet(join(SHARED_EVAL, 'qa-dev.jsonl'));
    const report = await runScriptedModels(items, testConfig({ corpusDir, indexDir }));
    expect(report.answerSentenceShown).toBeGreaterThanOrEqual(0.95);
    expect(report.oracle.kept).toBeGreaterThanOrEqual(0.95);
    expect(report.oracle.refused).toBe(1);
    expect(report.paraphraser.kept).toBeGreaterThanOrEqual(0.9);
    expect(report.fabricator.attempted).toBeGreaterThan(0);
    expect(report.fabricator.blocked).toBe(1);
  });
});
