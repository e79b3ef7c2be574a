// Test fixtures: seed pages as CleanDocuments with their raw text (boilerplate included, on purpose), and the
// shipped entity catalog.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { CleanDocument } from '../../src/core/types.js';
import type { EntityCatalog } from '../../src/core/timeline/index.js';
import { parseEntityCatalog } from '../../src/core/timeline/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CORPUS_DIR = join(ROOT, 'corpus');
export const DEV_GOLD_PATH = '/work/shared/eval/timeline-japan-korea.dev.json';

// Publication dates as the ingest layer reads them from the pages.
const SEED_PUBLISHED: Record<string, string | null> = {
  '000': '2025-08-23',
  '001': '2025-12-30',
  '002': null,
  '003': null,
  '004': '2023-08-15',
};

export function makeDoc(source: string, text: string, publishedAt: string | null, title = source): CleanDocument {
  return {
    source,
    title,
    publishedAt,
    dateProvenance: publishedAt ? 'dateline' : null,
    dateConfidence: publishedAt ? 0.9 : 0,
    url: null,
    format: 'txt',
    text,
    fileHash: '',
    contentHash: '',
  };
}

export function seedDocuments(): CleanDocument[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => makeDoc(f, readFileSync(join(CORPUS_DIR, f), 'utf8'), SEED_PUBLISHED[f.slice(0, 3)] ?? null, f));
}

let catalog: EntityCatalog | undefined;
export function shippedCatalog(): EntityCatalog {
  catalog ??= parseEntityCatalog(JSON.parse(readFileSync(join(ROOT, 'data', 'entities.json'), 'utf8')));
  return catalog;
}
