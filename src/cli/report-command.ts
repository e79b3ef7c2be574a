// npm run report -- [--since 7d] [--json]: what people asked that the documents could not answer (grouped by shared
// terms, most asked first), answers voted down or reported, and answer/refusal counts by mode, from FEEDBACK_FILE.
import { feedbackReport } from '../commands/feedback-report.js';
import { formatFeedbackReport, parseSince } from '../core/feedback/report.js';
import { cliConfig, COMMON_OPTIONS, fail, parseCli, printJson, runMain } from './common.js';

const USAGE = `Usage: npm run report -- [--since 7d] [--json]
Summarises FEEDBACK_FILE (votes, wrong-citation reports, refusals): the questions to add documents for first.
--since  only records from the last N minutes/hours/days/weeks (30m, 12h, 7d, 2w)`;

runMain(async () => {
  const { values } = parseCli({ ...COMMON_OPTIONS, since: { type: 'string' } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sinceMs = values.since === undefined ? undefined : parseSince(values.since);
  if (sinceMs === null) fail('--since takes a number and a unit: 30m, 12h, 7d or 2w', 2);
  const config = cliConfig(values);
  const report = await feedbackReport(config.discord.feedbackFile, sinceMs === undefined ? {} : { sinceMs });
  if (values.json) printJson(report);
  else process.stdout.write(`${formatFeedbackReport(report)}\n`);
});
