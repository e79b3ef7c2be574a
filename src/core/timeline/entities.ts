// Entity catalog: which surface forms in a text stand for which actor (a country, its people, capital, leaders).
// The catalog is data (data/entities.json) so users extend it without touching code.
import { z } from 'zod';
import { CoreError } from '../errors.js';
import { escapeRegExp } from '../text/regex.js';

const PersonSchema = z.union([
  z.string().min(1),
  z
    .object({
      name: z.string().min(1),
      /** Which token is the family name: East Asian names put it first, so it cannot be guessed. */
      surname: z.string().min(1).optional(),
    })
    .strict(),
]);

const EntitySchema = z
  .object({
    label: z.string().min(1).optional(),
    aliases: z.array(z.string().min(1)).min(1),
    leaders: z.array(PersonSchema).default([]),
    /** Phrases containing an alias that do not mean the entity acting ("Sea of Japan", "North Korea"). */
    exclusions: z.array(z.string().min(1)).default([]),
  })
  .strict();

const CatalogSchema = z
  .object({
    entities: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'entity names are lower-case words joined by "-"'), EntitySchema),
  })
  .passthrough();

export interface Person {
  name: string;
  surname: string;
}

export interface EntityDefinition {
  name: string;
  label: string;
  aliases: string[];
  leaders: Person[];
  exclusions: string[];
}

export interface EntityCatalog {
  entities: readonly EntityDefinition[];
}

/** Validates catalog JSON; the error names the offending key path (e.g. `entities.japan.aliases`). */
export function parseEntityCatalog(json: unknown): EntityCatalog {
  const parsed = CatalogSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new CoreError('INVALID_INPUT', `Invalid entity catalog: ${issues}`);
  }
  const entities: EntityDefinition[] = [];
  for (const [name, raw] of Object.entries(parsed.data.entities)) {
    const leaders = raw.leaders.map((person): Person => {
      const full = typeof person === 'string' ? person : person.name;
      const tokens = full.split(/[\s-]+/).filter((t) => t.length > 0);
      const surname = typeof person === 'string' ? undefined : person.surname;
      if (surname !== undefined && !` ${tokens.join(' ').toLowerCase()} `.includes(` ${surname.toLowerCase()} `)) {
        throw new CoreError('INVALID_INPUT', `Invalid entity catalog: entities.${name}.leaders: surname "${surname}" is not part of "${full}"`);
      }
      return { name: full, surname: surname ?? tokens[tokens.length - 1] ?? full };
    });
    entities.push({ name, label: raw.label ?? name, aliases: raw.aliases, leaders, exclusions: raw.exclusions });
  }
  if (entities.length === 0) throw new CoreError('INVALID_INPUT', 'Invalid entity catalog: entities: no entity defined');
  return { entities };
}

export function entityNames(catalog: EntityCatalog): string[] {
  return catalog.entities.map((e) => e.name);
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

type FormKind = 'alias' | 'person' | 'exclusion' | 'surname';

interface FormEntry {
  kind: FormKind;
  entity: string;
  /** For full names and surnames: the full name. */
  person?: string;
}

export interface EntityMention {
  entity: string;
  start: number;
  end: number;
}

/** Compiled matcher; built once per catalog. */
export interface EntityMatcher {
  /**
   * Entity mentions in `text`, leftmost-longest, exclusions and unlicensed surnames removed. With `ranges`
   * (sorted, non-overlapping), only those parts are read, and only full names found there license surnames.
   */
  match(text: string, ranges?: readonly { start: number; end: number }[]): EntityMention[];
}


/** Normalised key of a surface form: case, hyphens and spacing do not distinguish names. */
function formKey(s: string): string {
  return s
    .replace(/[’‘]/g, "'")
    .toLowerCase()
    .replace(/[\s\u2010-\u2015-]+/g, ' ')
    .trim();
}

// Capitalised words that can precede a bare surname without being a given name: titles, and words that open a
// sentence ("But Lee said").
const TITLES = new Set(
  'president prime minister premier chancellor leader chairman chairwoman secretary general mr mrs ms dr sir king queen emperor foreign defence defense vice former acting interim then but and as when while after before if though although so yet still now later earlier meanwhile however since because once until'.split(
    ' ',
  ),
);

export function compileMatcher(catalog: EntityCatalog): EntityMatcher {
  const forms = new Map<string, FormEntry[]>();
  const patterns = new Map<string, string>();
  const firstChars = new Set<string>();
  const add = (surface: string, kind: FormKind, entity: string, person?: string, caseFlexible = false): void => {
    const key = formKey(surface);
    const entries = forms.get(key) ?? [];
    forms.set(key, entries);
    entries.push(person === undefined ? { kind, entity } : { kind, entity, person });
    firstChars.add(surface[0] ?? '');
    firstChars.add((surface[0] ?? '').toUpperCase());
    const tokens = surface.split(/[\s\u2010-\u2015-]+/).filter((t) => t.length > 0);
    const pattern = tokens
      .map((token, i) =>
        caseFlexible && i > 0
          ? [...token].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : escapeRegExp(c))).join('')
          : escapeRegExp(token).replace(/'/g, "['’]"),
      )
      .join('[\\s\\u2010-\\u2015-]+');
    patterns.set(key + '|' + pattern, pattern);
    // Headlines and section labels are often upper case.
    if (surface.toUpperCase() !== surface) patterns.set(key + '|U', escapeRegExp(surface.toUpperCase()).replace(/ /g, '\\s+'));
  };
  for (const entity of catalog.entities) {
    for (const alias of entity.aliases) add(alias, 'alias', entity.name);
    for (const exclusion of entity.exclusions) add(exclusion, 'exclusion', entity.name);
    for (const person of entity.leaders) {
      add(person.name, 'person', entity.name, person.name, true);
      add(person.surname, 'surname', entity.name, person.name);
    }
  }
  // Longest first, so that at one position the longest form wins; the scan itself is leftmost. Forms start
  // with one of a few letters, in the case written in the catalog (names are capitalised): testing that first
  // lets the scan skip most positions without trying the alternatives.
  const surfaceLength = (id: string): number => id.indexOf('|');
  const alternatives = [...patterns.entries()].sort((a, b) => surfaceLength(b[0]) - surfaceLength(a[0])).map(([, p]) => p);
  const lead = `[${[...new Set([...firstChars].join(''))].map(escapeRegExp).join('').replace(/-/g, '\\-')}]`;
  const regex = new RegExp(`(?=${lead})(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?:s|'s|’s)?(?![\\p{L}\\p{N}])`, 'gu');

  const lookup = (surface: string): FormEntry[] | undefined => {
    const key = formKey(surface);
    return forms.get(key) ?? forms.get(key.replace(/(?:'s|s)$/, ''));
  };

  return {
    match(text: string, ranges?: readonly { start: number; end: number }[]): EntityMention[] {
      const hits: Array<{ start: number; end: number; entries: FormEntry[] }> = [];
      for (const range of ranges ?? [{ start: 0, end: text.length }]) {
        const part = ranges ? text.slice(range.start, range.end) : text;
        // exec on the one compiled regex: matchAll would clone (and recompile) this large pattern every call.
        regex.lastIndex = 0;
        for (let m = regex.exec(part); m !== null; m = regex.exec(part)) {
          const entries = lookup(m[0]);
          if (entries) hits.push({ start: range.start + m.index, end: range.start + m.index + m[0].length, entries });
        }
      }
      // Full names present in this text license their bare surnames.
      const present = new Set<string>();
      for (const hit of hits) for (const e of hit.entries) if (e.kind === 'person' && e.person !== undefined) present.add(e.person);
      const out: EntityMention[] = [];
      for (const hit of hits) {
        // A span that is an exclusion of an entity never counts for it, whatever other forms share the spelling.
        const excluded = new Set(hit.entries.filter((e) => e.kind === 'exclusion').map((e) => e.entity));
        const found = new Set<string>();
        for (const e of hit.entries) {
          if (e.kind === 'exclusion' || excluded.has(e.entity) || found.has(e.entity)) continue;
          if (e.kind === 'surname') {
            if (e.person === undefined || !present.has(e.person)) continue;
            if (!isBareSurname(text, hit.start, hit.end)) continue;
          }
          found.add(e.entity);
          out.push({ entity: e.entity, start: hit.start, end: hit.end });
        }
      }
      return out;
    },
  };
}

/**
 * A surname stands alone when the next word is not another capitalised name part ("Lee Jae-mook" is someone
 * else) and the previous word is not a given name ("Jae-mook Lee"): a title or a sentence opener is fine.
 */
function isBareSurname(text: string, start: number, end: number): boolean {
  const after = /^(?:[\s\u2010-\u2015-]+)(\p{Lu}[\p{L}'’]*)/u.exec(text.slice(end, end + 40));
  if (after && !/^(?:'s|’s)$/.test(after[1] ?? '')) return false;
  const before = /(\p{L}[\p{L}'’.-]*)([\s\u2010-\u2015-]+)$/u.exec(text.slice(Math.max(0, start - 40), start));
  if (!before) return true;
  const word = before[1] ?? '';
  if (!/^\p{Lu}/u.test(word)) return true;
  if (TITLES.has(word.replace(/\.$/, '').toLowerCase())) return true;
  // "…than Yoon. Lee has…": the previous word ends the previous sentence.
  return /[.!?]$/.test(word) && !/^(?:\p{Lu}\.)+$/u.test(word);
}
