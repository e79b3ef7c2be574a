// npm run bench [-- --sizes 1000,10000,100000] [--queries 200] [--rss-questions 10000] [--json] [--svg FILE]
//           [--cold-runs 5] [--no-cold] [--before DIR]
//           [-- --store pgvector [--sizes 10000,100000] [--database-url URL] [--stores local,pgvector]]
// Speed and scale of the local store on a synthetic news corpus (bench/measure.ts), or the PostgreSQL store
// against the local one (bench/stores.ts). Human mode: table on stdout, progress on stderr.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../src/config.js';
import { fail, parseCli, runMain } from '../src/cli/common.js';
import { runBench } from './bench/measure.js';
import { formatTable, latencySvg } from './bench/report.js';
import { compareStores, formatComparison } from './bench/stores.js';

const DEFAULT_SIZES = [1000, 10000];
const DEFAULT_QUERIES = 200;

runMain(async () => {
  const argv = process.argv.slice(2);
  const { values } = parseCli(
    {
      sizes: { type: 'string' },
      queries: { type: 'string' },
      json: { type: 'boolean', default: false },
      svg: { type: 'string' },
      store: { type: 'string' },
      stores: { type: 'string' },
      'database-url': { type: 'string' },
      'rss-questions': { type: 'string' },
      'cold-runs': { type: 'string' },
      'no-cold': { type: 'boolean', default: false },
      before: { type: 'string' },
    },
    argv,
  );
  const sizes = values.sizes ? values.sizes.split(',').map((s) => Number(s.trim())) : DEFAULT_SIZES;
  if (sizes.some((s) => !Number.isInteger(s) || s <= 0)) fail(`--sizes takes positive whole numbers, got "${values.sizes}"`, 2);
  const queries = values.queries ? Number(values.queries) : DEFAULT_QUERIES;
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`;
  if (values.store !== undefined) {
    if (values.store !== 'pgvector') fail(`--store takes "pgvector", got "${values.store}"`, 2);
    const which = (values.stores ?? 'local,pgvector').split(',').map((name) => name.trim());
    if (which.length === 0 || which.some((name) => name !== 'local' && name !== 'pgvector')) fail(`--stores takes "local", "pgvector" or both, comma-separated; got "${values.stores}"`, 2);
    const databaseUrl = values['database-url'] ?? loadConfig().store.databaseUrl;
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const results = await compareStores({ sizes: values.sizes ? sizes : [10_000, 100_000], queries, log, stores: which as Array<'local' | 'pgvector'>, ...(databaseUrl ? { databaseUrl } : {}) });
    process.stdout.write(values.json ? `${JSON.stringify({ command, results })}\n` : `${formatComparison(results)}\n`);
    return;
  }
  const rssQuestions = values['rss-questions'] === undefined ? undefined : Number(values['rss-questions']);
  if (rssQuestions !== undefined && (!Number.isInteger(rssQuestions) || rssQuestions < 0)) fail('--rss-questions takes a whole number', 2);
  const coldRuns = values['cold-runs'] === undefined ? 5 : Number(values['cold-runs']);
  if (!Number.isInteger(coldRuns) || coldRuns < 1) fail('--cold-runs takes a whole number ≥ 1', 2);
  const report = await runBench({
    sizes,
    queries,
    command,
    ...(rssQuestions !== undefined ? { rssQuestions } : {}),
    ...(values['no-cold'] ? {} : { cold: { runs: coldRuns, ...(values.before ? { before: values.before } : {}) } }),
  });
  if (values.svg) writeFileSync(resolve(values.svg), latencySvg(report));
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${formatTable(report)}\n`);
});
