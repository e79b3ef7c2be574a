// npm run bench:add-link [-- --chunks 100000] [--runs 3] [--json]
// Adding one linked article to a large corpus, the way /add url: does it (the same addUploads, the real fetcher
// against a web server on 127.0.0.1 let through by FETCH_ALLOW_ORIGINS, the local store's incremental re-index from
// the snapshot it serves), on the synthetic news corpus of `npm run bench`. Each figure next to its baseline from the
// same run: the re-index as a share of the full build, the chunks embedded against the article's own chunks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createEmbedder } from '../../src/app/embedders.js';
import { createCorpusStore } from '../../src/app/stores.js';
import { runMain } from '../../src/cli/common.js';
import { addUploads } from '../../src/commands/add.js';
import { UploadStore } from '../../src/commands/uploads.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { articlePage, FakeWeb } from '../../test/fakes/web-server.js';
import { CorpusGenerator, writeCorpus } from './corpus.js';

const { values } = parseArgs({
  options: { chunks: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } },
});
const targetChunks = Number(values.chunks);
const runs = Number(values.runs);
const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

runMain(async () => {
  const work = mkdtempSync(join(tmpdir(), 'bench-add-link-'));
  const web = await FakeWeb.start();
  try {
    const corpusDir = join(work, 'corpus');
    const indexDir = join(work, 'index');
    const generator = new CorpusGenerator();
    log(`writing ≥ ${targetChunks} chunks of synthetic news…`);
    const corpus = writeCorpus(generator, corpusDir, targetChunks, 0);
    // As in `npm run bench`: files written in the last 2 s are re-read by every scan (their timestamps are not trusted yet).
    await new Promise((wait) => setTimeout(wait, 2100));
    const config = loadConfig({ corpusDir, indexDir }, { FETCH_ALLOW_ORIGINS: web.origin, LOG_LEVEL: 'silent' }, { dotenvPath: false });
    const logger = createLogger({ level: 'silent' });
    const embedder = await createEmbedder(config);
    const store = await createCorpusStore(config, embedder, logger);
    const started = performance.now();
    const view = await store.open();
    const buildMs = performance.now() - started;
    log(`  ${corpus.documents} documents, ${view.chunkCount} chunks; full build ${Math.round(buildMs)} ms`);
    const noop = (await store.reindex()).summary;
    log(`  re-index, nothing changed: ${noop.ms} ms`);

    const uploads = new UploadStore(corpusDir);
    const results: Array<Record<string, number | string>> = [];
    for (let run = 0; run < runs; run++) {
      // A new article each run (another seed: new text and names), shaped like a news page.
      const doc = generator.document(run, 7);
      const [title = 'Untitled', ...paragraphs] = doc.text.split('\n\n');
      const url = web.page(`/news/article-${run}`, articlePage({ title, date: '2025-09-0' + (run % 9 + 1), paragraphs }), 'text/html');
      const t0 = performance.now();
      const result = await addUploads({ config, store, uploads, logger }, { attachments: [], links: [url], replace: false, userId: 'bench' });
      const totalMs = performance.now() - t0;
      const added = result.added[0];
      if (!added || !result.reindex) throw new Error(`the article was not added: ${JSON.stringify(result.refused)}`);
      const line = {
        run: run + 1,
        article_chunks: added.chunks,
        embedded: result.reindex.embedded,
        add_total_ms: Math.round(totalMs),
        reindex_ms: result.reindex.ms,
        reindex_ratio: round(result.reindex.ms / buildMs, 4),
        chunks_after: result.reindex.chunks,
      };
      results.push(line);
      log(`  add ${url}: ${added.chunks} chunks, ${result.reindex.embedded} embedded, re-index ${result.reindex.ms} ms (${(line.reindex_ratio * 100).toFixed(2)} % of the build), whole /add ${Math.round(totalMs)} ms`);
    }
    const report = { command: `npm run bench:add-link -- --chunks ${targetChunks} --runs ${runs}`, documents: corpus.documents, chunks: view.chunkCount, build_ms: Math.round(buildMs), noop_ms: noop.ms, runs: results };
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      process.stdout.write(`${report.command}\n${report.documents} documents, ${report.chunks} chunks · full build ${report.build_ms} ms · re-index with nothing changed ${report.noop_ms} ms\n`);
      for (const r of results) {
        process.stdout.write(`run ${r.run}: article ${r.article_chunks} chunks, ${r.embedded} embedded · re-index ${r.reindex_ms} ms = ${(Number(r.reindex_ratio) * 100).toFixed(2)} % of the build · whole /add ${r.add_total_ms} ms\n`);
      }
    }
    await store.close();
  } finally {
    await web.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
