// What a /timeline query asks for. The query is parsed once here (Discord, the terminal and the npm script all
// pass the raw text), then each part is matched greedily to the longest known name — curated (data/entities.json)
// or learned from the corpus — and whatever is left becomes a topic phrase matched on stemmed words.
import { contentTerms } from '../text/tokens.js';
import type { TimelineTerm } from '../types.js';
import type { EntityCatalog, EntityDefinition } from './entities.js';
import type { EntityKind, EntityLexicon, LearnedEntity } from './learn-entities.js';
import { nameKey } from './learn-entities.js';
import { escapeRegExp } from '../text/regex.js';

/** Longest name tried at one position, in words. */
const MAX_NAME_WORDS = 6;

/** A resolved part of the query: what the timeline shows, plus how to find it in text. */
export interface ResolvedTerm extends TimelineTerm {
  /** For curated and learned entities: the catalog entry the entity matcher compiles. */
  definition?: EntityDefinition;
  /** For phrases: stemmed content terms, matched as a contiguous sequence. */
  stems?: string[];
  /** For learned entities: the documents the learner found them in (the only ones worth reading). */
  documents?: ReadonlyMap<string, number>;
}

/** One entry of the directory of known entities, for autocomplete, /help and resolution. */
export interface DirectoryEntry {
  /** Stable id: the curated key, or `learned:<key>`. */
  name: string;
  label: string;
  aliases: string[];
  source: 'curated' | 'learned';
  kind: EntityKind | 'curated';
  mentions: number;
  definition: EntityDefinition;
  /** Mentions per document source (learned entities). */
  documents?: ReadonlyMap<string, number>;
}

/**
 * `japan korea` → [['japan', 'korea']]; `japan, south korea` → [['japan'], ['south', 'korea']]. Commas mark
 * where one name ends; without them names are found greedily. Positional arguments are joined first.
 */
export function parseTimelineQuery(input: string | readonly string[]): string[][] {
  const text = typeof input === 'string' ? input : input.join(' ');
  return text
    .split(/[,;]+/)
    .map((group) => group.split(/\s+/).filter((word) => word.length > 0 && /[\p{L}\p{N}]/u.test(word)))
    .filter((group) => group.length > 0);
}

function queryKey(text: string): string {
  return nameKey(text);
}

/** Curated entities and the ones learned from the corpus, merged: a learned name the catalog knows is curated. */
export class EntityDirectory {
  readonly entries: readonly DirectoryEntry[];
  private readonly byKey = new Map<string, DirectoryEntry>();

  constructor(
    readonly catalog: EntityCatalog,
    readonly lexicon: EntityLexicon | null,
  ) {
    const curatedByForm = new Map<string, DirectoryEntry>();
    const curated: DirectoryEntry[] = catalog.entities.map((entity) => {
      const entry: DirectoryEntry = {
        name: entity.name,
        label: entity.label,
        aliases: entity.aliases,
        source: 'curated',
        kind: 'curated',
        mentions: 0,
        definition: entity,
      };
      for (const form of [entity.name, entity.label, ...entity.aliases]) {
        const key = queryKey(form);
        if (!curatedByForm.has(key)) curatedByForm.set(key, entry);
      }
      return entry;
    });
    const learned: DirectoryEntry[] = [];
    for (const entity of lexicon?.entities ?? []) {
      // "Seoul", "South Korea", "Washington": the catalog already says which entity these stand for.
      const owner = curatedByForm.get(entity.key);
      if (owner) {
        owner.mentions += entity.mentions;
        continue;
      }
      learned.push(learnedEntry(entity));
    }
    const all = [...curated, ...learned].sort((a, b) => b.mentions - a.mentions || (a.source === b.source ? 0 : a.source === 'curated' ? -1 : 1));
    this.entries = all;
    for (const [key, entry] of curatedByForm) this.byKey.set(key, entry);
  }

  /** The entity a name stands for: curated forms first, then learned labels, spellings and surnames. */
  find(name: string): DirectoryEntry | undefined {
    const key = queryKey(name);
    if (key.length === 0) return undefined;
    const curated = this.byKey.get(key);
    if (curated) return curated;
    const learned = this.lexicon?.lookup(name);
    if (!learned) return undefined;
    let entry = this.byKey.get(`learned:${learned.key}`);
    if (!entry) {
      entry = learnedEntry(learned);
      this.byKey.set(`learned:${learned.key}`, entry);
    }
    return entry;
  }

  /** Greedy longest match of each group's words to known names; runs of unknown words become phrases. */
  resolve(groups: readonly (readonly string[])[]): ResolvedTerm[] {
    const out: ResolvedTerm[] = [];
    const push = (term: ResolvedTerm) => {
      if (!out.some((t) => t.name === term.name)) out.push(term);
    };
    for (const words of groups) {
      let phrase: string[] = [];
      const flushPhrase = () => {
        if (phrase.length === 0) return;
        const text = phrase.join(' ');
        const stems = contentTerms(text);
        // A phrase of stop words only ("the") cannot be matched; keep it so the message can name it.
        push({ name: `phrase:${stems.join(' ') || text.toLowerCase()}`, label: text, aliases: [], source: 'phrase', stems });
        phrase = [];
      };
      for (let i = 0; i < words.length; ) {
        let found: DirectoryEntry | undefined;
        let used = 0;
        for (let n = Math.min(MAX_NAME_WORDS, words.length - i); n >= 1 && found === undefined; n -= 1) {
          found = this.find(words.slice(i, i + n).join(' '));
          if (found) used = n;
        }
        if (!found) {
          phrase.push(words[i] ?? '');
          i += 1;
          continue;
        }
        flushPhrase();
        const term: ResolvedTerm = { name: found.name, label: found.label, aliases: found.aliases, source: found.source, definition: found.definition };
        if (found.documents) term.documents = found.documents;
        push(term);
        i += used;
      }
      flushPhrase();
    }
    return out;
  }
}

function learnedEntry(entity: LearnedEntity): DirectoryEntry {
  const name = `learned:${entity.key}`;
  // Like the catalog's leaders: without a surname seen alone, a person's last name part is the one.
  const surname = entity.surname ?? (entity.kind === 'person' ? entity.label.split(' ').slice(-1)[0] : undefined);
  const aliases = surname === undefined || surname === entity.label ? entity.aliases : [...entity.aliases, surname];
  const definition: EntityDefinition = {
    name,
    label: entity.label,
    aliases: [entity.label, ...entity.aliases],
    // A surname counts only where the full name is in the same document, as for the catalog's leaders.
    leaders: surname === undefined || surname === entity.label ? [] : [{ name: entity.label, surname }],
    exclusions: [],
  };
  return { name, label: entity.label, aliases, source: 'learned', kind: entity.kind, mentions: entity.mentions, definition, documents: entity.documents };
}

/** The catalog a matcher compiles for these terms: the curated entities (for their exclusions) plus learned ones. */
export function matcherCatalog(catalog: EntityCatalog, terms: readonly ResolvedTerm[]): EntityCatalog {
  const learned = terms.filter((t) => t.source === 'learned' && t.definition).map((t) => t.definition as EntityDefinition);
  return learned.length === 0 ? catalog : { entities: [...catalog.entities, ...learned] };
}

/** Does a sentence's stemmed word sequence contain the phrase's stems in a row? */
export function containsPhrase(sentenceStems: readonly string[], stems: readonly string[]): boolean {
  if (stems.length === 0) return false;
  outer: for (let i = 0; i + stems.length <= sentenceStems.length; i += 1) {
    for (let j = 0; j < stems.length; j += 1) if (sentenceStems[i + j] !== stems[j]) continue outer;
    return true;
  }
  return false;
}


/**
 * A cheap test that a document may mention a term at all, so a large corpus is read only where it matters:
 * learned entities by the learner's own per-document counts; curated ones by any full form (alias or full name,
 * case-insensitive, any separator; a bare surname never counts without the full name); phrases by the start of
 * their first word. For curated entities and phrases it is never false where the matcher would find the term.
 */
export function mentionFilter(term: ResolvedTerm): (doc: { source: string; text: string }) => boolean {
  if (term.documents) {
    const documents = term.documents;
    return (doc) => documents.has(doc.source);
  }
  const needles = new Set<string>();
  if (term.stems) {
    const stem = term.stems[0];
    // The stem and the word as typed ("met" is stemmed as "meet"): either may be how the text spells it.
    const word = term.label.toLowerCase().split(/\s+/).find((w) => contentTerms(w)[0] === stem);
    for (const form of [stem, word]) if (form !== undefined && form.length > 0) needles.add(escapeRegExp(form.slice(0, 4)));
  } else if (term.definition) {
    const d = term.definition;
    for (const form of [...d.aliases, ...d.leaders.map((p) => p.name)]) {
      const tokens = form.split(/[\s\u2010-\u2015-]+/).filter((t) => t.length > 0);
      if (tokens.length > 0) needles.add(tokens.map((t) => escapeRegExp(t).replace(/'/g, "['’]")).join('[\\s\\u2010-\\u2015-]+'));
    }
  }
  if (needles.size === 0) return () => false;
  const regex = new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...needles].join('|')})`, 'iu');
  return (doc) => regex.test(doc.text);
}
