// /add (administrators): attach up to five documents, or give a link; each is checked, stored under uploads/ and
// indexed. A link is fetched under the limits of src/commands/fetch-url.ts and its documents cite its address.
import {
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type ChatInputCommandInteraction,
} from 'discord.js';
import type { AttachmentRef } from '../../commands/add.js';
import { runAdd } from '../adding.js';
import { isAdministrator } from '../guards.js';
import { NO_MENTIONS } from '../render/limits.js';
import type { CommandContext } from '../types.js';

const FILE_OPTIONS = ['file', 'file2', 'file3', 'file4', 'file5'] as const;
const builder = new SlashCommandBuilder()
  .setName('add')
  .setDescription('Add documents to the corpus: a link, or .txt, .md, .html, .pdf, .docx files (administrators)')
  .setDefaultMemberPermissions(PermissionFlagsBits.Administrator)
  .setContexts(InteractionContextType.Guild);
for (const [i, name] of FILE_OPTIONS.entries()) {
  builder.addAttachmentOption((option) => option.setName(name).setDescription(i === 0 ? 'The document to add' : 'Another document'));
  if (i === 0) builder.addStringOption((option) => option.setName('url').setDescription('A link to an article, PDF, Word, text or Markdown document').setMaxLength(2000));
}
builder.addBooleanOption((option) => option.setName('replace').setDescription('Overwrite an earlier upload with the same name (it goes to the trash)'));

export const data = builder;

export async function execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  if (!(await isAdministrator(interaction, context))) return;
  const attachments: AttachmentRef[] = [];
  for (const name of FILE_OPTIONS) {
    const attachment = interaction.options.getAttachment(name);
    if (attachment) attachments.push({ name: attachment.name, url: attachment.url, size: attachment.size });
  }
  const url = interaction.options.getString('url')?.trim();
  if (attachments.length === 0 && !url) {
    await interaction.reply({ content: 'Give a `url:` or attach a file (`file:`) to add.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  await runAdd(interaction, context, { attachments, links: url ? [url] : [], replace: interaction.options.getBoolean('replace') ?? false });
}
