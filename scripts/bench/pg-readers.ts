// Child of the store bench: asks questions of the PostgreSQL store in a loop, as another bot process would,
// until its stdin closes; then prints {"queries", "max_ms", "p95_ms"} as one JSON line. Its own process, so
// the waits it reports are the database's, not the event loop it would otherwise share with a re-index.
//   node --import tsx scripts/bench/pg-readers.ts DATABASE_URL QUESTIONS_JSON_FILE
import { readFileSync } from 'node:fs';
import { createLocalEmbedder } from '../../src/app/embedders.js';
import { PgVectorStore } from '../../src/stores/pgvector/store.js';
import { percentile, round } from './stats.js';

const [databaseUrl, questionsFile] = process.argv.slice(2);
if (!databaseUrl || !questionsFile) throw new Error('usage: pg-readers.ts DATABASE_URL QUESTIONS_JSON_FILE');
const questions = JSON.parse(readFileSync(questionsFile, 'utf8')) as string[];
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const store = new PgVectorStore({ databaseUrl, poolSize: 2, corpusDir: '.', embedder: createLocalEmbedder({ wordVectorsDir: undefined }), logger: quiet });

let running = true;
process.stdin.on('close', () => (running = false));
process.stdin.resume();
const waits: number[] = [];
for (let i = 0; running; i++) {
  const started = performance.now();
  const view = await store.view();
  await view.search(questions[i % questions.length] ?? '', { k: 5 });
  waits.push(performance.now() - started);
  if (i === 0) process.stdout.write('ready\n');
}
await store.close();
process.stdout.write(`${JSON.stringify({ queries: waits.length, max_ms: round(Math.max(...waits)), p95_ms: round(percentile(waits, 95)) })}\n`);
