// npm start: the Discord bot when DISCORD_TOKEN is set, otherwise the local terminal session
// (`npm start -- --json`: JSON lines, one question per stdin line, one object per answer).
import { createServices } from '../app/services.js';
import { loggerFor } from '../logging.js';
import { cliConfig, cliLogger, COMMON_OPTIONS, parseCli, runMain } from './common.js';
import { runSession } from './session.js';

runMain(async () => {
  const { values } = parseCli(COMMON_OPTIONS);
  const config = cliConfig(values);
  if (config.discord.token) {
    const logger = loggerFor(config);
    const services = await createServices({ config, logger, warmEntities: true });
    const { startBot } = await import('../discord/bot.js');
    const bot = await startBot({ config, services, logger });
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      void bot
        .stop()
        .then(() => services.close())
        .finally(() => process.exit(0));
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    return;
  }
  const logger = cliLogger(config);
  const json = values.json;
  const interactive = Boolean(process.stdin.isTTY) && !json;
  if (interactive) process.stdout.write('No DISCORD_TOKEN set: starting the local terminal session. Loading the index…\n');
  const services = await createServices({ config, logger });
  await runSession(services, { input: process.stdin, output: process.stdout, logger, interactive, json });
  await services.close();
});
