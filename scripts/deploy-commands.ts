// npm run deploy-commands [-- --guild ID]: guild-scoped (instant, for development) or global (for release).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, secretsOf } from '../src/config.js';
import { deployCommands, DeployConfigError } from '../src/discord/deploy.js';
import { maskSecrets } from '../src/logging.js';

async function main(): Promise<number> {
  let guild: string | undefined;
  try {
    ({ values: { guild } } = parseArgs({ options: { guild: { type: 'string' } }, strict: true }));
  } catch (error) {
    console.error(`${(error as Error).message}\nUsage: npm run deploy-commands [-- --guild <guild id>]`);
    return 2;
  }
  let secrets: string[] = [];
  try {
    const config = loadConfig();
    secrets = secretsOf(config);
    const result = await deployCommands(config, { guildId: guild });
    const where = result.scope === 'guild' ? `in guild ${result.guildId}` : 'globally (may take up to an hour to show everywhere)';
    console.log(`Registered ${result.names.length} commands ${where}: ${result.names.map((n) => `/${n}`).join(', ')}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DeployConfigError) {
      console.error(error.message);
      return 1;
    }
    // REST errors can echo request details: mask the token before printing.
    console.error(maskSecrets(`Registering commands failed: ${(error as Error).message ?? String(error)}`, secrets));
    return 1;
  }
}

process.exitCode = await main();
