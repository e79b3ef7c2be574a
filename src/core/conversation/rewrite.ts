// Offline standalone questions: a follow-up ("and why?", "when is he going there?", "what about the year before?")
// is rewritten, before retrieval, into a question that stands alone, from the previous turn's names, focus, time
// frame and answer. A question that already stands alone is left as it is, so a new topic never inherits the old
// one. Built on the question analysis (question.ts); knows English follow-up forms, never particular questions.
import { formatLongDate, monthNumber } from '../text/calendar.js';
import { analyzeQuestion, capitalisedWords } from '../text/question.js';
import { foldText, STOP_WORDS, words } from '../text/tokens.js';
import type { ConversationTurn } from './history.js';

export type EntityKind = 'person' | 'place' | 'other';

/** A name the corpus knows (curated or learned), with what kind of thing it is. */
export interface KnownEntity {
  label: string;
  kind: EntityKind;
}

export interface StandaloneQuestion {
  /** The question to retrieve and answer with. */
  standalone: string;
  /** False when the question stood alone (or there was no history). */
  rewritten: boolean;
  /** What was carried over, for logs: "he→Ishiba", "time→2024", "context"… */
  carried: string[];
  /**
   * The conversation's topic words the sentence does not need to stand alone: carried to retrieval and scoring
   * (read at half weight, question.ts contextTerms) but kept out of the question users see.
   */
  context: string[];
}

/** The text to retrieve and answer with: the standalone question plus its context words in a closing parenthesis. */
export function retrievalQuestion(read: Pick<StandaloneQuestion, 'standalone' | 'context'>): string {
  return read.context.length > 0 ? `${stripQuestionMark(read.standalone)} (${read.context.join(' ')})?` : read.standalone;
}

interface Mention {
  surface: string;
  kind: EntityKind;
  at: number;
}

const CONNECTIVE = /^(?:and|so|but|also|ok(?:ay)?|well|then|and then|and so|alright|right|hmm+)\b[\s,]*/i;
const BARE_WH = /^(?:why|why not|how come|how so|when|where|who|how|what for|since when|who else|what else|where else|which one|how many|how much|how long|anything else|really|is that so|and then)(?:\s+(?:exactly|though|then|again|precisely))?$/i;
const STILL_SO = /^(?:(?:is|was|are|were) (?:that|this|it|he|she|they) still (?:the case|true|so|right|correct|there|in (?:charge|office|power))|still(?: the case| true| so)?|(?:and )?(?:now|today|currently)|(?:is|are) (?:that|this|it|he|she|they) (?:still )?(?:the case|true) (?:now|today))$/;
const PLACE_WITHIN = /^(?:which|what) (city|country|state|region|province|town|county|part of the world|continent|island) (?:is|was|are|were) (?:that|it|this|that place|this place|they) (?:in|located in|part of)$/;
const WHAT_ABOUT = /^(?:what|how)\s+about\s+(.+)$/i;
const LEADING_WH = /^(who|whom|whose|what|which|when|where|why|how(?:\s+(?:many|much|long|far|often|old)\b(?:\s+[a-z]+)?)?)(?='s\b|\b)/i;
const AUX_START = /^(?:is|are|was|were|did|does|do|will|would|can|could|has|have|had|should)\b/i;

const PERSON_PRONOUN = /\b(he|she|him|his|her|hers)\b/gi;
const GROUP_PRONOUN = /\b(?:the\s+(?:two|three|both)\s+of\s+them|both\s+of\s+them|they|them|their|theirs)\b/gi;
const THING_PRONOUN = /\b(it|that|this)\b(?!\s+(?![a-z]*(?:'s)?\b(?:is|was|are|were|did|does|do|will|would|has|had|have|can|could|should)\b)[a-z]{3,})/gi;
/** "there" as a place, not the existential "there is", "were there…". */
const PLACE_PRONOUN = /(?<!\b(?:is|are|was|were|will|would|has|have|had|be|been)\s+)\bthere\b(?!\s+(?:is|are|was|were|will|would|has|have|had|be|been|seems?)\b)/gi;
const TIME_PRONOUN = /\b(?:back\s+then|by\s+then|until\s+then|since\s+then|at\s+that\s+time|that\s+(?:year|month|day|week))\b/gi;
const RELATIVE_TIME =
  /\b(?:(?:the|a)\s+(year|month|week|day)\s+(before|earlier|prior|after|later)|the\s+(previous|prior|following|next)\s+(year|month|week|day)|(after|before|since|until)\s+(?:that|then))\b/i;
const SCAFFOLD_WORDS = new Set(['who', 'whom', 'whose', 'what', 'which', 'why', 'how', 'many', 'much', 'long', 'else', 'exactly', 'really', 'actually', 'thing', 'things', 'stuff', 'gonna', 'going', 'get', 'got', 'happen', 'happened', 'about']);
/** "the launch", "that rover": a definite noun phrase pointing back at something already said. */
const DEFINITE = /\b(?:the|that|this|those|these)\s+([a-z][a-z-]{2,})\b/gi;

/** Rewrites `question` into a question that stands alone, given the turns before it (oldest first). */
export function standaloneQuestion(question: string, history: readonly ConversationTurn[], entities: readonly KnownEntity[] = []): StandaloneQuestion {
  const unchanged: StandaloneQuestion = { standalone: question, rewritten: false, carried: [], context: [] };
  const previous = history[history.length - 1];
  if (!previous) return unchanged;

  const trimmed = question.trim().replace(/\s+/g, ' ');
  const connective = CONNECTIVE.exec(trimmed);
  const body = (connective ? trimmed.slice(connective[0].length) : trimmed).replace(/[?.!\s]+$/, '');
  const lowerBody = foldText(body);

  const previousText = `${previous.standalone} ${previous.answer}`;
  const mentionsQuestion = findMentions(previous.standalone, entities, previous.answer);
  const mentionsAnswer = findMentions(previous.answer, entities, previous.answer);
  const ownMentions = findMentions(body, entities, `${body} ${previousText}`);
  const carried: string[] = [];
  const anchor = anchorDate(previous);

  // "why?", "and when?", "who else?": the previous question asked again with the new wh-word.
  if (BARE_WH.test(lowerBody) || lowerBody.length === 0) {
    const standalone = askAgain(previous, lowerBody || 'what else');
    return { standalone, rewritten: true, carried: ['wh→previous question'], context: [] };
  }

  // "is that still the case?", "still?", "and now?": the previous question, asked about the present (the newest page
  // that states it answers, see recency.ts).
  if (STILL_SO.test(lowerBody)) {
    const standalone = `${stripQuestionMark(stripTime(previous.standalone))} now?`;
    return { standalone, rewritten: true, carried: ['still→previous question, now'], context: [] };
  }
  // "which city is that in?": the place the previous answer gave, placed in a larger one.
  const within = PLACE_WITHIN.exec(lowerBody);
  if (within && previous.short && !previous.refused) {
    return { standalone: `Which ${within[1]} is ${previous.short} in?`, rewritten: true, carried: [`that→${previous.short}`], context: [] };
  }

  // "what about X?": the previous question about X instead (same kind swapped when we can tell), or in a time frame.
  const about = WHAT_ABOUT.exec(body);
  if (about) {
    const target = (about[1] ?? '').trim();
    const relative = RELATIVE_TIME.exec(target);
    if (relative && anchor) {
      const frame = relativeFrame(relative, anchor);
      return { standalone: `${stripTime(previous.standalone)} ${frame}?`, rewritten: true, carried: [`time→${frame}`], context: [] };
    }
    const targetMentions = findMentions(target, entities, previousText);
    const kind = targetMentions[0]?.kind;
    const swap = kind ? mentionsQuestion.find((m) => m.kind === kind) : undefined;
    if (swap) {
      const standalone = replaceWord(previous.standalone, swap.surface, capitaliseKnown(target, entities, previousText));
      return { standalone: ensureQuestionMark(standalone), rewritten: true, carried: [`${swap.surface}→${target}`], context: [] };
    }
    return { standalone: `${stripQuestionMark(previous.standalone)}, for ${target}?`, rewritten: true, carried: ['what about→previous question'], context: [] };
  }

  let text = body;
  let followUp = Boolean(connective);

  // Relative time: "the year before", "after that" → dates relative to the previous answer's date.
  const relative = RELATIVE_TIME.exec(text);
  if (relative && anchor) {
    const frame = relativeFrame(relative, anchor);
    text = text.replace(RELATIVE_TIME, frame);
    carried.push(`time→${frame}`);
    followUp = true;
  }
  if (anchor) {
    text = text.replace(TIME_PRONOUN, () => {
      carried.push(`then→${anchor.text}`);
      followUp = true;
      return anchor.precision === 'day' ? `on ${anchor.text}` : `in ${anchor.text}`;
    });
  }

  // Pronouns are resolved by their role in the follow-up (one rule for every kind of conversation):
  // - subject "he"/"she" (and possessive "his") → the conversation's subject: the person the user last named in
  //   their own words (newest turn first). Only when the user never named anyone, the person the previous answer
  //   found ("who leads Japan?" → "when did he take office?" asks about the answer).
  // - object "him"/"her" → after a "who" question, the person its answer found, unless the sentence already names
  //   that person; otherwise the subject as above.
  // - "they", "the two of them" → the people of the previous turn (asker and answer after a "who" question).
  // - object "them" (not first in the sentence) when the sentence's subject is already one of those people → the
  //   other party: the place the user last named (a country or a capital stands for its government).
  // - "there" → the place the user last named, else a place in the previous question or answer.
  // A pronoun left as written ("because of them", "say that") still leans on the conversation: context goes along.
  let unresolved = false;
  const unresolvedPronoun = (match: string) => {
    unresolved = true;
    return match;
  };
  const ownPersons = new Set(ownMentions.filter((m) => m.kind === 'person').map((m) => foldText(m.surface)));
  const notOwn = (name: string | undefined) => (name && !ownPersons.has(foldText(name)) ? name : undefined);
  const answerPerson = mentionsAnswer.find((m) => m.kind === 'person')?.surface;
  const topicPerson = userNamed(history, entities, 'person');
  // People are written as the user wrote them ("Biden", not "President Joe Biden") to keep the question short.
  const userPeople = history.flatMap((t) => findMentions(t.question, entities, `${t.question} ${t.answer}`).filter((m) => m.kind === 'person').map((m) => m.surface));
  const userSpelling = (name: string) => userPeople.find((s) => words(name).includes(foldText(s))) ?? name;
  const subjectPerson = notOwn(topicPerson) ?? notOwn(previous.type === 'person' ? answerPerson : undefined) ?? notOwn(mentionsQuestion.find((m) => m.kind === 'person')?.surface) ?? notOwn(answerPerson);
  const subjectInSentence = /\b(?:he|she)\b/i.test(text) ? subjectPerson : ownMentions.find((m) => m.kind === 'person')?.surface;
  const objectPerson = previous.type === 'person' && answerPerson && foldText(answerPerson) !== foldText(subjectInSentence ?? '') ? notOwn(answerPerson) : subjectPerson;
  const topicPlace = userNamed(history, entities, 'place') ?? [...mentionsQuestion, ...mentionsAnswer].find((m) => m.kind === 'place')?.surface;

  text = text.replace(GROUP_PRONOUN, (match, offset: number) => {
    const group = groupReferent(previous, mentionsQuestion, mentionsAnswer, subjectPerson, userSpelling);
    followUp = true;
    const isObject = offset > 0 && /^them$/i.test(match);
    if (isObject && subjectInSentence && topicPlace && (!group || group.includes(subjectInSentence))) {
      carried.push(`${match}→${topicPlace}`);
      return topicPlace;
    }
    if (!group) return unresolvedPronoun(match);
    carried.push(`${match}→${group}`);
    return /^their/i.test(match) ? `${group}'s` : group;
  });
  text = text.replace(PERSON_PRONOUN, (match) => {
    followUp = true;
    // "her" is read as the object ("did he meet her"), the commoner form in questions.
    const person = /^(?:him|her)$/i.test(match) ? objectPerson : subjectPerson;
    if (!person) return unresolvedPronoun(match);
    carried.push(`${match}→${person}`);
    return /^(?:his|hers)$/i.test(match) ? `${person}'s` : person;
  });
  text = text.replace(PLACE_PRONOUN, (match) => {
    followUp = true;
    if (!topicPlace) return unresolvedPronoun(match);
    carried.push(`there→${topicPlace}`);
    return `in ${topicPlace}`;
  });
  text = text.replace(THING_PRONOUN, (match) => {
    followUp = true;
    // "that" is the previous answer only when that answer was a thing; after "who", "where" or "when" it points
    // at what was said, which the context words carry.
    const thingAnswer = previous.type === null || !/^(?:person|place|date|organisation|statement|reason|count|duration|quantity|money|percent)$/.test(previous.type);
    const thing = thingAnswer && previous.short && previous.short.length <= 60 && !previous.refused ? previous.short : null;
    if (!thing) return unresolvedPronoun(match);
    carried.push(`${match}→${thing}`);
    return thing;
  });

  // A definite noun phrase ("the launch", "that rover") whose noun the previous turn used points back at it.
  // Names are not such nouns: "that Macron hosted…" repeats a name and stands alone.
  const previousWords = new Set(words(previousText));
  const names = new Set([...capitalisedWords(previousText), ...capitalisedWords(body), ...entities.flatMap((e) => words(e.label))]);
  let antecedent: string[] | null = null;
  for (const m of lowerBody.matchAll(DEFINITE)) {
    const noun = m[1] ?? '';
    if (names.has(noun)) continue;
    const described = antecedentPhrase(noun, history);
    if (described || previousWords.has(noun) || previousWords.has(noun.replace(/s$/, ''))) {
      followUp = true;
      unresolved = true;
      antecedent ??= described;
    }
  }

  // Too little of its own to stand alone: at most one content word ("for how many years now?") and no name.
  const contentWords = words(body).filter((w) => !STOP_WORDS.has(w) && !SCAFFOLD_WORDS.has(w));
  if (contentWords.length <= 1 && ownMentions.length === 0) {
    followUp = true;
    unresolved = true;
  }

  // "who else is coming?": the answer already given is excluded, as question.ts reads "besides X, who else…".
  const besides = /^(?:who|what|where|which)\s+else\b/i.test(text) && previous.short && !previous.refused ? `besides ${previous.short}, ` : '';
  if (besides) {
    followUp = true;
    carried.push(`else→besides ${previous.short}`);
  }
  if (!followUp) return unchanged;
  // Context the rewrite could not place in the sentence: the previous question's subject words, so retrieval
  // and the answerer look where the conversation was. Names already in the text are not repeated.
  const present = new Set(words(text));
  // Once the sentence names a person (or a place) itself, other people's (places') names in the context would only
  // pull retrieval towards rival passages: the context then carries the topic's other words.
  const namedKinds = new Set(findMentions(text, entities, `${text} ${previousText}`).map((m) => m.kind));
  const rivalWords = new Set(entities.filter((e) => e.kind !== 'other' && namedKinds.has(e.kind)).flatMap((e) => words(e.label)));
  const rivalName = (w: string) => rivalWords.has(foldText(w));
  // A bare noun phrase ("and the cost?") reads as "what about the cost?"; the topic goes along as context.
  const fragment = !AUX_START.test(text) && !/\b(?:who|whom|whose|what|which|when|where|why|how)\b/i.test(text);
  // Context only where the sentence still leans on the conversation. When every pronoun became a name and the
  // question has words of its own, it stands alone: the topic's words would only pull towards older passages.
  // "The launch" that an earlier question described ("the north's latest missile launch") carries that description.
  const resolvedAll = carried.some((c) => /→/.test(c)) && !unresolved && !fragment && !besides && contentWords.length >= 2;
  const topic = antecedent ?? (resolvedAll ? [] : contextWords(history, entities, previousText));
  const context = topic.filter((w) => !present.has(foldText(w)) && !rivalName(w));
  const base = capitaliseKnown(`${besides}${fragment ? 'what about ' : ''}${text}`, entities, previousText);
  if (context.length > 0) carried.push('context');
  return { standalone: upperFirst(`${base}?`), rewritten: true, carried, context };
}

/** The previous standalone question asked with another wh-word: "how did X take Y" + "why?" → "why did X take Y?" */
function askAgain(previous: ConversationTurn, bare: string): string {
  const wh = bare.replace(/\s+(?:exactly|though|then|again|precisely)$/, '');
  const prev = stripQuestionMark(previous.standalone.replace(CONNECTIVE, ''));
  if (/^(?:who|what|where|which)\s+else$|^anything else$/.test(wh)) {
    const shown = previous.short ? `besides ${previous.short}, ` : '';
    const rest = prev.replace(LEADING_WH, '').replace(/^'s\b/, ' is').trim();
    const whWord = wh === 'anything else' ? 'what else' : wh;
    return upperFirst(`${shown}${whWord} ${rest.replace(AUX_START, (aux) => aux.toLowerCase())}?`);
  }
  if (/^(?:really|is that so|and then)$/.test(wh)) return ensureQuestionMark(upperFirst(prev));
  const newWh = /^(?:how come|how so|why not|what for)$/.test(wh) ? 'why' : wh;
  if (LEADING_WH.test(prev)) return upperFirst(`${prev.replace(LEADING_WH, newWh)}?`);
  if (AUX_START.test(prev)) return upperFirst(`${newWh} ${prev.charAt(0).toLowerCase()}${prev.slice(1)}?`);
  return upperFirst(`${newWh}: ${prev}?`);
}

interface Anchor {
  y: number;
  m?: number;
  d?: number;
  precision: 'year' | 'month' | 'day';
  text: string;
}

/** The date the previous answer is about: a date its short answer names, else its first source's date. */
function anchorDate(previous: ConversationTurn): Anchor | null {
  const fromAnswer = previous.type === 'date' ? parseLooseDate(previous.short ?? previous.answer) : null;
  if (fromAnswer) return fromAnswer;
  for (const source of previous.sources) {
    const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(source.date ?? '');
    if (!m) continue;
    const y = Number(m[1]);
    const month = m[2] ? Number(m[2]) : undefined;
    const d = m[3] ? Number(m[3]) : undefined;
    return makeAnchor(y, month, d);
  }
  return parseLooseDate(previous.answer);
}

function makeAnchor(y: number, m?: number, d?: number): Anchor {
  const precision = d !== undefined && m !== undefined ? 'day' : m !== undefined ? 'month' : 'year';
  return { y, ...(m !== undefined ? { m } : {}), ...(d !== undefined && m !== undefined ? { d } : {}), precision, text: formatLongDate({ y, m, d: m !== undefined ? d : undefined }) };
}

function parseLooseDate(text: string): Anchor | null {
  const dayMonth = /\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b/.exec(text);
  if (dayMonth && monthNumber(dayMonth[2] ?? '')) return makeAnchor(Number(dayMonth[3]), monthNumber(dayMonth[2] ?? ''), Number(dayMonth[1]));
  const monthDay = /\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b/.exec(text);
  if (monthDay && monthNumber(monthDay[1] ?? '')) return makeAnchor(Number(monthDay[3]), monthNumber(monthDay[1] ?? ''), Number(monthDay[2]));
  const monthYear = /\b([A-Za-z]{3,9})\s+(\d{4})\b/.exec(text);
  if (monthYear && monthNumber(monthYear[1] ?? '')) return makeAnchor(Number(monthYear[2]), monthNumber(monthYear[1] ?? ''));
  const iso = /\b(\d{4})-(\d{2})(?:-(\d{2}))?\b/.exec(text);
  if (iso) return makeAnchor(Number(iso[1]), Number(iso[2]), iso[3] ? Number(iso[3]) : undefined);
  const year = /\b(19\d{2}|20\d{2})\b/.exec(text);
  return year ? makeAnchor(Number(year[1])) : null;
}

/** "the year before" → "in 2024"; "after that" → "after 23 August 2025". */
function relativeFrame(match: RegExpExecArray, anchor: Anchor): string {
  const [, unitA, dirA, dirB, unitB, preposition] = match;
  if (preposition) return `${preposition.toLowerCase()} ${anchor.text}`;
  const unit = (unitA ?? unitB ?? 'year').toLowerCase();
  const direction = /^(?:before|earlier|prior|previous)$/i.test(dirA ?? dirB ?? '') ? -1 : 1;
  const date = new Date(Date.UTC(anchor.y, (anchor.m ?? 1) - 1, anchor.d ?? 1));
  if (unit === 'year') return `in ${anchor.y + direction}`;
  if (unit === 'month') {
    date.setUTCMonth(date.getUTCMonth() + direction);
    return `in ${formatLongDate({ y: date.getUTCFullYear(), m: date.getUTCMonth() + 1 })}`;
  }
  date.setUTCDate(date.getUTCDate() + direction * (unit === 'week' ? 7 : 1));
  const text = formatLongDate({ y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() });
  return unit === 'week' ? `in the week of ${text}` : `on ${text}`;
}

/** The question without the years, dates and time phrases it named (a new frame replaces them). */
function stripTime(question: string): string {
  return stripQuestionMark(question)
    .replace(/\b(?:in|on|during|since|by)\s+(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\s+)?(?:\d{1,2},?\s+)?(?:19|20)\d{2}\b/g, '')
    .replace(/\b(?:19|20)\d{2}\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Known names (and words the previous answer capitalised) mentioned in `text`, in order. */
function findMentions(text: string, entities: readonly KnownEntity[], casedText: string): Mention[] {
  const folded = foldText(text);
  const out: Mention[] = [];
  const taken: Array<[number, number]> = [];
  const overlaps = (a: number, b: number) => taken.some(([s, e]) => a < e && b > s);
  for (const entity of entities) {
    const parts = words(entity.label).filter((w) => w.length >= 3 && !STOP_WORDS.has(w));
    // The full label first, then its last and first words ("Lee Jae Myung" is mentioned as "Lee").
    const candidates = [words(entity.label).join(' '), parts[parts.length - 1], parts[0]].filter((c): c is string => Boolean(c));
    for (const candidate of candidates) {
      const re = new RegExp(`(?<![a-z0-9])${candidate.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s-]+')}(?![a-z0-9])`, 'g');
      const hit = re.exec(folded);
      if (hit && !overlaps(hit.index, hit.index + hit[0].length)) {
        taken.push([hit.index, hit.index + hit[0].length]);
        out.push({ surface: surfaceOf(text.slice(hit.index, hit.index + hit[0].length), entity.label), kind: entity.kind, at: hit.index });
        break;
      }
    }
  }
  // Words the cited text capitalises (names the catalog does not know), kind unknown.
  const cased = new Set(capitalisedWords(casedText));
  for (const m of folded.matchAll(/[a-z][a-z'-]+/g)) {
    const word = m[0];
    if (!cased.has(word) || STOP_WORDS.has(word) || overlaps(m.index, m.index + word.length) || monthNumber(word)) continue;
    taken.push([m.index, m.index + word.length]);
    out.push({ surface: upperFirst(word), kind: 'other', at: m.index });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The label's spelling of what the user wrote ("ishiba" → "Ishiba"). */
function surfaceOf(written: string, label: string): string {
  const match = label.split(/\s+/).filter((part) => words(part).join(' ') === foldText(written).replace(/-/g, ' ').trim());
  if (match[0]) return match[0];
  const folded = foldText(written);
  const i = foldText(label).indexOf(folded);
  return i >= 0 ? label.slice(i, i + written.length) : upperFirst(written);
}

/** The words an earlier question put before `noun` ("the north's latest missile launch" → north latest missile). */
function antecedentPhrase(noun: string, history: readonly ConversationTurn[]): string[] | null {
  const pattern = new RegExp(`((?:[a-z0-9-]+(?:'s)?\\s+){1,3})${noun.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
  for (let i = history.length - 1; i >= 0; i--) {
    const hit = pattern.exec(foldText(history[i]!.question));
    if (!hit) continue;
    const modifiers = (hit[1] ?? '').trim().split(/\s+/).map((w) => w.replace(/'s$/, ''));
    const lastStop = modifiers.map((w) => STOP_WORDS.has(w)).lastIndexOf(true);
    const phrase = modifiers.slice(lastStop + 1).filter((w) => !SCAFFOLD_WORDS.has(w));
    if (phrase.length > 0) return phrase;
  }
  return null;
}

/** The `kind` of name the user last wrote in their own words (newest turn first), as they spelt it. */
function userNamed(history: readonly ConversationTurn[], entities: readonly KnownEntity[], kind: EntityKind): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i]!;
    const named = findMentions(turn.question, entities, `${turn.question} ${turn.answer}`).find((m) => m.kind === kind);
    if (named) return named.surface;
  }
  return undefined;
}

/** Who "they", "the two of them" point at: the people of the previous turn, joined. */
function groupReferent(previous: ConversationTurn, inQuestion: readonly Mention[], inAnswer: readonly Mention[], person: string | undefined, spell: (name: string) => string): string | null {
  const joinNames = (names: readonly string[]) => joinList([...new Set(names.map(spell))]);
  const people = [...new Set([...(previous.type === 'person' ? inAnswer : []), ...inQuestion, ...inAnswer].filter((m) => m.kind === 'person').map((m) => m.surface))];
  if (previous.type === 'person') {
    const answered = [...new Set(inAnswer.filter((m) => m.kind === 'person').map((m) => m.surface))];
    const asker = inQuestion.find((m) => m.kind === 'person')?.surface;
    const group = answered.length >= 2 ? answered.slice(0, 3) : asker && answered[0] ? [asker, answered[0]] : [];
    if (group.length >= 2) return joinNames(group);
  }
  // Two or more people the previous question itself named; otherwise "them" may be things ("the sore spots"):
  // left for the context words rather than guessed.
  const asked = [...new Set(inQuestion.filter((m) => m.kind === 'person').map((m) => m.surface))];
  if (asked.length >= 2) return joinNames(asked.slice(0, 3));
  const places = [...new Set(inQuestion.filter((m) => m.kind === 'place' && m.surface !== person).map((m) => m.surface))];
  if (places.length >= 1 && people.length === 0) return joinNames(places.slice(0, 3));
  return null;
}

/** The previous question's subject words (its focus, names spelt as known), for context the sentence lacks. */
function contextWords(history: readonly ConversationTurn[], entities: readonly KnownEntity[], casedText: string): string[] {
  // The previous question's own words first, then the context it carried itself, then its short answer: the
  // conversation's topic survives a chain of follow-ups, bounded to a dozen words. A follow-up that stood alone
  // once its pronouns became names carried no context; the topic then comes from the turn before it.
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (word: string) => {
    const key = foldText(word);
    // Dates are a time frame, carried as such ("then", "the year before"), not as topic words.
    if (seen.has(key) || STOP_WORDS.has(key) || /^\d+$/.test(key) || monthNumber(key) !== undefined) return;
    seen.add(key);
    out.push(word);
  };
  const previous = history[history.length - 1];
  if (!previous) return [];
  // A turn rebuilt from a message may still show its context in parentheses (older footers).
  const own = previous.standalone.replace(/\([^)]*\)/g, ' ');
  const shown = [...previous.standalone.matchAll(/\(([^)]*)\)/g)].map((m) => m[1] ?? '').join(' ');
  const carried = previous.context?.length ? previous.context : shown.trim() ? shown.split(/\s+/) : previous.standalone !== previous.question ? contextWords(history.slice(0, -1), entities, casedText) : [];
  for (const f of analyzeQuestion(own).focus) push(f.word);
  for (const word of carried) push(word);
  if (previous.short && !previous.refused && previous.short.length <= 40) for (const word of previous.short.split(/\s+/)) push(word);
  const names = capitaliseKnown(out.slice(0, 12).join(' '), entities, casedText);
  return names.split(' ').filter(Boolean);
}

/** Spells known names with their capitals ("lee" → "Lee"). */
function capitaliseKnown(text: string, entities: readonly KnownEntity[], casedText: string): string {
  const mentions = findMentions(text, entities, casedText);
  let out = text;
  for (const m of [...mentions].sort((a, b) => b.at - a.at)) {
    const folded = foldText(out.slice(m.at, m.at + m.surface.length));
    if (folded === foldText(m.surface)) out = `${out.slice(0, m.at)}${m.surface}${out.slice(m.at + m.surface.length)}`;
  }
  return out;
}

function replaceWord(text: string, word: string, replacement: string): string {
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu');
  return text.replace(re, replacement);
}

function joinList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function stripQuestionMark(text: string): string {
  return text.trim().replace(/[?.!\s]+$/, '');
}

function ensureQuestionMark(text: string): string {
  return `${stripQuestionMark(text)}?`;
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Names (capitalised words, not sentence-initial) a model's rewrite introduces that neither the question nor the
 * history contains: a condensed question must not invent who or what the conversation is about.
 */
export function inventedNames(rewrite: string, question: string, history: readonly ConversationTurn[]): string[] {
  const known = new Set(words([question, ...history.flatMap((t) => [t.question, t.standalone, t.answer, t.short ?? '', ...t.sources.map((s) => s.title)])].join(' ')));
  return [...new Set(capitalisedWords(rewrite))].filter((w) => !known.has(w) && !STOP_WORDS.has(w) && !monthNumber(w) && !/^\d+$/.test(w));
}
