// npm run eval -- [--set FILE]… [--cv] [--json]: retrieval, answer, citation, refusal and timeline figures, the
// held-out-fold figures of the answerer's calibration, and the scripted-model rates of the model path.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createServices } from '../app/services.js';
import { readQaSet, type QaItemResult, type QaReport, type Rate } from '../eval/qa.js';
import { runQaEval, runRetrievalAblation, runTimelineEval, prepareItems } from '../eval/run.js';
import { crossValidate } from '../eval/calibrate.js';
import { DEFAULT_EXTRACTIVE_PARAMETERS, type ExtractiveParameters } from '../core/answer/parameters.js';
import { rawCorpusReader } from '../eval/qa.js';
import { readConversationSet, runConversationEval, type ConversationReport } from '../eval/conversations.js';
import { runScriptedModels, type ScriptedModelReport } from '../eval/scripted-models.js';
import { cliConfig, cliLogger, COMMON_OPTIONS, fail, parseCli, printJson, runMain } from './common.js';

const USAGE = `Usage: npm run eval -- [--set FILE]… [--conversations FILE] [--cv] [--folds N] [--no-models] [--timeline FILE] [--json] [--corpus DIR] [--index DIR]
Defaults: $EVAL_DIR/qa-dev.jsonl, $EVAL_DIR/conversations.dev.jsonl (each turn graded with the turns before it as
history) and $EVAL_DIR/timeline-japan-korea.dev.json (EVAL_DIR defaults to ../shared/eval).
--cv   k-fold cross-validation of the answerer's parameters over qa-dev + qa-natural.dev + test/fixtures/qa-extra.jsonl:
       held-out-fold figures next to the training fit (the committed parameters are the fit's choice).`;

/** The last cross-validation, committed with the parameters it chose. */
const CALIBRATION_RECORD = join('data', 'calibration.json');

const CALIBRATION_SETS = (evalDir: string) =>
  [join(evalDir, 'qa-dev.jsonl'), join(evalDir, 'qa-natural.dev.jsonl'), join('test', 'fixtures', 'qa-extra.jsonl')].map((path) => relative(process.cwd(), path));

runMain(async () => {
  const { values } = parseCli({
    ...COMMON_OPTIONS,
    set: { type: 'string', multiple: true },
    timeline: { type: 'string' },
    conversations: { type: 'string' },
    cv: { type: 'boolean', default: false },
    folds: { type: 'string' },
    'no-models': { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = cliConfig(values);
  const sets = [join(config.evalDir, 'qa-dev.jsonl'), ...(values.set ?? [])].filter((path, i) => i > 0 || existsSync(path));
  if (sets.length === 0) fail(`no evaluation set found (looked for ${join(config.evalDir, 'qa-dev.jsonl')}); pass --set FILE`, 2);
  const folds = values.folds === undefined ? 5 : Number(values.folds);
  if (!Number.isInteger(folds) || folds < 2 || folds > 20) fail('--folds must be a whole number from 2 to 20', 2);
  // The evaluation measures the offline answerer; the model path is measured by the scripted models below.
  const services = await createServices({ config, logger: cliLogger(config), chat: null });
  const reports = [];
  for (const path of sets) {
    if (!existsSync(path)) fail(`evaluation set not found: ${path}`, 2);
    const items = readQaSet(path);
    reports.push({ set: path, ...(await runQaEval(services, items, config.corpusDir)), retrievalByMode: await runRetrievalAblation(services, items) });
  }
  const conversationsPath = values.conversations ?? join(config.evalDir, 'conversations.dev.jsonl');
  if (values.conversations && !existsSync(conversationsPath)) fail(`conversation set not found: ${conversationsPath}`, 2);
  const conversations: (ConversationReport & { set: string }) | null = existsSync(conversationsPath)
    ? { set: conversationsPath, ...(await runConversationEval(services, readConversationSet(conversationsPath), config.corpusDir)) }
    : null;
  const timeline = await runTimelineEval(services, values.timeline ?? join(config.evalDir, 'timeline-japan-korea.dev.json'));

  type CrossValidationReport = { sets: string[]; folds: number; points: number; heldOut: Record<string, Figures>; fit: Record<string, Figures>; parameters: unknown; chosen: ExtractiveParameters[]; misses: Record<string, string[]> };
  let cv: CrossValidationReport | null = null;
  let recorded: (CrossValidationReport & { command: string; at: string }) | null = null;
  if (values.cv) {
    const calibrationSets = CALIBRATION_SETS(config.evalDir).filter((p) => existsSync(p));
    const prepared = await prepareItems(services, calibrationSets.map((path) => ({ path, items: readQaSet(path) })));
    const result = crossValidate(prepared, rawCorpusReader(config.corpusDir), { folds });
    const heldOut: Record<string, Figures> = {};
    const fit: Record<string, Figures> = {};
    const misses: Record<string, string[]> = {};
    for (const path of calibrationSets) {
      const idx = prepared.flatMap((p, i) => (p.set === path ? [i] : []));
      heldOut[path] = figures(idx.map((i) => ({ item: prepared[i]!, correct: result.heldOut[i] ?? false })));
      misses[path] = idx.filter((i) => !result.heldOut[i]).map((i) => prepared[i]!.item.id ?? prepared[i]!.item.question);
      fit[path] = figures(idx.map((i) => ({ item: prepared[i]!, correct: result.fit[i] ?? false })));
    }
    cv = { sets: calibrationSets, folds, points: result.points, heldOut, fit, parameters: result.fitParameters, chosen: result.chosen, misses };
    writeFileSync(CALIBRATION_RECORD, `${JSON.stringify({ command: 'npm run eval -- --cv', at: new Date().toISOString(), ...cv }, null, 1)}\n`);
  } else if (existsSync(CALIBRATION_RECORD)) {
    // Without --cv the last recorded cross-validation is shown (it takes a minute or two to recompute).
    recorded = JSON.parse(readFileSync(CALIBRATION_RECORD, 'utf8')) as CrossValidationReport & { command: string; at: string };
  }

  let models: ScriptedModelReport | null = null;
  if (!values['no-models']) {
    const devSets = CALIBRATION_SETS(config.evalDir).filter((p) => existsSync(p));
    await services.close();
    models = await runScriptedModels(devSets.flatMap((path) => readQaSet(path)), config);
  } else await services.close();

  if (values.json) {
    printJson({ qa: reports, conversations, timeline, cv: cv ?? recorded, models });
    return;
  }
  const pct = (x: Rate) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)} %`);
  const fixed = (x: Rate) => (x === null ? 'n/a' : x.toFixed(3));
  for (const report of reports) {
    process.stdout.write(`\n== ${report.set} (${report.items.length} questions)\n`);
    for (const item of report.items) {
      const mark = item.correct ? 'ok  ' : 'FAIL';
      process.stdout.write(`${mark} ${item.id.padEnd(8)} ${item.type.padEnd(12)} rank=${item.rank ?? '-'} ${item.refused ? 'refused ' : ''}${item.question}\n`);
      if (!item.correct) process.stdout.write(`       → ${item.answer.slice(0, 300)}\n`);
    }
    process.stdout.write(
      [
        `retrieval recall@5   ${fixed(report.recallAt5)}   MRR ${fixed(report.mrr)}`,
        `answer accuracy      ${report.correct}/${report.answerable} (${pct(report.accuracy)})   unanswerable refused ${report.refusedCorrectly}/${report.unanswerable} (${pct(report.refusalAccuracy)})`,
        `by type              ${byTypeLine(report)}`,
        `false-refusal rate   ${pct(report.falseRefusalRate)}   refusals citing the answer ${report.refusalsCitingAnswer}   cited sentence states the asked event ${report.statesEvent.stated}/${report.statesEvent.of}`,
        `citation validity    ${pct(report.citationValidity)}   median answer ${report.medianAnswerChars ?? 'n/a'} chars`,
        `answer latency       p50 ${report.latencyP50Ms.toFixed(1)} ms   p95 ${report.latencyP95Ms.toFixed(1)} ms (extractive steady state, index loaded)`,
        `recall@5 by mode     ${(['keyword', 'vector', 'hybrid'] as const).map((m) => `${m} ${fixed(report.retrievalByMode[m].recallAt5)} (MRR ${fixed(report.retrievalByMode[m].mrr)})`).join('   ')}`,
      ].join('\n') + '\n',
    );
  }
  if (conversations) {
    process.stdout.write(`\n== ${conversations.set} (${conversations.turns.length} turns, graded with the turns before as history)\n`);
    for (const turn of conversations.turns) {
      process.stdout.write(`${turn.correct ? 'ok  ' : 'FAIL'} ${turn.id.padEnd(8)} ${turn.refused ? 'refused ' : ''}${turn.question}\n`);
      if (turn.standalone !== turn.question) process.stdout.write(`       read as: ${turn.standalone}${turn.context.length > 0 ? `   [context: ${turn.context.join(' ')}]` : ''}\n`);
      if (!turn.correct) process.stdout.write(`       → ${turn.answer.slice(0, 300)}\n`);
    }
    const c = conversations;
    process.stdout.write(
      `turns correct        ${c.correct}/${c.total}   first turns ${c.firstTurns.correct}/${c.firstTurns.total} (asked alone: ${c.firstTurns.aloneCorrect}/${c.firstTurns.total})   follow-ups ${c.followUps.correct}/${c.followUps.total}   p95 ${c.latencyP95Ms.toFixed(1)} ms\n`,
    );
  }
  const shown = cv ?? recorded;
  if (shown) {
    const cv = shown;
    const origin = recorded && !values.cv ? ` (recorded by \`${recorded.command}\` at ${recorded.at}; current parameters ${JSON.stringify(recorded.parameters) === JSON.stringify(DEFAULT_EXTRACTIVE_PARAMETERS) ? 'are' : 'are NOT'} its fit)` : '';
    process.stdout.write(`\n== calibration${origin}: ${cv.folds}-fold cross-validation over ${cv.sets.length} sets, ${cv.points} parameter points\n`);
    for (const path of cv.sets) {
      const h = cv.heldOut[path]!;
      const f = cv.fit[path]!;
      process.stdout.write(
        `${path}\n  held-out  answerable ${h.answerableCorrect}/${h.answerable}  unanswerable refused ${h.refused}/${h.unanswerable}   by type ${typeLine(h)}\n` +
          `  fit       answerable ${f.answerableCorrect}/${f.answerable}  unanswerable refused ${f.refused}/${f.unanswerable}   by type ${typeLine(f)}\n` +
          `  held-out misses: ${(cv.misses[path] ?? []).join(', ') || 'none'}\n`,
      );
    }
    process.stdout.write(`chosen on all items: ${JSON.stringify(cv.parameters)}\n`);
    const brief = (p: ExtractiveParameters) =>
      `minEvidence ${p.minEvidence} nearRatio ${p.nearRatio} vectorFloor ${p.vectorFloor} minPredicate ${p.minPredicate} predicate ${p.weights.predicate} type ${p.weights.type}`;
    cv.chosen.forEach((p, i) => process.stdout.write(`  fold ${i + 1} chose: ${brief(p)}\n`));
  }
  if (models) {
    process.stdout.write(
      `\n== model path, scripted models against the fake OpenAI server (${models.answerable} answerable, ${models.unanswerable} unanswerable dev questions)\n` +
        `evidence shown holds the answer sentence   ${pct(models.answerSentenceShown)}\n` +
        `oracle       answerable kept ${pct(models.oracle.kept)}   unanswerable refused ${pct(models.oracle.refused)}\n` +
        `paraphraser  answerable kept ${pct(models.paraphraser.kept)}\n` +
        `fabricator   blocked ${pct(models.fabricator.blocked)}\n`,
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
});

interface Figures {
  answerable: number;
  answerableCorrect: number;
  unanswerable: number;
  refused: number;
  byType: Record<string, { correct: number; total: number }>;
}

function figures(rows: Array<{ item: { item: { expect_refusal?: boolean | undefined; type?: string | undefined } }; correct: boolean }>): Figures {
  const out: Figures = { answerable: 0, answerableCorrect: 0, unanswerable: 0, refused: 0, byType: {} };
  for (const { item, correct } of rows) {
    const unanswerable = item.item.expect_refusal === true;
    if (unanswerable) {
      out.unanswerable += 1;
      if (correct) out.refused += 1;
    } else {
      out.answerable += 1;
      if (correct) out.answerableCorrect += 1;
    }
    const type = item.item.type ?? (unanswerable ? 'unanswerable' : 'untyped');
    const entry = (out.byType[type] ??= { correct: 0, total: 0 });
    entry.total += 1;
    if (correct) entry.correct += 1;
  }
  return out;
}

function typeLine(f: Figures): string {
  return Object.entries(f.byType)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([type, { correct, total }]) => `${type} ${correct}/${total}`)
    .join(', ');
}

function byTypeLine(report: QaReport & { items: QaItemResult[] }): string {
  return Object.entries(report.byType)
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([type, { correct, total }]) => `${type} ${correct}/${total}`)
    .join(', ');
}
