// Questions that arrive as messages: a reply to one of the bot's answers, a message in a thread the bot opened, or
// `@Bot question` anywhere it can read (a one-off /ask, or a follow-up when it is also one of the first two).
// Ignored: bots (the bot itself included), system messages, edits (never subscribed), threads the bot does not
// own, replies to other people. Plain messages are readable only with the Message Content intent; mentions always.
import { MessageType, type Message } from 'discord.js';
import { cleanQuestion } from '../commands/question.js';
import type { ConversationTurn } from '../core/conversation/history.js';
import { isCoreError } from '../core/errors.js';
import { recordOutcome, rememberAnswer } from './commands/ask.js';
import { ownThread, replyHistory, threadHistory } from './conversation.js';
import { cooldownMessage, errorMessage } from './messages.js';
import { renderAnswer, ASK_COMMAND, REPLY_TO_FOLLOW_UP } from './render/answer.js';
import { NO_MENTIONS } from './render/limits.js';
import { describeError } from './router.js';
import type { CommandContext } from './types.js';

/** Replies never ping the person replied to, and nobody else either. */
const QUIET_REPLY = { ...NO_MENTIONS, repliedUser: false } as const;

export function stripMentionOf(content: string, botId: string): string {
  return content.replace(new RegExp(`<@!?${botId}>`, 'g'), ' ').replace(/\s+/g, ' ').trim();
}

export async function handleMessage(message: Message, context: CommandContext): Promise<void> {
  const { logger } = context;
  const botId = message.client.user.id;
  if (message.author.bot || message.system || message.webhookId) return;
  if (message.type !== MessageType.Default && message.type !== MessageType.Reply) return;
  if (!message.inGuild()) return;

  const mentioned = message.mentions.users.has(botId);
  const thread = ownThread(message.channel, botId);
  let repliedAnswer: Message | null = null;
  if (message.reference?.messageId && !thread) {
    const referenced = await message.fetchReference().catch(() => null);
    if (referenced?.author.id === botId) repliedAnswer = referenced;
  }
  if (!mentioned && !thread && !repliedAnswer) return;
  // Without the Message Content intent only mentions carry their text; plain messages arrive empty.
  if (!mentioned && !context.config.discord.messageContent) return;
  const raw = stripMentionOf(message.content, botId);
  if (!raw) return;
  let question: string;
  try {
    question = cleanQuestion(raw);
  } catch (error) {
    if (isCoreError(error, 'INVALID_INPUT')) return;
    throw error;
  }

  const msLeft = context.cooldowns.take(`${ASK_COMMAND}:${message.author.id}`);
  if (msLeft > 0) {
    logger.info({ userId: message.author.id, msLeft }, 'follow-up refused by the cooldown');
    await message.reply({ content: cooldownMessage(ASK_COMMAND, msLeft), allowedMentions: QUIET_REPLY }).catch(() => undefined);
    return;
  }

  const started = performance.now();
  try {
    const history: ConversationTurn[] = thread
      ? await threadHistory(thread, botId, context.conversations, logger)
      : repliedAnswer
        ? await replyHistory(repliedAnswer, botId, context.conversations, logger)
        : [];
    const result = await context.services.converse(question, history);
    rememberAnswer(context, message.id, result, question);
    // A mention in a channel starts a conversation: a thread from the answer, as /ask does (queued, not awaited).
    const wantsThread = mentioned && !thread && !repliedAnswer && !message.channel.isThread() && context.config.discord.askThreads === 'auto';
    const hint = wantsThread && context.threads.wouldSkip(message.channelId) ? REPLY_TO_FOLLOW_UP : undefined;
    const rendered = renderAnswer(result.answer, message.id, { question, ...(result.rewritten ? { standalone: result.standalone } : {}), ...(hint ? { hint } : {}) });
    const sent = await message.reply({ ...rendered, allowedMentions: QUIET_REPLY });
    const turns = [...history, result.turn];
    if (thread) context.conversations.set(thread.id, turns);
    context.conversations.set(sent.id, turns);
    let threadOutcome: string | null = null;
    if (wantsThread) {
      threadOutcome = context.threads.request({ answer: sent, question, turns, note: (note) => sent.reply({ content: note, allowedMentions: QUIET_REPLY }) });
    }
    await recordOutcome(context, result, question);
    logger.info(
      {
        messageId: message.id,
        userId: message.author.id,
        via: thread ? 'thread' : repliedAnswer ? 'reply' : 'mention',
        followUp: history.length > 0,
        rewritten: result.rewritten,
        refused: result.answer.refused,
        thread: threadOutcome,
        ms: Math.round(performance.now() - started),
      },
      'answered a message',
    );
  } catch (error) {
    logger.error({ messageId: message.id, err: describeError(error) }, 'follow-up failed');
    await message.reply({ content: errorMessage(error), allowedMentions: QUIET_REPLY }).catch(() => undefined);
  }
}
