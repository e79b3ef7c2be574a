// Composition root of the Discord front end: client, router, stores, optional corpus watcher, graceful stop.
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, MessageFlags, RESTEvents } from 'discord.js';
import type { BotServices } from '../commands/types.js';
import { requireDiscordToken, type Config } from '../config.js';
import type { Timeline } from '../core/types.js';
import type { AppLogger } from '../logging.js';
import { commands, messageCommands } from './commands/index.js';
import { Cooldowns } from './cooldown.js';
import { FeedbackLog } from './feedback.js';
import { GuildScope } from './guild-scope.js';
import { STOPPING_MESSAGE } from './messages.js';
import { recentStore } from './recent-store.js';
import { NO_MENTIONS } from './render/limits.js';
import { eventLoopGauge } from './load.js';
import { RateLimitLog } from './rate-limit-log.js';
import { BotREST } from './rest.js';
import { createRouter, describeError, scrubTokens } from './router.js';
import { ThreadOpener } from './thread-opener.js';
import type { CommandContext, StoredAnswer } from './types.js';
import { watchCorpus, type CorpusWatcher } from './watch.js';
import { ConversationStore } from '../commands/conversation-store.js';
import { handleMessage } from './follow-ups.js';

export { commands, commandDefinitions } from './commands/index.js';

export interface StartBotOptions {
  config: Config;
  services: BotServices;
  logger: AppLogger;
  /** How long stop() waits for running handlers before disconnecting (default 5 s). */
  stopGraceMs?: number;
  /** How long to wait for READY (default 30 s). */
  readyTimeoutMs?: number;
  /**
   * Whether the process is short of CPU, so threads from answers are skipped (default: the event-loop delay gauge).
   * Tests pass their own: on a shared test machine the delay depends on other processes, and a test must not.
   */
  busy?: () => boolean;
}

export interface RunningBot {
  client: Client;
  /** The application id: configured, or the one Discord sent in READY. */
  applicationId: string;
  /** Threads from answers: counts (opened, skipped by reason, 429s) and idle(), for metrics and tests. */
  threads: ThreadOpener;
  stop(): Promise<void>;
}

const RECENT = { maxEntries: 500, ttlMs: 6 * 60 * 60 * 1000 };

export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config, services, logger } = options;
  const token = requireDiscordToken(config);

  // Guild messages carry mentions and replies; their text needs the privileged Message Content intent, which is
  // asked for only when switched on (Discord refuses the login otherwise).
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, ...(config.discord.messageContent ? [GatewayIntentBits.MessageContent] : [])];
  // Warn every this many invalid (401/403/429) requests; Discord bans the IP for a while at 10,000 in 10 minutes.
  const restOptions = { api: config.discord.apiBase, invalidRequestWarningInterval: 500 };
  const client = new Client({ intents, rest: restOptions });
  // Interaction webhooks (the answer's edit) on their own manager, thread creation skipped on a rate limit: see rest.ts.
  client.rest.clearHashSweeper();
  client.rest.clearHandlerSweeper();
  const rest = new BotREST({ ...client.options.rest, ...restOptions });
  client.rest = rest;
  const conversations = new ConversationStore();
  const load = options.busy ? { busy: options.busy, close: () => undefined } : eventLoopGauge();
  const threads = new ThreadOpener({ logger, conversations, budgetLeft: () => rest.globalBudgetLeft(), busy: () => load.busy() });
  const context: CommandContext = {
    services,
    config,
    logger,
    answers: recentStore<StoredAnswer>(RECENT),
    timelines: recentStore<Timeline>(RECENT),
    cooldowns: new Cooldowns(config.discord.cooldownSeconds),
    feedback: new FeedbackLog(config.discord.feedbackFile),
    conversations,
    threads,
  };
  const router = createRouter(commands, context, messageCommands);
  const scope = new GuildScope(config.discord.guildIds, logger);
  const inFlight = new Set<Promise<void>>();
  let stopping = false;

  client.on(Events.InteractionCreate, (interaction) => {
    if (stopping) {
      if (interaction.isRepliable()) {
        interaction
          .reply({ content: STOPPING_MESSAGE, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS })
          .catch((error: unknown) => logger.debug({ err: describeError(error) }, 'could not send the restarting notice'));
      }
      return;
    }
    if (!scope.serves(interaction.guildId)) {
      scope.refuse(interaction).catch((error: unknown) => logger.debug({ err: describeError(error) }, 'could not send the not-served notice'));
      return;
    }
    const task = router.handle(interaction).finally(() => inFlight.delete(task));
    inFlight.add(task);
  });
  client.on(Events.MessageCreate, (message) => {
    if (stopping || !scope.serves(message.guildId)) return;
    const task = handleMessage(message, context)
      .catch((error: unknown) => logger.error({ err: describeError(error) }, 'message handling failed'))
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  });
  client.on(Events.Error, (error) => logger.error({ err: describeError(error) }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shardId) => logger.warn({ shardId, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardReconnecting, (shardId) => logger.info({ shardId }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shardId, replayed) => logger.info({ shardId, replayed }, 'gateway session resumed'));
  // A 429 from Discord is retried by discord.js after Retry-After (thread creation is skipped instead); the Response
  // event is the only place it shows. Logged once per episode, not per request.
  const rateLimits = new RateLimitLog(logger);
  rest.on(RESTEvents.Response, (request, response) => {
    if (response.status !== 429) return;
    const retryAfter = response.headers.get('retry-after');
    rateLimits.rateLimited({
      method: request.method,
      route: request.route,
      global: response.headers.get('x-ratelimit-global') !== null,
      retryAfterMs: retryAfter === null ? null : Number(retryAfter) * 1000,
    });
  });
  // Waiting for a bucket known to be spent is ordinary queueing (no request is made): debug only.
  rest.on(RESTEvents.RateLimited, (info) =>
    logger.debug({ route: scrubTokens(info.route), method: info.method, waitMs: info.timeToReset, global: info.global }, 'waiting for a Discord rate-limit bucket'),
  );
  rest.on(RESTEvents.InvalidRequestWarning, (info) =>
    logger.warn({ count: info.count, remainingMs: info.remainingTime }, 'invalid requests to Discord (401/403/429) in the current 10 minutes; Discord bans at 10,000'),
  );

  // Listen before logging in: READY can arrive before login() resolves.
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(options.readyTimeoutMs ?? 30_000) });
  try {
    await client.login(token);
    await ready;
  } catch (error) {
    load.close();
    await client.destroy();
    throw new Error(`Could not connect to Discord: ${describeError(error).message as string}`, { cause: error });
  }

  const applicationId = config.discord.clientId ?? client.application?.id;
  if (!applicationId) {
    load.close();
    await client.destroy();
    throw new Error('Discord did not send an application id; set DISCORD_CLIENT_ID.');
  }
  logger.info(
    { user: client.user?.tag, applicationId, guilds: client.guilds.cache.size, commands: commands.map((c) => c.data.name) },
    'discord bot ready',
  );
  scope.noteGuilds(client.guilds.cache.keys());
  client.on(Events.GuildCreate, (guild) => scope.noteGuilds([guild.id]));
  logger.info(
    {
      threads: config.discord.askThreads,
      mentions: true,
      askInThreads: true,
      repliesAndThreadMessages: config.discord.messageContent,
      messageContentIntent: config.discord.messageContent,
    },
    config.discord.messageContent
      ? 'follow-ups: replies, thread messages, /ask in threads and mentions'
      : 'follow-ups: /ask in threads and mentions (set DISCORD_MESSAGE_CONTENT=true for replies and thread messages)',
  );

  let watcher: CorpusWatcher | undefined;
  if (config.discord.watchCorpus) watcher = watchCorpus({ dir: config.corpusDir, services, logger });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      stopping = true;
      await watcher?.close();
      const pending = inFlight.size;
      if (pending > 0) {
        logger.info({ pending }, 'waiting for running interactions');
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), options.stopGraceMs ?? 5000);
        });
        const result = await Promise.race([Promise.allSettled([...inFlight]).then(() => 'done' as const), grace]);
        clearTimeout(timer);
        if (result === 'timeout') logger.warn({ pending: inFlight.size }, 'stopping with interactions still running');
      }
      // Threads still queued are opened or skipped quickly (skipped once the client is gone).
      await Promise.race([threads.idle(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      await client.destroy();
      rateLimits.close();
      load.close();
      logger.info('discord bot stopped');
    })();
    return stopped;
  };

  return { client, applicationId, threads, stop };
}
