// npm run index -- [--corpus DIR] [--index DIR] [--rebuild] [--json]
import cliProgress from 'cli-progress';
import { createEmbedder } from '../app/embedders.js';
import { createCorpusStore } from '../app/stores.js';
import { formatReindexSummary } from '../commands/format.js';
import type { IndexProgress } from '../core/types.js';
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
  // Two connections are enough for one writer (PostgreSQL); the local store ignores it.
  const store = await createCorpusStore(config, embedder, logger, { poolSize: 2 });
  let result: Awaited<ReturnType<typeof store.reindex>>;
  try {
    await store.prepare();
    result = await store.reindex({ rebuild: values.rebuild, onProgress });
  } finally {
    await store.close();
  }
  const { summary, revision } = result;
  const location = store.kind === 'pgvector' ? `store: PostgreSQL (revision ${revision}, ${embedder.id})` : `index: ${config.indexDir} (${revision}, ${embedder.id})`;
  if (barStarted) bar.stop();
  if (values.json) printJson(summary);
  else {
    process.stdout.write(`${formatReindexSummary(summary)}\n`);
    process.stdout.write(`${location}\n`);
  }
});
