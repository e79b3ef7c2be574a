// Documents added by link get their address from the uploads manifest at every load: the recorded address wins over
// what the page says (the writer already chose between the page's canonical address and the fetched one), a
// reused document keeps it without being re-stored, and a damaged manifest costs the addresses, never a document.
import { utimesSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/core/ingest/index.js';
import { contentHashOf } from '../../src/core/ingest/parse.js';
import { previousOf, removeDir, tempDir, writeFile } from '../helpers.js';

const TEXT = 'Harbour cranes replaced after forty years\n\nThe port authority replaced its two oldest cranes on Tuesday, ending four decades of service on the north quay.\n';
const PAGE = `<!DOCTYPE html><html><head><title>Tram line extended</title><link rel="canonical" href="https://other.example/tram"></head>
<body><article><h1>Tram line extended</h1><p>Tram line 7 was extended to the airport terminal on 3 June 2025, cutting the journey to 25 minutes.</p></article></body></html>`;

function manifest(uploads: Record<string, { url?: string }>): string {
  return JSON.stringify({ version: 1, uploads: Object.fromEntries(Object.entries(uploads).map(([s, r]) => [s, { addedBy: '1', addedAt: '2025-01-01T00:00:00Z', originalName: s, sha256: '', bytes: 0, ...r }])) });
}

describe('source addresses', () => {
  const dir = tempDir('source-addresses-');
  afterAll(() => removeDir(dir));

  it('come from the uploads manifest, win over the page, and survive an incremental load unchanged', async () => {
    writeFile(dir, 'uploads/cranes.txt', TEXT);
    writeFile(dir, 'uploads/tram.html', PAGE);
    writeFile(dir, 'notes.txt', TEXT.replace('two oldest', 'three newest'));
    writeFile(dir, 'uploads/.uploads.json', manifest({ 'uploads/cranes.txt': { url: 'https://news.example/cranes' }, 'uploads/tram.html': { url: 'https://news.example/tram' }, 'notes.txt': { url: 'javascript:alert(1)' } }));
    const past = new Date(Date.now() - 60_000);
    for (const name of ['uploads/cranes.txt', 'uploads/tram.html', 'notes.txt']) utimesSync(`${dir}/${name}`, past, past);

    const first = await loadCorpus(dir);
    const bySource = new Map(first.documents.map((doc) => [doc.source, doc]));
    expect(bySource.get('uploads/cranes.txt')?.url).toBe('https://news.example/cranes');
    expect(bySource.get('uploads/tram.html')?.url).toBe('https://news.example/tram');
    // Only http(s) addresses are taken from the manifest.
    expect(bySource.get('notes.txt')?.url).toBeNull();
    // The address is part of what decides re-chunking (citations show it).
    const cranes = bySource.get('uploads/cranes.txt')!;
    expect(cranes.contentHash).toBe(contentHashOf(cranes));
    expect(cranes.contentHash).not.toBe(contentHashOf({ ...cranes, url: null }));

    const second = await loadCorpus(dir, { previous: previousOf(first) });
    expect(second.documents.map((doc) => [doc.source, doc.url, doc.contentHash])).toEqual(first.documents.map((doc) => [doc.source, doc.url, doc.contentHash]));
  });

  it('a damaged manifest gives no addresses and loses no document', async () => {
    writeFile(dir, 'uploads/.uploads.json', '{"version":1,"uploads":');
    const loaded = await loadCorpus(dir);
    expect(loaded.documents.map((doc) => doc.source).sort()).toEqual(['notes.txt', 'uploads/cranes.txt', 'uploads/tram.html']);
    expect(loaded.documents.find((doc) => doc.source === 'uploads/tram.html')?.url).toBe('https://other.example/tram');
    expect(loaded.documents.find((doc) => doc.source === 'uploads/cranes.txt')?.url).toBeNull();
  });
});
