// Follow-ups in Discord: which conversation a question continues (a thread the bot opened, a reply to one of its
// answers), its history (kept in memory, bounded; after a restart rebuilt from the bot's own answer messages), and
// opening a thread from an answer. Everything that is not the bot's to answer is ignored here.
import { ChannelType, RateLimitError, ThreadAutoArchiveDuration, type Channel, type Message, type ThreadChannel } from 'discord.js';
import type { ConversationStore } from '../commands/conversation-store.js';
import { boundHistory, type ConversationTurn, type TurnSource } from '../core/conversation/history.js';
import { analyzeQuestion } from '../core/text/question.js';
import type { AppLogger } from '../logging.js';
import { THREAD_FAILED_NOTE } from './messages.js';
import { READ_AS_PREFIX } from './render/answer.js';
import { describeError } from './router.js';

/** Messages read back when rebuilding a thread's history (the bound keeps the last 6 turns of them). */
const REBUILD_FETCH_LIMIT = 50;
/** Replies followed back when rebuilding a reply chain. */
const REPLY_CHAIN_DEPTH = 6;

export function ownThread(channel: Channel | null | undefined, botId: string): ThreadChannel | null {
  return channel && channel.isThread() && channel.ownerId === botId ? channel : null;
}

/** A thread name from the question: 1–100 characters, one line. */
export function threadName(question: string): string {
  const line = question.replace(/\s+/g, ' ').trim();
  return (line.length <= 100 ? line : `${line.slice(0, 99)}…`) || 'Follow-up questions';
}

/** Reads a turn back from one of the bot's answer messages (title, footer, description, sources field). */
export function turnFromAnswerMessage(message: Pick<Message, 'embeds'>): ConversationTurn | null {
  const embed = message.embeds[0];
  if (!embed?.title) return null;
  const last = message.embeds[message.embeds.length - 1] ?? embed;
  const footer = last.footer?.text ?? '';
  const readAs = footer.startsWith(READ_AS_PREFIX) ? /^Read as: "(.*)"\n/s.exec(footer)?.[1] : undefined;
  const description = message.embeds.map((e) => e.description ?? '').join(' ');
  const refused = description.includes('No supported answer');
  // The description is markdown-escaped text: unescape first, then drop bold, the refusal banner and [n] markers.
  const plain = description
    .replace(/\\([*_~`>|\\#<()[\].-])/g, '$1')
    .replace(/\*\*/g, '')
    .replace(/\s*\[\d+\]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const short = /^(.{1,80}?) — /.exec(plain)?.[1] ?? null;
  const sources: TurnSource[] = [];
  for (const field of last.fields ?? []) {
    for (const line of field.value.split('\n')) {
      const m = /^\*\*(?:\[\d+\])+\*\*\s+(.*?)\s+·\s+(\d{4}[\d/-]*|undated)\s+·\s+`([^`]+)`/.exec(line);
      if (m) sources.push({ title: (m[1] ?? '').replace(/\]\(.*$/, '').replace(/^\[/, ''), date: m[2] === 'undated' ? null : (m[2] ?? null), source: m[3] ?? '' });
    }
  }
  const standalone = readAs ?? embed.title;
  return {
    question: embed.title,
    standalone,
    answer: refused ? '' : plain.slice(0, 400),
    short: refused ? null : short,
    refused,
    // The message does not say which type the answer had; the question's form does (who → person…).
    type: analyzeQuestion(standalone).type,
    sources: sources.slice(0, 3),
  };
}

function isBotAnswer(message: Message, botId: string): boolean {
  return message.author.id === botId && message.embeds.length > 0 && Boolean(message.embeds[0]?.title);
}

/**
 * How long an answer waits for its thread's history to be read back from Discord (after a restart). The reads use
 * the bot token, so a rate limit or a busy budget can hold them for seconds: past this, the question is answered
 * without history (as it was asked) rather than late, and the read goes on to serve the next follow-up.
 */
export const HISTORY_BUDGET_MS = 1500;

/** The history of a bot-owned thread: from memory, else from the starter answer and the bot's answers in it. */
export async function threadHistory(
  thread: ThreadChannel,
  botId: string,
  store: ConversationStore,
  logger: AppLogger,
  budgetMs = HISTORY_BUDGET_MS,
): Promise<ConversationTurn[]> {
  const known = store.get(thread.id);
  if (known) return known;
  const reading = readThreadBack(thread, botId, store, logger);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), budgetMs);
  });
  const turns = await Promise.race([reading, late]).finally(() => clearTimeout(timer));
  if (turns) return turns;
  logger.warn({ threadId: thread.id, budgetMs }, 'reading the thread back takes too long (rate limit?); answering without history');
  return [];
}

async function readThreadBack(thread: ThreadChannel, botId: string, store: ConversationStore, logger: AppLogger): Promise<ConversationTurn[]> {
  const turns: ConversationTurn[] = [];
  try {
    const starter = await thread.fetchStarterMessage().catch(() => null);
    const starterTurn = starter && isBotAnswer(starter, botId) ? turnFromAnswerMessage(starter) : null;
    if (starterTurn) turns.push(starterTurn);
    const messages = await thread.messages.fetch({ limit: REBUILD_FETCH_LIMIT });
    const answers = [...messages.values()].filter((m) => isBotAnswer(m, botId)).sort((a, b) => a.createdTimestamp - b.createdTimestamp || (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    for (const message of answers) {
      const turn = turnFromAnswerMessage(message);
      if (turn) turns.push(turn);
    }
  } catch (error) {
    // Not stored: the next follow-up tries again rather than living without history for good.
    logger.warn({ threadId: thread.id, err: describeError(error) }, 'could not read the thread back; answering without history');
    return boundHistory(turns);
  }
  const bounded = boundHistory(turns);
  // A follow-up answered in the meantime (without history) may have stored a turn: keep the longer history.
  const meanwhile = store.get(thread.id);
  if (!meanwhile || meanwhile.length < bounded.length) store.set(thread.id, bounded);
  logger.info({ threadId: thread.id, turns: bounded.length }, 'conversation rebuilt from the thread');
  return bounded;
}

/** The history a reply to the bot's answer continues: from memory, else read back along the reply chain. */
export async function replyHistory(answer: Message, botId: string, store: ConversationStore, logger: AppLogger): Promise<ConversationTurn[]> {
  const known = store.get(answer.id);
  if (known) return known;
  const turns: ConversationTurn[] = [];
  let current: Message | null = answer;
  try {
    for (let depth = 0; current && depth < REPLY_CHAIN_DEPTH; depth++) {
      if (isBotAnswer(current, botId)) {
        const turn = turnFromAnswerMessage(current);
        if (turn) turns.unshift(turn);
      }
      // Bot answer → the user's message it replied to → the bot answer that one replied to…
      const parent: Message | null = current.reference?.messageId ? await current.fetchReference().catch(() => null) : null;
      current = parent;
    }
  } catch (error) {
    logger.warn({ messageId: answer.id, err: describeError(error) }, 'could not read the reply chain back');
  }
  const bounded = boundHistory(turns);
  store.set(answer.id, bounded);
  return bounded;
}

export type ThreadOutcome = { ok: true; thread: ThreadChannel } | { ok: false; note: string };

/**
 * Opens a public thread from an answer; failures (permissions, forum, archived) come back as a one-line note. A rate
 * limit is thrown (RateLimitError): the caller skips the thread and pauses, it is no failure to tell the user about.
 */
export async function openThread(answer: Message, question: string, logger: AppLogger): Promise<ThreadOutcome> {
  const channel = answer.channel;
  if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
    return { ok: false, note: 'Reply to this answer to follow up (I cannot open threads here).' };
  }
  try {
    const thread = await answer.startThread({ name: threadName(question), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
    return { ok: true, thread };
  } catch (error) {
    if (error instanceof RateLimitError) throw error;
    logger.warn({ messageId: answer.id, err: describeError(error) }, 'could not open a thread from the answer');
    return { ok: false, note: THREAD_FAILED_NOTE };
  }
}
