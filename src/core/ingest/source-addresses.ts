// Where a document added by link came from. The bytes stored under uploads/ are the page as fetched, which may not
// name its own address (a PDF never does); the address is kept beside them, in the uploads manifest
// (uploads/.uploads.json, hidden so the scanner never indexes it), and every load gives it to the document so
// citations can show it. The manifest's writer (src/commands/uploads.ts) decides which address that is: the
// page's canonical address when it is on the same site, else the address it was fetched from.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CleanDocument } from '../types.js';
import { contentHashOf } from './parse.js';

/** The uploads manifest, relative to the corpus directory. */
export const UPLOADS_MANIFEST = 'uploads/.uploads.json';

/** source → address, for the documents the manifest gives one. A missing or damaged manifest gives none. */
export async function readSourceAddresses(corpusDir: string): Promise<Map<string, string>> {
  const addresses = new Map<string, string>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path.join(corpusDir, UPLOADS_MANIFEST), 'utf8'));
  } catch {
    // No manifest (no uploads yet) or a damaged one: documents simply carry no address, as before.
    return addresses;
  }
  const uploads = (parsed as { uploads?: unknown } | null)?.uploads;
  if (!uploads || typeof uploads !== 'object') return addresses;
  for (const [source, record] of Object.entries(uploads as Record<string, unknown>)) {
    const url = (record as { url?: unknown } | null)?.url;
    if (typeof url === 'string' && /^https?:\/\/\S+$/i.test(url) && url.length <= 2048) addresses.set(source, url);
  }
  return addresses;
}

/** The document with the recorded address (which wins over what the page says: the writer already chose). */
export function withSourceAddress(doc: CleanDocument, url: string | undefined): CleanDocument {
  if (url === undefined || doc.url === url) return doc;
  // The address is shown in citations, so it is part of the content hash: a changed address re-stores the document.
  return { ...doc, url, contentHash: contentHashOf({ ...doc, url }) };
}
