// The offline answerer: picks the sentences of the retrieved documents that best answer the question and cites
// each one with its exact span. It never writes a word of its own besides the refusal message.
import type { Answer, Citation, CleanDocument, Passage } from '../types.js';
import { splitSentences, type Span } from '../text/sentences.js';
import { contentTerms, foldText, termOf, words } from '../text/tokens.js';
import { weightedCoverage } from '../text/overlap.js';
import { cosine } from '../embed/sif-embedder.js';
import { analyzeQuery, type AnswerType, type QueryAnalysis } from '../retrieve/query.js';
import { dateWords } from '../retrieve/indexed-text.js';
import { assembleAnswer, type Claim } from './citations.js';

export const REFUSAL_TEXT = "I couldn't find this in the indexed documents.";

export interface EvidenceModel {
  /** Inverse document frequency of a stemmed term over the indexed chunks. */
  idf(term: string): number;
  /** Optional sentence embedding (unit length) for semantic similarity. */
  embed?(text: string): ArrayLike<number>;
  /** Whether the indexed corpus contains the stemmed term (or a close derivation of it) at all. */
  knows?(term: string): boolean;
}

export interface ExtractiveOptions {
  maxSentences: number;
  /**
   * Evidence of the best sentence = IDF-weighted share of the question's terms it holds + half its cosine
   * similarity to the question. Below this, the corpus does not answer the question.
   */
  minEvidence: number;
  /** How term overlap, document-level coverage and embedding similarity weigh in a sentence's score. */
  weights: { lexical: number; context: number; semantic: number };
  /** Diagnostics hook: receives the scored candidate sentences, best first. */
  onScored?: (sentences: ReadonlyArray<{ text: string; score: number; lexical: number; context: number; semantic: number; slot: number; source: string }>, evidence: { evidence: number; unknownName: string | null }) => void;
}

// Calibrated on the dev set plus our own paraphrase/unanswerable probes (test/fixtures/qa-extra.jsonl).
export const DEFAULT_EXTRACTIVE_OPTIONS: ExtractiveOptions = {
  maxSentences: 3,
  minEvidence: 0.62,
  weights: { lexical: 0.35, context: 0.2, semantic: 0.3 },
};

interface ScoredSentence {
  passage: Passage;
  span: Span;
  lexical: number;
  context: number;
  semantic: number;
  slot: number;
  score: number;
  vector?: ArrayLike<number>;
}

export function answerExtractively(
  question: string,
  passages: readonly Passage[],
  documents: ReadonlyMap<string, CleanDocument>,
  evidence: EvidenceModel,
  options: ExtractiveOptions = DEFAULT_EXTRACTIVE_OPTIONS,
): Answer {
  const query = analyzeQuery(question);
  if (query.terms.length === 0 || passages.length === 0) return refusal(question, passages);
  const idf = (term: string) => evidence.idf(term);
  const questionVector = evidence.embed?.(question);
  const questionNames = capitalizedRuns(tokenize(question)).map((run) => foldText(run.text));

  // Candidates are all sentences of the documents behind the retrieved passages ("small to big"): the
  // sentence that answers is often next to the passage that matched, and the document as a whole tells
  // whether it is about what the question names (people, dates, places).
  const scored: ScoredSentence[] = [];
  const documentOrder = [...new Set(passages.map((p) => p.chunk.source))];
  documentOrder.forEach((source, documentRank) => {
    const doc = documents.get(source);
    const own = passages.filter((p) => p.chunk.source === source);
    const firstPassage = own[0];
    if (!doc || !firstPassage) return;
    // Every sentence is part of its document, so "sentence plus document" coverage is the document's.
    const context = weightedCoverage(query.terms, documentTermsOf(doc), idf);
    for (const span of sentencesOf(doc)) {
      const holder = own.find((p) => span.start < p.chunk.end && span.end > p.chunk.start);
      const features = featuresOf(span);
      const lexical = weightedCoverage(query.terms, features.terms, idf);
      const vector = evidence.embed ? (features.vector ??= evidence.embed(span.text)) : undefined;
      const semantic = questionVector && vector ? cosine(questionVector, vector) : 0;
      const slot = slotScore(query, span.text, features.tokens, questionNames);
      const prior = (holder ? 0.04 : 0) + 0.04 / (documentRank + 1);
      const score =
        options.weights.lexical * lexical + options.weights.context * context + options.weights.semantic * semantic + slot + novelty(query.terms, span.text) + prior;
      scored.push({ passage: holder ?? firstPassage, span, lexical, context, semantic, slot, score, ...(vector ? { vector } : {}) });
    }
  });
  scored.sort((a, b) => b.score - a.score || a.span.start - b.span.start);
  const best = scored[0];

  // Evidence check, independent of which sentence wins. Two ways the corpus shows it does not cover a question:
  // it names something the documents never mention ("Cape Canaveral"), or no sentence holds enough of the
  // question's specific words and meaning.
  const unknownName = evidence.knows ? query.names.find((name) => name.some((word) => !/^\d+$/.test(word) && !evidence.knows?.(termOf(word)))) : undefined;
  const bestEvidence = Math.max(0, ...scored.map((s) => s.lexical + 0.5 * s.semantic));
  options.onScored?.(
    scored.map((s) => ({ text: s.span.text, score: s.score, lexical: s.lexical, context: s.context, semantic: s.semantic, slot: s.slot, source: s.passage.chunk.source })),
    { evidence: bestEvidence, unknownName: unknownName ? unknownName.join(' ') : null },
  );
  // A "when" or "how many" question needs a date or a number among the best sentences to be answerable.
  const needsSlot = query.answerType === 'when' || query.answerType === 'how-many';
  const slotMissing = needsSlot && !scored.slice(0, 5).some((s) => s.slot >= (query.answerType === 'how-many' ? SLOT_NEAR : SLOT_ANYWHERE));
  if (!best || unknownName || slotMissing || bestEvidence < options.minEvidence) return refusal(question, passages);

  const chosen: ScoredSentence[] = [best];
  for (const candidate of scored.slice(1)) {
    if (chosen.length >= options.maxSentences) break;
    if (candidate.score < 0.8 * best.score || candidate.lexical < 0.15) continue;
    // A supporting sentence from another document must stand on its own words, not on the best one's context.
    if (candidate.passage.chunk.source !== best.passage.chunk.source && candidate.lexical < 0.5) continue;
    const redundant = chosen.some(
      (c) =>
        (c.passage.chunk.source === candidate.passage.chunk.source && c.span.start === candidate.span.start) ||
        (c.vector && candidate.vector ? cosine(c.vector, candidate.vector) > 0.92 : false),
    );
    if (!redundant) chosen.push(candidate);
  }

  const claims: Claim[] = chosen.map((sentence) => ({ sentence: sentence.span.text, support: [citationFor(sentence.passage.doc, sentence.span)] }));
  const { answer, citations } = assembleAnswer(claims, documents);
  if (citations.length === 0) return refusal(question, passages);
  return { question, answer, refused: false, mode: 'extractive', citations };
}

/** The refusal answer, listing the closest sources (their passage's first sentence) so the user can judge. */
export function refusal(question: string, closest: readonly Passage[]): Answer {
  const seen = new Set<string>();
  const citations: Citation[] = [];
  for (const passage of closest) {
    if (seen.has(passage.chunk.source) || citations.length >= 3) continue;
    seen.add(passage.chunk.source);
    const first = splitSentences(passage.chunk.text)[0];
    if (!first) continue;
    const start = passage.chunk.start + first.start;
    citations.push({ ...citationFor(passage.doc, { start, end: start + first.text.length, text: first.text }), n: citations.length + 1 });
  }
  return { question, answer: REFUSAL_TEXT, refused: true, mode: 'extractive', citations };
}

function citationFor(doc: Passage['doc'], span: Span): Omit<Citation, 'n'> {
  return { source: doc.source, title: doc.title, date: doc.publishedAt, url: doc.url, quote: span.text, start: span.start, end: span.end };
}

// Per-document and per-sentence work is cached on the (immutable) stored objects of the current snapshot, so
// a question only pays for scoring, not for re-tokenising the same sentences.
const sentenceCache = new WeakMap<CleanDocument, Span[]>();
const documentTermCache = new WeakMap<CleanDocument, Set<string>>();
const featureCache = new WeakMap<Span, SentenceFeatures>();

interface SentenceFeatures {
  terms: Set<string>;
  tokens: Token[];
  vector?: ArrayLike<number>;
}

function featuresOf(span: Span): SentenceFeatures {
  let features = featureCache.get(span);
  if (!features) {
    features = { terms: new Set(contentTerms(span.text)), tokens: tokenize(span.text) };
    featureCache.set(span, features);
  }
  return features;
}

function documentTermsOf(doc: CleanDocument): Set<string> {
  let terms = documentTermCache.get(doc);
  if (!terms) {
    terms = new Set(contentTerms(`${doc.title}\n${doc.text}\n${dateWords(doc.publishedAt)}`));
    documentTermCache.set(doc, terms);
  }
  return terms;
}

function sentencesOf(doc: CleanDocument): Span[] {
  let all = sentenceCache.get(doc);
  if (!all) {
    all = splitSentences(doc.text);
    sentenceCache.set(doc, all);
  }
  return all;
}

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';
const CALENDAR_WORD = new RegExp(`^(?:${MONTHS}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$`);
const NUMBER_WORD = /^(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand|million|billion|percent|half)$/;
/** Words that open a sentence or a title without naming anything. */
const NOT_A_NAME = new Set(['the', 'a', 'an', 'but', 'and', 'however', 'in', 'on', 'at', 'as', 'this', 'that', 'these', 'those', 'it', 'he', 'she', 'they', 'we', 'i', 'his', 'her', 'their', 'our', 'while', 'despite', 'after', 'before', 'during', 'since', 'when', 'also', 'both', 'earlier', 'officials', 'president', 'prime', 'minister']);

const SLOT_NEAR = 0.25;
const SLOT_ANYWHERE = 0.08;

interface Token {
  word: string;
  term: string;
  capitalized: boolean;
}

function tokenize(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu)].map((m) => {
    const raw = (m[0] ?? '').replace(/['’]s$/, '').replace(/[.-]+$/, '');
    const word = foldText(raw);
    return { word, term: termOf(word.replace(/[^a-z0-9]/g, '')), capitalized: /^\p{Lu}/u.test(raw) };
  });
}

/** Runs of capitalised words ("Kim Yo Jong", "Camp David") with their token positions. */
function capitalizedRuns(tokens: readonly Token[]): Array<{ text: string; start: number; end: number }> {
  const runs: Array<{ text: string; start: number; end: number }> = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (token && token.capitalized && !NOT_A_NAME.has(token.word) && !CALENDAR_WORD.test(token.word)) {
      let j = i;
      while (j + 1 < tokens.length && tokens[j + 1]?.capitalized) j++;
      runs.push({ text: tokens.slice(i, j + 1).map((t) => t.word).join(' '), start: i, end: j });
      i = j + 1;
    } else i++;
  }
  return runs;
}

/**
 * Rewards a sentence holding the kind of thing the question asks for (a place for "where", a name for "who",
 * a date for "when", a number for "how many") — more when it stands next to one of the question's own words,
 * as in "met in Tokyo" or "Kim Yo Jong rejected".
 */
function slotScore(query: QueryAnalysis, sentence: string, tokens: readonly Token[], questionNames: readonly string[]): number {
  const anchors = new Set(query.terms);
  const slots: number[] = [];
  const isQuestionName = (name: string) => questionNames.some((q) => q.includes(name) || name.includes(q));
  switch (query.answerType) {
    case 'where':
      for (const run of capitalizedRuns(tokens)) {
        const before = tokens[run.start - 1]?.word;
        if (before && ['in', 'at', 'to', 'from', 'near', 'of'].includes(before) && !isQuestionName(run.text)) slots.push(run.start);
      }
      break;
    case 'who':
      for (const run of capitalizedRuns(tokens)) if (!isQuestionName(run.text)) slots.push(run.start);
      break;
    case 'when':
      tokens.forEach((t, i) => {
        if ((/^(1[89]\d{2}|20\d{2})$/.test(t.word) || CALENDAR_WORD.test(t.word)) && !query.years.includes(t.word) && !anchors.has(t.term)) slots.push(i);
      });
      break;
    case 'how-many':
      tokens.forEach((t, i) => {
        if (NUMBER_WORD.test(t.word) && !anchors.has(t.term)) slots.push(i);
      });
      break;
    case 'why':
      return /\b(because|after|due to|over|amid|as a result|in response to|prompted|following)\b/i.test(sentence) ? 0.08 : 0;
    default:
      return 0;
  }
  if (slots.length === 0) return 0;
  const anchorPositions = tokens.flatMap((t, i) => (anchors.has(t.term) && !isQuestionName(t.word) ? [i] : []));
  const near = slots.some((slot) => anchorPositions.some((a) => Math.abs(a - slot) <= 4));
  return near ? SLOT_NEAR : SLOT_ANYWHERE;
}

/** A sentence that only repeats the question's own words cannot answer it. */
function novelty(queryTerms: readonly string[], sentence: string): number {
  const own = new Set(queryTerms);
  const fresh = words(sentence).filter((w) => !own.has(termOf(w)) && w.length > 2);
  return fresh.length >= 3 ? 0 : -0.2;
}
