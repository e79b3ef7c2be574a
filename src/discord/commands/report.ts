// /report (administrators): the feedback summary, privately: unanswered questions grouped by shared terms (the
// documents to add next), answers voted down or reported, counts by mode.
import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { feedbackReport } from '../../commands/feedback-report.js';
import { formatFeedbackReport, parseSince } from '../../core/feedback/report.js';
import { isAdministrator } from '../guards.js';
import { LIMITS, NO_MENTIONS } from '../render/limits.js';
import { COLORS } from '../render/message.js';
import { literal, truncate } from '../render/text.js';
import type { CommandContext } from '../types.js';

export const data = new SlashCommandBuilder()
  .setName('report')
  .setDescription('What people asked that the documents could not answer, and answers voted down (administrators)')
  .addStringOption((option) => option.setName('since').setDescription('Only the last 30m, 12h, 7d, 2w…').setMaxLength(10))
  .setDefaultMemberPermissions(PermissionFlagsBits.Administrator)
  .setContexts(InteractionContextType.Guild);

export async function execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  if (!(await isAdministrator(interaction, context))) return;
  const since = interaction.options.getString('since');
  const sinceMs = since ? parseSince(since) : undefined;
  if (sinceMs === null) {
    await interaction.reply({ content: 'Use a number and a unit for `since`: 30m, 12h, 7d or 2w.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const report = await feedbackReport(context.config.discord.feedbackFile, sinceMs === undefined ? {} : { sinceMs });
  const text = truncate(literal(formatFeedbackReport(report, { maxGroups: 8 })), LIMITS.embedDescription);
  await interaction.editReply({ embeds: [{ color: COLORS.info, title: 'Feedback report', description: text }], allowedMentions: NO_MENTIONS });
}
