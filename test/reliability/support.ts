// Shared pieces of the reliability suite: a seeded corpus generator, and checks that an answer's citations are real
// spans of the documents it was answered from.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Answer, CleanDocument } from '../../src/core/types.js';
import { isQuoteAt } from '../../src/core/answer/citations.js';
import { answerExtractively } from '../../src/core/answer/extractive.js';
import type { LocalView } from '../../src/stores/local/view.js';
import { mulberry32 } from '../../scripts/bench/corpus.js';
import { writeFile } from '../helpers.js';

export { HashEmbedder } from './hash-embedder.js';

/** Small, fast, seeded PRNG (the bench's mulberry32): the same seed gives the same kill points and corpus on every run. */
export const seeded = mulberry32;

const PLACES = ['Harbour', 'Valley', 'Northgate', 'Riverside', 'Eastfield', 'Hillcrest', 'Lakeshore', 'Westbrook'];
const SUBJECTS = ['council', 'ferry operator', 'museum', 'school board', 'hospital', 'water company', 'rail line', 'library'];
const VERBS = ['approved', 'postponed', 'announced', 'rejected', 'reviewed', 'funded', 'opened', 'closed'];
const OBJECTS = ['a new bridge', 'the winter timetable', 'a solar farm', 'extra staff', 'the old depot', 'a flood wall', 'night buses', 'a reading room'];

/** One plausible news article; `i` makes it unique so no two files are duplicates. */
export function article(i: number, random: () => number, sentences = 12): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const place = pick(PLACES);
  const lines = [`${place} ${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} (report ${i})`, `Published: 2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 27)).padStart(2, '0')}`, ''];
  for (let s = 0; s < sentences; s++) {
    lines.push(
      `The ${place} ${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} on day ${i * 100 + s}, officials said, after ${1 + Math.floor(random() * 90)} residents wrote to the ${pick(SUBJECTS)}.`,
    );
    if (s % 3 === 2) lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

export function generateCorpus(dir: string, count: number, seed: number, sentences = 12): void {
  const random = seeded(seed);
  for (let i = 0; i < count; i++) writeFile(dir, `gen-${String(i).padStart(4, '0')}.txt`, article(i, random, sentences));
}

/** Every citation quotes its document verbatim at its offsets, and every [n] in the text has a citation. */
export function citationProblems(answer: Answer, documents: ReadonlyMap<string, CleanDocument>): string[] {
  const problems: string[] = [];
  for (const c of answer.citations) {
    const doc = documents.get(c.source);
    if (!doc) problems.push(`[${c.n}] cites ${c.source}, not in this generation`);
    else if (!isQuoteAt(doc.text, c.quote, c.start, c.end)) problems.push(`[${c.n}] quote is not at ${c.start}-${c.end} of ${c.source}`);
  }
  const numbers = new Set(answer.citations.map((c) => c.n));
  for (const m of answer.answer.matchAll(/\[(\d+)\]/g)) if (!numbers.has(Number(m[1]))) problems.push(`marker [${m[1]}] has no citation`);
  return problems;
}

/** SHA-256 of every file under `dir` (relative path → hash): "untouched" means this map is unchanged. */
export function treeHashes(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(path).isDirectory()) Object.assign(out, treeHashes(path, rel));
    else out[rel] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

/** An extractive answer from one knowledge base (no scorer vectors needed), as the services would give it. */
export async function answerFrom(base: LocalView, question: string): Promise<Answer> {
  const passages = await base.retrieve(question, { k: 5 });
  return answerExtractively(question, passages, base.snapshot.documents, { idf: (t) => base.bm25.idf(t), knows: (t) => base.knows(t) });
}
