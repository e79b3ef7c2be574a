// PDF and Word files made by real writers (pdf-lib, docx), read by the real parsers in their worker thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentExtractor } from '../../src/core/ingest/extract/extractor.js';
import { isIngestError } from '../../src/core/ingest/ingest-error.js';
import { loadCorpus } from '../../src/core/ingest/load.js';
import { parseAnyDocument } from '../../src/core/ingest/parse.js';
import type { CleanDocument } from '../../src/core/types.js';
import { pageAt } from '../../src/core/answer/pages.js';
import { encryptPdf, makeDocx, makeManyPagesPdf, makePdf, makeScannedPdf, makeZipBomb, withPublishDate } from '../fixtures/documents.js';
import { QUAY_REPORT, FERRY_MEMO } from '../fixtures/document-specs.js';
import { removeDir, tempDir, writeFile } from '../helpers.js';

let extractor: DocumentExtractor;
beforeAll(() => {
  extractor = new DocumentExtractor();
});
afterAll(async () => {
  await extractor.close();
});

async function parse(source: string, bytes: Uint8Array): Promise<CleanDocument> {
  return parseAnyDocument(source, bytes, { extractor });
}

async function reason(source: string, bytes: Uint8Array, using = extractor): Promise<string> {
  try {
    await parseAnyDocument(source, bytes, { extractor: using });
  } catch (error) {
    if (isIngestError(error)) return error.reason;
    throw error;
  }
  throw new Error(`${source} was accepted`);
}

const BOILERPLATE = /Annual Report 2024|Page \d+ of \d+|All rights reserved|©/;

describe('PDF', () => {
  it('reads the text layer page by page, with running headers, footers and page numbers removed', async () => {
    const doc = await parse('quay.pdf', await makePdf(QUAY_REPORT));
    expect(doc.format).toBe('pdf');
    expect(doc.title).toBe('Northern Quay Reconstruction Report');
    expect(doc.text).not.toMatch(BOILERPLATE);
    // Hyphenation at line ends repaired: every paragraph comes back verbatim, no "engi- neers" left behind.
    for (const paragraph of QUAY_REPORT.pages.flat().slice(1)) expect(doc.text).toContain(paragraph);
    expect(doc.text).not.toMatch(/\p{L}- \p{L}/u);
    expect(doc.pageStarts).toHaveLength(3);
    const page2 = doc.text.indexOf('will cost 14 million euros');
    expect(pageAt(doc, page2)).toBe(2);
    expect(pageAt(doc, doc.text.indexOf('Port authorities of Japan'))).toBe(1);
    expect(pageAt(doc, doc.text.indexOf('breakwater'))).toBe(3);
    // The labelled dateline in the text beats the file's creation date, and is not left in the body.
    expect(doc.publishedAt).toBe('2024-03-05');
    expect(doc.dateProvenance).toBe('dateline');
    expect(doc.text).not.toContain('Published 5 March');
  });

  it('takes the title from the first heading and the date from the metadata when the text has none', async () => {
    const doc = await parse('plain.pdf', await makePdf({ heading: 'Lighthouse Keepers Return', creationDate: new Date('2023-06-01T12:00:00Z'), pages: [QUAY_REPORT.pages[1]!] }));
    expect(doc.text).toContain('14 million euros');
    expect(doc.title).toBe('Lighthouse Keepers Return');
    expect(doc.publishedAt).toBe('2023-06-01');
    expect(doc.dateProvenance).toBe('document-properties');
  });

  it('reads two columns left column first', async () => {
    const left = ['Alpha paragraph opens the left column and explains the first step of the plan in some detail.', 'Bravo paragraph continues the left column with the second step of the same plan.'];
    const right = ['Charlie paragraph starts the right column with the third step of the plan.', 'Delta paragraph ends the right column with the last step of the plan.'];
    const doc = await parse('columns.pdf', await makePdf({ pages: [[...left, ...right]], columns: 2 }));
    const order = ['Alpha', 'Bravo', 'Charlie', 'Delta'].map((word) => doc.text.indexOf(word));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('reads a table of short cells row by row, not as two columns', async () => {
    const table: Array<[string, string]> = [['Opening year', '2019'], ['Berths', '12'], ['Operator', 'Port council'], ['Annual passengers', '1.2 million']];
    const doc = await parse('table.pdf', await makePdf({ pages: [['The terminal has the following characteristics, as listed by the council.']], table }));
    expect(doc.text).toContain('Opening year 2019');
    expect(doc.text).toContain('Annual passengers 1.2 million');
  });

  it('skips a scanned PDF, an encrypted one and a broken one with a one-line reason', async () => {
    expect(await reason('scan.pdf', await makeScannedPdf())).toBe('no text layer (scanned PDF?)');
    expect(await reason('locked.pdf', encryptPdf(await makePdf(QUAY_REPORT)))).toMatch(/^encrypted PDF/);
    const broken = await reason('broken.pdf', new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage'));
    expect(broken).toMatch(/PDF/);
    expect(broken).not.toContain('\n');
  });

  it('refuses a PDF with thousands of pages', async () => {
    expect(await reason('huge.pdf', await makeManyPagesPdf(2_500))).toBe('too many pages (2500, limit 2000)');
  });

  it('stops a parse that runs past the time limit, and the next file is parsed by a fresh worker', async () => {
    const impatient = new DocumentExtractor({ timeoutMs: 1, maxPdfPages: 2000, maxUnzippedBytes: 200 * 1024 * 1024, maxUnzipRatio: 100 });
    try {
      expect(await reason('slow.pdf', await makePdf(QUAY_REPORT), impatient)).toMatch(/^parsing took longer than .* \(time limit\)$/);
    } finally {
      await impatient.close();
    }
    expect((await parse('after.pdf', await makePdf(QUAY_REPORT))).text).toContain('northern quay');
  });
});

describe('Word', () => {
  it('reads headings, paragraphs, lists and tables as text, with the title from the first heading', async () => {
    const doc = await parse('memo.docx', await makeDocx(FERRY_MEMO));
    expect(doc.format).toBe('docx');
    expect(doc.title).toBe('Ferry Timetable Changes');
    expect(doc.text).toContain('Morning sailing moves to 7:15');
    expect(doc.text).toContain('Year: 2023; Route: Island loop; Change: Electric ferry entered service in May 2023.');
    expect(doc.text).not.toContain('Ferry Timetable Changes');
    // Created/modified are when the file was written, not a publication date; the text's dateline is.
    expect(doc.publishedAt).toBe('2024-02-10');
    expect(doc.dateProvenance).toBe('dateline');
  });

  it('takes the date from the cover page Publish Date property, never from created/modified', async () => {
    const doc = await parse('dated.docx', withPublishDate(await makeDocx({ ...FERRY_MEMO, paragraphs: FERRY_MEMO.paragraphs.slice(1) }), '2024-01-15'));
    expect(doc.publishedAt).toBe('2024-01-15');
    expect(doc.dateProvenance).toBe('document-properties');
    // The docx writer stamps created/modified with the current time: without a Publish Date there is no date.
    const undated = await parse('undated.docx', await makeDocx({ ...FERRY_MEMO, paragraphs: FERRY_MEMO.paragraphs.slice(1) }));
    expect(undated.publishedAt).toBeNull();
  });

  it('takes the title from the core properties when set', async () => {
    const doc = await parse('titled.docx', await makeDocx({ ...FERRY_MEMO, title: 'Island Ferry Memo' }));
    expect(doc.title).toBe('Island Ferry Memo');
  });
});

describe('hostile files', () => {
  it('refuses zip bombs by ratio, by absolute size, and when the archive lies about its sizes', async () => {
    expect(await reason('bomb.docx', makeZipBomb(5 * 1024 * 1024))).toMatch(/refused as a zip bomb/);
    expect(await reason('liar.docx', makeZipBomb(5 * 1024 * 1024, { lieAboutSize: true }))).toMatch(/refused as a zip bomb/);
    const strict = new DocumentExtractor({ timeoutMs: 30_000, maxPdfPages: 2000, maxUnzippedBytes: 1024 * 1024, maxUnzipRatio: 100_000 });
    try {
      expect(await reason('big.docx', makeZipBomb(2 * 1024 * 1024), strict)).toMatch(/more than 1 MB .*zip bomb/);
    } finally {
      await strict.close();
    }
  });

  it('refuses content that does not match the extension', async () => {
    const pdf = await makePdf(QUAY_REPORT);
    expect(await reason('report.txt', pdf)).toBe('content does not match the .txt extension (it is a PDF)');
    expect(await reason('notes.pdf', new TextEncoder().encode('just some text pretending to be a PDF'))).toBe(
      'content does not match the .pdf extension (it is text)',
    );
    expect(await reason('memo.docx', pdf)).toBe('content does not match the .docx extension (it is a PDF)');
    expect(await reason('program.pdf', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toMatch(/it is a binary file/);
  });

  it('a corpus with hostile files still indexes the good ones, each bad one with its reason', async () => {
    const dir = tempDir('docs-corpus-');
    try {
      writeFile(dir, 'good.pdf', await makePdf(QUAY_REPORT));
      writeFile(dir, 'good.docx', await makeDocx(FERRY_MEMO));
      writeFile(dir, 'bomb.docx', makeZipBomb(4 * 1024 * 1024));
      writeFile(dir, 'scan.pdf', await makeScannedPdf());
      writeFile(dir, 'fake.pdf', 'plain text');
      const { documents, skipped } = await loadCorpus(dir, { extractor });
      expect(documents.map((d) => d.source)).toEqual(['good.docx', 'good.pdf']);
      expect(skipped.map((s) => s.path)).toEqual(['bomb.docx', 'fake.pdf', 'scan.pdf']);
    } finally {
      removeDir(dir);
    }
  });
});
