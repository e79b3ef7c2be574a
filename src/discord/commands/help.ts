// /help: what the bot knows (documents, dates, frequent entities) and how to ask.
import { MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { renderHelp } from '../render/info.js';
import { NO_MENTIONS } from '../render/limits.js';
import type { CommandContext } from '../types.js';

export const data = new SlashCommandBuilder().setName('help').setDescription('What I know and how to ask me');

export async function execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const info = await context.services.help();
  await interaction.editReply({ ...renderHelp(info), allowedMentions: NO_MENTIONS });
}
