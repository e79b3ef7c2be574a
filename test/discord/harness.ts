// Starts the real bot (startBot) against the fake Discord, with services over a temporary copy of the corpus.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices } from '../../src/app/services.js';
import type { BotServices } from '../../src/commands/types.js';
import { turnFromAnswer } from '../../src/core/conversation/history.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Answer } from '../../src/core/types.js';
import { startBot, type RunningBot } from '../../src/discord/bot.js';
import { createLogger, type AppLogger } from '../../src/logging.js';
import { FakeDiscord } from '../fakes/discord-server.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The services behind the bot in adapter tests: the real ones (index built from the temporary corpus copy).
 * The one place to switch: `FakeBotServices.create(options.config.corpusDir)` runs the same tests on a stand-in.
 */
export async function createTestServices(options: { config: Config; logger: AppLogger }): Promise<BotServices & { close(): Promise<void> }> {
  return createServices(options);
}

/** Delegates to the real services unless a test overrides a method; remembers the last answer given. */
export class SwitchableServices implements BotServices {
  overrides: Partial<BotServices> = {};
  lastAnswer: Answer | undefined;
  readonly calls = { ask: 0, timeline: 0, reindex: 0 };

  constructor(readonly base: BotServices) {}

  async ask(...args: Parameters<BotServices['ask']>) {
    this.calls.ask += 1;
    this.lastAnswer = await (this.overrides.ask ?? this.base.ask.bind(this.base))(...args);
    return this.lastAnswer;
  }
  async converse(...args: Parameters<BotServices['converse']>) {
    if (this.overrides.ask && !this.overrides.converse) {
      // A test that overrides ask() means every question, follow-ups included: read them as typed.
      const [question, , options] = args;
      const answer = await this.ask(question, options);
      return { answer, standalone: question, rewritten: false, turn: turnFromAnswer(question, question, answer) };
    }
    this.calls.ask += 1;
    const result = await (this.overrides.converse ?? this.base.converse.bind(this.base))(...args);
    this.lastAnswer = result.answer;
    return result;
  }
  timeline(...args: Parameters<BotServices['timeline']>) {
    this.calls.timeline += 1;
    return (this.overrides.timeline ?? this.base.timeline.bind(this.base))(...args);
  }
  sources(...args: Parameters<BotServices['sources']>) {
    return (this.overrides.sources ?? this.base.sources.bind(this.base))(...args);
  }
  reindex(...args: Parameters<BotServices['reindex']>) {
    this.calls.reindex += 1;
    return (this.overrides.reindex ?? this.base.reindex.bind(this.base))(...args);
  }
  help() {
    return (this.overrides.help ?? this.base.help.bind(this.base))();
  }
  entities() {
    return (this.overrides.entities ?? this.base.entities.bind(this.base))();
  }
  get uploads() {
    return this.overrides.uploads ?? this.base.uploads;
  }
}

export interface Harness {
  fake: FakeDiscord;
  bot: RunningBot;
  services: SwitchableServices;
  config: Config;
  /** Every log line the bot wrote (JSON), unmasked: tests check no token ever got here. */
  logs: string[];
  dir: string;
  /** Stops the bot and starts a new one on the same services and fake (memory lost, as after a restart). */
  restart(discord?: Partial<Config['discord']>): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    cooldownSeconds?: number;
    heartbeatIntervalMs?: number;
    env?: Record<string, string>;
    logLevel?: Config['logLevel'];
    /** Let the bot skip threads when the event loop lags, as in production (benches); tests never do (deterministic). */
    loadShedding?: boolean;
  } = {},
): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'discord-e2e-'));
  const corpusDir = join(dir, 'corpus');
  await cp(join(REPO_ROOT, 'corpus'), corpusDir, { recursive: true });
  const fake = await FakeDiscord.start({ heartbeatIntervalMs: options.heartbeatIntervalMs ?? 2000 });
  const env = {
    DISCORD_TOKEN: `test-bot-token.${Math.random().toString(36).slice(2)}`,
    DISCORD_API_BASE: fake.apiBase,
    COOLDOWN_SECONDS: String(options.cooldownSeconds ?? 30),
    FEEDBACK_FILE: join(dir, 'feedback.jsonl'),
    ENTITIES_FILE: join(REPO_ROOT, 'data', 'entities.json'),
    LOG_LEVEL: 'debug',
    ...options.env,
  };
  const config = loadConfig({ corpusDir, indexDir: join(dir, 'index') }, env, { dotenvPath: false });
  const logs: string[] = [];
  // No secret masking here on purpose: the bot itself must not log tokens.
  // Debug by default (tests read the details); a bench under load asks for the production level.
  const logger = createLogger({ level: options.logLevel ?? 'debug' }, { write: (line: string) => logs.push(line) });
  const base = await createTestServices({ config, logger });
  const services = new SwitchableServices(base);
  const busy = options.loadShedding ? {} : { busy: () => false };
  const bot = await startBot({ config, services, logger, stopGraceMs: 3000, ...busy });
  const harness: Harness = {
    fake,
    bot,
    services,
    config,
    logs,
    dir,
    async restart(discord = {}) {
      await harness.bot.stop();
      harness.config = { ...harness.config, discord: { ...harness.config.discord, ...discord } };
      harness.bot = await startBot({ config: harness.config, services, logger, stopGraceMs: 3000, ...busy });
    },
    async close() {
      await harness.bot.stop();
      await base.close();
      await fake.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
