// /timeline: dated events involving the entities, paged with ◀ ▶; unknown names get a private, helpful reply.
import { MessageFlags, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { isCoreError } from '../../core/errors.js';
import type { Timeline } from '../../core/types.js';
import { parseEntities, suggestEntities } from '../entities.js';
import { passCooldown, settleWithin } from '../guards.js';
import { EXPIRED_TIMELINE_MESSAGE } from '../messages.js';
import { LIMITS, NO_MENTIONS } from '../render/limits.js';
import { renderTimeline, TIMELINE_COMMAND, TIMELINE_PAGE_ACTION } from '../render/timeline.js';
import { code, truncate } from '../render/text.js';
import type { ButtonHandler, CommandContext } from '../types.js';

/** Answer directly when the timeline is ready this fast (errors can then stay private); defer otherwise. */
const DIRECT_REPLY_MS = 1500;

export const data = new SlashCommandBuilder()
  .setName(TIMELINE_COMMAND)
  .setDescription('Chronology of events involving some entities, with sources')
  .addStringOption((option) =>
    option
      .setName('entities')
      .setDescription('Entity names separated by spaces or commas, e.g. japan korea')
      .setRequired(true)
      .setMaxLength(200)
      .setAutocomplete(true),
  )
  .addBooleanOption((option) => option.setName('any').setDescription('Events involving any of them instead of all'));

function unknownEntityMessage(requested: readonly string[], context: CommandContext): string {
  const known = context.services.entityNames();
  const knownLower = new Set(known.map((name) => name.toLowerCase()));
  const unknown = requested.filter((name) => !knownLower.has(name.toLowerCase()));
  const which = unknown.length > 0 ? unknown.map((name) => code(truncate(name, 50))).join(', ') : 'one of those names';
  const list = known.slice(0, 40).map((name) => code(name)).join(', ');
  const more = known.length > 40 ? ` and ${known.length - 40} more (start typing to see suggestions)` : '';
  return truncate(`I don't know ${which}. Entities I know: ${list || 'none yet'}${more}.`, LIMITS.content);
}

export async function execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  if (!(await passCooldown(interaction, context))) return;
  const entities = parseEntities(interaction.options.getString('entities', true), context.services.entityNames());
  const any = interaction.options.getBoolean('any') ?? false;
  if (entities.length === 0) {
    await interaction.reply({ content: 'Name at least one entity, e.g. `japan korea`.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }

  const work = context.services.timeline(entities, { any });
  let outcome = await settleWithin(work, DIRECT_REPLY_MS);
  if (!outcome.settled) {
    await interaction.deferReply();
    outcome = await settleWithin(work, Number.POSITIVE_INFINITY);
  }
  if (!outcome.settled) return; // unreachable: an infinite wait always settles
  if (!outcome.ok) {
    if (!isCoreError(outcome.error, 'UNKNOWN_ENTITY')) throw outcome.error;
    const reply = { content: unknownEntityMessage(entities, context), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS } as const;
    if (interaction.deferred) {
      // A deferred public reply cannot turn private: remove it and say it privately instead.
      await interaction.deleteReply();
      await interaction.followUp(reply);
    } else {
      await interaction.reply(reply);
    }
    return;
  }

  const timeline: Timeline = outcome.value;
  context.timelines.set(interaction.id, timeline);
  const { page, pageCount, ...message } = renderTimeline(timeline, { page: 0, timelineId: interaction.id });
  if (interaction.deferred) await interaction.editReply({ ...message, allowedMentions: NO_MENTIONS });
  else await interaction.reply({ ...message, allowedMentions: NO_MENTIONS });
  context.logger.info(
    { interactionId: interaction.id, entities, any, events: timeline.events.length, undated: timeline.undated.length, pages: pageCount, page },
    'answered /timeline',
  );
}

export async function autocomplete(interaction: AutocompleteInteraction, context: CommandContext): Promise<void> {
  const typed = String(interaction.options.getFocused());
  const suggestions = suggestEntities(typed, context.services.entityNames(), LIMITS.autocompleteChoices, LIMITS.choiceValue);
  await interaction.respond(suggestions.map((value) => ({ name: value, value })));
}

const turnPage: ButtonHandler = async (interaction, [timelineId, pageArg], context) => {
  const timeline = timelineId === undefined ? undefined : context.timelines.get(timelineId);
  if (!timeline || timelineId === undefined) {
    await interaction.reply({ content: EXPIRED_TIMELINE_MESSAGE, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  const { page: _page, pageCount: _count, ...message } = renderTimeline(timeline, { page: Number(pageArg) || 0, timelineId });
  await interaction.update({ ...message, allowedMentions: NO_MENTIONS });
};

export const buttons: Readonly<Record<string, ButtonHandler>> = { [TIMELINE_PAGE_ACTION]: turnPage };
