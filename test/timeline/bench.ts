// Event-extraction and entity-learning throughput, and the picture's cost relative to the timeline:
// `npx tsx test/timeline/bench.ts`. Not a vitest test (timing is machine-dependent). At scale: npm run bench:timeline.
// Pages are the seed corpus repeated with shifted publication dates, so chrono sees varied references.
import { performance } from 'node:perf_hooks';
import { buildTimeline, EntityLearner, entityNames } from '../../src/core/timeline/index.js';
import { renderTimelineImage } from '../../src/commands/timeline-image.js';
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
rate('entity learning (every document from cold)', sentences, () => void new EntityLearner().learn(documents));
const learner = new EntityLearner();
const lexicon = learner.learn(documents);
rate('entity merge only (documents cached, as after a small re-index)', sentences, () => void learner.learn(documents));
rate('timeline of a learned person (Xi Jinping)', sentences, () => void buildTimeline(documents, catalog, 'xi jinping', { lexicon }));
rate('timeline of a topic phrase (missile)', sentences, () => void buildTimeline(documents, catalog, 'missile', { lexicon }));

// The picture: time to draw it against the time to build the timeline it shows.
const seedLexicon = new EntityLearner().learn(seeds);
for (const query of ['japan korea', 'xi jinping']) {
  const built = performance.now();
  const timeline = buildTimeline(seeds, catalog, query, { lexicon: seedLexicon });
  const buildMs = performance.now() - built;
  renderTimelineImage(timeline); // warm-up: native module and fonts
  const drawn = performance.now();
  const image = renderTimelineImage(timeline);
  const drawMs = performance.now() - drawn;
  console.log(
    `png of '${query}' (seed corpus): ${drawMs.toFixed(1)} ms (${image.width}×${image.height}, ${Math.round(image.png.length / 1024)} KB), ` +
      `timeline build ${buildMs.toFixed(1)} ms, ratio ${(drawMs / buildMs).toFixed(2)}`,
  );
}
