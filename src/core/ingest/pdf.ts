// PDF text layer → paragraphs in reading order, each tagged with its page. Pure: works on what the parser worker
// extracted (positioned text items), so every rule here is testable without a PDF library.
//
// Order of work on each page: items → lines (same baseline), lines → segments (split at wide gaps), a column
// gutter if segments line up on both sides of one, then paragraphs (vertical gaps, size changes) with hyphenation
// at line ends repaired. Lines repeated at the top or bottom of most pages (running headers and footers) and bare
// page numbers are dropped; everything else goes through the same cleaning rules as web pages (clean.ts).
import type { PdfExtraction, PdfPageText, PdfTextItem } from './extract/extractor.js';
import { boilerplateKey, endsSentence, isPageNumber, isShortLine, startsLowercase } from './patterns.js';

interface Segment {
  x0: number;
  x1: number;
  y: number;
  size: number;
  text: string;
}

/** A paragraph-sized piece of text and the page(s) it came from. */
export interface PagedUnit {
  text: string;
  page: number;
  /** Offsets inside `text` where a later page begins (a paragraph continued over a page break). */
  breaks: Array<{ at: number; page: number }>;
  heading: boolean;
}

export interface PdfLayout {
  units: PagedUnit[];
  /** The largest-type line at the top of the first page, when it stands out from the body text. */
  heading: string | null;
  pageCount: number;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Items on one baseline, left to right; words are separated where the gap between items is wider than a space. */
function linesOf(items: readonly PdfTextItem[]): Segment[][] {
  const sorted = [...items].sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: PdfTextItem[][] = [];
  for (const item of sorted) {
    const row = rows[rows.length - 1];
    if (row && Math.abs(row[0]!.y - item.y) <= Math.min(row[0]!.size, item.size) * 0.4) row.push(item);
    else rows.push([item]);
  }
  return rows.map((row) => {
    row.sort((a, b) => a.x - b.x);
    const segments: Segment[] = [];
    let current: Segment | null = null;
    let prev: PdfTextItem | null = null;
    for (const item of row) {
      const gap = prev ? item.x - (prev.x + prev.width) : 0;
      if (!current || !prev || gap > Math.max(prev.size, item.size) * 1.5) {
        current = { x0: item.x, x1: item.x + item.width, y: item.y, size: item.size, text: item.str };
        segments.push(current);
      } else {
        const space = gap > Math.min(prev.size, item.size) * 0.15 && !/\s$/.test(current.text) && !/^\s/.test(item.str);
        current.text += (space ? ' ' : '') + item.str;
        current.x1 = Math.max(current.x1, item.x + item.width);
        current.size = Math.max(current.size, item.size);
      }
      prev = item;
    }
    for (const s of segments) s.text = s.text.replace(/\s+/g, ' ').trim();
    return segments.filter((s) => s.text.length > 0);
  });
}

/**
 * A vertical strip in the middle of the page that no body segment crosses while several sit on each side of it,
 * side by side: the gutter between two columns. Lines crossing it (titles, footers) are allowed if rare.
 */
function findGutter(rows: Segment[][], width: number): number | null {
  const segments = rows.flat();
  if (segments.length < 6) return null;
  let best: { x: number; crossing: number } | null = null;
  for (let x = width * 0.3; x <= width * 0.7; x += 2) {
    let left = 0;
    let right = 0;
    let crossing = 0;
    for (const s of segments) {
      if (s.x1 <= x) left++;
      else if (s.x0 >= x) right++;
      else crossing++;
    }
    if (left < 3 || right < 3 || crossing > 0.15 * segments.length) continue;
    // Columns hold running text; short cells side by side are a table, read row by row.
    if (median(segments.filter((seg) => seg.x1 <= x || seg.x0 >= x).map((seg) => seg.text.length)) < 20) continue;
    // Side by side: some rows hold a segment on each side of the strip.
    const sideBySide = rows.filter((row) => row.some((s) => s.x1 <= x) && row.some((s) => s.x0 >= x)).length;
    if (sideBySide < 3) continue;
    if (!best || crossing < best.crossing) best = { x, crossing };
  }
  return best?.x ?? null;
}

/** Lines in reading order: full-width lines as they come, and between two of them the left column before the right. */
function readingOrder(page: PdfPageText): Segment[] {
  const rows = linesOf(page.items);
  const gutter = findGutter(rows, page.width);
  if (gutter === null) {
    return rows.map((row) => ({
      x0: Math.min(...row.map((s) => s.x0)),
      x1: Math.max(...row.map((s) => s.x1)),
      y: row[0]!.y,
      size: Math.max(...row.map((s) => s.size)),
      text: row.map((s) => s.text).join(' '),
    }));
  }
  const ordered: Segment[] = [];
  let left: Segment[] = [];
  let right: Segment[] = [];
  const flush = (): void => {
    ordered.push(...left, ...right);
    left = [];
    right = [];
  };
  for (const row of rows) {
    for (const s of row) {
      if (s.x1 <= gutter) left.push(s);
      else if (s.x0 >= gutter) right.push(s);
      else {
        flush();
        ordered.push(s);
      }
    }
  }
  flush();
  return ordered;
}

/** Joins two lines of one paragraph, undoing a hyphenation at the line end ("engi-" + "neers" → "engineers"). */
export function joinLines(first: string, second: string): string {
  if (/\p{L}-$/u.test(first) && startsLowercase(second)) return first.slice(0, -1) + second;
  return `${first} ${second}`;
}

interface PageLines {
  lines: Segment[];
  bodySize: number;
}

function edgeKey(text: string): string {
  return boilerplateKey(text).replace(/\d+/g, '#');
}

/**
 * The outermost one or two lines of a page when a clear gap sets them apart from the text block: where running
 * headers and footers sit. Lines that run on at the usual line spacing belong to the body.
 */
function edgeBlock(ordered: readonly Segment[], bodySize: number): Segment[] {
  const EDGE = 2;
  for (let n = 1; n <= Math.min(EDGE, ordered.length - 1); n++) {
    if (Math.abs(ordered[n - 1]!.y - ordered[n]!.y) > bodySize * 1.8) return ordered.slice(0, n);
  }
  return [];
}

/**
 * Lines at the top or bottom of a page that recur (digits ignored) on at least half of the pages, or bare page
 * numbers there: running headers and footers. The PDF counterpart of lines repeated across a site's pages.
 */
function runningLines(pages: PageLines[]): Set<Segment> {
  const edges = pages.map(({ lines, bodySize }) => {
    const sorted = [...lines].sort((a, b) => b.y - a.y);
    return [...edgeBlock(sorted, bodySize), ...edgeBlock([...sorted].reverse(), bodySize)];
  });
  const counts = new Map<string, number>();
  for (const edge of edges) for (const key of new Set(edge.map((s) => edgeKey(s.text)))) counts.set(key, (counts.get(key) ?? 0) + 1);
  const needed = Math.max(2, Math.ceil(pages.length / 2));
  const running = new Set<Segment>();
  for (const edge of edges) {
    for (const s of edge) {
      // Only short lines: a body line that starts every page the same way ("In section 4, …") is still body.
      const repeated = pages.length >= 2 && isShortLine(s.text) && (counts.get(edgeKey(s.text)) ?? 0) >= needed;
      if (isPageNumber(s.text) || repeated) running.add(s);
    }
  }
  return running;
}

function paragraphsOf(page: PageLines, skip: ReadonlySet<Segment>, pageNumber: number): PagedUnit[] {
  const units: PagedUnit[] = [];
  const gaps: number[] = [];
  const kept = page.lines.filter((s) => !skip.has(s));
  for (let i = 1; i < kept.length; i++) {
    const gap = kept[i - 1]!.y - kept[i]!.y;
    if (gap > 0) gaps.push(gap);
  }
  // The distance between lines of one paragraph: the smallest plausible gap, capped at one and a half times the
  // type size so that a page of one-line paragraphs (where every gap is a paragraph gap) is still split.
  const smallest = Math.min(...gaps.filter((g) => g >= page.bodySize * 0.8));
  const lineGap = Math.min(smallest, page.bodySize * 1.5);
  let current: PagedUnit | null = null;
  let prev: Segment | null = null;
  for (const line of kept) {
    const heading = line.size >= page.bodySize * 1.15;
    const gap = prev ? prev.y - line.y : 0;
    const startsNew =
      !current ||
      !prev ||
      heading ||
      current.heading ||
      gap > lineGap * 1.45 ||
      gap < -page.bodySize || // jumped back up: next column
      Math.abs(line.size - prev.size) > page.bodySize * 0.15;
    if (startsNew || !current) {
      current = { text: line.text, page: pageNumber, breaks: [], heading };
      units.push(current);
    } else {
      current.text = joinLines(current.text, line.text);
    }
    prev = line;
  }
  return units;
}

export function layoutPdf(extraction: PdfExtraction): PdfLayout {
  const pages: PageLines[] = extraction.pages.map((page) => {
    const lines = readingOrder(page);
    const sizes = lines.flatMap((l) => Array<number>(Math.min(200, l.text.length)).fill(Math.round(l.size * 2) / 2));
    return { lines, bodySize: median(sizes) || 10 };
  });
  const running = runningLines(pages);
  const units: PagedUnit[] = [];
  pages.forEach((page, i) => {
    const pageUnits = paragraphsOf(page, running, i + 1);
    const last = units[units.length - 1];
    const first = pageUnits[0];
    // A paragraph that runs over the page break: the previous page stops mid-sentence, this one goes on in lowercase.
    if (last && first && !last.heading && !first.heading && last.page === i && !endsSentence(last.text) && startsLowercase(first.text)) {
      const joined = joinLines(last.text, first.text);
      const at = joined.length - first.text.length;
      last.text = joined;
      last.breaks.push({ at, page: i + 1 });
      pageUnits.shift();
    }
    units.push(...pageUnits);
  });

  let heading: string | null = null;
  const firstPage = pages[0];
  if (firstPage) {
    const candidates = firstPage.lines.filter((l) => !running.has(l) && l.text.split(/\s+/).length <= 20);
    const biggest = candidates.reduce<Segment | null>((best, l) => (!best || l.size > best.size ? l : best), null);
    if (biggest && biggest.size >= firstPage.bodySize * 1.15) {
      heading = units.find((u) => u.page === 1 && u.heading && u.text.startsWith(biggest.text))?.text ?? biggest.text;
    }
  }
  return { units, heading, pageCount: extraction.pageCount };
}

/** "D:20240305103000+01'00'" → "2024-03-05" (the calendar date as written). */
export function pdfDate(value: string | null): string | null {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?/.exec(value?.trim() ?? '');
  if (!m || !m[2] || !m[3]) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}
