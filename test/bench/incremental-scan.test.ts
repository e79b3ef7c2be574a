// The re-index speed-up of reusing unchanged documents must never change what the loader produces.
import { appendFileSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/core/ingest/index.js';
import type { CleanDocument } from '../../src/core/types.js';
import { removeDir, seedCorpusCopy, writeFile } from '../helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function bySource(documents: readonly CleanDocument[]): Map<string, CleanDocument> {
  return new Map(documents.map((doc) => [doc.source, doc]));
}

describe('loadCorpus with the previous documents', () => {
  it('gives the same documents as a fresh load, reusing only files whose bytes and boilerplate context are unchanged', async () => {
    const dir = seedCorpusCopy({ 'extra/a.txt': 'Menu\nHome\n\nThe council approved the harbour budget on Monday after a long debate.\n' });
    dirs.push(dir);
    const first = await loadCorpus(dir);
    expect(first.boilerplateLines).toBeDefined();
    const previous = { documents: bySource(first.documents), boilerplateLines: first.boilerplateLines ?? [], parserRevision: first.parserRevision ?? -1 };

    // Nothing changed: identical result, and unchanged documents are the stored ones (not parsed again).
    const again = await loadCorpus(dir, { previous });
    expect(again.documents).toEqual(first.documents);
    expect(again.skipped).toEqual(first.skipped);

    // One file changed: only it differs from a fresh load.
    writeFile(dir, 'extra/a.txt', 'Menu\nHome\n\nThe council rejected the harbour budget on Tuesday.\n');
    const changed = await loadCorpus(dir, { previous });
    expect(changed.documents).toEqual((await loadCorpus(dir)).documents);

    // A new file turns "Menu" and "Home" into cross-document boilerplate: every document is parsed again.
    writeFile(dir, 'extra/b.txt', 'Menu\nHome\n\nThe ferry service resumed on Friday after repairs to the pier.\n');
    const context = await loadCorpus(dir, { previous });
    expect(context.boilerplateLines).not.toEqual(first.boilerplateLines);
    expect(context.documents).toEqual((await loadCorpus(dir)).documents);
  });

  it('reuses a stored document only for the same bytes, boilerplate lines and parser revision', async () => {
    const dir = seedCorpusCopy();
    dirs.push(dir);
    const first = await loadCorpus(dir);
    // Marked copies tell a reused document from a parsed one.
    const stored = new Map(first.documents.map((doc) => [doc.source, { ...doc, title: 'stored copy' }]));
    const previous = { documents: stored, boilerplateLines: first.boilerplateLines ?? [], parserRevision: first.parserRevision ?? -1 };
    const reused = (result: { documents: CleanDocument[] }) => result.documents.filter((doc) => doc.title === 'stored copy').length;

    expect(reused(await loadCorpus(dir, { previous }))).toBe(first.documents.length);
    expect(reused(await loadCorpus(dir, { previous: { ...previous, parserRevision: previous.parserRevision + 1 } }))).toBe(0);
    expect(reused(await loadCorpus(dir, { previous: { ...previous, boilerplateLines: [...previous.boilerplateLines, 'a line no page has'] } }))).toBe(0);
    const victim = first.documents[0]!;
    appendFileSync(join(dir, victim.source), '\n\nOne more sentence was added at the end of this page by the test.\n');
    const afterEdit = await loadCorpus(dir, { previous });
    expect(reused(afterEdit)).toBe(first.documents.length - 1);
    expect(afterEdit.documents.find((doc) => doc.source === victim.source)?.title).not.toBe('stored copy');
  });

  it('with the scan records, trusts unchanged files without reading them and re-parses only documents a changed boilerplate line touches', async () => {
    const dir = seedCorpusCopy({ 'extra/a.txt': 'Menu\nHome\n\nThe council approved the harbour budget on Monday after a long debate.\n' });
    dirs.push(dir);
    // Files changed within the last seconds are never trusted by their stat: age them.
    const hourAgo = new Date(Date.now() - 3_600_000);
    const all = (await loadCorpus(dir)).documents.map((doc) => doc.source);
    for (const source of all) utimesSync(join(dir, source), hourAgo, hourAgo);
    const first = await loadCorpus(dir);
    expect(first.scan?.map((f) => f.source).sort()).toEqual([...all].sort());
    const stored = new Map(first.documents.map((doc) => [doc.source, { ...doc, title: 'stored copy' }]));
    const previous = {
      documents: stored,
      boilerplateLines: first.boilerplateLines ?? [],
      parserRevision: first.parserRevision ?? -1,
      scan: new Map((first.scan ?? []).map((f) => [f.source, f])),
    };
    const reused = (result: { documents: CleanDocument[] }) => result.documents.filter((doc) => doc.title === 'stored copy').map((doc) => doc.source);

    // Same size, modification time and inode: the record is trusted and the file is not read at all (here its
    // bytes did change, in place, with the old time put back: exactly what a stat cannot see).
    const victim = join(dir, 'extra/a.txt');
    const bytes = readFileSync(victim);
    bytes[bytes.length - 3] = 'X'.charCodeAt(0);
    writeFileSync(victim, bytes);
    utimesSync(victim, hourAgo, hourAgo);
    expect(reused(await loadCorpus(dir, { previous }))).toHaveLength(all.length);

    // A new page shares "Menu" and "Home" with extra/a.txt: the boilerplate lines change, but only the documents
    // whose parse looked those lines up are parsed again, and the result is what a fresh load gives.
    writeFile(dir, 'extra/b.txt', 'Menu\nHome\n\nThe ferry service resumed on Friday after repairs to the pier.\n');
    utimesSync(victim, new Date(), new Date());
    const context = await loadCorpus(dir, { previous });
    expect(context.boilerplateLines).not.toEqual(first.boilerplateLines);
    const fresh = await loadCorpus(dir);
    const reparsed = context.documents.filter((doc) => doc.title !== 'stored copy');
    expect(reparsed.map((doc) => doc.source).sort()).toEqual(['extra/a.txt', 'extra/b.txt']);
    expect(reparsed).toEqual(fresh.documents.filter((doc) => doc.source.startsWith('extra/')));
    expect(reused(context).sort()).toEqual(all.filter((source) => !source.startsWith('extra/')).sort());
    // The stored documents it kept are the ones a fresh load parses identically.
    for (const doc of context.documents.filter((d) => d.title === 'stored copy')) {
      expect({ ...doc, title: '' }).toEqual({ ...fresh.documents.find((d) => d.source === doc.source)!, title: '' });
    }
  });
});
