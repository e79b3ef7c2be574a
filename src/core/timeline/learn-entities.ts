// Entities learned from the documents themselves: names of people, places and organisations, and acronyms,
// with their surface variants and mention counts per document. Rule-based on purpose: capitalised runs inside
// prose sentences, with the usual exceptions (sentence openers, titles, possessives, months), are what a
// news-like corpus names things with, and one regex pass keeps learning far faster than a tagger (see
// docs/benchmarks.md). Results are cached per document content, so a re-index re-learns only what changed.
import type { CleanDocument } from '../types.js';
import { STOP_WORDS } from '../text/tokens.js';
import { runPaced, runSync, type Pacer } from '../pacer.js';
import { proseSentenceSteps } from './segment.js';

export type EntityKind = 'person' | 'place' | 'organisation' | 'acronym' | 'name';

export interface LearnedEntity {
  /** Spelling-insensitive key: letters and digits only, lower case ("Lee Jae-myung" = "Lee Jae Myung"). */
  key: string;
  /** The most frequent spelling. */
  label: string;
  /** Other spellings seen (hyphen/spacing variants, initialisms), and a bare name that is unambiguous corpus-wide. */
  aliases: string[];
  /** A family name that stands for the full name only in documents that also give the full name. */
  surname?: string;
  kind: EntityKind;
  mentions: number;
  /** Mentions per document source. */
  documents: ReadonlyMap<string, number>;
}

/** What one document contributes; cached by content hash. */
interface DocumentNames {
  names: Map<string, NameStats>;
  sentences: number;
}

interface NameStats {
  surfaces: Map<string, number>;
  mentions: number;
  /** Mentions not at a sentence start: a name seen only there may just be a capitalised common word. */
  inner: number;
  titled: number;
  tokens: number;
  /** For single tokens linked to one full name of the same document: that name's key and the token's side. */
  linkedTo?: string;
  surnameSide?: 'first' | 'last';
}

const MONTHS_AND_DAYS = new Set(
  'january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday'.split(' '),
);

// Words that make a capitalised run a title rather than part of a name ("Prime Minister Fumio Kishida").
const TITLES = new Set(
  'president minister premier chancellor secretary king queen emperor empress mr mrs ms dr sir dame chairman chairwoman chair governor mayor senator sen rep ambassador commissioner director spokesperson spokesman spokeswoman leader pope prince princess lord lady gen general col colonel lt lieutenant adm admiral capt captain judge justice professor prof ceo envoy counterpart officials official rev'.split(
    ' ',
  ),
);
// Only a title when another title word follows ("Foreign Minister", but "Foreign Ministry" is a name).
const TITLE_MODIFIERS = new Set('prime foreign defence defense vice deputy former acting chief first interim finance trade state'.split(' '));
// Sentence openers that are capitalised only because they open the sentence.
const OPENERS = new Set(
  'but and however meanwhile despite during according after before while when as in on at if although though the a an this that these those its his her their our both two three four five several many some most every each nevertheless still yet instead there here it he she they we i so also later earlier since because once until unless following amid under with without from by for of to'.split(
    ' ',
  ),
);
const CONNECTORS = new Set(['of', 'of the', 'for', 'de', 'da', 'del', 'du', 'van', 'von', 'bin', 'al', 'la', 'le']);
const ORG_HEADS =
  /\b(?:ministry|agency|bank|council|party|organi[sz]ation|union|association|institute|university|committee|commission|company|corporation|corp|inc|group|administration|department|office|board|forum|force|forces|army|navy|court|parliament|assembly|congress|senate|government|authority|alliance|fund|news|times|post|network|service|centre|center|foundation|club)$/;

// One capitalised token: a word, an initialism ("U.S."), an acronym with digits ("G7"), hyphenated parts.
const TOKEN = String.raw`(?:(?:\p{Lu}\.){2,}|\p{Lu}\.(?=[ \t]\p{Lu})|\p{Lu}[\p{L}\p{M}\p{N}]*(?:['’]\p{L}+)?(?:[-‐][\p{L}\p{N}]+)*)`;
const RUN = new RegExp(
  String.raw`(?=\p{Lu})(?<![\p{L}\p{N}.])${TOKEN}(?:[ \t\u00a0]+(?:(?:of the|of|for|de|da|del|du|van|von|bin|al|la|le)[ \t\u00a0]+)?${TOKEN})*`,
  'gu',
);
const PLACE_PREFIX = /^(?:North|South|East|West|Northern|Southern|Eastern|Western|Central|New|United|Upper|Lower|Greater|Saint|St\.?|San|Santa|Los|Las|Mount|Lake|Port|Cape|Gulf|Sea|Camp|Republic|Kingdom|State|States|Island|Islands|Peninsula|Strait)$/;
const LETTERS = /[^\p{L}\p{N}]+/gu;

const keyMemo = new Map<string, string>();

/** Spelling-insensitive key of a name. */
export function nameKey(surface: string): string {
  let key = keyMemo.get(surface);
  if (key === undefined) {
    key = surface.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(LETTERS, '');
    if (keyMemo.size > 100_000) keyMemo.clear();
    keyMemo.set(surface, key);
  }
  return key;
}

function stripPossessive(token: string): string {
  return token.replace(/['’]s$/u, '').replace(/s['’]$/u, 's');
}

function isAcronym(surface: string): boolean {
  return /^(?:(?:\p{Lu}\.){2,}|\p{Lu}[\p{Lu}\p{N}]+s?)$/u.test(surface) && /\p{Lu}.*\p{Lu}|\./u.test(surface);
}

interface RunPart {
  tokens: string[];
  /** Index in the run's tokens of the first token of this part. */
  offset: number;
  titled: boolean;
}

/** Splits a capitalised run at titles and possessives: "Japan's Prime Minister Fumio Kishida" → Japan | Fumio Kishida. */
function splitRun(tokens: readonly string[]): RunPart[] {
  const parts: RunPart[] = [];
  let current: string[] = [];
  let offset = 0;
  let titled = false;
  const flush = (next: number, nextTitled: boolean) => {
    if (current.length > 0) parts.push({ tokens: current, offset, titled });
    current = [];
    offset = next;
    titled = nextTitled;
  };
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i] ?? '';
    const lower = token.toLowerCase().replace(/\.$/, '');
    if (CONNECTORS.has(lower)) {
      current.push(token);
      continue;
    }
    const nextLower = (tokens[i + 1] ?? '').toLowerCase();
    const isTitle = TITLES.has(lower) || (TITLE_MODIFIERS.has(lower) && (TITLES.has(nextLower) || TITLE_MODIFIERS.has(nextLower)));
    if (isTitle) {
      flush(i + 1, true);
      continue;
    }
    const bare = stripPossessive(token);
    if (MONTHS_AND_DAYS.has(bare.toLowerCase())) {
      flush(i + 1, false);
      continue;
    }
    const pieces = splitCompound(bare);
    for (let p = 0; p < pieces.length; p += 1) {
      if (p > 0) flush(i, false);
      current.push(pieces[p] ?? '');
    }
    // A possessive or a "-made" suffix ends the name: "US-made THAAD" is two things.
    if (bare !== token || HYPHEN_SUFFIX.test(bare)) flush(i + 1, false);
  }
  flush(tokens.length, false);
  // Connectors cannot start or end a name.
  const out: RunPart[] = [];
  for (const part of parts) {
    let from = 0;
    let to = part.tokens.length;
    while (from < to && CONNECTORS.has((part.tokens[from] ?? '').toLowerCase())) from += 1;
    while (to > from && CONNECTORS.has((part.tokens[to - 1] ?? '').toLowerCase())) to -= 1;
    if (to > from) out.push({ tokens: part.tokens.slice(from, to), offset: part.offset + from, titled: part.titled });
  }
  return out;
}

/** A word capitalised only because it opens the sentence ("But", "Regarding", "Additionally"). */
function isOpener(token: string): boolean {
  const lower = token.toLowerCase();
  return OPENERS.has(lower) || STOP_WORDS.has(lower) || (/^\p{Lu}\p{Ll}+(?:ing|ly)$/u.test(token) && token.length > 5);
}

// Compounds that are not names: "US-made", "Japan-based".
const HYPHEN_SUFFIX = /[-‐](?:made|led|based|backed|born|owned|run|style|era|bound|wide|linked|funded|brokered|sponsored|centric|friendly|related|level|class)$/u;

/**
 * "DPRK-Japan", "Japan-South" (of "Japan-South Korea"): two names joined; a combining form ("Indo-Pacific") and a
 * hyphenated given name ("Jae-myung", "Duck-soo") stay whole.
 */
function splitCompound(token: string): string[] {
  const bare = token.replace(HYPHEN_SUFFIX, '');
  const parts = bare.split(/[-‐](?=\p{Lu})/u);
  if (parts.length === 1) return [bare];
  const out: string[] = [parts[0] ?? ''];
  for (const part of parts.slice(1)) {
    const left = out[out.length - 1] ?? '';
    const joined = left.length < 2 || /o$/.test(left) ? true : !(/^\p{Lu}[\p{Lu}\p{N}]+$/u.test(left) || left.length >= 4);
    if (joined) out[out.length - 1] = `${left}-${part}`;
    else out.push(part);
  }
  return out;
}

function splitTokens(run: string): string[] {
  const tokens = run.split(/[ \t\u00a0]+/);
  // "of the" is one connector token.
  for (let i = tokens.length - 2; i >= 0; i -= 1) if (tokens[i] === 'of' && tokens[i + 1] === 'the') tokens.splice(i, 2, 'of the');
  return tokens;
}

const SIMPLE_WORD = /^\p{Lu}\p{Ll}+$/u;

/** The sentence's opening quote or a colon just before `index`: what follows starts a sentence of its own. */
function quoteBefore(body: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && body[i] === ' ') i -= 1;
  const c = body[i];
  return c === '"' || c === '“' || c === ':';
}

/** The lower-cased word just before `index` (skipping spaces), or ''. */
function wordBefore(body: string, index: number): string {
  let end = index;
  while (end > 0 && body[end - 1] === ' ') end -= 1;
  let start = end;
  while (start > 0 && start > end - 16 && /\p{L}/u.test(body[start - 1] ?? '')) start -= 1;
  return body.slice(start, end).toLowerCase();
}

/** Names in one document, with surnames linked to the one full name of the document that ends or starts with them. */
export function learnDocument(text: string): DocumentNames {
  return runSync(learnDocumentSteps(text));
}

/** learnDocument as steps (a block, then every 64 sentences): a document of several megabytes took seconds. */
function* learnDocumentSteps(text: string): Generator<void, DocumentNames> {
  const names = new Map<string, NameStats>();
  const add = (surface: string, initial: boolean, titled: boolean, tokens: number) => {
    const key = nameKey(surface);
    if (key.length < 2 || /^\d+$/.test(key)) return;
    let stats = names.get(key);
    if (!stats) {
      stats = { surfaces: new Map(), mentions: 0, inner: 0, titled: 0, tokens };
      names.set(key, stats);
    }
    stats.surfaces.set(surface, (stats.surfaces.get(surface) ?? 0) + 1);
    stats.mentions += 1;
    if (!initial) stats.inner += 1;
    if (titled) stats.titled += 1;
  };
  const sentences = yield* proseSentenceSteps(text);
  let read = 0;
  for (const sentence of sentences) {
    if (++read % 64 === 0) yield;
    const body = sentence.text;
    // Where the sentence really starts: after opening quotes and brackets.
    const lead = /^["“‘'(\[]*/.exec(body)?.[0].length ?? 0;
    RUN.lastIndex = 0;
    for (let m = RUN.exec(body); m !== null; m = RUN.exec(body)) {
      const run = m[0];
      const atStart = m.index <= lead || quoteBefore(body, m.index);
      // Fast path: one plain word opening the sentence ("The", "But"): by far the most common run.
      if (atStart && SIMPLE_WORD.test(run) && isOpener(run)) continue;
      let tokens = splitTokens(run);
      let initial = atStart;
      if (atStart) {
        // "But Lee said": the opener is not part of the name.
        while (tokens.length > 0 && isOpener(tokens[0] ?? '')) {
          tokens = tokens.slice(1);
          initial = false;
        }
        if (tokens.length === 0) continue;
      }
      // "North Korean leader Kim Jong Un": a lower-case title just before the run.
      const titledBefore = !atStart && TITLES.has(wordBefore(body, m.index));
      for (const part of splitRun(tokens)) {
        const surface = part.tokens.length === 1 ? (part.tokens[0] ?? '') : part.tokens.join(' ');
        if (surface.length < 2 || (part.tokens.length === 1 && !isAcronym(surface) && STOP_WORDS.has(surface.toLowerCase()))) continue;
        let words = 0;
        for (const t of part.tokens) if (!CONNECTORS.has(t.toLowerCase())) words += 1;
        add(surface, initial && part.offset === 0, part.titled || (titledBefore && part.offset === 0), words);
      }
    }
  }
  // Surnames: a single token that is the first or last part of exactly one full name in this document.
  const byPart = new Map<string, Array<{ key: string; side: 'first' | 'last' }>>();
  for (const [key, stats] of names) {
    if (stats.tokens < 2 || stats.tokens > 4) continue;
    const label = mostFrequent(stats.surfaces);
    const parts = label.split(' ');
    // Only personal names have surnames: no connector ("Sea of Japan"), acronym or compass word ("South Korea").
    if (parts.some((p) => CONNECTORS.has(p.toLowerCase()) || isAcronym(p) || PLACE_PREFIX.test(p))) continue;
    const first = nameKey(parts[0] ?? '');
    const last = nameKey(parts[parts.length - 1] ?? '');
    for (const [part, side] of [
      [first, 'first'],
      [last, 'last'],
    ] as const) {
      const list = byPart.get(part) ?? [];
      list.push({ key, side });
      byPart.set(part, list);
    }
  }
  for (const [key, stats] of names) {
    if (stats.tokens !== 1 || isAcronym(mostFrequent(stats.surfaces))) continue;
    const candidates = byPart.get(key);
    const targets = new Set(candidates?.map((c) => c.key));
    if (!candidates || targets.size !== 1) continue;
    stats.linkedTo = candidates[0]?.key;
    stats.surnameSide = candidates[0]?.side;
  }
  return { names, sentences: sentences.length };
}

function mostFrequent(surfaces: ReadonlyMap<string, number>): string {
  let best = '';
  let count = -1;
  for (const [surface, n] of surfaces) {
    // Ties prefer the spelling with separators ("Jae-myung" over "Jaemyung") and the longer one.
    if (n > count || (n === count && surface.length > best.length)) {
      best = surface;
      count = n;
    }
  }
  return best;
}

interface Accumulator {
  key: string;
  surfaces: Map<string, number>;
  documents: Map<string, number>;
  mentions: number;
  inner: number;
  titled: number;
  tokens: number;
  surnames: Map<string, { surface: string; count: number }>;
}

export interface EntityLexicon {
  /** Most-mentioned first. */
  readonly entities: readonly LearnedEntity[];
  readonly sentences: number;
  /** The entity a name (label, alias or surname, any spelling) stands for, if exactly one. */
  lookup(name: string): LearnedEntity | undefined;
}

/**
 * Learns entities per document (cached by content hash across corpus revisions) and aggregates them. Keep one
 * learner per process: a re-index that changes a few documents then costs only those documents.
 */
export class EntityLearner {
  private cache = new Map<string, DocumentNames>();

  /**
   * Learns one document now (a no-op when its content is cached). Callers that must not block for long feed
   * documents here in slices before calling `learn`, which then only merges.
   */
  prepare(doc: LearnableDocument): void {
    const key = cacheKey(doc);
    if (!this.cache.has(key)) this.cache.set(key, learnDocument(doc.text));
  }

  /** prepare in slices: the event loop gets a turn whenever `pacer`'s slice is used up, inside a document too. */
  async preparePaced(doc: LearnableDocument, pacer: Pacer): Promise<void> {
    const key = cacheKey(doc);
    if (this.cache.has(key)) return;
    const names = await runPaced(learnDocumentSteps(doc.text), pacer);
    this.cache.set(key, names);
  }

  learn(documents: Iterable<LearnableDocument>): EntityLexicon {
    const next = new Map<string, DocumentNames>();
    const all: Array<[string, DocumentNames]> = [];
    for (const doc of documents) {
      const key = cacheKey(doc);
      let names = next.get(key) ?? this.cache.get(key);
      if (!names) names = learnDocument(doc.text);
      next.set(key, names);
      all.push([doc.source, names]);
    }
    // Documents no longer in the corpus are forgotten.
    this.cache = next;
    return aggregate(all);
  }
}

export type LearnableDocument = Pick<CleanDocument, 'source' | 'text' | 'contentHash'>;

function cacheKey(doc: LearnableDocument): string {
  return doc.contentHash || `${doc.source}\u0000${doc.text.length}\u0000${doc.text.slice(0, 64)}`;
}

function aggregate(documents: ReadonlyArray<readonly [string, DocumentNames]>): EntityLexicon {
  const byKey = new Map<string, Accumulator>();
  const get = (key: string, tokens: number): Accumulator => {
    let acc = byKey.get(key);
    if (!acc) {
      acc = { key, surfaces: new Map(), documents: new Map(), mentions: 0, inner: 0, titled: 0, tokens, surnames: new Map() };
      byKey.set(key, acc);
    }
    return acc;
  };
  // Bare tokens and the full names they were linked to, corpus-wide.
  const linkTargets = new Map<string, Set<string>>();
  let sentences = 0;
  for (const [source, doc] of documents) {
    sentences += doc.sentences;
    for (const [key, stats] of doc.names) {
      const target = stats.linkedTo !== undefined ? get(stats.linkedTo, 2) : get(key, stats.tokens);
      if (stats.linkedTo !== undefined) {
        const surface = mostFrequent(stats.surfaces);
        const s = target.surnames.get(key) ?? { surface, count: 0 };
        s.count += stats.mentions;
        target.surnames.set(key, s);
        const set = linkTargets.get(key) ?? new Set();
        set.add(stats.linkedTo);
        linkTargets.set(key, set);
        target.titled += stats.titled;
      } else {
        for (const [surface, n] of stats.surfaces) target.surfaces.set(surface, (target.surfaces.get(surface) ?? 0) + n);
        target.inner += stats.inner;
        target.titled += stats.titled;
      }
      target.mentions += stats.mentions;
      target.documents.set(source, (target.documents.get(source) ?? 0) + stats.mentions);
    }
  }
  // A bare name linked to exactly one full name anywhere in the corpus is that person everywhere ("Trump").
  for (const [bare, targets] of linkTargets) {
    const single = byKey.get(bare);
    if (targets.size !== 1 || !single || single.surfaces.size === 0) continue;
    const target = byKey.get([...targets][0] ?? '');
    if (!target) continue;
    const bareSurface = target.surnames.get(bare) ?? { surface: mostFrequent(single.surfaces), count: 0 };
    bareSurface.count += single.mentions;
    target.surnames.set(bare, bareSurface);
    for (const [source, n] of single.documents) target.documents.set(source, (target.documents.get(source) ?? 0) + n);
    target.mentions += single.mentions;
    target.inner += single.inner;
    target.titled += single.titled;
    byKey.delete(bare);
  }

  const entities: LearnedEntity[] = [];
  for (const acc of byKey.values()) {
    if (acc.surfaces.size === 0 || acc.inner === 0) continue;
    const label = mostFrequentFullName(acc.surfaces, acc.tokens);
    const aliases = [...acc.surfaces.keys()].filter((s) => s !== label).sort();
    let surname: string | undefined;
    let best = 0;
    for (const s of acc.surnames.values()) {
      if (s.count > best) {
        best = s.count;
        surname = s.surface;
      }
    }
    const entity: LearnedEntity = {
      key: acc.key,
      label,
      aliases,
      kind: kindOf(label, acc),
      mentions: acc.mentions,
      documents: acc.documents,
    };
    if (surname !== undefined && !aliases.includes(surname)) entity.surname = surname;
    entities.push(entity);
  }
  entities.sort((a, b) => b.mentions - a.mentions || a.label.localeCompare(b.label));

  // Labels win over anyone's alias or surname; an alias two entities share stands for neither.
  const labels = new Map(entities.map((e) => [e.key, e] as const));
  const others = new Map<string, LearnedEntity | null>();
  for (const entity of entities) {
    for (const form of [...entity.aliases, ...(entity.surname === undefined ? [] : [entity.surname])]) {
      const key = nameKey(form);
      if (key === entity.key) continue;
      const existing = others.get(key);
      others.set(key, existing === undefined || existing === entity ? entity : null);
    }
  }
  // Lowest priority: the first or last part of one person's name ("trump" → Donald Trump), when unambiguous.
  const parts = new Map<string, LearnedEntity | null>();
  for (const entity of entities) {
    if (entity.kind !== 'person') continue;
    const tokens = entity.label.split(' ');
    if (tokens.length < 2) continue;
    for (const token of [tokens[0] ?? '', tokens[tokens.length - 1] ?? '']) {
      const key = nameKey(token);
      const existing = parts.get(key);
      parts.set(key, existing === undefined || existing === entity ? entity : null);
    }
  }
  return {
    entities,
    sentences,
    lookup: (name) => {
      const key = nameKey(name);
      return labels.get(key) ?? others.get(key) ?? parts.get(key) ?? undefined;
    },
  };
}

function mostFrequentFullName(surfaces: ReadonlyMap<string, number>, tokens: number): string {
  if (tokens < 2) return mostFrequent(surfaces);
  // Prefer a spelling with all its parts ("Lee Jae Myung", not a bare "Lee" merged in).
  const full = new Map([...surfaces].filter(([s]) => /[\s\u2010-]/.test(s)));
  return mostFrequent(full.size > 0 ? full : surfaces);
}

function kindOf(label: string, acc: Accumulator): EntityKind {
  if (isAcronym(label)) return 'acronym';
  const lower = label.toLowerCase();
  if (ORG_HEADS.test(lower)) return 'organisation';
  if (acc.titled > 0 || acc.surnames.size > 0) return 'person';
  if (acc.tokens >= 2 && label.split(' ').some((p) => PLACE_PREFIX.test(p))) return 'place';
  return 'name';
}
