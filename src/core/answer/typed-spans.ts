// Instances of an expected answer type inside a sentence: a date, a number with the asked unit, a name the
// question does not already give, a causal clause, a statement by the asked speaker. Positions are word-token
// indexes so "near the focus" can be measured in words.
import { creationOf, currencyOf, type DateGranularity, type ExpectedType, type QuestionAnalysis } from '../text/question.js';
import { extractDates, spelledNumber, type DateMention, type DateValue, type PartialDate } from '../text/dates.js';
import { foldText, STOP_WORDS, termOf } from '../text/tokens.js';
import { formatLongDate, monthNumber } from '../text/calendar.js';

export interface SentenceToken {
  /** Folded word. */
  word: string;
  term: string;
  capitalized: boolean;
  /** "Japan’s": a name ends here even if a capitalised word follows ("Japan’s Nippon Steel"). */
  possessive: boolean;
  /** Offsets inside the sentence. */
  start: number;
  end: number;
}

export interface TypedSpan {
  /** Token range [from, to]. */
  from: number;
  to: number;
  /** Verbatim text of the span in the sentence. */
  text: string;
  /** For dates: the resolved value (null when unanchored), and the granularity it gives. */
  date?: DateValue;
  /** For dates: a decade or century, shown in the page's words ("the late 1800s"). */
  period?: boolean;
  /** For reasons: the clause explains what follows it ("To prevent X, …", "…, that's why Y"), not what precedes. */
  precedes?: boolean;
  /** For a date counted from the sentence before ("One day later"): that date, as the sentence before gives it. */
  anchor?: string;
}

const LATER = /\b(?:(one|a|an|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(day|week|month|year)s?\s+later|the\s+(?:next|following)\s+(day|week|month|year))\b/i;

/**
 * "On January 23, 1998, Netscape made two announcements. One day later, Zawinski registered mozilla.org.": a date
 * counted from the last date of the sentence before, when that one is precise enough to count from.
 */
export function dateAfterPrevious(sentence: string, tokens: readonly SentenceToken[], previous: string, publishedAt: string | null): TypedSpan | null {
  const m = LATER.exec(sentence);
  if (!m) return null;
  const count = m[1] ? (spelledNumber(m[1]) ?? Number(m[1])) : 1;
  const unit = (m[2] ?? m[3] ?? '').toLowerCase();
  const last = extractDates(previous, publishedAt).filter((d) => d.value && !d.value.end).pop()?.value?.start;
  if (!last) return null;
  let date: PartialDate | null = null;
  if ((unit === 'day' || unit === 'week') && last.m !== undefined && last.d !== undefined) {
    const t = new Date(Date.UTC(last.y, last.m - 1, last.d + count * (unit === 'week' ? 7 : 1)));
    date = { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
  } else if (unit === 'month' && last.m !== undefined) {
    const months = last.y * 12 + (last.m - 1) + count;
    date = { y: Math.floor(months / 12), m: (months % 12) + 1 };
  } else if (unit === 'year') date = { y: last.y + count };
  const range = date ? tokenRange(tokens, { start: m.index, end: m.index + m[0].length }) : null;
  if (!date || !range) return null;
  return { ...range, text: m[0], date: { start: date }, anchor: formatLongValue({ start: last }) };
}

// A figure with thousands separators ("$210,000", "1,500 people") is one token, not "210" and "000".
const TOKEN = /\p{N}{1,3}(?:,\p{N}{3})+(?:\.\p{N}+)?%?|[\p{L}\p{N}][\p{L}\p{N}'’.%-]*/gu;
const POSSESSIVE_END = /['’]s$/;
const TRAILING_MARK = /[.'’-]+$/;
// Built once: the build (esbuild, node20) turns a \p{…} literal into `new RegExp` at every evaluation, which cost
// several times the test itself on every token.
const CAPITALISED = /^\p{Lu}/u;
/** A capital followed by a small letter somewhere: a written name, not initials ("P&R"). */
const UPPER_THEN_LOWER = /\p{Lu}\p{Ll}/u;
/** "X, a university in…", "X, the small college": the kind names the run just before it. */
function calledKindAfter(tokens: readonly SentenceToken[], at: number, kind: string): boolean {
  if (!/^(?:a|an|the)$/.test(tokens[at + 1]?.word ?? '')) return false;
  for (let i = at + 2; i <= at + 4; i++) {
    const token = tokens[i];
    if (!token || (token.capitalized && token.term !== kind)) return false;
    if (token.term === kind) return true;
  }
  return false;
}

/** "u.s", "d.c": letters joined by periods (the tokenizer keeps all but the last period). */
const INITIALISM = /^(?:\p{L}\.)+\p{L}$/u;

/** An all-capitals word of three letters or more: an acronym ("HBO"), which opens a brand's name, not a person's. */
const ACRONYM_OPENER = /^\p{Lu}{3,}$/u;

export function tokenizeSentence(text: string): SentenceToken[] {
  const out: SentenceToken[] = [];
  // match() gives the tokens without a match object each; a token's offset is its first occurrence after the
  // previous one, since every character between two tokens is neither a letter nor a digit (either would start one).
  let from = 0;
  for (const matched of text.match(TOKEN) ?? []) {
    const index = text.indexOf(matched, from);
    from = index + matched.length;
    let raw = matched;
    const possessive = POSSESSIVE_END.test(raw);
    // (The same as replacing /['’]s$/ then /[.'’-]+$/, without a new string for the many tokens that end neither way.)
    if (possessive) raw = raw.slice(0, -2);
    if (TRAILING_MARK.test(raw)) raw = raw.replace(TRAILING_MARK, '');
    if (raw.length === 0) continue;
    const word = foldText(raw);
    out.push({ word, term: termOf(word.replace(/[^a-z0-9]/g, '')), capitalized: CAPITALISED.test(raw), possessive, start: index, end: index + raw.length });
  }
  return out;
}

const MONTH_WORD = { test: (word: string) => monthNumber(word) !== undefined };
const WEEKDAY = /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/;
/** Capitalised words that start sentences or titles without naming anything. */
const NOT_A_NAME = new Set(
  (
    'the a an but and however in on at as this that these those it he she they we i his her their our its while despite after before during since when also both earlier officials president prime minister mr mrs ms dr if there here what who why how where which with for from to by of or so then yet still even last next this ' +
    'because although though unless once whether meanwhile moreover instead thus therefore hence perhaps maybe yes now today yesterday tomorrow ' +
    // A specification's requirement words ("…SHOULD be added to the WebFinger record").
    'must should shall required recommended optional'
  ).split(' '),
);
const TITLE_OR_DEMONYM =
  /^(?:president|prime|minister|pm|premier|chancellor|king|queen|mr|mrs|ms|dr|general|secretary|chief|official|leader|spokesperson|foreign|defence|defense|state|national|north|south|east|west|[a-z]{3,}(?:ese|ean|ian|ican|ish)|israeli|iraqi|saudi|thai|french|dutch|british|swiss|greek)$/;
/** Words that make a capitalised run an institution, not a person. */
const INSTITUTION = /^(?:university|studies|institute|lab|labs|laboratory|ministry|office|agency|party|council|house|media|news|times|post|company|corporation|group|bank|committee|department|center|centre|school|college|association|forum|summit|program|programme|steel|motors|airlines)$/;
/**
 * Words that make a capitalised run a law, an event, a work or a thing, never a person's name: "the First Amendment",
 * "the Camp David Accords", "the Nobel Prize", "World War II", "Star Wars".
 */
const NOT_A_PERSON =
  /^(?:amendment|amendments|act|acts|laws|treaty|accord|accords|agreement|declaration|constitution|charter|convention|protocol|resolution|award|awards|prize|medal|cup|championship|olympics|games|war|wars|week|festival|conference|street|avenue|road|bridge|sea|ocean|island|islands|mountain|mountains|valley|airport|station|api|app|browser|edition|version|project|foundation|league|series|show|movie|film|album|book|magazine|journal|review)$/;
const TITLE_BEFORE =
  /^(?:president|minister|pm|premier|chancellor|king|queen|mr|mrs|ms|dr|general|secretary|chief|leader|official|spokesperson|spokesman|spokeswoman|counterpart|ambassador|envoy|professor|emperor|senator|director|producer|writer|author|editor|photographer|founder|co-founder|ceo|chairman|chairwoman|coach|captain|artist|actor|actress|singer|rapper|developer|engineer|analyst|reporter|columnist|critic)$/;
/** Words that open a person's name as what they are to someone, or as a form of address. */
const KIN_OR_HONORIFIC = /^(?:aunt|auntie|uncle|grandma|grandpa|grandmother|grandfather|cousin|mom|mum|dad|mr|mrs|ms|dr|sir|madam)$/;
/** Nouns of a publication or an account: what a name before them is, is no place. */
const MEDIUM = /^(?:magazine|newspaper|paper|website|site|blog|journal|channel|network|account|podcast|newsletter|company|group|team)$/;
/** Words of an office held by a person. */
const OFFICE_WORD = /^(?:president|vice-president|vice|president-elect|elect|prime|minister|premier|chancellor|secretary|senator|governor|mayor|ceo)$/;
const NUMBER_WORD = /^(?:\d[\d,.]*%?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fifteen|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|trillion|dozen|dozens|half|several|both|a few|single)$/;
const TIME_UNIT = /^(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century|decades-long|years-long)$/;
const CURRENCY = /^(?:dollars?|usd|yen|won|yuan|euros?|pounds?|rupees?)$|^[$€£¥]/;
const DISTANCE = /^(?:km|kilometres?|kilometers?|miles?|metres?|meters?|feet|nautical)$/;
/** Words whose "to" opens their object ("decided to write", "able to run", "the first to show"): no purpose. */
const TAKES_INFINITIVE = /^(?:first|last|only|next|decide|decides|decided|deciding|want|wants|wanted|plan|plans|planned|try|tries|tried|trying|choose|chooses|chose|chosen|agree|agrees|agreed|hope|hopes|hoped|need|needs|needed|begin|begins|began|begun|start|starts|started|continue|continues|continued|manage|manages|managed|refuse|refuses|refused|fail|fails|failed|intend|intends|intended|attempt|attempts|attempted|seem|seems|seemed|promise|promised|expect|expects|expected|wish|wished|prefer|preferred|able|unable|likely|unlikely|supposed|meant|allowed|forced|required|ought|tend|tends|tended|learn|learned|learnt)$/;

/** Kinds of written work ("… Report", "… Survey", "… Handbook"): a name ending in one is a work's title. */
const WORK_NOUN = /^(?:report|reports|survey|surveys|study|studies|guide|handbook|manual|book|article|paper|papers|list|draft|specification|edition|episode)$/;
/** Units of the dimensions a measure question asks for ("how high" → length: "five stories"). */
const MEASURE_UNIT: Readonly<Record<string, RegExp>> = {
  length: /^(?:km|kilometres?|kilometers?|miles?|metres?|meters?|m|cm|mm|feet|foot|ft|inch|inches|yards?|stories|storeys|story|storey|floors)$/,
  weight: /^(?:pounds?|lbs?|kg|kilograms?|kilos?|grams?|g|tons?|tonnes?|ounces?|oz)$/,
  speed: /^(?:mph|kph|knots?|ghz|mhz|fps|mbps|gbps)$/,
};
const DETERMINER = new Set(['the', 'a', 'an', 'its', 'their', 'his', 'her', 'this', 'that', 'these', 'those', 'our']);
const LOCATIVE = new Set(['in', 'at', 'to', 'from', 'near', 'into', 'across', 'off', 'outside', 'inside', 'visit', 'visited', 'visiting', 'of']);
/** A locative phrase in common nouns: the preposition, a determiner, then up to four words before punctuation. */
const THING_LOCATIVE = /\b((?:on|in|under|inside|into|onto|behind|beside|next to|above|below|within|at)\s+(?:the|a|an|your|its|their|each|every|any)\s+[^\s,;:.!?()]+(?:\s+(?!(?:and|or|but|to|for|with|by|when|if|so|which|that)\b)[^\s,;:.!?()]+){0,3})/gi;
/** Words that make a place name a building or grounds. */
const FACILITY =
  /^(?:hall|center|centre|stadium|arena|hotel|palace|house|theater|theatre|museum|garden|gardens|park|tower|building|church|cathedral|temple|shrine|hospital|school|college|university|campus|club|resort|inn|lodge|villa|castle|forum|pavilion|dome|plaza|square|court|library|residence|embassy|camp|base|airport|station|auditorium|ballroom|manor|estate|ranch|retreat|complex|mall|market|studio|studios|church|mosque|abbey|chapel)$/;

// Case matters: "Max Born" is no birth.
const BIRTH = /\bborn\b|(?<!\p{Lu}[\p{L}.]*\s)\bBorn\s+(?:in|on|at|to|into|\d)|\b[Bb]irth|\bnée(?=[\s,])|\(b\.\s/u;
const DEATH = /\b(?:[Dd]ied|dies|[Dd]eath|deceased|passed\s+away|killed)\b|\(d\.\s/;
function speaksOf(event: 'birth' | 'death', sentence: string): boolean {
  return (event === 'birth' ? BIRTH : DEATH).test(sentence);
}
/** "Charles Hermite (1822–1901)": a life's span in brackets. */
const LIFESPAN = /\(\s*(?:\d{1,2}\s+\p{L}+\s+)?\d{3,4}\s*[–—-]\s*(?:\d{1,2}\s+\p{L}+\s+)?\d{3,4}\s*\)/u;
/** Nouns that follow a place's name as part of it or of its description ("the Indo-Pacific region"). */
const PLACE_TAIL =
  /^(?:region|regions|area|areas|city|cities|state|states|province|provinces|county|district|island|islands|coast|border|peninsula|sea|mountains|valley|basin|capital|prefecture|campus|office|offices|headquarters|summit|summits|conference|meeting|talks|forum|games|festival|ceremony|sidelines)$/;
/** Words that keep a place's own phrase going (prepositions, conjunctions, times): "in Tokyo on Monday", "to Seoul and Beijing". */
const PLACE_PHRASE_GOES_ON = new Set(
  'and or nor in on at to from for with by of near where which who after before during since until last this next when while earlier later early late today yesterday tomorrow tonight amid amidst despite over under through across via against following ahead without within between among toward towards around about alongside'.split(' '),
);
/** …and the words that may also follow a place's name right before its clause goes on ("went to Seoul too", "in Tokyo said"). */
const FOLLOWS_PLACE = new Set([
  ...PLACE_PHRASE_GOES_ON,
  ...'but that as together instead because if soon again first too also is was were are has had have will would could can may might should must did does do said says'.split(' '),
]);
/** Nouns after a capitalised run that make it a thing's label, not a person ("the Computer Science department"). */
const LABEL_HEAD = /^(?:department|departments|team|teams|division|office|committee|checkbox|box|button|menu|page|tab|site|feature|setting|settings|option|options|mode|program|project|course|class|degree|major)$/;
/** Plural nouns that end a group's label, never a person's name ("Tech Lab Members"). */
const GROUP_NOUN = /^(?:members|users|fans|readers|customers|employees|staff|people|players|officials|developers|engineers|editors|students|partners|leaders|volunteers|researchers|writers|authors|subscribers)$/;
/** Nouns that count things of any kind: "eight million units", "two million copies". */
const GENERIC_COUNT = /^(?:units|copies|devices|pieces|items)$/;
/** Plural nouns for people: of a role or trade ("professionals", "respondents", "developers"), or of a group. */
const PEOPLE_PLURAL = /^(?:persons|individuals|adults|children|kids|men|women|staff|employees|members|users|customers|voters|residents|citizens|students|participants|respondents|professionals|developers|engineers|workers|readers|viewers|visitors|fans|players|journalists|scientists|experts|officials|leaders|executives|managers|teachers|doctors|patients|families|households|americans|europeans|subscribers|followers|attendees|volunteers|soldiers|troops|victims|people)$/;
const COMPASS = /^(?:east|west|north|south|northern|southern|eastern|western|northeast|northwest|southeast|southwest)$/;
// Cues of a cause or a purpose. A bare "to" + verb ("to meet Xi", "to better counter") is found separately:
// telling it from "to China" needs the word after it.
const CAUSAL =
  /\b(?:because|due to|owing to|thanks to|as a result of|in response to|in the face of|in the wake of|driven by|amid|amidst|after|following|prompted|sparked|triggered|led to|caused|so as to|in order to|so that|aimed at|aim(?:s|ing|ed)? to|seek(?:s|ing)? to|sought to|hop(?:e|es|ed|ing) to|in (?:a|an) (?:bid|attempt|effort) to|with the (?:aim|goal|intention) of|for fear|so (?:that|you|we|they|it|users|people) (?:can|could|will|would|may|do not|don't|won't)|to (?:prevent|avoid|ensure|allow|enable|keep|stop|protect)|(?:is|are|was|were|['’]s|['’]re)\s+(?:avoiding|preventing|working around|guarding against)|, as (?:there|it|they|we|he|she|this|these|those|the)|since (?:there|it|they|we|he|she|this|the))\b/gi;
/**
 * "tensions over the history", "fired over the remarks": "over" gives a cause after a quarrel or a feeling; elsewhere
 * it gives a place or a field ("a vector space over the real numbers").
 */
const CAUSAL_OVER =
  /\b(?:tensions?|disputes?|rows?|feuds?|clash(?:es)?|anger|angry|outrage|concerns?|worries|worried|fears?|protests?|fight(?:ing)?|battles?|spats?|claims?|friction|rifts?|criticism|critici[sz]ed|furious|upset|split|divided|quarrels?|conflicts?|controvers(?:y|ies)|backlash|fury|uproar|lawsuits?|sued|resign(?:ed|s)?|ousted|fired|sanctions?|boycotts?|strikes?|standoff|scandal|complaints?|frustration|disagreements?)\b(?:\s+[\p{L}\p{N}'’-]+){0,3}?\s+(?=over\b)/giu;
const REASON_BEFORE = /\b(?:(?:that(?:'s|’s|\s+is)|which\s+is|this\s+is)\s+why|hence|therefore)\b/gi;
const NOT_AN_INFINITIVE = /^(?:be|the|a|an|its|their|his|her|this|that|these|those|our|my|your|some|any|all|each|both|other|more|most|much|many|date|day|year|month|week|time|power|office|war|peace|court)$/;
const SAY = /\b(?:said|says|say|told|tells|stated|stating|added|noted|admitted|acknowledged|conceded|denied|confirmed|assured|pledged|vowed|promised|affirmed|expressed|rejected|stating|saying|adding|stressing|stressed|emphasi[sz]ed|described|called|explained|warned|insisted|argued|declared|remarked|announced|according to|urged)\b/i;
const QUOTE = /["“”]/;
// Words that carry a descriptive answer of one kind (see QuestionAnalysis.answerCue).
const ENUMERATION = /\b(?:[a-z][\w-]*(?: [a-z][\w-]*){0,3}, )+[a-z][\w-]*(?: [a-z][\w-]*){0,3},? (?:and|or) [a-z][\w-]*(?: [a-z][\w-]*){0,3}/g;
const DESCRIPTIVE_CUE: Readonly<Record<'reaction' | 'role' | 'concern', RegExp>> = {
  reaction: /^(?:retaliation|retaliated|retaliate|countered|rejected|reaction|reactions|reacted|reception|receptions|received|criticism|criticised|criticized|praise|praised|welcomed|backlash|outcry|outrage|protest|protests|protested|condemned|applauded|mixed|slammed|anger|angered|opinion|sentiment|distrust|distrusted|trust|trusted|polling|poll|polls|approval|popularity)$/,
  role: /^(?:provide|provides|provided|providing|contribute|contributes|contributed|supply|supplies|supplied|join|joins|joined|build|builds|built|develop|develops|developed|send|sends|sent|fund|funds|funded|lead|leads|led|host|hosts|hosted|offer|offers|offered|deliver|delivers|delivered)$/,
  concern: /^(?:concern|concerns|concerned|worry|worries|worried|fear|fears|feared|alarm|alarmed|anxiety|anxieties|unease|jitters|threat|threats)$/,
};
const CREDITED = /\b(?:thanks to|thank you to|kudos to|credit to|courtesy of|(?:contributed|written|created|made|developed|designed|fixed|patched|landed|reported|implemented|authored) by)\s+(?:@)?/gi;
const CONTRACTION = /'(?:re|ll|ve|d|m)$|n't$/;
const DEFINING_VERB = /^(?:is|are|refers|refer|means|mean|describes|denotes|designates|consists|defined|represents|stands)$/;
const INSTRUCTION_VERB =
  'use|set|add|run|click|select|open|go|type|install|enable|disable|uncheck|check|create|put|start|make|pay|call|pass|edit|change|include|import|write|choose|try|remove|delete|configure|update|specify|keep|stop|avoid|consider|ask|look|follow|read|save|copy|move|press|drag|wrap|apply|email|contact|join|visit|sign|log|download|paste|append|replace|turn|switch|point|load|require';
const INSTRUCTION = new RegExp(
  `(?:^|[:;]\\s+|\\bthen\\s+|\\bjust\\s+|\\bsimply\\s+|\\bplease\\s+)((?:${INSTRUCTION_VERB})\\b)|\\bby\\s+(\\w+ing)\\b|\\b(?:you|we)\\s+(?:can|should|need\\s+to|have\\s+to|must|just)\\s+((?:${INSTRUCTION_VERB})\\b)`,
  'gi',
);
const NAVIGATION = /\b(?:read|learn|find out|see|click|tap|sign up|subscribe|follow|share|download)\b.{0,40}\b(?:more|here|below|above|now|today)\b\W*$/i;
const NAMING_CUE = /\b(?:called|named|known as|referred to as|dubbed|termed)\b[\s,]*(?:(?:surprisingly|simply|aptly|fittingly|appropriately|now)[\s,]+)?/gi;
const PROPORTION = /^(?:much|most|half|majority|bulk|all|part|share|third|quarter|fraction|none|little|some)$/;

/** Capitalised runs ("Kim Yo Jong", "Camp David"), months and weekdays excluded. */
export function capitalisedRuns(tokens: readonly SentenceToken[], sentence?: string): Array<{ from: number; to: number }> {
  const runs: Array<{ from: number; to: number }> = [];
  // "We’re", "You’ll": a pronoun with its verb, capitalised only because a sentence or a heading starts with it.
  const nameLike = (t: SentenceToken) => t.capitalized && !NOT_A_NAME.has(t.word) && !CONTRACTION.test(t.word) && !MONTH_WORD.test(t.word) && !WEEKDAY.test(t.word) && !/^\d/.test(t.word);
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    if (t && nameLike(t)) {
      let j = i;
      while (j + 1 < tokens.length && !tokens[j]?.possessive) {
        const n = tokens[j + 1];
        if (!n || !nameLike(n)) break;
        // A name does not run across a colon, a comma or a bracket ("Scents and Sounds: You'll probably hear…").
        if (sentence !== undefined && /[:;,()\[\]"“”|/]/.test(sentence.slice(tokens[j]?.end ?? 0, n.start))) break;
        j++;
      }
      // "Because it's a nit…": a function word that opens the sentence is capitalised for that alone.
      if (!(i === 0 && j === 0 && STOP_WORDS.has(t.word))) runs.push({ from: i, to: j });
      i = j + 1;
    } else i++;
  }
  return runs;
}

/** Whether a folded word is one the question already gives (same word, same stem, or a derivation: "japanese"/"japan"). */
export function isGiven(word: string, given: ReadonlySet<string>): boolean {
  if (given.has(word)) return true;
  const term = termOf(word);
  for (const g of given) {
    if (g.length < 3) continue;
    if (termOf(g) === term) return true;
    const short = Math.min(g.length, word.length);
    if (short >= 4 && (g.startsWith(word.slice(0, Math.max(4, short - 2))) || word.startsWith(g.slice(0, Math.max(4, short - 2))))) return true;
  }
  return false;
}

function spanText(sentence: string, tokens: readonly SentenceToken[], from: number, to: number): string {
  return sentence.slice(tokens[from]?.start ?? 0, tokens[to]?.end ?? 0);
}

function granularityOf(p: PartialDate): DateGranularity {
  return p.d !== undefined ? 'day' : p.m !== undefined ? 'month' : 'year';
}

const RANK: Record<DateGranularity, number> = { any: 0, year: 1, month: 2, day: 3, time: 4 };
/** A season with what places it: "in the fall", "this spring", "late summer 2016", "the winter of 1998". */
const SEASON = /\b(?:in|this|next|last|by|until|till|during|over|through|since|early|late|mid-?)\s+(?:the\s+)?(?:(?:early|late|mid-?)\s*)?(?:spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?:1[89]|20)\d{2})?\b/gi;
/** A season that places one event: a year, "this/next/last", or "in the fall" said of what will or did happen. */
const DATED_SEASON = /\b(?:1[89]|20)\d{2}\b|^(?:this|next|last|early|late|mid)/i;
/** A verb of one event, future or past ("will air", "was moved"), not a habit ("Construction during the winter isn’t…"). */
const ONE_EVENT = /\b(?:will|would|shall|was|were|had|has\s+been|is\s+(?:set|scheduled|expected|due|slated)|are\s+(?:set|scheduled|expected|due|slated))\b|\b[a-z]{3,}ed\b/i;

/** Relative expressions that still say when, without a publication date to count from. */
const RELATIVE_DAY = /\b(?:yesterday|today|tonight|tomorrow|last|next|this|ago|earlier|later|recently)\b/i;
const TIME_OF_DAY = /^(?:morning|afternoon|evening|night|overnight|noon|midday|midnight|dawn|dusk|daybreak)$/;

/** Words that go on an organisation's name in lower case ("Cisco Systems", "Acme corp", "Sony's"). */
const ORG_TAIL = /^(?:inc|corp|co|ltd|llc|plc|group|systems|labs?|foundation|university|college|institute|ministry|agency|company|companies|said|says|announced|reported|told|has|had|is|was|will|would|and|or)$/;

/**
 * Acts that must be said as such: owning and founding ("owner", "co-founder"), designing and inventing, and writing —
 * "X's film adapts Y's novel" names no writer of the screenplay — unless the line is a byline ("By Jane Roe", "Posted
 * … by Jane Roe").
 */
const STRICT_ACTS = new Set(['own', 'found', 'write', 'design', 'invent', 'direct']);
/**
 * Of those, the acts that stay strict whatever is asked of them (when, where, which): "when was the lab founded" is not
 * answered by the day the lab launched a programme. ("own" and "write" are other words there: "its own profile",
 * "write up the rules".)
 */
const ACTS_ASKED_OF_A_THING = new Set(['found', 'design', 'invent']);
const BYLINE = /^\s*(?:by|posted\b[^.]{0,60}\bby|words\s+by)\s+\p{Lu}|[—–]\s*\p{Lu}[\p{L}.'-]+(?:\s+\p{Lu}[\p{L}.'-]+)*\s*(?:\(|$)/u;

/**
 * Instances of the expected type in one sentence. `publishedAt` anchors relative dates. For types that carry no
 * checkable shape (description, list) the result is empty and `typed` tells the caller so.
 */
export function typedSpans(analysis: QuestionAnalysis, sentence: string, tokens: readonly SentenceToken[], publishedAt: string | null): TypedSpan[] {
  const out: TypedSpan[] = [];
  const given = analysis.given;
  // A name the question already gives ("Kishida" in "who rejected Kishida's offer") is not the answer, nor is a
  // title or a nationality on its own ("Korean", "Prime Minister").
  const nameRuns = () =>
    capitalisedRuns(tokens, sentence).flatMap((run) => {
      let from = run.from;
      // (A maker's credit before the name is a title too: "Writer-director Greta Gerwig".)
      while (from <= run.to && (tokens[from]?.word ?? '').split('-').every((part) => TITLE_OR_DEMONYM.test(part) || creationOf(part) !== null)) from++;
      if (from > run.to) return [];
      if (namesQuestionEntity(rangeWords(tokens, from, run.to), analysis)) return [];
      // “Rez”, "Job Simulator": a title in quotes names a work — a thing, never a person, a company or a place.
      const quoted = /["“]\s*$/.test(sentence.slice(0, tokens[from]?.start ?? 0)) && /^\s*["”]/.test(sentence.slice(tokens[run.to]?.end ?? 0));
      if (quoted && (analysis.type === 'person' || analysis.type === 'organisation' || analysis.type === 'place')) return [];
      return [{ from, to: run.to }];
    });
  if (analysis.creation && analysis.type !== 'person' && ACTS_ASKED_OF_A_THING.has(analysis.creation) && !tokens.some((t) => creationOf(t.word) === analysis.creation)) return out;
  switch (analysis.type) {
    case 'person':
      // "who is the prime minister of Australia": a sentence that does not name Australia cannot say.
      if (analysis.roleOwner.length > 0 && !analysis.roleOwner.some((o) => tokens.some((t) => namesOwner(o, t.word)))) break;
      // "who directed X" is not answered by "X is written by Y": a sentence that credits only other acts of making.
      // And "who owns / founded X" is answered only where that act is said: a staff writer does not own the site.
      if (analysis.creation) {
        // (A capitalised word inside a name — "GreenPak Designer", "Open Producer" — names a thing, not an act.)
        // ("Writer-director Greta Gerwig": each part of a compound credits its act.)
        const acts = tokens.flatMap((t, i) => (t.capitalized && i > 0 ? [] : t.word.split('-').map(creationOf))).filter((a): a is string => a !== null);
        if (acts.length > 0 && !acts.includes(analysis.creation)) break;
        if (STRICT_ACTS.has(analysis.creation) && !acts.includes(analysis.creation) && !(analysis.creation === 'write' && BYLINE.test(sentence))) break;
      }
      for (const run of nameRuns()) {
        const words = rangeWords(tokens, run.from, run.to);
        if (words.some((w) => INSTITUTION.test(w) || NOT_A_PERSON.test(w) || FACILITY.test(w)) || GROUP_NOUN.test(words[words.length - 1] ?? '')) continue;
        // "P&R", "HDL": initials and acronyms alone are no one's name.
        if (!UPPER_THEN_LOWER.test(spanText(sentence, tokens, run.from, run.to))) continue;
        // "HBO Go", "NBC News": a name that opens with an acronym of three letters or more is a brand's.
        if (words.length > 1 && ACRONYM_OPENER.test(spanText(sentence, tokens, run.from, run.from))) continue;
        // "in the Address Bar Preferences", "the Ubyssey": a person's name takes no article.
        if (/^(?:the|a|an)$/.test(tokens[run.from - 1]?.word ?? '')) continue;
        // "Beats Per Minute", "Call Me by Your Name": a title's function words are no part of a person's name.
        if (words.slice(1).some((w) => STOP_WORDS.has(w))) continue;
        // "the Computer Science department": a label of something named after it.
        if (LABEL_HEAD.test(tokens[run.to + 1]?.word ?? '') && !tokens[run.to + 1]?.capitalized && /^\s+$/.test(sentence.slice(tokens[run.to]?.end ?? 0, tokens[run.to + 1]?.start ?? 0))) continue;
        // Part of a longer proper name ("Hankuk University of Foreign Studies").
        if (/^(?:of|for)$/.test(tokens[run.from - 1]?.word ?? '') && tokens[run.from - 2]?.capitalized) continue;
        const titled = run.from > 0 && TITLE_BEFORE.test(tokens[run.from - 1]?.word ?? '');
        // "who said…": the name that speaks ("according to Biden", "Lee Jae-mook, professor at …, told AFP").
        const speaks = analysis.askedSpeaker && speaksNear(sentence, tokens, run.from, run.to);
        if (analysis.askedSpeaker && !speaks) continue;
        // A lone word is a speaker only right at its verb ("according to Biden", "Lee told").
        const speaksAlone = speaks && (SPEAKING.test(tokens[run.to + 1]?.word ?? '') || /^(?:according|said|says|told)$/.test(tokens[run.from - 2]?.word ?? '') || SPEAKING.test(tokens[run.from - 1]?.word ?? ''));
        // "@BuildingTwenty": a handle names one account, in one word.
        const handle = sentence.charAt((tokens[run.from]?.start ?? 0) - 1) === '@';
        if (words.length < 2 && !titled && !speaksAlone && !handle) continue;
        // "who is the <role> of Y": the person stands next to the role ("spokesperson Kim", "Prime Minister Fumio Kishida").
        if (analysis.role.length > 0 && !nearRole(tokens, run.from, run.to, analysis.role)) continue;
        // "the prime minister of Korea": the role beside the name must be Korea's ("South Korean Prime Minister X",
        // "Korea's prime minister, X"), not "Japanese Prime Minister Y" in a sentence that also names Korea.
        if (analysis.roleOwner.length > 0 && !ownerQualifiesRole(tokens, run.from, run.to, analysis.role, analysis.roleOwner)) continue;
        out.push({ ...run, text: spanText(sentence, tokens, run.from, run.to) });
      }
      // "Thanks to evilpie, users can now…", "patch by jdoe": credit given to a handle written in lower case.
      for (const m of sentence.matchAll(CREDITED)) {
        const at = tokens.findIndex((t) => t.start >= (m.index ?? 0) + m[0].length);
        const handle = tokens[at];
        if (!handle || handle.capitalized || STOP_WORDS.has(handle.word) || /^\d/.test(handle.word) || out.some((o) => o.from <= at && at <= o.to)) continue;
        if (!/^[a-z][a-z0-9_.-]{2,}$/.test(handle.word) || isGiven(handle.word, given)) continue;
        // A handle stands alone ("Thanks to evilpie, users…", "patch by jdoe."); "written by real-life married
        // couple X" starts a description, not a handle.
        const after = sentence.slice(handle.end).trimStart();
        if (after.length > 0 && !/^(?:[,.;:!?)\]]|(?:and|for|who|from|in|on|at|with|via|to)\b)/i.test(after)) continue;
        out.push({ from: at, to: at, text: spanText(sentence, tokens, at, at) });
      }
      break;
    case 'organisation':
      for (const run of nameRuns()) {
        // "good VR ports": a name that qualifies a noun the question does not ask about is no maker or owner.
        const following = tokens[run.to + 1];
        if (following && !following.capitalized && !tokens[run.to]?.possessive && !STOP_WORDS.has(following.word) && !/^\d/.test(following.word) && /^\s+$/.test(sentence.slice(tokens[run.to]?.end ?? 0, following.start)) && !analysis.focus.some((f) => f.term === following.term) && !ORG_TAIL.test(following.word)) continue;
        // "the 2024 Global DevSecOps Report": a name ending in the kind of a work names the work, not who made it.
        if (WORK_NOUN.test(tokens[run.to]?.word ?? '')) continue;
        // "$35 USD": a currency code is no country or company.
        if (CURRENCY.test(tokens[run.from]?.word ?? '') && run.from === run.to) continue;
        // "which country": no country's name holds a digit ("ARM Cortex-A53 CPU").
        if (/\bwhich\s+(?:country|countries|nation|nations)\b/i.test(analysis.text) && rangeWords(tokens, run.from, run.to).some((w) => /\d/.test(w))) continue;
        // "which university…": a name that carries the kind ("the University of X") or is called one right after
        // ("X, a university in…"); any other name may be any organisation, or a person.
        const kind = analysis.institutionKind;
        // ("Chao-Kuei Hung from Chaoyang University": the university is the other name.)
        // ("analyst firm RedMonk": or the kind right before it.)
        if (kind && !tokens.slice(run.from, run.to + 1).some((t) => t.term === kind) && !calledKindAfter(tokens, run.to, kind) && tokens[run.from - 1]?.term !== kind) continue;
        out.push({ ...run, text: spanText(sentence, tokens, run.from, run.to) });
      }
      break;
    case 'thing':
    case 'list': {
      // "which firefox version…": a version is numbered ("Firefox 39", "1.8"), not a name ("Keepass(XC)").
      const version = analysis.wantsVersion;
      // "in version 39", "since v1.8", "in Firefox 39" (the product the question names, with its number).
      if (version) {
        tokens.forEach((t, i) => {
          const before = tokens[i - 1];
          if (/^v?\d+(?:\.\d+)*$/.test(t.word) && before && (/^(?:version|release|build|v)$/.test(before.word) || (before.capitalized && !STOP_WORDS.has(before.word)))) out.push({ from: i - 1, to: i, text: spanText(sentence, tokens, i - 1, i) });
        });
      }
      for (const run of nameRuns()) {
        const to = version && /^\d/.test(tokens[run.to + 1]?.word ?? '') ? run.to + 1 : run.to;
        if (version && (!rangeWords(tokens, run.from, to).some((w) => /\d/.test(w)) || out.some((o) => o.from <= to && o.to >= run.from))) continue;
        out.push({ from: run.from, to, text: spanText(sentence, tokens, run.from, to) });
      }
      break;
    }
    case 'place': {
      // "where was X born": only a sentence that speaks of a birth (or a death) places it.
      if (analysis.lifeEvent && !speaksOf(analysis.lifeEvent, sentence)) break;
      // "which city is Camp David in": only a place the sentence says holds it ("Camp David, Maryland", "Camp David
      // in Maryland", "Maryland's Camp David"); "from Tokyo to Washington" places nothing inside anything.
      if (analysis.contained.length > 0) {
        const at = tokens.findIndex((_t, i) => analysis.contained.every((w, k) => tokens[i + k]?.word === w));
        if (at < 0) break;
        const end = at + analysis.contained.length - 1;
        for (const run of capitalisedRuns(tokens, sentence)) {
          const after = run.from > end && run.from - end <= 4 && /^\s*,?\s*(?:(?:in|of|near)\s+(?:the\s+)?)?$/.test(sentence.slice(tokens[end]?.end ?? 0, tokens[run.from]?.start ?? 0));
          const owner = run.to < at && at - run.to <= 2 && tokens[run.to]?.possessive === true;
          if (after || owner) out.push({ ...run, text: spanText(sentence, tokens, run.from, run.to) });
        }
        break;
      }
      for (const run of nameRuns()) {
        // A titled name ("counterpart Xi Jinping", "President Biden") is a person, whatever precedes it; an office
        // ("Vice-president elect") is no place.
        if (TITLE_BEFORE.test(tokens[run.from - 1]?.word ?? '') || rangeWords(tokens, run.from, run.to).some((w) => OFFICE_WORD.test(w))) continue;
        // "visiting her Aunt Miranda": a name a kin word or an honorific opens is someone's.
        if (KIN_OR_HONORIFIC.test(tokens[run.from]?.word ?? '')) continue;
        // "the Department of Environmental Protection": the end of an institution's name, not where it is.
        // (Nor is the institution's kind alone: "at the Department".)
        if (tokens[run.from - 1]?.word === 'of' && tokens[run.from - 2]?.capitalized === true && INSTITUTION.test(tokens[run.from - 2]?.word ?? '')) continue;
        if (run.from === run.to && INSTITUTION.test(tokens[run.from]?.word ?? '')) continue;
        // "to join NASA’s Artemis program": an owner's name qualifies what follows; it is not where anyone goes.
        // ("in Maryland’s Catoctin Mountains", right after the locative, is a place.)
        const owner = tokens[run.to]?.possessive && tokens[run.to + 1] && !/[,;:.]/.test(sentence.slice(tokens[run.to]?.end ?? 0, tokens[run.to + 1]?.start ?? 0));
        // "in Tokyo", "to economic powerhouse Shanghai", "in the Indo-Pacific region"
        let k = run.from - 1;
        // Only determiners and modifiers are skipped: "to meet with Kim" is no place.
        const skippable = (t: SentenceToken | undefined) => !!t && !t.capitalized && (DETERMINER.has(t.word) || !STOP_WORDS.has(t.word)) && !LOCATIVE.has(t.word);
        while (k >= 0 && run.from - k <= 3 && skippable(tokens[k]) && !/[,;:]/.test(sentence.slice(tokens[k]?.end ?? 0, tokens[k + 1]?.start ?? 0))) k--;
        // "living in Columbus, Indiana": the state after a locative place and a comma is a place too (the town
        // may be the question's own, and so no answer).
        if (k === run.from - 1 && tokens[k]?.capitalized && /^\s*,\s*$/.test(sentence.slice(tokens[k]?.end ?? 0, tokens[run.from]?.start ?? 0))) {
          let j = k;
          while (j > 0 && tokens[j - 1]?.capitalized && /^\s+$/.test(sentence.slice(tokens[j - 1]?.end ?? 0, tokens[j]?.start ?? 0))) j--;
          // Not after a language or a people ("in French, Visages Villages" gives a title, not a place).
          const previousIsPlace = !rangeWords(tokens, j, k).some((w) => TITLE_OR_DEMONYM.test(w));
          if (previousIsPlace && LOCATIVE.has(tokens[j - 1]?.word ?? '') && tokens[j - 1]?.word !== 'of') k = j - 1;
        }
        const before = tokens[k]?.word ?? '';
        // ("the whole point of Mercurial’s phases": after "of", an owner is whose, never where.)
        if (owner && (k < run.from - 1 || before === 'of')) continue;
        const skippedContent = tokens.slice(k + 1, run.from).some((t) => !DETERMINER.has(t.word));
        const next = tokens[run.to + 1];
        // Right after the name, a lower-case word outside a place's phrase makes the name a modifier ("families of
        // Pauli matrices", "Catholic folk imagery") or, past a content word, the next clause's subject ("In that
        // update Baker also suggested…"); "to economic powerhouse Shanghai." is a place.
        // (The period of an initialism is no break: "a symbol of U.S. freedoms" qualifies the freedoms.)
        const gap = sentence.slice(tokens[run.to]?.end ?? 0, next?.start ?? 0);
        const initialismDot = /^\.\s+$/.test(gap) && INITIALISM.test(tokens[run.to]?.word ?? '');
        const joined = !!next && !tokens[run.to]?.possessive && !next.capitalized && !/^\d/.test(next.word) && (initialismDot || !/[,;:.!?)"”]/.test(gap));
        const clauseOpens = joined && !PLACE_TAIL.test(next?.word ?? '') && !(skippedContent ? PLACE_PHRASE_GOES_ON : FOLLOWS_PLACE).has(next?.word ?? '');
        // "$35 USD": a currency code, not a place.
        const currency = CURRENCY.test(tokens[run.from]?.word ?? '');
        if (currency || !(LOCATIVE.has(before) || /^(?:city|town|capital|province|state|region)$/.test(before))) continue;
        if (!clauseOpens) out.push({ ...run, text: spanText(sentence, tokens, run.from, run.to) });
        // "added to the WebFinger record": right after a spatial preposition, the name and its noun are the place.
        // (Not a verb: "from Netscape registered mozilla.org" names Netscape as who, not where.)
        // ("from Vulture magazine" names a source, not a place.)
        else if (!skippedContent && before !== 'of' && next && !STOP_WORDS.has(next.word) && !/ed$/.test(next.word) && !MEDIUM.test(next.word)) out.push({ from: run.from, to: run.to + 1, text: spanText(sentence, tokens, run.from, run.to + 1) });
      }
      // "in which venue": a building or grounds, named as one ("Akasaka Palace", "Camp David"), not the city around it.
      if (analysis.venue) {
        const named = out.filter((o) => rangeWords(tokens, o.from, o.to).some((w) => FACILITY.test(w)));
        out.length = 0;
        out.push(...named);
      }
      // "Buttons can now be placed on the ceiling", "in the Address Bar preferences": where a thing goes, in common
      // nouns, when the sentence names no place.
      if (analysis.locatesThing && out.length === 0) {
        for (const m of sentence.matchAll(THING_LOCATIVE)) {
          const range = tokenRange(tokens, { start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
          if (range) out.push({ ...range, text: spanText(sentence, tokens, range.from, range.to) });
        }
      }
      // "from its east coast", "in the north": a compass place.
      tokens.forEach((t, i) => {
        if (COMPASS.test(t.word) && /^(?:coast|border|region|side|part|sea|province)$/.test(tokens[i + 1]?.word ?? '')) {
          const from = /^(?:its|the|their)$/.test(tokens[i - 1]?.word ?? '') ? i - 1 : i;
          out.push({ from, to: i + 1, text: spanText(sentence, tokens, from, i + 1) });
        }
      });
      break;
    }
    case 'date': {
      // "when was X born": a date in a sentence that says nothing of a birth (or a death) is some other event's.
      if (analysis.lifeEvent && !speaksOf(analysis.lifeEvent, sentence) && !LIFESPAN.test(sentence)) break;
      if (analysis.granularity === 'time') {
        // A part of the day ("on Tuesday morning") or a clock time ("at 3 p.m.", "at 10:30").
        tokens.forEach((t, i) => {
          const next = tokens[i + 1]?.word ?? '';
          if (TIME_OF_DAY.test(t.word) || (/^\d{1,2}(?::\d{2})?$/.test(t.word) && /^(?:a\.?m|p\.?m|am|pm|gmt|utc|local|hours)\.?$/.test(next)) || /^\d{1,2}:\d{2}$/.test(t.word)) {
            out.push({ from: i, to: i, text: t.word });
          }
        });
        break;
      }
      const wanted = RANK[analysis.granularity];
      for (const mention of datesIn(sentence, tokens, publishedAt)) {
        const text = sentence.slice(mention.start, mention.end);
        // "yesterday" on a page that gives no date of its own still answers "when", in the page's words.
        if (!mention.value) {
          if (analysis.granularity !== 'any' || !RELATIVE_DAY.test(text)) continue;
          const range = tokenRange(tokens, mention);
          if (range) out.push({ ...range, text });
          continue;
        }
        if (analysis.years.some((y) => text === y)) continue;
        const precision = RANK[granularityOf(mention.value.start)];
        if (wanted > precision) continue;
        const range = tokenRange(tokens, mention);
        if (range) out.push({ ...range, text, date: mention.value, ...(mention.period ? { period: true } : {}) });
      }
      // "will air on PBS in the fall", "by late summer 2016": a season says when, in the page's words (a year in it
      // stays part of the span).
      if (analysis.granularity === 'any' || analysis.granularity === 'year') {
        for (const m of sentence.matchAll(SEASON)) {
          // "in the fall" places something only in a sentence about one event; "during the winter" only with a year.
          if (!DATED_SEASON.test(m[0]) && (/^(?:during|over|through)\b/i.test(m[0]) || !ONE_EVENT.test(sentence))) continue;
          const range = tokenRange(tokens, { start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
          if (!range) continue;
          const overlapping = out.findIndex((o) => o.from <= range.to && o.to >= range.from);
          const span = { ...range, text: m[0] };
          if (overlapping >= 0) out.splice(overlapping, 1, span);
          else out.push(span);
        }
      }
      break;
    }
    case 'duration':
      // A span of time given as its two ends ("from Sunday to Tuesday", "from 1910 to 1945") answers "how long will
      // / did"; "how long has X been" asks for the time elapsed until now: "since 2019" answers it, a range does not.
      if (!analysis.unit || analysis.unit === 'time' || analysis.unit === 'day' || analysis.unit === 'year') {
        // The range's ends are as fine as the unit asked: "how many years" is not answered by "Sunday to Tuesday".
        const fineEnough = (v: DateValue) => analysis.unit !== 'year' || (v.start.m === undefined && (v.end?.m ?? undefined) === undefined);
        const elapsed = /\bhow long (?:has|have|had)\b/i.test(analysis.text);
        for (const mention of datesIn(sentence, tokens, publishedAt)) {
          const text = sentence.slice(mention.start, mention.end);
          const since = elapsed && /\bsince\s*$/i.test(sentence.slice(0, mention.start));
          if (!mention.value || !fineEnough(mention.value)) continue;
          if (!since && (elapsed || !mention.value.end || !/\b(?:to|until|till|through|and)\b|[–-]/.test(text))) continue;
          const range = tokenRange(tokens, mention);
          if (range) out.push({ ...range, text });
        }
      }
      tokens.forEach((t, i) => {
        // "a four-year feud", "decades-long occupation"
        const compound = /^([a-z0-9]+)-(second|minute|hour|day|week|month|year|decade|centur)[a-z]*(?:-long|-old)?$/.exec(t.word);
        if (compound && (NUMBER_WORD.test(compound[1] ?? '') || compound[1] === 'decades' || compound[1] === 'years')) {
          if (!analysis.unit || analysis.unit === 'time' || (compound[2] ?? '').startsWith(analysis.unit) || analysis.unit.startsWith(compound[2] ?? '-')) {
            out.push({ from: i, to: i, text: spanText(sentence, tokens, i, i) });
          }
          return;
        }
        if (!TIME_UNIT.test(t.word)) return;
        const unitOk = !analysis.unit || analysis.unit === 'time' || t.word.startsWith(analysis.unit);
        if (!unitOk) return;
        const prev = tokens[i - 1]?.word ?? '';
        // "for years", "in a few days", "for many months": a length without a number; "too many days in a row" is none.
        const vague = /^(?:for|over|nearly|almost)$/.test(prev) || (/^(?:many|few|several)$/.test(prev) && /^(?:for|over|in|within|a)$/.test(tokens[i - 2]?.word ?? ''));
        const hasNumber = NUMBER_WORD.test(prev) || (vague && /s$/.test(t.word));
        if (!hasNumber) return;
        // "until two days ago": a point in time, counted back from the page's day — no length of anything.
        if (tokens[i + 1]?.word === 'ago') return;
        const from = NUMBER_WORD.test(prev) || /^(?:many|few|several)$/.test(prev) ? i - 1 : i;
        out.push({ from, to: i, text: spanText(sentence, tokens, from, i) });
      });
      break;
    case 'money':
      tokens.forEach((t, i) => {
        const next = tokens[i + 1]?.word ?? '';
        const after = tokens[i + 2]?.word ?? '';
        const symbol = /^[$€£¥]/.test(sentence.slice(Math.max(0, t.start - 1), t.start + 1)) && /^\d/.test(t.word);
        if (symbol || (/^\d/.test(t.word) && (CURRENCY.test(next) || (/^(?:million|billion|trillion)$/.test(next) && CURRENCY.test(after))))) {
          const to = CURRENCY.test(next) ? i + 1 : /^(?:million|billion|trillion)$/.test(next) ? (CURRENCY.test(after) ? i + 2 : i + 1) : i;
          const text = sentence.slice(symbol ? t.start - 1 : t.start, tokens[to]?.end ?? t.end);
          // "the price in euros": a figure in another currency does not answer.
          const written = analysis.currency ? currencyOf(text) : null;
          if (written !== null && written !== analysis.currency) return;
          // "what does he make a year": "$4,000 per sponsor" is a rate of something else; "$210,000 per year" is it.
          const rateWord = /^(?:per|a|an|each|every)$/.test(tokens[to + 1]?.word ?? '') ? tokens[to + 2] : undefined;
          if (analysis.rate && rateWord && rateWord.term !== termOf(analysis.rate)) return;
          out.push({ from: i, to, text });
        }
      });
      break;
    case 'percent':
      tokens.forEach((t, i) => {
        const next = tokens[i + 1]?.word ?? '';
        if (/^\d[\d.,]*%$/.test(t.word) || ((NUMBER_WORD.test(t.word) || /^\d/.test(t.word)) && /^(?:percent|per)$/.test(next))) {
          const to = /%$/.test(t.word) ? i : next === 'per' ? i + 2 : i + 1;
          out.push({ from: i, to, text: spanText(sentence, tokens, i, Math.min(to, tokens.length - 1)) });
        }
      });
      break;
    case 'quantity':
    case 'count':
      // "how much of the summit is…": a proportion, in words ("much of", "most of", "half of") or as a percentage.
      if (analysis.unit === 'proportion') {
        tokens.forEach((t, i) => {
          const proportion = PROPORTION.test(t.word) && tokens[i + 1]?.word === 'of';
          const percent = /^\d[\d.,]*%$/.test(t.word) || (/^\d/.test(t.word) && /^(?:percent|per)$/.test(tokens[i + 1]?.word ?? ''));
          if (proportion || percent) out.push({ from: i, to: Math.min(tokens.length - 1, i + 1), text: spanText(sentence, tokens, i, Math.min(tokens.length - 1, i + 1)) });
        });
        break;
      }
      tokens.forEach((t, i) => {
        // "how old is X": "45 years old", "a 45-year-old", "aged 45", "Kuhn (45)" — not a clock's "09:11".
        if (analysis.unit === 'age') {
          const ageAt = /^\d{1,3}-years?-old$/.test(t.word);
          const numberAt = /^\d{1,3}$/.test(t.word) && !/^:/.test(sentence.slice(t.end));
          const yearsOld = /^years?$/.test(tokens[i + 1]?.word ?? '') && /^(?:old|of)$/.test(tokens[i + 2]?.word ?? '');
          const aged = /^(?:aged|age)$/.test(tokens[i - 1]?.word ?? '');
          const bracketed =
            (/\(\s*$/.test(sentence.slice(0, t.start)) && /^\s*\)/.test(sentence.slice(t.end))) ||
            (tokens[i - 1]?.capitalized === true && /,\s*$/.test(sentence.slice(0, t.start)) && /^\s*,/.test(sentence.slice(t.end)));
          if (ageAt) out.push({ from: i, to: i, text: t.word });
          else if (numberAt && (yearsOld || aged || bracketed)) out.push({ from: i, to: yearsOld ? i + 2 : i, text: spanText(sentence, tokens, i, yearsOld ? i + 2 : i) });
          return;
        }
        if (!NUMBER_WORD.test(t.word) || /^(?:1[89]\d\d|20\d\d)$/.test(t.word)) return;
        // (Or in the page's own unit after it says "distance": "render distance … increased to 32 chunks".)
        if (analysis.unit === 'distance' && !DISTANCE.test(tokens[i + 1]?.word ?? '') && !(tokens.slice(Math.max(0, i - 8), i).some((b) => b.word === 'distance') && /^[a-z]{3,}$/.test(tokens[i + 1]?.word ?? ''))) return;
        // "how much ram", "how many raspberry pis": a number of that thing ("1GB of RAM", "three leaders"), not any
        // number in the sentence ("Raspberry Pi 2").
        const measure = analysis.unit ? MEASURE_UNIT[analysis.unit] : undefined;
        if (measure && !measure.test(tokens[i + 1]?.word ?? '')) return;
        if (analysis.unit && !measure && !['distance', 'age', 'proportion'].includes(analysis.unit)) {
          // "how many leaders" wants a number of leaders: "both leaders", "three leaders".
          // "shipped over eight million units": a generic count noun counts whatever the page is about.
          const unitTerm = termOf(analysis.unit);
          // A casual short form counts the same thing: "pros" for "professionals", "devs" for "developers".
          const short = analysis.unit.length >= 4 && analysis.unit.length <= 5 && /s$/.test(analysis.unit) ? analysis.unit.slice(0, -1) : null;
          const countsUnit = (w: SentenceToken | undefined) => !!w && (w.term === unitTerm || (short !== null && w.word.length > short.length + 3 && w.word.endsWith('s') && w.word.startsWith(short)));
          // "its population is 8.4 million": a population is said before its number.
          const population = analysis.unit === 'people' && tokens.slice(Math.max(0, i - 6), i).some((b) => /^(?:population|populations|residents|inhabitants)$/.test(b.word));
          // "how many people did they poll": "5,000 DevSecOps professionals", "1,200 respondents" are people.
          const peopleOf = (w: SentenceToken | undefined) => analysis.unit === 'people' && !!w && PEOPLE_PLURAL.test(w.word);
          if (!population && ![1, 2, 3].some((d) => countsUnit(tokens[i + d]) || peopleOf(tokens[i + d]) || (analysis.type === 'count' && GENERIC_COUNT.test(tokens[i + d]?.word ?? '')))) return;
        }
        if (t.word === 'both' && analysis.type !== 'count') return;
        // "Android 2.2", "Firefox 85", "Pi 3": a number right after a name is its version or model.
        const previous = tokens[i - 1];
        if (previous?.capitalized && !STOP_WORDS.has(previous.word) && !NOT_A_NAME.has(previous.word) && !/^(?:over|about|nearly|almost|around|approximately|roughly|some|more|less|fewer|up|only|just)$/.test(previous.word) && /^\s+$/.test(sentence.slice(previous.end, t.start))) return;
        // "9) Columbus": a list's numbering.
        if (/^\s*[).]/.test(sentence.slice(t.end)) && i === 0) return;
        // A date's day number is not a count.
        if (MONTH_WORD.test(tokens[i - 1]?.word ?? '') || MONTH_WORD.test(tokens[i + 1]?.word ?? '')) return;
        let to = i;
        while (to + 1 < tokens.length && NUMBER_WORD.test(tokens[to + 1]?.word ?? '')) to++;
        // "3 per episode" counts something else per episode, "$12k" is money, "one of the pages" picks from them: none
        // says how many episodes or pages there are.
        if (analysis.type === 'count') {
          const after = tokens[to + 1]?.word ?? '';
          if (/^(?:per|each|every|a|an)$/.test(after) || /[$€£¥]\s*$/.test(sentence.slice(0, t.start))) return;
          if (after === 'of' && /^(?:the|these|those|its|their|our|my|your)$/.test(tokens[to + 2]?.word ?? '')) return;
        }
        // The counted noun joins the number ("three leaders"), not a word past a comma ("8.4 million, floods").
        if (to + 1 < tokens.length && !/^(?:and|or|of|the|to|in|on)$/.test(tokens[to + 1]?.word ?? '') && !/[,;:.!?()]/.test(sentence.slice(tokens[to]?.end ?? 0, tokens[to + 1]?.start ?? 0))) to++;
        out.push({ from: i, to, text: spanText(sentence, tokens, i, to) });
      });
      break;
    case 'reason': {
      // Every cue counts (the caller keeps those that follow the asked event), each clause running from its cue.
      const starts = new Set<number>();
      for (const m of sentence.matchAll(CAUSAL)) {
        const from = tokens.findIndex((t) => t.end > m.index);
        if (from >= 0) starts.add(from);
      }
      for (const m of sentence.matchAll(CAUSAL_OVER)) {
        const from = tokens.findIndex((t) => t.start >= m.index + m[0].length);
        if (from >= 0) starts.add(from);
      }
      // A purpose: "to" + a lower-case word that is no noun phrase's start, a number or a name ("to meet Xi",
      // "to better counter", not "to China", "to 15 percent", "from Sunday to Tuesday").
      tokens.forEach((t, i) => {
        const next = tokens[i + 1];
        if (t.word !== 'to' || !next || next.capitalized || /^\d/.test(next.word) || NOT_AN_INFINITIVE.test(next.word)) return;
        if (STOP_WORDS.has(next.word) && !/^(?:help|better|further|try)$/.test(next.word)) return;
        if (/^(?:according|due|owing|thanks|up|close|closer|next|prior|compared|relative|similar|back|way|road|visit|trip|return|returned|returning|head|heads|headed|heading|fly|flies|flew|flying|travel|travels|travelled|traveled|traveling|travelling|go|goes|going|went|come|comes|came|move|moved|moves|sent|send|moving|led|leading|lead)$/.test(tokens[i - 1]?.word ?? '')) return;
        // "I decided to write a library", "they want to ship": what is decided or wanted, not why.
        if (TAKES_INFINITIVE.test(tokens[i - 1]?.word ?? '')) return;
        starts.add(i);
      });
      for (const from of [...starts].sort((a, b) => a - b)) {
        const start = tokens[from]?.start ?? 0;
        // A cause or purpose that opens the sentence ("To prevent attacks, …", "Because of X, …") explains its main clause.
        const opening = from === 0 || (from <= 2 && /^(?:in|so)$/.test(tokens[0]?.word ?? ''));
        const clauseEnd = opening ? sentence.indexOf(',', start) : -1;
        if (opening && clauseEnd > start) {
          const to = Math.max(from, tokens.findIndex((t) => t.start > clauseEnd) - 1);
          out.push({ from, to, text: sentence.slice(start, clauseEnd), precedes: true });
        } else out.push({ from, to: Math.min(tokens.length - 1, from + 8), text: sentence.slice(start).replace(/[.!?]+$/, '') });
      }
      // "When an obsolete changeset has two successors, those successors are divergent": a condition that opens the
      // sentence is what makes its main clause true.
      if (/^(?:when|whenever|if|once)$/.test(tokens[0]?.word ?? '')) {
        const clauseEnd = sentence.indexOf(',');
        const to = tokens.findIndex((t) => t.start > clauseEnd) - 1;
        if (clauseEnd > 0 && to > 0) out.push({ from: 0, to, text: sentence.slice(0, clauseEnd), precedes: true });
      }
      // "Red stands out and can encourage taking action, that's why it is used for sales": the reason comes first.
      for (const m of sentence.matchAll(REASON_BEFORE)) {
        const cueAt = tokens.findIndex((t) => t.end > (m.index ?? 0));
        if (cueAt > 0) out.push({ from: 0, to: cueAt, text: sentence.slice(0, m.index).replace(/[,;\s]+$/, ''), precedes: true });
      }
      break;
    }
    case 'statement': {
      if (!QUOTE.test(sentence) && !SAY.test(sentence)) break;
      const quoted = /["“]([^"”]{8,})["”]/.exec(sentence);
      const from = quoted ? tokens.findIndex((t) => t.start > quoted.index) : 0;
      out.push({ from: Math.max(0, from), to: Math.max(0, Math.min(tokens.length - 1, from + 6)), text: quoted ? (quoted[1] ?? '') : sentence });
      break;
    }
    case 'description': {
      // Descriptive answers of a known kind: a reaction, a contribution to a joint effort, a worry.
      if (analysis.answerCue === 'topics') {
        // Fields of activity come as a run of lower-case noun phrases: "supply chains, investment, … and the environment".
        for (const m of sentence.matchAll(ENUMERATION)) {
          const from = tokens.findIndex((t) => t.end > (m.index ?? 0));
          if (from >= 0) out.push({ from, to: Math.min(tokens.length - 1, from + 8), text: m[0] });
        }
        break;
      }
      if (analysis.answerCue === 'definition') {
        // "Content depth is an arbitrary score…", "A Hermitian matrix is a complex square matrix that…": the defined
        // words, then a verb that defines, within a few words.
        const defined = analysis.defined.map((w) => termOf(w));
        tokens.forEach((t, i) => {
          if (!DEFINING_VERB.test(t.word)) return;
          const start = Math.max(0, i - defined.length - 3);
          const before = tokens.slice(start, i).map((b) => b.term);
          const says = (b: string, d: string) => b === d || (d.length >= 5 && b.startsWith(d.slice(0, 5)));
          const said = defined.filter((d) => before.some((b) => says(b, d))).length;
          if (said < Math.max(1, Math.ceil(0.6 * defined.length))) return;
          // "Every Hermitian matrix is a normal matrix" states a property of all of them; it does not say what one is.
          // "The inverse of an invertible Hermitian matrix is…" speaks of the inverse: the defined words open their
          // clause — at the start, after an article, or after an opener such as "In mathematics,".
          const first = start + before.findIndex((b) => defined.some((d) => says(b, d)));
          const opens = (at: number) => at < 0 || /[,:;]/.test(sentence.slice(tokens[at]?.end ?? 0, tokens[at + 1]?.start ?? 0));
          const previous = tokens[first - 1]?.word;
          if (!(opens(first - 1) || (previous !== undefined && /^(?:a|an|the)$/.test(previous) && opens(first - 2)))) return;
          // "…are named after Hermite" (a passive), "…are fundamental to quantum theory" (a property): no definition.
          if (/^(?:is|are)$/.test(t.word)) {
            const next = tokens[i + 1]?.word ?? '';
            const passive = /^[a-z]{3,}ed$/.test(next);
            const property = /^(?:to|for|in|on|with|of|by|at|from)$/.test(tokens[i + 2]?.word ?? '') && !/^(?:a|an|the)$/.test(next);
            if (passive || property) return;
          }
          out.push({ from: i, to: Math.min(tokens.length - 1, i + 8), text: sentence.slice(t.start).replace(/[.!?]+$/, '') });
        });
        break;
      }
      if (analysis.answerCue === 'procedure') {
        // "Read more about it here", "Click here to subscribe": a page's navigation, not an instruction.
        if (NAVIGATION.test(sentence)) break;
        // An instruction: a sentence (or a clause after a colon or "then") that starts with a verb telling what to do
        // ("Use the snowball method…", "set phases.publish to false"), or a "by …ing" / "you can…" clause.
        for (const m of sentence.matchAll(INSTRUCTION)) {
          const verb = m[1] ?? m[2] ?? m[3] ?? '';
          const from = tokens.findIndex((t) => t.start >= (m.index ?? 0) + m[0].lastIndexOf(verb));
          if (from >= 0) out.push({ from, to: Math.min(tokens.length - 1, from + 8), text: sentence.slice(tokens[from]?.start ?? 0).replace(/[.!?]+$/, '') });
        }
        break;
      }
      if (analysis.answerCue === 'naming') {
        // "This is known as the Toeplitz decomposition", "my tool (named, surprisingly, gp4par)".
        for (const m of sentence.matchAll(NAMING_CUE)) {
          const from = tokens.findIndex((t) => t.start >= (m.index ?? 0) + m[0].length);
          if (from >= 0) out.push({ from, to: Math.min(tokens.length - 1, from + 5), text: sentence.slice(tokens[from]?.start ?? 0).replace(/[.!?)]+$/, '') });
        }
        break;
      }
      const cue = analysis.answerCue ? DESCRIPTIVE_CUE[analysis.answerCue] : null;
      if (!cue) break;
      tokens.forEach((t, i) => {
        if (cue.test(t.word)) out.push({ from: i, to: Math.min(tokens.length - 1, i + 6), text: sentence.slice(t.start).replace(/[.!?]+$/, '') });
      });
      break;
    }
  }
  return out;
}

/**
 * Whether a name in the sentence is one the question already asks about. With capitalised names in the question,
 * by containment ("Fumio Kishida" holds "Kishida"; "Kim Yo Jong" is not "Kim Jong Un"); in an all-lower-case
 * question, when half its words are the question's.
 */
const SPEAKING = /^(?:said|says|say|told|tells|added|noted|stressed|warned|stated|according|remarked|emphasi[sz]ed|insisted|argued|declared|explained|hailed|described|called)$/;

/** Whether a saying verb stands just before a name run or within its clause after it. */
function speaksNear(sentence: string, tokens: readonly SentenceToken[], from: number, to: number): boolean {
  for (let i = Math.max(0, from - 3); i < from; i++) if (SPEAKING.test(tokens[i]?.word ?? '')) return true;
  for (let i = to + 1; i < Math.min(tokens.length, to + 13); i++) {
    const t = tokens[i];
    if (!t) break;
    if (SPEAKING.test(t.word)) return true;
    // A quotation between the name and the verb is someone else's words ("…at the Rose Garden, is "…," according to Biden").
    if (/["“”]/.test(sentence.slice(tokens[i - 1]?.end ?? 0, t.start))) return false;
    // Another person's name first: the verb is theirs.
    if (t.capitalized && TITLE_BEFORE.test(tokens[i - 1]?.word ?? '')) return false;
  }
  return false;
}

function namesQuestionEntity(whole: readonly string[], analysis: QuestionAnalysis): boolean {
  // The asked kind is no part of whom the run names: "Dunmore College" for "which college…" is not the question's own.
  const run = analysis.institutionKind ? whole.filter((w) => termOf(w) !== analysis.institutionKind) : whole;
  if (run.length === 0) return false;
  // A derivation ("Japan" for "japanese") gives a one-word name; in a longer one each word must be the question's
  // own ("Charles Hermite" is not given by "hermitian").
  if (run.length > 1) {
    const own = (w: string) => analysis.given.has(w) || [...analysis.given].some((g) => termOf(g) === termOf(w));
    if (!run.some(own)) return false;
  }
  if (run.every((w) => isGiven(w, analysis.given))) return true;
  if (analysis.nameRuns.length > 0) {
    const joined = ` ${run.join(' ')} `;
    return analysis.nameRuns.some((name) => {
      const n = ` ${name.join(' ')} `;
      return joined.includes(n) || n.includes(joined) || (name.length === 1 && run.some((w) => isGiven(w, new Set(name))));
    });
  }
  // Titles and country adjectives ("US President Donald Trump") are not part of whom the run names.
  const named = run.filter((w) => !TITLE_BEFORE.test(w) && !/^(?:us|u\.s|uk|eu|un)$/.test(w));
  const counted = named.length > 0 ? named : run;
  if (counted.filter((w) => isGiven(w, analysis.given)).length * 2 >= counted.length) return true;
  // "who was president before lee": "Lee Jae Myung" (or "Fumio Kishida" for "kishida") is the person the question
  // names by one word — unless it asks after a relative, who may share the family name ("kim yo jong's brother").
  const first = counted[0] ?? '';
  const last = counted[counted.length - 1] ?? '';
  return counted.length <= 3 && (analysis.given.has(first) || analysis.given.has(last)) && !KIN.test(analysis.text);
}

/** Words for relatives, who may share a family name with the person the question names. */
const KIN = /\b(?:brother|sister|sibling|father|mother|dad|mom|mum|son|daughter|wife|husband|spouse|uncle|aunt|cousin|grand\w*|family|parents?|child(?:ren)?|niece|nephew)s?\b/i;

// Date reading (chrono) is the costly part of typing a sentence; sentences are immutable, so it is done once each.
const dateCache = new WeakMap<readonly SentenceToken[], { publishedAt: string | null; mentions: DateMention[] }>();

function datesIn(sentence: string, tokens: readonly SentenceToken[], publishedAt: string | null): DateMention[] {
  const cached = dateCache.get(tokens);
  if (cached && cached.publishedAt === publishedAt) return cached.mentions;
  const mentions = extractDates(sentence, publishedAt, { periods: true });
  dateCache.set(tokens, { publishedAt, mentions });
  return mentions;
}

/** Whether a sentence word names the owner a question gives: the same word, or one of its forms ("korean" for "korea"). */
function namesOwner(owner: string, word: string): boolean {
  return word === owner || (owner.length >= 5 && word.startsWith(owner.slice(0, 5)));
}

/** The tokens a character range of the sentence covers (a date mention's), or null when it starts past them. */
function tokenRange(tokens: readonly SentenceToken[], range: { start: number; end: number }): { from: number; to: number } | null {
  const from = tokens.findIndex((t) => t.end > range.start);
  if (from < 0) return null;
  let to = from;
  while (to + 1 < tokens.length && (tokens[to + 1]?.start ?? Infinity) < range.end) to++;
  return { from, to };
}

function ownerQualifiesRole(tokens: readonly SentenceToken[], from: number, to: number, role: readonly string[], owner: readonly string[]): boolean {
  const isOwner = (t: SentenceToken | undefined) => !!t && owner.some((o) => namesOwner(o, t.word));
  const isRole = (t: SentenceToken | undefined) => !!t && role.some((r) => r === t.word || termOf(r) === t.term);
  for (let i = Math.max(0, from - 5); i <= Math.min(tokens.length - 1, to + 5); i++) {
    if (!isRole(tokens[i])) continue;
    // Before the role, past its other words ("South Korean Prime Minister", "Korea's prime minister").
    let k = i - 1;
    while (k >= 0 && isRole(tokens[k])) k--;
    for (let j = k; j >= Math.max(0, k - 2); j--) if (isOwner(tokens[j])) return true;
    // After it: "prime minister of Korea".
    let after = i + 1;
    while (after < tokens.length && isRole(tokens[after])) after++;
    if (/^(?:of|for)$/.test(tokens[after]?.word ?? '')) for (let j = after + 1; j <= after + 3; j++) if (isOwner(tokens[j])) return true;
  }
  return false;
}

/** How far after a name a clause may call its bearer by a role. */
const ROLE_CLAUSE_REACH = 20;

function nearRole(tokens: readonly SentenceToken[], from: number, to: number, role: readonly string[]): boolean {
  const isRole = (i: number) => role.some((r) => r === tokens[i]?.word || termOf(r) === tokens[i]?.term);
  for (let i = Math.max(0, from - 4); i <= Math.min(tokens.length - 1, to + 4); i++) {
    if (i >= from && i <= to) continue;
    if (isRole(i)) return true;
  }
  // "Joe Carbone, who works for the Transportation Department, where he is known as the pothole chief": the role a
  // clause after the name calls its bearer.
  for (let i = to + 1; i < Math.min(tokens.length, to + ROLE_CLAUSE_REACH); i++) {
    const word = tokens[i]?.word ?? '';
    const named = (word === 'as' && tokens[i - 1]?.word === 'known') || word === 'called' || word === 'dubbed' || word === 'nicknamed';
    if (!named) continue;
    for (let k = i + 1; k <= i + 4 && k < tokens.length; k++) if (isRole(k)) return true;
  }
  return false;
}

function rangeWords(tokens: readonly SentenceToken[], from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(tokens[i]?.word ?? '');
  return out;
}

/** Types whose answer has a checkable shape: a sentence without an instance cannot answer. */
export function isCheckableType(type: ExpectedType): boolean {
  return !['description', 'list', 'thing'].includes(type);
}

export function isSaying(sentence: string): boolean {
  return QUOTE.test(sentence) || SAY.test(sentence);
}

export { formatLongDate };

export function formatLongValue(v: DateValue): string {
  if (!v.end) return formatLongDate(v.start);
  const a = formatLongDate(v.start);
  const b = formatLongDate(v.end);
  return a === b ? a : `${a} – ${b}`;
}
