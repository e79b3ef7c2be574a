// /reindex (administrators): pick up new, changed and removed files, reporting progress in the deferred reply.
import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { isCoreError } from '../../core/errors.js';
import { isAdministrator } from '../guards.js';
import { renderReindexProgress, renderReindexSummary } from '../render/info.js';
import { NO_MENTIONS } from '../render/limits.js';
import { progressReplies } from '../throttle.js';
import type { CommandContext } from '../types.js';

export const data = new SlashCommandBuilder()
  .setName('reindex')
  .setDescription('Re-index the document folder (administrators)')
  .setDefaultMemberPermissions(PermissionFlagsBits.Administrator)
  .setContexts(InteractionContextType.Guild);

export async function execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  if (!(await isAdministrator(interaction, context))) return;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });

  const progress = progressReplies(interaction, context.logger);
  let content: string;
  try {
    const summary = await context.services.reindex((p) => progress.push(renderReindexProgress(p)));
    content = renderReindexSummary(summary);
    context.logger.info({ userId: interaction.user.id, ...summary, skipped: summary.skipped.length }, 'reindex done');
  } catch (error) {
    if (!isCoreError(error, 'REINDEX_BUSY')) {
      await progress.close();
      throw error;
    }
    content = '⏳ A re-index is already running. Its result will be live when it finishes; try again afterwards if needed.';
  }
  // Pending progress edits finish first, so the summary is always the last word.
  await progress.close();
  await interaction.editReply({ content, allowedMentions: NO_MENTIONS });
}
