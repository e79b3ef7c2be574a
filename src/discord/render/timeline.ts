// Renders a Timeline as pages: one embed per page (dated events, then an Undated section), ◀ ▶ when needed.
import { ButtonStyle, ComponentType, type APIEmbed } from 'discord.js';
import type { Timeline, TimelineCitation } from '../../core/types.js';
import { customId } from '../custom-id.js';
import { sourceLine } from './answer.js';
import { LIMITS } from './limits.js';
import { COLORS, type RenderedMessage } from './message.js';
import { literal, oneLine, packLines, truncate } from './text.js';

export const TIMELINE_COMMAND = 'timeline';
export const TIMELINE_PAGE_ACTION = 'page';
/** File name of the picture uploaded with a /timeline reply; the embed shows it via `attachment://`. */
export const TIMELINE_IMAGE_NAME = 'timeline.png';

export interface TimelinePagingOptions {
  /** Characters of event lines per page (kept well under 4,096 so the source legend fits the 6,000 total). */
  maxChars?: number;
  maxLines?: number;
}

interface Entry {
  undated: boolean;
  line: string;
  citations: TimelineCitation[];
}

const UNDATED_HEADER = '**Undated**';

/** `2025-08-23`, `2025-08`, `2025`, or an interval `2025-01/2025-03` shown as `2025-01 → 2025-03`. */
export function formatDatePrefix(date: string): string {
  return date.includes('/') ? date.split('/').join(' → ') : date;
}

function markers(citations: readonly TimelineCitation[]): string {
  const numbers = [...new Set(citations.map((c) => c.n))].sort((a, b) => a - b);
  return numbers.map((n) => `[${n}]`).join('');
}

function entries(timeline: Timeline): Entry[] {
  const dated = timeline.events.map((event) => ({
    undated: false,
    line: `\`${formatDatePrefix(event.date)}\` ${event.status === 'planned' ? '*(planned)* ' : ''}${literal(truncate(oneLine(event.text), 200))} ${markers(event.citations)}`.trimEnd(),
    citations: event.citations,
  }));
  const undated = timeline.undated.map((event) => ({
    undated: true,
    line: `• ${literal(truncate(oneLine(event.text), 200))} ${markers(event.citations)}`.trimEnd(),
    citations: event.citations,
  }));
  return [...dated, ...undated];
}

/** Splits the events into pages; each page is a list of description lines and the citations they use. */
export function paginateTimeline(timeline: Timeline, options: TimelinePagingOptions = {}): Array<{ lines: string[]; citations: TimelineCitation[] }> {
  const maxChars = options.maxChars ?? 3200;
  const maxLines = options.maxLines ?? 15;
  const pages: Array<{ lines: string[]; citations: TimelineCitation[] }> = [];
  let lines: string[] = [];
  let citations: TimelineCitation[] = [];
  let chars = 0;
  let events = 0;
  let headerShown = false;
  for (const entry of entries(timeline)) {
    const extra = entry.undated && !headerShown ? [UNDATED_HEADER] : [];
    const added = [...extra, entry.line].reduce((sum, line) => sum + line.length + 1, 0);
    if (events > 0 && (chars + added > maxChars || events >= maxLines)) {
      pages.push({ lines, citations });
      lines = [];
      citations = [];
      chars = 0;
      events = 0;
    }
    if (entry.undated && !headerShown) {
      if (lines.length > 0) lines.push('');
      lines.push(UNDATED_HEADER);
      headerShown = true;
    }
    lines.push(entry.line);
    citations.push(...entry.citations);
    chars += added;
    events += 1;
  }
  if (lines.length > 0 || pages.length === 0) pages.push({ lines, citations });
  return pages;
}

function legend(citations: readonly TimelineCitation[]): APIEmbed['fields'] {
  const byNumber = new Map<number, TimelineCitation>();
  for (const citation of citations) if (!byNumber.has(citation.n)) byNumber.set(citation.n, citation);
  const lines = [...byNumber.values()]
    .sort((a, b) => a.n - b.n)
    // A document with an address gets a clickable title with its domain beside it, as in /ask's sources.
    .map((c) => (c.url ? sourceLine({ n: c.n, title: c.title, source: c.source, url: c.url, page: null }) : `**[${c.n}]** ${literal(truncate(oneLine(c.title || c.source), 90))} · \`${truncate(c.source, 100).replace(/`/g, 'ˋ')}\``));
  if (lines.length === 0) return [];
  const { blocks, omitted } = packLines(lines, 980, 2);
  if (omitted > 0) blocks[blocks.length - 1] += `\n…and ${omitted} more`;
  return blocks.map((value, i) => ({ name: i === 0 ? 'Sources' : 'Sources (cont.)', value }));
}

/** One page of the timeline as a message; `page` is clamped to the available pages. */
export function renderTimeline(
  timeline: Timeline,
  options: { page: number; timelineId: string; image?: boolean } & TimelinePagingOptions,
): RenderedMessage & { page: number; pageCount: number } {
  const pages = paginateTimeline(timeline, options);
  const page = Math.min(Math.max(0, Math.trunc(options.page)), pages.length - 1);
  const current = pages[page]!;
  const title = truncate(`Timeline · ${timeline.entities.map((e) => e.label).join(' · ')}`, LIMITS.embedTitle);
  const empty = timeline.events.length === 0 && timeline.undated.length === 0;
  const description = empty ? (timeline.message ?? 'No events involving these entities were found in the indexed documents.') : current.lines.join('\n');
  const counts = `${timeline.events.length} dated · ${timeline.undated.length} undated`;
  const footer = pages.length > 1 ? `Page ${page + 1}/${pages.length} · ${counts}` : counts;
  const embed: APIEmbed = { color: COLORS.info, title, description: truncate(description, LIMITS.embedDescription), footer: { text: footer } };
  // The picture uploaded with the message (see TIMELINE_IMAGE_NAME) shown inside the embed, under the cited list.
  if (options.image) embed.image = { url: `attachment://${TIMELINE_IMAGE_NAME}` };
  const fields = legend(current.citations);
  if (fields && fields.length > 0) embed.fields = fields;

  const components: RenderedMessage['components'] =
    pages.length > 1
      ? [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                emoji: { name: '◀' },
                custom_id: customId(TIMELINE_COMMAND, TIMELINE_PAGE_ACTION, options.timelineId, String(page - 1)),
                disabled: page === 0,
              },
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                emoji: { name: '▶' },
                custom_id: customId(TIMELINE_COMMAND, TIMELINE_PAGE_ACTION, options.timelineId, String(page + 1)),
                disabled: page === pages.length - 1,
              },
            ],
          },
        ]
      : [];
  return { embeds: [embed], components, page, pageCount: pages.length };
}
