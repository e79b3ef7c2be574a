// The re-index speed-up of reusing unchanged documents must never change what the loader produces.
import { appendFileSync } from 'node:fs';
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
});
