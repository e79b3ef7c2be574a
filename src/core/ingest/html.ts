// HTML page → metadata and article paragraphs. Readability isolates the article; when it cannot, the body without
// page furniture (nav, header, footer, aside…) goes through the same boilerplate rules as plain-text pages.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { normalizeDateValue } from './dates.js';
import { isBracketedMarker, stripReferenceMarkers } from './footnotes.js';
import { splitBlock } from './clean.js';
import { ORIGIN_NOTE } from '../text/dates.js';

export interface HtmlDocument {
  title: string | null;
  date: { iso: string; confidence: number } | null;
  url: string | null;
  /** Paragraph texts in reading order. */
  paragraphs: string[];
  /** 'article' when Readability isolated the article, 'page' when the paragraphs are the whole stripped body. */
  extraction: 'article' | 'page';
  /** Text of article headers (byline, dateline) removed before extraction, for a dateline fallback. */
  headerParagraphs: string[];
}

// Minimal DOM surface used here; linkedom's types are broader but loosely declared.
interface DomNode {
  nodeType: number;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}
interface DomElement extends DomNode {
  tagName: string;
  className: string;
  previousSibling: DomNode | null;
  nextSibling: DomNode | null;
  children: ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
  remove(): void;
  replaceWith(...nodes: string[]): void;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}
interface Dom {
  body: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

const FURNITURE_SELECTOR = [
  'script', 'style', 'noscript', 'template', 'nav', 'header', 'footer', 'aside', 'form', 'iframe', 'svg', 'button',
  'select', 'figcaption', 'dialog', '[role="navigation"]', '[role="banner"]', '[role="contentinfo"]',
  '[role="complementary"]', '[aria-hidden="true"]',
].join(',');

/** Encyclopedia markup for footnote calls, maintenance tags and section edit links (MediaWiki's class names). */
const REFERENCE_MARKER_SELECTOR = [
  '.mw-editsection', 'sup.reference', 'sup.Template-Fact', 'sup.noprint', '.mw-cite-backlink',
].join(',');

/** A superscript footnote label ("22", "a", "*"): removed only when it links within the page, as footnote calls do. */
const FOOTNOTE_LABEL = /^(?:\d{1,3}|[a-z]|[*†‡§¶]{1,3})$/;

/**
 * Removes footnote calls, "[citation needed]" tags and "[edit]" links from the tree, before any text is read: a
 * marker left in splits sentences wrongly ("registered mozilla.org.[" / "3] One day later") and lands in quotes.
 * Superscripts that are part of the text (x², Aᴴ, 1st) hold no bracketed marker and link nowhere, so they stay.
 */
/**
 * A formula (MathML, or a wiki's rendered-math wrapper) is not text a quote can hold: it stands as "…" in the text, so
 * a sentence around it is quoted with the gap shown ("its conjugate transpose … is skew-Hermitian"), as a quotation
 * marks what it leaves out.
 */
function markOmittedFormulas(doc: Dom): void {
  for (const el of Array.from(doc.querySelectorAll('.mwe-math-element, math'))) el.replaceWith('…');
}

function removeReferenceMarkers(doc: Dom): void {
  for (const el of Array.from(doc.querySelectorAll(REFERENCE_MARKER_SELECTOR))) dropMarker(el);
  for (const sup of Array.from(doc.querySelectorAll('sup'))) {
    const text = collapse(sup.textContent);
    const linksWithinPage = sup.querySelector('a[href^="#"]') !== null;
    if (isBracketedMarker(text) || (linksWithinPage && FOOTNOTE_LABEL.test(text))) dropMarker(sup);
  }
  // Bare footnote links without a superscript: "<a href="#cite_note-3">[3]</a>".
  for (const link of Array.from(doc.querySelectorAll('a[href^="#"]'))) {
    if (isBracketedMarker(collapse(link.textContent))) dropMarker(link);
  }
}

/**
 * A marker after punctuation ("…controversy.[27] Mozilla") goes without a trace. One inside a sentence ("stepped down
 * on April 3, 2014[27] and Mitchell Baker…") leaves "…" where it stood, as a quotation marks what it leaves out: a
 * quote then reads "April 3, 2014… and Mitchell Baker", which the page, markers and all, still bears out.
 */
function dropMarker(el: DomElement): void {
  if (/\bmw-editsection\b/.test(el.className ?? '')) {
    el.remove();
    return;
  }
  const before = el.previousSibling?.textContent ?? '';
  const after = el.nextSibling?.textContent ?? '';
  const midSentence = /[\p{L}\p{N}%]$/u.test(before) && /^[\s,;:]*[\p{L}\p{N}(]/u.test(after) && !/^[.!?]/.test(after);
  if (midSentence) el.replaceWith('…');
  else el.remove();
}

const SKIPPED_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'HEAD', 'TITLE', 'META', 'LINK']);
const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'BLOCKQUOTE', 'BODY', 'CAPTION', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION',
  'FIGURE', 'FOOTER', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'OL', 'P', 'PRE', 'SECTION',
  'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL', 'ASIDE', 'NAV',
]);

/** linkedom needs a full html/head/body skeleton; fragments and body-less pages are wrapped. */
function ensureSkeleton(html: string): string {
  if (/<body[\s>]/i.test(html)) return html;
  let rest = html.replace(/<!doctype[^>]*>/gi, '').replace(/<\/?html[^>]*>/gi, '');
  let head = '';
  const headMatch = /<head[^>]*>([\s\S]*?)<\/head>/i.exec(rest);
  if (headMatch) {
    head = headMatch[1] ?? '';
    rest = rest.replace(headMatch[0], '');
  }
  return `<!DOCTYPE html><html><head>${head}</head><body>${rest}</body></html>`;
}

function parse(html: string): Dom {
  return parseHTML(html).document as unknown as Dom;
}

/** Stands for a <br> in a block's text until the block is cut into lines (no page text holds it). */
const LINE_BREAK = '\u0000';

function collapse(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Text of an element cut into block-level paragraphs. Walked with an explicit stack, not recursion: a hostile page
 * can nest elements tens of thousands deep, past the call stack.
 */
export function blockTexts(root: DomNode): string[] {
  const out: string[] = [];
  let buffer = '';
  // A <br> breaks a line inside its block: the lines are units of their own (an address, a list written with
  // line breaks), unless they are one paragraph wrapped by hand ("…These are Headers, Request and<br>Response. They
  // map…"), which splitBlock joins as it does for a plain-text file.
  const flush = (): void => {
    const lines = buffer.split(LINE_BREAK).map(collapse).filter((line) => line.length > 0);
    if (lines.length > 0) out.push(...splitBlock(lines));
    buffer = '';
  };
  // A FLUSH marker closes a block element after its children: text inside a block never runs into what follows.
  const FLUSH = null;
  // A BOUNDARY marks where a link or a code span ends. Pages often leave out the space there ("The Ubyssey</a>next
  // year", "Headers</code>,<code>Request"); a reader's eye supplies it, and so does the text here — between two words,
  // or after a comma, semicolon or colon before a word.
  const BOUNDARY = 0;
  let boundary = false;
  const stack: Array<DomNode | typeof FLUSH | typeof BOUNDARY> = Array.from(root.childNodes).reverse();
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === FLUSH || node === undefined) {
      flush();
      continue;
    }
    if (node === BOUNDARY) {
      boundary = true;
      continue;
    }
    if (node.nodeType === 3) {
      const text = node.textContent ?? '';
      if (boundary && /[\p{L}\p{N},;:]$/u.test(buffer) && /^[\p{L}\p{N}]/u.test(text)) buffer += ' ';
      if (text.length > 0) boundary = false;
      buffer += text;
    } else if (node.nodeType === 1) {
      const tag = (node as DomElement).tagName.toUpperCase();
      if (SKIPPED_TAGS.has(tag)) continue;
      if (tag === 'BR') {
        buffer += LINE_BREAK;
        continue;
      }
      // Preformatted text keeps its paragraphs: a blank line ends one (a plain-text RFC's section heading, its
      // running page header, each paragraph); lines within a paragraph stay together, as code does.
      if (tag === 'PRE') {
        flush();
        for (const paragraph of (node.textContent ?? '').split(/\n[ \t]*\n/)) {
          buffer = paragraph;
          flush();
        }
        continue;
      }
      const block = BLOCK_TAGS.has(tag);
      if (block) {
        flush();
        stack.push(FLUSH);
      }
      // Inline elements keep surrounding text together; a space stands in for what CSS would render.
      if (tag === 'A' || tag === 'CODE') {
        boundary = true;
        stack.push(BOUNDARY);
      }
      const children = node.childNodes;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  flush();
  return out;
}

/**
 * Readability's cost grows with nesting depth times the elements below: its cleaning passes measure the text and
 * the links under every candidate element (each measure walks the whole subtree), and it runs up to four attempts
 * when the article comes out short. A page of 5,000 nested <div>s took four minutes in it; real pages nest 15–30
 * deep (the 27 pages of the web eval set: at most 30). Deeper or larger pages skip it and keep the stripped body
 * under the page rules, which is linear.
 */
export const READABILITY_MAX_DEPTH = 64;
export const READABILITY_MAX_ELEMENTS = 50_000;

/** Deepest element nesting and element count under `root`, walked without recursion; stops past the limits. */
function fitsReadability(root: DomElement): boolean {
  let elements = 0;
  const stack: Array<[DomElement, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [element, depth] = stack.pop()!;
    if (depth > READABILITY_MAX_DEPTH || ++elements > READABILITY_MAX_ELEMENTS) return false;
    const children = element.children;
    for (let i = 0; i < children.length; i++) stack.push([children[i]!, depth + 1]);
  }
  return true;
}

function metaContent(doc: Dom, keys: readonly string[]): string | null {
  const wanted = new Map(keys.map((k, i) => [k.toLowerCase(), i]));
  let best: { rank: number; value: string } | null = null;
  for (const el of Array.from(doc.querySelectorAll('meta'))) {
    const name = (el.getAttribute('property') ?? el.getAttribute('name') ?? el.getAttribute('itemprop') ?? '').toLowerCase();
    const rank = wanted.get(name);
    const value = collapse(el.getAttribute('content'));
    if (rank === undefined || value.length === 0) continue;
    if (!best || rank < best.rank) best = { rank, value };
  }
  return best?.value ?? null;
}

function findInJsonLd(value: unknown, key: string, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findInJsonLd(item, key, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (record[key] !== undefined) return record[key];
  for (const nested of Object.values(record)) {
    const found = findInJsonLd(nested, key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function jsonLdValue(doc: Dom, key: string): unknown {
  for (const script of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
    try {
      const found = findInJsonLd(JSON.parse(script.textContent ?? ''), key);
      if (found !== undefined) return found;
    } catch {
      // Malformed JSON-LD is common; other sources still apply.
    }
  }
  return undefined;
}

const PUBLISHED_META = [
  'article:published_time', 'og:article:published_time', 'published_time', 'datepublished', 'article.published',
  'pubdate', 'publishdate', 'publish-date', 'publish_date', 'publication_date', 'parsely-pub-date', 'sailthru.date',
  'dc.date.issued', 'dcterms.issued', 'dc.date', 'dcterms.created', 'date', 'original-publish-date',
];

function findDate(doc: Dom): { iso: string; confidence: number } | null {
  const meta = normalizeDateValue(metaContent(doc, PUBLISHED_META));
  if (meta) return { iso: meta, confidence: 0.9 };
  const ld = normalizeDateValue(jsonLdValue(doc, 'datePublished'));
  if (ld) return { iso: ld, confidence: 0.9 };
  const time = doc.querySelector('time[itemprop="datePublished"], time[pubdate], article time[datetime]');
  const fromTime = normalizeDateValue(time?.getAttribute('datetime') ?? time?.textContent);
  if (fromTime) return { iso: fromTime, confidence: 0.75 };
  return null;
}

function absoluteUrl(value: string | null | undefined): string | null {
  const v = collapse(value);
  if (!/^https?:\/\//i.test(v)) return null;
  try {
    return new URL(v).toString();
  } catch {
    return null;
  }
}

/** Drops a trailing " | Site name" from a <title> when what remains still reads as a headline. */
function stripSiteSuffix(title: string): string {
  const m = /^(.*\S)\s+[|–—-]\s+([^|–—-]{2,60})$/.exec(title);
  if (m && m[1]!.split(/\s+/).length >= 3 && m[2]!.split(/\s+/).length <= 5) return m[1]!;
  return title;
}

function findTitle(doc: Dom): string | null {
  const og = metaContent(doc, ['og:title', 'twitter:title']);
  if (og) return og;
  const titleText = collapse(doc.querySelector('title')?.textContent);
  const h1 = collapse(doc.querySelector('h1')?.textContent);
  if (titleText && h1 && titleText.startsWith(h1)) return h1;
  if (titleText) return stripSiteSuffix(titleText);
  return h1 || null;
}

/** The page's origin notes that the article's paragraphs lack, in page order. */
function originNotes(body: DomElement, paragraphs: readonly string[]): string[] {
  const have = new Set(paragraphs);
  return blockTexts(body).filter((text) => text.length <= 400 && ORIGIN_NOTE.test(text) && !have.has(text));
}

export function parseHtml(html: string): HtmlDocument {
  const skeleton = ensureSkeleton(html);
  const doc = parse(skeleton);
  const title = findTitle(doc);
  const date = findDate(doc);
  const url =
    absoluteUrl(doc.querySelector('link[rel="canonical"]')?.getAttribute('href')) ??
    absoluteUrl(metaContent(doc, ['og:url', 'twitter:url']));

  const headerParagraphs: string[] = [];
  for (const header of Array.from(doc.querySelectorAll('article header, main header, [role="main"] header'))) {
    headerParagraphs.push(...blockTexts(header));
  }
  for (const el of Array.from(doc.querySelectorAll(FURNITURE_SELECTOR))) el.remove();
  removeReferenceMarkers(doc);
  markOmittedFormulas(doc);

  let paragraphs: string[] = [];
  let extraction: HtmlDocument['extraction'] = 'page';
  try {
    if (!doc.body || !fitsReadability(doc.body)) throw new Error('too deep or too large for Readability');
    // Readability rewrites the tree it reads, so it gets its own copy.
    const readable = parse(skeleton);
    for (const el of Array.from(readable.querySelectorAll(FURNITURE_SELECTOR))) el.remove();
    removeReferenceMarkers(readable);
    markOmittedFormulas(readable);
    const article = new Readability(readable as unknown as ConstructorParameters<typeof Readability>[0]).parse();
    if (article?.content && collapse(article.textContent).length > 0) {
      const contentDoc = parse(`<!DOCTYPE html><html><head></head><body>${article.content}</body></html>`);
      if (contentDoc.body) paragraphs = blockTexts(contentDoc.body);
      if (paragraphs.length > 0) extraction = 'article';
    }
  } catch {
    // Readability gives up on some malformed pages (and is not tried on pathological ones); the stripped body is used.
  }
  if (extraction === 'page' && doc.body) paragraphs = blockTexts(doc.body);
  else if (doc.body) paragraphs.push(...originNotes(doc.body, paragraphs));
  // Markers that are plain text in the markup ("free.[3] One day") are not in the tree to remove.
  paragraphs = paragraphs.map(stripReferenceMarkers).filter((p) => p.length > 0);
  return { title, date, url, paragraphs, extraction, headerParagraphs };
}
