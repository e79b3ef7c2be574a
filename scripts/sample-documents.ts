// npx tsx scripts/sample-documents.ts DIR — writes the tests' 3-page PDF report and Word memo into DIR, to try
// `npm run index -- --corpus DIR` (with a copy of the seed corpus) by hand. Needs the dev dependencies.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDocx, makePdf } from '../test/fixtures/documents.js';
import { FERRY_MEMO, QUAY_REPORT } from '../test/fixtures/document-specs.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('Usage: npx tsx scripts/sample-documents.ts DIR\n');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'quay-report.pdf'), await makePdf(QUAY_REPORT));
writeFileSync(join(dir, 'ferry-memo.docx'), await makeDocx(FERRY_MEMO));
process.stdout.write(`Wrote ${join(dir, 'quay-report.pdf')} and ${join(dir, 'ferry-memo.docx')}\n`);
