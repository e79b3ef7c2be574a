// The offline answerer: finds the sentence of the retrieved documents that answers the question — about its focus
// (word-vector closeness counts, not only shared stems) and holding an instance of the expected answer type near
// that focus — leads with the short answer span when there is one, and cites the sentence with its exact span.
// It never writes a word of its own besides the short span (copied or a resolved date) and the refusal message.
import { LRUCache } from 'lru-cache';
import type { Answer, Citation, CleanDocument, Passage } from '../types.js';
import { splitSentences, type Span } from '../text/sentences.js';
import { proseExtents } from '../text/segment.js';
import { contentTerms, STOP_WORDS, termOf, words } from '../text/tokens.js';
import { termMatch, weightedCoverage } from '../text/overlap.js';
import { analyzeQuestion, type ExpectedType, type QuestionAnalysis } from '../text/question.js';
import { cosine } from '../embed/sif-embedder.js';
import { dateWords } from '../retrieve/indexed-text.js';
import { isCalendarWord, WEEKDAY_NAMES } from '../text/calendar.js';
import { assembleAnswer, type Claim } from './citations.js';
import { extractDates, formatPartial, ORIGIN_NOTE } from '../text/dates.js';
import { capitalisedRuns, dateAfterPrevious, formatLongDate, formatLongValue, isCheckableType, isGiven, isSaying, tokenizeSentence, typedSpans, type SentenceToken, type TypedSpan } from './typed-spans.js';
import { DEFAULT_EXTRACTIVE_PARAMETERS, type ExtractiveParameters } from './parameters.js';
import { countryNamesOfCapital } from '../text/capitals.js';
import { escapeRegExp } from '../text/regex.js';

export const REFUSAL_TEXT = "I couldn't find this in the indexed documents.";

export interface EvidenceModel {
  /** Inverse document frequency of a stemmed term over the indexed chunks. */
  idf(term: string): number;
  /** Optional sentence embedding (unit length) for semantic similarity. */
  embed?(text: string): ArrayLike<number>;
  /** Optional cosine similarity of two folded words' vectors (0 when unknown): paraphrase-robust matching. */
  wordSimilarity?(a: string, b: string): number;
  /** Whether the indexed corpus contains the stemmed term at all (unused by the answerer since issue 13). */
  knows?(term: string): boolean;
  /** Optional rank of a folded word in general English (0 = the commonest; undefined when unknown there too). */
  wordRank?(word: string): number | undefined;
}

export interface ExtractiveOptions {
  parameters?: ExtractiveParameters;
  /** Sentences already scored by scoreSentences for this question (the model path scores once for both). */
  scored?: SentenceAnalysis;
  /** Diagnostics hook: the scored candidate sentences, best first, and the evidence verdict. */
  onScored?: (sentences: ReadonlyArray<ScoredView>, verdict: { evidence: number; type: ExpectedType; refusedBy: string | null }) => void;
}

export interface ScoredView {
  text: string;
  source: string;
  score: number;
  coverage: number;
  semantic: number;
  typed: boolean;
  near: boolean;
}

/** An extractive answer with what the question analysis found (for `ask --json` and the model path). */
export interface ExtractiveAnswer extends Answer {
  short: string | null;
  type: ExpectedType;
}

/** One candidate sentence with its features. Exported for the model path, which shows the best ones to the model. */
export interface ScoredSentence {
  doc: CleanDocument;
  passage: Passage;
  span: Span;
  /** Position of the sentence in its document's sentence list. */
  index: number;
  coverage: number;
  context: number;
  semantic: number;
  /** Coverage of the asked event's words (1 when the question names no event). */
  predicate: number;
  /** Per focus word (in the analysis' order): how well the sentence itself says it (1 same stem … 0 absent). */
  termCredits: number[];
  /**
   * Idf-weighted share of the question's words, among those the corpus knows, that neither this sentence nor its
   * neighbours say — names count as said when the document names them elsewhere. A sentence that leaves the
   * question's specific words unsaid ("born" in "what year was Hermite born") speaks of something else.
   */
  unexplained: number;
  /**
   * The question names someone or something (a name, in its words or the pages') and neither this sentence, its
   * neighbours nor the passage around it says any of those names: it speaks of someone else ("a research professor
   * of planning" for "which university was charles hermite a professor at").
   */
  namesUnsaid: boolean;
  /** A numbered item's heading ("16) The Big Sick"): on a list page it opens another item than the one before it. */
  heading: boolean;
  /** Per focus word, a capital said by its country's name ("the South Korean government" for "Seoul"); absent when the question names no capital. */
  capitalCredits?: number[];
  /** Whether the sentence says the class the answer belongs to (QuestionAnalysis.answerClass), or none is asked. */
  namesClass: boolean;
  /**
   * The question names a year that neither the sentence, its neighbours nor its document's date give: "revenue for
   * 2011", or a yearless sentence on an undated page, does not answer "revenue in 2015", however well the rest matches.
   * The same for a model number on a page that numbers other models ("pi 2" against "Raspberry Pi 3"), unless the
   * page's title gives it, for a page that never writes a title the question names ("firefox developer edition")
   * when another read page does, and for a sentence that leaves unsaid which one is asked ("first", "last").
   */
  otherYear: boolean;
  /** Focus coverage + ½ cosine: whether the sentence itself speaks of the question. */
  evidence: number;
  /** The same with part credit for focus words its document gives elsewhere: eligibility to answer. */
  support: number;
  spans: TypedSpan[];
  nearSpan: TypedSpan | null;
  score: number;
  prose: boolean;
  /** A sentence that must come with this one (the cause given just before a reaction). */
  companion?: Span;
  /** The companion comes after the sentence (an explanation that follows it) rather than before. */
  companionAfter?: boolean;
  vector?: ArrayLike<number>;
}

export interface SentenceAnalysis {
  analysis: QuestionAnalysis;
  scored: ScoredSentence[];
  /** Sentences of each document, for neighbour lookups. */
  sentencesBySource: Map<string, Span[]>;
  /**
   * Whether the corpus holds any of the question's words, every name the question writes capitalised, and every word
   * of the asked speaker ("what did tim cook say" where no page writes "tim" asks about someone never quoted).
   */
  knowsQuestion: boolean;
}

/** Scores every sentence of the retrieved documents against the question. Shared by both answer paths. */
export function scoreSentences(
  question: string,
  passages: readonly Passage[],
  documents: ReadonlyMap<string, CleanDocument>,
  evidence: EvidenceModel,
  parameters: ExtractiveParameters = DEFAULT_EXTRACTIVE_PARAMETERS,
): SentenceAnalysis {
  const analysis = analyzeQuestion(question);
  const scored: ScoredSentence[] = [];
  const sentencesBySource = new Map<string, Span[]>();
  const focus = analysis.focus;
  if (focus.length === 0 || passages.length === 0) return { analysis, scored, sentencesBySource, knowsQuestion: true };
  const idf = (term: string) => evidence.idf(term);
  const focusTerms = focus.map((f) => f.term);
  const focusTermSet = new Set(focusTerms);
  const loweredQuestion = question.toLowerCase();
  const questionNegated = NEGATION.test(loweredQuestion);
  // "besides X, what else": X is what the asker already has; its words place the topic (the new items often share
  // X's sentence) but count half.
  // Words a follow-up carries over from earlier turns (in its closing parenthesis) place the topic but are not
  // what this turn asks: they count half too.
  // An adverb of manner ("officially", "originally", "publicly") colours the question; a sentence need not repeat it
  // ("the current name was chosen on…" answers "when did it officially get the name"): it counts half too.
  const weights = focus.map((f) => (analysis.excluded.includes(f.term) || analysis.contextTerms.includes(f.term) || analysis.sourceTerms.includes(f.term) || MANNER_ADVERB.test(f.word) ? 0.5 : 1) * Math.max(0.1, idf(f.term)));
  const questionVector = evidence.embed?.(question);
  const speakerTerms = analysis.speaker.filter((w) => !STOP_WORDS.has(w)).map((w) => contentTerms(w)[0] ?? w);

  // A version or section number ("minecraft 1.8", "firefox 1.0", "section 4.2") is said only by the same number:
  // its digits, split by the tokenizer, are not said by a "1" and an "8" anywhere in a sentence ("UTF-8").
  const dotted = [...question.matchAll(/\b\d+(?:\.\d+)+\b/g)].map((m) => m[0]);
  const literalOf = focus.map((f) => (/^\d+$/.test(f.word) ? (dotted.find((d) => d.split('.').includes(f.word)) ?? null) : null));
  // A model or edition number after a name ("raspberry pi 2", "firefox 85", "chapter 4"): only the same name and
  // number say it; "Raspberry Pi 3" speaks of another model.
  const model = modelNumberOf(question);
  // An acronym the question writes in capitals ("LEAN") is said by its dotted spelling too ("L.E.A.N."), which the
  // tokenizer splits into letters.
  // (Plain string tests and ASCII classes: compiling a \p{…} pattern per focus word cost more than the rest of the
  // question's set-up.)
  const dottedAcronym = focus.map((f) => (/^[a-z]{2,8}$/.test(f.word) && wholeWordIn(question, f.word.toUpperCase()) ? new RegExp(`(?<![A-Za-z0-9.])${[...f.word.toUpperCase()].join('\\.')}\\.?(?![A-Za-z0-9])`) : null));
  // "non-emergency", "e-mail", "co-founder": the parts of a hyphenated word are said by its closed spelling too
  // ("nonemergency").
  const closedCompounds = [...loweredQuestion.matchAll(HYPHENATED)].map((m) => ({ parts: [m[1] ?? '', m[2] ?? ''], term: contentTerms(`${m[1] ?? ''}${m[2] ?? ''}`)[0] ?? '' }));
  // (Null for the many words without one: the per-sentence loop then skips them without allocating.)
  const spelledOut = focus.map((f) => CASUAL_SHORT[f.word]?.map((w) => contentTerms(w)[0] ?? w) ?? null);
  const closedOf = focus.map((f) => closedCompounds.find((c) => c.term && c.parts.includes(f.word))?.term ?? null);
  const literalPattern = literalOf.map((literal) => (literal ? new RegExp(`(?<![\\d.])${literal.replace(/\./g, '\\.')}(?![\\d]|\\.\\d)`) : null));

  // Which documents are read: those whose best passage says most of the question (idf-weighted), so a page that alone
  // holds its rarest word ("vidyard") is read even when passages sharing only its common words rank above it; in
  // retrieval order.
  const ranked = [...new Set(passages.map((p) => p.chunk.source))];
  const coverageOf = (source: string) => Math.max(...passages.filter((p) => p.chunk.source === source).map((p) => p.termCoverage));
  const read = new Set([...ranked].sort((a, b) => coverageOf(b) - coverageOf(a)).slice(0, parameters.maxDocuments));
  const documentOrder = ranked.filter((source) => read.has(source));
  // Each document's retrieved passages, and what is analysed of it: all of it, or around those passages when it is
  // very large.
  const passagesOf = new Map(documentOrder.map((source) => [source, passages.filter((p) => p.chunk.source === source)]));
  const parts = new Map<string, AnalysedPart>();
  for (const source of documentOrder) {
    const doc = documents.get(source);
    if (doc) parts.set(source, analysedPart(doc, passagesOf.get(source) ?? []));
  }
  // Which focus words are names: written capitalised in the question, or mostly so in the retrieved documents
  // (a lower-case "lee" is a name when the documents always write "Lee"). The others say what happened.
  const readParts = documentOrder.flatMap((source) => {
    const part = parts.get(source)?.part;
    return part ? [part] : [];
  });
  const titled = titleWords(question, readParts);
  // How often the read documents write a word capitalised (mid-sentence) and in lower case.
  const caseCountsAcross = (term: string): [number, number] => {
    let capital = 0;
    let lower = 0;
    for (const source of documentOrder) {
      const part = parts.get(source)?.part;
      const counts = part ? caseCountsOf(part).get(term) : undefined;
      if (counts) {
        capital += counts[0];
        lower += counts[1];
      }
    }
    return [capital, lower];
  };
  const isName = focus.map((f) => {
    if (analysis.names.has(f.word) || titled.has(f.word)) return true;
    // "gp4par", "slg46620v": an identifier of letters and digits names one thing, whatever its case.
    if (IDENTIFIER.test(f.word)) return true;
    const [capital, lower] = caseCountsAcross(f.term);
    return capital > 0 && capital >= 4 * lower;
  });
  // A name the question capitalises that the pages mostly write in lower case ("The Work", "Lady Bird" on a page
  // about birds): a common word, said as the name only where a sentence capitalises it.
  const commonWordName = focus.map((f) => {
    if (!analysis.names.has(f.word)) return null;
    const [capital, lower] = caseCountsAcross(f.term);
    // (Capitalised at a word's start, also inside a compound: "Set-Cookie".)
    // (No \p{…} class: compiling one costs about a millisecond.)
    return lower > capital ? new RegExp(`(?<![A-Za-z\u00C0-\u024F])${escapeRegExp(f.word.charAt(0).toUpperCase() + f.word.slice(1))}`) : null;
  });
  // "why did silego decide…": the reason is the actor's, so a sentence must say who acts (or follow one that does:
  // "They…") — "I decided to write…" on a page that names Silego elsewhere is the author's reason.
  const actorWord = analysis.type === 'reason' ? (WHY_ACTOR.exec(loweredQuestion)?.[1] ?? null) : null;
  const actorAt = actorWord ? focus.findIndex((f, qi) => f.word === actorWord && isName[qi] === true) : -1;
  // "what day is lee heading to washington": a place the question names after its motion or locative word says which
  // event is meant; a sentence about lee heading elsewhere is another's.
  const placeNamed = focus.map((f, qi) => {
    if (!isName[qi] || isCalendarWord(f.word)) return false;
    for (const at of wholeWordPositions(loweredQuestion, f.word)) if (LOCATIVE_NAME.test(loweredQuestion.slice(Math.max(0, at - 10), at))) return true;
    return false;
  });
  // Name words written next to each other in the question ("lady bird", "charles hermite") name one someone.
  const joinsPrevious = focus.map((f, qi) => qi > 0 && isName[qi] === true && isName[qi - 1] === true && [' ', '-'].some((joint) => wholeWordIn(loweredQuestion, `${focus[qi - 1]?.word ?? ''}${joint}${f.word}`)));
  // What happened ("meet", "veto", "nosedive") is what a sentence must say to be about the asked event: names say
  // who, and numbers, months and weekdays say when (the page's date can give those), so neither counts here.
  const isEvent = focus.map((f, qi) => !isName[qi] && !/\d/.test(f.word) && !isCalendarWord(f.word) && !analysis.contextTerms.includes(f.term) && !analysis.sourceTerms.includes(f.term));
  const predicateWeight = focus.reduce((sum, _f, qi) => sum + (isEvent[qi] ? (weights[qi] ?? 0) : 0), 0);
  // "in his post", "on her blog": the asked speaker wrote the page.
  const ownText = analysis.type === 'statement' && OWN_TEXT.test(question);
  const restrictionAt = focus.flatMap((f, qi) => (analysis.restriction.includes(f.term) ? [qi] : []));
  const eventTerms = new Set(focus.filter((_f, qi) => isEvent[qi]).map((f) => f.term));
  // "first", "last", "earliest": which one of several is asked (by this question, not by the context a follow-up carries).
  // Each with the words that say it in the text's own terms.
  const ordinals = analysis.publication ? [] : focus.flatMap((f, qi) => (ORDINAL.test(f.word) && !analysis.contextTerms.includes(f.term) ? [{ qi, said: ORDINAL_WORDS[f.word === 'last' || f.word === 'latest' ? 'last' : 'first'] }] : []));
  // "john c. welch": the name the question writes just before a family name (past an initial) is the bearer's own.
  const givenNameOf = givenNames(question, focus, isName);
  // "when did seoul move to settle…": a capital named as its government is said by its country's name ("the South
  // Korean government") — but a place question asks for the city itself.
  // (Only a capital that acts — "did Seoul move", "Tokyo's response", "Seoul said" — stands for its government; "the
  // act up paris movie" names the city.)
  const countryOf = focus.map((f, qi) => (isName[qi] && analysis.type !== 'place' && actsInQuestion(loweredQuestion, f.word) ? countryNamesOfCapital(f.term) : null));
  const anyCapital = countryOf.some((country) => country !== null);
  // Words the corpus does not hold ("gonna", a typo, a word no page uses) can be said by no sentence: they are not
  // held against one. Nor are bare numbers (the page's date may give them); an identifier with digits ("gp4par",
  // "ps4") is a word like any other. Without a vocabulary (tests' evidence models), every word counts as known.
  const known = focus.map((f) => !/^[\d.,]+$/.test(f.word) && (evidence.knows?.(f.term) ?? true));
  // (Casual words for a role — "uni", "prof", "guy" — say who in any corpus' words; names are what must be known.)
  // A name the question writes capitalised ("the Zanzibar delegation … in Nairobi") that no page writes is as unknown.
  // (Only a word written as a name — "Nairobi" — not an acronym the pages may spell out: "DC", "FDR", "WW2".)
  const writtenAsName = (word: string) => word.length > 1 && new RegExp(`(?<![\\p{L}\\p{N}])${word.charAt(0).toUpperCase()}${word.slice(1)}(?![\\p{L}\\p{N}])`, 'u').test(question);
  const namesKnown = focus.every((f, qi) => !analysis.names.has(f.word) || known[qi] === true || /\d/.test(f.word) || !writtenAsName(f.word));
  // (`known` is false for bare numbers: a question of numbers alone asks nothing the corpus could lack.)
  const asksWords = focus.some((f) => !/^[\d.,]+$/.test(f.word));
  // "how do I squash commits", "how do I set a timeout": the task is said by the words that open the question; a
  // corpus that never uses one of them explains no such task.
  const knowsTask = analysis.answerCue !== 'procedure' || focus.slice(0, 2).every((f, qi) => known[qi] === true || /^[\d.,]+$/.test(f.word));
  // "which movie won best picture at the oscars": a rare word no page writes, named as the thing where or about which
  // it happened, is a thing these pages never speak of ("the tricky issues", an adjective, is only a way of asking).
  const namesUnknownThing = focus.some((f, qi) => !known[qi] && !/\d/.test(f.word) && !analysis.sourceTerms.includes(f.term) && rareWord(f.word, evidence) && objectHead(question, f.word));
  const knowsQuestion = !namesUnknownThing && namesKnown && knowsTask && (!asksWords || known.some(Boolean)) && speakerTerms.filter((t) => !CASUAL_ROLE.test(t)).every((t) => /^\d/.test(t) || (evidence.knows?.(t) ?? true));
  // The answer's class, when the corpus uses its word at all ("advice" no page uses is said by "recommendation").
  const classAt = analysis.answerClass ? focus.findIndex((f, qi) => f.term === analysis.answerClass && known[qi]) : -1;
  // "what gpu does the board use" on pages that never write "gpu": a common class word ("advice") may be paraphrased
  // ("recommends"), a rare one names a kind of thing these pages do not speak of.
  const classUnsaid = classAt < 0 && analysis.answerClass !== null && focus.some((f, qi) => f.term === analysis.answerClass && !known[qi] && rareWord(f.word, evidence));
  // Per-question constants of the per-sentence loop, hoisted out of it. A focus word's vector similarity to a
  // sentence word depends on the two words alone, and the retrieved documents repeat their words across hundreds
  // of sentences: each pair is computed once per question.
  const focusPrefix = focus.map((f) => f.term.slice(0, 5));
  // (A title's words are said by spelling only, like names.)
  const byVectors = focus.map((f) => !/\d/.test(f.word) && !analysis.names.has(f.word) && !titled.has(f.word));
  const relationOf = focus.map((f) => RELATION_CHANGE.get(f.word));
  const similarities = new SimilarityTable(focus.map((f) => f.word), evidence);
  // The sentence words the vectors may match, and their ids in the table (filled once per sentence, reused).
  const vectorTokens: number[] = [];
  const vectorIds: number[] = [];
  // One sentence's credit for each focus word. A function of its own: with these loops inline, the sentence callback
  // was recompiled 8 times over the bench's first 200 questions (~1.1 s of optimizing-compiler time), 3 times as is.
  const creditFocus = (span: Span, features: SentenceFeatures, leansOnPrevious: boolean, previousCredits: readonly number[], inDocument: readonly number[]) => {
    let carried = false;
    // Soft, idf-weighted coverage of the focus: same stem 1, derivation 0.8, a near word in the vectors up to
    // vectorCredit. Positions of the matched words tell where the focus sits in the sentence.
    let found = 0;
    let credited = 0;
    let total = 0;
    let predicateFound = 0;
    const matched: number[] = [];
    const nameMatched: number[] = [];
    const termCredits: number[] = [];
    let vectorTokensOf: SentenceFeatures | null = null;
    // Plain loops, not forEach callbacks: the running sums and `best` stay unboxed locals instead of living in a
    // closure's context, where every update of a number allocated (this loop runs per focus word per sentence).
    for (let qi = 0; qi < focus.length; qi++) {
      const f = focus[qi];
      if (!f) continue;
      const w = weights[qi] ?? 0;
      total += w;
      const literal = literalPattern[qi];
      const title = titled.get(f.word);
      // A title's word alone ("Fetch" for "the Fetch API") says it in part.
      let best = literal ? (literal.test(span.text) ? 1 : 0) : title && !title.test(span.text) ? TITLE_WORD_SHARE * termMatch(f.term, features.terms) : termMatch(f.term, features.terms);
      // "the documentary The Work": a name that is a common word is said only where it is written as a name.
      const asName = commonWordName[qi];
      if (asName && best > 0 && !asName.test(span.text)) best = 0;
      // An event named by a noun ("a planned sitdown", "the talks") or a verb of its class ("head to" for "travel").
      let nominalAt = -1;
      const tokens = features.tokens;
      // (Only the verbs EVENT_CLASS maps to can gain from the scan.)
      if (isEvent[qi] && best < 1 && EVENT_VERBS.has(f.term)) {
        for (let i = 0; i < tokens.length; i++) {
          const kin = EVENT_CLASS.get(tokens[i]?.word ?? '');
          if (kin && kin.verbs.includes(f.term) && kin.credit > best && (!kin.next || kin.next.test(tokens[i + 1]?.word ?? ''))) {
            best = kin.credit;
            nominalAt = i;
          }
        }
      }
      // How relations changed, in whatever words ("soured", "got rocky", "tanked" ↔ "nosedived", "strained";
      // "got cozier" ↔ "drawn closer", "improving"): a word of the same direction of change counts in part.
      const direction = relationOf[qi];
      if (direction && best < RELATION_CREDIT) {
        for (let i = 0; i < tokens.length; i++) {
          if (best < RELATION_CREDIT && RELATION_CHANGE.get(tokens[i]?.word ?? '') === direction) {
            best = RELATION_CREDIT;
            nominalAt = i;
          }
        }
      }
      if (best < 1 && dottedAcronym[qi]?.test(span.text)) best = 1;
      const fullForms = spelledOut[qi];
      if (fullForms) for (let k = 0; k < fullForms.length; k++) best = Math.max(best, termMatch(fullForms[k] ?? '', features.terms));
      const closed = closedOf[qi];
      if (best < 1 && closed && features.terms.has(closed)) best = 1;
      let position = nominalAt >= 0 ? nominalAt : best > 0 ? firstPosition(tokens, f.term, focusPrefix[qi] ?? '') : -1;
      if (best < 1 && evidence.wordSimilarity && byVectors[qi]) {
        if (vectorTokensOf !== features) {
          vectorTokensOf = features;
          vectorTokens.length = 0;
          vectorIds.length = 0;
          for (const i of features.content) {
            const token = tokens[i];
            // Names match by spelling only: "Canada" and "Australia" are neighbours in the vectors, not synonyms.
            if (!token || (token.capitalized && i > 0) || /\d/.test(token.word)) continue;
            vectorTokens.push(i);
            vectorIds.push(similarities.idOf(token.word));
          }
        }
        for (let k = 0; k < vectorTokens.length; k++) {
          const i = vectorTokens[k] ?? 0;
          const sim = similarities.get(qi, vectorIds[k] ?? 0);
          if (sim >= parameters.vectorFloor) {
            const credit = Math.min(parameters.vectorCredit, sim);
            if (credit > best) {
              best = credit;
              position = i;
            }
          }
        }
      }
      // "Joe Welch" is someone else than the asked John Welch: the family name alone does not say him.
      const given = givenNameOf[qi];
      if (given && best > 0 && namesAnotherBearer(tokens, f.term, given)) best = 0;
      if (leansOnPrevious && ANAPHOR_SHARE * (previousCredits[qi] ?? 0) > best) {
        best = ANAPHOR_SHARE * (previousCredits[qi] ?? 0);
        carried = true;
      }
      termCredits.push(best);
      found += w * best;
      credited += w * Math.max(best, parameters.documentCredit * (inDocument[qi] ?? 0));
      if (isEvent[qi]) predicateFound += w * best;
      if (best >= 0.5 && position >= 0) (isName[qi] ? nameMatched : matched).push(position);
    }
    return { termCredits, found, credited, total, predicateFound, matched, nameMatched, carried };
  };
  // "why does firefox developer edition…": where a read page writes the title the question names, a page that never
  // writes it speaks of something else (the pdf.js article's "available separately … for Firefox").
  const titledAt = focus.flatMap((f, qi) => (titled.has(f.word) ? [qi] : []));
  const holdsTitles = new Map(
    documentOrder.map((source) => {
      const part = parts.get(source)?.part;
      const terms = part ? documentTermsOf(part) : new Set<string>();
      return [source, titledAt.every((qi) => termMatch(focus[qi]?.term ?? '', terms) >= 0.8)];
    }),
  );
  const titlesHeld = titledAt.length > 0 && [...holdsTitles.values()].some(Boolean);
  documentOrder.forEach((source, documentRank) => {
    const doc = documents.get(source);
    const otherTitle = titlesHeld && holdsTitles.get(source) === false;
    const own = passagesOf.get(source) ?? [];
    const firstPassage = own[0];
    const analysed = parts.get(source);
    if (!doc || !firstPassage || !analysed) return;
    const docTerms = documentTermsOf(analysed.part);
    const context = weightedCoverage(focusTerms, docTerms, idf);
    // Focus words the document holds elsewhere ("they met in Tokyo" after the names were given) earn part credit.
    const inDocument = focus.map((f) => termMatch(f.term, docTerms));
    const titleTerms = new Set(contentTerms(doc.title));
    // The page speaks of another model of the same name ("Raspberry Pi 3" when "pi 2" is asked): only a sentence
    // near the asked one's name answers. (A page that never numbers another leaves the number as context: "the
    // prop 8 controversy".)
    const otherModels = model !== null && [...analysed.part.text.matchAll(model.any)].some((m) => m[1] !== model.number);
    const sentences = sentencesOf(analysed.part, analysed.offset);
    // The page the speaker signs: "in his post" points at it; without those words, only its author's first-person
    // sentences ("I think RMS took a useful step") are the speaker's take.
    const authorsPage = analysis.type === 'statement' && bylineNames(doc, speakerTerms);
    sentencesBySource.set(source, sentences.map((s) => s.span));
    const firstOfDocument = scored.length;
    let previousCredits: number[] = [];
    // Read once per document, not once per sentence with a span (each read is a cache lookup by a built key).
    let caseCounts: Map<string, [number, number]> | undefined;
    const partCaseCounts = () => (caseCounts ??= caseCountsOf(analysed.part));
    sentences.forEach((sentence, index) => {
      const { span, prose } = sentence;
      const features = featuresOf(span);
      // "This is known as the Toeplitz decomposition", "It should not be used in hyperbole": the subject is the
      // sentence before, whose words this one speaks of.
      const leansOnPrevious = index > 0 && prose && sentences[index - 1]?.prose === true && ANAPHOR.test(span.text);
      const { termCredits, found, credited, total, predicateFound, matched, nameMatched, carried } = creditFocus(span, features, leansOnPrevious, previousCredits, inDocument);
      // (Only whether the sentence is about whom the question names: "Japan" in a sentence does not rank it as one
      // about what Tokyo will do.)
      const capitalCredits = anyCapital ? countryOf.map((country) => (country?.some((name) => name.every((t) => termMatch(t, features.terms) >= 0.8)) ? CAPITAL_CREDIT : 0)) : undefined;
      // Distance to the answer is measured from what happened ("met in Tokyo") before who took part.
      const predicate = predicateWeight === 0 ? 1 : predicateFound / predicateWeight;
      const predicateMatched = [...matched];
      if (matched.length === 0) matched.push(...nameMatched);
      const coverage = total === 0 ? 0 : found / total;
      const rankingCoverage = total === 0 ? 0 : credited / total;
      const vector = evidence.embed ? (features.vector ??= evidence.embed(span.text)) : undefined;
      const semantic = questionVector && vector ? cosine(questionVector, vector) : 0;
      let spans = typedSpans(analysis, span.text, features.tokens, doc.publishedAt);
      // "…announced that it would not release any versions…" says no release happened: for "when was X released" it
      // gives no date of one (unless the question itself is negative: "why isn't…").
      if (!questionNegated && isCheckableType(analysis.type) && analysis.type !== 'statement' && features.tokens.some((t, at) => eventTerms.has(t.term) && negatedAt(features.tokens, at))) spans = [];
      // "how many of the people … were from europe": a count of the whole group does not say how many of them were.
      // (Said in the sentence's own words: "worldwide" is near "europe" in the vectors, but no part of it.)
      if (restrictionAt.length > 0 && restrictionAt.every((qi) => termMatch(focus[qi]?.term ?? '', features.terms) < RESTRICTION_SAID)) spans = [];
      // "revenue in 2015": of a sentence's figures, those whose nearest year is the asked one ("In 2024, 70% …, up from
      // 66% in 2023" gives 66% for 2023).
      if (analysis.years.length > 0 && FIGURE_TYPES.has(analysis.type)) spans = spans.filter((s) => figureYearFits(features.tokens, s.from, s.to, analysis.years));
      // "the Search Engines checkbox", "Introduction to Mozilla Source Code": capitalised words the page otherwise
      // writes in lower case are a label, no one's name and no place.
      if (analysis.type === 'person' || analysis.type === 'place') spans = spans.filter((s) => !readsAsCommonWords(features.tokens.slice(s.from, s.to + 1), partCaseCounts()));
      // "her parents (played by Holly Hunter and Ray Romano)": the players are the parents', not the asked role's.
      if (analysis.type === 'person') spans = spans.filter((s) => castFor(span.text, features.tokens, s.from, focusTermSet));
      // "Similarly, …": a word capitalised only because it opens the sentence, and written in lower case elsewhere, names
      // nothing.
      if (analysis.type === 'thing' || analysis.type === 'list' || analysis.type === 'organisation') {
        // (Nor a word the page never capitalises mid-sentence: "Funny, ridiculous and…".)
        const opener = (t: SentenceToken) => {
          const counts = partCaseCounts().get(t.term);
          return (counts?.[1] ?? 0) > 0 || (counts?.[0] ?? 0) === 0 || (/ly$/.test(t.word) && /^\s*,/.test(span.text.slice(t.end)));
        };
        // (After a colon a clause opens too: "…was dramatic: Respondents who use AI…".)
        const opens = (at: number) => at === 0 || /:\s*$/.test(span.text.slice(features.tokens[at - 1]?.end ?? 0, features.tokens[at]?.start ?? 0));
        spans = spans.filter((s) => { const only = features.tokens[s.from]; return !(s.to === s.from && opens(s.from) && only && opener(only)); });
      }
      // "Posted on Tuesday 15 October 2019 by Bradley M. Kuhn": a byline dates the page, which answers only when the page
      // came out — not when its author joined a board.
      if (analysis.type === 'date' && !analysis.publication && BYLINE_DATE.test(span.text)) spans = [];
      // "the name of the monitoring system": a name whose last word is a kind of its own ("…Profiling Interface",
      // written "interface" elsewhere) names an interface, not a system.
      // And only a sentence that speaks of such a thing gives its name ("my tool (named gp4par)").
      const kind = analysis.namedKind;
      if (kind) {
        const kindAt = focus.findIndex((f) => f.term === kind);
        if (kindAt >= 0 && (termCredits[kindAt] ?? 0) < KIND_SAID) spans = [];
        // A "process management system" is no "monitoring system".
        const qualifierAt = analysis.namedKindQualifier ? focus.findIndex((f) => f.term === analysis.namedKindQualifier) : -1;
        if (qualifierAt >= 0 && (termCredits[qualifierAt] ?? 0) < KIND_SAID) spans = [];
        spans = spans.filter((s) => { const last = features.tokens[s.to]; return !last || last.term === kind || (partCaseCounts().get(last.term)?.[1] ?? 0) === 0; });
      }
      // A cause follows what it explains ("nosedived in 2016 after Seoul agreed…"): a cue before every focus word
      // is about something else.
      // And it explains what the question asks about: the cue must follow one of the words saying what happened
      // ("veto", "nosedive"), not merely a name ("in response to North Korea's provocations").
      // A purpose ("what is X trying to get done") follows its actor: there names are enough.
      // A sentence that says none of the event's words can only be placed by its names.
      // A cue that opens the sentence ("To prevent…, the use of https…") or closes a reason ("…, that's why it is
      // used for sales") explains what follows it instead.
      if (analysis.type === 'reason') {
        const anchors = predicateWeight > 0 && !analysis.purpose && predicateMatched.length > 0 ? predicateMatched : matched;
        spans = spans.filter((s) => (s.precedes ? anchors.some((m) => m > s.to) : anchors.some((m) => m < s.from)));
        // "Cultural spats … have also soured public opinion" for "why has the public soured": the event's subject,
        // when what the question asks about comes after the event word, is what caused it.
        if (spans.length === 0 && predicateWeight > 0 && predicateMatched.length > 0) {
          const eventAt = Math.min(...predicateMatched);
          const eventTerm = features.tokens[eventAt]?.term;
          const before = features.tokens.slice(0, eventAt);
          // What the event befell, said after it ("…soured public opinion").
          const object = features.tokens.slice(eventAt + 1).map((t) => t.term).filter((t) => t !== eventTerm && focusTermSet.has(t));
          const subject = before.filter((t) => !/^(?:have|has|had|also|already|further|now|is|are|was|were|been|being)$/.test(t.word));
          // The event is the sentence's verb: in the past ("soured") or after "have" ("have also soured"), not a noun
          // ("Russia's veto of…").
          const auxiliary = [...before].reverse().find((t) => !/^(?:also|already|further|now|since|recently)$/.test(t.word));
          const verb = /ed$/.test(features.tokens[eventAt]?.word ?? '') || /^(?:have|has|had)$/.test(auxiliary?.word ?? '');
          // (Not a participle that qualifies a noun: "the only supported design entry method" says nothing caused.)
          const qualifier = DETERMINER_BEFORE_PARTICIPLE.test(features.tokens[eventAt - 1]?.word ?? '');
          if (verb && !qualifier && !auxiliary?.possessive && object.length > 0 && subject.length >= 2 && !SUBJECT_PRONOUN.test(subject[0]?.word ?? '') && !before.some((t) => object.includes(t.term))) {
            spans = [{ from: 0, to: eventAt - 1, text: span.text.slice(0, features.tokens[eventAt - 1]?.end ?? 0), precedes: true }];
          }
        }
      }
      // A reaction ("Beijing hit back with retaliation…") has its cause in the sentence before it ("…nosedived after
      // Seoul agreed to deploy THAAD").
      previousCredits = termCredits;
      let companion: Span | undefined = carried ? sentences[index - 1]?.span : undefined;
      let companionAfter = false;
      if (analysis.type === 'reason' && spans.length === 0 && matched.length > 0) {
        const previous = sentences[index - 1];
        // A detail or a code sample may stand between a statement and the sentence that explains it ("…can only be
        // read once! Both have a bodyUsed attribute. <code> This decision allows…").
        const following = sentences.slice(index + 1, index + 4).find((s) => s.prose && EXPLAINS_PREVIOUS.test(s.span.text));
        if (previous && previous.prose && REACTION.test(span.text) && CAUSAL_CUE.test(previous.span.text)) {
          companion = previous.span;
          spans = [{ from: 0, to: 0, text: previous.span.text }];
        } else if (following && following.prose && EXPLAINS_PREVIOUS.test(following.span.text)) {
          // "…bodies can only be read once! This decision allows easing the transition to…": the next sentence
          // gives the reason for this one.
          companion = following.span;
          companionAfter = true;
          spans = [{ from: 0, to: 0, text: following.span.text }];
        }
      }
      // "How do I make hg push stop publishing drafts": the sentence that says what happens may be followed by the one
      // that says how to change it ("You can change this behaviour by reconfiguring…", "you can flip X to false").
      if (analysis.answerCue === 'procedure' && spans.length === 0 && matched.length > 0 && !companion) {
        const following = sentences.slice(index + 1, index + 3).find((s) => s.prose && CHANGES_PREVIOUS.test(s.span.text));
        if (following) {
          companion = following.span;
          companionAfter = true;
          spans = [{ from: 0, to: 0, text: following.span.text }];
        }
      }
      // "…, focus on these four.": the members are those the sentence before lists ("The four golden signals are
      // latency, traffic, errors, and saturation.").
      if ((analysis.type === 'list' || analysis.type === 'description') && spans.length === 0 && !companion && COUNTED_BACK.test(span.text)) {
        const previous = sentences[index - 1];
        if (previous?.prose && sameParagraph(doc.text, previous.span, span)) companion = previous.span;
      }
      // "One day later, Zawinski registered mozilla.org": counted from the date the sentence before gives.
      if (analysis.type === 'date' && spans.length === 0 && !companion) {
        const previous = sentences[index - 1];
        const later = previous?.prose ? dateAfterPrevious(span.text, features.tokens, previous.span.text, doc.publishedAt) : null;
        if (previous && later) {
          spans = [later];
          companion = previous.span;
        }
      }
      // "When does X end": an interval's end is the answer.
      if (analysis.type === 'date' && analysis.datePart === 'end' && spans.some((s) => s.date?.end)) spans = spans.filter((s) => s.date?.end);
      const speaker = analysis.type === 'statement' ? speakerScore(speakerTerms, features, index, sentences, docTerms, prose && authorsPage && (ownText || FIRST_PERSON.test(span.text))) : 1;
      if (speaker === 0) spans = [];
      // Words in a block of their own after "…comments from X:" are X's, though no verb of saying stands in them.
      else if (analysis.type === 'statement' && spans.length === 0 && speaker >= 0.7 && prose) {
        spans = [{ from: 0, to: Math.min(features.tokens.length - 1, 6), text: span.text }];
        // The introducing line is cited with them: it is what says whose words they are.
        const intro = sentences[index - 1];
        if (!companion && intro && /:\s*$/.test(intro.span.text)) companion = intro.span;
      }
      // "…shared her perspective: “There is a component of … Individuals may be concerned …”": a quotation that goes
      // on past the sentence; its next sentence, in the same paragraph, is the rest of what was said.
      if (analysis.type === 'statement' && spans.length > 0 && !companion && opensQuotation(span.text)) {
        const next = sentences[index + 1];
        if (next?.prose && sameParagraph(doc.text, span, next.span)) {
          companion = next.span;
          companionAfter = true;
        }
      }
      // A date belongs to its clause, names included ("…as they met in Tokyo on Saturday"): for "when" questions
      // distance counts from any focus word the sentence holds.
      // Of several dates, the one in the clause that says most of what happened ("In 2022, X ranked second, and in
      // 2023 it took the top spot" for "when did X take the top spot").
      const clauses = analysis.type === 'date' && spans.length > 1 ? clauseIndexes(span.text, features.tokens) : undefined;
      const near = nearest(spans, analysis.type === 'date' ? [...matched, ...nameMatched] : matched, parameters.nearWindow, clauses ? { clauses, event: matched } : undefined);
      const nearSpan = near?.span ?? null;
      let typeScore = 0;
      if (spans.length > 0) typeScore = parameters.weights.type * Math.max(parameters.farTypeShare, near ? 1 - near.distance / (2 * parameters.nearWindow) : 0);
      // "When is X done": a date without an end answers less than an interval's end.
      if (analysis.type === 'date' && analysis.datePart === 'end' && nearSpan && !nearSpan.date?.end) typeScore = parameters.weights.type * parameters.farTypeShare;
      if (analysis.type === 'statement') {
        typeScore += speaker * parameters.weights.speaker;
        // "what did X warn" is answered by "X warned", more than by "X said".
        if (analysis.sayVerb && features.tokens.some((t) => t.term === analysis.sayVerb)) typeScore += 0.5 * parameters.weights.speaker;
      }
      // "Where will X go after the summit": the sentence that says what comes next ("X will then head to…").
      if (analysis.sequel && nearSpan && SEQUENCE.test(span.text)) typeScore += parameters.weights.type;
      const prior = (own.some((p) => span.start < p.chunk.end && span.end > p.chunk.start) ? parameters.weights.passage : 0) + parameters.weights.rank / (documentRank + 1);
      const score =
        parameters.weights.lexical * rankingCoverage +
        parameters.weights.predicate * predicate +
        parameters.weights.context * context +
        parameters.weights.semantic * semantic +
        typeScore +
        prior -
        (prose ? 0 : parameters.weights.caption) -
        (features.fresh < 3 ? parameters.weights.echo : 0) -
        (analysis.excluded.length > 0 && features.fresh - analysis.excluded.filter((t) => features.terms.has(t)).length < 3 ? parameters.weights.echo : 0);
      const holder = own.find((p) => span.start < p.chunk.end && span.end > p.chunk.start) ?? firstPassage;
      scored.push({
        doc,
        passage: holder,
        span,
        index,
        coverage,
        context,
        semantic,
        predicate,
        termCredits,
        evidence: coverage + 0.5 * semantic,
        support: rankingCoverage + 0.5 * semantic,
        ...(companion ? { companion, companionAfter } : {}),
        spans,
        nearSpan,
        score,
        prose,
        ...(vector ? { vector } : {}),
        unexplained: 0,
        namesUnsaid: false,
        heading: sentence.heading,
        ...(capitalCredits ? { capitalCredits } : {}),
        namesClass: (classAt < 0 && !classUnsaid) || (termCredits[classAt] ?? 0) >= CLASS_SAID || listIntroSays(sentences, index, analysis.answerClass),
        otherYear:
          (analysis.years.length > 0 && !analysis.years.some((y) => doc.publishedAt?.startsWith(y) || [-1, 0, 1].some((d) => saysYear(sentences[index + d]?.span.text, y)))) ||
          (analysis.years.length > 0 && boundToOtherYear(features.tokens, focusTermSet, analysis.years)) ||
          otherTitle ||
          // "which browser first shipped X": a sentence that says who shipped it, but not first, answers another question.
          ordinals.some(({ qi, said }) => (termCredits[qi] ?? 0) < ORDINAL_SAID && !said.test(span.text)) ||
          (model !== null && otherModels && !model.said.test(doc.title) && ![-1, 0, 1].some((d) => model.said.test(sentences[index + d]?.span.text ?? ''))) ||
          // A sentence about an earlier model ("released the original Raspberry Pi") is not about the asked one, whatever
          // its neighbours say.
          (model !== null && !model.said.test(span.text) && model.earlier.test(span.text)),
      });
    });
    explainByNeighbours(scored.slice(firstOfDocument), focus.map((f, qi) => ({ weight: idf(f.term), known: known[qi] ?? true, name: isName[qi] ?? false, joinsPrevious: joinsPrevious[qi] ?? false, inTitle: termMatch(f.term, titleTerms) >= 0.8, actor: qi === actorAt, place: placeNamed[qi] === true, source: analysis.sourceTerms.includes(f.term), describesAnswer: analysis.describedAnswer.includes(f.term), inDocument: (inDocument[qi] ?? 0) >= 0.8 })));
  });
  scored.sort((a, b) => b.score - a.score || a.span.start - b.span.start);
  return { analysis, scored, sentencesBySource, knowsQuestion };
}

export function answerExtractively(
  question: string,
  passages: readonly Passage[],
  documents: ReadonlyMap<string, CleanDocument>,
  evidence: EvidenceModel,
  options: ExtractiveOptions = {},
): ExtractiveAnswer {
  const parameters = options.parameters ?? DEFAULT_EXTRACTIVE_PARAMETERS;
  const { analysis, scored, knowsQuestion } = options.scored ?? scoreSentences(question, passages, documents, evidence, parameters);
  // A page's date is the only answer to when it came out: another page's dates, or a date in its text, are not.
  if (analysis.publication) return publicationAnswer(question, analysis, scored, documents) ?? { ...refusal(question, passages, analysis, scored), short: null, type: analysis.type };
  // "which movie took the #1 spot on that list": a ranked list's item is named by its numbered heading.
  const rank = knowsQuestion ? rankAsked(question, analysis) : null;
  const ranked = rank !== null ? rankedItemAnswer(question, analysis, rank, scored, documents, parameters) : null;
  if (ranked) return ranked;
  // "(You might wonder why Bob wouldn't prefer his own changes…" — a page that poses the asked why answers it next.
  const posed = knowsQuestion && analysis.type === 'reason' ? posedWhyAnswer(question, analysis, scored, documents, parameters) : null;
  if (posed) return posed;
  // "whats the HALT thing…": an acronym the question asks about, spelled out by a sentence's capitalised initials.
  const spelled = knowsQuestion ? spelledAcronymAnswer(question, analysis, scored, documents) : null;
  if (spelled) return spelled;
  const verdict = decide(analysis, scored, parameters, knowsQuestion);
  options.onScored?.(
    scored.slice(0, 30).map((s) => ({ text: s.span.text, source: s.doc.source, score: s.score, coverage: s.coverage, semantic: s.semantic, typed: s.spans.length > 0, near: s.nearSpan !== null })),
    { evidence: verdict.bestEvidence, type: analysis.type, refusedBy: verdict.refusedBy },
  );
  const best = verdict.best;
  if (!best) return { ...refusal(question, passages, analysis, scored), short: null, type: analysis.type };

  const chosen: ScoredSentence[] = [best];
  // "how did the SRE team deal with X", "how do I stop hg push from…": the sentence that best restates the problem is
  // followed by what was done about it ("To address this problem, …", "Short version: set …"); both are the answer.
  if (analysis.type === 'description' && COPING_QUESTION.test(question) && !SOLUTION_CUE.test(best.span.text)) {
    const solution = scored.find((s) => s.doc.source === best.doc.source && s.index > best.index && s.index <= best.index + SOLUTION_REACH && SOLUTION_CUE.test(s.span.text));
    if (solution) chosen.push(solution);
  }
  const several = analysis.type === 'list' || analysis.type === 'description' || analysis.type === 'reason' || analysis.type === 'statement';
  const limit = best.companion ? 1 : analysis.type === 'list' ? 3 : several ? 2 : 1;
  for (const candidate of scored) {
    if (chosen.length >= limit) break;
    if (candidate === best || candidate.doc.source !== best.doc.source || !candidate.prose) continue;
    if (candidate.score < parameters.secondRatio * best.score || candidate.coverage < parameters.secondCoverage) continue;
    // A second reason or statement must itself be one: a sentence that merely shares the words is padding.
    if ((analysis.type === 'reason' || analysis.type === 'statement' || analysis.answerCue !== null) && candidate.nearSpan === null) continue;
    if (chosen.some((c) => c.span.start === candidate.span.start || (c.vector && candidate.vector && cosine(c.vector, candidate.vector) > 0.92))) continue;
    chosen.push(candidate);
  }
  chosen.sort((a, b) => (a.doc.source === b.doc.source ? a.span.start - b.span.start : 0));

  const short = shortAnswer(analysis, best);
  const claims: Claim[] = chosen.flatMap((sentence) => {
    const own = claimOf(sentence, sentence === best && short ? `${short.lead} — ${sentence.span.text}` : sentence.span.text);
    if (!sentence.companion) return [own];
    const companion: Claim = { sentence: sentence.companion.text, support: [citationFor(sentence.doc, sentence.companion)] };
    return sentence.companionAfter ? [own, companion] : [companion, own];
  });
  return citedAnswer(question, analysis, claims, documents, short?.span ?? null) ?? { ...refusal(question, passages, analysis, scored), short: null, type: analysis.type };
}

/** A claim of a scored sentence (its own text, or that text with a lead), cited at its span. */
function claimOf(sentence: ScoredSentence, text = sentence.span.text): Claim {
  return { sentence: text, support: [citationFor(sentence.doc, sentence.span)] };
}

/** The answer the claims make, or null when none of their citations holds. */
function citedAnswer(question: string, analysis: QuestionAnalysis, claims: Claim[], documents: ReadonlyMap<string, CleanDocument>, short: string | null): ExtractiveAnswer | null {
  const { answer, citations } = assembleAnswer(claims, documents);
  return citations.length === 0 ? null : { question, answer, refused: false, mode: 'extractive', citations, short, type: analysis.type };
}

interface Verdict {
  best: ScoredSentence | null;
  bestEvidence: number;
  refusedBy: string | null;
}

/**
 * Answerable when some sentence is about the focus (evidence floor) and, for a type with a checkable shape, a
 * sentence close enough to the best evidence holds an instance of that type near its focus words.
 */
function decide(analysis: QuestionAnalysis, scored: readonly ScoredSentence[], parameters: ExtractiveParameters, knowsQuestion: boolean): Verdict {
  const bestEvidence = Math.max(0, ...scored.map((s) => s.evidence));
  if (scored.length === 0) return { best: null, bestEvidence, refusedBy: 'no sentences' };
  // "where is gitlab headquartered" on pages that never write either word: nothing here speaks of it.
  if (!knowsQuestion) return { best: null, bestEvidence, refusedBy: 'no question word in the documents' };
  if (bestEvidence < parameters.minEvidence) return { best: null, bestEvidence, refusedBy: 'focus not found' };
  const floor = parameters.nearRatio * bestEvidence;
  // A sentence that itself says almost none of the question ("I've put together this list…" for "where can you put
  // buttons") is never an answer, however its page and its wording around score.
  // "which studio released lady bird", "where is vidyard based": an organisation or a place is the one of the asked
  // act, so a sentence that says none of its words ("streaming on Amazon Prime") names some other one. And "what did
  // Litt say makes video better than text": words of his about none of it are about something else.
  const actUnsaid = (s: ScoredSentence) => (analysis.type === 'organisation' || analysis.type === 'place' || analysis.type === 'statement') && s.predicate === 0;
  const relevant = scored.filter((s) => s.support >= floor && s.support >= parameters.minSentenceEvidence && s.predicate >= parameters.minPredicate && s.coverage >= MIN_OWN_COVERAGE && !s.otherYear && !s.namesUnsaid && !actUnsaid(s));
  if (isCheckableType(analysis.type) || analysis.wantsName || analysis.wantsVersion) {
    const typed = relevant.filter((s) => s.nearSpan !== null && (analysis.type !== 'statement' || s.score > 0) && s.unexplained <= parameters.maxUnexplainedTyped);
    const best = typed[0] ?? null;
    // "in the 2023 survey, what percent wanted to consolidate": the page's sentence that says so is another year's
    // ("74% … in 2024"); a lesser sentence that happens to name 2023 does not answer for it.
    if (best && analysis.years.length > 0) {
      const saysMore = scored.find((s) => s.otherYear && s.doc.source === best.doc.source && s.coverage >= best.coverage + OTHER_YEAR_MARGIN && s.predicate > best.predicate);
      if (saysMore) return { best: null, bestEvidence, refusedBy: 'the page says it of another year' };
    }
    return { best, bestEvidence, refusedBy: best ? null : `no ${analysis.type} near the focus` };
  }
  // A descriptive question of a known kind (reactions, a contribution, worries, fields of activity) prefers a
  // sentence that holds such an answer over one that only names the same people ("they will seek to deepen
  // cooperation in supply chains, investment…" after "X will visit Y to deepen cooperation").
  let top = relevant.find((s) => s.unexplained <= parameters.maxUnexplained) ?? null;
  // "what programming language is X written in": only a sentence that speaks of a language names one — the best
  // sentence, or one of its document nearly as good; a sentence elsewhere about languages is not about X.
  if (top && !top.namesClass) {
    const best = top;
    top = relevant.find((s) => s.namesClass && s.doc.source === best.doc.source && s.unexplained <= parameters.maxUnexplained && s.score >= CUE_RATIO * best.score) ?? null;
    if (!top) return { best: null, bestEvidence, refusedBy: `no sentence naming the ${analysis.answerClass ?? 'asked'} class` };
  }
  if (top && analysis.answerCue && top.nearSpan === null) {
    const cued = scored.find((s) => s.nearSpan !== null && s.doc.source === top.doc.source && s.support >= parameters.minSentenceEvidence && s.score >= CUE_RATIO * top.score && s.unexplained <= parameters.maxUnexplained && !s.otherYear);
    if (cued) return { best: cued, bestEvidence, refusedBy: null };
  }
  return { best: top, bestEvidence, refusedBy: top ? null : 'focus not found' };
}

/**
 * Fills `unexplained` of one document's sentences (in document order): a word counts as said by
 * the sentence or by the sentence just before or after it (answers lean on their neighbours: "It should not be used
 * in hyperbole" after the sentence naming the word), a name also by the passage around it, and a word that only
 * points at the page ("in that content depth article") by the page.
 */
function explainByNeighbours(sentences: ScoredSentence[], terms: ReadonlyArray<{ weight: number; known: boolean; name: boolean; joinsPrevious: boolean; inTitle: boolean; actor: boolean; place: boolean; source: boolean; describesAnswer: boolean; inDocument: boolean }>): void {
  const considered = terms.flatMap((t, qi) => (t.known ? [qi] : []));
  const actorAt = terms.findIndex((t) => t.actor && t.known);
  const total = considered.reduce((sum, qi) => sum + (terms[qi]?.weight ?? 0), 0);
  // Each sentence's share said per focus word, reused from sentence to sentence (this runs for every sentence read).
  const shares = new Float64Array(terms.length);
  const nameGroups: number[][] = [];
  for (const qi of considered) {
    const term = terms[qi];
    if (!term?.name || term.source) continue;
    const last = nameGroups[nameGroups.length - 1];
    if (last && term.joinsPrevious && last[last.length - 1] === qi - 1) last.push(qi);
    else nameGroups.push([qi]);
  }
  // A name counts as said when the passage around the sentence names it (the sentences before, where a story
  // introduces whom it speaks of, or the few after, where a lede names them), not anywhere in a long page of many
  // topics.
  // (Within the sentence's list item: on a list page "16) The Big Sick" opens another item than the one before it.)
  const namedNearby = (qi: number, i: number) => {
    for (let j = i; j >= Math.max(0, i - NAME_REACH_BEFORE); j--) {
      if (creditOf(sentences[j], qi) >= 0.8) return true;
      if (sentences[j]?.heading) break;
    }
    for (let j = i + 1; j <= Math.min(sentences.length - 1, i + NAME_REACH_AFTER) && !sentences[j]?.heading; j++) if (creditOf(sentences[j], qi) >= 0.8) return true;
    return false;
  };
  sentences.forEach((sentence, i) => {
    const said = (qi: number) => {
      const term = terms[qi];
      if (!term) return 1;
      // A word that only says which page is meant is said by the page.
      if (term.source && term.inDocument) return 1;
      // A word that describes the asked thing is half said by a sentence that names such a thing.
      if (term.describesAnswer && sentence.nearSpan) return Math.max(DESCRIBED_SHARE, sentence.termCredits[qi] ?? 0);
      const own = creditOf(sentence, qi);
      const around = Math.max(creditOf(sentences[i - 1], qi), creditOf(sentences[i + 1], qi));
      return Math.max(own, NEIGHBOUR_SHARE * around, term.name && term.inDocument && namedNearby(qi, i) ? 1 : 0);
    };
    let missing = 0;
    for (const qi of considered) {
      const share = said(qi);
      shares[qi] = share;
      missing += (terms[qi]?.weight ?? 0) * (1 - share);
    }
    sentence.unexplained = total > 0 ? missing / total : 0;
    // A name group goes unsaid when none of its words is said here, nor stands in the page's title.
    const unsaid = (group: readonly number[]) => group.every((qi) => (shares[qi] ?? 1) < NAME_SAID && !terms[qi]?.inTitle);
    const placeUnsaid = nameGroups.some((group) => terms[group[0] ?? -1]?.place === true && unsaid(group));
    sentence.namesUnsaid = placeUnsaid || (nameGroups.length > 0 && nameGroups.every(unsaid)) || (actorAt >= 0 && Math.max(creditOf(sentence, actorAt), creditOf(sentences[i - 1], actorAt)) < NAME_SAID);
  });
}

/** Whether a word of the question acts in it: the subject after an auxiliary, an owner, or before a verb of acting. */
function actsInQuestion(loweredQuestion: string, word: string): boolean {
  for (const at of wholeWordPositions(loweredQuestion, word)) {
    if (ACTOR_BEFORE.test(loweredQuestion.slice(Math.max(0, at - 12), at)) || ACTOR_AFTER.test(loweredQuestion.slice(at + word.length, at + word.length + 16))) return true;
  }
  return false;
}
const ACTOR_BEFORE = /\b(?:did|does|do|will|would|has|have|had|is|was|can|could|should|might)\s+$/;
const ACTOR_AFTER = /^(?:['’]s\b|\s+(?:say|says|said|want|wants|wanted|plan|plans|planned|move|moves|moved|respond|responds|responded|agree|agrees|agreed|announce|announces|announced|propose|proposes|proposed|decide|decides|decided|reject|rejects|rejected|demand|demands|demanded|react|reacted|accuse|accused|ask|asked|push|pushed|seek|sought)\b)/;

/** How well a sentence says a focus word, a capital also by its country's name. */
function creditOf(sentence: ScoredSentence | undefined, qi: number): number {
  return Math.max(sentence?.termCredits[qi] ?? 0, sentence?.capitalCredits?.[qi] ?? 0);
}

/** Stems of casual role words in a question's speaker ("that hankuk uni professor", "the pr guy"). */
const CASUAL_ROLE = /^(?:uni|prof|guy|dude|folk|pm|exec|rep|dept|gov|govt|admin|boss|ceo|cto|cfo|pr|spokesperson|spokesman|spokeswoman|offici|analyst|expert|professor)$/;

/** A line that introduces someone's words, given after its colon. */
const QUOTE_INTRO = /\b(?:comments?|remarks?|words|said|says|wrote|writes|put\s+it|tweeted|posted|statement|quote[sd]?|according|told|explained|argued|added|noted|replied|responded|answer(?:ed)?)\b/i;

/** "(played by …", "(voiced by …": a parenthesis that says who plays the words before it. */
const CAST_PARENTHESIS = /\(\s*(?:played|voiced|portrayed)\s+by\b[^)]*$/i;

/**
 * Whether a name at token `from` may answer for the question's role: not when it stands in a "(played by …)" after
 * words the question does not ask about.
 */
function castFor(text: string, tokens: readonly SentenceToken[], from: number, focusTerms: ReadonlySet<string>): boolean {
  const at = tokens[from]?.start ?? 0;
  const open = text.lastIndexOf('(', at);
  if (open < 0 || !CAST_PARENTHESIS.test(text.slice(open, at))) return true;
  const before = tokens.filter((t) => t.end <= open).slice(-3);
  return before.some((t) => focusTerms.has(t.term));
}

/** How much a word describing the asked thing ("video meeting app") counts as said by a sentence naming one. */
const DESCRIBED_SHARE = 0.5;

/**
 * Casual short forms a question uses for a word pages write out ("what kind of org is X" ↔ "organization"). Not the
 * short forms pages themselves write ("repo", "app"): their long forms would credit other sentences.
 */
const CASUAL_SHORT: Readonly<Record<string, readonly string[]>> = {
  org: ['organization', 'organisation'],
  orgs: ['organizations', 'organisations'],
  dept: ['department'],
  govt: ['government'],
  gov: ['government'],
  info: ['information'],
  admin: ['administration', 'administrator'],
  spec: ['specification'],
  specs: ['specifications'],
  config: ['configuration'],
  docs: ['documentation'],
  stats: ['statistics'],
  dev: ['developer', 'development'],
  devs: ['developers'],
  prof: ['professor'],
  uni: ['university'],
  pic: ['picture', 'photo'],
  pics: ['pictures', 'photos'],
  vid: ['video'],
  vids: ['videos'],
  mgmt: ['management'],
  intl: ['international'],
  approx: ['approximately'],
};

/** A capital said by its country's name, as "Japan" says "Tokyo" in "Tokyo agreed": in part, the city is not named. */
const CAPITAL_CREDIT = 0.8;

/** Whether `text` holds `word` with no letter or digit right before or after it. */
function wholeWordIn(text: string, word: string): boolean {
  return wholeWordPositions(text, word).next().done !== true;
}

/** Where `text` holds `word` with no letter or digit right before or after it. */
function* wholeWordPositions(text: string, word: string): Generator<number> {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (!letterOrDigitBefore(text, at) && !letterOrDigitAt(text, at + word.length)) yield at;
  }
}

/** "non-emergency": two words joined by a hyphen, each of two letters or more. */
const HYPHENATED = /(?<![\p{L}\p{N}-])(\p{L}{2,})-(\p{L}{2,})(?![\p{L}\p{N}-])/gu;

/**
 * "why did silego decide…", "why does the iab think…": the word after the auxiliary, who acts — unless it qualifies the
 * noun after it ("why do the greenpak4 chips need…", "why does the sre book say…").
 */
const WHY_ACTOR = /\bwhy\s+(?:did|does|do|is|was|were|are|has|have|had|would|will|can|could|should|might)\s+(?:the\s+)?([\p{L}\p{N}][\p{L}\p{N}.-]*)(?!\s+(?:[\p{L}\p{N}-]*[^su\s]s|book|article|post|page|report|paper|spec|draft|site|blog|survey|study|guide|docs|team)\b)/u;

/** A word of letters and digits, a letter first: a product's or a tool's identifier. */
const IDENTIFIER = /^\p{L}+\d+\p{L}*\d*\p{L}*$/u;

/** The words before a place the question names as where something happens or goes: "heading to", "in", "visiting". */
const LOCATIVE_NAME = /\b(?:to|in|at|into|from|visit|visits|visited|visiting)\s+(?:the\s+)?$/;

/** "how did X deal with / stop / fix / keep … from": a question about what was done about a problem. */
const COPING_QUESTION = /\bhow\s+(?:do|does|did|can|could|should|would|to|are|is|was|were)\b.{0,80}?\b(?:deal|cope|handle|stop|prevent|avoid|keep|fix|solve|address|get around|work around|mitigate|tackle|counter|combat|protect)\b/i;
/** What is done about a problem: "To address this problem, …", "To alleviate the threat, …", "Short version: set …". */
const SOLUTION_CUE = /\b(?:to\s+(?:address|solve|fix|alleviate|avoid|mitigate|prevent|work around|get around|deal with|handle|combat|counter|tackle|remedy)\b|(?:solution|fix|workaround|remedy)\s+(?:is|was)\b|short version\b|you can (?:change|fix|avoid|prevent|stop|disable|set|turn off|work around)\b|in response\b)/i;
/** How many sentences after the problem the solution may come. */
const SOLUTION_REACH = 3;

/** How well one of the question's names must be said for the sentence to be about whom it names. */
const NAME_SAID = 0.5;

/** "in his post", "on her own blog", "in their essay": the text the question points at is the speaker's own. */
const OWN_TEXT = /\b(?:in|on|from)\s+(?:his|her|their)\s+(?:own\s+)?(?:post|blog(?:\s+post)?|article|essay|piece|rant|column|newsletter|op-?ed|write-?up)\b/i;
/** "I think…", "my view…": the writer speaks in the first person. */
const FIRST_PERSON = /\b(?:I|I'm|I’m|I've|I’ve|I'd|I’d|my|My|me)\b/;
/** How surely a sentence of its author's own page is the author speaking (a quoted sentence with a verb is 1). */
const OWN_TEXT_SPEAKER = 0.7;

/** Whether the page's byline ("Posted on … by Bradley M. Kuhn", "By Jane Doe") names the speaker. */
function bylineNames(doc: CleanDocument, speaker: readonly string[]): boolean {
  if (speaker.length === 0) return false;
  const signed = bylineTermsOf(doc);
  return speaker.some((t) => signed.has(t));
}

/** The terms of the names a page's bylines give, read once per document (every statement question asks). */
function bylineTermsOf(doc: CleanDocument): ReadonlySet<string> {
  let terms = bylineTerms.get(doc);
  if (!terms) {
    terms = new Set([...doc.text.matchAll(BYLINE_NAME)].flatMap((m) => contentTerms(m[1] ?? '')));
    bylineTerms.set(doc, terms);
  }
  return terms;
}
const bylineTerms = new WeakMap<CleanDocument, ReadonlySet<string>>();
const BYLINE_NAME = /(?:^|\n)[ \t]*(?:(?:posted|published|written|filed)\b[^\n]{0,80}?\b)?by\s+((?:\p{Lu}[\p{L}'’.-]*[ \t]*){1,4})/giu;

/** A name alone before a colon ("Jason:", "Ian Betteridge:"): the words that follow are that person's. */
const NAME_INTRO = /^\s*(?:\p{Lu}[\p{L}'’.-]*\s+){0,3}\p{Lu}[\p{L}'’.-]*\s*:\s*$/u;

/** How many sentences back a name given earlier still counts as said (see explainByNeighbours). */
const NAME_REACH_BEFORE = 8;
/** …and how many after: a story's lede often names its people in the sentences that follow it. */
const NAME_REACH_AFTER = 3;

/** Credit at which a sentence says the kind of thing whose name is asked: its stem or a derivation, not a neighbour in the vectors ("infrastructure" is no "system"). */
const KIND_SAID = 0.8;

/** Credit at which a sentence says the answer's class: the same stem, a derivation, or a close word in the vectors. */
const CLASS_SAID = 0.6;

/** "-ly" adverbs of manner or time; not "only", adjectives ("friendly", "early") or nouns ("family", "assembly"). */
const MANNER_ADVERB =
  /^(?!(?:only|early|daily|weekly|monthly|yearly|friendly|unfriendly|likely|unlikely|costly|deadly|lonely|lovely|lively|elderly|timely|orderly|family|italy|july|reply|supply|apply|rally|ally|belly|bully|holly|jelly|lily|tally|assembly|anomaly|monopoly|butterfly|dragonfly|firefly)$)[a-z]{3,}ly$/;

/**
 * Least share of the question (idf-weighted) an answering sentence must say itself. A floor against nonsense, not a
 * calibrated cut: the lowest right answer on either corpus' dev sets says 0.14 (its question holds "one-on-ones", a
 * word no page uses, which weighs as the rarest of all); the answers it removes said 0.10 or less.
 */
const MIN_OWN_COVERAGE = 0.12;

/** Words before a number that make it a count or a rank, not a model's number ("top 21", "over 5", "the 4"). */
const NOT_A_MODEL = /^(?:top|over|about|under|than|nearly|almost|around|every|per|the|a|an|of|at|in|on|for|by|to|from|with|only|just|some|last|first|next|past|those|these|my|our|your|their|his|her|its|and|or)$/;

/**
 * "raspberry pi 2 released" → pi, 2: a small number right after a word that names a thing, not before a noun. `said`
 * finds that model; `any` any number after the same word.
 */
function modelNumberOf(question: string): { number: string; said: RegExp; any: RegExp; earlier: RegExp } | null {
  const m = /\b([a-z][a-z0-9-]*)\s+(\d{1,3}(?:\.\d+)*)\b(?![.,]\d)(?:\s+([a-z]+))?/i.exec(question);
  if (!m || NOT_A_MODEL.test(m[1]?.toLowerCase() ?? '') || STOP_WORDS.has(m[1]?.toLowerCase() ?? '')) return null;
  // "21 films", "3 days": a number before a noun counts it; before a verb or at the end it names a model.
  const after = m[3]?.toLowerCase();
  // (After an auxiliary, "X 85" is the subject and the next word its verb: "when did firefox 85 ship".)
  const verbFollows = new RegExp(`\\b(?:did|does|do|will|would|can|could|is|was|has|had)\\s+(?:the\\s+)?${m[1]}\\s+${m[2]?.replace(/\./g, '\\.')}\\s`, 'i').test(question);
  if (after && !verbFollows && !STOP_WORDS.has(after) && !/(?:ed|es|s)$/.test(after)) return null;
  if (after && /^(?:years|months|days|hours|minutes|weeks|times|people|percent|films|movies|games|things|ways|reasons|steps)$/.test(after)) return null;
  const number = m[2] ?? '';
  const escaped = number.replace(/\./g, '\\.');
  return {
    number,
    said: new RegExp(`\\b${m[1]}\\s+${escaped}(?![\\d]|\\.\\d)`, 'i'),
    any: new RegExp(`\\b${m[1]}\\s+(\\d{1,3}(?:\\.\\d+)*)(?![\\d]|\\.\\d)`, 'gi'),
    // "the original Raspberry Pi", "the first Pi": an earlier model, named without a number — unless the question
    // itself compares with it ("faster than the very first pi"), or the sentence names it only to compare ("10 times
    // faster than the original Raspberry Pi").
    earlier: EARLIER_MODEL.test(question)
      ? /(?!)/
      : new RegExp(`(?<!\\bthan\\s+(?:the\\s+)?)\\b(?:original|first|previous|older|earlier|old)\\s+(?:[\\w-]+\\s+)?${m[1]}\\b(?!\\s+${escaped})`, 'i'),
  };
}

/**
 * Per focus word that is a name, the name word the question writes just before it ("john" of "john c. welch"), when
 * that one is a name too; null otherwise.
 */
function givenNames(question: string, focus: QuestionAnalysis['focus'], isName: readonly boolean[]): Array<string | null> {
  // (The question's words as its focus words were read: folded, apostrophes dropped.)
  const asked = words(question);
  const nameWords = new Set(focus.filter((_f, qi) => isName[qi]).map((f) => f.word));
  return focus.map((f, qi) => {
    if (!isName[qi]) return null;
    let at = asked.indexOf(f.word) - 1;
    while (at >= 0 && (asked[at]?.length ?? 0) === 1) at--;
    const before = asked[at];
    return before !== undefined && before !== f.word && nameWords.has(before) && NAME_WORD.test(before) ? before : null;
  });
}

/** Index of the first token with the term, or with a term that starts with `prefix` (-1 when none). */
function firstPosition(tokens: readonly SentenceToken[], term: string, prefix: string): number {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t && (t.term === term || t.term.startsWith(prefix))) return i;
  }
  return -1;
}

// Built once: the build (esbuild, node20) turns a \p{…} literal into `new RegExp` at every evaluation.
/** A word of two letters or more: a given name, not an initial. */
const NAME_WORD = /^\p{L}{2,}$/u;
const CAPITALISED = /^\p{Lu}/u;

/** Words that stand before a family name without being a given name ("President Lee", "Sen. Warren"). */
const NAME_TITLE = /^(?:mr|mrs|ms|miss|dr|prof|professor|sir|dame|lord|lady|saint|st|rev|pope|president|vice|prime|minister|premier|chancellor|king|queen|prince|princess|emperor|empress|general|gen|colonel|col|captain|capt|lieutenant|sergeant|admiral|senator|sen|representative|rep|congressman|congresswoman|governor|gov|mayor|judge|justice|ambassador|secretary|chairman|chairwoman|chair|speaker|leader|chief|ceo|director|coach|officer|detective|agent|uncle|aunt|grandma|grandpa|brother|sister|father|mother|dear)$/;

/**
 * Whether every capitalised occurrence of the family name `term` in the sentence follows another given name than the
 * asked one ("Joe Welch" when John Welch is asked) — a namesake, not the asked person.
 */
function namesAnotherBearer(tokens: readonly SentenceToken[], term: string, given: string): boolean {
  if (tokens.some((t) => t.word === given)) return false;
  let seen = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t || t.term !== term || !t.capitalized) continue;
    let at = i - 1;
    while (at >= 0 && (tokens[at]?.word.length ?? 0) === 1) at--;
    const before = tokens[at];
    if (!before || !before.capitalized || before.possessive || NAME_TITLE.test(before.word) || !NAME_WORD.test(before.word)) return false;
    seen = true;
  }
  return seen;
}

/** Words after which a past participle qualifies a noun ("the only supported method", "a newly signed pact"). */
const DETERMINER_BEFORE_PARTICIPLE = /^(?:the|a|an|only|all|any|no|each|every|its|their|his|her|our|your|my|this|that|these|those|most|more|less|least|some|many|few|\w+ly)$/;

/** Beyond this rank in general English a word is specific (a "gpu", an "oscar"), not one of everyday paraphrase. */
const RARE_WORD_RANK = 10_000;

/** Whether a folded word is rare in general English (without ranks, no word is). */
function rareWord(word: string, evidence: EvidenceModel): boolean {
  if (!evidence.wordRank) return false;
  return (evidence.wordRank(word) ?? Number.POSITIVE_INFINITY) > RARE_WORD_RANK;
}

/** Whether `word` ends a prepositional object in the question ("at the oscars for 2017", "about the kerfuffle?"). */
function objectHead(question: string, word: string): boolean {
  return new RegExp(`\\b(?:at|in|on|to|from|about|with|during|after|before)\\s+(?:the|a|an|his|her|their|its|this|that)\\s+(?:[a-z-]+\\s+)?${escapeRegExp(word)}(?=\\s*(?:$|[?.!,;]|\\s(?:for|in|on|at|of|by|with|from|last|this|that|and|or)\\b))`, 'i').test(question);
}

/** A byline with its date ("Posted on … by Jane Roe", "By Jane Roe, May 2, 2019"). */
const BYLINE_DATE = /^\s*(?:posted|published|updated|last\s+updated|written|filed)\b[^.]{0,80}\bby\s+\p{Lu}|^\s*by\s+\p{Lu}[^.]{0,60}\b(?:1[89]|20)\d\d\b/iu;

/** Words that ask which one of several: the answering sentence must say them (or a close word: "original"). */
const ORDINAL = /^(?:first|last|earliest|latest)$/;
const ORDINAL_SAID = 0.5;
/** How well a sentence must spell one of the words that pick part of a counted group ("from europe"; "European"). */
const RESTRICTION_SAID = 0.8;
/** Words that say it in the text's own terms ("10 times faster than the original board"). */
const ORDINAL_WORDS = {
  first: /\b(?:first|original|originally|initial|initially|earliest|debut|1st)\b/i,
  last: /\b(?:last|latest|final|newest|most\s+recent|previous)\b/i,
};

/** A question that itself names an earlier model ("than the very first pi", "its predecessor"). */
const EARLIER_MODEL = /\b(?:original|first|previous|older|earlier|predecessors?)\b/i;

/** Kinds of answer that are figures, which a sentence may give for several years. */
const FIGURE_TYPES = new Set<ExpectedType>(['money', 'percent', 'count', 'quantity']);

const YEAR_TOKEN = /^(?:1[89]\d{2}|20\d{2})$/;

/** Whether the year nearest a figure (in words) is one the question asks for; true when the sentence has no year. */
function figureYearFits(tokens: readonly SentenceToken[], from: number, to: number, years: readonly string[]): boolean {
  let nearest: string | null = null;
  let distance = Infinity;
  tokens.forEach((t, i) => {
    if (!YEAR_TOKEN.test(t.word) || (i >= from && i <= to)) return;
    const d = i < from ? from - i : i - to;
    if (d < distance) {
      distance = d;
      nearest = t.word;
    }
  });
  return nearest === null || years.includes(nearest);
}

/**
 * "their total revenue for 2011" for "revenue for 2012": a word of the question tied to another year by a
 * preposition, with the asked year nowhere in that phrase. The sentence gives the figure for that other year.
 */
function boundToOtherYear(tokens: readonly SentenceToken[], focusTerms: ReadonlySet<string>, years: readonly string[]): boolean {
  return tokens.some((t, i) => {
    if (!focusTerms.has(t.term)) return false;
    const preposition = tokens[i + 1]?.word;
    const year = tokens[i + 2]?.word;
    return preposition !== undefined && /^(?:for|in|of|during)$/.test(preposition) && year !== undefined && YEAR_TOKEN.test(year) && !years.includes(year);
  });
}

/** Whether a sentence gives the year `year` (as a year, not inside a longer number). */
function saysYear(text: string | undefined, year: string): boolean {
  if (!text?.includes(year)) return false;
  return new RegExp(`(?<![\\d.,])${year}(?![.,]?\\d)`).test(text);
}

/** How much one word of a title the question names counts when the sentence does not write the whole title. */
const TITLE_WORD_SHARE = 0.5;

/** How much a word said by a neighbouring sentence counts. */
const NEIGHBOUR_SHARE = 0.8;

const NEGATION = /\b(?:not|never|no|cannot|none|neither|nor)\b|n['’]t\b/;

/** Whether the word at `at` is negated by one of the three words before it ("would not release", "never met"). */
function negatedAt(tokens: readonly SentenceToken[], at: number): boolean {
  for (let i = Math.max(0, at - 3); i < at; i++) {
    const word = tokens[i]?.word ?? '';
    if (/^(?:not|never|cannot)$/.test(word) || /n['’]t$/.test(word)) return true;
  }
  return false;
}

/** How much more of the question another year's sentence must say to show the asked year's answer is not on the page. */
const OTHER_YEAR_MARGIN = 0.1;

/**
 * Whether a list item ("* 507 in case the account is over its quota,") follows a line that introduces the list with
 * the given term ("…a checklist of status codes that are likely to occur:"): the item is one of those.
 */
function listIntroSays(sentences: readonly DocSentence[], index: number, term: string | null): boolean {
  if (!term || !LIST_ITEM.test(sentences[index]?.span.text ?? '')) return false;
  let at = index - 1;
  while (at >= 0 && index - at <= 30 && LIST_ITEM.test(sentences[at]?.span.text ?? '')) at--;
  const intro = sentences[at]?.span.text ?? '';
  return /:\s*$/.test(intro) && contentTerms(intro).includes(term);
}

const LIST_ITEM = /^\s*(?:[*•‣▪–-]|\d{1,2}[.)])\s+/;

/** Whether two sentences, `first` before `second`, stand in one paragraph (no blank line between them). */
function sameParagraph(text: string, first: Span, second: Span): boolean {
  return !/\n\s*\n/.test(text.slice(first.end, second.start));
}

/** Whether a sentence opens a quotation it does not close. */
function opensQuotation(text: string): boolean {
  const opening = (text.match(/“/g) ?? []).length;
  const closing = (text.match(/”/g) ?? []).length;
  if (opening + closing > 0) return opening > closing;
  return (text.match(/"/g) ?? []).length % 2 === 1;
}

/** How close in score a sentence holding a descriptive answer of the asked kind must come to the best one. */
const CUE_RATIO = 0.75;

/** "Sunday, 13 October 2019" for "what day of the week…", when the date names its day. */
function withWeekday(formatted: string, day: { y: number; m?: number; d?: number } | null): string {
  if (!day || day.m === undefined || day.d === undefined) return formatted;
  return `${WEEKDAY_NAMES[new Date(Date.UTC(day.y, day.m - 1, day.d)).getUTCDay()] ?? ''}, ${formatted}`;
}

/** The span to lead with: "**Tokyo**", or a resolved date with what the page said. */
function shortAnswer(analysis: QuestionAnalysis, sentence: ScoredSentence): { span: string; lead: string } | null {
  const span = sentence.nearSpan;
  if (!span) return null;
  switch (analysis.type) {
    case 'date': {
      // In the page's words when they cannot be resolved (an undated page's "last year") or name a period.
      if (!span.date) return { span: span.text, lead: `**${span.text}** (the page gives no date to count from)` };
      if (span.period) return { span: span.text, lead: `**${span.text}**` };
      if (span.anchor) {
        const counted = formatLongValue(span.date);
        return { span: counted, lead: `**${counted}** ("${span.text.trim()}" after ${span.anchor}, the date the sentence before gives)` };
      }
      const value = analysis.datePart === 'end' && span.date.end ? { start: span.date.end } : span.date;
      const resolved = withWeekday(formatLongValue(value), analysis.wantsWeekday && !value.end ? value.start : null);
      const said = span.text.trim();
      const sameWords = resolved.toLowerCase() === said.toLowerCase() || /^\d{4}$/.test(said);
      const dated = sentence.doc.publishedAt ? formatLongDate(parseDay(sentence.doc.publishedAt)) : null;
      const lead = sameWords || !dated ? `**${resolved}**` : `**${resolved}** (the page, dated ${dated}, says "${said}")`;
      return { span: resolved, lead };
    }
    case 'reason':
    case 'statement':
    case 'description':
    case 'list':
      return null;
    case 'quantity':
      // A proportion in words ("much of the summit…") only makes sense in its sentence.
      if (analysis.unit === 'proportion' && !/\d/.test(span.text)) return null;
      return simpleShort(span.text, analysis);
    default:
      return simpleShort(span.text, analysis);
  }
}

function simpleShort(spanText: string, analysis: QuestionAnalysis): { span: string; lead: string } | null {
  const text = trimTitles(spanText, analysis);
  if (!text || text.length > 60) return null;
  return { span: text, lead: `**${text}**` };
}

function parseDay(iso: string): { y: number; m?: number; d?: number } {
  const [y, m, d] = iso.split('-').map(Number);
  return { y: y ?? 0, ...(m ? { m } : {}), ...(d ? { d } : {}) };
}

const TITLE_WORD = /^(?:president|prime|minister|pm|leader|official|spokesperson|chancellor|premier|king|queen|mr|mrs|ms|dr|general|secretary|foreign|defence|defense|chief|counterpart|north|south|korean|japanese|chinese|american|us|u\.s|state|media)$/i;

/** "Japanese Prime Minister Shigeru Ishiba" → "Shigeru Ishiba" when the question gives "japanese PM". */
function trimTitles(text: string, analysis: QuestionAnalysis): string {
  const parts = text.split(/\s+/);
  while (parts.length > 1 && (TITLE_WORD.test(parts[0] ?? '') || isGiven((parts[0] ?? '').toLowerCase(), analysis.given))) parts.shift();
  return parts.join(' ');
}

/** How surely a sentence is the asked speaker's statement: named in it, or named just before a "he said". */
function speakerScore(speaker: readonly string[], features: SentenceFeatures, index: number, sentences: readonly DocSentence[], documentTerms: ReadonlySet<string>, authorsOwn: boolean): number {
  // The speaker's head word ("spokesperson" of "lee's office spokesperson") or most of the name.
  const heard = (terms: ReadonlySet<string>) => speaker.length > 0 && (terms.has(speaker[speaker.length - 1] ?? '') || speaker.filter((t) => terms.has(t)).length / speaker.length >= 0.5);
  // "…these comments from Ian Betteridge, who has been doing this even longer:" then the words, in a block of their own.
  for (let back = 1; back <= 2; back++) {
    const intro = sentences[index - back];
    if (!intro || !/:\s*$/.test(intro.span.text) || !(QUOTE_INTRO.test(intro.span.text) || NAME_INTRO.test(intro.span.text))) continue;
    if (heard(featuresOf(intro.span).terms)) return back === 1 ? 0.9 : 0.7;
  }
  // "what did kuhn say about #metoo in his post": on the page his byline signs, his own sentences are what he said
  // (not one that names him: "ebb is a service mark of Bradley M. Kuhn" is about him).
  if (authorsOwn && !speaker.some((t) => features.terms.has(t))) return OWN_TEXT_SPEAKER;
  if (!isSaying(features.text)) return 0;
  if (speaker.length === 0) return 0.5;
  if (heard(features.terms)) return 1;
  if (/\b(?:he|she|they)\s+(?:said|added|told|noted|stressed|wrote|explained)\b|^["“]/i.test(features.text)) {
    // Named a sentence or two before the quote ("…said Hicks. The photographer added… “…,” she told ABC News").
    for (let back = 1; back <= 3; back++) {
      const previous = sentences[index - back];
      if (!previous) break;
      if (heard(featuresOf(previous.span).terms)) return back === 1 ? 0.8 : 0.6;
    }
    // A page about the speaker (its title or text names them) quoting "she told ABC News": likely theirs, less surely.
    if (/\b(?:he|she)\s+(?:said|added|told|noted|stressed|wrote|explained)\b/i.test(features.text) && heard(documentTerms)) return 0.4;
  }
  return 0;
}

function nearest(
  spans: readonly TypedSpan[],
  matched: readonly number[],
  window: number,
  byClause?: { clauses: readonly number[]; event: readonly number[] },
): { span: TypedSpan; distance: number } | null {
  let best: TypedSpan | null = null;
  let bestDistance = Infinity;
  let bestShared = -1;
  for (const span of spans) {
    // With clauses given, the span whose clause holds more of the event's words wins first.
    const clause = byClause?.clauses[span.from];
    const shared = byClause ? byClause.event.filter((p) => byClause.clauses[p] === clause).length : 0;
    for (const position of matched) {
      const distance = position < span.from ? span.from - position : position > span.to ? position - span.to : 0;
      if (distance > window) continue;
      if (shared > bestShared || (shared === bestShared && distance < bestDistance)) {
        bestDistance = distance;
        bestShared = shared;
        best = span;
      }
    }
  }
  return best ? { span: best, distance: bestDistance } : null;
}

/** Per token, the index of its clause: clauses end at ";", a dash, or a comma before "and", "but", "while"… */
function clauseIndexes(text: string, tokens: readonly SentenceToken[]): number[] {
  let clause = 0;
  return tokens.map((token, i) => {
    const previous = tokens[i - 1];
    if (previous) {
      const gap = text.slice(previous.end, token.start);
      if (/[;—–]|\s-\s/.test(gap) || (/,/.test(gap) && /^(?:and|but|while|whereas|although|though|yet|whilst)$/.test(token.word))) clause += 1;
    }
    return clause;
  });
}

// Words that stand for the event a question's verb asks about, by that verb's stem, with their credit: a verb of
// the same class says it happened ("head", "fly", "visit" are travelling; "launched" is firing), like a derivation;
// a noun only names it ("a planned sitdown" is a meeting that may not have taken place), so it counts less.
// Leaving a post, in its usual words: "quit as CEO" is said by "stepped down", "resigned", "his resignation".
const DEPARTURE = ['quit', 'resign', 'step', 'leav', 'depart'];

// (A Map: a word such as "constructor" must find nothing.)
const EVENT_CLASS: ReadonlyMap<string, { verbs: readonly string[]; credit: number; next?: RegExp }> = new Map<string, { verbs: readonly string[]; credit: number; next?: RegExp }>([
  ...['visit', 'visits', 'visited', 'visiting', 'head', 'heads', 'headed', 'heading', 'fly', 'flies', 'flew', 'flying', 'go', 'goes', 'went',
    'arrive', 'arrives', 'arrived', 'return', 'returns', 'returned'].map((w) => [w, { verbs: ['travel'], credit: 0.8 }] as const),
  ...['launch', 'launched', 'launches'].map((w) => [w, { verbs: ['fire'], credit: 0.8 }] as const),
  ...['talk', 'talked', 'talks'].map((w) => [w, { verbs: ['discuss'], credit: 0.8 }] as const),
  ...['sitdown', 'meeting', 'meetings', 'talks', 'summit', 'summits'].map((w) => [w, { verbs: ['meet'], credit: 0.5 }] as const),
  ...['trip', 'journey'].map((w) => [w, { verbs: ['travel'], credit: 0.5 }] as const),
  ...['discussion', 'discussions'].map((w) => [w, { verbs: ['discuss'], credit: 0.5 }] as const),
  ...['quit', 'quits', 'quitting', 'resign', 'resigns', 'resigned', 'resigning', 'resignation', 'departure', 'departed'].map((w) => [w, { verbs: DEPARTURE, credit: 0.8 }] as const),
  // "stepped down", "stepping aside"; not "stepped up".
  ...['step', 'steps', 'stepped', 'stepping'].map((w) => [w, { verbs: DEPARTURE, credit: 0.8, next: /^(?:down|aside)$/ }] as const),
]);

// Words for a change in relations between parties, by direction. Question words and document words of the same
// direction are paraphrases of one event for "why did ties sour / get cozier" questions.
const RELATION_CREDIT = 0.7;
const RELATION_CHANGE: ReadonlyMap<string, 'better' | 'worse'> = new Map([
  ...('warm warmed warming warmer warmth cozy cozier cosy cosier close closer improve improved improves improving improvement mend mended mending ' +
    'patch patched thaw thawed thawing reset restore restored restoration rekindle rekindled reconcile reconciled reconciliation rapprochement better bond bonds')
    .split(' ')
    .map((w) => [w, 'better'] as const),
  ...('sour soured souring sours rocky rough rougher tank tanked tanking nosedive nosedived nosediving plummet plummeted plunge plunged strain strained ' +
    'bad worse straining fray frayed fraught worsen worsened worsening worsens deteriorate deteriorated deteriorating deterioration chill chilled chilly frosty ' +
    'tense tension tensions sore bitter rift feud spat spats dispute disputes grievance grievances hostile hostility distrust distrusted mistrust clouding clouded')
    .split(' ')
    .map((w) => [w, 'worse'] as const),
]);

/** A subject that names no cause of its own ("They have soured…", "It has…"). */
const SUBJECT_PRONOUN = /^(?:it|they|this|that|these|those|he|she|we|i|you|there|which|who)$/;

/** A sentence whose subject is the one before it. */
const ANAPHOR = /^(?:this|these|it|such|that)\s+(?:is|was|are|were|has|have|had|can|could|should|shall|will|would|may|might|must|allows|lets|means|makes|decision|approach|method|technique|process|change|feature|rule|one)\b/i;
/** The verbs EVENT_CLASS stands for: a focus term outside these gains nothing from scanning a sentence for its class. */
const EVENT_VERBS: ReadonlySet<string> = new Set([...EVENT_CLASS.values()].flatMap((kin) => kin.verbs));
/** How much of a word said by the sentence before a leaning one counts. */
const ANAPHOR_SHARE = 0.6;

/** A sentence that gives the reason for the one before it (a flaw it names explains a verdict: "XHR is not a nice API. It suffers from…"). */
const EXPLAINS_PREVIOUS = /^(?:this|that|it)(?:'s|’s|\s+is|\s+was)\s+(?:because|due\s+to|so\s+(?:that|as)|why)\b|^(?:it|this|they)\s+(?:suffers?|suffered|lacks?|lacked|fails?\s+to|failed\s+to|struggles?\s+(?:to|with))\b|^(?:this|that|these|such)\s+(?:decision|choice|change|design|approach|rule|restriction|limitation|way|measure)s?\b|^(?:this|that)\s+(?:allows|lets|ensures|helps|prevents|avoids|makes|means|is\s+(?:done|meant|intended|designed))\b|^the\s+reason\b|^(?:that's|that\s+is)\s+why\b|^[^.;]{0,80}\b(?:such|these|those)\s+\w+[^.;]{0,80}\b(?:implies|indicates|suggests|signals|means|shows)\s+that\b/i;
/** A sentence that ends on a count of things named before it: "focus on these four.", "both of these." */
const COUNTED_BACK = /\b(?:these|those|all)\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})[.!]?\s*$/i;
/** An instruction that changes what the sentence before describes. */
const CHANGES_PREVIOUS =
  /\byou\s+can\s+(?:change|turn\s+off|disable|stop|avoid|prevent|override|configure|alter|fix|work\s+around)\s+(?:this|that|it|these)\b|\byou\s+can\s+(?:flip|set|switch|toggle)\s+\S+\s+to\s+(?:false|true|off|on|\d+)\b|^(?:to\s+(?:change|avoid|prevent|disable|stop|fix)\s+(?:this|that|it)\b)/i;
const SEQUENCE = /\b(?:then|next|afterwards|afterward|subsequently|later|from there|after that)\b/i;
const REACTION = /\b(?:hit back|struck back|retaliat\w*|responded|reacted|in return|in response|countered|backlash)\b/i;
const CAUSAL_CUE = /\b(?:because|due to|owing to|as a result of|in response to|after|following|amid|amidst|over|prompted|sparked|triggered)\b/i;

/**
 * Each focus word's vector similarity to each sentence word, computed once per question: the retrieved documents
 * repeat their words across hundreds of sentences. A word gets an id when first seen; the values sit in one table of
 * (word, focus word), NaN until computed, instead of a map per focus word that boxed every number it held.
 */
class SimilarityTable {
  private readonly ids = new Map<string, number>();
  private readonly words: string[] = [];
  private values: Float64Array;

  constructor(
    private readonly focusWords: readonly string[],
    private readonly evidence: EvidenceModel,
  ) {
    this.values = new Float64Array(64 * focusWords.length).fill(Number.NaN);
  }

  idOf(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(word, id);
      this.words.push(word);
      if ((id + 1) * this.focusWords.length > this.values.length) {
        const grown = new Float64Array(2 * this.values.length).fill(Number.NaN);
        grown.set(this.values);
        this.values = grown;
      }
    }
    return id;
  }

  /** Similarity of focus word `qi` to the word with id `id`. */
  get(qi: number, id: number): number {
    const at = id * this.focusWords.length + qi;
    let value = this.values[at] ?? Number.NaN;
    if (Number.isNaN(value)) {
      value = similarity(this.evidence, this.focusWords[qi] ?? '', this.words[id] ?? '');
      this.values[at] = value;
    }
    return value;
  }
}

function similarity(evidence: EvidenceModel, a: string, b: string): number {
  if (a === b) return 1;
  // Not cached: the scorer computes it in place from its word-vector matrix, which costs about what a keyed cache
  // lookup did, without the cache's ~10 MB of heap.
  return evidence.wordSimilarity?.(a, b) ?? 0;
}

/**
 * "why does bob use internal:other": a page that poses the same question in its own words ("You might wonder why Bob
 * wouldn't prefer his own changes by using internal:local.", "Why is X? …") answers it in the sentence that follows.
 */
function posedWhyAnswer(question: string, analysis: QuestionAnalysis, scored: readonly ScoredSentence[], documents: ReadonlyMap<string, CleanDocument>, parameters: ExtractiveParameters): ExtractiveAnswer | null {
  // (It must pose this question: say most of its words, and half of what happened, in itself.)
  const posing = scored.find((s) => s.coverage >= POSED_SAID && s.predicate >= POSED_SAID && s.unexplained <= parameters.maxUnexplained && !s.namesUnsaid && !s.otherYear && POSED_WHY.test(s.span.text));
  if (!posing) return null;
  const reply = scored.find((s) => s.doc.source === posing.doc.source && s.index === posing.index + 1 && s.prose && !ASKS.test(s.span.text));
  if (!reply) return null;
  return citedAnswer(question, analysis, [claimOf(posing), claimOf(reply)], documents, null);
}
/** A sentence that asks why: "Why is X?", "You might wonder why…". */
const POSED_WHY = /^\W*why\b[^?]*\?|\b(?:you\s+(?:might|may|could)\s+(?:wonder|ask)|one\s+might\s+(?:wonder|ask))\s+why\b/i;
/** How much of the question, and of what happened in it, a sentence must say to pose it. */
const POSED_SAID = 0.45;
/** A sentence that is itself a question. */
const ASKS = /\?\W*$/;

/**
 * "whats the HALT thing lifehacker mentions", "what does LEAN stand for": an acronym written in capitals and asked
 * about as a thing, a rule or a trick is answered by the sentence whose capitalised words spell it ("when you're
 * Hungry, Angry, Lonely, or Tired").
 */
function spelledAcronymAnswer(question: string, analysis: QuestionAnalysis, scored: readonly ScoredSentence[], documents: ReadonlyMap<string, CleanDocument>): ExtractiveAnswer | null {
  if (analysis.type !== 'description') return null;
  const acronym = ACRONYM_ASKED.exec(question)?.[1];
  if (!acronym || !(analysis.defined.includes(acronym.toLowerCase()) || new RegExp(`\\b${acronym}\\s+${ACRONYM_KIND}`).test(question))) return null;
  const cited = scored.find((s) => spellsOut(s.span.text, acronym));
  if (!cited) return null;
  return citedAnswer(question, analysis, [claimOf(cited)], documents, null);
}
const ACRONYM_ASKED = /\b([A-Z]{3,6})\b/;
const ACRONYM_KIND = '(?:thing|trick|rule|method|technique|test|principle|principles|acronym|approach|stand|stands|mean|means)\\b';
/** Words an acronym's spelling skips: "Hungry, Angry, Lonely, or Tired". */
const SPELLING_JOINER = /^(?:or|and|of|the|a|an|for|to|&)$/;

/** Whether the text holds capitalised words, joined only by commas and small words, whose initials spell `acronym`. */
function spellsOut(text: string, acronym: string): boolean {
  const words = text.split(/[\s,;]+/).map((w) => w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '')).filter((w) => w.length > 0);
  for (let start = 0; start < words.length; start++) {
    let letter = 0;
    for (let i = start; i < words.length && letter < acronym.length; i++) {
      const word = words[i] ?? '';
      if (letter > 0 && SPELLING_JOINER.test(word)) continue;
      if (word.charAt(0) !== acronym.charAt(letter) || word.length < 2 || word === word.toUpperCase()) break;
      letter++;
    }
    if (letter === acronym.length) return true;
  }
  return false;
}

/**
 * "When was the vidyard article published?": the date of the page the question is about (that of the passage that
 * says most of the question, when the page holds enough of its words) — the date a copy says the writing first
 * appeared, or else the page's own, cited by its dateline when its text gives one, or by its opening line. Null when
 * that page gives no date or is not clearly the one asked about.
 */
function publicationAnswer(question: string, analysis: QuestionAnalysis, scored: readonly ScoredSentence[], documents: ReadonlyMap<string, CleanDocument>): ExtractiveAnswer | null {
  // The page the question is about: the one whose passage says most of the question (a long page of many topics holds
  // more of its words somewhere), dated or not — an undated page's date is not another page's.
  const best = scored.reduce<ScoredSentence | undefined>((top, s) => (!top || s.passage.termCoverage > top.passage.termCoverage ? s : top), undefined);
  if (!best || best.context < PUBLICATION_CONTEXT) return null;
  const publishedAt = best.doc.publishedAt;
  const ownSentences = scored.filter((s) => s.doc.source === best.doc.source).sort((a, b) => a.span.start - b.span.start);
  // "Originally published at example.com on November 18, 2011": a copy says when the writing first appeared.
  const origin = ownSentences
    .filter((s) => ORIGIN_NOTE.test(s.span.text))
    .map((s) => ({ sentence: s, date: extractDates(s.span.text, publishedAt).find((m) => m.value && !m.value.end && m.value.start.d !== undefined && /\d{4}/.test(s.span.text.slice(m.start, m.end)))?.value?.start }))
    .find((o) => o.date !== undefined);
  const reply = (formatted: string, sentence: string, cited: ScoredSentence): ExtractiveAnswer | null => citedAnswer(question, analysis, [claimOf(cited, sentence)], documents, formatted);
  if (origin?.date) {
    const formatted = formatLongDate(origin.date);
    const copy = publishedAt && publishedAt.slice(0, 10) !== formatPartial(origin.date) ? ` (this copy of it is dated ${formatLongDate(parseDay(publishedAt))})` : '';
    return reply(formatted, `**${formatted}** — ${origin.sentence.span.text}${copy}`, origin.sentence);
  }
  if (!publishedAt) return null;
  const day = parseDay(publishedAt);
  const sameDay = (v: { y: number; m?: number; d?: number }) => v.y === day.y && v.m === day.m && v.d === day.d;
  // A line that writes the date out ("Posted on Tuesday 15 October 2019"), not one whose "today" resolves to it.
  const dateline = ownSentences.find((s) => extractDates(s.span.text, publishedAt).some((m) => m.value && !m.value.end && sameDay(m.value.start) && /\d/.test(s.span.text.slice(m.start, m.end))));
  const opening = ownSentences[0];
  const cited = dateline ?? opening;
  if (!cited) return null;
  const formatted = formatLongDate(day);
  return reply(formatted, dateline ? `**${formatted}** — ${dateline.span.text}` : `**${formatted}** — the date of the page “${best.doc.title}”, which opens: ${opening?.span.text ?? ''}`, cited);
}

/** Least share of the question's words a page must hold to be the page a publication question is about. */
const PUBLICATION_CONTEXT = 0.3;

const RANK_WORDS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
/** "#1 spot", "number 3", "no. 5", "the top spot": the place in a ranking a question asks about. */
const RANK_ASKED = /(?:^|\s)#\s?(\d{1,3})\b|\bnumber\s+(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)\b(?!\s+of\b)|\bno\.\s?(\d{1,3})\b|\b(top)\s+(?:spot|pick|place|position)\b/i;
/** Fewest numbered headings that make a page a ranked list. */
const RANKED_LIST_ITEMS = 3;
const NUMBERED_HEADING = /^\s*(?:#\s?)?(\d{1,3})\s*[.):]\s+(.+?)\s*$/;

function rankAsked(question: string, analysis: QuestionAnalysis): number | null {
  // ("who wrote lady bird, vox's number one movie": the rank there describes a named item; who made it is asked.)
  if (!['thing', 'list', 'description'].includes(analysis.type)) return null;
  const m = RANK_ASKED.exec(question);
  if (!m) return null;
  const said = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').toLowerCase();
  return said === 'top' ? 1 : (RANK_WORDS[said] ?? Number(said));
}

/**
 * The item at the asked place of a ranked list ("21) Star Wars: The Last Jedi" … "1) Lady Bird"), on the best-scored
 * page that is one and speaks of the question; its heading and the item's first sentence are cited.
 */
function rankedItemAnswer(question: string, analysis: QuestionAnalysis, rank: number, scored: readonly ScoredSentence[], documents: ReadonlyMap<string, CleanDocument>, parameters: ExtractiveParameters): ExtractiveAnswer | null {
  const pages = [...new Set(scored.filter((s) => s.support >= parameters.minSentenceEvidence).map((s) => s.doc.source))];
  for (const source of pages) {
    const own = scored.filter((s) => s.doc.source === source).sort((a, b) => a.span.start - b.span.start);
    const headings = own.flatMap((s) => {
      const m = s.heading ? NUMBERED_HEADING.exec(s.span.text) : null;
      return m ? [{ sentence: s, number: Number(m[1]), title: m[2] ?? '' }] : [];
    });
    if (headings.length < RANKED_LIST_ITEMS) continue;
    const item = headings.find((h) => h.number === rank);
    if (!item) return null;
    const opening = own.find((s) => s.span.start > item.sentence.span.start && s.prose);
    const claims: Claim[] = [claimOf(item.sentence, `**${item.title}** — ${item.sentence.span.text}`)];
    if (opening) claims.push(claimOf(opening));
    return citedAnswer(question, analysis, claims, documents, item.title);
  }
  return null;
}

/**
 * The refusal, listing the closest sources so the user can judge. A listed quote never holds an answer of the
 * expected type near the question's focus: the reply must not contradict itself.
 */
export function refusal(question: string, closest: readonly Passage[], analysis?: QuestionAnalysis, scored?: readonly ScoredSentence[]): Answer {
  const seen = new Set<string>();
  const citations: Citation[] = [];
  const answerLike = new Set((scored ?? []).filter((s) => s.nearSpan !== null || s.evidence >= 0.5).map((s) => `${s.doc.source}:${s.span.start}`));
  for (const passage of closest) {
    if (seen.has(passage.chunk.source) || citations.length >= 3) continue;
    const candidates = splitSentences(passage.chunk.text).map((s) => ({ ...s, start: passage.chunk.start + s.start, end: passage.chunk.start + s.end }));
    const pick = candidates.find((s) => !answerLike.has(`${passage.chunk.source}:${s.start}`) && !(analysis && isCheckableType(analysis.type) && holdsType(analysis, s.text, passage.doc.publishedAt)));
    if (!pick) continue;
    seen.add(passage.chunk.source);
    citations.push({ ...citationFor(passage.doc, pick), n: citations.length + 1 });
  }
  return { question, answer: REFUSAL_TEXT, refused: true, mode: 'extractive', citations };
}

function holdsType(analysis: QuestionAnalysis, text: string, publishedAt: string | null): boolean {
  return typedSpans(analysis, text, tokenizeSentence(text), publishedAt).length > 0;
}

function citationFor(doc: Passage['doc'], span: Span): Omit<Citation, 'n'> {
  return { source: doc.source, title: doc.title, date: doc.publishedAt, url: doc.url, quote: span.text, start: span.start, end: span.end };
}

// Per-document and per-sentence work is cached, so a question only pays for scoring, not for re-tokenising the same
// sentences. The cache is bounded (least recently used documents dropped first, by their sentence count: at 100k
// chunks an unbounded one grew by hundreds of MB over a few thousand questions) and keyed by the document's
// content, not its object: a new generation that keeps a document keeps its cached analysis.
interface DocSentence {
  span: Span;
  /** Part of the article's prose (not a caption, byline, headline or teaser for another story). */
  prose: boolean;
  /** A numbered item's heading, a short line of its own ("16) The Big Sick"): it opens another item of a list. */
  heading: boolean;
}
interface DocumentAnalysis {
  /** What the analysis was computed from (checked on every hit: the key is only a hash). */
  text: string;
  title: string;
  publishedAt: string | null;
  sentences: DocSentence[];
  terms?: Set<string>;
  caseCounts?: Map<string, [number, number]>;
}
/**
 * Sentences of cached documents, all documents together (~5 kB each with their tokens, terms and vector, so
 * ~10 MB): a conversation's follow-ups come back to the same few dozen documents; a larger cache mostly keeps
 * documents no question returns to.
 */
const DOCUMENT_CACHE_SENTENCES = 2_000;
const documentCache = new LRUCache<string, DocumentAnalysis>({ max: 2000, maxSize: DOCUMENT_CACHE_SENTENCES, sizeCalculation: (entry) => entry.sentences.length + 1 });

function analysisOf(doc: CleanDocument): DocumentAnalysis {
  const key = `${doc.source}\0${doc.contentHash}`;
  const cached = documentCache.get(key);
  if (cached && cached.text === doc.text && cached.title === doc.title && cached.publishedAt === doc.publishedAt) return cached;
  // Only whether each sentence overlaps the prose is needed: the prose blocks' extents say it (see proseExtents)
  // without segmenting the document's sentences a second time.
  const prose = proseExtents(doc.text, { keepBoilerplate: true });
  let k = 0;
  const sentences = splitSentences(doc.text).map((span) => {
    while (k < prose.length && (prose[k]?.end ?? 0) <= span.start) k++;
    const p = prose[k];
    return { span, prose: p !== undefined && p.start < span.end && span.start < p.end, heading: isHeading(doc.text, span) };
  });
  const entry: DocumentAnalysis = { text: doc.text, title: doc.title, publishedAt: doc.publishedAt, sentences };
  documentCache.set(key, entry);
  return entry;
}

/**
 * Words of the question that the documents write as a title ("the big sick" → "The Big Sick"): two or more question
 * words in a row, capitalised together more often than not. They are a name, said only by spelling and together.
 */
function titleWords(question: string, documents: readonly CleanDocument[]): Map<string, RegExp> {
  const out = new Map<string, RegExp>();
  const asked = words(question);
  const texts = documents.map((d) => d.text);
  // Ordinary words, which the pages also write in lower case: a name ("Kim Jong", "FSF Board") already counts as a
  // name word by word.
  const ordinary = (word: string) => documents.some((doc) => (caseCountsOf(doc).get(termOf(word))?.[1] ?? 0) > 0);
  let lowered: string[] | undefined;
  for (let i = 0; i + 1 < asked.length; i++) {
    const first = asked[i] ?? '';
    const second = asked[i + 1] ?? '';
    if (STOP_WORDS.has(first) || STOP_WORDS.has(second) || /\d/.test(first + second) || !ordinary(first) || !ordinary(second)) continue;
    const source = `(?<![\\p{L}\\p{N}])(${escapeRegExp(first)})\\s+(${escapeRegExp(second)})(?![\\p{L}\\p{N}])`;
    let capital = 0;
    let lower = 0;
    lowered ??= texts.map((text) => text.toLowerCase());
    for (const [at, text] of texts.entries()) {
      for (const [a, b] of pairMatches(text, lowered[at] ?? '', first, second, source)) {
        if (CAPITALISED.test(a) && CAPITALISED.test(b)) capital++;
        else lower++;
      }
    }
    if (capital > lower) {
      // Each word is said only with the other: "big" alone is no "Big Sick".
      const phrase = new RegExp(source, 'iu');
      if (!out.has(first)) out.set(first, phrase);
      if (!out.has(second)) out.set(second, phrase);
    }
  }
  return out;
}

/** A letter or a digit as titleWords' pattern and wholeWordIn read one: the last of a text, the first of a text. */
const LETTER_OR_DIGIT_AT_END = /[\p{L}\p{N}]$/iu;
const LETTER_OR_DIGIT_AT_START = /^[\p{L}\p{N}]/iu;
const SPACES = /\s+/y;

/**
 * The two words of every match of titleWords' pattern `source` in a text, in order, as `matchAll` with flags `giu`
 * gives them, found without compiling the pattern: its case-insensitive letter classes took ~0.5 ms to compile, for
 * each pair of each question, where scanning a page takes microseconds. The words are [a-z] only, and under `iu` a
 * letter matches itself in either case and nothing else but "ſ" for "s" and the Kelvin sign for "k" (which lower-cases
 * to "k"). So when the text holds no "ſ" and lower-casing kept its offsets (only "İ" grows), a match is exactly where
 * the lower-cased text holds the first word, space, the second word, with no letter or digit on either side.
 * (Exported for its test.)
 */
export function pairMatches(text: string, lowered: string, first: string, second: string, source: string): Array<[string, string]> {
  if (text.includes('ſ') || lowered.length !== text.length) return [...text.matchAll(new RegExp(source, 'giu'))].map((m) => [m[1] ?? '', m[2] ?? '']);
  const out: Array<[string, string]> = [];
  let at = lowered.indexOf(first);
  while (at >= 0) {
    const end = pairEnd(text, lowered, at, first, second);
    if (end < 0) {
      at = lowered.indexOf(first, at + 1);
      continue;
    }
    out.push([text.slice(at, at + first.length), text.slice(end - second.length, end)]);
    // (A global pattern goes on from the end of its match.)
    at = lowered.indexOf(first, end);
  }
  return out;
}

/** Where the pair starting at `at` ends, or -1 when there is none (see pairMatches). */
function pairEnd(text: string, lowered: string, at: number, first: string, second: string): number {
  if (letterOrDigitBefore(text, at)) return -1;
  SPACES.lastIndex = at + first.length;
  if (!SPACES.test(text)) return -1;
  const start = SPACES.lastIndex;
  if (!lowered.startsWith(second, start)) return -1;
  const end = start + second.length;
  return letterOrDigitAt(text, end) ? -1 : end;
}

// (Two code units before and after: a letter outside the BMP is a surrogate pair, which a `u` pattern reads whole.)
/** Whether a letter or a digit ends `text` just before `at`. */
function letterOrDigitBefore(text: string, at: number): boolean {
  return at > 0 && LETTER_OR_DIGIT_AT_END.test(text.slice(Math.max(0, at - 2), at));
}
/** Whether a letter or a digit starts at `at` in `text`. */
function letterOrDigitAt(text: string, at: number): boolean {
  return LETTER_OR_DIGIT_AT_START.test(text.slice(at, at + 2));
}

/** Per term: how often the document writes it capitalised mid-sentence, and how often in lower case. */
function caseCountsOf(doc: CleanDocument): Map<string, [number, number]> {
  const analysis = analysisOf(doc);
  if (!analysis.caseCounts) {
    const counts = new Map<string, [number, number]>();
    for (const { span } of analysis.sentences) {
      featuresOf(span).tokens.forEach((t, i) => {
        if (i === 0) return;
        const entry = counts.get(t.term) ?? [0, 0];
        entry[t.capitalized ? 0 : 1] += 1;
        counts.set(t.term, entry);
      });
    }
    analysis.caseCounts = counts;
  }
  return analysis.caseCounts;
}
/**
 * Whether a capitalised run reads as common words (a label, "the Search Engines checkbox"), not a name: its last word
 * — a name's surname, a label's noun — is written in lower case elsewhere in its document at least as often as
 * capitalised, and its first word is written in lower case too ("Theresa May" keeps its name: "theresa" never is).
 */
function readsAsCommonWords(tokens: readonly SentenceToken[], counts: ReadonlyMap<string, [number, number]>): boolean {
  const capitalised = tokens.filter((t) => t.capitalized && /[a-z]/.test(t.word));
  const first = capitalised[0];
  const last = capitalised[capitalised.length - 1];
  if (!first || !last) return false;
  const [firstCapital, firstLower] = counts.get(first.term) ?? [0, 0];
  const [lastCapital, lastLower] = counts.get(last.term) ?? [0, 0];
  return lastLower > 0 && lastLower >= lastCapital && firstLower > 0 && 2 * firstLower >= firstCapital;
}

/** Features of a sentence, held as long as its document's cached sentences (the spans) are. */
const featureCache = new WeakMap<Span, SentenceFeatures>();

interface SentenceFeatures {
  text: string;
  terms: Set<string>;
  tokens: SentenceToken[];
  /** Indexes of content (non-stop) tokens. */
  content: number[];
  /** Content words not in common use: fewer than 3 means the sentence is a fragment. */
  fresh: number;
  vector?: ArrayLike<number>;
}

function featuresOf(span: Span): SentenceFeatures {
  let features = featureCache.get(span);
  if (!features) {
    const tokens = tokenizeSentence(span.text);
    const content: number[] = [];
    tokens.forEach((t, i) => {
      if (!STOP_WORDS.has(t.word) && t.word.length >= 2) content.push(i);
    });
    features = { text: span.text, terms: new Set(contentTerms(span.text)), tokens, content, fresh: content.length };
    featureCache.set(span, features);
  }
  return features;
}

function documentTermsOf(doc: CleanDocument): Set<string> {
  const analysis = analysisOf(doc);
  analysis.terms ??= new Set(contentTerms(`${doc.title}\n${doc.text}\n${dateWords(doc.publishedAt)}`));
  return analysis.terms;
}

/** A numbered item's heading: a short line of its own, opening with its number, not ending as a sentence does. */
const HEADING_WORDS = 12;
const SENTENCE_END = /[.!?:;,"”’)\]]\s*$/;
const ITEM_NUMBER = /^\s*(?:#\s?)?\d{1,3}\s*[.):]\s+\S/;

// (A news story's subheads are not items: "New York City" named in its lede is still the city of a later section.)
function isHeading(text: string, span: Span): boolean {
  // (The number first: it rules out nearly every sentence of a page, which this runs over once.)
  if (!ITEM_NUMBER.test(span.text)) return false;
  const lineStart = span.start === 0 || text[span.start - 1] === '\n';
  const lineEnd = span.end >= text.length || text[span.end] === '\n' || /^[ \t]*\n/.test(text.slice(span.end, span.end + 4));
  return lineStart && lineEnd && !SENTENCE_END.test(span.text) && span.text.trim().split(/\s+/).length <= HEADING_WORDS;
}

/** The document's sentences; those of a part start `offset` characters into the whole document. */
function sentencesOf(doc: CleanDocument, offset = 0): DocSentence[] {
  const sentences = analysisOf(doc).sentences;
  return offset === 0 ? sentences : sentences.map(({ span, prose, heading }) => ({ span: { text: span.text, start: span.start + offset, end: span.end + offset }, prose, heading }));
}

interface AnalysedPart {
  /** The document, or the region of it that is analysed (same source, title and date). */
  part: CleanDocument;
  /** Where the part starts in the whole document. */
  offset: number;
}

/**
 * Past this length a document is analysed only around its retrieved passages: every sentence of an 8 MB text
 * (~100k sentences) took over 30 s and held the bot's event loop; the answer is near the passages anyway.
 */
const LARGE_DOCUMENT_CHARS = 200_000;
/** How much text around the retrieved passages of a large document is analysed, on each side. */
const PASSAGE_MARGIN_CHARS = 3_000;

function analysedPart(doc: CleanDocument, own: readonly Passage[]): AnalysedPart {
  const first = own[0];
  if (doc.text.length <= LARGE_DOCUMENT_CHARS || !first) return { part: doc, offset: 0 };
  // The best passage's region, with the others as long as the region stays small.
  let from = first.chunk.start;
  let to = first.chunk.end;
  for (const p of own) {
    const f = Math.min(from, p.chunk.start);
    const t = Math.max(to, p.chunk.end);
    if (t - f <= LARGE_DOCUMENT_CHARS / 4) [from, to] = [f, t];
  }
  from = Math.max(0, from - PASSAGE_MARGIN_CHARS);
  to = Math.min(doc.text.length, to + PASSAGE_MARGIN_CHARS);
  // Cut at line breaks where there is one near, so no sentence is cut in two.
  const lineStart = doc.text.lastIndexOf('\n', from);
  if (lineStart >= 0 && from - lineStart < PASSAGE_MARGIN_CHARS) from = lineStart + 1;
  const lineEnd = doc.text.indexOf('\n', to);
  if (lineEnd >= 0 && lineEnd - to < PASSAGE_MARGIN_CHARS) to = lineEnd;
  return { part: { ...doc, text: doc.text.slice(from, to), contentHash: `${doc.contentHash}#${from}-${to}` }, offset: from };
}

export { capitalisedRuns };
