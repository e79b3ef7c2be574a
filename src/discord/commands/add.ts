// /add (administrators): attach up to five documents; each is checked, stored under uploads/ and indexed.
import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { AttachmentRef } from '../../commands/add.js';
import { isAdministrator } from '../guards.js';
import { NO_MENTIONS } from '../render/limits.js';
import { renderAddProgress, renderAddResult } from '../render/uploads.js';
import { progressReplies } from '../throttle.js';
import type { CommandContext } from '../types.js';

const FILE_OPTIONS = ['file', 'file2', 'file3', 'file4', 'file5'] as const;
const builder = new SlashCommandBuilder()
  .setName('add')
  .setDescription('Add documents to the corpus: .txt, .md, .html, .pdf, .docx (administrators)')
  .setDefaultMemberPermissions(PermissionFlagsBits.Administrator)
  .setContexts(InteractionContextType.Guild);
for (const [i, name] of FILE_OPTIONS.entries()) {
  builder.addAttachmentOption((option) => option.setName(name).setDescription(i === 0 ? 'The document to add' : 'Another document').setRequired(i === 0));
}
builder.addBooleanOption((option) => option.setName('replace').setDescription('Overwrite an earlier upload with the same name (it goes to the trash)'));

export const data = builder;

export async function execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  if (!(await isAdministrator(interaction, context))) return;
  const uploads = context.services.uploads;
  if (!uploads) {
    await interaction.reply({ content: 'Adding documents is not available here.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const attachments: AttachmentRef[] = [];
  for (const name of FILE_OPTIONS) {
    const attachment = interaction.options.getAttachment(name);
    if (attachment) attachments.push({ name: attachment.name, url: attachment.url, size: attachment.size });
  }
  const progress = progressReplies(interaction, context.logger);
  try {
    const result = await uploads.add({
      attachments,
      replace: interaction.options.getBoolean('replace') ?? false,
      userId: interaction.user.id,
      onProgress: (p) => progress.push(renderAddProgress(p)),
    });
    await progress.close();
    await interaction.editReply({ content: renderAddResult(result), allowedMentions: NO_MENTIONS });
  } finally {
    await progress.close();
  }
}
