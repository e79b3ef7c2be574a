// Text tools for checking an LLM's sentences against document text: sentence spans with offsets, content terms,
// and a lexical support measure in which names and written numbers must match exactly (a paraphrase may reword,
// but it may not swap a person, a place or a figure).
import { stemmer } from 'stemmer';
import { monthNumber } from '../text/calendar.js';

/**
 * One spelling for what typography varies: a model may write straight quotes for the page's curly ones (or the
 * reverse), a hyphen for a dash, "..." for "…", and drops soft hyphens and non-breaking spaces. Used only to compare
 * a claim with a passage; quotes and offsets are always taken from the stored text.
 */
export function foldTypography(text: string): string {
  return (
    text
      // Compatibility forms: "…" → "...", no-break and other fixed-width spaces → " ", ligatures ("ﬁ") → letters.
      .normalize('NFKC')
      .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, '')
      .replace(/[‘’‚‛′ʼ`´]/g, "'")
      .replace(/[“”„‟″«»]/g, '"')
      .replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-')
      .replace(/[ \t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g, ' ')
  );
}

/** A piece of text with its offsets into the string it was cut from (plus `base`). */
export interface TextSpan {
  text: string;
  start: number;
  end: number;
}

const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '»']);
const SENTENCE_START = /[\p{Lu}\p{N}"'“‘«(\[]/u;
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'gen', 'sen', 'rep', 'gov', 'lt', 'col', 'sgt', 'capt',
  'no', 'inc', 'ltd', 'corp', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'e.g', 'i.e', 'approx', 'fig', 'cf',
]);

/** Whether the `.` at `dot` ends an abbreviation or an initial ("S. Korea", "U.S.", "Dr.") rather than a sentence. */
function endsAbbreviation(text: string, dot: number): boolean {
  let k = dot;
  while (k > 0 && /[\p{L}.]/u.test(text[k - 1] ?? '')) k -= 1;
  const word = text.slice(k, dot);
  if (word.length === 0) return false;
  if (/^\p{Lu}$/u.test(word)) return true;
  if (word.includes('.')) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}

/**
 * A newline ends a sentence unless it only wraps one: the line before ends in a lowercase letter or comma and the
 * next line goes on in lowercase. Headlines, bylines and list items stay separate.
 */
function newlineBreaks(text: string, newline: number): boolean {
  let before = newline - 1;
  while (before >= 0 && /[ \t\r]/.test(text[before] ?? '')) before -= 1;
  let after = newline + 1;
  while (after < text.length && /[ \t\r]/.test(text[after] ?? '')) after += 1;
  const prev = text[before];
  const next = text[after];
  if (prev === undefined || next === undefined || next === '\n') return true;
  return !(/[\p{Ll},]/u.test(prev) && /\p{Ll}/u.test(next));
}

/** Splits `text` into trimmed sentence spans; offsets are `base + index in text`. */
export function splitSentences(text: string, base = 0): TextSpan[] {
  const spans: TextSpan[] = [];
  const push = (from: number, to: number) => {
    let s = from;
    let e = to;
    while (s < e && /\s/.test(text[s] ?? '')) s += 1;
    while (e > s && /\s/.test(text[e - 1] ?? '')) e -= 1;
    if (e > s) spans.push({ text: text.slice(s, e), start: base + s, end: base + e });
  };
  let segmentStart = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\n') {
      if (newlineBreaks(text, i)) {
        push(segmentStart, i);
        segmentStart = i + 1;
      }
      continue;
    }
    if (ch !== '.' && ch !== '!' && ch !== '?') continue;
    let j = i + 1;
    while (j < text.length && /[.!?]/.test(text[j] ?? '')) j += 1;
    while (j < text.length && CLOSERS.has(text[j] ?? '')) j += 1;
    const following = text[j];
    // "15.5", "U.S.A", "example.com": punctuation inside a token is not a boundary.
    if (following !== undefined && !/\s/.test(following)) continue;
    let k = j;
    while (k < text.length && /[ \t]/.test(text[k] ?? '')) k += 1;
    const next = text[k];
    if (next !== undefined && next !== '\n' && next !== '\r' && !SENTENCE_START.test(next)) continue;
    if (ch === '.' && j === i + 1 && endsAbbreviation(text, i)) continue;
    push(segmentStart, j);
    segmentStart = j;
    i = j - 1;
  }
  push(segmentStart, text.length);
  return spans;
}

// Function words carry no claim; dropping them keeps the overlap measure about content.
const STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below between ' +
    'both but by can could did do does doing down during each few for from further had has have having he her here ' +
    'hers herself him himself his how i if in into is it its itself just me more most my myself nor not of off on ' +
    'once only or other our ours ourselves out over own same she should so some such than that the their theirs them ' +
    'themselves then there these they this those through to too under until up very was we were what when where ' +
    'which while who whom why will with would you your yours yourself yourselves according said says say told ' +
    'while however although though thus therefore may might must shall upon within without via per yet also ' +
    'still even much many well new mr mrs ms us'
  ).split(' '),
);

const NUMBER_WORDS: Record<string, string> = {
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
  ten: '10', eleven: '11', twelve: '12', twenty: '20', thirty: '30', forty: '40', fifty: '50', hundred: '100',
  thousand: '1000', million: '1000000', billion: '1000000000',
};

/** One content term of a sentence. */
export interface Term {
  /** Comparable form: stem, digits, or `month:N`. */
  norm: string;
  /** Written with a leading capital (a candidate name). */
  capitalised: boolean;
  /** First word of the text it came from, where a capital proves nothing. */
  initial: boolean;
  /** Written digits or an alphanumeric code ("G7"): must match exactly. */
  figure: boolean;
  acronym: boolean;
  /** The folded word itself, for word-vector comparison. */
  word: string;
}

const TOKEN = /[\p{L}\p{N}]+(?:['’.,][\p{L}\p{N}]+)*/gu;

// Acronyms and their spelled-out forms, as stems: either form in a claim is satisfied by either form in a span.
const ACRONYMS: Record<string, string[]> = {
  us: ['unit', 'state'],
  usa: ['unit', 'state'],
  uk: ['unit', 'kingdom'],
  un: ['unit', 'nation'],
  eu: ['european', 'union'],
};

/** Adds `us` after "United States" and "unit state" after "US", so the two spellings compare equal. */
function withAliases(terms: Term[]): Term[] {
  const out: Term[] = [];
  for (let i = 0; i < terms.length; i += 1) {
    const term = terms[i] as Term;
    out.push(term);
    const expansion = term.acronym ? ACRONYMS[term.norm] : undefined;
    if (expansion) {
      for (const norm of expansion) out.push({ ...term, norm, acronym: false, initial: false });
      continue;
    }
    for (const [acronym, words] of Object.entries(ACRONYMS)) {
      if (words.every((word, k) => terms[i + k]?.norm === word) && words.length > 1) {
        out.push({ ...term, norm: acronym, acronym: true, initial: false, capitalised: true });
        break;
      }
    }
  }
  return out;
}

/** Content terms of `text`, in order, stopwords removed, case-folded and stemmed. */
export function contentTerms(text: string): Term[] {
  const terms: Term[] = [];
  let first = true;
  for (const match of foldTypography(text).matchAll(TOKEN)) {
    const initial = first;
    first = false;
    const raw = match[0].replace(/['’]s$/iu, '');
    if (/^\p{N}/u.test(raw)) {
      const digits = /^\d[\d,]*(?:\.\d+)?/.exec(raw)?.[0].replace(/,/g, '').replace(/\.$/, '');
      if (digits) terms.push({ norm: digits, capitalised: false, initial, figure: true, acronym: false, word: digits });
      continue;
    }
    const letters = raw.replace(/[.'’,]/g, '');
    const acronym = letters.length >= 2 && /^[\p{Lu}\p{N}]+$/u.test(letters) && /\p{Lu}/u.test(letters);
    const lower = letters.toLowerCase();
    // Single letters ("S." in "S. Korea", initials) are too ambiguous to compare.
    if (lower.length < 2) continue;
    const figure = /\p{N}/u.test(lower);
    const capitalised = /^\p{Lu}/u.test(raw);
    // "May" mid-sentence and capitalised is the month; otherwise "may" is the verb, a stopword.
    const monthMay = lower === 'may' && capitalised && !initial;
    if (!acronym && !figure && !monthMay && STOPWORDS.has(lower)) continue;
    const month = monthNumber(lower);
    const norm = NUMBER_WORDS[lower] ?? (month !== undefined ? `month:${month}` : figure ? lower : stemmer(lower));
    terms.push({ norm, capitalised, initial, figure, acronym, word: lower });
  }
  return withAliases(terms);
}

/** Same word for the purpose of support: equal stems, or a long shared prefix ("Korea"/"Korean", "China"/"Chinese"). */
export function sameTerm(a: string, b: string): boolean {
  if (a === b) return true;
  if (/^\d/.test(a) || /^\d/.test(b) || a.startsWith('month:') || b.startsWith('month:')) return false;
  const shorter = Math.min(a.length, b.length);
  let common = 0;
  while (common < shorter && a[common] === b[common]) common += 1;
  return common >= 4 && common >= 0.8 * shorter;
}

/** What a claim sentence asserts, reduced to terms. */
export interface ClaimTerms {
  /** Distinct content terms. */
  terms: string[];
  /** Terms that must be present in the support: names and written figures. */
  required: string[];
  /** Surface word of each term, for word-vector comparison. */
  words: Map<string, string>;
  /** Terms of a causal clause ("because …", "over …", "due to …"): a changed cause must not pass. */
  cause: string[];
  /** Figures with the word they measure ("2 hours", "5,000 professionals"): a span that gives the same word another figure contradicts the claim. */
  measures: Array<{ figure: string; unit: string }>;
}

const CAUSE_CUE = /\b(?:because(?: of)?|due to|owing to|as a result of|in response to|in the face of|driven by|amid|amidst|over|after|following|prompted by|caused by|to counter|in order to)\b([^,;.]*)/i;

/** Evidence about which capitalised words are names, gathered from the question, the reply and the passages. */
export interface NameContext {
  /** Norms written capitalised mid-sentence somewhere: names even when they open a sentence. */
  names: ReadonlySet<string>;
  /** Norms written in lowercase somewhere: ordinary words when they open a sentence. */
  common: ReadonlySet<string>;
}

/**
 * Terms of a claim. A capitalised word is a name unless it opens the sentence and is otherwise seen in lowercase
 * (so "Chinese leaders met…" still requires "Chinese", while "Relations improved…" does not require "Relations").
 */
export function claimTerms(sentence: string, context?: NameContext): ClaimTerms {
  const terms = new Set<string>();
  const required = new Set<string>();
  const words = new Map<string, string>();
  for (const term of contentTerms(sentence)) {
    terms.add(term.norm);
    if (!words.has(term.norm)) words.set(term.norm, term.word);
    const isName =
      term.capitalised &&
      (!term.initial || term.acronym || (context !== undefined && (context.names.has(term.norm) || !context.common.has(term.norm))));
    if (term.figure || isName) required.add(term.norm);
  }
  const clause = CAUSE_CUE.exec(foldTypography(sentence))?.[1] ?? '';
  const cause = [...new Set(contentTerms(clause).map((t) => t.norm))];
  return { terms: [...terms], required: [...required], words, cause, measures: measuresOf(contentTerms(sentence)) };
}

/** Each figure followed by the word it measures ("9 hours" → 9, hour). */
function measuresOf(terms: readonly Term[]): Array<{ figure: string; unit: string }> {
  const out: Array<{ figure: string; unit: string }> = [];
  terms.forEach((term, i) => {
    const next = terms[i + 1];
    if (term.figure && /^\d/.test(term.norm) && next && !next.figure && !next.norm.startsWith('month:')) out.push({ figure: term.norm, unit: next.norm });
  });
  return out;
}

/** Collects name evidence from texts. */
export function nameContext(texts: readonly string[]): NameContext {
  const names = new Set<string>();
  const common = new Set<string>();
  for (const text of texts) {
    for (const sentence of splitSentences(text)) {
      for (const term of contentTerms(sentence.text)) {
        if (term.capitalised && !term.initial) names.add(term.norm);
        else if (!term.capitalised && !term.figure) common.add(term.norm);
      }
    }
  }
  return { names, common };
}

export interface Support {
  /** Share of the claim's distinct terms found in the span (0..1). */
  coverage: number;
  /** Required terms (names, figures) absent from the span. */
  missing: string[];
  /** Claim terms the span provides. */
  matched: string[];
}

/** Word-vector closeness, for accepting a faithful paraphrase ("attempt to impose" for "declaration of"). */
export interface FuzzyMatch {
  /** Folded words of the span, parallel to its norms. */
  spanWords: readonly string[];
  similarity: (a: string, b: string) => number;
  /** Similarity from which two words count as the same claim. */
  floor: number;
}

/** How well a span's terms support a claim. Names and figures must match by spelling; other words may be close. */
export function measureSupport(claim: ClaimTerms, spanNorms: readonly string[], fuzzy?: FuzzyMatch): Support {
  const exact = new Set(spanNorms);
  const has = (norm: string) => exact.has(norm) || spanNorms.some((candidate) => sameTerm(norm, candidate));
  const close = (norm: string) => {
    if (!fuzzy || /^\d/.test(norm) || norm.startsWith('month:') || claim.required.includes(norm)) return false;
    const word = claim.words.get(norm);
    return word !== undefined && fuzzy.spanWords.some((w) => fuzzy.similarity(word, w) >= fuzzy.floor);
  };
  const matched = claim.terms.filter((norm) => has(norm) || close(norm));
  const missing = claim.required.filter((norm) => !has(norm));
  // "2 hours" where the span says "9 hours": the same measure with another figure is a changed claim.
  for (const { figure, unit } of claim.measures) {
    const given = spanNorms.flatMap((norm, i) => (/^\d/.test(norm) && spanNorms[i + 1] !== undefined && sameTerm(spanNorms[i + 1] ?? '', unit) ? [norm] : []));
    if (given.length > 0 && !given.includes(figure)) missing.push(`figure "${figure} ${unit}"`);
  }
  // A cause the span does not give (most of the clause's words absent) is a changed claim, whatever else matches.
  if (claim.cause.length > 0) {
    const kept = claim.cause.filter((norm) => has(norm) || close(norm)).length;
    if (kept * 2 < claim.cause.length) missing.push(`cause "${claim.cause.join(' ')}"`);
  }
  return { coverage: claim.terms.length === 0 ? 0 : matched.length / claim.terms.length, missing, matched };
}
