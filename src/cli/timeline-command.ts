// npm run timeline -- japan korea [--any] [--json] [--png FILE]
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createServices } from '../app/services.js';
import { formatTimeline } from '../commands/format.js';
import { renderTimelineImage } from '../commands/timeline-image.js';
import { cliConfig, cliLogger, COMMON_OPTIONS, fail, parseCli, printJson, runMain } from './common.js';

const USAGE = `Usage: npm run timeline -- NAME [NAME…] [--any] [--json] [--png FILE] [--corpus DIR] [--index DIR]
A dated, cited chronology of events involving all the names (or any of them with --any): people, places,
organisations or topics the documents mention; separate multi-word names with commas when in doubt.
--png FILE also draws it as a picture.`;

runMain(async () => {
  const { values, positionals } = parseCli({ ...COMMON_OPTIONS, any: { type: 'boolean', default: false }, png: { type: 'string' } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length === 0) fail(`name at least one entity or topic.\n${USAGE}`, 2);
  const config = cliConfig(values);
  const logger = cliLogger(config);
  const services = await createServices({ config, logger });
  const timeline = await services.timeline(positionals, { any: values.any });
  if (values.png !== undefined) {
    const started = performance.now();
    const image = renderTimelineImage(timeline);
    writeFileSync(values.png, image.png);
    logger.info({ file: values.png, bytes: image.png.length, width: image.width, height: image.height, ms: Math.round(performance.now() - started) }, 'wrote timeline picture');
  }
  if (values.json) printJson(timeline);
  else process.stdout.write(`${formatTimeline(timeline)}\n`);
  await services.close();
});
