// The local terminal session: the bot's commands without Discord. Reads one command per line, so it works
// interactively and with piped input (it exits at the end of input). Questions form one conversation, as in a
// Discord thread: a follow-up is read with the turns before it; /new starts a fresh conversation.
// With `json`, every question prints one JSON object (the `ask --json` object plus `standalone`) and /new prints
// {"reset":true}: a line-oriented protocol for scripts and checks.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { answerJson, formatAnswer, formatHelp, formatReindexSummary, formatSources, formatTimeline, readAsLine } from '../commands/format.js';
import type { BotServices } from '../commands/types.js';
import { appendTurn, type ConversationTurn } from '../core/conversation/history.js';
import { isCoreError } from '../core/errors.js';
import type { Logger } from '../core/types.js';

export interface SessionOptions {
  input: Readable;
  output: Writable;
  logger: Logger;
  /** Show a prompt and a greeting (a person at a terminal rather than a pipe). */
  interactive: boolean;
  /** JSON lines: one object per question, for scripts. */
  json?: boolean;
}

/** The conversation a session carries between lines. */
export interface SessionState {
  history: ConversationTurn[];
  json: boolean;
}

export async function runSession(services: BotServices, options: SessionOptions): Promise<void> {
  const { input, output } = options;
  const json = options.json ?? false;
  const interactive = options.interactive && !json;
  const write = (text: string) => output.write(`${text}\n`);
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  if (interactive) {
    write('Ask a question, or type /help. Follow-ups continue the conversation; /new starts a fresh one. /quit to leave.');
    rl.setPrompt('> ');
    rl.prompt();
  }
  const state: SessionState = { history: [], json };
  for await (const line of rl) {
    const keepGoing = await handleLine(services, line, write, options.logger, state);
    if (!keepGoing) break;
    if (interactive) rl.prompt();
  }
  rl.close();
}

/** Executes one command line; returns false when the session should end. */
export async function handleLine(services: BotServices, line: string, write: (text: string) => void, logger: Logger, state: SessionState = { history: [], json: false }): Promise<boolean> {
  const trimmed = line.trim();
  if (!trimmed) return true;
  const match = /^\/(\w+)\s*(.*)$/s.exec(trimmed);
  const command = match ? (match[1] ?? '').toLowerCase() : 'ask';
  const rest = match ? (match[2] ?? '').trim() : trimmed;
  const say = (text: string) => (state.json ? write(JSON.stringify({ message: text })) : write(text));
  try {
    switch (command) {
      case 'ask': {
        if (!rest) {
          say('Usage: /ask <question>');
          break;
        }
        const result = await services.converse(rest, state.history);
        state.history = appendTurn(state.history, result.turn);
        if (state.json) write(JSON.stringify({ ...answerJson(result.answer), question: rest, standalone: result.standalone }));
        else write(result.rewritten ? `${formatAnswer(result.answer)}\n${readAsLine(result.standalone)}` : formatAnswer(result.answer));
        break;
      }
      case 'new':
        state.history = [];
        if (state.json) write(JSON.stringify({ reset: true }));
        else write('New conversation: the next question starts fresh.');
        break;
      case 'timeline': {
        const words = rest.split(/\s+/).filter(Boolean);
        const any = words.includes('--any');
        const timeline = await services.timeline(words.filter((w) => w !== '--any'), { any });
        write(state.json ? JSON.stringify({ timeline }) : formatTimeline(timeline));
        break;
      }
      case 'sources': {
        const sources = await services.sources(rest || undefined);
        write(state.json ? JSON.stringify({ sources }) : formatSources(sources));
        break;
      }
      case 'reindex':
        if (!state.json) write('Re-indexing…');
        {
          const summary = await services.reindex();
          write(state.json ? JSON.stringify({ reindex: summary }) : formatReindexSummary(summary));
        }
        break;
      case 'help': {
        const help = await services.help();
        write(state.json ? JSON.stringify({ help }) : formatHelp(help));
        break;
      }
      case 'quit':
      case 'exit':
        return false;
      default:
        say(`Unknown command /${command}. Type /help for the list.`);
    }
  } catch (error) {
    const message = isCoreError(error) ? error.message : 'Something went wrong with that command; details are in the log.';
    if (!isCoreError(error)) logger.error({ err: error instanceof Error ? error.message : String(error) }, 'command failed');
    if (state.json) write(JSON.stringify({ error: message }));
    else write(message);
  }
  return true;
}
