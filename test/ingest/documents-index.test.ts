// The seed corpus plus a 3-page PDF and a Word file, through the real index, answerer and timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAnswer } from '../../src/commands/format.js';
import type { Services } from '../../src/commands/services.js';
import { runLocalIndex } from '../../src/stores/local/indexer.js';
import { loadCurrentGeneration } from '../../src/stores/local/generations.js';
import { pageAt } from '../../src/core/answer/pages.js';
import { makeDocx, makePdf } from '../fixtures/documents.js';
import { FERRY_MEMO, QUAY_REPORT } from '../fixtures/document-specs.js';
import { localEmbedder, writeFile, seedServices, type SeedServices } from '../helpers.js';

let corpusDir: string;
let indexDir: string;
let services: Services;

let seed: SeedServices;

beforeAll(async () => {
  seed = await seedServices({
    addFiles: async (dir) => {
      writeFile(dir, 'reports/quay.pdf', await makePdf(QUAY_REPORT));
      writeFile(dir, 'reports/ferry.docx', await makeDocx(FERRY_MEMO));
    },
  });
  ({ services, corpusDir, indexDir } = seed);
});

afterAll(() => seed?.dispose());

describe('PDF and Word files in the index', () => {
  it('indexes both, and no chunk holds running headers, page numbers or copyright lines', () => {
    const snapshot = loadCurrentGeneration(indexDir);
    expect(snapshot.skipped).toEqual([]);
    const sources = [...snapshot.documents.keys()];
    expect(sources).toEqual(expect.arrayContaining(['reports/quay.pdf', 'reports/ferry.docx']));
    const chunks = snapshot.chunks.filter((c) => c.source.startsWith('reports/'));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.text).not.toMatch(/Annual Report 2024|Page \d+ of \d+|All rights reserved|©/);
  });

  it('answers from page 2 with a quote that is on page 2', async () => {
    const answer = await services.ask('How much will the reconstruction of the hydrofoil terminal cost?');
    expect(answer.refused).toBe(false);
    const citation = answer.citations.find((c) => c.source === 'reports/quay.pdf');
    expect(citation?.page).toBe(2);
    expect(citation?.quote).toContain('14 million euros');
    const doc = (await (await services.store.view()).documents()).get('reports/quay.pdf')!;
    expect(pageAt(doc, citation!.start)).toBe(2);
    expect(pageAt(doc, citation!.end - 1)).toBe(2);
    expect(formatAnswer(answer)).toMatch(/Northern Quay Reconstruction Report · 2024-03-05 · reports\/quay\.pdf · p\. 2/);
    // Other formats carry no page.
    expect(answer.citations.filter((c) => c.source !== 'reports/quay.pdf').every((c) => c.page === null)).toBe(true);
  });

  it('puts their dated events on the timeline, and not the PDF publication date', async () => {
    const timeline = await services.timeline(['japan', 'korea']);
    const fromPdf = timeline.events.filter((e) => e.citations.some((c) => c.source === 'reports/quay.pdf'));
    const fromDocx = timeline.events.filter((e) => e.citations.some((c) => c.source === 'reports/ferry.docx'));
    expect(fromPdf.map((e) => e.date)).toContain('2024-02-12');
    expect(fromDocx.map((e) => e.date)).toContain('2024-06-01');
    expect(fromPdf.map((e) => e.date)).not.toContain('2024-03-05');
  });

  it('re-embeds only the chunks whose text changed when a PDF changes', async () => {
    const pages = QUAY_REPORT.pages.map((p) => [...p]);
    pages[2]![1] = 'Travel agencies in Japan and South Korea now expect hydrofoil passenger numbers to recover only in 2027.';
    writeFile(corpusDir, 'reports/quay.pdf', await makePdf({ ...QUAY_REPORT, pages }));
    const before = loadCurrentGeneration(indexDir).chunks.filter((c) => c.source === 'reports/quay.pdf').length;
    const run = await runLocalIndex({ corpusDir, indexDir, embedder: localEmbedder() });
    expect(run.summary.updated).toBe(1);
    expect(run.summary.embedded).toBeGreaterThan(0);
    expect(run.summary.embedded).toBeLessThan(before);
  });
});
