// Developer aid: `npx tsx scripts/explain-answer.ts "question"` prints the question analysis and the best-scored
// sentences with their features, to see why the extractive answerer chose or refused.
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/app/services.js';
import { createLocalEmbedder } from '../src/app/embedders.js';
import { answerExtractively } from '../src/core/answer/extractive.js';
import { analyzeQuestion } from '../src/core/text/question.js';
import { DEFAULT_EXTRACTIVE_PARAMETERS } from '../src/core/answer/parameters.js';
import { createLogger } from '../src/logging.js';

const config = loadConfig({});
const services = await createServices({ config, logger: createLogger({ level: 'warn', secrets: [] }), chat: null });
const scorer = createLocalEmbedder(config);
for (const question of process.argv.slice(2)) {
  const a = analyzeQuestion(question);
  console.log(`\n# ${question}\n  type=${a.type} unit=${a.unit} gran=${a.granularity} part=${a.datePart} focus=${a.focus.map((f) => f.word).join(',')} speaker=${a.speaker.join(' ')}`);
  const view = await services.store.view();
  const { passages, documents } = await view.search(question, { k: config.retrievalK });
  const override = process.env.P ? { parameters: { ...DEFAULT_EXTRACTIVE_PARAMETERS, ...(JSON.parse(process.env.P) as object) } } : {};
  const answer = answerExtractively(question, passages, documents, { idf: (t) => view.idf(t), embed: (t) => scorer.embedValues(t), wordSimilarity: (x, y) => scorer.wordSimilarity(x, y), wordRank: (w) => scorer.wordRank(w), knows: (t) => view.knows(t) }, {
    ...override,
    onScored: (sentences, verdict) => {
      console.log(`  verdict: evidence=${verdict.evidence.toFixed(2)} refusedBy=${verdict.refusedBy}`);
      for (const s of sentences.slice(0, 6)) console.log(`  ${s.score.toFixed(2)} cov=${s.coverage.toFixed(2)} sem=${s.semantic.toFixed(2)} typed=${s.typed} near=${s.near} ${s.source.slice(0, 3)} ${s.text.slice(0, 140)}`);
    },
  });
  console.log(`  → ${answer.answer.slice(0, 400)}`);
}
await services.close();
