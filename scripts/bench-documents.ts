// npm run bench:documents [-- --pages 100] [--runs 5] [--json]
// Loading a long text PDF (pdf.js in the worker thread, reading order, cleaning) against the same text as a .txt
// file, through the same loadCorpus in the same run. "cold" includes starting the parser worker and loading pdf.js;
// "warm" reuses one worker, as a re-index that meets several PDFs does. The figure to read is the ratio.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DocumentExtractor } from '../src/core/ingest/extract/extractor.js';
import { loadCorpus } from '../src/core/ingest/load.js';
import { makePdf } from '../test/fixtures/documents.js';

const { values } = parseArgs({
  options: { pages: { type: 'string', default: '100' }, runs: { type: 'string', default: '5' }, json: { type: 'boolean', default: false } },
});
const pageCount = Math.max(1, Number(values.pages));
const runs = Math.max(1, Number(values.runs));

const PLACES = ['Busan', 'Fukuoka', 'Osaka', 'Incheon', 'Niigata', 'Ulsan', 'Kobe', 'Mokpo'];
const THINGS = ['the ferry terminal', 'the breakwater', 'the container quay', 'the fish market', 'the rail link', 'the customs hall'];

/** Three varied paragraphs per page: distinct sentences, so nothing is mistaken for a running header. */
function pageParagraphs(page: number): string[] {
  return [0, 1, 2].map((p) => {
    const n = page * 3 + p;
    const place = PLACES[n % PLACES.length]!;
    const thing = THINGS[(n * 7) % THINGS.length]!;
    return (
      `In section ${n + 1}, the council reviewed ${thing} at ${place}, where inspectors counted ${100 + ((n * 37) % 900)} defects during the survey. ` +
      `Engineers recommended repairs costing ${1 + (n % 19)} million euros, to be completed within ${2 + (n % 7)} months of the contract award. ` +
      `Local residents asked the authority to publish the full inspection record for ${place} before any work begins.`
    );
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

const pages = Array.from({ length: pageCount }, (_, i) => pageParagraphs(i));
const pdfDir = mkdtempSync(join(tmpdir(), 'bench-pdf-'));
const txtDir = mkdtempSync(join(tmpdir(), 'bench-txt-'));
try {
  const pdf = await makePdf({ title: 'Port Inspection Report', pages, header: 'Port Inspection Report', footer: (n, t) => [`Page ${n} of ${t}`] });
  writeFileSync(join(pdfDir, 'report.pdf'), pdf);
  writeFileSync(join(txtDir, 'report.txt'), `Port Inspection Report\n\n${pages.flat().join('\n\n')}\n`);

  // Cold: a fresh worker (thread start + pdf.js import) for this one load, as `npm run index` pays it.
  const coldPdf = await time(() => loadCorpus(pdfDir));
  const txtMs: number[] = [];
  const pdfMs: number[] = [];
  const extractor = new DocumentExtractor();
  let chars = 0;
  let pdfText = '';
  let txtText = '';
  try {
    await loadCorpus(pdfDir, { extractor }); // warm-up
    await loadCorpus(txtDir);
    for (let i = 0; i < runs; i++) {
      txtMs.push(await time(async () => {
        txtText = (await loadCorpus(txtDir)).documents[0]?.text ?? '';
      }));
      pdfMs.push(await time(async () => {
        const { documents } = await loadCorpus(pdfDir, { extractor });
        pdfText = documents[0]?.text ?? '';
        chars = pdfText.length;
      }));
    }
  } finally {
    await extractor.close();
  }
  const report = {
    pages: pageCount,
    pdf_bytes: pdf.length,
    text_chars: chars,
    /** The PDF's cleaned text equals the .txt's: nothing lost, no header or page number left. */
    same_text: pdfText === txtText,
    txt_ms: Math.round(median(txtMs) * 10) / 10,
    pdf_warm_ms: Math.round(median(pdfMs)),
    pdf_cold_ms: Math.round(coldPdf),
    ratio_warm: Math.round((median(pdfMs) / median(txtMs)) * 10) / 10,
    ratio_cold: Math.round((coldPdf / median(txtMs)) * 10) / 10,
    target_ms: 2000,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    process.stdout.write(
      `${pageCount}-page text PDF (${(pdf.length / 1024).toFixed(0)} KB, ${chars} characters kept, ${report.same_text ? 'same' : 'DIFFERENT'} text as the .txt), median of ${runs}:\n` +
        `  .txt                 ${report.txt_ms} ms\n` +
        `  .pdf, warm worker    ${report.pdf_warm_ms} ms  (${report.ratio_warm}× the .txt)\n` +
        `  .pdf, cold (1 run)   ${report.pdf_cold_ms} ms  (${report.ratio_cold}× the .txt; target ≤ 2000 ms)\n`,
    );
  }
} finally {
  rmSync(pdfDir, { recursive: true, force: true });
  rmSync(txtDir, { recursive: true, force: true });
}
