// npm run timeline -- japan korea [--any] [--json]
import { createServices } from '../app/services.js';
import { formatTimeline } from '../commands/format.js';
import { cliConfig, cliLogger, COMMON_OPTIONS, fail, parseCli, printJson, runMain } from './common.js';

const USAGE = `Usage: npm run timeline -- ENTITY [ENTITY…] [--any] [--json] [--corpus DIR] [--index DIR]
A dated, cited chronology of events involving all the entities (or any of them with --any).`;

runMain(async () => {
  const { values, positionals } = parseCli({ ...COMMON_OPTIONS, any: { type: 'boolean', default: false } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length === 0) fail(`name at least one entity.\n${USAGE}`, 2);
  const config = cliConfig(values);
  const services = await createServices({ config, logger: cliLogger(config) });
  const timeline = await services.timeline(positionals, { any: values.any });
  if (values.json) printJson(timeline);
  else process.stdout.write(`${formatTimeline(timeline)}\n`);
  await services.close();
});
