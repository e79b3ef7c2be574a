// What /add and "Add to corpus" share: the limits on links (one fetch at a time per server, a per-user cooldown),
// the deferred reply with progress, and the summary. Both commands check the administrator first.
import { MessageFlags, type ChatInputCommandInteraction, type MessageContextMenuCommandInteraction } from 'discord.js';
import type { AttachmentRef } from '../commands/add.js';
import { Cooldowns } from './cooldown.js';
import { NO_MENTIONS } from './render/limits.js';
import { renderAddProgress, renderAddResult } from './render/uploads.js';
import { progressReplies } from './throttle.js';
import type { CommandContext } from './types.js';

/** Links fetched from one message at most, attachments included: one summary has to fit one reply. */
export const MAX_ITEMS = 10;

interface LinkGate {
  /** Servers with a fetch running. */
  busy: Set<string>;
  cooldowns: Cooldowns;
}

// Kept beside the context (one per running bot) instead of in it: only these two commands use it.
const gates = new WeakMap<CommandContext, LinkGate>();

function gateOf(context: CommandContext): LinkGate {
  let gate = gates.get(context);
  if (!gate) {
    gate = { busy: new Set(), cooldowns: new Cooldowns(context.config.fetch.cooldownSeconds) };
    gates.set(context, gate);
  }
  return gate;
}

type AddingInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

async function sayPrivately(interaction: AddingInteraction, content: string): Promise<void> {
  await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

/** Adds the attachments and links, under the link limits, and answers with one summary. */
export async function runAdd(
  interaction: AddingInteraction,
  context: CommandContext,
  items: { attachments: AttachmentRef[]; links: string[]; replace: boolean; extraRefused?: Array<{ name: string; reason: string }> },
): Promise<void> {
  const uploads = context.services.uploads;
  if (!uploads) {
    await sayPrivately(interaction, 'Adding documents is not available here.');
    return;
  }
  const gate = gateOf(context);
  const guildKey = interaction.guildId ?? `user:${interaction.user.id}`;
  const fetches = items.links.length > 0;
  if (fetches) {
    // A link costs an outbound fetch: one at a time per server, and a pause per user, so the bot cannot be used
    // to hammer a site (or itself).
    if (gate.busy.has(guildKey)) {
      await sayPrivately(interaction, 'A link is already being added in this server. Try again when it has finished.');
      return;
    }
    const msLeft = gate.cooldowns.take(`fetch:${interaction.user.id}`);
    if (msLeft > 0) {
      const seconds = Math.max(1, Math.ceil(msLeft / 1000));
      await sayPrivately(interaction, `Easy there! You can add another link in ${seconds} second${seconds === 1 ? '' : 's'}.`);
      return;
    }
    gate.busy.add(guildKey);
  }
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const progress = progressReplies(interaction, context.logger);
    try {
      const result = await uploads.add({
        attachments: items.attachments,
        links: items.links,
        replace: items.replace,
        userId: interaction.user.id,
        onProgress: (p) => progress.push(renderAddProgress(p)),
      });
      result.refused.push(...(items.extraRefused ?? []));
      await progress.close();
      await interaction.editReply({ content: renderAddResult(result), allowedMentions: NO_MENTIONS });
    } finally {
      await progress.close();
    }
  } finally {
    if (fetches) gate.busy.delete(guildKey);
  }
}

// A link as people paste it: up to whitespace or an angle bracket (Discord's <https://…> hides the preview).
const LINK = /https?:\/\/[^\s<>]+/gi;

/** Links in a message's text and link previews, in order, once each; trailing punctuation is not part of a link. */
export function linksOf(content: string, embedUrls: ReadonlyArray<string | null>): string[] {
  const found: string[] = [];
  for (const match of content.matchAll(LINK)) {
    let link = match[0];
    // "(see https://x.test/a)." — closing punctuation belongs to the sentence, unless the link opened the bracket.
    while (/[.,;:!?'"”’)\]]$/.test(link) && !(link.endsWith(')') && link.includes('('))) link = link.slice(0, -1);
    found.push(link);
  }
  for (const url of embedUrls) if (url && /^https?:\/\//i.test(url)) found.push(url);
  const seen = new Set<string>();
  return found.filter((link) => {
    const key = link.replace(/#.*$/, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
