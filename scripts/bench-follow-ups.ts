// npx tsx scripts/bench-follow-ups.ts [--n 40]
// Follow-up latency through the real bot and the loopback fake Discord (offline answerer, seed corpus): each round
// asks a first question with /ask (which opens a thread), then follows up twice in that thread: with /ask (time to
// the defer callback and to the final edit, the /ask budget: defer ≤ 300 ms, final ≤ 1 s p95) and with a plain
// message (MESSAGE_CREATE → the reply), so the rewrite and history lookup are inside the measured time.
import { parseCli, runMain } from '../src/cli/common.js';
import { startHarness } from '../test/discord/harness.js';
import { percentile } from './bench/stats.js';

// Conversations of our own (kinds: bare wh, pronouns, ellipsis), not the dev set's.
const ROUNDS: Array<[string, string, string]> = [
  ['Where did Ishiba and Lee meet?', 'and why?', 'when was that?'],
  ['Who is Biden hosting at Camp David?', 'what is planned for them?', 'and why there?'],
  ['When will President Lee visit China?', 'who will he meet there?', 'why?'],
  ['What did North Korea launch towards the Sea of Japan?', 'when?', 'what did Russia do after that?'],
];

function stats(values: number[]): string {
  return `p50 ${percentile(values, 50).toFixed(1)} ms · p95 ${percentile(values, 95).toFixed(1)} ms · max ${Math.max(...values).toFixed(1)} ms`;
}

runMain(async () => {
  const { values } = parseCli({ n: { type: 'string', default: '40' } });
  const n = Math.max(1, Number(values.n));
  const h = await startHarness({ cooldownSeconds: 0, env: { DISCORD_MESSAGE_CONTENT: 'true', ASK_THREADS: 'auto', LOG_LEVEL: 'warn' } });
  try {
    const firstEdit: number[] = [];
    const askDefer: number[] = [];
    const askEdit: number[] = [];
    const messageReply: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const [first, askFollowUp, messageFollowUp] = ROUNDS[i % ROUNDS.length]!;
      const sent = h.fake.slash('ask', [{ name: 'question', type: 3, value: first }]);
      const edit = await h.fake.waitForCall((c) => c.path.includes(sent.token) && c.method === 'PATCH', 30_000);
      firstEdit.push(edit.at - sent.sentAt);
      const answerId = h.fake.originalMessage(sent).id as string;
      await h.fake.waitForCall((c) => c.path.endsWith(`/messages/${answerId}/threads`));

      const inThread = h.fake.slash('ask', [{ name: 'question', type: 3, value: askFollowUp }], { channelId: answerId });
      const defer = await h.fake.waitForCall((c) => c.path.includes(inThread.token) && c.path.endsWith('/callback'));
      const followEdit = await h.fake.waitForCall((c) => c.path.includes(inThread.token) && c.method === 'PATCH', 30_000);
      askDefer.push(defer.at - inThread.sentAt);
      askEdit.push(followEdit.at - inThread.sentAt);

      const sentAt = performance.now();
      const messageId = h.fake.userMessage(messageFollowUp, { channelId: answerId });
      const reply = await h.fake.waitForCall((c) => c.method === 'POST' && c.body?.message_reference?.message_id === messageId, 30_000);
      messageReply.push(reply.at - sentAt);
    }
    console.log(`${n} rounds (real services, offline answerer, seed corpus, sequential, loopback)`);
    console.log(`  first /ask            → final edit:   ${stats(firstEdit)}`);
    console.log(`  /ask follow-up in thread → defer:     ${stats(askDefer)}`);
    console.log(`  /ask follow-up in thread → final edit: ${stats(askEdit)}`);
    console.log(`  thread message        → reply:        ${stats(messageReply)}`);
  } finally {
    await h.close();
  }
});
