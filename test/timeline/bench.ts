// Event-extraction throughput: `npx tsx test/timeline/bench.ts`. Not a vitest test (timing is machine-dependent).
// Pages are the seed corpus repeated with shifted publication dates, so chrono sees varied references.
import { performance } from 'node:perf_hooks';
import { buildTimeline, entityNames } from '../../src/core/timeline/index.js';
import { extractDates } from '../../src/core/timeline/dates.js';
import { proseSentences } from '../../src/core/timeline/segment.js';
import { makeDoc, seedDocuments, shippedCatalog } from './fixtures.js';

const COPIES = 200;
const seeds = seedDocuments();
const documents = Array.from({ length: COPIES }, (_, i) =>
  seeds.map((d) => {
    const day = String((i % 28) + 1).padStart(2, '0');
    return makeDoc(`${i}/${d.source}`, d.text, d.publishedAt ? `${d.publishedAt.slice(0, 8)}${day}` : null, d.title);
  }),
).flat();
const catalog = shippedCatalog();
const sentences = documents.reduce((n, d) => n + proseSentences(d.text).length, 0);

function rate(label: string, count: number, run: () => void): void {
  run(); // warm-up: regex compilation and JIT
  const start = performance.now();
  run();
  const seconds = (performance.now() - start) / 1000;
  console.log(`${label}: ${count} sentences in ${seconds.toFixed(3)} s = ${Math.round(count / seconds).toLocaleString('en-US')} sentences/s`);
}

rate('timeline japan korea (all)', sentences, () => void buildTimeline(documents, catalog, ['japan', 'korea']));
rate('timeline, every entity, --any (worst case)', sentences, () => void buildTimeline(documents, catalog, entityNames(catalog), { any: true }));
const texts = documents.flatMap((d) => proseSentences(d.text).map((s) => [s.text, d.publishedAt] as const));
rate('date extraction alone, every sentence', texts.length, () => {
  for (const [text, publishedAt] of texts) extractDates(text, publishedAt);
});
