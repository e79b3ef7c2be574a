// "Add to corpus" (right-click a message → Apps; administrators): every link and every attachment of the message in
// one go, with one summary reply. The same checks and limits as /add.
import {
  ApplicationCommandType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import type { AttachmentRef } from '../../commands/add.js';
import { linksOf, MAX_ITEMS, runAdd } from '../adding.js';
import { isAdministrator } from '../guards.js';
import { NO_MENTIONS } from '../render/limits.js';
import type { CommandContext } from '../types.js';

export const data = new ContextMenuCommandBuilder()
  .setName('Add to corpus')
  .setType(ApplicationCommandType.Message)
  .setDefaultMemberPermissions(PermissionFlagsBits.Administrator)
  .setContexts(InteractionContextType.Guild);

export async function execute(interaction: MessageContextMenuCommandInteraction, context: CommandContext): Promise<void> {
  if (!(await isAdministrator(interaction, context))) return;
  const message = interaction.targetMessage;
  const attachments: AttachmentRef[] = [...message.attachments.values()].map((a) => ({ name: a.name, url: a.url, size: a.size }));
  const links = linksOf(message.content, message.embeds.map((embed) => embed.url));
  if (attachments.length + links.length === 0) {
    await interaction.reply({ content: 'That message has no link or attachment to add.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  // One summary has to fit one reply, and one message must not start dozens of fetches.
  const kept = Math.max(0, MAX_ITEMS - attachments.length);
  const extraRefused = [...attachments.slice(MAX_ITEMS).map((a) => a.name), ...links.slice(kept)].map((name) => ({ name, reason: `more than ${MAX_ITEMS} items in one message` }));
  await runAdd(interaction, context, { attachments: attachments.slice(0, MAX_ITEMS), links: links.slice(0, kept), replace: false, extraRefused });
}
