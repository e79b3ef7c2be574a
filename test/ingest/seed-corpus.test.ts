// The seed corpus end to end: dates, titles, and cleaned text that is exactly the article, verbatim.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/core/ingest/index.js';
import type { LoadCorpusResult } from '../../src/core/ingest/index.js';
import type { CleanDocument } from '../../src/core/types.js';

const corpusDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../corpus');

interface Expectation {
  file: string;
  date: string | null;
  provenance: string | null;
  title: string | RegExp;
  /** 1-based inclusive line range of the article body in the original file. */
  body: [number, number];
  /** Page furniture that must not survive cleaning. */
  absent: string[];
}

const EXPECTED: Expectation[] = [
  {
    file: '000_66bda952950de0d6.txt',
    date: '2025-08-23',
    provenance: 'dateline',
    title: "Japan, S. Korea agree to enhance ties in 'challenging' environment",
    body: [8, 34],
    absent: ['TRADE WARS', 'Related Links', 'RELATED CONTENT', 'Aug 19, 2025', 'read more', 'Subscribe', 'Tweet', 'Copyright', 'GDPR', 'May 25, 2018', 'Privacy', 'by AFP Staff Writers', 'Mars'],
  },
  {
    file: '001_bafdd1d5e9ecaa96.txt',
    date: '2025-12-30',
    provenance: 'dateline',
    title: 'South Korean President Lee to visit China next week',
    body: [7, 43],
    absent: ['ADVERTISEMENT', 'SpaceDaily.com', 'Earnings Calendar', 'Josephson', 'All rights reserved', 'Agence France-Presse.', 'Dec 30 (AFP)'],
  },
  {
    file: '002_c5ea7fcf27682b1a.txt',
    date: null,
    provenance: null,
    title: /^On Tuesday morning, North Korea launched .*…$/,
    body: [4, 12],
    absent: ['Smiley face', 'Live Markets', 'Share.', '©', '2024', 'All Rights Reserved'],
  },
  {
    file: '003_43ea35b9559ee009.txt',
    date: null,
    provenance: null,
    title: /^US President Joe Biden and Japan’s Prime Minister, .*…$/,
    body: [1, 15],
    absent: ['Leave a Reply', 'email address', 'Required fields'],
  },
  {
    file: '004_d123d17845083a10.txt',
    date: '2023-08-15',
    provenance: 'dateline',
    title: 'Expanding Military Cooperation: US, Japan, and South Korea Strengthen Ballistic Missile Defenses',
    body: [6, 28],
    absent: ['icon-facebook', 'Tue Aug 15 2023'],
  },
];

function bodyParagraphs(file: string, [from, to]: [number, number]): string[] {
  const lines = readFileSync(path.join(corpusDir, file), 'utf8').split(/\r?\n/);
  return lines
    .slice(from - 1, to)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

let result: LoadCorpusResult;
const byFile = new Map<string, CleanDocument>();

beforeAll(async () => {
  result = await loadCorpus(corpusDir);
  for (const doc of result.documents) byFile.set(doc.source, doc);
});

describe('seed corpus', () => {
  it('loads every seed file in sorted order and skips nothing', () => {
    expect(result.skipped).toEqual([]);
    expect(result.documents.map((d) => d.source)).toEqual(EXPECTED.map((e) => e.file));
    for (const doc of result.documents) expect(doc.format).toBe('txt');
  });

  for (const exp of EXPECTED) {
    describe(exp.file, () => {
      it('has the expected publication date and provenance', () => {
        const doc = byFile.get(exp.file)!;
        expect(doc.publishedAt).toBe(exp.date);
        expect(doc.dateProvenance).toBe(exp.provenance);
        if (exp.date === null) expect(doc.dateConfidence).toBe(0);
        else expect(doc.dateConfidence).toBeGreaterThan(0.5);
      });

      it('has the expected title', () => {
        const doc = byFile.get(exp.file)!;
        if (typeof exp.title === 'string') expect(doc.title).toBe(exp.title);
        else {
          expect(doc.title).toMatch(exp.title);
          expect(doc.title.length).toBeLessThanOrEqual(90);
        }
      });

      it('keeps exactly the article paragraphs, verbatim, including the last one', () => {
        const doc = byFile.get(exp.file)!;
        const paragraphs = bodyParagraphs(exp.file, exp.body);
        for (const p of paragraphs) expect(doc.text).toContain(p);
        expect(doc.text).toBe(paragraphs.join('\n\n'));
      });

      it('drops the page furniture', () => {
        const doc = byFile.get(exp.file)!;
        for (const s of exp.absent) expect(doc.text).not.toContain(s);
      });

      it('cleaned text quotes are found in the original file with whitespace collapsed', () => {
        const doc = byFile.get(exp.file)!;
        const collapse = (s: string): string => s.replace(/\s+/g, ' ');
        const original = collapse(readFileSync(path.join(corpusDir, exp.file), 'utf8'));
        for (const p of doc.text.split('\n\n')) expect(original).toContain(collapse(p));
      });
    });
  }

  it('never takes a date from boilerplate (teaser datelines, copyright years, privacy notices)', () => {
    const forbidden = ['1995', '2018', '2024', '2025-08-19'];
    for (const doc of result.documents) {
      for (const bad of forbidden) expect(doc.publishedAt ?? '').not.toMatch(new RegExp(`^${bad}`));
    }
  });

  it('hashes: fileHash of raw bytes, contentHash changes with the text', () => {
    const doc = byFile.get(EXPECTED[0]!.file)!;
    expect(doc.fileHash).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.contentHash).not.toBe(doc.fileHash);
    const hashes = new Set(result.documents.map((d) => d.contentHash));
    expect(hashes.size).toBe(result.documents.length);
  });

  it('is deterministic across runs', async () => {
    const again = await loadCorpus(corpusDir);
    expect(again).toEqual(result);
  });
});
