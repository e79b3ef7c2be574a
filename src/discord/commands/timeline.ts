// /timeline: dated events involving people, places, organisations or topics, drawn as a picture and listed in
// pages with ◀ ▶; a name the documents never mention gets a private reply saying so.
import { AttachmentBuilder, MessageFlags, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { isCoreError } from '../../core/errors.js';
import type { Timeline } from '../../core/types.js';
import { renderTimelineImage } from '../../commands/timeline-image.js';
import { suggestEntities } from '../entities.js';
import { passCooldown, settleWithin } from '../guards.js';
import { EXPIRED_TIMELINE_MESSAGE } from '../messages.js';
import { LIMITS, NO_MENTIONS } from '../render/limits.js';
import { renderTimeline, TIMELINE_COMMAND, TIMELINE_IMAGE_NAME, TIMELINE_PAGE_ACTION } from '../render/timeline.js';
import { code, truncate } from '../render/text.js';
import type { ButtonHandler, CommandContext } from '../types.js';

/** Answer directly when the timeline is ready this fast (errors can then stay private); defer otherwise. */
const DIRECT_REPLY_MS = 1500;

export const data = new SlashCommandBuilder()
  .setName(TIMELINE_COMMAND)
  .setDescription('Chronology of events involving people, places, organisations or topics, with sources')
  .addStringOption((option) =>
    option
      .setName('entities')
      .setDescription('Names or topics, e.g. japan korea · xi jinping · tariffs (commas separate names)')
      .setRequired(true)
      .setMaxLength(200)
      .setAutocomplete(true),
  )
  .addBooleanOption((option) => option.setName('any').setDescription('Events involving any of them instead of all'));

async function unknownEntityMessage(requested: string, context: CommandContext): Promise<string> {
  const known = (await context.services.entities()).slice(0, 25).map((entity) => code(truncate(entity.label, 40)));
  return truncate(`I couldn't resolve ${code(truncate(requested, 80))}. Names the documents mention most: ${known.join(', ') || 'none yet'}.`, LIMITS.content);
}

export async function execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  if (!(await passCooldown(interaction, context))) return;
  const query = interaction.options.getString('entities', true).trim();
  const any = interaction.options.getBoolean('any') ?? false;
  if (!/[\p{L}\p{N}]/u.test(query)) {
    await interaction.reply({ content: 'Name at least one entity, e.g. `japan korea`.', flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }

  // The query is parsed once, by the use case: known names matched greedily, the rest as topic phrases.
  const work = context.services.timeline(query, { any });
  let outcome = await settleWithin(work, DIRECT_REPLY_MS);
  if (!outcome.settled) {
    await interaction.deferReply();
    outcome = await settleWithin(work, Number.POSITIVE_INFINITY);
  }
  if (!outcome.settled) return; // unreachable: an infinite wait always settles
  if (!outcome.ok) {
    if (!isCoreError(outcome.error, 'UNKNOWN_ENTITY') && !isCoreError(outcome.error, 'INVALID_INPUT')) throw outcome.error;
    const reply = { content: await unknownEntityMessage(query, context), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS } as const;
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
  const empty = timeline.events.length === 0 && timeline.undated.length === 0;
  if (empty) {
    // Nothing to show the channel: say privately what was looked for and where.
    const content = truncate(timeline.message ?? 'No events found in the indexed documents.', LIMITS.content);
    if (interaction.deferred) {
      await interaction.deleteReply();
      await interaction.followUp({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    } else {
      await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    }
    context.logger.info({ interactionId: interaction.id, query, any, entities: timeline.entities.map((e) => e.name) }, 'answered /timeline: nothing found');
    return;
  }
  context.timelines.set(interaction.id, timeline);
  const image = drawTimeline(timeline, context);
  const { page, pageCount, ...message } = renderTimeline(timeline, { page: 0, timelineId: interaction.id, image: image !== undefined });
  const files = image ? [new AttachmentBuilder(image, { name: TIMELINE_IMAGE_NAME, description: `Timeline of ${timeline.entities.map((e) => e.label).join(', ')}` })] : [];
  if (interaction.deferred) await interaction.editReply({ ...message, files, allowedMentions: NO_MENTIONS });
  else await interaction.reply({ ...message, files, allowedMentions: NO_MENTIONS });
  context.logger.info(
    {
      interactionId: interaction.id,
      query,
      any,
      entities: timeline.entities.map((e) => `${e.name} (${e.source})`),
      events: timeline.events.length,
      undated: timeline.undated.length,
      pages: pageCount,
      page,
      imageBytes: image?.length ?? 0,
    },
    'answered /timeline',
  );
}

/** The PNG of the timeline, or nothing (the text pages still answer) if drawing fails. */
function drawTimeline(timeline: Timeline, context: CommandContext): Buffer | undefined {
  try {
    return renderTimelineImage(timeline).png;
  } catch (error) {
    context.logger.warn({ err: error }, 'could not draw the timeline picture');
    return undefined;
  }
}

export async function autocomplete(interaction: AutocompleteInteraction, context: CommandContext): Promise<void> {
  const typed = String(interaction.options.getFocused());
  // Learned and curated entities, most-mentioned first.
  const known = (await context.services.entities()).map((entity) => entity.label);
  const suggestions = suggestEntities(typed, known, LIMITS.autocompleteChoices, LIMITS.choiceValue);
  await interaction.respond(suggestions.map((value) => ({ name: value, value })));
}

const turnPage: ButtonHandler = async (interaction, [timelineId, pageArg], context) => {
  const timeline = timelineId === undefined ? undefined : context.timelines.get(timelineId);
  if (!timeline || timelineId === undefined) {
    await interaction.reply({ content: EXPIRED_TIMELINE_MESSAGE, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
    return;
  }
  // The picture stays attached to the message; every page keeps showing it.
  const hasImage = (interaction.message.attachments?.size ?? 0) > 0;
  const { page: _page, pageCount: _count, ...message } = renderTimeline(timeline, { page: Number(pageArg) || 0, timelineId, image: hasImage });
  await interaction.update({ ...message, allowedMentions: NO_MENTIONS });
};

export const buttons: Readonly<Record<string, ButtonHandler>> = { [TIMELINE_PAGE_ACTION]: turnPage };
