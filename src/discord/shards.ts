// The shard launcher behind `npm run start:sharded` (src/cli/start-sharded.ts): discord.js's ShardingManager runs
// one child process per gateway shard, each running an entry point (the ordinary `npm start` path) and sharing
// whatever store the configuration selects.
import { ChildProcess } from 'node:child_process';
import { APIVersion, Routes, ShardingManager, type RESTGetAPIGatewayBotResult, type Shard } from 'discord.js';
import { requireDiscordToken, type Config } from '../config.js';
import type { AppLogger } from '../logging.js';
import { describeError } from './router.js';

export interface ShardLauncherOptions {
  /** The launcher's configuration: token and API base; its corpus and index directories are passed to every shard. */
  config: Config;
  logger: AppLogger;
  /** The script each shard process runs (tests pass a bundled copy of src/cli/start.ts). */
  entry: string;
  /** Node flags for the shard processes. Default: `--import tsx` for a TypeScript entry, none for JavaScript. */
  execArgv?: readonly string[];
  /** A fixed count, or 'auto' (default) for Discord's recommendation. */
  totalShards?: number | 'auto';
  /** Extra environment for the shard processes, on top of the launcher's own. */
  env?: Readonly<Record<string, string>>;
  /** Pause between starting shards; Discord allows one IDENTIFY per 5 s (max_concurrency 1). Default 5500 ms. */
  spawnDelayMs?: number;
  /** How long a shard may take to load its store and connect. Default 60 s. */
  readyTimeoutMs?: number;
  /** How long stop() lets a shard finish its replies after SIGTERM before SIGKILL. Default 10 s. */
  stopGraceMs?: number;
  /** Pipe the shards' stdout/stderr (read them from each shard's process) instead of sharing the launcher's. */
  silent?: boolean;
}

export interface ShardLauncher {
  manager: ShardingManager;
  totalShards: number;
  /** Starts every shard and resolves once all are ready; rejects if one dies or times out (then call stop()). */
  spawn(): Promise<void>;
  /** Turns respawning off, sends SIGTERM to every shard process and resolves once all of them have exited. */
  stop(): Promise<void>;
}

/**
 * Discord's recommended shard count. discord.js's own lookup (`fetchRecommendedShardCount`, used by
 * `ShardingManager` for 'auto') always asks discord.com, so the launcher asks the configured API base itself
 * and hands the manager an explicit count.
 */
export async function recommendedShardCount(config: Config, timeoutMs = 15_000): Promise<number> {
  const token = requireDiscordToken(config);
  const url = `${config.discord.apiBase}/v${APIVersion}${Routes.gatewayBot()}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bot ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not ask ${url} for the recommended shard count (${reason}); pass --shards N to skip the lookup.`, { cause: error });
  }
  if (response.status === 401) throw new Error('Discord rejected DISCORD_TOKEN (401 from GET /gateway/bot).');
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}; pass --shards N to skip the lookup.`);
  const body = (await response.json()) as RESTGetAPIGatewayBotResult;
  return Math.max(1, Math.floor(body.shards));
}

/** `--import <tsx loader>` for TypeScript entries: resolved here, so the shards do not depend on their cwd. */
function defaultExecArgv(entry: string): string[] {
  return /\.[cm]?ts$/.test(entry) ? ['--import', import.meta.resolve('tsx')] : [];
}

export async function createShardLauncher(options: ShardLauncherOptions): Promise<ShardLauncher> {
  const { config, logger } = options;
  const token = requireDiscordToken(config);
  const requested = options.totalShards ?? 'auto';
  const totalShards = requested === 'auto' ? await recommendedShardCount(config) : requested;
  logger.info({ totalShards, source: requested === 'auto' ? 'discord' : 'flag', entry: options.entry }, 'starting shards');

  // The manager passes the token to each shard in DISCORD_TOKEN and its place in SHARDS / SHARD_COUNT, which the
  // shard's Client reads when it is constructed: startBot needs no sharding options.
  const manager = new ShardingManager(options.entry, {
    token,
    totalShards,
    mode: 'process',
    respawn: true,
    silent: options.silent ?? false,
    execArgv: [...(options.execArgv ?? defaultExecArgv(options.entry))],
    // --corpus/--index given to the launcher must reach every shard too.
    shardArgs: ['--corpus', config.corpusDir, '--index', config.indexDir],
  });

  let stopping = false;
  const live = new Set<ChildProcess>();

  manager.on('shardCreate', (shard: Shard) => {
    if (options.env) {
      // Shard.env is a copy of process.env made at creation; the manager's own variables keep precedence.
      const base = shard.env as Record<string, unknown>;
      shard.env = { ...base, ...options.env, SHARDING_MANAGER: base.SHARDING_MANAGER, SHARDS: base.SHARDS, SHARD_COUNT: base.SHARD_COUNT, DISCORD_TOKEN: base.DISCORD_TOKEN };
    }
    const shardId = shard.id;
    shard.on('spawn', (child) => {
      if (!(child instanceof ChildProcess)) return;
      live.add(child);
      child.once('exit', () => live.delete(child));
      logger.info({ shardId, pid: child.pid }, 'shard process spawned');
      // A shard (re)spawned while stopping must not outlive the launcher.
      if (stopping) child.kill('SIGTERM');
    });
    shard.on('ready', () => logger.info({ shardId }, 'shard ready'));
    shard.on('disconnect', () => {
      if (stopping) logger.info({ shardId }, 'shard disconnected from the gateway');
      else logger.warn({ shardId }, 'shard disconnected from the gateway');
    });
    shard.on('reconnecting', () => logger.info({ shardId }, 'shard reconnecting'));
    shard.on('resume', () => logger.info({ shardId }, 'shard resumed its gateway session'));
    shard.on('death', (child) => {
      const exit = child instanceof ChildProcess ? { pid: child.pid, exitCode: child.exitCode, signal: child.signalCode } : {};
      if (stopping) logger.info({ shardId, ...exit }, 'shard process stopped');
      else logger.warn({ shardId, ...exit }, 'shard process died; respawning');
    });
    // Without a listener an 'error' (e.g. a failed respawn) would throw from the EventEmitter and end the launcher.
    shard.on('error', (error) => {
      // While stopping, a respawn cut short by stop() reports "died before ready": expected, not an error.
      if (stopping) logger.debug({ shardId, err: describeError(error) }, 'shard error while stopping');
      else logger.error({ shardId, err: describeError(error) }, 'shard error');
    });
  });

  let stopped: Promise<void> | undefined;
  const graceMs = options.stopGraceMs ?? 10_000;

  return {
    manager,
    totalShards,
    async spawn() {
      await manager.spawn({ amount: totalShards, delay: options.spawnDelayMs ?? 5500, timeout: options.readyTimeoutMs ?? 60_000 });
      logger.info({ totalShards }, 'all shards ready');
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        // Read by each Shard when its process exits: no respawn from here on.
        manager.respawn = false;
        // SIGTERM runs the shard's own graceful stop (finish replies, disconnect, close the store). Killing the
        // process directly, rather than Shard.kill(), lets the Shard see the real exit (and log its code).
        while (live.size > 0) {
          await Promise.all([...live].map((child) => terminate(child, graceMs)));
        }
        logger.info('all shards stopped');
      })();
      return stopped;
    },
  };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
