// Question analysis from the question's *form*: which wh-form it uses, what kind of answer that asks for (with
// its unit), the focus words the answer must stand near, and the names and speaker it asks about. Nothing here
// knows any particular question or document; it reads English question syntax only.
import { contentTerms, STOP_WORDS as STOP, termOf, words } from './tokens.js';

export type ExpectedType =
  | 'person'
  | 'place'
  | 'organisation'
  | 'date'
  | 'duration'
  | 'money'
  | 'percent'
  | 'quantity'
  | 'count'
  | 'reason'
  | 'statement'
  | 'thing'
  | 'list'
  | 'description';

/** How precise a date the question wants: "what year" → year, "what month and year" → month, "what day" → day. */
export type DateGranularity = 'year' | 'month' | 'day' | 'time' | 'any';

export interface QuestionWord {
  /** Folded surface word ("talks"). */
  word: string;
  /** Stemmed term ("talk"). */
  term: string;
}

export interface QuestionAnalysis {
  text: string;
  /** The wh-word that sets the form (who, where, when, why, how, what, which), or null for yes/no and commands. */
  wh: string | null;
  type: ExpectedType;
  /** The unit a numeric answer must carry: "hour", "year", "dollar", "percent", "kilometre"…; null if none. */
  unit: string | null;
  granularity: DateGranularity;
  /** "what day of the week", "which weekday": the answer's date is given with its weekday. */
  wantsWeekday: boolean;
  /** For a date inside an interval: "when does X end / finish / leave" wants its end. */
  datePart: 'start' | 'end';
  /** Content words the answer sentence must be about (scaffolding and type words removed). */
  focus: QuestionWord[];
  /** Proper names and other words the question itself gives, folded: an answer must not merely repeat them. */
  given: Set<string>;
  /** For "what did X say…": the speaker's words. */
  speaker: string[];
  /** For statements: the stem of the saying verb the question uses ("warn"), or null. */
  sayVerb: string | null;
  /** Years the question itself names (they are context, not the answer). */
  years: string[];
  /** Words the asker capitalised mid-sentence: names, matched by spelling only. */
  names: Set<string>;
  /** A reason asked as a purpose ("what is X trying to get done"), answered by "to …" after the actor. */
  purpose: boolean;
  /** Stems of what a "besides X, what else" question excludes: a sentence about them is not the answer. */
  excluded: string[];
  /** Runs of capitalised words in the question ("kim jong un", "us steel"), folded. */
  nameRuns: string[][];
  /** For person questions naming a role ("which PM", "the spokesperson"): the role's words in the documents' wording. */
  role: string[];
  /** Whose role it is, when the question says ("prime minister of Australia" → ["australia"]). */
  roleOwner: string[];
  /**
   * Stems of words given only as context in a closing parenthesis — how a follow-up rewritten from a conversation
   * carries the earlier turns' topic ("is tokyo gonna change course (Ishiba admit sore spots)?"): they place the
   * topic but are not the event this question asks about.
   */
  contextTerms: string[];
  /**
   * Stems of words that only say which page is meant ("in that content depth article", "per the mozilla hacks
   * post", "going by the evolve docs"): the page holds them, the answering sentence need not.
   */
  sourceTerms: string[];
  /**
   * For descriptive questions whose answer is a kind of clause rather than a name: how something was received
   * ("how did people take X" → reactions), what someone does in a joint effort ("what's X's part in Y" → a
   * contribution), what people feared ("what were people worried about" → concerns). Null otherwise.
   */
  answerCue: 'reaction' | 'role' | 'concern' | 'topics' | 'definition' | 'naming' | 'procedure' | null;
  /**
   * "which city is Camp David in", "what country is X part of": the folded words of the place to be placed inside a
   * larger one; the answer must be said to contain it ("Camp David, in Maryland", "Maryland's Camp David").
   */
  contained: string[];
  /** "what's the name of…": a thing question that only a name answers. */
  wantsName: boolean;
  /** "the name of google's monitoring system": the kind of thing named ("system"), as a term; null when not said. */
  namedKind: string | null;
  /** The word before that kind ("monitoring" of "internal monitoring system"), as a term; null when none. */
  namedKindQualifier: string | null;
  /** "which firefox version…": the answer is a version, which a number names. */
  wantsVersion: boolean;
  /** For "what is X" / "what does X mean": the folded words of X, whose definition answers. */
  defined: string[];
  /** "where will X go after the summit", "what's next": the answer is the step that follows the one named. */
  sequel: boolean;
  /**
   * "where can you put buttons", "where do I find the setting", "where is the file stored": the place of a thing,
   * which a page gives in common nouns ("on the ceiling", "in the preferences"), not a named place.
   */
  locatesThing: boolean;
  /** "in which venue / hotel / hall": a place that is a building or grounds, not a city or country. */
  venue: boolean;
  /**
   * "what programming language is X written in", "what processor is in X": the stem of the class the answer belongs
   * to. A sentence that does not say it (or a close word: "CPU" for "processor") names no member of it.
   */
  answerClass: string | null;
  /**
   * "which video meeting app did X add": the words that describe the thing asked for, as terms. A sentence that names
   * that thing need not describe it ("…new integration with Zoom").
   */
  describedAnswer: string[];
  /**
   * "which university / newspaper / party…": the stem of an institution's kind that its name or its sentence carries
   * ("the University of Tokyo", "the Ubyssey, a student newspaper"). A name in a sentence that never says the kind may
   * be any organisation.
   */
  institutionKind: string | null;
  /**
   * "how many of the people in the survey were from europe": the stems of what picks the counted part of a group. A
   * count of the whole group ("5,000 professionals") answers only where one of them is said.
   */
  restriction: string[];
  /**
   * "who directed X", "who wrote X": the act of making the question names, as a stem of CREATION_VERB. A sentence
   * that credits another act ("written by Y" for "who directed") does not answer it.
   */
  creation: string | null;
  /** "when was the vidyard article published?", "what date is that post from?": the page's own date answers. */
  publication: boolean;
  /** "how much is it in euros": the currency the asker wants a figure in, when the question names one. */
  currency: string | null;
  /** "what does he make a year", "the price per night": the period or unit a money figure is asked per, or null. */
  rate: string | null;
  /** "when / where was X born", "what year did X die": a life event, which only a sentence that speaks of it dates or places. */
  lifeEvent: 'birth' | 'death' | null;
  /** "who said / who made the remark…": the answer is whoever speaks in the sentence, not any name in it. */
  askedSpeaker: boolean;
}

// Roles as documents spell them.
const ROLE_WORDS: Record<string, string[]> = {
  pm: ['prime', 'minister', 'premier'],
  premier: ['premier', 'prime', 'minister'],
  spokesperson: ['spokesperson', 'spokesman', 'spokeswoman'],
  spokesman: ['spokesperson', 'spokesman', 'spokeswoman'],
  spokeswoman: ['spokesperson', 'spokesman', 'spokeswoman'],
};
const ROLE_NOUN = /^(?:pm|premier|president|minister|chancellor|king|queen|spokesperson|spokesman|spokeswoman|ambassador|envoy|ceo|chief|governor|mayor|secretary|professor|emperor|senator|general|counterpart|predecessor|successor|husband|wife|spouse|father|mother|dad|mom|son|daughter|brother|sister|analyst|editor|reporter|journalist|photographer|critic|commissioner|researcher|engineer|manager|chairman|chairwoman)$/;

const CUE_FRAME_REACTION = /^(?:feel|felt|think|thought|take|took|taken|react|reacted|respond|responded|receive|received|view|viewed|greet|greeted|land|landed|play|played|people|folks|public|everyone|everybody|reaction|response|reception)$/;
const TOPIC_NOUN = /^(?:areas?|sectors?|fields?|topics?|issues?|subjects?|matters?|domains?)$/;
const CUE_FRAME_ROLE = /^(?:part|parts|role)$/;
const CUE_FRAME_CONCERN = /^(?:people|folks|public|everyone|everybody)$/;

// "what is X", "what's a X", "what does X mean", "what is meant by X", "define X": X's definition answers.
const DEFINITION_FORM = /^(?:so\s+|and\s+|ok\s+)?(?:what\s+is\s+meant\s+by\s+([^,;]{2,60})|what(?:'s|\s+is|\s+are|\s+was|\s+were)\s+(?:a\s+|an\s+|the\s+)?(?!the\s+name\b)([^,;]{2,60}?)(?:\s+exactly|\s+actually|\s+anyway)?|what\s+(?:does|do|did)\s+(?:the\s+term\s+|the\s+word\s+)?([^,;]{2,60}?)\s+(?:actually\s+|really\s+)?mean|define\s+([^,;]{2,60})|what\s+(?:does|do|did)\s+(?:they|you|it|he|she|we|the\s+[a-z]+|that\s+[a-z]+|this\s+[a-z]+)\s+mean\s+by\s+([^,;]{2,60}))$/;
/** "who is marco arment", "who's samantha": a person named, to be described (not "who is the prime minister"). */
const WHO_IS_NAME = /^(?:so\s+|and\s+|ok\s+)?who(?:'s|\s+is|\s+was)\s+((?!the\b|a\b|an\b|this\b|that\b|he\b|she\b|it\b|they\b|in\b|on\b|behind\b)[a-z][a-z.'-]*(?:\s+[a-z][a-z.'-]*){0,2})$(?<!ing|ed|\s(?:with|to|for|about|from|by|at|on|in|meet|see|visit|call|blame|thank))/;
/** Words that make "who is X" ask for a person in a role ("who is the current pm", "who is their ceo"). */
const ROLE_OR_PERSON = /\b(?:pm|premier|president|minister|chancellor|king|queen|spokesperson|spokesman|spokeswoman|ambassador|envoy|ceo|cto|cfo|chief|head|leader|governor|mayor|secretary|director|founder|author|writer|editor|owner|boss|chair|chairman|chairwoman|manager|coach|captain|responsible|behind|in charge|running|leading)\b/;
/** Acts of making something, each with its forms: who did which of them is what a credit says. */
const CREATION_VERB: Readonly<Record<string, readonly string[]>> = {
  write: ['write', 'writes', 'wrote', 'written', 'writing', 'writer', 'screenplay', 'screenwriter'],
  direct: ['direct', 'directs', 'directed', 'directing', 'director'],
  produce: ['produce', 'produces', 'produced', 'producing', 'producer'],
  compose: ['compose', 'composes', 'composed', 'composer'],
  paint: ['paint', 'paints', 'painted', 'painter'],
  photograph: ['photograph', 'photographed', 'photographer'],
  design: ['design', 'designs', 'designed', 'designer'],
  invent: ['invent', 'invents', 'invented', 'inventor'],
  found: ['founded', 'founder', 'founders', 'cofounded', 'cofounder', 'co-founded', 'co-founder', 'co-founders'],
  own: ['own', 'owns', 'owned', 'owner', 'owners', 'ownership'],
  edit: ['edit', 'edits', 'edited', 'editor'],
  star: ['starring', 'starred', 'stars'],
  illustrate: ['illustrate', 'illustrated', 'illustrator'],
};
const CREATION_OF = new Map(Object.entries(CREATION_VERB).flatMap(([act, forms]) => forms.map((f) => [f, act] as const)));

/** The act of making a word names ("directed" → direct), or null. */
export function creationOf(word: string): string | null {
  return CREATION_OF.get(word) ?? null;
}

/** The currency a money figure or a question's word is in, by symbol or word ("$35", "euros"); null when none. */
export function currencyOf(text: string): string | null {
  const t = text.toLowerCase();
  if (/\$|\bdollars?\b|\busd\b/.test(t)) return 'dollar';
  if (/€|\beuros?\b|\beur\b/.test(t)) return 'euro';
  if (/£|\bpounds?\b|\bgbp\b/.test(t)) return 'pound';
  if (/¥|\byen\b|\bjpy\b|\byuan\b|\brmb\b/.test(t)) return /yuan|rmb/.test(t) ? 'yuan' : 'yen';
  if (/\bwon\b|₩/.test(t)) return 'won';
  return null;
}

/** A question about when a page itself came out: its noun and a verb of publishing, or "what date is X from". */
const PUBLICATION =
  /\b(?:article|post|blog\s+post|blog|piece|story|page|report|rant|essay|column|entry|write-?up|announcement|newsletter|op-?ed|review|interview)\b.*\b(?:published|posted|written|put\s+up|go(?:es)?\s+up|went\s+up|come\s+out|came\s+out|run|ran|dated|from)\b/;
/** "when did X first publish her rant", "when did they post the article": the verb before the page's noun. */
const PUBLICATION_VERB_FIRST =
  /\b(?:publish|published|post|posted|put\s+up|write|wrote)\s+(?:her|his|their|its|the|that|this|a)\s+(?:[a-z'-]+\s+){0,2}(?:article|post|blog\s+post|blog|piece|story|page|report|rant|essay|column|entry|write-?up|announcement|newsletter|op-?ed|review|interview)\b/;
const PUBLICATION_FRAME = /^(?:article|post|blog|piece|story|page|report|rant|essay|column|entry|write|writeup|announcement|newsletter|op|ed|review|interview|published|posted|written|put|go|goes|went|come|came|run|ran|dated|first|originally|online|up|out)$/;
/** "on that page, what is…": where the asker read it, before the question proper. */
const LEADING_SOURCE = /^(?:on|in|from|per|according\s+to)\s+(?:that|the|this|their|his|her)\s+[^,]{1,40},\s*/;
/** "X as opposed to Y", "X rather than Y": X is defined, Y only contrasts. */
const CONTRAST = /\s+(?:as\s+opposed\s+to|rather\s+than|versus|vs\.?|compared\s+(?:to|with)|instead\s+of)\s+.*$/;
// "how do I disable X", "how can you wire X into Y", "how to X": the steps, told as instructions.
const PROCEDURE_FORM = /^(?:so\s+|and\s+|ok\s+)?(?:how\s+(?:do|can|should|would|could|might|must)\s+(?:i|you|we|one|people|users)\b|how\s+to\b)/;
/** "which video meeting app did…": the words between "which" and the verb. */
const WHICH_DESCRIBED = /^(?:so\s+|and\s+|ok\s+)?which\s+((?:[a-z-]+\s+){1,3}?)(?:is|was|are|were|does|did|do|has|had|have|will|would|can|could|should)\b/;
/** "what [programming] language is…", "which processor does…": the noun right before the verb names the answer's class. */
const CLASS_QUESTION = /^(?:so\s+|and\s+|ok\s+)?(?:what|which)\s+(?:[a-z-]+\s+)?([a-z-]+)\s+(?:is|was|are|were|does|did|do|has|had|have|will|would|can|could|should)\b/;
/** Kinds of institution whose names or sentences say the kind (not "company", "group" or "country": those go unsaid). */
const INSTITUTION_KIND = /^(?:university|universities|college|colleges|school|schools|newspaper|newspapers|ministry|ministries|party|parties|bank|banks|firm|firms)$/;
/** Words that open a clause's subject: "when [i] open…", "when [the] folks surveyed…". */
const SCENE_SUBJECT = /^(?:i|you|we|they|he|she|it|people|the|my|your|our|their|his|her|its|a|an|this|that|these|those)$/;
/** "how high", "how heavy": the dimension a measure question asks for (its units are in typed-spans). */
const MEASURE_OF: Readonly<Record<string, string>> = { high: 'length', tall: 'length', deep: 'length', wide: 'length', heavy: 'weight', fast: 'speed' };
/** "when X happens, how high…": a scene-setting clause, its comma, then the question's own wh-word. */
const SCENE_THEN_WH = /\b(?:when|where)\s[^,?;]{3,100},\s*(?:so\s+|then\s+)?(?:how|what|which|who|whom|whose|why)\b/;
/** Nouns too general to be a class a sentence must name. */
const GENERIC_CLASS = new Set('thing things kind kinds type types sort sorts way ways part parts reason reasons time times year years day days point points stuff one ones else other others happened'.split(' '));

/** Where-questions about where a thing goes or is kept. */
const THING_PLACEMENT = /\bwhere\s+(?:(?:can|could|do|does|should|would|will|must)\s+(?:i|you|we|one|they|users?|people)\s+(?:now\s+)?(?:put|place|find|store|save|keep|hang|mount|attach|see|get\s+to|set|change|turn\s+off|turn\s+on|disable|enable)|(?:is|are|was|were)\s+.{1,40}?\s+(?:stored|saved|kept|placed|found|located\s+in\s+the\s+(?:app|menu|settings|file))|(?:can|could)\s+.{1,30}?\s+(?:now\s+)?be\s+(?:put|placed|found|stored|kept|mounted|attached))\b/;
const CONTAINMENT = /\b(?:which|what)\s+(?:city|country|state|region|province|town|county|continent|island|part\s+of\s+the\s+world)\s+(?:is|was|are|were)\s+(.{2,40}?)\s+(?:in|located\s+in|part\s+of|found\s+in)\s*$/;
/** The period or unit a figure is asked per: "a year", "per episode". */
const RATE = /\b(?:a|per|each|every)\s+(year|month|week|day|episode|hour|night|person|head|user|unit)\b/;
/** Earning over a period: "makes a year", "earns per month", "brings in each week". */
const EARNING = /\b(?:makes?|made|making|earns?|earned|earning|brings?\s+in|pulls?\s+in|rakes?\s+in|takes?\s+home)\b(?:\s+\w+){0,5}?\s+(?:a|per|each|every)\s+(?:year|month|week|day|episode|hour)\b/;
/** Participles that say where something happens or is made ("where is the movie set", "where is X based"). */
const PLACED_VERB = /^(?:set|shot|made|built|held|based|located|headquartered|filmed|born|buried|kept|found|hidden|sold|run|done)$/;
/** "where is camp david", "where exactly is the venue": where a named thing lies, which a place beside it says. */
const WHERE_IS = /^(?:so\s+|and\s+|ok\s+)?where(?:\s+(?:exactly|actually))?(?:'s|\s+is|\s+are|\s+was|\s+were)\s+(?:exactly\s+|actually\s+)?(?:the\s+)?([a-z][a-z0-9\s.'-]{1,40})$/;
/** "what does GDPR stand for", "what's LEAN short for (in the ads program)": an acronym's expansion, a definition. */
const ACRONYM_FORM = /^(?:so\s+|and\s+|ok\s+)?what(?:'s|\s+is|\s+does|\s+do|\s+did)\s+(?:the\s+)?([a-z0-9.&-]{2,20})\s+(?:short\s+for|stand\s+for|an?\s+(?:acronym|abbreviation)\s+for)\b/;
const DEFINITION_FRAME = /^(?:mean|means|meant|define|definition|exactly|actually|anyway)$/;
const ACRONYM_FRAME = /^(?:short|stand|stands|acronym|abbreviation|exactly|actually)$/;
// "what's X called", "what is the name for X", "what do you call X", "what is X known as": the name given to it.
const NAMING_FORM = /\b(?:called|named|known\s+as|referred\s+to\s+as|dubbed)\s*\??\s*$|\bwhat(?:'s|\s+is|\s+was)\s+the\s+(?:name|term|word)\s+for\b|\bwhat\s+(?:do|does|did)\s+(?:you|they|we|people|one)\s+call\b/;
const NAMING_FRAME = /^(?:called|named|known|referred|dubbed|name|term|word|call)$/;

const WH = ['who', 'whom', 'whose', 'where', 'when', 'why', 'which', 'what', 'how'];

// Nouns that, after "which/what", say what kind of thing the answer is.
const PERSON_NOUN =
  /^(?:person|people|man|woman|leader|leaders|president|presidents|pm|premier|minister|ministers|chancellor|king|queen|official|officials|spokesperson|spokesman|spokeswoman|diplomat|envoy|ambassador|general|politician|lawmaker|senator|ceo|chief|head|founder|player|coach|author|writer|journalist|reporter|analyst|expert|professor|scientist|actor|singer|ruler|emperor|counterpart|successor|predecessor|host|guest|guy|guys|dad|mom|mum|father|mother|son|daughter|wife|husband|brother|sister|girl|boy|kid|photographer|director|producer|screenwriter|novelist|poet|artist|cartoonist|comedian|musician|composer|designer|engineer|programmer|editor|critic|owner|manager|employee|teacher|student|doctor|lawyer|judge|officer|soldier|inventor|creator|maintainer|contributor|blogger|candidate)$/;
const PLACE_NOUN =
  /^(?:city|cities|town|village|country|countries|nation|nations|state|states|province|region|regions|place|places|location|venue|site|capital|island|port|coast|sea|ocean|continent|area|direction|part|district|base|airport|border|territory|hotel|stadium|arena|hall|building|theater|theatre|museum|restaurant|hospital|church|temple|palace|residence|campus)$/;
/** Places that are a building or grounds: the answer names one ("the Akasaka Palace"), not the city around it. */
const VENUE_NOUN = /^(?:venue|hotel|stadium|arena|hall|building|theater|theatre|museum|restaurant|hospital|church|temple|palace|residence|campus)$/;
const ORG_NOUN = /^(?:company|companies|firm|firms|organisation|organization|agency|group|party|bank|corporation|body|institution|university|universities|college|colleges|school|schools|newspaper|outlet|network|alliance|team|club|ministry|department|studio|studios|publisher|publishers|manufacturer|manufacturers|maker|makers|vendor|vendors|startup|startups|nonprofit|foundation|lab|labs)$/;
const TIME_UNIT = /^(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century)$/;
const MONEY_WORD = /^(?:dollars?|usd|yen|won|yuan|euros?|pounds?|money|cost|costs|price|worth|budget|spend|spent|pay|paid|funding|fund|investment|revenue|billions?|millions?|trillions?)$/;
const PERCENT_WORD = /^(?:percent|percentage|per|share|rate|proportion)$/;
const DISTANCE_UNIT = /^(?:km|kilometres?|kilometers?|miles?|metres?|meters?|feet|nautical)$/;
const SAY_VERB = /^(?:say|said|says|tell|told|describe|described|call|called|explain|explained|put|line|comment|respond|responded|react|reacted|think|thought|claim|claimed|warn|warned|insist|insisted|stress|stressed|argue|argued|view|views|position|stance|remark|remarks|admit|admitted|acknowledge|acknowledged|concede|conceded|deny|denied|mention|mentioned|confirm|confirmed|note|noted)$/;

const AUXILIARY = new Set(['did', 'does', 'do', 'is', 'are', 'was', 'were', 'will', 'would', 'can', 'could', 'has', 'have', 'had', 'should', 'shall', 'may', 'might', 'must']);
/** "what does the article say": the text itself speaks, not a person. */
/** "what does the article / the flag code / the spec say": a text speaks (it states; nobody is quoted). */
const TEXT_SPEAKER = /^(?:article|story|report|piece|text|page|author|writer|document|source|paper|it|code|law|laws|rule|rules|guide|guidelines|policy|study|survey|spec|specification|standard|docs|documentation|manual|book|faq|constitution|act|bill|treaty|agreement|contract|license|licence|readme|post|blog|site|website|paragraph|section|chapter|rfc|draft)$/;

/** Words that only build the question ("actually", "pls", "thing"), never evidence. */
const SCAFFOLD = new Set(
  ("anything something actually really exactly supposedly basically thing things stuff pls please like kind sort lot bunch guys anyone know wonder wondering tell happen happened happening get got getting go going went way " +
    'article story piece besides apart aside except else theyd youd hed shed wed id ive youve weve theyve dont didnt doesnt isnt wasnt arent werent cant wont whats whos wheres hows thats lets im youre theyre ' +
    // Chat spellings and openers ("any idea when…", "is it gonna…"): how people type, not what they ask about.
    'gonna wanna gotta kinda sorta lemme gimme plz thx idk tbh btw lol lmao haha omg ngl imo fyi hey hi hello yo hmm um idea ' +
    // "what did gruber himself say": an intensifier stresses who, it names nothing.
    'himself herself themselves itself myself yourself ourselves')
    .split(
    ' ',
  ),
);

/** "quick q —", "quick question:": an opener that announces a question and asks nothing. */
const QUICK_QUESTION = /^\s*quick\s+(?:q|qn|question)\b[\s,:;.!\u2014\u2013-]*/i;

/** Whether a word names a category of answer: a person, a place, an institution, a time. */
function isCategoryNoun(word: string): boolean {
  return PERSON_NOUN.test(word) || PLACE_NOUN.test(word) || ORG_NOUN.test(word) || TIME_UNIT.test(word) || /^(?:year|month|day|date|time)$/.test(word);
}

/** Analyses a question's form. */
export function analyzeQuestion(question: string): QuestionAnalysis {
  // "whats the rule of thumb…", "wheres the office": a wh-word typed without its apostrophe is still the wh-word.
  const typed = question.replace(/\b(what|where|who|how|when)s\b/gi, "$1's").replace(QUICK_QUESTION, '');
  const tokens = words(typed);
  const lower = typed.toLowerCase().replace(/[’‘]/g, "'");
  // The question without its closing mark, for the forms that must match it whole.
  const bare = lower.replace(/[?!.]+\s*$/, '').trim();
  // "when i open the file from disk, what do i need to do?", "when the folks surveyed papers, what percent…": a
  // "when"/"where"/"if" clause with its own subject sets the scene; the question is the wh-word after it.
  const firstWh = tokens.findIndex((t) => WH.includes(t));
  // (Or any clause closed by a comma the wh-word follows: "when road salt gets into the gear, how high…".)
  const sceneSetting = firstWh >= 0 && /^(?:when|where)$/.test(tokens[firstWh] ?? '') && (SCENE_SUBJECT.test(tokens[firstWh + 1] ?? '') || SCENE_THEN_WH.test(lower));
  const laterWh = sceneSetting ? tokens.findIndex((t, i) => i > firstWh + 2 && WH.includes(t) && !/^(?:when|where)$/.test(t)) : -1;
  const whIndex = laterWh >= 0 ? laterWh : firstWh;
  const wh = whIndex >= 0 ? (tokens[whIndex] ?? null) : null;
  const after = whIndex >= 0 ? tokens.slice(whIndex + 1) : tokens;
  const next = after[0] ?? '';

  let type: ExpectedType = 'description';
  let unit: string | null = null;
  let restriction: string[] = [];
  let granularity: DateGranularity = 'any';
  const typeWords = new Set<string>();

  const headNoun = (list: readonly string[]): string | undefined => {
    // "which japanese PM", "what calendar day": the first noun-like word that names a category, within 3 words,
    // before any auxiliary ("what did the three nations announce" names no category).
    // "what is the capital of…": a copula right after the wh-word does not end the noun phrase that follows it.
    const start = /^(?:is|was|are|were)$/.test(list[0] ?? '') ? 1 : 0;
    const rest = list.slice(start);
    const end = rest.findIndex((w) => AUXILIARY.has(w));
    const at = rest
      .slice(0, Math.min(4, end < 0 ? 4 : end))
      .findIndex((w) => !inCompound(w) && isCategoryNoun(w));
    if (at < 0) return undefined;
    // "what were people worried about": a bare noun right after the copula, followed by a participle, is the
    // subject of the clause, not the category of the answer ("what is the capital of…" keeps its head).
    // ("what were people in Japan worried about": a place phrase may come between.)
    if (start === 1 && !/^(?:the|a|an)$/.test(rest[0] ?? '')) {
      const participle = rest.findIndex((w, i) => i > at && /(?:ed|ing)$/.test(w) && /^(?:about|of|for|with|on|over|at|by)$/.test(rest[i + 1] ?? ''));
      if (participle > at && participle <= at + 4) return undefined;
      if (at <= 2 && /(?:ed|ing)$/.test(rest[at + 1] ?? '')) return undefined;
    }
    // "what's Japan's part in the program": a share in an effort, not a part of the world.
    // Its owner ("the agency's part") is no category either.
    if (roleForm && rest.slice(0, 4).some((w) => /^(?:part|parts|role)$/.test(w))) return undefined;
    // "which analyst firm", "which student papers is X teaming up with": a category word right before another
    // noun modifies it; the answer is of that noun's kind (a firm, a paper — not a person).
    const following = rest[at + 1];
    if (following !== undefined && isCategoryNoun(following) && !inCompound(following)) return following;
    if (following !== undefined && !AUXILIARY.has(following) && AUXILIARY.has(rest[at + 2] ?? '')) return undefined;
    return rest[at];
  };

  // "the place-and-route tool": a word inside a hyphenated compound modifies the noun, it names no category.
  const inCompound = (w: string) => new RegExp(`\\b${w}-[a-z]|[a-z]-${w}\\b`).test(lower);
  const procedureForm = PROCEDURE_FORM.test(lower);
  let topics = false;
  let venue = false;
  const roleForm = /(?:'s|s')\s+(?:part|role)\b|\b(?:part|role)\s+in\b/.test(lower);
  const dateRequest = /\b(?:what|which)\s+(?:exact\s+|calendar\s+|specific\s+)*(year|month|day|date|time)\b|\bsince\s+(?:what|which)\s+year\b|\bmonth\s*(?:and|\+|&)\s*year\b|\bcalendar\s+(?:day|date)\b|\bexact\s+date\b|\bwhat(?:'s|\s+is|\s+was|\s+will\s+be)\s+the\s+(?:exact\s+|actual\s+)?(?:date|day)\b/.exec(lower);
  if (wh === 'why' || /\b(?:what|which)\s+(?:caused|causes|led to|prompted|triggered|drove|motivated|pushed|spurred|sparked)\b|\bwhat(?:'s|\s+is|\s+was|\s+were)\s+(?:behind|the\s+reason)\b|\bhow come\b|\bfor what reason\b|\bwhat(?:'s| is| was| are)(?:\s+\w+){1,3}\s+(?:trying|hoping|aiming|looking|seeking)\s+to\b|\bwhat\s+for\b|\bwhat\s+(?:keeps|kept|is)\s+\w+ing\b|\bwhat\s+(?:made|makes|make)\s+(?!it\b)\w+/.test(lower)) {
    type = 'reason';
    // "what's behind X", "what was the reason for X": frame words, not the event.
    for (const w of ['reason', 'behind']) typeWords.add(w);
    if (/\bhow come\b/.test(lower)) typeWords.add('come');
  } else if (dateRequest || wh === 'when' || /\bhow long ago\b/.test(lower)) {
    type = 'date';
    const month = /\bmonth\b/.test(lower);
    const day = /\b(?:day|date)\b/.test(lower) && !/\bdays\b/.test(lower);
    // "what time of day", "what time did X leave": a clock time or a part of the day, finer than a date.
    const clock = /\bwhat\s+time\b(?!\s+(?:frame|period|of\s+(?:year|month)))|\btime\s+of\s+day\b|\bwhat\s+hour\b/.test(lower);
    granularity = clock ? 'time' : day ? 'day' : month ? 'month' : /\byear\b/.test(lower) ? 'year' : 'any';
    for (const w of ['year', 'month', 'day', 'date', 'calendar', 'exact', 'time']) typeWords.add(w);
  } else if (wh === 'how' && /^(?:long|far|many|much|often|old|big|large|high|tall|deep|wide|heavy|fast)$/.test(next)) {
    const quantityNoun = after.slice(1, 5);
    if (next === 'long') {
      type = 'duration';
      unit = 'time';
    } else if (next === 'far') {
      type = 'quantity';
      unit = 'distance';
    } else if (MEASURE_OF[next]) {
      // "how high / tall / heavy": a measure in a unit of its dimension ("five stories", "300 pounds").
      type = 'quantity';
      unit = MEASURE_OF[next] ?? null;
    } else if (next === 'old') {
      type = 'quantity';
      unit = 'age';
    } else if (
      quantityNoun.some((w) => MONEY_WORD.test(w)) ||
      (next === 'much' && /\b(?:cost|pay|spend|worth|invest|money|price|fund|charge|fee)/.test(lower)) ||
      // "how much is the pro plan", "how much a night is the motel", "how much for a ticket": a price. A noun right
      // after "much" ("how much ram", "how much of the code") is a measure of that thing instead.
      (next === 'much' && /^(?:is|are|was|were|a|an|per|for|does|do|did|will|would)$/.test(after[1] ?? '') && !/\bhow much (?:is|are|was|were) (?:there|left)\b/.test(lower))
    ) {
      type = 'money';
      unit = 'currency';
    } else if (quantityNoun.some((w) => PERCENT_WORD.test(w))) {
      type = 'percent';
      unit = 'percent';
    } else {
      // "how much downtime a year": "a year" is the rate's period, not the unit asked.
      const timeUnit = quantityNoun.find((w, i) => TIME_UNIT.test(w) && !/^(?:a|an|per|each|every)$/.test(quantityNoun[i - 1] ?? ''));
      const perPeriod = !timeUnit && quantityNoun.some((w, i) => TIME_UNIT.test(w) && /^(?:a|an|per|each|every)$/.test(quantityNoun[i - 1] ?? ''));
      const distance = quantityNoun.find((w) => DISTANCE_UNIT.test(w));
      if (timeUnit) {
        type = 'duration';
        unit = timeUnit.replace(/s$/, '').replace(/ie$/, 'y');
      } else if (distance) {
        type = 'quantity';
        unit = 'distance';
      } else if (perPeriod && next === 'much' && /^(?:downtime|uptime|time|sleep|delay|latency|outage|outages)$/.test(after[1] ?? '')) {
        // "how much downtime a year": a length of time, in whatever unit.
        type = 'duration';
        unit = 'time';
      } else if (next === 'much' && after[1] === 'of') {
        // "how much of the summit is one-on-one": a share of a whole.
        type = 'quantity';
        unit = 'proportion';
      } else {
        type = next === 'much' ? 'quantity' : 'count';
        // The counted noun is the last word before the verb: "how many of the visiting [leaders] is…".
        const verbAt = after.findIndex((w, i) => i > 0 && AUXILIARY.has(w));
        const counted = after.slice(1, verbAt < 0 ? 4 : verbAt).filter((w, i, all) => !['of', 'the', 'a', 'an', 'those', 'these', 'their', 'its'].includes(w) && !(perPeriod && TIME_UNIT.test(w) && /^(?:a|an|per|each|every)$/.test(all[i - 1] ?? '')));
        // …and comes before what qualifies it: "how many of the [people] in the survey were…".
        const qualifier = counted.findIndex((w, i) => i > 0 && /^(?:in|at|on|from|for|with|by|under|inside|during|across)$/.test(w));
        if (qualifier > 0) counted.length = qualifier;
        // Without an auxiliary the verb follows the noun ("how many new interfaces come with…"): the plural is it.
        const plural = verbAt < 0 ? [...counted].reverse().find((w) => /[^s]s$/.test(w)) : undefined;
        unit = plural ?? counted[counted.length - 1] ?? null;
        // "how many of the people in the survey were from europe": a part of a group, picked by what follows the verb.
        if (after[1] === 'of' && verbAt > 0) restriction = contentTerms(after.slice(verbAt + 1).join(' '));
      }
    }
    for (const w of [next, ...quantityNoun.filter((w) => MONEY_WORD.test(w) || TIME_UNIT.test(w) || DISTANCE_UNIT.test(w) || PERCENT_WORD.test(w))]) typeWords.add(w);
  } else if (isStatementForm(lower, tokens, whIndex) && !TEXT_SPEAKER.test(speakerOf(tokens, whIndex).slice(-1)[0] ?? '')) {
    type = 'statement';
  } else if (procedureForm) {
    type = 'description';
  } else if (WHO_IS_NAME.test(bare) && !ROLE_OR_PERSON.test(lower)) {
    // "who is marco arment?": a description of the person named, not another person's name.
    type = 'description';
  } else if (wh === 'who' || wh === 'whom' || wh === 'whose') {
    type = 'person';
  } else if (wh === 'where') {
    type = 'place';
  } else if (/\bwhat\s+percent|\bwhat\s+percentage\b|\bwhat\s+share\b/.test(lower)) {
    type = 'percent';
    unit = 'percent';
    // The unit says what kind of answer, not what about ("what percent of the summit…" is about the summit).
    for (const w of ['percent', 'percentage', 'share']) typeWords.add(w);
  } else if (/\bwhat(?:'s| is| was)?\s+the\s+name\b|\bname\s+of\s+the\b/.test(lower)) {
    const noun = after.find((w) => PERSON_NOUN.test(w) || PLACE_NOUN.test(w) || ORG_NOUN.test(w));
    type = noun && PLACE_NOUN.test(noun) ? 'place' : noun && ORG_NOUN.test(noun) ? 'organisation' : noun ? 'person' : 'thing';
    typeWords.add('name');
  } else if (wh === 'what' && /^(?:so\s+|and\s+|ok\s+)?what(?:'s|\s+is|\s+are)\s+(?:a|an)\s+[^?]+\??\s*$/.test(lower) && !/\b(?:of|for|in|on|called|named)\b/.test(lower)) {
    // "what is a lattice group", "what's an ETag": a definition, whatever the noun ("group" is no organisation here).
    type = 'description';
  } else if (wh === 'which' || wh === 'what') {
    const noun = headNoun(after);
    // "what is the price of X", "what's the cost": a figure of money.
    // "what was mozilla's total revenue": an owner's name and a qualifier may stand before the noun.
    const moneyNoun = after.slice(0, 5).find((w) => /^(?:price|prices|cost|costs|fee|fees|salary|salaries|revenue|revenues|budget|valuation)$/.test(w));
    const beforeMoney = moneyNoun ? after.slice(0, after.indexOf(moneyNoun)) : [];
    const ownerAt = beforeMoney.findIndex((w) => lower.includes(`${w}'s `));
    // ("…cost structure": the money word qualifies another noun.)
    const afterMoney = moneyNoun ? after[after.indexOf(moneyNoun) + 1] : undefined;
    const moneyEnds = afterMoney === undefined || /^(?:for|of|in|on|at|per|to|from|last|this|that|was|is|are|were|will|did|does|do|when|after|before|since|by|with|now|today|back|then)$/.test(afterMoney);
    // "what did she estimate he makes a year", "what does X earn per month": an income.
    const income = EARNING.test(lower);
    // (The owner may take several words: "david emery's salary".)
    if (income || (moneyNoun && moneyEnds && beforeMoney.every((w, i) => /^(?:is|was|are|were|the|a|an|its|their|his|her|total|annual|yearly|net|gross|average|monthly|retail|starting|current)$/.test(w) || (ownerAt >= 0 && i <= ownerAt)))) {
      type = 'money';
      unit = 'currency';
      if (moneyNoun) typeWords.add(moneyNoun);
    } else if (noun && PERSON_NOUN.test(noun)) type = 'person';
    else if (noun && /^(?:country|countries|nation|nations)$/.test(noun)) type = 'organisation';
    else if (noun && PLACE_NOUN.test(noun)) {
      type = 'place';
      venue = VENUE_NOUN.test(noun);
    } else if (noun && ORG_NOUN.test(noun)) type = 'organisation';
    else if (/\b(?:what|which)\s+(?:else|other)\b|\bwhat\s+(?:are|were)\s+the\b/.test(lower)) type = 'list';
    else if (/^(?:population|number|amount|size|level|total|figure)$/.test(after.find((w) => !['is', 'was', 'the', 'are', 'were'].includes(w)) ?? '')) {
      type = 'quantity';
      // "what is the population of X": a number of people, not any figure on the page.
      if (after.find((w) => !['is', 'was', 'the', 'are', 'were'].includes(w)) === 'population') unit = 'people';
    } else if (wh === 'which') type = /s$/.test(after[0] ?? '') && !/ss$/.test(after[0] ?? '') ? 'list' : 'thing';
    else type = 'description';
    if (noun && type !== 'description') typeWords.add(noun);
    // "which areas / sectors do they want to cooperate in": fields of activity, listed in lower case, not places.
    const topicNoun = after.slice(0, 3).find((w) => TOPIC_NOUN.test(w));
    if (topicNoun && !/\b(?:of|in)\s+the\s+(?:world|country|city|region)\b/.test(lower)) {
      type = 'description';
      topics = true;
      typeWords.add(topicNoun);
    }
    // "what part of the world", "which area of the country": the frame, not the focus.
    if (noun && /^(?:part|area|region)$/.test(noun)) for (const w of ['world', 'country']) typeWords.add(w);
  }

  // (Not a possessor: "the photographer's husband" asks no act of photographing.)
  const creationWord = tokens.find((w) => creationOf(w) !== null && !lower.includes(`${w}'s`));
  const creation = creationWord ? creationOf(creationWord) : null;
  const publication = type === 'date' && (PUBLICATION.test(lower) || PUBLICATION_VERB_FIRST.test(lower));
  // The frame ("the … article", "published") says what is asked of the page, not which page.
  if (publication) for (const w of tokens) if (PUBLICATION_FRAME.test(w)) typeWords.add(w);

  const given = new Set<string>();
  for (const name of capitalisedWords(question)) given.add(name);
  const questionWords = new Set(tokens);
  for (const t of tokens) if (!WH.includes(t)) given.add(t);

  const speaker = type === 'statement' ? speakerOf(tokens, whIndex) : [];
  const years = [...question.matchAll(/\b(1[89]\d{2}|20\d{2})\b/g)].map((m) => m[1] ?? '');

  // "besides the missile shield fight and the food spat, what else…": what the asker already knows is no short answer,
  // and a sentence that only repeats it ranks lower (it still counts as focus: the new items often share its sentence).
  const besides = /^(.*?)\b(?:besides|apart from|other than|aside from|except for|beyond)\b(.+?),\s*(?:what|which|who|where)\s+(?:else|other)\b/.exec(lower);
  // "…what were people worried about besides the aggression?": the same exclusion, given after the question.
  const trailingBesides = besides ? null : /\b(?:besides|apart from|other than|aside from|except for)\s+([^,?.!]+)[?.!]*\s*$/.exec(lower);
  const excluded = new Set(besides ? words(besides[2] ?? '') : trailingBesides ? words(trailingBesides[1] ?? '') : []);
  for (const w of excluded) given.add(w);
  const excludedTerms = [...excluded].filter((w) => !STOP.has(w)).map((w) => termOf(w));

  const procedure = type === 'description' && procedureForm;
  const acronymMatch = type === 'description' ? ACRONYM_FORM.exec(bare) : null;
  const definedMatch = type === 'description' ? (acronymMatch ?? DEFINITION_FORM.exec(bare.replace(LEADING_SOURCE, '')) ?? WHO_IS_NAME.exec(bare)) : null;
  const definedPhrase = (definedMatch?.[1] ?? definedMatch?.[2] ?? definedMatch?.[3] ?? definedMatch?.[4] ?? definedMatch?.[5] ?? '').replace(CONTRAST, '');
  const defined = words(definedPhrase).filter((w) => !STOP.has(w) && !SCAFFOLD.has(w));
  const naming = (type === 'description' || type === 'thing') && NAMING_FORM.test(lower);
  // A name given to something may be any term ("the Toeplitz decomposition", "gp4par"), not only a capitalised one.
  if (naming) type = 'description';
  // "what's the name of the dad in the photo": only a name answers; a sentence about the dad without one does not.
  const wantsName = type === 'thing' && /\bname\b/.test(lower);
  // ("the one new achievement minecraft 1.8 added": a clause without "that" may follow the kind.)
  const kindPhrase = wantsName ? /\bname\s+of\s+(?:the\s+|a\s+|an\s+|this\s+|that\s+|their\s+|its\s+|[a-z0-9-]+'s\s+)?((?:[a-z-]+\s+){0,3}?[a-z-]+?)(?=\s+(?:in|on|at|from|that|which|who|used|for|behind|of|they|it|he|she|we|you|is|was)\b|\s*\?|\s*$|\s+[a-z0-9.]+(?:\s+[0-9.]+)?\s+(?:[a-z]+ed|made|built|wrote|did|does|has|had)\b)/.exec(lower)?.[1] : undefined;
  const namedKindWord = kindPhrase ? kindPhrase.split(/\s+/).pop() : undefined;
  const namedKind = namedKindWord && !STOP.has(namedKindWord) && !GENERIC_CLASS.has(namedKindWord) ? termOf(namedKindWord) : null;
  // "monitoring" of "the name of google's internal monitoring system": which such thing is meant.
  const qualifierWord = namedKind ? kindPhrase?.split(/\s+/).slice(-2, -1)[0] : undefined;
  const namedKindQualifier = qualifierWord && !STOP.has(qualifierWord) && !SCAFFOLD.has(qualifierWord) ? termOf(qualifierWord) : null;
  const wantsVersion = (type === 'thing' || type === 'description') && /\b(?:which|what)\s+(?:[\w.-]+\s+){0,2}(?:version|release|build)s?\b/.test(lower);
  if (wantsVersion) type = 'thing';
  // Named kinds of description first (a reaction, a part in an effort, fields, worries); a definition only when the
  // question is nothing more specific than "what is X".
  const describedKind: QuestionAnalysis['answerCue'] =
    type !== 'description'
      ? null
      : /\bhow\s+(?:did|do|does|was|were|is|are|has|have)\b.{0,60}?\b(?:take|took|taken|react|reacted|respond|responded|receive|received|view|viewed|greet|greeted|go down|went down|land|landed|play|played|feel|felt|think of|thought of)\b/.test(lower) ||
          /\bwhat\s+(?:was|were|is|are)\s+(?:the\s+)?(?:reaction|response|reception)s?\b/.test(lower)
        ? 'reaction'
        : roleForm
          ? 'role'
          : topics
            ? 'topics'
            : /\b(?:worried|worry|worries|concerned|concern|concerns|afraid|fear|fears|feared|scared|anxious|nervous|alarmed)\b/.test(lower)
              ? 'concern'
              : null;
  const answerCue: QuestionAnalysis['answerCue'] = naming
    ? 'naming'
    : procedure
      ? 'procedure'
      : (describedKind ?? (defined.length > 0 && defined.length <= 5 ? 'definition' : null));
  // The cue's own words and a generic audience ("how did people take it") say what kind of answer, not what about.
  const cueWords = answerCue === 'definition' ? (acronymMatch ? ACRONYM_FRAME : DEFINITION_FRAME) : answerCue === 'naming' ? NAMING_FRAME : answerCue === 'reaction' ? CUE_FRAME_REACTION : answerCue === 'role' ? CUE_FRAME_ROLE : answerCue === 'concern' ? CUE_FRAME_CONCERN : null;
  const focus: QuestionWord[] = [];
  const seen = new Set<string>();
  for (const word of eventTokens(tokens, wh, type === 'place' || type === 'date')) {
    if (typeWords.has(word) || SCAFFOLD.has(word) || WH.includes(word)) continue;
    const [term] = contentTerms(word);
    if (!term || seen.has(term)) continue;
    if (type === 'statement' && SAY_VERB.test(word)) continue;
    if (cueWords?.test(word)) continue;
    seen.add(term);
    focus.push({ word, term });
  }
  void questionWords;
  const wantsWeekday = type === 'date' && /\bday\s+of\s+the\s+week\b|\bweekday\b/.test(lower);
  const datePart = type === 'date' && /\b(?:done|finish|finished|end|ends|ended|wrap|wraps|over|leave|leaves|left|conclude|concludes|last day)\b/.test(lower) ? 'end' : 'start';
  // ("the photographer's husband": the owner's role word is not the one asked.)
  const roleNoun = type === 'person' ? tokens.find((w) => ROLE_NOUN.test(w) && !lower.includes(`${w}'s `)) : undefined;
  const role = roleNoun ? (ROLE_WORDS[roleNoun] ?? [roleNoun]) : [];
  // "the prime minister of Australia", "the spokesperson for the ministry": the owner must be named with the answer.
  const ownerMatch = roleNoun ? new RegExp(`\\b${roleNoun}\\s+(?:of|for)\\s+(?:the\\s+)?([a-z][a-z'-]*(?:\\s+[a-z][a-z'-]*)?)`).exec(tokens.join(' ')) : null;
  // "korea's president", "japan's current prime minister": the owner before the role.
  const possessiveOwner = roleNoun && !ownerMatch ? new RegExp(`\\b([a-z][a-z-]*)'s\\s+(?:(?:new|current|former|then|last|next)\\s+)?(?:prime\\s+|vice\\s+|foreign\\s+|defen[cs]e\\s+)?${roleNoun}\\b`).exec(lower) : null;
  const roleOwner = ownerMatch ? words(ownerMatch[1] ?? '').filter((w) => !STOP.has(w) && !SCAFFOLD.has(w)) : possessiveOwner ? words(possessiveOwner[1] ?? '') : [];
  const sayWord = type === 'statement' ? tokens.slice(Math.max(0, whIndex) + 1).find((w) => SAY_VERB.test(w)) : undefined;
  const sayVerb = sayWord ? termOf(sayWord) : null;
  const purpose = type === 'reason' && wh !== 'why' && /\b(?:trying|hoping|aiming|looking|seeking)\s+to\b|\bwhat\s+for\b/.test(lower);
  const sequel = (wh === 'where' || wh === 'what' || wh === 'who') && /\b(?:after|following)\s+(?:his|her|their|its|the|that|this)\b|\bwhat(?:'s|\s+is|\s+comes)\s+next\b|\b(?:go|head|going|heading)\s+next\b/.test(lower);
  const askedSpeaker = type === 'person' && /\bwho\s+(?:said|says|told|tells|remarked|stated|warned|claimed|noted|stressed|insisted|declared|called|described|made\s+(?:the|that|this|a)\s+(?:remark|comment|statement|point|claim)|came\s+up\s+with)\b/.test(lower);
  const containment = CONTAINMENT.exec(bare) ?? WHERE_IS.exec(bare);
  const containedWords = containment ? words(containment[1] ?? '').filter((w) => !STOP.has(w)) : [];
  // ("where is lee going": a verb in the phrase asks where something happens, not where a thing lies.)
  const contained = type === 'place' && containedWords.length > 0 && containedWords.length <= 4 && !containedWords.some((w) => /(?:ing|ed)$/.test(w) || PLACED_VERB.test(w)) ? containedWords : [];
  const locatesThing = type === 'place' && contained.length === 0 && THING_PLACEMENT.test(lower);
  // ("in the open journalism story, what editor role did…": past where the asker read it.)
  const classMatch = type === 'description' && answerCue === null ? CLASS_QUESTION.exec(lower.replace(LEADING_SOURCE, '')) : null;
  const classWord = classMatch?.[1] ?? null;
  const answerClass = classWord && !GENERIC_CLASS.has(classWord) && focus.some((f) => f.word === classWord) ? (contentTerms(classWord)[0] ?? null) : null;
  const describedAnswer = type === 'thing' ? contentTerms(WHICH_DESCRIBED.exec(bare)?.[1] ?? '') : [];
  const kindWord = type === 'organisation' ? after.find((w) => INSTITUTION_KIND.test(w)) : undefined;
  const institutionKind = kindWord ? termOf(kindWord.replace(/ies$/, 'y')) : null;
  // "born" as the verb ("when was X born", "born in"), not a name in a list ("heisenberg, born and jordan").
  const lifeEvent =
    type !== 'date' && type !== 'place' ? null : /\b(?:birth|birthday)\b|\b(?:was|were|is|are|get|got)\b[^,?]*\bborn\s*(?:\?|$|in\b|on\b)/.test(lower) ? 'birth' : /\b(?:die|died|dies|death|pass(?:ed)?\s+away)\s*(?:\?|$|in\b|on\b|at\b)|\bdeath\b/.test(lower) ? 'death' : null;
  const currencyWord = type === 'money' ? /\b(?:in|into)\s+(?:(?:us|u\.s\.|american|british|uk|sterling|japanese|chinese|korean|european)\s+)?(dollars?|usd|euros?|eur|pounds?|gbp|yen|jpy|yuan|rmb|won)\b/.exec(lower)?.[1] : undefined;
  const currency = currencyWord ? currencyOf(currencyWord) : null;
  const rate = type === 'money' ? (RATE.exec(lower)?.[1] ?? null) : null;
  return { text: question, wh, type, unit, restriction, sayVerb, locatesThing, venue, answerClass, describedAnswer, institutionKind, lifeEvent, currency, rate, publication, creation, answerCue, wantsName, namedKind, namedKindQualifier, wantsVersion, contained, defined: answerCue === 'definition' ? defined : [], sequel, askedSpeaker, excluded: excludedTerms, purpose, granularity, wantsWeekday, datePart, focus, given, speaker, years, names: new Set(capitalisedWords(question)), role, roleOwner, contextTerms: contextTermsOf(question), sourceTerms: sourceTermsOf(question), nameRuns: capitalisedNameRuns(question) };
}

// Light-verb and phrasal paraphrases of one event verb, as people type them: "sit down with", "hold talks", "get
// together" all say "meet"; "kick off" says "start"; "wrap up" says "end". Documents mostly use the plain verb.
const PHRASAL: Array<[RegExp, string]> = [
  [/\b(?:sit|sat|sits|sitting) down(?: together| with| for)?\b/g, 'meet'],
  [/\b(?:get|got|gets|getting) together\b/g, 'meet'],
  [/\b(?:hold|held|holds|holding|have|had|has) (?:talks|a meeting|meetings|a summit|a sit ?down)\b/g, 'meet'],
  [/\b(?:see|saw|seen|sees|seeing) each other\b/g, 'meet'],
  [/\b(?:catch|caught) up\b/g, 'meet'],
  [/\b(?:kick|kicks|kicked|kicking) off\b/g, 'start'],
  [/\b(?:take|takes|took|taken|taking) out\b/g, 'remove'],
  [/\b(?:show|shows|showed|shown|showing) up\b/g, 'appear'],
  [/\b(?:take|takes|took|taken|taking) place\b/g, 'happen'],
  // "how did lee end up becoming president": what happened is the verb after it; "where did the missile end up": landed.
  [/\b(?:end|ends|ended|ending) up (?=[a-z]+ing\b)/g, ''],
  [/\b(?:end|ends|ended|ending) up\b(?=\s*$|\s+(?:in|at|on|near|off)\b)/g, 'land'],
  [/\b(?:get|got|gets|getting|gotten) rid of\b/g, 'remove'],
  [/\b(?:stay|stays|stayed|staying|keep|keeps|kept|keeping|steer|steers|steered|steering) (?:away from|clear of)\b/g, 'avoid'],
  [/\b(?:switch|switches|switched|switching|turn|turns|turned|turning|shut|shuts|shutting) off\b/g, 'disable'],
  [/\b(?:switch|switches|switched|switching|turn|turns|turned|turning) on\b/g, 'enable'],
  [/\b(?:roll|rolls|rolled|rolling) out\b/g, 'release'],
  [/\b(?:come|comes|came|coming) out\b/g, 'release'],
  [/\b(?:set|sets|setting) up\b/g, 'configure'],
  [/\b(?:wrap|wraps|wrapped|wrapping) up\b/g, 'end'],
  [/\b(?:go|goes|went|going|gone) (?:over|through)\b/g, 'discuss'],
  [/\b(?:talk|talks|talked|talking) (?:about|over)\b/g, 'discuss'],
  // "when he sees Trump": seeing a person is meeting them.
  [/\b(?:see|sees|seeing) (?=[a-z])/g, 'meet '],
  // "who is X going to China to see?": the person visited is the one met.
  [/\b(?:to see|to visit|to meet with)(?=\s*$)/g, 'to meet'],
  [/\b(?:patch|patches|patched|patching) (?:things |it |relations |ties )?up\b/g, 'mend'],
  [/\b(?:beef|beefs|beefed|beefing|ramp|ramps|ramped|ramping|step|steps|stepped|stepping|shore|shoring) up\b/g, 'strengthen'],
  // Idioms that carry no evidence.
  [/\b(?:give|tell|show|send) (?:me|us)\b/g, ''],
  [/\bwhat (?:is |was )?the (?:deal|story|situation) with\b/g, 'what'],
  [/\bin the first place\b/g, ''],
  // A purpose question's frame ("what is X trying to get done", "hoping to achieve"): the answer's "to …" says it.
  [/\b(?:trying|hoping|aiming|looking|seeking|wanting|want|wants|trying) to (?:get done|achieve|accomplish|do|get out of|get)\b/g, ''],
  [/\b(?:trying|hoping|aiming|seeking|looking|planning|wanting) to\b/g, ''],
];

/** Kinds of text a question may point at to say where its answer is. */
const SOURCE_NOUN = String.raw`(?:article|post|blog\s+post|blog|piece|docs|doc|documentation|chapter|page|story|report|survey|rant|list|review|changelog|guide|draft|spec|specification|paper|book|thread|comments|comment|write-?up|tutorial|announcement|faq|essay|interview|coverage|walkthrough|wiki|entry|column|newsletter|release\s+notes)`;
/** "in that content depth article", "per the mozilla hacks post", "according to gitlab's survey". */
const SOURCE_LOCATOR = new RegExp(
  String.raw`\b(?:in|on|from|per|according\s+to|going\s+by|based\s+on)\s+(?:the|that|this|those|these|their|his|her|its|([\p{L}\p{N}-]+)['’]s)\s+((?:[\p{L}\p{N}.'’#:-]+\s+){0,5}?${SOURCE_NOUN})\b`,
  'giu',
);

/**
 * "minecraft 1.8 changelog — what is game mode 3?", "evolve code review walkthrough: who…": a page named before the
 * question. (Its empty first group stands where SOURCE_LOCATOR's holds the owner: "gitlab" of "gitlab's survey".)
 */
const LEADING_POINTER = new RegExp(String.raw`^\s*()((?:[\p{L}\p{N}.'’#-]+\s+){0,5}?${SOURCE_NOUN})\s*(?:—|–|-|:)\s+`, 'iu');

function sourceTermsOf(question: string): string[] {
  const lower = question.toLowerCase();
  const leading = LEADING_POINTER.exec(lower);
  const phrases = [...(leading ? [leading] : []), ...lower.matchAll(SOURCE_LOCATOR)];
  if (phrases.length === 0) return [];
  // A word the question also uses outside the pointer is asked about, not only a pointer.
  const asked = new Set(contentTerms(phrases.reduce((rest, m) => rest.replace(m[0], ' '), lower)));
  // The owner of the pointed-at text ("on vox's list", "per gitlab's survey") says which page is meant too.
  return [...new Set(phrases.flatMap((m) => contentTerms(`${m[1] ?? ''} ${m[2] ?? ''}`)))].filter((t) => !asked.has(t) && !/\d/.test(t));
}

function contextTermsOf(question: string): string[] {
  const parenthesis = /\(([^()]*)\)\s*\??\s*$/.exec(question);
  if (!parenthesis) return [];
  const asked = new Set(contentTerms(question.slice(0, parenthesis.index)));
  return contentTerms(parenthesis[1] ?? '').filter((t) => !asked.has(t));
}

/** Verbs of going somewhere: in a "where" question they all ask where the trip leads ("where will X go / head next"). */
const MOTION = /^(?:go|goes|going|went|gone|head|heads|heading|headed|fly|flies|flying|flew|flown|travel|travels|travelled|traveled|travelling|traveling|move|moves|moving|moved)$/;

/** The question's words with phrasal paraphrases replaced by the event verb they stand for. */
function eventTokens(tokens: readonly string[], wh: string | null, motionIsTravel: boolean): string[] {
  let text = ` ${tokens.join(' ')} `;
  for (const [pattern, verb] of PHRASAL) text = text.replace(pattern, verb);
  // "who was president right before X": the one who held the role before X is X's predecessor.
  // Only where the question is about holding a role: "who suggested asking … before you buy it" asks no predecessor.
  const aboutARole = tokens.some((w) => ROLE_NOUN.test(w) || /^(?:ran|run|runs|led|lead|leads|ruled|rule|governed|headed|held|served)$/.test(w)) || /\b(?:right|just|immediately) before\b/.test(text);
  if (wh === 'who' && aboutARole) text = text.replace(/\b(?:right |just |immediately )?before (?=[a-z])/g, 'predecessor ');
  const out = text.trim().split(/\s+/).filter((w) => w.length > 0);
  // "where / when is X heading", "what day did X fly to Y": going somewhere, in whatever verb, is travelling.
  return wh === 'where' || motionIsTravel ? out.map((w) => (MOTION.test(w) ? 'travel' : w)) : out;
}

/** "what did X say / tell / describe…", "how did X describe / explain…", "what was X's line / view on…". */
function isStatementForm(lower: string, tokens: readonly string[], whIndex: number): boolean {
  if (/\bwhat\s+(?:did|does|do|has|have|had|would)\s+.{1,60}?\b(?:say|tell|think|claim|warn|respond|argue|stress|insist)\b/.test(lower)) return true;
  if (/\bhow\s+(?:did|does|do|has|have|had)\s+.{1,60}?\b(?:describe|explain|call|characteri[sz]e|put it|justify|frame)\b/.test(lower)) return true;
  // "did X admit / say / deny that…": answered by X's statement on it.
  if (/^(?:so\s+|and\s+|but\s+)?(?:did|does|has|have|had)\s+.{1,40}?\b(?:admit|admits|admitted|say|said|acknowledge|acknowledged|concede|conceded|deny|denied|mention|mentioned|confirm|confirmed|claim|claimed|warn|warned|tell|told|note|noted)\b/.test(lower)) return true;
  if (/\bwhat(?:'s|\s+(?:was|is|were|are))\s+.{1,40}?'s?\s+(?:line|view|take|stance|position|response|reaction|message|argument|comment|remark)s?\b/.test(lower)) return true;
  void tokens;
  void whIndex;
  return false;
}

/** The words between the auxiliary and the saying verb: "what did [kim yo jong] say…". */
function speakerOf(tokens: readonly string[], whIndex: number): string[] {
  // After the auxiliary ("what did X say") or the copula's clitic ("what's X's take"), which words() may keep apart.
  let start = whIndex + 1;
  while (start < tokens.length && (AUXILIARY.has(tokens[start] ?? '') || tokens[start] === 's')) start++;
  const out: string[] = [];
  for (let i = Math.max(0, start); i < tokens.length; i++) {
    const word = tokens[i] ?? '';
    if (SAY_VERB.test(word) || word === 'take' || word === 'on' || word === 'about') break;
    // "the photographer of the flag picture": the speaker is the photographer.
    if (word === 'of' && out.length > 0) break;
    // ("what did john gruber himself say": the intensifier is no part of who speaks.)
    if (['the', 'a', 'an', 'his', 'her', 'their', 'its', 'of', 'was', 'is', 'were', 'actually', 'really', 'himself', 'herself', 'themselves', 'itself', 'personally', 'ever'].includes(word)) continue;
    out.push(word);
  }
  return out.slice(0, 5);
}

/** Folded capitalised words of a text, ignoring the first word of each sentence-like piece. */
export function capitalisedWords(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(/[\p{L}][\p{L}'’-]*/gu)) {
    const raw = match[0] ?? '';
    if (!/^\p{Lu}/u.test(raw)) continue;
    const before = text.slice(0, match.index).trimEnd();
    if (before.length === 0 || /[.?!:]$/.test(before)) continue;
    out.push(...words(raw));
  }
  return out;
}

/** Consecutive capitalised words (not the question's first word): "Kim Jong Un", "US Steel". */
function capitalisedNameRuns(text: string): string[][] {
  const runs: string[][] = [];
  let current: string[] = [];
  let previousEnd = -1;
  for (const match of text.matchAll(/[\p{L}][\p{L}'’-]*/gu)) {
    const raw = (match[0] ?? '').replace(/['’]s$/, '');
    const before = text.slice(0, match.index).trimEnd();
    const first = before.length === 0 || /[.?!:]$/.test(before);
    const adjacent = previousEnd >= 0 && /^\s+$/.test(text.slice(previousEnd, match.index));
    if (/^\p{Lu}/u.test(raw) && !first) {
      if (!adjacent && current.length > 0) {
        runs.push(current);
        current = [];
      }
      current.push(...words(raw));
      previousEnd = match.index + (match[0] ?? '').length;
    } else {
      if (current.length > 0) runs.push(current);
      current = [];
      previousEnd = -1;
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/** Stems of the focus words, for coverage scoring. */
export function focusTerms(analysis: QuestionAnalysis): string[] {
  return analysis.focus.map((f) => f.term);
}

export { termOf };
