// /ask: defer at once (answers may take longer than Discord's 3 s), then edit in the cited answer. Inside a thread
// the bot opened, /ask continues that thread's conversation; elsewhere a public answer asks for a thread for
// follow-ups (ASK_THREADS=auto), opened after the answer by the ThreadOpener, which may skip it under load.
// Buttons: Show quotes, Wrong citation?, 👍, 👎.
import { MessageFlags, SlashCommandBuilder, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { cleanQuestion } from '../../commands/question.js';
import type { ConversationTurn } from '../../core/conversation/history.js';
import { isCoreError } from '../../core/errors.js';
import type { FeedbackKind } from '../../core/feedback/report.js';
import { ownThread, threadHistory } from '../conversation.js';
import { feedbackRecord } from '../feedback.js';
import { passCooldown } from '../guards.js';
import { EXPIRED_MESSAGE } from '../messages.js';
import { ANSWER_ACTIONS, ASK_COMMAND, renderAnswer, renderQuotes, REPLY_TO_FOLLOW_UP } from '../render/answer.js';
import { NO_MENTIONS } from '../render/limits.js';
import type { ButtonHandler, CommandContext, StoredAnswer } from '../types.js';
import type { ConversationAnswer } from '../../commands/types.js';

export const data = new SlashCommandBuilder()
  .setName(ASK_COMMAND)
  .setDescription('Ask a question about the documents; every sentence of the answer cites its source')
  .addStringOption((option) =>
    option.setName('question').setDescription('What you want to know').setRequired(true).setMinLength(2).setMaxLength(1000),
  )
  .addBooleanOption((option) => option.setName('private').setDescription('Show the answer only to you'));

export async function execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  const isPrivate = interaction.options.getBoolean('private') ?? false;
  // Check the question before deferring (and before spending the user's cooldown): a public "thinking…" reply cannot become private, so a refusal after it
  // would be shown to the whole channel.
  let question: string;
  try {
    question = cleanQuestion(interaction.options.getString('question', true));
  } catch (error) {
    if (!isCoreError(error, 'INVALID_INPUT')) throw error;
    await interaction.reply({ content: error.message, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  if (!(await passCooldown(interaction, context))) return;
  await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});

  const started = performance.now();
  const botId = interaction.client.user.id;
  const channel = interaction.channel ?? (await interaction.client.channels.fetch(interaction.channelId).catch(() => null));
  const thread = ownThread(channel, botId);
  const history: ConversationTurn[] = thread ? await threadHistory(thread, botId, context.conversations, context.logger) : [];
  const result = await context.services.converse(question, history);
  const { answer } = result;
  // The interaction id is unique and short enough for custom_id; buttons find the answer by it.
  rememberAnswer(context, interaction.id, result, question);
  const wantsThread = !isPrivate && !thread && interaction.inGuild() && context.config.discord.askThreads === 'auto' && !channel?.isThread();
  // Threads already being skipped (rate limit, budget, backlog): the answer itself says how to follow up.
  const hint = wantsThread && context.threads.wouldSkip(interaction.channelId) ? REPLY_TO_FOLLOW_UP : undefined;
  const reply = await interaction.editReply({
    ...renderAnswer(answer, interaction.id, { question, ...(result.rewritten ? { standalone: result.standalone } : {}), ...(hint ? { hint } : {}) }),
    allowedMentions: NO_MENTIONS,
  });
  // Everything below comes after the answer and waits for nothing slow: the thread is queued, not awaited.
  const turns = [...history, result.turn];
  if (thread) context.conversations.set(thread.id, turns);
  if (!isPrivate) context.conversations.set(reply.id, turns);
  let threadOutcome: string | null = null;
  if (wantsThread) {
    threadOutcome = context.threads.request({
      answer: reply,
      question,
      turns,
      note: (note) => interaction.followUp({ content: note, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS }),
    });
  }
  await recordOutcome(context, result, question);
  context.logger.info(
    {
      interactionId: interaction.id,
      userId: interaction.user.id,
      refused: answer.refused,
      mode: answer.mode,
      citations: answer.citations.length,
      fallbackReason: answer.fallbackReason,
      followUp: history.length > 0,
      rewritten: result.rewritten,
      thread: threadOutcome,
      ms: Math.round(performance.now() - started),
    },
    'answered /ask',
  );
}

/** Keeps what the buttons need: the answer, the question as typed and as read. */
export function rememberAnswer(context: CommandContext, answerId: string, result: ConversationAnswer, question: string): void {
  context.answers.set(answerId, { answer: result.answer, question, standalone: result.standalone, reportedBy: new Set(), votes: new Map() });
}

/** Every refusal goes to the feedback file (what the corpus is missing); answers only as a count by mode. */
export async function recordOutcome(context: CommandContext, result: ConversationAnswer, question: string, userId?: string): Promise<void> {
  const record = feedbackRecord(result.answer.refused ? 'refusal' : 'answer', result.answer, { userId: userId ?? null, question, standalone: result.standalone });
  await context.feedback.append(record).catch((error: unknown) => context.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not write feedback'));
}

async function findAnswer(interaction: ButtonInteraction, answerId: string | undefined, context: CommandContext): Promise<StoredAnswer | undefined> {
  const stored = answerId === undefined ? undefined : context.answers.get(answerId);
  if (!stored) await interaction.reply({ content: EXPIRED_MESSAGE, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  return stored;
}

const showQuotes: ButtonHandler = async (interaction, [answerId], context) => {
  const stored = await findAnswer(interaction, answerId, context);
  if (!stored) return;
  await interaction.reply({ ...renderQuotes(stored.answer), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
};

async function appendFeedback(kind: FeedbackKind, stored: StoredAnswer, userId: string, context: CommandContext): Promise<void> {
  await context.feedback.append(feedbackRecord(kind, stored.answer, { userId, question: stored.question, standalone: stored.standalone }));
}

const reportWrongCitation: ButtonHandler = async (interaction, [answerId], context) => {
  const stored = await findAnswer(interaction, answerId, context);
  if (!stored) return;
  const userId = interaction.user.id;
  if (!stored.reportedBy.has(userId)) {
    stored.reportedBy.add(userId);
    await appendFeedback('wrong-citation', stored, userId, context);
    context.logger.info({ answerId, userId }, 'wrong-citation report recorded');
  }
  await interaction.reply({
    content: 'Thank you! I have recorded this answer and its citations for review.',
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
};

function vote(direction: 'up' | 'down'): ButtonHandler {
  return async (interaction, [answerId], context) => {
    const stored = await findAnswer(interaction, answerId, context);
    if (!stored) return;
    const userId = interaction.user.id;
    // One vote per user and answer; changing one's mind records the new vote.
    if (stored.votes.get(userId) !== direction) {
      stored.votes.set(userId, direction);
      await appendFeedback(direction === 'up' ? 'vote-up' : 'vote-down', stored, userId, context);
      context.logger.info({ answerId, userId, vote: direction }, 'answer vote recorded');
    }
    await interaction.reply({
      content: direction === 'up' ? 'Thanks for the 👍!' : 'Thanks — noted. Admins see down-voted answers in `/report`.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
  };
}

export const buttons: Readonly<Record<string, ButtonHandler>> = {
  [ANSWER_ACTIONS.quotes]: showQuotes,
  [ANSWER_ACTIONS.wrong]: reportWrongCitation,
  [ANSWER_ACTIONS.up]: vote('up'),
  [ANSWER_ACTIONS.down]: vote('down'),
};
