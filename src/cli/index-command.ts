// npm run index -- [--corpus DIR] [--index DIR] [--rebuild] [--json]
import cliProgress from 'cli-progress';
import { createEmbedder } from '../app/embedders.js';
import { formatReindexSummary } from '../commands/format.js';
import type { ReindexSummary } from '../core/corpus.js';
import { runIndex, type IndexProgress } from '../core/index/build.js';
import { cliConfig, cliLogger, COMMON_OPTIONS, parseCli, printJson, runMain } from './common.js';

const USAGE = `Usage: npm run index -- [--corpus DIR] [--index DIR] [--rebuild] [--json]
Loads, cleans, chunks and embeds the corpus into the configured store: the local index (default) or
PostgreSQL with STORE=pgvector and DATABASE_URL. Only new or changed documents are embedded.`;

runMain(async () => {
  const { values } = parseCli({ ...COMMON_OPTIONS, rebuild: { type: 'boolean', default: false } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = cliConfig(values);
  const logger = cliLogger(config);
  const embedder = await createEmbedder(config);
  const showBar = !values.json && process.stderr.isTTY;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'embedding {bar} {value}/{total} chunks', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let barStarted = false;
  const onProgress = (progress: IndexProgress) => {
    if (!showBar || progress.phase !== 'embedding' || progress.total === 0) return;
    if (!barStarted) {
      bar.start(progress.total, 0);
      barStarted = true;
    }
    bar.update(progress.done);
  };
  let summary: ReindexSummary;
  let location: string;
  if (config.store.kind === 'pgvector' && config.store.databaseUrl) {
    const { PgVectorStore } = await import('../stores/pgvector/store.js');
    const store = new PgVectorStore({ databaseUrl: config.store.databaseUrl, poolSize: 2, corpusDir: config.corpusDir, embedder, logger });
    try {
      await store.prepare();
      const result = await store.reindex({ rebuild: values.rebuild, onProgress });
      summary = result.summary;
      location = `store: PostgreSQL (revision ${result.revision}, ${embedder.id})`;
    } finally {
      await store.close();
    }
  } else {
    const result = await runIndex({ corpusDir: config.corpusDir, indexDir: config.indexDir, embedder, logger, rebuild: values.rebuild, onProgress });
    summary = result.summary;
    location = `index: ${config.indexDir} (${result.snapshot.generation}, ${embedder.id})`;
  }
  if (barStarted) bar.stop();
  if (values.json) printJson(summary);
  else {
    process.stdout.write(`${formatReindexSummary(summary)}\n`);
    process.stdout.write(`${location}\n`);
  }
});
