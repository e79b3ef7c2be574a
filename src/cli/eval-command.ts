// npm run eval -- [--set FILE]… [--json]: retrieval, answer, citation, refusal and timeline figures.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServices } from '../app/services.js';
import { readQaSet } from '../eval/qa.js';
import { runQaEval, runRetrievalAblation, runTimelineEval } from '../eval/run.js';
import { cliConfig, cliLogger, COMMON_OPTIONS, fail, parseCli, printJson, runMain } from './common.js';

const USAGE = `Usage: npm run eval -- [--set FILE]… [--timeline FILE] [--json] [--corpus DIR] [--index DIR]
Defaults: $EVAL_DIR/qa-dev.jsonl and $EVAL_DIR/timeline-japan-korea.dev.json (EVAL_DIR defaults to ../shared/eval).`;

runMain(async () => {
  const { values } = parseCli({ ...COMMON_OPTIONS, set: { type: 'string', multiple: true }, timeline: { type: 'string' } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = cliConfig(values);
  const sets = [join(config.evalDir, 'qa-dev.jsonl'), ...(values.set ?? [])].filter((path, i) => i > 0 || existsSync(path));
  if (sets.length === 0) fail(`no evaluation set found (looked for ${join(config.evalDir, 'qa-dev.jsonl')}); pass --set FILE`, 2);
  const services = await createServices({ config, logger: cliLogger(config) });
  const reports = [];
  for (const path of sets) {
    if (!existsSync(path)) fail(`evaluation set not found: ${path}`, 2);
    const items = readQaSet(path);
    reports.push({ set: path, ...(await runQaEval(services, items, config.corpusDir)), retrievalByMode: await runRetrievalAblation(services, items) });
  }
  const timeline = await runTimelineEval(services, values.timeline ?? join(config.evalDir, 'timeline-japan-korea.dev.json'));

  if (values.json) {
    printJson({ qa: reports, timeline });
    return;
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  for (const report of reports) {
    process.stdout.write(`\n== ${report.set} (${report.items.length} questions)\n`);
    for (const item of report.items) {
      const mark = item.correct ? 'ok  ' : 'FAIL';
      process.stdout.write(`${mark} ${item.id.padEnd(8)} rank=${item.rank ?? '-'} ${item.refused ? 'refused ' : ''}${item.question}\n`);
      if (!item.correct) process.stdout.write(`       → ${item.answer.slice(0, 300)}\n`);
    }
    process.stdout.write(
      [
        `retrieval recall@5   ${report.recallAt5.toFixed(3)}   MRR ${report.mrr.toFixed(3)}`,
        `answer accuracy      ${report.correct}/${report.answerable} (${pct(report.accuracy)})`,
        `citation validity    ${pct(report.citationValidity)}`,
        `refusal accuracy     ${pct(report.refusalAccuracy)}   false-refusal rate ${pct(report.falseRefusalRate)}`,
        `answer latency       p50 ${report.latencyP50Ms.toFixed(1)} ms   p95 ${report.latencyP95Ms.toFixed(1)} ms (extractive steady state, index loaded)`,
        `recall@5 by mode     ${(['keyword', 'vector', 'hybrid'] as const).map((m) => `${m} ${report.retrievalByMode[m].recallAt5.toFixed(3)} (MRR ${report.retrievalByMode[m].mrr.toFixed(3)})`).join('   ')}`,
      ].join('\n') + '\n',
    );
  }
  if (timeline) {
    process.stdout.write(
      `\n== timeline ${timeline.query.join(' ')}\n` +
        `date precision ${timeline.precision.toFixed(3)}   recall ${timeline.recall.toFixed(3)}   F1 ${timeline.f1.toFixed(3)}\n` +
        `forbidden dates ${timeline.forbiddenHits.length === 0 ? 'none' : timeline.forbiddenHits.join(', ')}   ` +
        `events with a valid citation ${pct(timeline.citationValidity)}   undated sources kept undated: ${timeline.undatedSourcesOk ? 'yes' : 'no'}\n`,
    );
  }
  await services.close();
});
