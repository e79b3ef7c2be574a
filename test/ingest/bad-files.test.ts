// A corpus full of bad files: each one is skipped with a clear reason or indexed correctly, and the rest still loads.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestError, loadCorpus, parseDocument } from '../../src/core/ingest/index.js';
import type { LoadCorpusResult } from '../../src/core/ingest/index.js';
import { readCorpusFile } from '../../src/core/ingest/load.js';

const ARTICLE = [
  'Lighthouse keepers return to remote island',
  'Published: 2024-02-12',
  '',
  'Two keepers moved back to the island lighthouse on Monday, the first permanent staff there since the light was automated in the 1990s.',
  '',
  'The maritime trust said the keepers would maintain the building and run guided visits during the summer season.',
].join('\n');

const OTHER = [
  'Ferry service resumes after storm damage repaired',
  '',
  'The island ferry resumed its regular timetable on Thursday after engineers finished repairs to the damaged loading ramp.',
  '',
  'Operators said that extra crossings would run over the weekend to clear the backlog of freight.',
].join('\n');

const LATIN1_TEXT =
  'Caf\xe9 owners on the quay said business had doubled since the ferry returned \x96 a welcome change after a hard winter.\n\nThe harbourmaster\x92s office expects more visitors in the spring, when the festival season begins.';

let dir: string;
let result: LoadCorpusResult;
const reasons = new Map<string, string>();
const fifoCreated = { ok: false };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ingest-bad-'));
  const w = (name: string, data: string | Uint8Array): void => writeFileSync(path.join(dir, name), data);
  w('article.txt', ARTICLE);
  w('copy-of-article.txt', ARTICLE);
  w('zz-other.txt', OTHER);
  // PNG signature and header: NUL bytes.
  w('image.txt', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]));
  w('controls.txt', Uint8Array.from({ length: 400 }, (_v, i) => (i % 3 === 0 ? 0x41 : (i % 31) + 1)));
  w('empty.txt', '');
  w('blank.md', '  \n\t\n   \n');
  w('latin1.txt', Uint8Array.from(LATIN1_TEXT, (c) => c.charCodeAt(0)));
  // Mostly high bytes that are not UTF-8: not text in any encoding we accept.
  w('garbage.txt', Uint8Array.from({ length: 600 }, (_v, i) => (i % 4 === 0 ? 0x61 : 0x80 + ((i * 37) % 120))));
  const utf16 = Buffer.from(OTHER.replace('Ferry service', 'Tram service').replace('island ferry', 'city tram'), 'utf16le');
  w('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]));
  w('nobody.html', '<title>Harbour festival dates announced</title><p>The harbour festival will run for three days in late June, with concerts on the quay every evening, organisers said.</p><p>Tickets for the closing fireworks go on sale next month through the visitor centre.</p>');
  w('broken-front-matter.md', '---\ntitle: Harbour crane [unfinished\ndate: 2024-01-20\n---\nA new crane was lifted into place at the container terminal on Saturday, port officials said in a short statement.\n\nThe crane will double the number of containers the terminal can handle each hour.\n');
  w('furniture.txt', 'Home\nNews\nSport\n\nADVERTISEMENT\n\n© 2024 Island Post. All rights reserved.');
  w('report.pdf', '%PDF-1.7 not really');
  w('README', 'no extension');
  w('.hidden.txt', ARTICLE.replace('Two keepers', 'Three keepers'));
  symlinkSync('/etc/passwd', path.join(dir, 'passwd-link.txt'));
  symlinkSync(path.join(dir, 'zz-other.txt'), path.join(dir, 'inside-link.txt'));
  symlinkSync(path.join(dir, 'does-not-exist.txt'), path.join(dir, 'dangling.txt'));
  mkdirSync(path.join(dir, 'folder.txt'));
  w('folder.txt/nested.md', '---\ntitle: Nested note\n---\nThe nested folder holds a note about the harbour dredging schedule for the coming winter months.\n');
  w('huge.txt', '');
  truncateSync(path.join(dir, 'huge.txt'), 21 * 1024 * 1024);
  try {
    execFileSync('mkfifo', [path.join(dir, 'pipe.txt')]);
    fifoCreated.ok = true;
  } catch {
    // No mkfifo on this platform: that case is not checked.
  }

  result = await loadCorpus(dir);
  for (const s of result.skipped) reasons.set(s.path, s.reason);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadCorpus on bad files', () => {
  it('loads the good and the recoverable files, sorted', () => {
    expect(result.documents.map((d) => d.source)).toEqual([
      'article.txt',
      'broken-front-matter.md',
      'folder.txt/nested.md',
      'inside-link.txt',
      'latin1.txt',
      'nobody.html',
      'utf16.txt',
    ]);
  });

  it('gives each skipped file a clear reason', () => {
    const expected: Record<string, string> = {
      'copy-of-article.txt': 'duplicate of article.txt',
      'image.txt': 'binary file',
      'controls.txt': 'binary file',
      'empty.txt': 'empty file',
      'blank.md': 'empty file',
      'garbage.txt': 'undecodable text',
      'furniture.txt': 'no article text',
      'report.pdf': 'broken PDF (Invalid PDF structure.)',
      README: 'unsupported extension (none)',
      'passwd-link.txt': 'symlink outside the corpus',
      'dangling.txt': 'broken symlink',
      'huge.txt': 'file too large (21.0 MB, limit 20 MB)',
      'zz-other.txt': 'duplicate of inside-link.txt',
    };
    if (fifoCreated.ok) expected['pipe.txt'] = 'not a regular file';
    expect(Object.fromEntries(reasons)).toEqual(expected);
    for (const s of result.skipped) expect(s.reason).not.toContain('\n');
  });

  it('never lists hidden files, and treats a directory named like a file as a directory', () => {
    const all = [...result.documents.map((d) => d.source), ...result.skipped.map((s) => s.path)];
    expect(all.some((p) => p.includes('.hidden'))).toBe(false);
    expect(all).not.toContain('folder.txt');
  });

  it('decodes Windows-1252 and UTF-16 text correctly', () => {
    const latin = result.documents.find((d) => d.source === 'latin1.txt')!;
    expect(latin.text).toContain('Café owners on the quay');
    expect(latin.text).toContain('returned – a welcome');
    expect(latin.text).toContain('harbourmaster’s office');
    const utf16 = result.documents.find((d) => d.source === 'utf16.txt')!;
    expect(utf16.title).toBe('Tram service resumes after storm damage repaired');
    expect(utf16.text.startsWith('The city tram resumed its regular timetable')).toBe(true);
  });

  it('indexes HTML without a body and Markdown with broken front matter', () => {
    const html = result.documents.find((d) => d.source === 'nobody.html')!;
    expect(html.title).toBe('Harbour festival dates announced');
    expect(html.text).toContain('with concerts on the quay every evening');
    const md = result.documents.find((d) => d.source === 'broken-front-matter.md')!;
    expect(md.publishedAt).toBe('2024-01-20');
    expect(md.text).toContain('A new crane was lifted into place');
  });

  it('the surviving good file is intact', () => {
    const doc = result.documents.find((d) => d.source === 'article.txt')!;
    expect(doc.title).toBe('Lighthouse keepers return to remote island');
    expect(doc.publishedAt).toBe('2024-02-12');
    expect(doc.text.split('\n\n')).toHaveLength(2);
  });
});

describe('read failures', () => {
  it('reports a file that disappeared between listing and reading', async () => {
    expect(await readCorpusFile(path.join(os.tmpdir(), 'ingest-missing-file-that-never-existed.txt'))).toEqual({
      ok: false,
      reason: 'file disappeared while reading',
    });
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file with its error code', async () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'ingest-perm-'));
    const file = path.join(d, 'locked.txt');
    writeFileSync(file, ARTICLE, { mode: 0o000 });
    try {
      expect(await readCorpusFile(file)).toEqual({ ok: false, reason: 'unreadable: EACCES' });
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('rejects a missing corpus directory with a CoreError', async () => {
    await expect(loadCorpus(path.join(os.tmpdir(), 'ingest-no-such-dir'))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('parseDocument errors', () => {
  const reasonOf = (source: string, bytes: Uint8Array): string => {
    try {
      parseDocument(source, bytes);
    } catch (e) {
      expect(e).toBeInstanceOf(IngestError);
      return (e as IngestError).reason;
    }
    return 'no error';
  };

  it('throws IngestError with a short reason', () => {
    expect(reasonOf('a.odt', new Uint8Array([1]))).toBe('unsupported extension .odt');
    expect(reasonOf('a.pdf', new Uint8Array([1]))).toBe('content does not match the .pdf extension (it is text)');
    expect(reasonOf('a.txt', new Uint8Array())).toBe('empty file');
    expect(reasonOf('a.txt', new Uint8Array([0, 1, 2, 3, 0, 0]))).toBe('binary file');
    expect(reasonOf('a.txt', new Uint8Array(20 * 1024 * 1024 + 1))).toBe('file too large (20.0 MB, limit 20 MB)');
  });
});
