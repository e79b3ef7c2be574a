// npm run bench:timeline [-- --chunks 100000] [--changed 10] [--json]
// /timeline at scale, on the synthetic news corpus of `npm run bench` (same generator, same seed), through the
// same use-case code the bot runs (TimelineEntities over a CorpusView). It needs no index: the timeline reads
// only `view.documents()`, so documents are parsed in memory and served by a minimal view. Measured:
//   - entity learning from cold (a process start), in sentences/s;
//   - the first /timeline after a re-index that changed a few documents (entities re-learned for those only);
//   - later /timeline queries on the same revision, and drawing each as a PNG (time and ratio to the build).
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { chunkDocument } from '../../src/core/chunk/chunker.js';
import type { CorpusView } from '../../src/core/corpus.js';
import type { StoredDocument } from '../../src/core/types.js';
import { parseDocument } from '../../src/core/ingest/index.js';
import { parseEntityCatalog } from '../../src/core/timeline/index.js';
import { TimelineEntities } from '../../src/commands/timeline-entities.js';
import { renderTimelineImage } from '../../src/commands/timeline-image.js';
import { readFileSync } from 'node:fs';
import { runMain } from '../../src/cli/common.js';
import { CorpusGenerator } from './corpus.js';

const { values } = parseArgs({
  options: { chunks: { type: 'string', default: '100000' }, changed: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } },
});
const targetChunks = Number(values.chunks);
const changedCount = Number(values.changed);
const log = (line: string) => process.stderr.write(`${line}\n`);

function stored(source: string, text: string): StoredDocument {
  return { ...parseDocument(source, Buffer.from(text)), indexedAt: new Date(0).toISOString() };
}

function viewOf(revision: string, documents: ReadonlyMap<string, StoredDocument>, chunks: number): CorpusView {
  const unused = () => {
    throw new Error('not used by /timeline');
  };
  return {
    revision,
    embedder: { id: 'none', dimension: 0 },
    documentCount: documents.size,
    chunkCount: chunks,
    search: unused,
    chunkCounts: unused,
    documents: async () => documents,
    idf: () => 0,
    knows: () => false,
  } as CorpusView;
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

const round = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  log(`generating ≥ ${targetChunks} chunks of synthetic news…`);
  const generator = new CorpusGenerator();
  const documents = new Map<string, StoredDocument>();
  let chunks = 0;
  let bytes = 0;
  const people: string[] = [];
  for (let i = 0; chunks < targetChunks; i += 1) {
    const doc = generator.document(i);
    const parsed = stored(doc.source, doc.text);
    documents.set(doc.source, parsed);
    chunks += chunkDocument(doc.source, parsed.text).length;
    bytes += parsed.text.length;
    if (i < 3) people.push(/By ([A-Z][\p{L}-]+ [A-Z][\p{L}-]+)/u.exec(doc.text)?.[1] ?? '');
  }
  log(`${documents.size} documents, ${chunks} chunks, ${(bytes / 1e6).toFixed(1)} MB of text`);
  const catalog = parseEntityCatalog(JSON.parse(readFileSync(new URL('../../data/entities.json', import.meta.url), 'utf8')));
  const timelines = new TimelineEntities(catalog);

  // Cold: a process that has learned nothing yet.
  const before = viewOf('r1', documents, chunks);
  const cold = await timed(() => timelines.directory(before));
  const sentences = cold.value.lexicon?.sentences ?? 0;
  log(`cold learning: ${round(cold.ms)} ms, ${sentences} sentences, ${cold.value.entries.length} entities`);

  // Each query is asked right after its own re-index that changed a few documents (a new revision, a new view):
  // what a user waits for is re-learning those documents, merging, and building the timeline.
  const sources = [...documents.keys()];
  let revision = 1;
  const reindexed = (): CorpusView => {
    revision += 1;
    const after = new Map(documents);
    for (let k = 0; k < changedCount; k += 1) {
      const source = sources[(k * 7919 + revision * 104_729) % sources.length] as string;
      const old = documents.get(source) as StoredDocument;
      after.set(source, stored(source, `${old.text}\nOfficials in Tokyo and Seoul met again on March ${k + 1}, 2025, revision ${revision}.\n`));
    }
    return viewOf(`r${revision}`, after, chunks);
  };
  const topPerson = cold.value.entries.find((e) => e.kind === 'person' && e.label.includes(' '))?.label ?? people[0] ?? 'Akira Tanaka';
  const queries = [topPerson, 'japan korea', 'budget', 'pokemon'];

  const rows: Array<{ query: string; ms: number; learn_ms: number; events: number; undated: number; png_ms: number; png_ratio: number; png_kb: number }> = [];
  for (const query of queries) {
    const view = reindexed();
    const learn = await timed(() => timelines.directory(view));
    const built = await timed(() => timelines.timeline(view, query));
    const ms = learn.ms + built.ms;
    const timeline = built.value;
    renderTimelineImage(timeline); // warm-up: font loading and the native module
    const png = await timed(async () => renderTimelineImage(timeline));
    rows.push({
      query,
      ms: round(ms),
      learn_ms: round(learn.ms),
      events: timeline.events.length,
      undated: timeline.undated.length,
      png_ms: round(png.ms),
      png_ratio: Math.round((png.ms / Math.max(ms, 0.1)) * 100) / 100,
      png_kb: Math.round(png.value.png.length / 1024),
    });
    log(`${query}: ${round(ms)} ms (entities ${round(learn.ms)} ms), ${timeline.events.length} events; png ${round(png.ms)} ms`);
  }
  const report = {
    documents: documents.size,
    chunks,
    corpus_mb: round(bytes / 1e6),
    cold_learning_ms: round(cold.ms),
    sentences,
    learning_sentences_per_s: Math.round(sentences / (cold.ms / 1000)),
    entities: cold.value.entries.length,
    changed_documents: changedCount,
    queries: rows,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const lines = [
    `corpus: ${report.documents} documents, ${report.chunks} chunks, ${report.corpus_mb} MB`,
    `entity learning from cold: ${report.cold_learning_ms} ms for ${report.sentences} sentences = ${report.learning_sentences_per_s.toLocaleString('en-US')} sentences/s (${report.entities} entities)`,
    `first /timeline after a re-index that changed ${changedCount} documents, per query:`,
    '',
    'query                         first /timeline ms  (entities ms)  events  undated  png ms  png/timeline  png KB',
    ...rows.map(
      (r) =>
        `${r.query.padEnd(30)}${String(r.ms).padStart(18)}${String(r.learn_ms).padStart(15)}${String(r.events).padStart(8)}${String(r.undated).padStart(9)}${String(r.png_ms).padStart(8)}${String(r.png_ratio).padStart(14)}${String(r.png_kb).padStart(8)}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

runMain(main);
