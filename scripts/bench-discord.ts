// npm run bench:discord [-- --rates 20,30,40] [--seconds 15] [--threads auto,off] [--thread-429 0.5] [--json]
// npm run bench:discord -- --sequential [--n 50] [--fake-services]
// /ask under load through the real bot (startBot, real services over the seed corpus, offline answerer) and the
// loopback fake Discord: for each rate and ASK_THREADS mode, `rate × seconds` /ask from distinct users sent at a
// fixed rate (open loop: the sender never waits for the bot), then the time from INTERACTION_CREATE to the ack
// (the defer callback: Discord's 3-second deadline) and to the final edit (the one that carries the answer).
// `--thread-429 F` adds rows with threads on where the fake answers 429 to a share F of thread creations.
// `--sequential` is the older one-at-a-time measurement of the adapter's own overhead.
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseCli, runMain } from '../src/cli/common.js';
import { snowflake, THREAD_ROUTE, STRING, type RestCall } from '../test/fakes/discord-server.js';
import { FakeBotServices } from '../test/discord/fake-services.js';
import { startHarness, type Harness } from '../test/discord/harness.js';
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

interface Row {
  rate: number;
  threads: 'auto' | 'off';
  thread429: number;
  sent: number;
  answered: number;
  lost: number;
  ackP50: number;
  ackP99: number;
  ackMax: number;
  finalP50: number;
  finalP99: number;
  finalMax: number;
  threadsOpened: number;
  /** Threads the bot skipped, by reason (the bot's own counts; absent for a bot without them). */
  threadsSkipped: Record<string, number>;
  thread429s: number;
  global429s: number;
  /** Event-loop delay of the one process (bot and fake together) during the run, p99 in ms: CPU, not waiting. */
  loopDelayP99: number;
  /** CPU time of the process (bot and fake together, user + system) per /ask sent, ms. */
  cpuPerAsk: number;
  /** The machine's 1-minute load average when the run started (2 cores; above 2, other processes took CPU). */
  load: number;
  /** Warning lines the bot logged during the run (rate limits are logged once per episode, not per answer). */
  warnings: number;
  /** Seconds from the first send to the last final edit (the achieved throughput is sent / this). */
  seconds: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The interaction token in a callback or webhook path. */
function tokenOf(call: RestCall): string | undefined {
  return /^\/api\/v10\/(?:interactions|webhooks)\/\d+\/([^/]+)/.exec(call.path)?.[1];
}

/** One row: a fresh fake Discord and bot (nothing left over from the previous row), warmed up, then measured. */
async function freshRun(rate: number, seconds: number, threads: 'auto' | 'off', thread429: number): Promise<Row> {
  // The production log level (info: one line per answer), as a running bot writes it.
  const h = await startHarness({ env: { ASK_THREADS: threads }, logLevel: 'info', loadShedding: true });
  try {
    // Warm-up: the first answers pay one-off sentence analysis; not measured, and without 429s.
    await loadRun(h, 20, 1, threads, 0);
    return await loadRun(h, rate, seconds, threads, thread429);
  } finally {
    await h.close();
  }
}

async function loadRun(h: Harness, rate: number, seconds: number, threads: 'auto' | 'off', thread429: number): Promise<Row> {
  h.fake.clearRateLimits();
  if (thread429 > 0) h.fake.rateLimitFraction(thread429, 1, THREAD_ROUTE);
  const n = Math.max(1, Math.round(rate * seconds));
  const sentAt = new Map<string, number>();
  const ack = new Map<string, number>();
  const final = new Map<string, number>();
  const limitedBefore = { ...h.fake.rateLimited };
  const logsBefore = h.logs.length;
  const skippedBefore: Record<string, number> = { ...h.bot.threads?.counts.skipped };
  const load = loadavg()[0] ?? 0;
  const cpuBefore = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let threadsOpened = 0;
  let done!: () => void;
  const allDone = new Promise<void>((resolve) => (done = resolve));
  const unsubscribe = h.fake.onCall((call) => {
    if (THREAD_ROUTE(call.method, call.path) && call.status === 201) threadsOpened += 1;
    const token = tokenOf(call);
    if (token === undefined || call.status >= 300) return;
    const started = sentAt.get(token);
    if (started === undefined) return;
    if (call.path.endsWith('/callback') && !ack.has(token)) ack.set(token, call.at - started);
    if (call.method === 'PATCH' && call.path.endsWith('/messages/@original') && !final.has(token)) {
      final.set(token, call.at - started);
      if (final.size === n) done();
    }
  });
  const t0 = performance.now();
  let i = 0;
  // Open loop: every wake-up sends all the interactions that are due, so timer drift does not lower the rate.
  while (i < n) {
    const due = Math.min(n, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
    for (; i < due; i += 1) {
      const sent = h.fake.slash('ask', [{ name: 'question', type: STRING, value: QUESTIONS[i % QUESTIONS.length]! }], {
        user: { id: snowflake(), username: `user${i}` },
      });
      sentAt.set(sent.token, sent.sentAt);
    }
    if (i < n) await sleep(Math.max(0, t0 + (i * 1000) / rate - performance.now()));
  }
  await Promise.race([allDone, sleep(30_000)]);
  const elapsed = (performance.now() - t0) / 1000;
  loop.disable();
  const cpu = process.cpuUsage(cpuBefore);
  unsubscribe();
  // Thread creation and feedback bookkeeping of the last answers (the thread count includes what lands in this wait).
  await sleep(1500);
  const acks = [...ack.values()];
  const finals = [...final.values()];
  return {
    rate,
    threads,
    thread429,
    sent: n,
    answered: final.size,
    lost: n - final.size,
    ackP50: round1(percentile(acks, 50)),
    ackP99: round1(percentile(acks, 99)),
    ackMax: round1(Math.max(...acks)),
    finalP50: round1(percentile(finals, 50)),
    finalP99: round1(percentile(finals, 99)),
    finalMax: round1(Math.max(...finals)),
    threadsOpened,
    threadsSkipped: Object.fromEntries(Object.entries(h.bot.threads?.counts.skipped ?? {}).map(([k, v]) => [k, v - (skippedBefore[k as keyof typeof skippedBefore] ?? 0)]).filter(([, v]) => Number(v) > 0)),
    thread429s: h.fake.rateLimited.route - limitedBefore.route,
    global429s: h.fake.rateLimited.global - limitedBefore.global,
    loopDelayP99: round1(loop.percentile(99) / 1e6),
    cpuPerAsk: round1((cpu.user + cpu.system) / 1000 / n),
    load: round1(load),
    warnings: h.logs.slice(logsBefore).filter((line) => line.includes('"level":40')).length,
    seconds: round1(elapsed),
  };
}

async function sequential(n: number, fakeServices: boolean): Promise<void> {
  // Cooldown off: the bench sends from one user as fast as the bot answers.
  const h = await startHarness({ cooldownSeconds: 0 });
  if (fakeServices) {
    // Isolates the adapter's own overhead from retrieval and answering.
    const fake = await FakeBotServices.create(h.config.corpusDir);
    h.services.overrides = { ask: (question) => fake.ask(question) };
  }
  try {
    const toDefer: number[] = [];
    const toEdit: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const sent = h.fake.slash('ask', [{ name: 'question', type: STRING, value: QUESTIONS[i % QUESTIONS.length]! }]);
      const defer = await h.fake.waitForCall((c) => c.path.includes(sent.token) && c.path.endsWith('/callback'));
      const edit = await h.fake.waitForCall((c) => c.path.includes(sent.token) && c.method === 'PATCH', 30_000);
      toDefer.push(defer.at - sent.sentAt);
      toEdit.push(edit.at - sent.sentAt);
    }
    console.log(`${n} × /ask (${fakeServices ? 'fake' : 'real'} services, sequential, loopback)`);
    console.log(`  INTERACTION_CREATE → defer callback: ${stats(toDefer)}`);
    console.log(`  INTERACTION_CREATE → final edit:     ${stats(toEdit)}`);
  } finally {
    await h.close();
  }
}

runMain(async () => {
  const { values } = parseCli({
    sequential: { type: 'boolean', default: false },
    n: { type: 'string', default: '50' },
    'fake-services': { type: 'boolean', default: false },
    rates: { type: 'string', default: '20,30,40' },
    seconds: { type: 'string', default: '15' },
    threads: { type: 'string', default: 'auto,off' },
    'thread-429': { type: 'string', default: '0.5' },
    json: { type: 'boolean', default: false },
  });
  if (values.sequential) return sequential(Math.max(1, Number(values.n)), values['fake-services']);

  const rates = values.rates.split(',').map(Number).filter((r) => r > 0);
  const modes = values.threads.split(',').filter((m): m is 'auto' | 'off' => m === 'auto' || m === 'off');
  const seconds = Math.max(1, Number(values.seconds));
  const thread429 = Math.min(1, Math.max(0, Number(values['thread-429'])));
  const rows: Row[] = [];
  for (const rate of rates) {
    for (const mode of modes) rows.push(await freshRun(rate, seconds, mode, 0));
    if (thread429 > 0 && modes.includes('auto')) rows.push(await freshRun(rate, seconds, 'auto', thread429));
  }
  if (values.json) {
    console.log(JSON.stringify({ seconds, rows }));
    return;
  }
  console.log(`/ask at a fixed rate from distinct users for ${seconds} s each (real services, offline answerer, seed corpus, loopback fake Discord, one process)`);
  console.log('rate/s  threads           sent  lost  ack p50/p99/max ms      final p50/p99/max ms    threads opened  429 thread/global  warnings  loop p99 ms  cpu/ask ms  load  threads skipped');
  for (const r of rows) {
    const mode = r.threads === 'auto' ? (r.thread429 > 0 ? `auto, ${Math.round(r.thread429 * 100)} % 429` : 'auto') : 'off';
    console.log(
      `${String(r.rate).padEnd(8)}${mode.padEnd(18)}${String(r.sent).padEnd(6)}${String(r.lost).padEnd(6)}` +
        `${`${r.ackP50} / ${r.ackP99} / ${r.ackMax}`.padEnd(24)}${`${r.finalP50} / ${r.finalP99} / ${r.finalMax}`.padEnd(24)}` +
        `${String(r.threadsOpened).padEnd(16)}${`${r.thread429s} / ${r.global429s}`.padEnd(19)}${String(r.warnings).padEnd(10)}${String(r.loopDelayP99).padEnd(13)}${String(r.cpuPerAsk).padEnd(12)}${String(r.load).padEnd(6)}${Object.entries(r.threadsSkipped).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    );
  }
});
