// The local terminal session: the bot's commands without Discord. Reads one command per line, so it works
// interactively and with piped input (it exits at the end of input).
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { formatAnswer, formatHelp, formatReindexSummary, formatSources, formatTimeline } from '../commands/format.js';
import type { BotServices } from '../commands/types.js';
import { isCoreError } from '../core/errors.js';
import type { Logger } from '../core/types.js';

export interface SessionOptions {
  input: Readable;
  output: Writable;
  logger: Logger;
  /** Show a prompt and a greeting (a person at a terminal rather than a pipe). */
  interactive: boolean;
}

export async function runSession(services: BotServices, options: SessionOptions): Promise<void> {
  const { input, output, interactive } = options;
  const write = (text: string) => output.write(`${text}\n`);
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  if (interactive) {
    write('Ask a question, or type /help. /quit to leave.');
    rl.setPrompt('> ');
    rl.prompt();
  }
  for await (const line of rl) {
    const keepGoing = await handleLine(services, line, write, options.logger);
    if (!keepGoing) break;
    if (interactive) rl.prompt();
  }
  rl.close();
}

/** Executes one command line; returns false when the session should end. */
export async function handleLine(services: BotServices, line: string, write: (text: string) => void, logger: Logger): Promise<boolean> {
  const trimmed = line.trim();
  if (!trimmed) return true;
  const match = /^\/(\w+)\s*(.*)$/s.exec(trimmed);
  const command = match ? (match[1] ?? '').toLowerCase() : 'ask';
  const rest = match ? (match[2] ?? '').trim() : trimmed;
  try {
    switch (command) {
      case 'ask':
        if (!rest) write('Usage: /ask <question>');
        else write(formatAnswer(await services.ask(rest)));
        break;
      case 'timeline': {
        const words = rest.split(/\s+/).filter(Boolean);
        const any = words.includes('--any');
        write(formatTimeline(await services.timeline(words.filter((w) => w !== '--any'), { any })));
        break;
      }
      case 'sources':
        write(formatSources(await services.sources(rest || undefined)));
        break;
      case 'reindex':
        write('Re-indexing…');
        write(formatReindexSummary(await services.reindex()));
        break;
      case 'help':
        write(formatHelp(await services.help()));
        break;
      case 'quit':
      case 'exit':
        return false;
      default:
        write(`Unknown command /${command}. Type /help for the list.`);
    }
  } catch (error) {
    if (isCoreError(error)) write(error.message);
    else {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'command failed');
      write('Something went wrong with that command; details are in the log.');
    }
  }
  return true;
}
