// One file's bytes → CleanDocument. Pure: no file system, no clock, so the same bytes always give the same document.
import { createHash } from 'node:crypto';
import type { CleanDocument, DateProvenance, DocumentFormat } from '../types.js';
import { cleanUnits, cleanText } from './clean.js';
import type { CleanResult } from './clean.js';
import { normalizeDateValue } from './dates.js';
import { decodeBytes } from './decode.js';
import { parseHtml } from './html.js';
import { IngestError, MAX_FILE_BYTES, tooLargeReason } from './ingest-error.js';
import { parseMarkdown } from './markdown.js';

export interface ParseContext {
  /** Short lines seen in two or more documents of the corpus: site furniture. */
  boilerplateLines?: ReadonlySet<string>;
}

const FORMATS: Record<string, DocumentFormat> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
};

export function extensionOf(source: string): string {
  const name = source.slice(source.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

export function formatOf(source: string): DocumentFormat | null {
  return FORMATS[extensionOf(source)] ?? null;
}

export function unsupportedReason(source: string): string {
  const ext = extensionOf(source);
  return ext ? `unsupported extension ${ext}` : 'unsupported extension (none)';
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

const TITLE_LIMIT = 90;

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Title for a page without a headline: its first sentence, cut at a word boundary. */
export function titleFromText(text: string): string {
  const firstParagraph = collapse(text.split(/\n\s*\n/)[0] ?? '');
  // Sentence end: punctuation followed by a space and a capital, not after a short abbreviation ("Mr.", "U.S.").
  const end = /(?<!\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Prof|Lt|Col|Capt|Sgt|No|vs|Inc|Corp|Co|Ltd|[A-Z]))[.!?]["'”’)]?(?=\s+["'“‘(]?\p{Lu})/u.exec(
    firstParagraph,
  );
  let sentence = end ? firstParagraph.slice(0, end.index + end[0].length) : firstParagraph;
  sentence = sentence.replace(/[.]$/, '');
  if (sentence.length <= TITLE_LIMIT) return sentence;
  const cut = sentence.slice(0, TITLE_LIMIT - 1);
  const space = cut.lastIndexOf(' ');
  const head = (space > 30 ? cut.slice(0, space) : cut).replace(/[\s,;:–—-]+$/, '');
  return `${head}…`;
}

interface Meta {
  title: string | null;
  date: { iso: string; provenance: DateProvenance; confidence: number } | null;
  url: string | null;
}

function stringValue(value: unknown): string | null {
  if (typeof value === 'string') return collapse(value) || null;
  if (typeof value === 'number') return String(value);
  return null;
}

function urlValue(value: unknown): string | null {
  const s = stringValue(value);
  return s && /^https?:\/\/\S+$/i.test(s) ? s : null;
}

const FRONT_MATTER_DATE_KEYS = ['date', 'published', 'publishedat', 'published_at', 'pubdate', 'date_published', 'datepublished'];

function frontMatterDate(data: Record<string, unknown>, rawMatter: string): string | null {
  for (const key of FRONT_MATTER_DATE_KEYS) {
    const value = data[key];
    if (value === undefined || value === null) continue;
    if (value instanceof Date) {
      // YAML turns "2024-03-01T02:00:00+09:00" into a UTC instant; the written calendar date is what counts.
      const literal = new RegExp(`^${key}\\s*:\\s*["']?([^"'\\n#]+)`, 'im').exec(rawMatter)?.[1];
      const fromLiteral = literal ? normalizeDateValue(literal) : null;
      if (fromLiteral) return fromLiteral;
    }
    const iso = normalizeDateValue(value);
    if (iso) return iso;
  }
  return null;
}

function loadTxt(text: string, context: ParseContext): { result: CleanResult; meta: Meta } {
  const result = cleanText(text, { mode: 'page', boilerplateLines: context.boilerplateLines });
  return { result, meta: { title: result.title, date: result.date, url: null } };
}

function loadMarkdown(text: string, context: ParseContext): { result: CleanResult; meta: Meta } {
  const md = parseMarkdown(text);
  const title = stringValue(md.data.title) ?? md.heading;
  const result = cleanUnits(md.paragraphs, { mode: 'article', boilerplateLines: context.boilerplateLines, knownTitle: title });
  const fmDate = frontMatterDate(md.data, md.rawMatter);
  const date = fmDate ? { iso: fmDate, provenance: 'front-matter' as const, confidence: 0.95 } : result.date;
  const url = urlValue(md.data.url) ?? urlValue(md.data.canonical) ?? urlValue(md.data.link) ?? urlValue(md.data.source);
  return { result, meta: { title, date, url } };
}

function loadHtml(text: string, context: ParseContext): { result: CleanResult; meta: Meta } {
  const html = parseHtml(text);
  // Readability returns the whole body when it finds no clear article, so its output gets the full page rules too:
  // they keep prose with its subheadings and announced lists, and drop menus and headline lists.
  const result = cleanUnits(html.paragraphs, {
    mode: 'page',
    boilerplateLines: context.boilerplateLines,
    knownTitle: html.title,
  });
  let date: Meta['date'] = html.date ? { ...html.date, provenance: 'meta-tag' } : result.date;
  if (!date && html.headerParagraphs.length > 0) date = cleanUnits(html.headerParagraphs, { mode: 'page' }).date;
  return { result, meta: { title: html.title ?? result.title, date, url: html.url } };
}

export function parseDocument(source: string, bytes: Uint8Array, context: ParseContext = {}): CleanDocument {
  const format = formatOf(source);
  if (!format) throw new IngestError(source, unsupportedReason(source));
  if (bytes.length > MAX_FILE_BYTES) throw new IngestError(source, tooLargeReason(bytes.length));
  const decoded = decodeBytes(bytes, { html: format === 'html' });
  if (!decoded.ok) throw new IngestError(source, decoded.reason);

  const loader = format === 'txt' ? loadTxt : format === 'md' ? loadMarkdown : loadHtml;
  const { result, meta } = loader(decoded.text, context);
  const text = result.paragraphs.join('\n\n');
  if (text.trim().length === 0) throw new IngestError(source, 'no article text');

  const title = (meta.title && collapse(meta.title)) || titleFromText(text);
  const publishedAt = meta.date?.iso ?? null;
  const url = meta.url;
  return {
    source,
    title,
    publishedAt,
    dateProvenance: meta.date?.provenance ?? null,
    dateConfidence: meta.date?.confidence ?? 0,
    url,
    format,
    text,
    fileHash: sha256(bytes),
    contentHash: sha256(`${JSON.stringify([title, publishedAt, url])}\n${text}`),
  };
}
