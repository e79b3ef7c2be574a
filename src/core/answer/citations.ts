// The last gate before an answer leaves the core: a citation is shown only if its quote is really in the document.
import type { Citation, CleanDocument } from '../types.js';
import { pageAt } from './pages.js';

/** True when `quote` is exactly the text at [start, end) of the stored document. */
export function isQuoteAt(documentText: string, quote: string, start: number, end: number): boolean {
  if (quote.trim().length === 0) return false;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > documentText.length || end - start !== quote.length) {
    return false;
  }
  return documentText.slice(start, end) === quote;
}

/** Keeps only the citations whose quote is present, verbatim, at its offsets in the cited document. */
export function verifiedCitations(citations: readonly Citation[], documents: ReadonlyMap<string, CleanDocument>): Citation[] {
  return citations
    .filter((citation) => {
      const doc = documents.get(citation.source);
      return doc !== undefined && isQuoteAt(doc.text, citation.quote, citation.start, citation.end);
    })
    .map((citation) => ({ ...citation, page: pageAt(documents.get(citation.source), citation.start) }));
}

/** One sentence of an answer and the document spans put forward to support it. */
export interface Claim {
  sentence: string;
  support: Array<Omit<Citation, 'n'>>;
}

const MARKER = /\s*\[\d+\]/g;

/**
 * Turns claims into an answer: every support span is checked against the stored document, claims left with no
 * valid support are dropped, and the surviving spans are numbered [1], [2]… in order of first use.
 */
export function assembleAnswer(
  claims: readonly Claim[],
  documents: ReadonlyMap<string, CleanDocument>,
): { answer: string; citations: Citation[]; droppedClaims: number } {
  const citations: Citation[] = [];
  const keyToNumber = new Map<string, number>();
  const sentences: string[] = [];
  let droppedClaims = 0;
  for (const claim of claims) {
    const numbers: number[] = [];
    for (const span of claim.support) {
      const doc = documents.get(span.source);
      if (!doc || !isQuoteAt(doc.text, span.quote, span.start, span.end)) continue;
      const key = `${span.source}:${span.start}:${span.end}`;
      let n = keyToNumber.get(key);
      if (n === undefined) {
        n = citations.length + 1;
        keyToNumber.set(key, n);
        citations.push({ ...span, n, page: pageAt(doc, span.start) });
      }
      if (!numbers.includes(n)) numbers.push(n);
    }
    const sentence = claim.sentence.replace(MARKER, '').trim();
    if (numbers.length === 0 || sentence.length === 0) {
      droppedClaims += 1;
      continue;
    }
    sentences.push(`${sentence} ${numbers.map((n) => `[${n}]`).join(' ')}`);
  }
  return { answer: sentences.join(' '), citations, droppedClaims };
}

/** The citations of one document, for a Sources list that names each document once. */
export interface SourceGroup {
  source: string;
  title: string;
  date: string | null;
  url: string | null;
  citations: Citation[];
}

/** Groups citations by document, in order of each document's first citation. */
export function groupBySource(citations: readonly Citation[]): SourceGroup[] {
  const groups = new Map<string, SourceGroup>();
  for (const citation of citations) {
    let group = groups.get(citation.source);
    if (!group) {
      group = { source: citation.source, title: citation.title, date: citation.date, url: citation.url, citations: [] };
      groups.set(citation.source, group);
    }
    group.citations.push(citation);
  }
  return [...groups.values()];
}
