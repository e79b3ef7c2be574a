// Shared plumbing of the npm-script entry points: flags, configuration, logging and fatal-error reporting.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { isCoreError } from '../core/errors.js';
import { createLogger, maskSecrets, type AppLogger } from '../logging.js';
import { secretsOf } from '../config.js';

export const COMMON_OPTIONS = {
  corpus: { type: 'string' },
  index: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(options: T, argv = process.argv.slice(2)) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    fail(`${(error as Error).message}. Run with --help for usage.`, 2);
  }
}

/** Secrets of the loaded configuration, masked in any fatal error message `runMain` prints. */
let knownSecrets: readonly string[] = [];

export function cliConfig(flags: { corpus?: string | undefined; index?: string | undefined }): Config {
  try {
    const config = loadConfig({ corpusDir: flags.corpus, indexDir: flags.index });
    knownSecrets = secretsOf(config);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
}

/** Terminal users see results on stdout; the log (stderr) only speaks up for problems unless asked. */
export function cliLogger(config: Config): AppLogger {
  const level = config.logLevel === 'info' ? 'warn' : config.logLevel;
  return createLogger({ level, secrets: secretsOf(config) });
}

export function fail(message: string, code = 1): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

/** Runs an entry point, turning known errors into one clear line instead of a stack trace. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ConfigError || isCoreError(error)) fail(maskSecrets(message, knownSecrets));
    process.stderr.write(`${maskSecrets(error instanceof Error ? (error.stack ?? message) : message, knownSecrets)}\n`);
    process.exit(1);
  });
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
