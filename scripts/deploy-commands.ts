// npm run deploy-commands [-- --guild ID]: guild-scoped (instant, for development) or global (for release).
import { cliConfig, fail, parseCli, runMain } from '../src/cli/common.js';
import { DeployConfigError, deployCommands } from '../src/discord/deploy.js';
import { maskSecrets } from '../src/logging.js';
import { secretsOf } from '../src/config.js';

runMain(async () => {
  const { values } = parseCli({ guild: { type: 'string' } });
  const config = cliConfig({});
  try {
    const result = await deployCommands(config, { guildId: values.guild });
    const where = result.scope === 'guild' ? `in guild ${result.guildId}` : 'globally (may take up to an hour to show everywhere)';
    process.stdout.write(`Registered ${result.names.length} commands ${where}: ${result.names.map((n) => (/^[\p{Ll}\p{N}_-]+$/u.test(n) ? `/${n}` : `“${n}”`)).join(', ')}\n`);
  } catch (error) {
    if (error instanceof DeployConfigError) fail(error.message);
    // REST errors can echo request details: mask the token before printing.
    fail(maskSecrets(`Registering commands failed: ${(error as Error).message ?? String(error)}`, secretsOf(config)));
  }
});
