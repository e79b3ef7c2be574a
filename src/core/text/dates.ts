// Event dates read from a sentence, anchored on the document's publication date. chrono-node finds calendar and
// relative expressions; the rules here add what it lacks (bare years, year ranges, tense-aware direction for
// "in March" / "on Saturday", weeks) and refuse what is not an event date (durations, ages, times alone).
import * as chrono from 'chrono-node';
import { MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAY_NAMES } from './calendar.js';

/** A calendar date as precise as the text gives it. */
export interface PartialDate {
  y: number;
  m?: number;
  d?: number;
}

export interface DateValue {
  start: PartialDate;
  /** Present for intervals ("from 1910 to 1945", "from Sunday to Tuesday"). */
  end?: PartialDate;
}

export interface DateMention {
  /** Offsets into the sentence. */
  start: number;
  end: number;
  /** null when the expression is relative and the document has no publication date to anchor it. */
  value: DateValue | null;
  /** A decade or century ("the late 1800s", "the 1960s"): a period, to be shown in the page's words. */
  period?: boolean;
}

export type Direction = 'past' | 'future' | 'closest';

const YEAR = '(1[89]\\d\\d|20\\d\\d)';
// A bare number is a year only after words that introduce a time ("in 2022", "since 1965").
const YEAR_CUE =
  '(?:in|since|by|until|till|through|throughout|during|before|after|from|of|early|late|mid|around|circa|spring|summer|autumn|fall|winter|year|the end of|the start of|the beginning of|the middle of)';
const NOT_A_QUANTITY = '(?![\\d,.]*\\s*(?:%|percent|per cent|million|billion|trillion|tonnes|tons|km|kilometers|kilometres|miles|people|troops|soldiers|units|dollars|yen|won|yuan|euros))';
const YEAR_RANGE = new RegExp(
  `\\b(?:(?:from|between)\\s+${YEAR}\\s+(?:to|and|until|till|through)\\s+${YEAR}|${YEAR}\\s*[-–—]\\s*(\\d{4}|\\d{2})(?![\\d-]))\\b`,
  'gi',
);
const SINGLE_YEAR = new RegExp(`\\b${YEAR_CUE}[\\s-]+(?:the\\s+(?:year\\s+)?)?${YEAR}\\b${NOT_A_QUANTITY}`, 'gi');
/**
 * A year that qualifies a named event or a work: "the 2017 Cannes Film Festival", "the 2009 Pulitzer Prize", "our 2013
 * research", "Aciman’s 2007 novel". After a determiner or a possessive, and before a name or one of these nouns only:
 * "the 2000 members" is a count.
 */
const MODIFIER_YEAR = new RegExp(
  `(?:\\b(?:[Tt]he|[Oo]ur|[Tt]heir|[Hh]is|[Hh]er|[Ii]ts|[Tt]his|[Tt]hat|[Aa]n?)\\s+|['’]s\\s+)${YEAR}(?=\\s+(?:\\p{Lu}|(?:research|survey|report|study|novel|book|film|movie|album|election|elections|season|edition|census|festival|award|awards|olympics|championship|summit|campaign|budget|version|release|update|model|paper|article|interview|visit|trip|deal|agreement|treaty)\\b))`,
  'gu',
);
const YEAR_HINT = /\b1[89]\d\d\b|\b20\d\d\b/;

const MONTHS = MONTH_NAMES.join('|');
const MONTH_ABBR = MONTH_ABBREVIATIONS.join('|');
const WEEKDAYS: readonly string[] = WEEKDAY_NAMES;
const RELATIVE_WORD = /\b(?:today|tonight|yesterday|tomorrow|ago|last|next|this|coming|past|previous)\b/i;
// Cheap gate before chrono, which is the expensive part: calendar words (capitalised), relative phrases, numeric
// dates.
const CALENDAR_WORD = new RegExp(`\\b(?:${MONTHS}|${MONTH_ABBR}|${WEEKDAYS.join('|')})\\b|\\d{1,2}/\\d{1,2}/\\d{2,4}|\\d{4}-\\d{2}-\\d{2}`);
const RELATIVE_PHRASE = new RegExp(
  `\\b(?:today|tonight|yesterday|tomorrow|ago|(?:last|next|this|coming|past|previous)\\s+(?:week|month|year|weekend|${MONTHS}|${WEEKDAYS.join('|')}))\\b`,
  'i',
);
// A chrono match must contain one of these to be taken as a date: "for two days", "two hours", "at 97" and
// "march" (the verb) do not.
function acceptable(text: string): boolean {
  return CALENDAR_WORD.test(text) || RELATIVE_PHRASE.test(text);
}
const WEEK = /\b(this|next|last|past|coming|previous)\s+week\b/i;
/** A month's name or abbreviation in any case (not global: exec always reads from the start). */
const MONTH_WORD = new RegExp(`\\b(?:${MONTHS}|${MONTH_ABBR})\\b`, 'i');
const WEEKDAY_WORD = new RegExp(`\\b(${WEEKDAYS.join('|')})\\b`, 'g');

const FUTURE =
  /\b(?:will|shall|won't|going to|plans? to|planned (?:for|to)|(?:is|are|was|were|be) planned|planning to|intends? to|to be held|expected to|scheduled (?:to|for)|slated (?:to|for)|poised to|set to|upcoming|forthcoming|next|(?:moved|pushed|pushed back|postponed|delayed|rescheduled|deferred|put off)\s+(?:to|until|till|for|into))\b/i;
const PAST =
  /\b(?:was|were|had|did|ago|last|earlier|previously|formerly|met|said|told|won|lost|took|gave|held|made|went|came|saw|left|began|led|rose|fell|hit|sent|spoke|wrote|chose|flew|ran|sought|brought|bought|fought|thought|struck|found|became|paid|kept|meant|heard|stood|understood|drew|grew|knew|threw|shook|broke|spent|built|sold|won|felt)\b|\b[a-z]{3,}ed\b/i;

// "Planning" and "planned" announce something only as verbs ("planning to meet", "planned for May"): "World War II
// planning sessions" is history. Quoted words are what someone said, not a schedule: "We will continue…" announces no event.
const QUOTED = /["“][^"”]*["”]/g;
// "It will be essential to…" is an opinion about the future, not an announced event.
const OPINION_FUTURE = /\bit will be (?:essential|important|crucial|necessary|vital|critical|difficult|hard|easy|interesting|key)\b/gi;

/** Whether a sentence speaks of something still to come. */
export function isFutureSentence(text: string): boolean {
  return FUTURE.test(text.replace(QUOTED, ' ').replace(OPINION_FUTURE, ' '));
}

/** Which side of the publication date an unanchored "in March" or "on Sunday" falls on, from the tense. */
export function sentenceDirection(text: string): Direction {
  if (isFutureSentence(text)) return 'future';
  if (PAST.test(text)) return 'past';
  return 'closest';
}

export function parseIsoDay(iso: string): PartialDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return null;
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function formatPartial(p: PartialDate): string {
  let out = String(p.y).padStart(4, '0');
  if (p.m !== undefined) out += `-${pad(p.m)}`;
  if (p.m !== undefined && p.d !== undefined) out += `-${pad(p.d)}`;
  return out;
}

/** `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `start/end`. */
export function formatDate(v: DateValue): string {
  const start = formatPartial(v.start);
  if (!v.end) return start;
  const end = formatPartial(v.end);
  return end === start ? start : `${start}/${end}`;
}

// Calendar arithmetic on UTC dates: no dependence on the machine's time zone.
function utc(p: { y: number; m: number; d: number }): Date {
  return new Date(Date.UTC(p.y, p.m - 1, p.d));
}
function fromUtc(date: Date): PartialDate {
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}
function addDays(p: { y: number; m: number; d: number }, days: number): PartialDate {
  const date = utc(p);
  date.setUTCDate(date.getUTCDate() + days);
  return fromUtc(date);
}

type FullDate = { y: number; m: number; d: number };

function full(p: PartialDate): FullDate | null {
  return p.m !== undefined && p.d !== undefined ? { y: p.y, m: p.m, d: p.d } : null;
}

/** The weekday nearest the publication day in the given direction; the publication day itself counts. */
function resolveWeekday(weekday: number, pub: FullDate, direction: Direction, strict: boolean): PartialDate {
  const pubWeekday = utc(pub).getUTCDay();
  const back = (pubWeekday - weekday + 7) % 7 || (strict ? 7 : 0);
  const ahead = (weekday - pubWeekday + 7) % 7 || (strict ? 7 : 0);
  if (direction === 'past') return addDays(pub, -back);
  if (direction === 'future') return addDays(pub, ahead);
  return addDays(pub, back <= ahead ? -back : ahead);
}

/** The year of a month (and day) given without one, on the right side of the publication date. */
function resolveYear(m: number, d: number | undefined, pub: FullDate, direction: Direction): number {
  const key = m * 100 + (d ?? 0);
  const pubKey = pub.m * 100 + (d === undefined ? 0 : pub.d);
  if (direction === 'past') return key <= pubKey ? pub.y : pub.y - 1;
  if (direction === 'future') return key >= pubKey ? pub.y : pub.y + 1;
  const diff = key - pubKey;
  // Closest: more than half a year away means the other year.
  if (diff > 600) return pub.y - 1;
  if (diff < -600) return pub.y + 1;
  return pub.y;
}

function comparePartial(a: PartialDate, b: PartialDate): number {
  return a.y - b.y || (a.m ?? 0) - (b.m ?? 0) || (a.d ?? 0) - (b.d ?? 0);
}

function overlaps(a: { start: number; end: number }, spans: readonly { start: number; end: number }[]): boolean {
  return spans.some((s) => a.start < s.end && s.start < a.end);
}

const PERIOD = /\b(?:(early|mid|late)[\s-]+)?((?:1[0-9]|20)\d0)['’]?s\b/gi;
/** "the 80s", "the late '70s": a decade of the 1900s by its last two digits (after "the": "in his 80s" is an age). */
const SHORT_DECADE = /(?<=\bthe\s+)(?:(early|mid|late)[\s-]+)?['’]?([3-9]0)['’]?s\b/gi;

function periodMentions(sentence: string, out: DateMention[]): void {
  // "the 1960s", "in the late 1800s": a decade, or a century when it ends in 00.
  for (const m of [...sentence.matchAll(PERIOD), ...sentence.matchAll(SHORT_DECADE)]) {
    const base = Number(m[2]) + ((m[2] ?? '').length === 2 ? 1900 : 0);
    const length = base % 100 === 0 ? 100 : 10;
    const third = Math.floor(length / 3);
    const part = (m[1] ?? '').toLowerCase();
    const from = part === 'late' ? base + length - third : part.startsWith('mid') ? base + third : base;
    const to = part === 'early' ? base + third - 1 : part.startsWith('mid') ? base + length - third - 1 : base + length - 1;
    out.push({ start: m.index, end: m.index + m[0].length, value: { start: { y: from }, end: { y: to } }, period: true });
  }
}

function yearMentions(sentence: string, out: DateMention[]): void {
  if (!YEAR_HINT.test(sentence)) return;
  for (const m of sentence.matchAll(YEAR_RANGE)) {
    const from = Number(m[1] ?? m[3]);
    let toText = m[2] ?? m[4] ?? '';
    if (toText.length === 2) toText = String(from).slice(0, 2) + toText;
    const to = Number(toText);
    const before = sentence.slice(Math.max(0, m.index - 12), m.index);
    // "1995-2024" after a copyright sign is the site's lifetime, and "2,000-3,000" is a quantity.
    if (/copyright|©|\(c\)|\$|[\d,.]$/i.test(before) || to <= from || to - from > 200) continue;
    out.push({ start: m.index, end: m.index + m[0].length, value: { start: { y: from }, end: { y: to } } });
  }
  for (const m of [...sentence.matchAll(SINGLE_YEAR), ...sentence.matchAll(MODIFIER_YEAR)]) {
    const yearText = m[1] ?? '';
    const start = m.index + m[0].length - yearText.length;
    const span = { start, end: start + yearText.length };
    if (overlaps(span, out)) continue;
    out.push({ ...span, value: { start: { y: Number(yearText) } } });
  }
}

// chrono reads the reference in local time: give it the publication day at local noon so it is that day here.
function chronoReference(pub: FullDate | null): Date {
  return pub ? new Date(pub.y, pub.m - 1, pub.d, 12) : new Date(2000, 0, 1, 12);
}

function componentsOf(c: chrono.ParsedComponents): { y: number; m: number; d: number; certain: { y: boolean; m: boolean; d: boolean; wd: boolean } } {
  return {
    y: c.get('year') ?? 0,
    m: c.get('month') ?? 1,
    d: c.get('day') ?? 1,
    certain: { y: c.isCertain('year'), m: c.isCertain('month'), d: c.isCertain('day'), wd: c.isCertain('weekday') },
  };
}

function mentionDirection(text: string, sentenceDir: Direction): Direction {
  if (/\b(?:last|previous|past|ago|yesterday)\b/i.test(text)) return 'past';
  if (/\b(?:next|coming|tomorrow)\b/i.test(text)) return 'future';
  return sentenceDir;
}

const SPELLED_NUMBER: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30,
  forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100,
};
/** The number a spelled word gives ("twenty" → 20, "a" → 1), if any: "one day later", "twenty years ago". */
export function spelledNumber(word: string): number | undefined {
  return SPELLED_NUMBER[word.toLowerCase()];
}
/** "Twenty years ago", "a decade ago", "thirty-five years ago": what chrono leaves unread (it reads "two days ago"). */
const SPELLED_AGO = /\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a\s+hundred)(?:[\s-](one|two|three|four|five|six|seven|eight|nine))?\s+(years?|decades?|centur(?:y|ies))\s+ago\b/gi;

function spelledAgoMentions(sentence: string, pub: FullDate | null, out: DateMention[]): void {
  if (!/\bago\b/i.test(sentence)) return;
  for (const m of sentence.matchAll(SPELLED_AGO)) {
    const tens = SPELLED_NUMBER[(m[1] ?? '').toLowerCase().replace(/^a\s+hundred$/, 'hundred')] ?? 0;
    const count = tens + (m[2] ? (SPELLED_NUMBER[m[2].toLowerCase()] ?? 0) : 0);
    const unit = (m[3] ?? '').toLowerCase();
    const years = count * (unit.startsWith('decade') ? 10 : unit.startsWith('centur') ? 100 : 1);
    const span = { start: m.index, end: m.index + m[0].length };
    if (years === 0 || overlaps(span, out)) continue;
    out.push({ ...span, value: pub ? { start: { y: pub.y - years } } : null });
  }
}

function chronoMentions(sentence: string, pub: FullDate | null, out: DateMention[]): void {
  if (!CALENDAR_WORD.test(sentence) && !RELATIVE_PHRASE.test(sentence)) return;
  // The tense is read only for sentences that get this far: it orients chrono's mentions and nothing else.
  const direction = sentenceDirection(sentence);
  const taken = out.slice();
  for (const result of chrono.en.casual.parse(sentence, chronoReference(pub))) {
    const text = result.text.replace(/[\s,.;:]+$/, '');
    const span = { start: result.index, end: result.index + text.length };
    if (!acceptable(text) || overlaps(span, taken)) continue;
    // A capital letter tells the month "March" from the verb, and the month "May" from the modal.
    const monthWord = MONTH_WORD.exec(text);
    if (monthWord && !/^[A-Z]/.test(monthWord[0]) && !/\d/.test(text)) continue;
    const dir = mentionDirection(text, direction);
    const value = resolveChrono(result, text, pub, dir);
    if (value === undefined) continue;
    out.push({ ...span, value });
  }
}

/** undefined: not a date after all; null: a date that needs the publication date, which is missing. */
function resolveChrono(result: chrono.ParsedResult, text: string, pub: FullDate | null, dir: Direction): DateValue | null | undefined {
  const start = componentsOf(result.start);
  const relative = RELATIVE_WORD.test(text);
  const week = WEEK.exec(text);
  if (week) {
    if (!pub) return null;
    const shift = /this/i.test(week[1] ?? '') ? 0 : /next|coming/i.test(week[1] ?? '') ? 7 : -7;
    // ISO weeks run Monday to Sunday.
    const monday = addDays(pub, -((utc(pub).getUTCDay() + 6) % 7) + shift);
    const mondayFull = full(monday);
    if (!mondayFull) return undefined;
    return { start: monday, end: addDays(mondayFull, 6) };
  }
  const weekdays = [...text.matchAll(WEEKDAY_WORD)].map((m) => WEEKDAYS.indexOf(m[1] ?? ''));
  if (start.certain.wd && !start.certain.d && weekdays.length > 0) {
    if (!pub) return null;
    const strict = /\b(?:last|next)\b/i.test(text);
    // News reports what happened: a bare weekday with no future marker is the last one, not the next.
    const first = resolveWeekday(weekdays[0] ?? 0, pub, dir === 'closest' ? 'past' : dir, strict);
    const firstFull = full(first);
    if (weekdays.length < 2 || !result.end || !firstFull) return { start: first };
    // The end of "Sunday to Tuesday" is the first such weekday on or after the start.
    const ahead = ((weekdays[1] ?? 0) - (weekdays[0] ?? 0) + 7) % 7;
    return { start: first, end: addDays(firstFull, ahead) };
  }
  if (!start.certain.y && !start.certain.m && !start.certain.d) return undefined;
  if ((relative || !start.certain.y) && !pub) return null;
  const toPartial = (c: ReturnType<typeof componentsOf>): PartialDate | undefined => {
    if (c.certain.y && !relative) return c.certain.d ? { y: c.y, m: c.m, d: c.d } : c.certain.m ? { y: c.y, m: c.m } : { y: c.y };
    if (relative) {
      // chrono anchored these on the publication date already; keep only what the phrase states.
      if (c.certain.d) return { y: c.y, m: c.m, d: c.d };
      if (c.certain.m) return { y: c.y, m: c.m };
      if (c.certain.y) return { y: c.y };
      return undefined;
    }
    if (!c.certain.m || !pub) return undefined;
    const y = resolveYear(c.m, c.certain.d ? c.d : undefined, pub, dir);
    return c.certain.d ? { y, m: c.m, d: c.d } : { y, m: c.m };
  };
  const startDate = toPartial(start);
  if (!startDate) return undefined;
  if (!result.end) return { start: startDate };
  const endComponents = componentsOf(result.end);
  let endDate = toPartial(endComponents);
  if (!endDate) return { start: startDate };
  if (!endComponents.certain.y && comparePartial(endDate, startDate) < 0) {
    // "December to February": the end is in the following year.
    endDate = { ...endDate, y: startDate.y + (endDate.y <= startDate.y ? 1 : 0) };
  }
  return { start: startDate, end: endDate };
}

/**
 * Date expressions of one sentence, resolved against `publishedAt` (ISO `YYYY-MM-DD` or null). Each mention
 * keeps the precision of the text: a year stays a year, a month a month. `periods`: also decades and centuries
 * ("the late 1800s") — an answer to "when" may be one, a timeline event may not (it needs a date to stand at).
 */
export function extractDates(sentence: string, publishedAt: string | null, options: { periods?: boolean } = {}): DateMention[] {
  const pub = publishedAt ? full(parseIsoDay(publishedAt) ?? { y: 0 }) : null;
  const out: DateMention[] = [];
  if (options.periods) periodMentions(sentence, out);
  yearMentions(sentence, out);
  spelledAgoMentions(sentence, pub, out);
  chronoMentions(sentence, pub, out);
  return out.sort((a, b) => a.start - b.start);
}

/**
 * "Originally published at example.com on November 18, 2011": a copy's note of where and when the writing first
 * appeared (a syndicated post's footer).
 */
export const ORIGIN_NOTE =
  /^(?:(?:this|the|a version of this)\s+(?:article|post|story|piece|essay|column|interview)\s+(?:was\s+|has\s+been\s+)?)?(?:originally|first)\s+(?:published|posted|appeared|ran)\b/i;
