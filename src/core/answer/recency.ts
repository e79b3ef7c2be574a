// News is dated. "Who is the prime minister of X" asks about today, and a page from 2019 may name someone else:
// among sentences that answer equally well, the newest dated page should answer, and the answer should say how old
// its page is so the reader can judge. Pure: the answerer's scoring is untouched, only the order of equally good
// candidates and a note after the answer.
import type { Answer, CleanDocument } from '../types.js';
import { formatLongDate } from '../text/calendar.js';

/** Words that put a question in the present outright. */
const PRESENT_MARKER =
  /\b(?:now|nowadays|currently|current|presently|at present|at the moment|right now|these days|today|as of (?:now|today)|still|latest|incumbent|anymore|any more)\b/i;

/** A past or dated frame: the question asks about then, not now ("who was…", "in 2019", "last year", "who talked…"). */
const PAST_FRAME =
  /\b(?:was|were|did|had|used to|formerly|former|previous|previously|ago|last (?:year|month|week)|yesterday|back then|at the time|(?:in|since|until|before|after|during) (?:1[89]|20)\d\d|who (?:\w+ed|said|told|wrote|met|went|made|gave|took|spoke|ran|led|won|became|came|got|began|left))\b/i;

/** Offices and roles whose holder changes: "who is the CEO of…", "who are the owners of…". */
const ROLE =
  /\b(?:prime minister|premier|president|chancellor|ceo|chief executive|chief \w+ officer|cto|cfo|chair(?:man|woman|person)?|head|leader|director|manager|mayor|governor|king|queen|monarch|minister|secretary|owner|coach|captain|editor|maintainer|spokes(?:person|man|woman)|ambassador|champion|in charge|boss|chief)s?\b/i;

/** Holding an office, in the present tense: "who runs X", "who leads…", "who owns…". */
const PRESENT_HOLDING = /\bwho(?:'s| is| are)?\s+(?:runs|leads|heads|owns|chairs|manages|governs|rules|coaches|captains|maintains|edits|controls)\b/i;

/** "who is / who's / who are … <role>", "what is the … <role>". */
const PRESENT_ROLE_QUESTION = /\b(?:who|which \w+|what)(?:'s|\s+is|\s+are)\b/i;

/** "is / are" in the question: a present-tense statement is asked for. */
const PRESENT_VERB = /\b(?:is|are|isn't|aren't|'s|'re)\b/i;

/**
 * Whether a question asks about the state of things now: an office holder in the present tense ("who is the
 * prime minister of X", "who runs X"), or "is/are" with "now", "currently", "today", "still", "latest", "current".
 * A question framed in the past ("who was…", "in 2019") or a timeless one ("what is a Hermitian matrix") is not.
 */
export function asksAboutThePresent(question: string): boolean {
  const q = question.replace(/[’‘]/g, "'");
  if (PAST_FRAME.test(q)) return false;
  if (PRESENT_HOLDING.test(q)) return true;
  if (PRESENT_ROLE_QUESTION.test(q) && ROLE.test(q)) return true;
  return PRESENT_MARKER.test(q) && (PRESENT_VERB.test(q) || /\b(?:current|latest|incumbent)\b/i.test(q));
}

/**
 * How far below the best score a candidate still counts as answering equally well. Small on purpose: recency breaks
 * ties between pages that state the same kind of thing; it never lets a weak sentence beat a clear answer.
 */
export const RECENCY_TIE = 0.1;

/** What re-ordering needs of a scored candidate sentence. */
export interface DatedCandidate {
  score: number;
  doc: Pick<CleanDocument, 'source' | 'publishedAt'>;
}

/**
 * Candidates (best first) with those within `tie` of the best score put newest page first; dated pages before
 * undated ones; the rest of the order, within a page and below the tie, unchanged. The input is not modified.
 */
export function preferNewest<T extends DatedCandidate>(candidates: readonly T[], tie = RECENCY_TIE): T[] {
  const best = candidates[0];
  if (!best) return [];
  const floor = best.score - tie * Math.abs(best.score);
  const band = candidates.filter((c) => c.score >= floor);
  if (new Set(band.map((c) => c.doc.publishedAt)).size < 2) return [...candidates];
  const rank = (c: T): string => c.doc.publishedAt ?? '';
  // A stable sort: same-date candidates keep their score order.
  const reordered = [...band].sort((a, b) => (rank(a) === rank(b) ? 0 : rank(a) < rank(b) ? 1 : -1));
  const inBand = new Set(band);
  return [...reordered, ...candidates.filter((c) => !inBand.has(c))];
}

/**
 * "(from a page dated 3 March 2024)" or "(from an undated page)": the age of the page an answer comes from (the
 * newest date among the pages it cites). Null for a refusal or an answer that cites nothing.
 */
export function sourceAgeNote(answer: Pick<Answer, 'refused' | 'citations'>, documents: ReadonlyMap<string, Pick<CleanDocument, 'publishedAt'>>): string | null {
  if (answer.refused || answer.citations.length === 0) return null;
  const dates = answer.citations
    .map((c) => documents.get(c.source)?.publishedAt ?? c.date)
    .filter((d): d is string => typeof d === 'string' && /^\d{4}/.test(d))
    .sort();
  const newest = dates[dates.length - 1];
  if (!newest) return new Set(answer.citations.map((c) => c.source)).size > 1 ? '(from undated pages)' : '(from an undated page)';
  const [y, m, d] = newest.split('-').map(Number);
  return `(from a page dated ${formatLongDate({ y: y ?? 0, ...(m ? { m } : {}), ...(d ? { d } : {}) })})`;
}

/** The answer with the age of its page after it (for a question about the present; see `asksAboutThePresent`). */
export function withSourceAge<A extends Answer>(answer: A, documents: ReadonlyMap<string, Pick<CleanDocument, 'publishedAt'>>): A {
  const note = sourceAgeNote(answer, documents);
  return note ? { ...answer, answer: `${answer.answer} ${note}` } : answer;
}
