// Boilerplate removal for text extracted from news pages. The page is cut into units (paragraphs or lone lines),
// each unit is classified by its own shape (prose, short line, furniture), and then by its neighbours: article text
// is a dense run of prose, navigation and headline lists are runs of short unpunctuated lines, and everything after
// a "related content" or comments heading belongs to the site, not to the article. Kept units are returned
// verbatim (trimmed) so citations can be checked against the original file.
import type { DateProvenance } from '../types.js';
import { findExplicitDates } from './dates.js';
import {
  boilerplateKey,
  endsMidSentence,
  endsSentence,
  hasDomainName,
  isAllCapsLabel,
  isBylineShape,
  isCommentHeading,
  isFooterText,
  isPageNumber,
  isReferenceEntry,
  isRelatedHeading,
  isSeparatedMenu,
  isShortLine,
  isTeaser,
  isWidgetLine,
  startsLowercase,
  wordCount,
} from './patterns.js';

export interface DateFinding {
  iso: string;
  provenance: DateProvenance;
  confidence: number;
}

export interface CleanResult {
  paragraphs: string[];
  /** Headline found in the page text (page mode only). */
  title: string | null;
  /** Dateline or byline date found above the article body. */
  date: DateFinding | null;
}

export interface CleanOptions {
  /**
   * 'page': a whole scraped page (plain text, or HTML body when no article could be isolated).
   * 'article': text already reduced to the article (Markdown body, Readability output): only furniture is removed.
   */
  mode: 'page' | 'article';
  boilerplateLines?: ReadonlySet<string> | undefined;
  /** Title known from metadata: a copy of it at the top of the text is not body. */
  knownTitle?: string | null | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Units

/**
 * Splits text into units: blank lines separate blocks; inside a block each line is its own unit unless the block
 * is hard-wrapped prose, because scraped pages put one headline or menu item per line.
 */
export function splitUnits(text: string): string[] {
  const units: string[] = [];
  let block: string[] = [];
  const flush = (): void => {
    if (block.length > 0) units.push(...splitBlock(block));
    block = [];
  };
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line.length === 0) flush();
    else block.push(line);
  }
  flush();
  return units;
}

function isHardWrapped(lines: string[]): boolean {
  if (lines.length < 3) return false;
  const body = lines.slice(0, -1);
  const lengths = body.map((l) => l.length);
  const min = Math.min(...lengths);
  const max = Math.max(...lengths);
  // Wrapped prose: lines of similar width, some breaking mid-sentence, some continuing in lowercase.
  return min >= 45 && max <= 130 && max - min <= 45 && body.some((l) => !endsSentence(l)) && lines.slice(1).some(startsLowercase);
}

/**
 * "…thank Andrea Marchesini, Anne van Kesteren and Ben<br>Kelly for helping with the specification." — a long line
 * broken before a capitalised word whose line goes on in lower case and ends the sentence: one sentence, broken
 * inside a name.
 */
function breaksAName(prev: string, line: string): boolean {
  return prev.length >= NAME_BREAK_MIN_LINE && endsSentence(line) && NAME_THEN_LOWERCASE.test(line);
}
const NAME_BREAK_MIN_LINE = 60;
const NAME_THEN_LOWERCASE = /^\p{Lu}\p{Ll}+\s+\p{Ll}/u;

/** A block's lines as units: joined when they are one hand-wrapped paragraph or a line continues the one before. */
export function splitBlock(lines: string[]): string[] {
  if (isHardWrapped(lines)) return [lines.join('\n')];
  const out: string[] = [];
  let current: string[] = [];
  for (const line of lines) {
    const prev = current[current.length - 1];
    // The line may go on from the one before: that one ends no sentence, and this one is no widget.
    const open = prev !== undefined && !endsSentence(prev) && !isWidgetLine(line);
    const continues = open && prev.length >= 40 && (startsLowercase(line) || endsMidSentence(prev));
    if (open && breaksAName(prev, line)) {
      // (Joined by a space: a line break inside a name would cut the sentence there.)
      current[current.length - 1] = `${prev} ${line}`;
    } else if (continues) {
      current.push(line);
    } else {
      if (current.length > 0) out.push(current.join('\n'));
      current = [line];
    }
  }
  if (current.length > 0) out.push(current.join('\n'));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Classification

type Kind = 'good' | 'near' | 'short' | 'bad' | 'meta';

interface DatelineShape {
  iso: string;
  label: 'published' | 'updated' | null;
  byline: boolean;
  /** Nothing but the date on the line. */
  bare: boolean;
}

interface Info {
  text: string;
  key: string;
  words: number;
  kind: Kind;
  /** Prose by its own shape: a long paragraph that reads like sentences. */
  prose: boolean;
  /** Furniture by pattern: transparent when judging which units are neighbours. */
  furniture: boolean;
  /** Removed by a related/comments cut: opaque, a run of article text does not continue across it. */
  blocked: boolean;
  related: boolean;
  comment: boolean;
  dateline: DatelineShape | null;
}

function capitalizedRatio(text: string): number {
  const words = text.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  if (words.length === 0) return 0;
  return words.filter((w) => /^["'“‘(]?\p{Lu}/u.test(w)).length / words.length;
}

const LOWERCASE_DATELINE_WORDS = new Set(['by', 'on', 'at', 'posted', 'published', 'updated', 'last', 'modified', 'first', 'and', 'in', 'of', 'am', 'pm', 'a.m.', 'p.m.']);

/** A line that is only a place, agency, label or author around a date: "Tokyo (AFP) Aug 23, 2025", "Published: 2024-03-01". */
export function datelineShape(text: string): DatelineShape | null {
  const words = wordCount(text);
  // Cheap gate before chrono: a dateline always carries a four-digit year.
  if (words > 18 || text.length > 160 || !/\b(?:1[89]|20)\d\d\b/.test(text) || isFooterText(text)) return null;
  const dates = findExplicitDates(text);
  if (dates.length === 0) return null;
  let rest = text;
  for (const d of [...dates].reverse()) rest = rest.slice(0, d.index) + ' ' + rest.slice(d.index + d.text.length);
  const restWords = rest.split(/[\s|•·,;:()[\]\-–—/]+/).filter((w) => /\p{L}/u.test(w));
  if (restWords.length > 8) return null;
  // A sentence that merely mentions a date ("The talks resume on May 3, 2024.") is not a dateline.
  const lowercase = restWords.filter((w) => /^\p{Ll}/u.test(w) && !LOWERCASE_DATELINE_WORDS.has(w.toLowerCase()));
  if (lowercase.length > 1 || (endsSentence(text) && restWords.length > 3)) return null;

  const updatedAt = /\b(?:updated|modified|edited)\b/i.exec(text)?.index ?? -1;
  const publishedAt = /\b(?:published|posted|first published|released|issued)\b/i.exec(text)?.index ?? -1;
  // With both labels, take the date that follows "published"; otherwise the first date not introduced by "updated".
  let chosen = dates[0]!;
  if (publishedAt >= 0) chosen = dates.find((d) => d.index > publishedAt) ?? chosen;
  else if (updatedAt >= 0) chosen = dates.find((d) => d.index < updatedAt) ?? chosen;
  const label = publishedAt >= 0 ? 'published' : updatedAt >= 0 && chosen.index > updatedAt ? 'updated' : null;
  return { iso: chosen.iso, label, byline: /^by\s/i.test(text) || /\bby\s+\p{Lu}/u.test(text), bare: restWords.length === 0 };
}

/** A quotation's source line: a dash, then a name ("— Jane Roe (@jroe) May 2, 2013", "– Ann Lee, CEO"). */
const ATTRIBUTION = /^[—–―]\s*\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,3}(?:\s*\(@\w+\)|,\s)/u;

function classify(text: string, boilerplateLines: ReadonlySet<string> | undefined): Info {
  const words = wordCount(text);
  const sentence = endsSentence(text);
  const key = boilerplateKey(text);
  const attribution = ATTRIBUTION.test(text);
  const info: Info = {
    text,
    key,
    words,
    kind: 'short',
    prose: false,
    furniture: false,
    blocked: false,
    related: isRelatedHeading(text),
    comment: isCommentHeading(text),
    // "— Shay Friedman (@ironshay) August 22, 2013" under an embedded post says whose words those were: content, and
    // no dateline that would open a region of teasers.
    dateline: words <= 18 && !attribution ? datelineShape(text) : null,
  };
  if (attribution) {
    info.kind = 'good';
    info.prose = true;
    return info;
  }
  if (isFooterText(text) || isWidgetLine(text) || isSeparatedMenu(text) || isTeaser(text) || isPageNumber(text) || isReferenceEntry(text) || (isAllCapsLabel(text) && words <= 4)) {
    info.kind = 'bad';
    info.furniture = true;
    return info;
  }
  // A short line seen on other pages of the corpus is site furniture; a sentence may legitimately recur.
  if (boilerplateLines?.has(key) && !(sentence && words >= 4)) {
    info.kind = 'bad';
    info.furniture = true;
    return info;
  }
  info.prose = (sentence && words >= 10 && text.length >= 50) || (words >= 25 && capitalizedRatio(text) < 0.6);
  if (info.prose) info.kind = 'good';
  else if (sentence || /:$/.test(text)) info.kind = 'near';
  return info;
}

/** A line written with a bullet character: "+ Added slime blocks", "* Max render distance increased", "- Fixed a crash". */
const BULLETED = /^[-+*•·▪◦–]\s+\S/u;

/**
 * Bulleted lines in a run of three or more are items of a list the text itself writes (release notes, changelogs,
 * feature lists): each is content, though unpunctuated. Navigation and headline lists carry no bullet characters in
 * their text (their bullets are the page's styling); a line of fewer than four words, or mostly capitalised
 * ("- World News"), stays a label.
 */
function markBulletedItems(infos: Info[]): void {
  let i = 0;
  while (i < infos.length) {
    let end = i;
    while (end < infos.length && BULLETED.test(infos[end]!.text)) end += 1;
    if (end - i >= 3) {
      const short: Info[] = [];
      let kept = 0;
      for (let k = i; k < end; k++) {
        const info = infos[k]!;
        if (info.kind === 'bad') continue;
        if (info.words < 4 || capitalizedRatio(info.text.replace(BULLETED, (m) => m.slice(-1))) >= 0.6) {
          short.push(info);
          continue;
        }
        info.kind = 'good';
        info.prose = true;
        kept += 1;
      }
      // A changelog's terse items ("- Removed Herobrine", "* LOTS AND LOTS of other changes") belong to it when
      // nearly all of the run is kept: a menu's items are short throughout.
      if (kept >= 5 && kept >= 0.7 * (end - i)) {
        for (const info of short) {
          if (info.words < 2) continue;
          info.kind = 'good';
          info.prose = true;
        }
      }
    }
    i = Math.max(end, i + 1);
  }
}

/** Short lines repeated inside one page are section labels and widgets, except a headline printed twice in a row. */
function markRepetition(infos: Info[]): void {
  const positions = new Map<string, number[]>();
  infos.forEach((info, i) => {
    if (info.kind === 'bad' || info.prose || !isShortLine(info.text)) return;
    const list = positions.get(info.key) ?? [];
    list.push(i);
    positions.set(info.key, list);
  });
  for (const list of positions.values()) {
    if (list.length < 2) continue;
    const adjacentPair = list.length === 2 && list[1]! - list[0]! === 1;
    for (const [n, i] of list.entries()) {
      if (adjacentPair && n === 0) continue;
      infos[i]!.kind = 'bad';
      infos[i]!.furniture = true;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Header: headline and dateline

function isHeadlineCandidate(info: Info): boolean {
  const t = info.text;
  if (info.words < 2 || info.words > 25 || t.length > 200 || t.includes('\n')) return false;
  if (info.dateline || isBylineShape(t) || hasDomainName(t) || info.related || info.comment) return false;
  if (isFooterText(t) || isWidgetLine(t) || isSeparatedMenu(t)) return false;
  // All-caps short lines are section labels; an all-caps headline has more words.
  if (isAllCapsLabel(t) && info.words < 5) return false;
  return !info.prose;
}

function findTitle(infos: Info[], headerEnd: number, datelineIndex: number): number {
  // Structural cue first: the headline sits just above the byline/dateline.
  if (datelineIndex >= 0) {
    let fallback = -1;
    for (let i = datelineIndex - 1; i >= 0; i--) {
      const info = infos[i]!;
      if (info.kind === 'meta' || isBylineShape(info.text) || info.dateline) continue;
      if (!isHeadlineCandidate(info)) continue;
      if (info.words >= 4) return i;
      if (fallback < 0 && !info.furniture) fallback = i;
    }
    if (fallback >= 0) return fallback;
  }
  for (let i = 0; i < headerEnd; i++) {
    const info = infos[i]!;
    if (info.furniture || !isHeadlineCandidate(info) || info.words < 4) continue;
    return i;
  }
  for (let i = 0; i + 1 < headerEnd; i++) {
    const info = infos[i]!;
    if (isHeadlineCandidate(info) && infos[i + 1]!.key === info.key) return i;
  }
  return -1;
}

function confidenceFor(shape: DatelineShape, beforeTitle: boolean): number {
  if (beforeTitle) return 0.5;
  if (shape.label === 'updated') return 0.6;
  if (shape.label === 'published') return 0.85;
  return shape.byline ? 0.75 : 0.8;
}

/** "WASHINGTON, March 3, 2024 (Reuters) - The ..." at the start of the first paragraph. */
function inlineDateline(text: string): string | null {
  const head = text.slice(0, 90);
  const sep = /\s[-–—]\s|:\s/.exec(head);
  if (!sep) return null;
  const prefix = head.slice(0, sep.index);
  if (wordCount(prefix) > 9) return null;
  const dates = findExplicitDates(prefix);
  return dates[0]?.iso ?? null;
}

// ---------------------------------------------------------------------------------------------------------------

export function cleanText(text: string, options: CleanOptions): CleanResult {
  return cleanUnits(splitUnits(text), options);
}

export function cleanUnits(units: readonly string[], options: CleanOptions): CleanResult {
  const infos = units.map((u) => classify(u, options.boilerplateLines));
  markRepetition(infos);
  markBulletedItems(infos);
  const page = options.mode === 'page';

  const firstGood = infos.findIndex((i) => i.prose);
  const secondGood = firstGood < 0 ? -1 : infos.findIndex((i, n) => n > firstGood && i.prose);
  const headerEnd = firstGood < 0 ? Math.min(infos.length, 30) : firstGood;
  const dateZoneEnd = Math.min(secondGood >= 0 ? secondGood : firstGood >= 0 ? firstGood + 1 : infos.length, 40);

  // Datelines and bylines above the body are metadata.
  const datelines: number[] = [];
  for (let i = 0; i < dateZoneEnd; i++) {
    const info = infos[i]!;
    if (info.prose || info.related || info.comment) continue;
    // Between the first and second paragraphs only a labelled, bare or byline date can be this page's own:
    // a place-and-agency dateline there opens another story.
    const shape = info.dateline;
    if (shape && (i < firstGood || firstGood < 0 || shape.label || shape.bare || shape.byline)) {
      datelines.push(i);
      info.kind = 'meta';
    } else if (isBylineShape(info.text)) {
      info.kind = 'meta';
    }
  }

  let title: string | null = null;
  let titleIndex = -1;
  if (page) {
    const bylineIndex = infos.findIndex((info, i) => i < headerEnd && isBylineShape(info.text));
    const anchor = datelines[0] ?? bylineIndex;
    titleIndex = findTitle(infos, headerEnd, anchor !== undefined && anchor < headerEnd ? anchor : -1);
    if (titleIndex >= 0) title = infos[titleIndex]!.text;
  }
  const titleKeys = new Set([title, options.knownTitle].filter((t): t is string => !!t).map(boilerplateKey));
  // Copies of the headline at the top of the text are not body.
  for (let i = 0; i < Math.max(headerEnd, 3) && i < infos.length; i++) {
    if (titleKeys.has(infos[i]!.key)) infos[i]!.kind = 'meta';
  }

  let date: DateFinding | null = null;
  // Dates above the headline are usually the site's "today" banner (the crawl date): one is accepted only when it
  // sits right on top of the headline, and with low confidence.
  const pool =
    titleIndex < 0
      ? datelines
      : datelines.filter((i) => i > titleIndex).length > 0
        ? datelines.filter((i) => i > titleIndex)
        : datelines.filter((i) => i === titleIndex - 1);
  if (pool.length > 0) {
    const rank = (i: number): number => {
      const label = infos[i]!.dateline!.label;
      return label === 'published' ? 0 : label === 'updated' ? 2 : 1;
    };
    const best = [...pool].sort((a, b) => rank(a) - rank(b) || a - b)[0]!;
    const shape = infos[best]!.dateline!;
    const farFromBody = page && titleIndex < 0 && firstGood >= 0 && best < firstGood - 6;
    const beforeTitle = (titleIndex >= 0 && best < titleIndex) || farFromBody;
    date = { iso: shape.iso, provenance: shape.byline ? 'byline' : 'dateline', confidence: confidenceFor(shape, beforeTitle) };
  } else if (datelines.length === 0 && firstGood >= 0) {
    const iso = inlineDateline(infos[firstGood]!.text);
    if (iso) date = { iso, provenance: 'dateline', confidence: 0.6 };
  }

  applyCuts(infos);
  if (page) resolveContext(infos);

  const paragraphs = infos
    .filter((i) => (page ? i.kind === 'good' : i.kind !== 'bad' && i.kind !== 'meta'))
    .map((i) => i.text);
  return { paragraphs, title, date };
}

/**
 * After a related-content heading, units are dropped until article prose resumes (two prose paragraphs in a row:
 * teasers come one at a time between headlines and datelines). After a comments heading, everything goes.
 * A dateline inside the body also opens a teaser region.
 */
function applyCuts(infos: Info[]): void {
  let mode = 'normal' as 'normal' | 'related' | 'cut';
  let bodyStarted = false;
  let pending = -1;
  const block = (info: Info): void => {
    info.kind = 'bad';
    info.blocked = true;
  };
  for (const [i, info] of infos.entries()) {
    if (info.kind === 'meta') continue;
    if (mode === 'cut') {
      block(info);
      continue;
    }
    if (info.related || info.comment) {
      block(info);
      mode = info.comment && bodyStarted ? 'cut' : 'related';
      pending = -1;
      continue;
    }
    if (mode === 'normal') {
      if (bodyStarted && info.dateline && !info.prose) {
        block(info);
        mode = 'related';
        pending = -1;
      } else if (info.prose) {
        bodyStarted = true;
      }
      continue;
    }
    if (info.prose) {
      if (pending >= 0 && pending === i - 1) {
        const previous = infos[pending]!;
        previous.kind = 'good';
        previous.blocked = false;
        mode = 'normal';
        bodyStarted = true;
        pending = -1;
      } else {
        pending = i;
        block(info);
      }
      continue;
    }
    pending = -1;
    if (info.kind !== 'bad') block(info);
  }

  // An article may end with one paragraph after an inline "related" box; it is restored when nothing but
  // furniture follows it and it does not sit under a teaser dateline.
  if (mode !== 'related') return;
  let last = -1;
  for (let i = infos.length - 1; i >= 0; i--) {
    const info = infos[i]!;
    if (info.kind === 'meta' || (info.kind === 'bad' && !info.blocked)) continue;
    if (info.blocked && info.prose) last = i;
    break;
  }
  const previous = last > 0 ? infos[last - 1] : undefined;
  if (last >= 0 && !previous?.dateline) {
    infos[last]!.kind = 'good';
    infos[last]!.blocked = false;
  }
}

/** Decides near-prose and short units by their neighbours, skipping furniture that was already removed. */
function resolveContext(infos: Info[]): void {
  const seq = infos.filter((i) => i.kind !== 'meta' && !(i.kind === 'bad' && !i.blocked));
  const propagateNear = (): void => {
    for (let n = 1; n < seq.length; n++) {
      if (seq[n]!.kind === 'near' && seq[n - 1]!.kind === 'good') seq[n]!.kind = 'good';
    }
    for (let n = seq.length - 2; n >= 0; n--) {
      if (seq[n]!.kind === 'near' && seq[n + 1]!.kind === 'good') seq[n]!.kind = 'good';
    }
  };
  propagateNear();
  let n = 0;
  while (n < seq.length) {
    if (seq[n]!.kind !== 'short') {
      n++;
      continue;
    }
    let end = n;
    while (end + 1 < seq.length && seq[end + 1]!.kind === 'short') end++;
    const prev = seq[n - 1];
    const next = seq[end + 1];
    const prevGood = prev?.kind === 'good';
    const introducesList = prevGood && /:$/.test(prev.text);
    // One short line inside the article is a subheading; several in a row are a headline list, unless the
    // paragraph before announces a list.
    const keep = introducesList || (prevGood && next?.kind === 'good' && end === n);
    for (let k = n; k <= end; k++) seq[k]!.kind = keep ? 'good' : 'bad';
    n = end + 1;
  }
  propagateNear();
  for (const info of seq) if (info.kind === 'near') info.kind = 'bad';
}
