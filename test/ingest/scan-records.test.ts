// A scan that reuses stored documents (their files unchanged) still finds duplicates among them and new files,
// from the text hashes its records keep instead of hashing every text again.
import { utimesSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/core/ingest/index.js';
import { sha256 } from '../../src/core/ingest/parse.js';
import { previousOf, removeDir, tempDir, writeFile } from '../helpers.js';

const ARTICLE = [
  'Harbour cranes replaced after forty years',
  'Published: 2024-03-02',
  '',
  'The port authority replaced its two oldest cranes on Tuesday, ending four decades of service on the north quay.',
  '',
  'Dock workers said the new cranes would halve the time needed to unload a container ship.',
].join('\n');

const OTHER = [
  'Night ferry timetable extended into autumn',
  '',
  'The night ferry will keep running until the end of October, the operator said on Friday after a busy summer.',
].join('\n');

describe('scan records', () => {
  const dir = tempDir('scan-records-');
  afterAll(() => removeDir(dir));

  it('keep each document’s text hash, and duplicates are still found when documents are reused', async () => {
    writeFile(dir, 'harbour.txt', ARTICLE);
    writeFile(dir, 'ferry.txt', OTHER);
    // Old enough that the records are trusted (not "racy") by the next scan.
    const past = new Date(Date.now() - 60_000);
    for (const name of ['harbour.txt', 'ferry.txt']) utimesSync(`${dir}/${name}`, past, past);
    const first = await loadCorpus(dir);
    for (const doc of first.documents) {
      expect(first.scan?.find((record) => record.source === doc.source)?.textHash).toBe(sha256(doc.text));
    }

    writeFile(dir, 'zz-harbour-copy.txt', ARTICLE);
    const second = await loadCorpus(dir, { previous: previousOf(first) });
    expect(second.documents.map((doc) => doc.source)).toEqual(['ferry.txt', 'harbour.txt']);
    expect(second.documents.find((doc) => doc.source === 'harbour.txt')?.text).toBe(first.documents.find((doc) => doc.source === 'harbour.txt')?.text);
    expect(second.skipped).toEqual([{ path: 'zz-harbour-copy.txt', reason: 'duplicate of harbour.txt' }]);
    for (const record of second.scan ?? []) expect(record.textHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
