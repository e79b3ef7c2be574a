// Text helpers that keep Discord limits: cut cleanly (word boundary, no split surrogate pair), never throw.
import type { APIEmbed } from 'discord.js';

const ELLIPSIS = '…';

/** Index ≤ `at` that does not fall between the two halves of a surrogate pair. */
function safeCut(text: string, at: number): number {
  if (at <= 0) return 0;
  if (at >= text.length) return text.length;
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** `text` shortened to at most `max` characters, ending with `…` at a word boundary when one is near. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  const hard = safeCut(text, max - ELLIPSIS.length);
  const space = text.lastIndexOf(' ', hard);
  // Prefer the word boundary unless it throws away too much of the room.
  const cut = space >= hard * 0.8 ? space : hard;
  return text.slice(0, cut).trimEnd() + ELLIPSIS;
}

/** Whitespace (including newlines) collapsed to single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Markdown escaped so document text renders literally: inline formatting, mention syntax, masked links, and
 * line-start quotes, headings and lists. Linear time (discord.js's escapeMarkdown is slow on long texts).
 * `[n]` markers are left alone.
 */
export function literal(text: string): string {
  return text
    .replace(/[\\*_~`|<]/g, '\\$&')
    .replace(/\]\(/g, ']\\(')
    .replace(/^([ \t]*)([>#]|[-+](?=\s))/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])(?=\s)/gm, '$1\\$2');
}

/** A filename shown as inline code; backticks cannot be escaped inside code spans, so they are replaced. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, 'ˋ')}\``;
}

/** Where to break `text` so the first part is ≤ `max`: paragraph, line, sentence/marker end, space, else hard. */
function breakPoint(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  const floor = Math.floor(max / 2);
  const paragraph = window.lastIndexOf('\n\n');
  if (paragraph >= floor) return paragraph;
  const line = window.lastIndexOf('\n');
  if (line >= floor) return line;
  // After a sentence or a citation marker, but never right before a marker: `[3]` stays with its sentence.
  const sentence = /[.!?\]]\s+(?!\[\d)/g;
  let best = -1;
  for (let match = sentence.exec(window); match; match = sentence.exec(window)) {
    const at = match.index + 1;
    if (at <= max) best = at;
  }
  if (best >= floor) return best;
  const space = window.lastIndexOf(' ');
  if (space >= floor) return space;
  return safeCut(text, max);
}

/** Splits `text` into parts of at most `max` characters, breaking at the most natural place available. */
export function splitText(text: string, max: number): string[] {
  if (max < 1) throw new RangeError('max must be ≥ 1');
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    let at = breakPoint(rest, max);
    if (at <= 0) at = Math.max(1, safeCut(rest, max));
    const head = rest.slice(0, at).trimEnd();
    if (head.length > 0) parts.push(head);
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/**
 * Packs lines into blocks of at most `max` characters (joined by `separator`). A line longer than `max` is truncated.
 * Returns the blocks and how many lines did not fit when `maxBlocks` ran out.
 */
export function packLines(
  lines: readonly string[],
  max: number,
  maxBlocks = Infinity,
  separator = '\n',
): { blocks: string[]; omitted: number } {
  const blocks: string[] = [];
  let current = '';
  let used = 0;
  for (const raw of lines) {
    const line = truncate(raw, max);
    const candidate = current === '' ? line : `${current}${separator}${line}`;
    if (candidate.length <= max) {
      current = candidate;
      used += 1;
      continue;
    }
    if (blocks.length + 1 >= maxBlocks) break;
    blocks.push(current);
    current = line;
    used += 1;
  }
  if (current !== '') blocks.push(current);
  return { blocks, omitted: lines.length - used };
}

/** Characters Discord counts toward the 6,000 total of one embed. */
export function embedLength(embed: APIEmbed): number {
  let total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0);
  total += (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  return total;
}

export function embedsLength(embeds: readonly APIEmbed[]): number {
  return embeds.reduce((sum, embed) => sum + embedLength(embed), 0);
}
