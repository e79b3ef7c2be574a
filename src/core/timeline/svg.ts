// A timeline drawn as SVG: a vertical time axis with year ticks, one mark per event (filled when it happened,
// hollow when planned, a bar for a range) with a short label, and the undated events listed beside it. Pure
// string building; rasterising is the adapters' business. Colours default to Discord's dark theme.
import type { Timeline, TimelineEvent } from '../types.js';

export interface TimelineTheme {
  background: string;
  panel: string;
  title: string;
  text: string;
  muted: string;
  axis: string;
  happened: string;
  planned: string;
  range: string;
}

/** Discord's dark-theme palette (embed background, text greys, blurple, yellow, green). */
export const DISCORD_DARK: TimelineTheme = {
  background: '#2b2d31',
  panel: '#1e1f22',
  title: '#f2f3f5',
  text: '#dbdee1',
  muted: '#949ba4',
  axis: '#4e5058',
  happened: '#5865f2',
  planned: '#f0b232',
  range: '#23a55a',
};

export interface TimelineSvgOptions {
  /** Pixel width; the height follows from the content. */
  width?: number;
  theme?: TimelineTheme;
  /** Events labelled on the picture; the rest are summarised in one line (the embed lists them all). */
  maxEvents?: number;
  maxUndated?: number;
  /** Font family name the rasteriser has loaded. */
  fontFamily?: string;
}

export interface TimelineLayout {
  svg: string;
  width: number;
  height: number;
  /** What was drawn, for tests and logs. */
  events: number;
  ticks: string[];
}

const FONT = 21;
const SMALL = 18;
const LINE = 25;
const CHAR_WIDTH = 0.56; // average advance of DejaVu Sans, in em: enough to wrap labels without measuring

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c] ?? ''};`);
}

/** Fractional year of the start (or end) of an ISO prefix: "2025" → 2025, "2025-07" → 2025.5. */
function yearOf(date: string): number {
  const [y = '0', m, d] = date.split('-');
  const month = m === undefined ? 0 : Number(m) - 1;
  const day = d === undefined ? 0 : Number(d) - 1;
  return Number(y) + month / 12 + day / 365;
}

function spanOf(event: TimelineEvent): { start: number; end: number; range: boolean } {
  const [from = '', to] = event.date.split('/');
  const start = yearOf(from);
  return to === undefined ? { start, end: start, range: false } : { start, end: Math.max(start, yearOf(to)), range: true };
}

/** Greedy word wrap to `max` characters per line, at most `lines` lines, the last one ellipsised. */
export function wrap(text: string, max: number, lines: number): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const out: string[] = [];
  let current = '';
  for (const word of words) {
    const next = current === '' ? word : `${current} ${word}`;
    if (next.length <= max) {
      current = next;
      continue;
    }
    if (current !== '') out.push(current);
    current = word.length > max ? `${word.slice(0, max - 1)}…` : word;
    if (out.length === lines) break;
  }
  if (out.length < lines && current !== '') out.push(current);
  if (out.length > lines || (out.length === lines && out.join(' ').length < text.replace(/\s+/g, ' ').trim().length)) {
    const kept = out.slice(0, lines);
    const last = kept[lines - 1] ?? '';
    kept[lines - 1] = `${last.length > max - 1 ? last.slice(0, max - 1) : last}…`.replace(/[\s,;:.]+…$/, '…');
    return kept;
  }
  return out;
}

/** Wrapped text that always ends with `suffix` (citation marks must survive the cut). */
function wrapWith(text: string, suffix: string, max: number, lines: number): string[] {
  const out = wrap(`${text} ${suffix}`, max, lines);
  const last = out[out.length - 1] ?? '';
  if (last.endsWith(suffix)) return out;
  const room = max - suffix.length - 1;
  out[out.length - 1] = `${last.replace(/…$/, '').slice(0, Math.max(0, room - 1)).trimEnd()}… ${suffix}`;
  return out;
}

/** A label short enough for the picture: the sentence without its attribution tail. */
function shortText(text: string): string {
  return text
    .replace(/,?\s+(?:he|she|they|it|the \w+|an? \w+|\w+ \w+) (?:said|says|added|told \w+|reported|announced)\.?$/i, '.')
    .replace(/\s+/g, ' ')
    .trim();
}

function markers(event: { citations: ReadonlyArray<{ n: number }> }): string {
  return [...new Set(event.citations.map((c) => c.n))]
    .sort((a, b) => a - b)
    .map((n) => `[${n}]`)
    .join('');
}

function formatDate(date: string): string {
  return date.includes('/') ? date.split('/').join(' → ') : date;
}

interface Group {
  date: string;
  start: number;
  end: number;
  range: boolean;
  planned: boolean;
  events: TimelineEvent[];
}

/** Consecutive events on the same date share one mark and one label. */
function groupsOf(events: readonly TimelineEvent[]): Group[] {
  const groups: Group[] = [];
  for (const event of events) {
    const last = groups[groups.length - 1];
    if (last && last.date === event.date) {
      last.events.push(event);
      last.planned &&= event.status === 'planned';
      continue;
    }
    const span = spanOf(event);
    groups.push({ date: event.date, ...span, planned: event.status === 'planned', events: [event] });
  }
  return groups;
}

/** Ends the date at the start of a label (not whitespace, so wrapping keeps it with the date). */
const DATE_END = '\u2063';

interface Row {
  group: Group;
  event: TimelineEvent;
  /** First row of its group: carries the mark and the date. */
  lead: boolean;
  lines: string[];
  y: number;
}

/** Piecewise-linear time → y through the rows' marks (the axis follows the list, so every event has a row). */
function interpolate(knots: ReadonlyArray<{ t: number; y: number }>, t: number): number {
  const first = knots[0];
  if (!first) return 0;
  if (t <= first.t) return first.y;
  for (let i = 1; i < knots.length; i += 1) {
    const a = knots[i - 1] as { t: number; y: number };
    const b = knots[i] as { t: number; y: number };
    if (t <= b.t) return b.t === a.t ? a.y : a.y + ((t - a.t) / (b.t - a.t)) * (b.y - a.y);
  }
  const last = knots[knots.length - 1] as { t: number; y: number };
  return last.y;
}

export function timelineSvg(timeline: Timeline, options: TimelineSvgOptions = {}): TimelineLayout {
  const theme = options.theme ?? DISCORD_DARK;
  const width = options.width ?? 1000;
  const maxEvents = options.maxEvents ?? 10;
  const maxUndated = options.maxUndated ?? 5;
  const font = escapeXml(options.fontFamily ?? 'DejaVu Sans');
  const pad = 28;
  const hasUndated = timeline.undated.length > 0;
  const sideWidth = hasUndated ? 290 : 0;
  const axisX = pad + 72;
  const textX = axisX + 30;
  const textRight = width - pad - (hasUndated ? sideWidth + 24 : 0);
  const chars = Math.floor((textRight - textX) / (FONT * CHAR_WIDTH));
  const top = pad + 92;

  // Rows: one per event (two lines at most); events sharing a date share one mark.
  // The most recent events when there are too many: the list in the message has them all.
  const shownEvents = timeline.events.slice(Math.max(0, timeline.events.length - maxEvents));
  const groups = groupsOf(shownEvents);
  const rows: Row[] = [];
  let y = top;
  let previous: Group | undefined;
  for (const group of groups) {
    // A long stretch of empty time gets a little extra room, where the axis shows a break.
    if (previous && group.start - previous.end > 8) y += 22;
    group.events.forEach((event, k) => {
      const head = k === 0 ? `${formatDate(group.date)}${event.status === 'planned' ? ' (planned)' : ''}${DATE_END} ` : '';
      const lines = wrapWith(`${head}${shortText(event.text)}`, markers(event), chars, 2);
      rows.push({ group, event, lead: k === 0, lines, y });
      y += LINE * lines.length + 12;
    });
    previous = group;
  }
  const axisBottom = rows.length > 0 ? y - 12 : top;

  const knots: Array<{ t: number; y: number }> = [];
  for (const group of groups) {
    const groupRows = rows.filter((r) => r.group === group);
    const first = groupRows[0];
    const last = groupRows[groupRows.length - 1];
    if (!first || !last) continue;
    knots.push({ t: group.start, y: first.y });
    // Further rows of the same date take vertical room but no time.
    if (last !== first && !group.range) knots.push({ t: group.start, y: last.y });
  }
  // The end of a range is placed in time between the marks around it.
  const yOf = (t: number) => interpolate(knots, t);
  const broken: Array<[number, number]> = [];
  for (let i = 1; i < groups.length; i += 1) {
    const a = groups[i - 1] as Group;
    const b = groups[i] as Group;
    if (b.start - a.end > 8) broken.push([yOf(a.end), yOf(b.start)]);
  }

  const parts: string[] = [];
  // Axis, interrupted where time is skipped.
  if (rows.length > 0) {
    let from = top - 18;
    for (const [a, b] of broken) {
      const mid = (a + b) / 2;
      parts.push(`<line x1="${axisX}" y1="${from.toFixed(1)}" x2="${axisX}" y2="${(mid - 7).toFixed(1)}" stroke="${theme.axis}" stroke-width="4"/>`);
      parts.push(
        `<path class="break" d="M${axisX - 10} ${(mid - 3).toFixed(1)} L${axisX + 10} ${(mid - 11).toFixed(1)} M${axisX - 10} ${(mid + 11).toFixed(1)} L${axisX + 10} ${(mid + 3).toFixed(1)}" stroke="${theme.muted}" stroke-width="2.5"/>`,
      );
      from = mid + 7;
    }
    parts.push(`<line x1="${axisX}" y1="${from.toFixed(1)}" x2="${axisX}" y2="${(axisBottom + 10).toFixed(1)}" stroke="${theme.axis}" stroke-width="4"/>`);
  }

  // Year ticks on the left: years with events first, then the years between them where there is room; never
  // touching, none inside a skipped stretch.
  const ticks: string[] = [];
  if (groups.length > 0) {
    const starts = groups.map((g) => g.start);
    const ends = groups.map((g) => g.end);
    const earliest = Math.min(...starts);
    const firstYear = Math.floor(earliest);
    const lastYear = Math.floor(Math.max(...ends, ...starts));
    const eventYears = new Set(groups.map((g) => Math.floor(g.start)));
    const candidates: number[] = [];
    for (let year = firstYear; year <= lastYear; year += 1) candidates.push(year);
    candidates.sort((a, b) => Number(eventYears.has(b)) - Number(eventYears.has(a)) || a - b);
    const placed: Array<{ year: number; y: number }> = [];
    for (const year of candidates) {
      const ty = yOf(Math.max(year, earliest));
      if (placed.some((p) => Math.abs(p.y - ty) < 30)) continue;
      if (broken.some(([a, b]) => ty > a + 1 && ty < b - 1)) continue;
      placed.push({ year, y: ty });
    }
    placed.sort((a, b) => a.year - b.year);
    for (const { year, y: ty } of placed) {
      ticks.push(String(year));
      parts.push(
        `<g class="tick"><line x1="${axisX - 14}" y1="${ty.toFixed(1)}" x2="${axisX - 2}" y2="${ty.toFixed(1)}" stroke="${theme.muted}" stroke-width="2"/>` +
          `<text x="${axisX - 20}" y="${(ty + 6).toFixed(1)}" font-size="${SMALL}" font-weight="bold" text-anchor="end" fill="${theme.muted}">${year}</text></g>`,
      );
    }
  }

  // Marks and labels.
  for (const group of groups) {
    const groupRows = rows.filter((r) => r.group === group);
    const lead = groupRows[0];
    if (!lead) continue;
    const color = group.range ? theme.range : group.planned ? theme.planned : theme.happened;
    const y0 = lead.y - 7;
    const y1 = group.range ? Math.max(y0 + 26, yOf(group.end) - 7) : y0;
    const mark = group.range
      ? `<rect class="range" x="${axisX - 7}" y="${y0.toFixed(1)}" width="14" height="${(y1 - y0).toFixed(1)}" rx="7" fill="${group.planned ? theme.background : color}" stroke="${color}" stroke-width="3"/>`
      : group.planned
        ? `<circle class="dot planned" cx="${axisX}" cy="${y0.toFixed(1)}" r="8" fill="${theme.background}" stroke="${color}" stroke-width="3"/>`
        : `<circle class="dot happened" cx="${axisX}" cy="${y0.toFixed(1)}" r="8" fill="${color}"/>`;
    const last = groupRows[groupRows.length - 1] as Row;
    // Rows after the first of a date hang from its mark.
    const bracket =
      groupRows.length > 1
        ? `<path d="M${axisX + 12} ${y0.toFixed(1)} L${textX - 12} ${y0.toFixed(1)} M${textX - 16} ${y0.toFixed(1)} L${textX - 16} ${(last.y - 7).toFixed(1)}" fill="none" stroke="${theme.axis}" stroke-width="2"/>` +
          groupRows
            .slice(1)
            .map((r) => `<line x1="${textX - 16}" y1="${(r.y - 7).toFixed(1)}" x2="${textX - 8}" y2="${(r.y - 7).toFixed(1)}" stroke="${theme.axis}" stroke-width="2"/>`)
            .join('')
        : `<line x1="${axisX + 12}" y1="${y0.toFixed(1)}" x2="${textX - 8}" y2="${y0.toFixed(1)}" stroke="${theme.axis}" stroke-width="2"/>`;
    const texts = groupRows
      .map((row) =>
        row.lines
          .map((line, k) => {
            const ly = (row.y + LINE * k).toFixed(1);
            if (k === 0 && row.lead) {
              // The date leads the first line, in the mark's colour.
              const cut = line.indexOf(DATE_END);
              const date = cut > 0 ? line.slice(0, cut) : '';
              const rest = cut > 0 ? line.slice(cut + 1).trim() : line;
              return `<text x="${textX}" y="${ly}" font-size="${FONT}" fill="${theme.text}"><tspan font-weight="bold" fill="${color}">${escapeXml(date)}</tspan>${rest ? ` ${escapeXml(rest)}` : ''}</text>`;
            }
            return `<text x="${textX}" y="${ly}" font-size="${FONT}" fill="${theme.text}">${escapeXml(line)}</text>`;
          })
          .join(''),
      )
      .join('');
    parts.push(
      `<g class="event" data-date="${escapeXml(group.date)}" data-status="${group.planned ? 'planned' : 'happened'}" data-count="${group.events.length}">${bracket}${mark}${texts}</g>`,
    );
  }

  let bottom = axisBottom + 28;
  if (rows.length === 0) {
    const message = timeline.message ?? (timeline.undated.length > 0 ? 'No dated events: see the undated list.' : 'No events found.');
    const lines = wrap(message, Math.floor((textRight - pad) / (FONT * CHAR_WIDTH)), 3);
    lines.forEach((line, k) => parts.push(`<text class="message" x="${pad}" y="${top + LINE * k}" font-size="${FONT}" fill="${theme.text}">${escapeXml(line)}</text>`));
    bottom = top + LINE * lines.length + 10;
  }


  // Undated, listed beside the axis.
  if (hasUndated) {
    const x = width - pad - sideWidth;
    const sideChars = Math.floor((sideWidth - 44) / (SMALL * CHAR_WIDTH));
    let sy = top + 30;
    const items: string[] = [];
    const shown = timeline.undated.slice(0, maxUndated);
    for (const event of shown) {
      const lines = wrapWith(shortText(event.text), markers(event), sideChars, 3);
      items.push(
        `<g class="undated"><circle cx="${x + 20}" cy="${(sy - 6).toFixed(1)}" r="4" fill="${theme.muted}"/>` +
          lines.map((line, k) => `<text x="${x + 32}" y="${(sy + LINE * k).toFixed(1)}" font-size="${SMALL}" fill="${theme.text}">${escapeXml(line)}</text>`).join('') +
          '</g>',
      );
      sy += LINE * lines.length + 10;
    }
    const more = timeline.undated.length - shown.length;
    if (more > 0) {
      items.push(`<text x="${x + 20}" y="${sy.toFixed(1)}" font-size="${SMALL}" fill="${theme.muted}">+ ${more} more in the list</text>`);
      sy += LINE;
    }
    const panelTop = top - 38;
    parts.push(
      `<rect x="${x}" y="${panelTop}" width="${sideWidth}" height="${(sy - panelTop).toFixed(1)}" rx="10" fill="${theme.panel}"/>`,
      `<text x="${x + 20}" y="${panelTop + 28}" font-size="${FONT}" font-weight="bold" fill="${theme.title}">Undated</text>`,
      ...items,
    );
    bottom = Math.max(bottom, sy + 20);
  }

  const legendY = bottom + 10;
  const legend = [
    `<circle cx="${pad + 8}" cy="${legendY - 6}" r="7" fill="${theme.happened}"/>`,
    `<text x="${pad + 22}" y="${legendY}" font-size="${SMALL}" fill="${theme.muted}">happened</text>`,
    `<circle cx="${pad + 130}" cy="${legendY - 6}" r="7" fill="${theme.background}" stroke="${theme.planned}" stroke-width="3"/>`,
    `<text x="${pad + 144}" y="${legendY}" font-size="${SMALL}" fill="${theme.muted}">planned</text>`,
    `<rect x="${pad + 236}" y="${legendY - 13}" width="26" height="14" rx="7" fill="${theme.range}"/>`,
    `<text x="${pad + 270}" y="${legendY}" font-size="${SMALL}" fill="${theme.muted}">date range</text>`,
  ];
  const height = Math.ceil(rows.length > 0 ? legendY + 20 : bottom);
  const title = `Timeline · ${timeline.entities.map((e) => e.label).join(' · ')}`;
  const hidden = timeline.events.length - shownEvents.length;
  const counts = `${timeline.events.length} dated${hidden > 0 ? ` (the ${shownEvents.length} latest drawn)` : ''} · ${timeline.undated.length} undated · [n] = source`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${font}">` +
    `<rect width="100%" height="100%" fill="${theme.background}"/>` +
    `<text class="title" x="${pad}" y="${pad + 26}" font-size="28" font-weight="bold" fill="${theme.title}">${escapeXml(wrap(title, Math.floor((width - 2 * pad) / (28 * 0.62)), 1)[0] ?? '')}</text>` +
    `<text x="${pad}" y="${pad + 54}" font-size="${SMALL}" fill="${theme.muted}">${escapeXml(counts)}</text>` +
    parts.join('') +
    (rows.length > 0 ? legend.join('') : '') +
    '</svg>';
  return { svg, width, height, events: groups.length, ticks };
}
