// npx tsx scripts/bench-discord.ts [--n 50] [--fake-services]
// Sends N /ask interactions to the real bot through the loopback fake Discord and reports the time from
// INTERACTION_CREATE to the defer callback (Discord's 3-second deadline) and to the final edit.
import { parseCli, runMain } from '../src/cli/common.js';
import { FakeBotServices } from '../test/discord/fake-services.js';
import { startHarness } from '../test/discord/harness.js';
import { percentile } from './bench/stats.js';

const QUESTIONS = [
  'When did Japanese and South Korean leaders agree to boost cooperation?',
  'Where did the Camp David summit take place?',
  'What did Biden and Kishida announce about air defense?',
  'When will President Lee visit China?',
  'What did North Korea launch towards the Sea of Japan?',
];

function stats(values: number[]): string {
  return `p50 ${percentile(values, 50).toFixed(1)} ms · p95 ${percentile(values, 95).toFixed(1)} ms · max ${Math.max(...values).toFixed(1)} ms`;
}

runMain(async () => {
  const { values } = parseCli({ n: { type: 'string', default: '50' }, 'fake-services': { type: 'boolean', default: false } });
  const n = Math.max(1, Number(values.n));
  // Cooldown off: the bench sends from one user as fast as the bot answers.
  const h = await startHarness({ cooldownSeconds: 0 });
  if (values['fake-services']) {
    // Isolates the adapter's own overhead from retrieval and answering.
    const fake = await FakeBotServices.create(h.config.corpusDir);
    h.services.overrides = { ask: (question) => fake.ask(question) };
  }
  try {
    const toDefer: number[] = [];
    const toEdit: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const sent = h.fake.slash('ask', [{ name: 'question', type: 3, value: QUESTIONS[i % QUESTIONS.length]! }]);
      const defer = await h.fake.waitForCall((c) => c.path.includes(sent.token) && c.path.endsWith('/callback'));
      const edit = await h.fake.waitForCall((c) => c.path.includes(sent.token) && c.method === 'PATCH', 30_000);
      toDefer.push(defer.at - sent.sentAt);
      toEdit.push(edit.at - sent.sentAt);
    }
    console.log(`${n} × /ask (${values['fake-services'] ? 'fake' : 'real'} services, sequential, loopback)`);
    console.log(`  INTERACTION_CREATE → defer callback: ${stats(toDefer)}`);
    console.log(`  INTERACTION_CREATE → final edit:     ${stats(toEdit)}`);
  } finally {
    await h.close();
  }
});
