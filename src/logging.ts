// Structured logs (pino) to stderr, so stdout stays clean for --json output. Secrets are masked in every line.
import { pino, type Logger as PinoLogger } from 'pino';
import type { Config } from './config.js';
import { secretsOf } from './config.js';

export type AppLogger = PinoLogger;

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of secrets) masked = masked.split(secret).join('[redacted]');
  return masked;
}

/** A pino logger writing JSON lines to `destination` (stderr by default) with secrets replaced by `[redacted]`. */
export function createLogger(
  options: { level: Config['logLevel']; secrets?: readonly string[] },
  destination: { write(chunk: string): unknown } = process.stderr,
): AppLogger {
  const secrets = options.secrets ?? [];
  const stream = {
    write(line: string) {
      destination.write(secrets.length > 0 ? maskSecrets(line, secrets) : line);
    },
  };
  return pino({ level: options.level, base: undefined, redact: ['token', 'apiKey', 'authorization', '*.token', '*.apiKey'] }, stream);
}

export function loggerFor(config: Config, destination?: { write(chunk: string): unknown }): AppLogger {
  return createLogger({ level: config.logLevel, secrets: secretsOf(config) }, destination);
}
