// /ask: defer at once (answers may take longer than Discord's 3 s), then edit in the cited answer.
import { MessageFlags, SlashCommandBuilder, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { cleanQuestion } from '../../commands/question.js';
import { isCoreError } from '../../core/errors.js';
import { passCooldown } from '../guards.js';
import { EXPIRED_MESSAGE } from '../messages.js';
import { ANSWER_ACTIONS, ASK_COMMAND, renderAnswer, renderQuotes } from '../render/answer.js';
import { NO_MENTIONS } from '../render/limits.js';
import type { ButtonHandler, CommandContext } from '../types.js';

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
  const answer = await context.services.ask(question);
  // The interaction id is unique and short enough for custom_id; buttons find the answer by it.
  context.answers.set(interaction.id, { answer, reportedBy: new Set() });
  await interaction.editReply({ ...renderAnswer(answer, interaction.id), allowedMentions: NO_MENTIONS });
  context.logger.info(
    {
      interactionId: interaction.id,
      userId: interaction.user.id,
      refused: answer.refused,
      mode: answer.mode,
      citations: answer.citations.length,
      fallbackReason: answer.fallbackReason,
      ms: Math.round(performance.now() - started),
    },
    'answered /ask',
  );
}

async function findAnswer(interaction: ButtonInteraction, answerId: string | undefined, context: CommandContext) {
  const stored = answerId === undefined ? undefined : context.answers.get(answerId);
  if (!stored) await interaction.reply({ content: EXPIRED_MESSAGE, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  return stored;
}

const showQuotes: ButtonHandler = async (interaction, [answerId], context) => {
  const stored = await findAnswer(interaction, answerId, context);
  if (!stored) return;
  await interaction.reply({ ...renderQuotes(stored.answer), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
};

const reportWrongCitation: ButtonHandler = async (interaction, [answerId], context) => {
  const stored = await findAnswer(interaction, answerId, context);
  if (!stored) return;
  const userId = interaction.user.id;
  if (!stored.reportedBy.has(userId)) {
    stored.reportedBy.add(userId);
    const { answer } = stored;
    await context.feedback.append({
      kind: 'wrong-citation',
      timestamp: new Date().toISOString(),
      userId,
      guildId: interaction.guildId,
      interactionId: answerId ?? '',
      question: answer.question,
      answer: answer.answer,
      mode: answer.mode,
      refused: answer.refused,
      citations: answer.citations,
    });
    context.logger.info({ answerId, userId }, 'wrong-citation report recorded');
  }
  await interaction.reply({
    content: 'Thank you! I have recorded this answer and its citations for review.',
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
};

export const buttons: Readonly<Record<string, ButtonHandler>> = {
  [ANSWER_ACTIONS.quotes]: showQuotes,
  [ANSWER_ACTIONS.wrong]: reportWrongCitation,
};
