// npm run start:sharded -- [--shards N|auto] [--corpus DIR] [--index DIR]
// The bot under discord.js's ShardingManager (src/discord/shards.ts): one process per gateway shard, each running
// the ordinary `npm start` path (src/cli/start.ts) as the shard it is given.
import { fileURLToPath } from 'node:url';
import { requireDiscordToken } from '../config.js';
import { createShardLauncher, type ShardLauncher } from '../discord/shards.js';
import { describeError } from '../discord/router.js';
import { loggerFor } from '../logging.js';
import { cliConfig, COMMON_OPTIONS, fail, parseCli, runMain } from './common.js';

const USAGE = `Usage: npm run start:sharded -- [--shards N|auto] [--corpus DIR] [--index DIR]
Starts one bot process per gateway shard (discord.js ShardingManager). --shards defaults to "auto": the count
Discord recommends for the bot (GET /gateway/bot on DISCORD_API_BASE). Needs DISCORD_TOKEN.`;

/** What every shard process runs: the ordinary start path, which connects as the shard it is given (compiled
 * start.js beside this file under dist/, start.ts under tsx). */
const SHARD_ENTRY = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './start.ts' : './start.js', import.meta.url));

function parseShardCount(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < 1) fail(`--shards must be a whole number ≥ 1 or "auto", got "${value}"`, 2);
  return count;
}

runMain(async () => {
  const { values } = parseCli({ ...COMMON_OPTIONS, shards: { type: 'string', default: 'auto' } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const totalShards = parseShardCount(values.shards);
  const config = cliConfig(values);
  requireDiscordToken(config);
  const logger = loggerFor(config);
  let launcher: ShardLauncher;
  try {
    launcher = await createShardLauncher({ config, logger, entry: SHARD_ENTRY, totalShards });
  } catch (error) {
    // Nothing runs yet: one clear line (runMain would print a stack for a network error).
    fail(error instanceof Error ? error.message : String(error));
  }

  let exiting = false;
  const shutdown = (signal: string, code: number) => {
    if (exiting) return;
    exiting = true;
    logger.info({ signal }, 'shutting down the shards');
    void launcher.stop().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  try {
    await launcher.spawn();
  } catch (error) {
    // A shard that cannot start (bad token, unreadable store…) would only crash-loop: stop them all.
    if (exiting) return;
    logger.error({ err: describeError(error) }, 'a shard failed to start; stopping');
    shutdown('startup failure', 1);
  }
});
