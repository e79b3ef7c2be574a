// npm run bench:hnsw -- [--chunks 100000] [--graphs 16:200,32:200] [--ef 50,100,200,300,400] [--queries 200]
// What HNSW recall and speed cost against hnswlib's native exact search (BruteforceSearch) on the bench's
// synthetic corpus: one index built with the real pipeline, then one graph per M:efConstruction over the same
// vectors, each searched at several efSearch values. Prints one JSON object on stdout, progress on stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { createLocalEmbedder } from '../../src/app/embedders.js';
import { parseCli, runMain } from '../../src/cli/common.js';
import { HNSW_EF_CONSTRUCTION, HNSW_M, runLocalIndex, type IndexTiming } from '../../src/stores/local/indexer.js';
import { CorpusGenerator, writeCorpus } from './corpus.js';
import { recallAt } from './measure.js';
import { percentile, round } from './stats.js';

const K = 10;

runMain(async () => {
  const { values } = parseCli({
    chunks: { type: 'string', default: '100000' },
    graphs: { type: 'string', default: '16:200,32:200' },
    ef: { type: 'string', default: '50,100,200,300,400' },
    queries: { type: 'string', default: '200' },
  });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const work = mkdtempSync(join(tmpdir(), 'hnsw-sweep-'));
  try {
    const corpus = writeCorpus(new CorpusGenerator(), join(work, 'corpus'), Number(values.chunks), Number(values.queries));
    const embedder = createLocalEmbedder({ wordVectorsDir: undefined });
    log(`indexing ${corpus.documents} documents`);
    let buildTiming: IndexTiming = { previousMs: 0, scanMs: 0, chunkMs: 0, embedMs: 0, graphMs: 0, keywordsMs: 0, writeMs: 0, totalMs: 0 };
    const { snapshot } = await runLocalIndex({ corpusDir: join(work, 'corpus'), indexDir: join(work, 'index'), embedder, onTiming: (t) => (buildTiming = t) });
    const d = snapshot.embedder.dimension;
    const rows = snapshot.chunks.length;
    const row = (r: number) => Array.from(snapshot.vectors.subarray(r * d, (r + 1) * d));
    const queries = corpus.questions.map((q) => Array.from(embedder.embed(q.question)));

    const exact = new hnswlib.BruteforceSearch('cosine', d);
    exact.initIndex(rows);
    for (let r = 0; r < rows; r++) exact.addPoint(row(r), r);
    for (const q of queries.slice(0, 10)) exact.searchKnn(q, K);
    const exactTimes: number[] = [];
    const truth = queries.map((q) => {
      const t = performance.now();
      const found = exact.searchKnn(q, K).neighbors;
      exactTimes.push(performance.now() - t);
      return found;
    });
    const exactP95 = percentile(exactTimes, 95);
    log(`native exact top-${K}: p95 ${exactP95.toFixed(3)} ms over ${rows} vectors`);

    const results: object[] = [];
    for (const spec of values.graphs.split(',')) {
      const [m = 16, efConstruction = 200] = spec.split(':').map(Number);
      const started = performance.now();
      // The index's own graph when it has these parameters (its labels are not rows: map them back).
      const own = m === HNSW_M && efConstruction === HNSW_EF_CONSTRUCTION;
      const graph = own ? snapshot.hnsw : new hnswlib.HierarchicalNSW('cosine', d);
      if (!own) {
        graph.initIndex({ maxElements: rows, m, efConstruction, randomSeed: 42 });
        for (let r = 0; r < rows; r++) graph.addPoint(row(r), r);
      }
      const toRow = (label: number) => (own ? (snapshot.rowByLabel.get(label) ?? -1) : label);
      const buildMs = own ? buildTiming.graphMs : performance.now() - started;
      log(`graph M ${m}, efConstruction ${efConstruction}: built in ${(buildMs / 1000).toFixed(1)} s`);
      for (const ef of values.ef.split(',').map(Number)) {
        graph.setEf(ef);
        for (const q of queries.slice(0, 10)) graph.searchKnn(q, K);
        const times: number[] = [];
        let recall = 0;
        queries.forEach((q, i) => {
          const t = performance.now();
          const found = graph.searchKnn(q, K).neighbors.map(toRow);
          times.push(performance.now() - t);
          recall += recallAt(K, truth[i] ?? [], new Set(found));
        });
        const p95 = percentile(times, 95);
        const entry = { m, ef_construction: efConstruction, ef_search: ef, build_s: round(buildMs / 1000, 1), p95_ms: round(p95, 3), recall_at_10: round(recall / queries.length, 4), speedup_vs_native_p95: round(exactP95 / p95, 1) };
        log(`  ${JSON.stringify(entry)}`);
        results.push(entry);
      }
    }
    process.stdout.write(`${JSON.stringify({ chunks: rows, native_exact_p95_ms: round(exactP95, 3), results })}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
