// npm run ask -- "question" [--k N] [--json]
import { createServices } from '../app/services.js';
import { answerJson, formatAnswer } from '../commands/format.js';
import { cliConfig, cliLogger, COMMON_OPTIONS, fail, parseCli, printJson, runMain } from './common.js';

const USAGE = `Usage: npm run ask -- "question" [--k N] [--json] [--corpus DIR] [--index DIR]
Answers from the indexed documents with verified citations (builds the index first if there is none).`;

runMain(async () => {
  const { values, positionals } = parseCli({ ...COMMON_OPTIONS, k: { type: 'string' } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const question = positionals.join(' ').trim();
  if (!question) fail(`no question given.\n${USAGE}`, 2);
  const k = values.k === undefined ? undefined : Number(values.k);
  if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > 50)) fail('--k must be a whole number from 1 to 50', 2);
  const config = cliConfig(values);
  const services = await createServices({ config, logger: cliLogger(config) });
  const answer = await services.ask(question, k === undefined ? {} : { k });
  if (values.json) {
    printJson(answerJson(answer));
  } else {
    process.stdout.write(`${formatAnswer(answer)}\n`);
  }
  await services.close();
});
