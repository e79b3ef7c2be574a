// Sentence spans with offsets into the original text. Intl.Segmenter does the heavy lifting; we only repair
// the splits it makes after abbreviations common in news copy ("S. Korea", "U.S.", "Mr.", "Aug.").
export interface Span {
  start: number;
  end: number;
  text: string;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

// A segment ending in one of these is not the end of a sentence.
const ABBREVIATION_END =
  /(?:\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Sgt|Capt|Gov|Sen|Rep|Rev|St|Jr|Sr|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|approx|est|Inc|Corp|Ltd|Co|Adm|Amb|Pres|Govt|Dept|Univ|Mt|Ft)\.|\b(?:[A-Z]\.){2,})\s*$/;

/** Paragraph spans: blocks separated by blank lines (or single newlines between lines). */
export function splitParagraphs(text: string): Span[] {
  const spans: Span[] = [];
  const pattern = /[^\n]+(?:\n(?!\s*\n)[^\n]+)*/g;
  for (const match of text.matchAll(pattern)) {
    const raw = match[0];
    const leading = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed.length === 0) continue;
    const start = (match.index ?? 0) + leading;
    spans.push({ start, end: start + trimmed.length, text: trimmed });
  }
  return spans;
}

/** Sentence spans of `text`; never crosses a paragraph boundary. `text.slice(s.start, s.end) === s.text`. */
export function splitSentences(text: string): Span[] {
  const sentences: Span[] = [];
  for (const paragraph of splitParagraphs(text)) sentences.push(...paragraphSentences(text, paragraph));
  return sentences;
}

/** The sentences of one paragraph of `text` (splitSentences, a paragraph at a time: long texts are split in slices). */
export function paragraphSentences(text: string, paragraph: Span): Span[] {
  const sentences: Span[] = [];
  let pending: Span | null = null;
  for (const segment of segmenter.segment(paragraph.text)) {
    const raw = segment.segment;
    const leading = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed.length === 0) continue;
    const start = paragraph.start + segment.index + leading;
    const span: Span = { start, end: start + trimmed.length, text: trimmed };
    if (pending && ABBREVIATION_END.test(pending.text) && /^[A-Za-z0-9"'“(]/.test(span.text)) {
      pending = { start: pending.start, end: span.end, text: text.slice(pending.start, span.end) };
    } else {
      if (pending) sentences.push(pending);
      pending = span;
    }
  }
  if (pending) sentences.push(pending);
  return sentences.flatMap((s) => splitAfterInitialism(s));
}

// "…in Washington, D.C. The missile launch…": an initialism with internal periods can end a sentence, and the
// segmenter keeps it joined to the next one. A sentence-opening function word right after it starts a new one
// ("the U.S. President" and "U.S. officials" go on).
const INITIALISM_THEN_OPENER =
  /\b(?:[A-Z]\.){2,}\s+(?=(?:The|This|That|These|Those|It|Its|He|She|They|We|There|His|Her|Their|A|An|In|On|At|But|And|However|Meanwhile|After|Before|When|While|As|Despite|Since|Earlier|Later|Both)\s)/g;

function splitAfterInitialism(span: Span): Span[] {
  const out: Span[] = [];
  let from = 0;
  for (const m of span.text.matchAll(INITIALISM_THEN_OPENER)) {
    const cut = (m.index ?? 0) + m[0].trimEnd().length;
    const next = (m.index ?? 0) + m[0].length;
    out.push({ start: span.start + from, end: span.start + cut, text: span.text.slice(from, cut) });
    from = next;
  }
  if (from === 0) return [span];
  out.push({ start: span.start + from, end: span.end, text: span.text.slice(from) });
  return out;
}
