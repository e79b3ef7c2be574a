// /sources: what is indexed (title, date, passages, when indexed), optionally filtered.
import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { renderSources } from '../render/info.js';
import { NO_MENTIONS } from '../render/limits.js';
import type { CommandContext } from '../types.js';

export const data = new SlashCommandBuilder()
  .setName('sources')
  .setDescription('List the indexed documents')
  .addStringOption((option) => option.setName('query').setDescription('Only documents whose title or file matches').setMaxLength(200));

export async function execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  // A listing is for the asker: keep it out of the channel.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const query = interaction.options.getString('query')?.trim() || undefined;
  const sources = await context.services.sources(query);
  await interaction.editReply({ ...renderSources(sources, query), allowedMentions: NO_MENTIONS });
}
