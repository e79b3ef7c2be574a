// One mixed corpus of bad files through runLocalIndex end to end: each bad file gets a one-line reason in the summary or is
// indexed correctly, every good document is indexed, duplicates are indexed once, and earlier generations stay intact.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runLocalIndex, type LocalIndexResult } from '../../src/stores/local/indexer.js';
import { listGenerations, loadCurrentGeneration, loadGeneration } from '../../src/stores/local/generations.js';
import { removeDir, seedCorpusCopy, tempDir, writeFile } from '../helpers.js';
import { HashEmbedder, treeHashes } from './support.js';

// "Deleted between listing and reading" cannot be timed from outside, so stat() deletes that one file first.
const vanish = vi.hoisted(() => ({ name: 'vanishing.txt', armed: false, fired: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const fs = await import('node:fs');
  const stat: typeof real.stat = (async (path: Parameters<typeof real.stat>[0], options?: never) => {
    if (vanish.armed && String(path).endsWith(`/${vanish.name}`) && fs.existsSync(String(path))) {
      fs.unlinkSync(String(path));
      vanish.fired = true;
    }
    return real.stat(path, options);
  }) as typeof real.stat;
  return { ...real, default: { ...real, stat }, stat };
});

const GOOD = [
  'Lighthouse keepers return to remote island',
  'Published: 2024-02-12',
  '',
  'Two keepers moved back to the island lighthouse on Monday, the first permanent staff there since the light was automated.',
  '',
  'The maritime trust said the keepers would maintain the building and run guided visits during the summer season.',
].join('\n');

const LATIN1 =
  'Caf\xe9 owners on the quay said business had doubled since the ferry returned \x96 a welcome change after a hard winter.\n\nThe harbourmaster\x92s office expects more visitors in the spring festival season.';

const embedder = new HashEmbedder();
let corpus: string;
let indexDir: string;
let first: LocalIndexResult;
let second: LocalIndexResult;
let firstGenerationHashes: Record<string, string>;
const reasons = new Map<string, string>();

beforeAll(async () => {
  corpus = seedCorpusCopy({ 'lighthouse.txt': GOOD });
  indexDir = join(tempDir('rel-bad-index-'), 'index');
  first = await runLocalIndex({ corpusDir: corpus, indexDir, embedder });
  firstGenerationHashes = treeHashes(join(indexDir, first.snapshot.generation));

  // Now the corpus turns hostile.
  writeFile(corpus, 'photo.txt', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 2, 0, 0, 0, 1, 0x2c]));
  writeFile(corpus, 'empty.txt', '');
  // 50 MB of real text: refused by size before it is read.
  writeFileSync(join(corpus, 'dump.txt'), Buffer.alloc(50 * 1024 * 1024, 'All work and no play makes a dull corpus. '));
  writeFile(
    corpus,
    'damaged-utf8.txt',
    Buffer.concat([
      Buffer.from('Bridge repairs finished early, says the café owner\n\nThe café owner, Zoë Müller, said the engineers replaced the cables on the north span in six weeks instead of ten ', 'utf8'),
      Buffer.from([0xff]),
      Buffer.from(' and the crossing reopened to cyclists on Friday morning, to the relief of commuters.\n', 'utf8'),
    ]),
  );
  writeFile(corpus, 'latin1.txt', Uint8Array.from(LATIN1, (c) => c.charCodeAt(0)));
  writeFile(
    corpus,
    'utf16.txt',
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Tram service resumes after storm\n\nThe city tram resumed its regular timetable on Thursday after engineers repaired the damaged overhead line.\n', 'utf16le')]),
  );
  writeFile(corpus, 'nobody.html', '<title>Harbour festival dates announced</title><p>The harbour festival will run for three days in late June, with concerts on the quay every evening, organisers said.</p>');
  writeFile(corpus, 'broken-front-matter.md', '---\ntitle: Harbour crane [unfinished\ndate: 2024-01-20\n---\nA new crane was lifted into place at the container terminal on Saturday, port officials said in a statement.\n');
  symlinkSync('/etc/passwd', join(corpus, 'passwd.txt'));
  mkdirSync(join(corpus, 'x.txt'));
  writeFile(corpus, 'vanishing.txt', GOOD.replace('Two keepers', 'Four keepers'));
  writeFile(corpus, 'lighthouse-copy.txt', GOOD);

  vanish.armed = true;
  try {
    second = await runLocalIndex({ corpusDir: corpus, indexDir, embedder });
  } finally {
    vanish.armed = false;
  }
  for (const s of second.summary.skipped) reasons.set(s.path, s.reason);
}, 60_000);

afterAll(() => {
  removeDir(corpus);
  removeDir(join(indexDir, '..'));
});

describe('runLocalIndex on a mixed corpus of bad files', () => {
  it('gives every bad file a clear one-line reason in the summary', () => {
    expect(vanish.fired).toBe(true);
    expect(Object.fromEntries(reasons)).toEqual({
      'photo.txt': 'binary file',
      'empty.txt': 'empty file',
      'dump.txt': 'file too large (50.0 MB, limit 20 MB)',
      'passwd.txt': 'symlink outside the corpus',
      'vanishing.txt': 'file disappeared while reading',
      'lighthouse.txt': 'duplicate of lighthouse-copy.txt',
    });
    for (const s of second.summary.skipped) {
      expect(s.reason).not.toMatch(/\n/);
      expect(s.reason.length).toBeLessThan(120);
    }
  });

  it('indexes every good and recoverable document, each duplicate once', () => {
    const snapshot = loadCurrentGeneration(indexDir);
    const sources = [...snapshot.documents.keys()].sort();
    const recoverable = ['broken-front-matter.md', 'damaged-utf8.txt', 'latin1.txt', 'lighthouse-copy.txt', 'nobody.html', 'utf16.txt'];
    const seed = [...first.snapshot.documents.keys()].filter((s) => s !== 'lighthouse.txt');
    expect(sources).toEqual([...recoverable, ...seed].sort());
    // The duplicate pair is one document with one set of chunks, whichever name won.
    const lighthouseChunks = snapshot.chunks.filter((c) => /lighthouse/.test(c.source));
    expect(new Set(lighthouseChunks.map((c) => c.source))).toEqual(new Set(['lighthouse-copy.txt']));
    expect(second.summary).toMatchObject({ added: 6, removed: 1 });

    const doc = (source: string) => snapshot.documents.get(source)!;
    expect(doc('latin1.txt').text).toContain('Café owners on the quay');
    expect(doc('latin1.txt').text).toContain('harbourmaster’s office');
    expect(doc('damaged-utf8.txt').title).toBe('Bridge repairs finished early, says the café owner');
    expect(doc('damaged-utf8.txt').text).toContain('Zoë Müller');
    expect(doc('damaged-utf8.txt').text).toContain('\uFFFD');
    expect(doc('utf16.txt').title).toBe('Tram service resumes after storm');
    expect(doc('nobody.html').text).toContain('concerts on the quay');
    expect(doc('broken-front-matter.md').text).toContain('A new crane was lifted');
    // Nothing of /etc/passwd got in.
    for (const d of snapshot.documents.values()) expect(d.text).not.toMatch(/root:x?:0:0/);
  });

  it('leaves the previous generation byte for byte intact and loadable', () => {
    expect(listGenerations(indexDir)).toContain(first.snapshot.generation);
    expect(treeHashes(join(indexDir, first.snapshot.generation))).toEqual(firstGenerationHashes);
    expect(loadGeneration(indexDir, first.snapshot.generation).chunks.length).toBe(first.snapshot.chunks.length);
  });

  it('a run that fails outright (corpus gone) changes nothing on disk', async () => {
    const before = treeHashes(indexDir);
    const away = `${corpus}-moved`;
    rmSync(away, { recursive: true, force: true });
    const { renameSync } = await import('node:fs');
    renameSync(corpus, away);
    try {
      await expect(runLocalIndex({ corpusDir: corpus, indexDir, embedder })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      renameSync(away, corpus);
    }
    expect(treeHashes(indexDir)).toEqual(before);
    expect(existsSync(join(indexDir, 'writer.lock'))).toBe(false);
    expect(JSON.parse(readFileSync(join(indexDir, 'CURRENT'), 'utf8')).generation).toBe(second.snapshot.generation);
    unlinkSync(join(corpus, 'dump.txt'));
  });
});
