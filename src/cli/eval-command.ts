// npm run eval -- [--set FILE]… [--cv] [--json]: retrieval, answer, citation, refusal and timeline figures per corpus,
// the held-out figures of the answerer's calibration (by fold and by corpus), and the scripted-model rates of the
// model path.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Config } from '../config.js';
import { createServices } from '../app/services.js';
import { readQaSet, type QaItemResult, type QaReport, type Rate } from '../eval/qa.js';
import { runQaEval, runRetrievalAblation, runTimelineEval, prepareItems } from '../eval/run.js';
import { crossValidate, type PreparedItem } from '../eval/calibrate.js';
import { DEFAULT_EXTRACTIVE_PARAMETERS, type ExtractiveParameters } from '../core/answer/parameters.js';
import { readConversationSet, runConversationEval, type ConversationReport } from '../eval/conversations.js';
import { runScriptedModels, type ScriptedModelReport } from '../eval/scripted-models.js';
import { cliConfig, cliLogger, COMMON_OPTIONS, fail, parseCli, printJson, runMain } from './common.js';

const USAGE = `Usage: npm run eval -- [--set FILE]… [--no-web] [--conversations FILE] [--cv] [--folds N] [--no-models] [--timeline FILE] [--json] [--corpus DIR] [--index DIR]
Two corpora, each with its own figures:
  the configured corpus (CORPUS_DIR): $EVAL_DIR/qa-dev.jsonl, $EVAL_DIR/qa-natural.dev.jsonl and every --set FILE,
    $EVAL_DIR/conversations.dev.jsonl (each turn graded with the turns before it as history) and
    $EVAL_DIR/timeline-japan-korea.dev.json (EVAL_DIR defaults to ../shared/eval);
  the web pages in $EVAL_DIR/web/corpus with $EVAL_DIR/web/qa-*.jsonl and test/fixtures/qa-web-blind.jsonl,
    qa-web-blind2.jsonl … qa-web-blind6.jsonl and qa-web-blind8.jsonl (its own index in INDEX_DIR-web; --no-web skips it).
--cv   cross-validation of the answerer's parameters over both corpora' dev sets (+ test/fixtures/qa-extra.jsonl,
       qa-blind.jsonl, qa-blind2.jsonl on the seeds and qa-web-blind.jsonl … qa-web-blind6.jsonl, qa-web-blind8.jsonl on the web pages):
       k-fold held-out figures, and held out by corpus (fit on one corpus, measured on the other), next to the fit.`;

/** Question sets over the web pages written by helpers that read only the pages: blind once, dev material since. */
// (qa-web-blind7.jsonl is not among them: it is the end-of-round measure of round 9, run once, never calibrated on.)
const WEB_BLIND_SETS = ['qa-web-blind.jsonl', 'qa-web-blind2.jsonl', 'qa-web-blind3.jsonl', 'qa-web-blind4.jsonl', 'qa-web-blind5.jsonl', 'qa-web-blind6.jsonl', 'qa-web-blind8.jsonl'];

/** The last cross-validation, committed with the parameters it chose. */
const CALIBRATION_RECORD = join('data', 'calibration.json');

interface EvalCorpus {
  name: string;
  config: Config;
  sets: string[];
  calibrationSets: string[];
}

runMain(async () => {
  const { values } = parseCli({
    ...COMMON_OPTIONS,
    set: { type: 'string', multiple: true },
    timeline: { type: 'string' },
    conversations: { type: 'string' },
    cv: { type: 'boolean', default: false },
    folds: { type: 'string' },
    'no-models': { type: 'boolean', default: false },
    'no-web': { type: 'boolean', default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = cliConfig(values);
  const folds = values.folds === undefined ? 5 : Number(values.folds);
  if (!Number.isInteger(folds) || folds < 2 || folds > 20) fail('--folds must be a whole number from 2 to 20', 2);
  for (const path of values.set ?? []) if (!existsSync(path)) fail(`evaluation set not found: ${path}`, 2);
  const rel = (path: string) => relative(process.cwd(), path);
  const present = (paths: string[]) => paths.filter((path) => existsSync(path)).map(rel);
  const corpora: EvalCorpus[] = [
    {
      name: 'seeds',
      config,
      sets: [...present([join(config.evalDir, 'qa-dev.jsonl'), join(config.evalDir, 'qa-natural.dev.jsonl')]), ...(values.set ?? [])],
      // Our own probes and the blind sets written without looking at answers (each became development material once
      // measured): more questions of more kinds to fit on, the sealed set stays held out.
      calibrationSets: present([
        join(config.evalDir, 'qa-dev.jsonl'),
        join(config.evalDir, 'qa-natural.dev.jsonl'),
        ...['qa-extra.jsonl', 'qa-blind.jsonl', 'qa-blind2.jsonl'].map((name) => join('test', 'fixtures', name)),
      ]),
    },
  ];
  const webDir = join(config.evalDir, 'web');
  if (!values['no-web'] && existsSync(join(webDir, 'corpus'))) {
    const webSets = readdirSync(webDir).filter((name) => /^qa-.*\.jsonl$/.test(name)).map((name) => rel(join(webDir, name)));
    // Always the embedded store: the second corpus is an evaluation fixture, not a deployment's database.
    const webConfig: Config = { ...config, corpusDir: resolve(webDir, 'corpus'), indexDir: `${config.indexDir}-web`, store: { ...config.store, kind: 'local' } };
    // (qa-web-blind6 is not among them: written at the end of round 8, it measures the next round's start.)
    const webCalibration = [...webSets, ...present(WEB_BLIND_SETS.map((name) => join('test', 'fixtures', name)))];
    corpora.push({ name: 'web', config: webConfig, sets: webCalibration, calibrationSets: webCalibration });
  }
  if (corpora.every((c) => c.sets.length === 0)) fail(`no evaluation set found (looked in ${config.evalDir}); pass --set FILE`, 2);

  const reports = [];
  const prepared: PreparedItem[] = [];
  let conversations: (ConversationReport & { set: string }) | null = null;
  let timeline: Awaited<ReturnType<typeof runTimelineEval>> = null;
  for (const corpus of corpora) {
    // The evaluation measures the offline answerer; the model path is measured by the scripted models below.
    const services = await createServices({ config: corpus.config, logger: cliLogger(corpus.config), chat: null });
    try {
      // The figures must measure the code as it is: an index built before a change to parsing or cleaning would
      // keep the old documents. The re-index is incremental (only files parsed differently are embedded again).
      await services.reindex();
      for (const path of corpus.sets) {
        const items = readQaSet(path);
        reports.push({ corpus: corpus.name, set: path, ...(await runQaEval(services, items, corpus.config.corpusDir)), retrievalByMode: await runRetrievalAblation(services, items) });
      }
      if (corpus.name === 'seeds') {
        const conversationsPath = values.conversations ?? join(config.evalDir, 'conversations.dev.jsonl');
        if (values.conversations && !existsSync(conversationsPath)) fail(`conversation set not found: ${conversationsPath}`, 2);
        if (existsSync(conversationsPath)) conversations = { set: conversationsPath, ...(await runConversationEval(services, readConversationSet(conversationsPath), config.corpusDir)) };
        timeline = await runTimelineEval(services, values.timeline ?? join(config.evalDir, 'timeline-japan-korea.dev.json'));
      }
      if (values.cv) prepared.push(...(await prepareItems(services, { name: corpus.name, dir: corpus.config.corpusDir }, corpus.calibrationSets.map((path) => ({ path, items: readQaSet(path) })))));
    } finally {
      await services.close();
    }
  }

  let cv: CrossValidationReport | null = null;
  let recorded: (CrossValidationReport & { command: string; at: string }) | null = null;
  if (values.cv) {
    const result = crossValidate(prepared, { folds });
    const calibrationSets = [...new Set(prepared.map((p) => p.set))];
    const heldOut: Record<string, Figures> = {};
    const heldOutCorpus: Record<string, Figures> = {};
    const fit: Record<string, Figures> = {};
    const misses: Record<string, string[]> = {};
    for (const path of calibrationSets) {
      const idx = prepared.flatMap((p, i) => (p.set === path ? [i] : []));
      heldOut[path] = figures(idx.map((i) => ({ item: prepared[i]!, correct: result.heldOut[i] ?? false })));
      if (result.heldOutCorpus) heldOutCorpus[path] = figures(idx.map((i) => ({ item: prepared[i]!, correct: result.heldOutCorpus?.[i] ?? false })));
      misses[path] = idx.filter((i) => !result.heldOut[i]).map((i) => prepared[i]!.item.id ?? prepared[i]!.item.question);
      fit[path] = figures(idx.map((i) => ({ item: prepared[i]!, correct: result.fit[i] ?? false })));
    }
    cv = {
      sets: calibrationSets,
      corpora: Object.fromEntries(calibrationSets.map((path) => [path, prepared.find((p) => p.set === path)?.corpus ?? ''])),
      folds,
      points: result.points,
      heldOut,
      heldOutCorpus: result.heldOutCorpus ? heldOutCorpus : null,
      chosenByCorpus: result.chosenByCorpus,
      fit,
      parameters: result.fitParameters,
      chosen: result.chosen,
      misses,
    };
    writeFileSync(CALIBRATION_RECORD, `${JSON.stringify({ command: 'npm run eval -- --cv', at: new Date().toISOString(), ...cv }, null, 1)}\n`);
  } else if (existsSync(CALIBRATION_RECORD)) {
    // Without --cv the last recorded cross-validation is shown (it takes a few minutes to recompute).
    recorded = JSON.parse(readFileSync(CALIBRATION_RECORD, 'utf8')) as CrossValidationReport & { command: string; at: string };
  }

  // The model path with scripted models, on each corpus' dev sets.
  const models: Array<ScriptedModelReport & { corpus: string }> = [];
  if (!values['no-models']) {
    for (const corpus of corpora) {
      const items = corpus.calibrationSets.flatMap((path) => readQaSet(path));
      if (items.length > 0) models.push({ corpus: corpus.name, ...(await runScriptedModels(items, corpus.config)) });
    }
  }

  if (values.json) {
    printJson({ qa: reports, conversations, timeline, cv: cv ?? recorded, models });
    return;
  }
  const pct = (x: Rate) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)} %`);
  const fixed = (x: Rate) => (x === null ? 'n/a' : x.toFixed(3));
  for (const report of reports) {
    process.stdout.write(`\n== ${report.set} (${report.corpus} corpus, ${report.items.length} questions)\n`);
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
        `${path}${cv.corpora?.[path] ? ` (${cv.corpora[path]})` : ''}\n  held-out  answerable ${h.answerableCorrect}/${h.answerable}  unanswerable refused ${h.refused}/${h.unanswerable}   by type ${typeLine(h)}\n` +
          (cv.heldOutCorpus?.[path]
            ? `  held-out corpus (fit on the other corpus) answerable ${cv.heldOutCorpus[path].answerableCorrect}/${cv.heldOutCorpus[path].answerable}  unanswerable refused ${cv.heldOutCorpus[path].refused}/${cv.heldOutCorpus[path].unanswerable}   by type ${typeLine(cv.heldOutCorpus[path])}\n`
            : '') +
          `  fit       answerable ${f.answerableCorrect}/${f.answerable}  unanswerable refused ${f.refused}/${f.unanswerable}   by type ${typeLine(f)}\n` +
          `  held-out misses: ${(cv.misses[path] ?? []).join(', ') || 'none'}\n`,
      );
    }
    process.stdout.write(`chosen on all items: ${JSON.stringify(cv.parameters)}\n`);
    const brief = (p: ExtractiveParameters) =>
      `minEvidence ${p.minEvidence} nearRatio ${p.nearRatio} vectorFloor ${p.vectorFloor} maxUnexplainedTyped ${p.maxUnexplainedTyped} maxUnexplained ${p.maxUnexplained}`;
    cv.chosen.forEach((p, i) => process.stdout.write(`  fold ${i + 1} chose: ${brief(p)}\n`));
    for (const [corpus, p] of Object.entries(cv.chosenByCorpus ?? {})) process.stdout.write(`  held out ${corpus}, the others chose: ${brief(p)}\n`);
  }
  for (const m of models) {
    process.stdout.write(
      `\n== model path on ${m.corpus}, scripted models against the fake OpenAI server (${m.answerable} answerable, ${m.unanswerable} unanswerable dev questions)\n` +
        `evidence shown holds the answer sentence   ${pct(m.answerSentenceShown)}\n` +
        `oracle       answerable kept ${pct(m.oracle.kept)}   unanswerable refused ${pct(m.oracle.refused)}\n` +
        `paraphraser  answerable kept ${pct(m.paraphraser.kept)}\n` +
        `fabricator   blocked ${pct(m.fabricator.blocked)}\n` +
        `oracle not kept: ${m.misses.oracleNotKept.join(', ') || 'none'}\nfabrications kept: ${m.misses.fabricationKept.join(', ') || 'none'}\n`,
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

interface CrossValidationReport {
  sets: string[];
  /** The corpus each set asks about. */
  corpora?: Record<string, string>;
  folds: number;
  points: number;
  heldOut: Record<string, Figures>;
  /** Each set measured with the parameters chosen on the other corpus alone (null with one corpus). */
  heldOutCorpus?: Record<string, Figures> | null;
  chosenByCorpus?: Record<string, ExtractiveParameters> | null;
  fit: Record<string, Figures>;
  parameters: unknown;
  chosen: ExtractiveParameters[];
  misses: Record<string, string[]>;
}

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
