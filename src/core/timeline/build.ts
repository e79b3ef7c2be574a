// From documents to a timeline: which sentences involve the asked entities, when what they report happened,
// and one entry per event however many pages report it.
import type { CleanDocument, Timeline, TimelineCitation, TimelineEvent, UndatedEvent } from '../types.js';
import { contentTerms } from '../text/tokens.js';
import type { EntityCatalog, EntityMatcher } from './entities.js';
import { compileMatcher } from './entities.js';
import type { EntityLexicon } from './learn-entities.js';
import type { ResolvedTerm } from './query.js';
import { containsPhrase, EntityDirectory, matcherCatalog, mentionFilter, parseTimelineQuery } from './query.js';
import type { DateValue } from './dates.js';
import { extractDates, formatDate, formatPartial, isFutureSentence } from './dates.js';
import type { Sentence } from './segment.js';
import { proseSentences } from './segment.js';

export interface BuildOptions {
  /** List events involving any of the entities instead of all of them. */
  any?: boolean;
  /** Entities learned from the corpus; without it only the catalog's names (and topic phrases) resolve. */
  lexicon?: EntityLexicon;
}

/** A sentence of a document with the entities it (or, through a pronoun, its context) refers to. */
export interface EntitySentence extends Sentence {
  own: ReadonlySet<string>;
  context: ReadonlySet<string>;
}

interface Candidate {
  date: string | null;
  value: DateValue | null;
  status: TimelineEvent['status'];
  text: string;
  /** Content tokens for merging, computed only when another report shares the date. */
  tokens: Set<string> | null;
  citations: Array<Omit<TimelineCitation, 'n'>>;
  /** Document order, so ties sort the way the sources were given. */
  order: number;
}

const matcherCache = new WeakMap<EntityCatalog, EntityMatcher>();
// Matchers with learned entities added, per base catalog and set of learned names (bounded: queries vary).
const extendedCache = new WeakMap<EntityCatalog, Map<string, EntityMatcher>>();

function matcherFor(catalog: EntityCatalog, terms: readonly ResolvedTerm[] = []): EntityMatcher {
  const learned = terms.filter((t) => t.source === 'learned' && t.definition);
  if (learned.length === 0) {
    let matcher = matcherCache.get(catalog);
    if (!matcher) {
      matcher = compileMatcher(catalog);
      matcherCache.set(catalog, matcher);
    }
    return matcher;
  }
  let cache = extendedCache.get(catalog);
  if (!cache) {
    cache = new Map();
    extendedCache.set(catalog, cache);
  }
  const key = learned.map((t) => `${t.name}=${t.definition?.aliases.join('|')}`).join('\u0000');
  let matcher = cache.get(key);
  if (!matcher) {
    if (cache.size >= 256) cache.clear();
    matcher = compileMatcher(matcherCatalog(catalog, learned));
    cache.set(key, matcher);
  }
  return matcher;
}

// A sentence that refers back ("he said", "the three nations", "both leaders") takes its actors from what precedes.
const ANAPHOR =
  /\b(?:he|she|they|his|her|their|them|both|(?:the|these|those|our|two|three|four)\s+(?:two\s+|three\s+|four\s+)?(?:countries|nations|leaders|neighbou?rs|governments|sides|allies|presidents|partners|trio|triad|pair|duo))\b/i;

/** Prose sentences of a document with their entity sets; topic phrases count as entities named by their id. */
export function entitySentences(doc: CleanDocument, matcher: EntityMatcher, phrases: readonly ResolvedTerm[] = []): EntitySentence[] {
  const sentences = proseSentences(doc.text);
  const mentions = matcher.match(doc.text, sentences);
  const out: EntitySentence[] = [];
  let k = 0;
  for (const sentence of sentences) {
    while (k < mentions.length && (mentions[k]?.start ?? 0) < sentence.start) k += 1;
    const own = new Set<string>();
    for (let j = k; j < mentions.length; j += 1) {
      const mention = mentions[j];
      if (!mention || mention.start >= sentence.end) break;
      if (mention.end <= sentence.end) own.add(mention.entity);
    }
    if (phrases.length > 0) {
      const stems = contentTerms(sentence.text);
      for (const phrase of phrases) if (phrase.stems && containsPhrase(stems, phrase.stems)) own.add(phrase.name);
    }
    let context: Set<string> = own;
    if (ANAPHOR.test(sentence.text)) {
      context = new Set(own);
      const previous = out[out.length - 1];
      if (previous && previous.block >= sentence.block - 1) for (const e of previous.own) context.add(e);
      const first = out.find((s) => s.block === sentence.block);
      if (first) for (const e of first.own) context.add(e);
    }
    out.push({ ...sentence, own, context });
  }
  return out;
}

const STOP = new Set(
  'the a an and or but of to in on at for with from by as is are was were be been has have had will would that this these those which who whom it its their his her they he she we our not no than then also after before over into about between during amid said says told says while when where there here more most such'.split(
    ' ',
  ),
);

// Five-letter prefixes are a cheap stemmer: "Japan"/"Japanese", "Korea"/"Korean", "agree"/"agreed" meet.
function tokensOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.toLowerCase().matchAll(/\p{L}[\p{L}\p{N}]*/gu)) {
    const word = m[0];
    if (word.length < 3 || STOP.has(word)) continue;
    out.add(word.slice(0, 5));
  }
  return out;
}

function tokensOfCandidate(c: Candidate): Set<string> {
  c.tokens ??= tokensOf(c.text);
  return c.tokens;
}

function sameEvent(a: Set<string>, b: Set<string>): boolean {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared += 1;
  return shared >= 4 && shared / Math.min(a.size, b.size) >= 0.6;
}

/** Dates that name the same moment, one perhaps more precisely ("2025-08" and "2025-08-23"). */
function compatibleDates(a: Candidate, b: Candidate): boolean {
  if (a.date === null || b.date === null) return a.date === b.date;
  const aInterval = a.date.includes('/');
  if (aInterval !== b.date.includes('/')) return false;
  if (aInterval) return a.date === b.date;
  return a.date.startsWith(b.date) || b.date.startsWith(a.date);
}

/** Publication-relative status: before publication it happened, after it is planned, otherwise the tense says. */
function statusOf(value: DateValue | null, publishedAt: string | null, future: boolean): TimelineEvent['status'] {
  if (value && publishedAt) {
    const first = formatPartial(value.start);
    const last = formatPartial(value.end ?? value.start);
    if (last < publishedAt.slice(0, last.length)) return 'happened';
    if (first > publishedAt.slice(0, first.length)) return 'planned';
  }
  return future ? 'planned' : 'happened';
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The future date, if any, that a sentence sets: a follow-up "will" sentence without a date shares it. */
function plannedDateOf(sentence: Sentence, publishedAt: string | null): DateValue | null {
  if (!isFutureSentence(sentence.text)) return null;
  for (const mention of extractDates(sentence.text, publishedAt)) {
    if (mention.value && statusOf(mention.value, publishedAt, true) === 'planned') return mention.value;
  }
  return null;
}

/** Candidate events of one document for the resolved entity names. */
function documentCandidates(
  doc: CleanDocument,
  docIndex: number,
  matcher: EntityMatcher,
  phrases: readonly ResolvedTerm[],
  entities: readonly string[],
  any: boolean,
): Candidate[] {
  const out: Candidate[] = [];
  const sentences = entitySentences(doc, matcher, phrases);
  sentences.forEach((sentence, index) => {
    const involved = any ? entities.some((e) => sentence.context.has(e)) : entities.every((e) => sentence.context.has(e));
    if (!involved) return;
    const mentions = extractDates(sentence.text, doc.publishedAt);
    const future = isFutureSentence(sentence.text);
    const base = {
      text: collapse(sentence.text),
      tokens: null,
      citations: [{ source: doc.source, title: doc.title, ...(doc.url ? { url: doc.url } : {}), quote: sentence.text, start: sentence.start, end: sentence.end }],
      order: docIndex * 1e9 + sentence.start,
    };
    const resolved = mentions.filter((m) => m.value !== null);
    if (resolved.length > 0) {
      const seen = new Set<string>();
      for (const mention of resolved) {
        const value = mention.value as DateValue;
        const date = formatDate(value);
        if (seen.has(date)) continue;
        seen.add(date);
        out.push({ ...base, date, value, status: statusOf(value, doc.publishedAt, future), citations: base.citations.slice() });
      }
    } else if (mentions.length > 0) {
      // Relative dates ("on Tuesday") without a publication date to anchor them.
      out.push({ ...base, date: null, value: null, status: future ? 'planned' : 'happened' });
    } else if (future) {
      if (!doc.publishedAt) {
        out.push({ ...base, date: null, value: null, status: 'planned' });
        return;
      }
      // Announced but not dated. A follow-up to a dated plan ("The two leaders will work to…" after "from Sunday
      // to Tuesday") belongs to that plan's month; otherwise it is expected around the report, and the month of
      // publication is as precise as that claim goes.
      let inherited: DateValue | null = null;
      // Walk back through a run of "will" sentences (at most three) to the one that gave the date.
      for (let j = index - 1, block = sentence.block; j >= Math.max(0, index - 3) && inherited === null; j -= 1) {
        const previous = sentences[j];
        if (!previous || previous.block < block - 1 || !isFutureSentence(previous.text)) break;
        inherited = plannedDateOf(previous, doc.publishedAt);
        block = previous.block;
      }
      const month = inherited
        ? { y: inherited.start.y, ...(inherited.start.m === undefined ? {} : { m: inherited.start.m }) }
        : { y: Number(doc.publishedAt.slice(0, 4)), m: Number(doc.publishedAt.slice(5, 7)) };
      const value: DateValue = { start: month };
      out.push({ ...base, date: formatDate(value), value, status: 'planned' });
    }
  });
  return out;
}

/** Compiles the catalog's matcher ahead of the first query (it is a large regular expression). */
export function prepareMatcher(catalog: EntityCatalog): void {
  matcherFor(catalog);
}

/** Resolves a raw query (curated names, learned names, topic phrases) and builds its timeline. */
export function buildTimeline(
  documents: readonly CleanDocument[],
  catalog: EntityCatalog,
  query: string | readonly string[],
  options: BuildOptions = {},
): Timeline {
  const terms = new EntityDirectory(catalog, options.lexicon ?? null).resolve(parseTimelineQuery(query));
  return buildTimelineFor(documents, catalog, terms, options);
}

/** The timeline of already resolved terms (see EntityDirectory.resolve). */
export function buildTimelineFor(
  documents: readonly CleanDocument[],
  catalog: EntityCatalog,
  terms: readonly ResolvedTerm[],
  options: Pick<BuildOptions, 'any'> = {},
): Timeline {
  const entities = terms.map((t) => t.name);
  const matcher = matcherFor(catalog, terms);
  const phrases = terms.filter((t) => t.source === 'phrase');
  const any = options.any === true;
  // Most documents of a large corpus never name the terms: a cheap scan skips them (all terms must be named
  // somewhere in a document for a sentence of it to involve them all; one, with `any`).
  const filters = terms.map((t) => mentionFilter(t));
  const relevant = (doc: CleanDocument) => (any ? filters.some((f) => f(doc)) : filters.every((f) => f(doc)));
  const merged: Candidate[] = [];
  documents.forEach((doc, docIndex) => {
    if (terms.length === 0 || !relevant(doc)) return;
    for (const candidate of documentCandidates(doc, docIndex, matcher, phrases, entities, any)) {
      const same = merged.find((m) => compatibleDates(m, candidate) && sameEvent(tokensOfCandidate(m), tokensOfCandidate(candidate)));
      if (!same) {
        merged.push(candidate);
        continue;
      }
      for (const citation of candidate.citations) {
        if (!same.citations.some((c) => c.source === citation.source && c.start === citation.start)) same.citations.push(citation);
      }
      for (const t of tokensOfCandidate(candidate)) tokensOfCandidate(same).add(t);
      // Keep the most precise date any report gives.
      if (candidate.date !== null && same.date !== null && candidate.date.length > same.date.length) {
        same.date = candidate.date;
        same.value = candidate.value;
      }
    }
  });

  const dated = merged.filter((c) => c.date !== null);
  dated.sort((a, b) => {
    const [aStart = '', aEnd = ''] = (a.date ?? '').split('/');
    const [bStart = '', bEnd = ''] = (b.date ?? '').split('/');
    return aStart < bStart ? -1 : aStart > bStart ? 1 : aEnd < bEnd ? -1 : aEnd > bEnd ? 1 : a.order - b.order;
  });
  const undated = merged.filter((c) => c.date === null).sort((a, b) => a.order - b.order);

  // Sources are numbered in order of first appearance down the timeline, undated section last.
  const numbers = new Map<string, number>();
  const cite = (c: Candidate): TimelineCitation[] =>
    c.citations.map((citation) => {
      let n = numbers.get(citation.source);
      if (n === undefined) {
        n = numbers.size + 1;
        numbers.set(citation.source, n);
      }
      return { n, ...citation };
    });
  const events: TimelineEvent[] = dated.map((c) => ({ date: c.date ?? '', status: c.status, text: c.text, citations: cite(c) }));
  const undatedEvents: UndatedEvent[] = undated.map((c) => ({ text: c.text, citations: cite(c) }));
  const timeline: Timeline = {
    entities: terms.map(({ name, label, aliases, source }) => ({ name, label, aliases, source })),
    events,
    undated: undatedEvents,
  };
  if (events.length === 0 && undatedEvents.length === 0) timeline.message = emptyMessage(terms, documents.length, any);
  return timeline;
}

/** "No dated events mention 'pokemon' in the 7 indexed documents." */
function emptyMessage(terms: readonly ResolvedTerm[], documentCount: number, any: boolean): string {
  const names = terms.map((t) => `'${t.label}'`);
  const joined = names.length <= 1 ? (names[0] ?? 'anything') : `${names.slice(0, -1).join(', ')} ${any ? 'or' : 'and'} ${names[names.length - 1]}`;
  const what = terms.length > 1 && !any ? `${joined} together` : joined;
  const docs = `${documentCount} indexed document${documentCount === 1 ? '' : 's'}`;
  return `No dated events mention ${what} in the ${docs}.`;
}
