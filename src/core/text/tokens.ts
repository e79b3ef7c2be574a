// Tokenisation shared by keyword search, answer scoring and the word-vector embedder, so that a query and a
// passage are always cut the same way.
import { stemmer } from 'stemmer';

/** Lower case, diacritics removed, typographic apostrophes unified. */
export function foldText(text: string): string {
  // ASCII is its own NFKD form and holds no combining mark; of the apostrophes only the backtick is ASCII. Most
  // words and many sentences are ASCII, and normalising them was the larger part of folding.
  if (ASCII.test(text)) return (text.includes('`') ? text.replace(/`/g, "'") : text).toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘`´]/g, "'")
    .toLowerCase();
}

const ASCII = /^[\x00-\x7f]*$/;

const WORD = /[a-z0-9]+(?:'[a-z]+)?/g;

/** Folded word tokens. Hyphens split words, so "Jae-myung" and "Jae Myung" give the same tokens. */
export function words(text: string): string[] {
  const out: string[] = [];
  // match() with the global pattern gives the same tokens as matchAll, without a match object for each.
  for (let token of foldText(text).match(WORD) ?? []) {
    if (token.endsWith("'s")) token = token.slice(0, -2);
    else if (token.includes("'")) token = token.replace(/'/g, '');
    if (token.length > 0) out.push(token);
  }
  return out;
}

// Function words and question scaffolding: they carry no evidence about whether a passage answers.
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then else of to in on at by for with from into onto over under about above below ' +
    'as than too very so such that this these those there here where when why how what which who whom whose ' +
    'is are was were be been being am do does did done doing have has had having will would shall should can ' +
    'could may might must not no nor only own same just also again further once both each few more most other ' +
    'some any all its it it\'s he she they them their his her him we us our you your i me my mine yours ' +
    'up down out off through during before after between against among per via until while because ' +
    'whether either neither s t don now then tell say said says according one ever yet'
  ).split(/\s+/),
);

// Common irregular past forms, so "met" finds "meet" and "won" finds "win" (Porter stemming cannot).
const IRREGULAR: Record<string, string> = {
  met: 'meet', won: 'win', took: 'take', taken: 'take', made: 'make', went: 'go', gone: 'go', came: 'come',
  saw: 'see', seen: 'see', gave: 'give', given: 'give', held: 'hold', led: 'lead', left: 'leave', began: 'begin',
  begun: 'begin', chose: 'choose', chosen: 'choose', fell: 'fall', fallen: 'fall', flew: 'fly', flown: 'fly',
  fought: 'fight', found: 'find', got: 'get', hit: 'hit', kept: 'keep', knew: 'know', known: 'know', lost: 'lose',
  paid: 'pay', ran: 'run', rose: 'rise', risen: 'rise', sent: 'send', set: 'set', sought: 'seek', spoke: 'speak',
  spoken: 'speak', stood: 'stand', struck: 'strike', thought: 'think', told: 'tell', wrote: 'write',
  written: 'write', brought: 'bring', built: 'build', bought: 'buy', drew: 'draw', drawn: 'draw', grew: 'grow',
  grown: 'grow', heard: 'hear', meant: 'mean', sold: 'sell', shot: 'shoot', signed: 'sign', hosted: 'host',
  vetoed: 'veto',
};

/** Stemmed content terms: folded, stop words removed, irregular verbs mapped to their base form, Porter-stemmed. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    if (STOP_WORDS.has(word)) continue;
    out.push(termOf(word));
  }
  return out;
}

/** The index term of one folded word. Numbers are kept as they are. */
export function termOf(word: string): string {
  if (/^\d/.test(word)) return word;
  let term = recentTerms.get(word);
  if (term === undefined) {
    term = olderTerms.get(word) ?? stemmer(IRREGULAR[word] ?? word);
    rememberTerm(word, term);
  }
  return term;
}

/**
 * Stems of recent word forms. Text repeats a few thousand forms, and stemming them again was a sixth of the time
 * spent scoring the sentences of an answer. Bounded: two generations of plain maps (at most TERM_CACHE_SIZE forms
 * in all), the older one dropped when the newer fills; a form still in use is carried into the newer one. Cheaper
 * per lookup than a least-recently-used list, which termOf paid on every token.
 */
const TERM_CACHE_SIZE = 50_000;
let recentTerms = new Map<string, string>();
let olderTerms = new Map<string, string>();

function rememberTerm(word: string, term: string): void {
  if (recentTerms.size >= TERM_CACHE_SIZE / 2) {
    olderTerms = recentTerms;
    recentTerms = new Map();
  }
  recentTerms.set(word, term);
}

/** How many word forms the stem cache holds (for its test: it stays bounded). */
export function termCacheSize(): number {
  return recentTerms.size + olderTerms.size;
}
