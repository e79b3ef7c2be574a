// Article prose as sentences with offsets into the document text. Scraped pages still carry navigation,
// related-story teasers (with their own datelines) and legal footers: their dates are not event dates, so they
// are dropped here, before any date is read.
import { runSync } from '../pacer.js';
import { splitSentences as splitSpans } from './sentences.js';

export interface Sentence {
  start: number;
  end: number;
  /** `doc.text.slice(start, end)`. */
  text: string;
  /** Index of the prose block (paragraph) the sentence belongs to. */
  block: number;
}

interface Block {
  start: number;
  end: number;
  text: string;
}

// A line that announces the start of links to other stories: what follows is not this article.
const SECTION_MARKER =
  /^(?:related(?: content| links| stories| articles| news| posts| coverage| topics)?|more (?:stories|news|from [\w .]+)|read (?:more|next|also)|see also|you (?:may|might) also like|recommended(?: for you| stories)?|trending(?: now)?|most (?:popular|read)|latest (?:news|stories)|top stories|also read|further reading)\s*:?$/i;

// Legal and site furniture: copyright years, privacy-policy dates and the like live here.
const BOILERPLATE =
  /copyright|©|\(c\)\s*\d{4}|all rights reserved|privacy (?:policy|statement|notice)|cookie|\bGDPR\b|terms (?:of|and) (?:use|service|conditions)|email address will not be published|required fields are marked|subscribe (?:free|now|to)|sign up for|(?:read|continue reading|see) more\W*$|click here/i;

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\\.?';
// A short line made of a place, an agency and/or a date: the dateline of an article or of a teaser.
const DATELINE_LINE = new RegExp(
  `^(?=.{0,90}$)(?:[\\p{L} .,'-]{0,40}(?:\\([\\p{L} .]{1,30}\\))?\\s*)?(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\\.?,?\\s+)?(?:${MONTH}\\s+\\d{1,2}(?:,?\\s+\\d{4})?|\\d{1,2}\\s+${MONTH}(?:\\s+\\d{4})?|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}/\\d{2,4})(?:.{0,40})$`,
  'u',
);

// "WASHINGTON:", "Tokyo (AFP) -", "Seoul, Dec 30 (Yonhap) —": where the story was filed, not what happened.
const AGENCY = '(?:AFP|AP|Reuters|Yonhap|Kyodo|Jiji|Xinhua|UPI|IANS|ANI|PTI|dpa|Bloomberg|TASS|KCNA|Bernama|Anadolu|EFE|ANSA)';
const INLINE_DATELINE = new RegExp(
  '^(?:' +
    // WASHINGTON: / SEOUL, South Korea —
    `[A-Z][A-Z .'-]{2,30}(?:,\\s*[A-Z][\\p{L} .]{1,20})?(?:\\s*\\([\\p{L} .]{1,30}\\))?\\s*[:—–-]+\\s+` +
    // Tokyo (AFP) / Seoul, Dec 30 (Yonhap) Dec 30, 2025 - / Manila (Local Paper) -
    `|[A-Z][\\p{L} .'-]{1,30}(?:,\\s*(?:${MONTH}\\s+\\d{1,2}|[A-Z][\\p{L} .]{1,20}))?\\s*` +
    `(?:\\(${AGENCY}\\)\\s*(?:${MONTH}\\s+\\d{1,2},?\\s+\\d{4})?\\s*[:—–-]*|\\([\\p{L} .]{1,30}\\)\\s*(?:${MONTH}\\s+\\d{1,2},?\\s+\\d{4})?\\s*[:—–-]+)\\s+` +
    ')',
  'u',
);

const TERMINAL = /[.!?]["”’')\]]*$/;
// Built once: the build (esbuild, node20) turns a \p{…} literal into `new RegExp` at every evaluation. (matchAll
// reads a copy, so the shared global pattern keeps no state between blocks.)
const LETTERS = /\p{L}+/gu;



function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  const lineRe = /[^\n]*/g;
  for (const m of text.matchAll(lineRe)) {
    if (m.index > 0 && text[m.index - 1] !== '\n') continue; // matchAll yields an empty match after each line
    const raw = m[0];
    const trimmed = raw.trim();
    if (trimmed.length === 0) {
      if (current) blocks.push(current);
      current = undefined;
      continue;
    }
    const start = m.index + (raw.length - raw.trimStart().length);
    const end = start + trimmed.length;
    // Hard-wrapped prose: a line that does not end a sentence, followed by one starting in lower case.
    if (current && !TERMINAL.test(current.text) && /^[\p{Ll}]/u.test(trimmed)) {
      current = { start: current.start, end, text: text.slice(current.start, end) };
      continue;
    }
    if (current) blocks.push(current);
    current = { start, end, text: trimmed };
  }
  if (current) blocks.push(current);
  return blocks;
}

function isProse(block: string): boolean {
  if (!TERMINAL.test(block)) return false;
  let words = 0;
  for (const _ of block.matchAll(LETTERS)) if (++words >= 6) return true;
  return false;
}

/** The article's prose sentences, in order; boilerplate, headlines, datelines and teaser sections left out. */
export function proseSentences(text: string, options: { keepBoilerplate?: boolean } = {}): Sentence[] {
  return runSync(proseSentenceSteps(text, options));
}

/** proseSentences as steps, one per block: a text of several megabytes can be read in slices (see pacer.ts). */
export function* proseSentenceSteps(text: string, options: { keepBoilerplate?: boolean } = {}): Generator<void, Sentence[]> {
  const out: Sentence[] = [];
  let blockIndex = 0;
  for (const { start, body } of proseBodies(text, options)) {
    for (const sentence of splitSpans(body)) out.push({ start: start + sentence.start, end: start + sentence.end, text: sentence.text, block: blockIndex });
    blockIndex += 1;
    yield;
  }
  return out;
}

/**
 * Where the article's prose lies, without cutting it into sentences: per prose block, from its first to its last
 * non-blank character, in order. proseSentences' sentences lie inside these extents and hold every non-blank
 * character of them, so a span that starts and ends on a non-blank character overlaps one of those sentences
 * exactly when it overlaps one of these extents — at the cost of no second sentence segmentation.
 */
export function proseExtents(text: string, options: { keepBoilerplate?: boolean } = {}): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const { start, body } of proseBodies(text, options)) {
    const trimmed = body.trim();
    if (trimmed.length === 0) continue;
    const from = start + (body.length - body.trimStart().length);
    out.push({ start: from, end: from + trimmed.length });
  }
  return out;
}

/** The prose blocks of a text, in order, each as its body (a leading dateline cut off) and where that body starts. */
function* proseBodies(text: string, options: { keepBoilerplate?: boolean }): Generator<{ start: number; body: string }> {
  let seenProse = false;
  for (const block of blocksOf(text)) {
    if (SECTION_MARKER.test(block.text)) {
      if (seenProse) break;
      continue;
    }
    if (!TERMINAL.test(block.text) && DATELINE_LINE.test(block.text)) {
      // A second dateline after the story has started belongs to a teaser for another story.
      if (seenProse) break;
      continue;
    }
    // The timeline drops legal furniture for its dates; answers keep such a block when it is prose ("… click here …").
    if ((!options.keepBoilerplate && BOILERPLATE.test(block.text)) || !isProse(block.text)) continue;
    seenProse = true;
    let start = block.start;
    let body = block.text;
    const dateline = INLINE_DATELINE.exec(body);
    if (dateline && dateline[0].length < body.length - 20) {
      start += dateline[0].length;
      body = body.slice(dateline[0].length);
    }
    yield { start, body };
  }
}
