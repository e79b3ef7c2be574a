// Renders an Answer as embeds (answer with [n] markers, numbered sources, mode footer) and its quoted passages.
import { ButtonStyle, ComponentType, type APIEmbed, type APIEmbedField } from 'discord.js';
import type { Answer, Citation } from '../../core/types.js';
import { groupBySource, type SourceGroup } from '../../core/answer/citations.js';
import { customId } from '../custom-id.js';
import { LIMITS } from './limits.js';
import { COLORS, type ButtonRow, type RenderedMessage } from './message.js';
import { code, embedsLength, literal, oneLine, packLines, splitText, truncate } from './text.js';

export const ASK_COMMAND = 'ask';
export const ANSWER_ACTIONS = { quotes: 'quotes', wrong: 'wrong', up: 'up', down: 'down' } as const;
/** Footer prefix of a follow-up's standalone question; also how a restart reads it back from the message. */
export const READ_AS_PREFIX = 'Read as: ';

/** Room kept for the source list, so a long answer cannot push the sources out (and the reverse). */
const SOURCES_FIELD_MAX = 980;
const SOURCES_FIELDS = 2;
/** Slack under the 6,000 total, for the rounding of truncation notes. */
const TOTAL_BUDGET = LIMITS.embedsTotal - 40;

/** Footer line of an answer that gets no thread because Discord (or the bot's budget) said to slow down. */
export const REPLY_TO_FOLLOW_UP = 'No thread this time (Discord is busy): reply to this answer to follow up';

function modeLabel(answer: Answer, standalone?: string, hint?: string): string {
  const mode = answer.mode === 'llm' ? 'LLM' : 'offline (extractive)';
  const fallback = answer.fallbackReason ? ` · fallback: ${oneLine(answer.fallbackReason)}` : '';
  const readAs = standalone ? `${READ_AS_PREFIX}"${truncate(oneLine(standalone), 1200)}"\n` : '';
  return truncate(`${readAs}Mode: ${mode}${fallback}${hint ? `\n${hint}` : ''}`, LIMITS.footer);
}

function safeUrl(url: string | null): { href: string; host: string } | null {
  if (!url || url.length > 300 || !/^https?:\/\/\S+$/.test(url)) return null;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return null;
  }
  return host ? { href: url.replace(/\)/g, '%29'), host } : null;
}

/**
 * `**[n]** Title (host) · date · `file`` with the title linked when the document has a URL. Documents pick their own
 * URLs, so the link's domain is always shown next to it: a masked link cannot pass for another site.
 */
export function sourceLine(citation: Pick<Citation, 'n' | 'title' | 'source' | 'url' | 'page'> & { date?: string | null }): string {
  const title = literal(truncate(oneLine(citation.title || citation.source), 100).replace(/[[\]]/g, ''));
  const url = safeUrl(citation.url);
  const shownTitle = url ? `[${title}](${url.href}) (${literal(url.host)})` : title;
  const date = citation.date === undefined ? '' : ` · ${citation.date ?? 'undated'}`;
  return `**[${citation.n}]** ${shownTitle}${date} · ${code(truncate(citation.source, 120))}${citation.page ? ` · p. ${citation.page}` : ''}`;
}

/** `**[1][3]** Title (host) · date · `file``: the document once, with every number that cites it. */
export function groupLine(group: SourceGroup): string {
  const first = group.citations[0];
  if (!first) return '';
  const line = sourceLine({ ...first, date: group.date });
  if (group.citations.length === 1) return line;
  return line.replace(`**[${first.n}]**`, `**${group.citations.map((c) => `[${c.n}]`).join('')}**`);
}

function sourceFields(citations: readonly Citation[], name: string): APIEmbedField[] {
  if (citations.length === 0) return [];
  // One line per document: a three-quote answer from one page lists its title once, with all its numbers.
  const lines = groupBySource(citations).map((group) => groupLine(group));
  const { blocks, omitted } = packLines(lines, SOURCES_FIELD_MAX, SOURCES_FIELDS);
  if (omitted > 0 && blocks.length > 0) blocks[blocks.length - 1] += `\n…and ${omitted} more (see Show quotes)`;
  return blocks.map((value, i) => ({ name: i === 0 ? name : `${name} (cont.)`, value }));
}

export function answerButtons(answerId: string, options: { report: boolean }): ButtonRow {
  const row: ButtonRow = {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        label: 'Show quotes',
        emoji: { name: '📑' },
        custom_id: customId(ASK_COMMAND, ANSWER_ACTIONS.quotes, answerId),
      },
    ],
  };
  if (options.report) {
    row.components.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: 'Wrong citation?',
      emoji: { name: '🚩' },
      custom_id: customId(ASK_COMMAND, ANSWER_ACTIONS.wrong, answerId),
    });
    // Votes tell admins which answers hold up; with refusals they show what the corpus is missing (npm run report).
    row.components.push(
      { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👍' }, custom_id: customId(ASK_COMMAND, ANSWER_ACTIONS.up, answerId) },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, emoji: { name: '👎' }, custom_id: customId(ASK_COMMAND, ANSWER_ACTIONS.down, answerId) },
    );
  }
  return row;
}

/**
 * The reply to /ask. Whatever the lengths, the result stays within every Discord limit: the answer is split over
 * up to two embeds and shortened (with a note) only when answer + sources exceed the 6,000-character total.
 */
export function renderAnswer(answer: Answer, answerId: string, options: { question?: string; standalone?: string; hint?: string } = {}): RenderedMessage {
  // A follow-up shows what the user asked as the title and the standalone question it was read as in the footer.
  const title = truncate(oneLine(options.question ?? answer.question) || 'Question', LIMITS.embedTitle);
  const footer = modeLabel(answer, options.standalone, options.hint);
  const fields = sourceFields(answer.citations, answer.refused ? 'Closest sources (they do not answer it)' : 'Sources');
  const fixed = embedsLength([{ title, footer: { text: footer }, fields }]);

  let text = literal(answer.answer.trim());
  if (answer.refused) text = `⚠️ **No supported answer.** ${text}`;
  const budget = TOTAL_BUDGET - fixed;
  if (text.length > budget) {
    const note = `\n\n*(shortened to fit Discord: ${text.length.toLocaleString('en-US')} characters in full)*`;
    text = truncate(text, Math.max(0, budget - note.length)) + note;
  }
  const parts = text.length > 0 ? splitText(text, LIMITS.embedDescription) : [];

  const color = answer.refused ? COLORS.refusal : COLORS.answer;
  const embeds: APIEmbed[] = parts.length > 0 ? parts.map((description) => ({ color, description })) : [{ color }];
  const first = embeds[0]!;
  const last = embeds[embeds.length - 1]!;
  first.title = title;
  if (fields.length > 0) last.fields = fields;
  last.footer = { text: footer };

  const components = answer.citations.length > 0 ? [answerButtons(answerId, { report: !answer.refused })] : [];
  return { embeds, components };
}

function quoteBlock(citation: Citation, cap: number): string {
  const header = sourceLine(citation);
  const quote = literal(truncate(citation.quote.trim(), cap))
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return `${header}\n${quote}`;
}

/** The ephemeral reply to "Show quotes": each [n] with the exact passage it cites, within the limits. */
export function renderQuotes(answer: Answer): RenderedMessage {
  const title = truncate(`Quoted passages · ${oneLine(answer.question)}`, LIMITS.embedTitle);
  if (answer.citations.length === 0) {
    return { embeds: [{ color: COLORS.quotes, title, description: 'This answer cites no passages.' }], components: [] };
  }
  const headers = answer.citations.reduce((sum, c) => sum + sourceLine(c).length + 8, 0);
  // Share the room fairly between quotes; a very long single quote still gets up to 1,500 characters.
  const cap = Math.max(200, Math.min(1500, Math.floor((TOTAL_BUDGET - title.length - 100 - headers) / answer.citations.length)));
  const blocks: string[] = [];
  let total = title.length + 100;
  let omitted = 0;
  for (const citation of answer.citations) {
    const block = quoteBlock(citation, cap);
    if (blocks.length > 0 && (omitted > 0 || total + block.length + 2 > TOTAL_BUDGET)) {
      omitted += 1;
      continue;
    }
    blocks.push(block);
    total += block.length + 2;
  }
  const packed = packLines(blocks, LIMITS.embedDescription, LIMITS.embedsPerMessage, '\n\n').blocks;
  const embeds: APIEmbed[] = packed.map((description) => ({ color: COLORS.quotes, description }));
  embeds[0]!.title = title;
  if (omitted > 0) embeds[embeds.length - 1]!.footer = { text: `${omitted} more passages not shown (Discord's size limit)` };
  return { embeds, components: [] };
}
