// /remove (administrators): move a document to the corpus trash and re-index; the source autocompletes, and a document
// added by link can be named by its address.
import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { isCoreError } from '../../core/errors.js';
import { isAdministrator } from '../guards.js';
import { renderReindexProgress } from '../render/info.js';
import { LIMITS, NO_MENTIONS } from '../render/limits.js';
import { literal, truncate } from '../render/text.js';
import { renderRemoveResult } from '../render/uploads.js';
import { progressReplies } from '../throttle.js';
import type { CommandContext } from '../types.js';

export const data = new SlashCommandBuilder()
  .setName('remove')
  .setDescription('Remove a document from the corpus (moved to the trash; administrators)')
  .addStringOption((option) => option.setName('source').setDescription('The document: its file path, or the address it was added from').setRequired(true).setAutocomplete(true).setMaxLength(500))
  .setDefaultMemberPermissions(PermissionFlagsBits.Administrator)
  .setContexts(InteractionContextType.Guild);

export async function autocomplete(interaction: AutocompleteInteraction, context: CommandContext): Promise<void> {
  // Suggestions reveal file names: administrators only, like the command.
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.Administrator) || !context.services.uploads) {
    await interaction.respond([]);
    return;
  }
  const sources = await context.services.uploads.removable(String(interaction.options.getFocused()), LIMITS.autocompleteChoices * 2);
  const fitting = sources.filter((source) => source.length <= LIMITS.choiceValue).slice(0, LIMITS.autocompleteChoices);
  await interaction.respond(fitting.map((source) => ({ name: source, value: source })));
}

export async function execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  if (!(await isAdministrator(interaction, context))) return;
  const uploads = context.services.uploads;
  if (!uploads) {
    await interaction.reply({ content: 'Removing documents is not available here.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const progress = progressReplies(interaction, context.logger);
  let content: string;
  try {
    const result = await uploads.remove({
      source: interaction.options.getString('source', true),
      userId: interaction.user.id,
      onProgress: (p) => progress.push(renderReindexProgress(p)),
    });
    content = renderRemoveResult(result);
  } catch (error) {
    if (!isCoreError(error, 'INVALID_INPUT')) throw error;
    content = `⚠️ ${literal(truncate(error.message, 300))}`;
  } finally {
    await progress.close();
  }
  await interaction.editReply({ content, allowedMentions: NO_MENTIONS });
}
