// One file's bytes → CleanDocument. parseDocument (text formats) is pure: no file system, no clock, so the same
// bytes always give the same document. parseInThread adds PDF and Word (their text layer read by a BinaryExtractor);
// it is what the parser worker runs. parseAnyDocument, for callers on the event loop, hands the whole parse to it.
import { createHash } from 'node:crypto';
import type { CleanDocument, DateProvenance, DocumentFormat } from '../types.js';
import { cleanUnits, cleanText } from './clean.js';
import type { CleanResult } from './clean.js';
import { normalizeDateValue } from './dates.js';
import { decodeBytes } from './decode.js';
import { stripReferenceMarkers } from './footnotes.js';
import { layoutDocx } from './docx.js';
import type { BinaryExtractor, DocumentParser, DocxExtraction, PdfExtraction } from './extract/types.js';
import { parseHtml } from './html.js';
import { IngestError, MAX_FILE_BYTES, tooLargeReason } from './ingest-error.js';
import { parseMarkdown } from './markdown.js';
import { layoutPdf, pdfDate, type PagedUnit } from './pdf.js';
import { contentMismatchReason } from './sniff.js';

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
  '.pdf': 'pdf',
  '.docx': 'docx',
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
  // A saved encyclopedia article keeps its "[3]" footnote calls as plain text.
  const result = cleanText(stripReferenceMarkers(text), { mode: 'page', boilerplateLines: context.boilerplateLines });
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

/** Formats whose bytes are parsed by a library in the worker thread (see extract/). */
export function isBinaryFormat(format: DocumentFormat): format is 'pdf' | 'docx' {
  return format === 'pdf' || format === 'docx';
}

function checkFile(source: string, bytes: Uint8Array): DocumentFormat {
  const format = formatOf(source);
  if (!format) throw new IngestError(source, unsupportedReason(source));
  if (bytes.length > MAX_FILE_BYTES) throw new IngestError(source, tooLargeReason(bytes.length));
  const mismatch = contentMismatchReason(format, bytes);
  if (mismatch) throw new IngestError(source, mismatch);
  return format;
}

/** Text formats (txt, md, html), in this thread. PDF and Word files need `parseInThread` or `parseAnyDocument`. */
export function parseDocument(source: string, bytes: Uint8Array, context: ParseContext = {}): CleanDocument {
  const format = checkFile(source, bytes);
  if (isBinaryFormat(format)) throw new IngestError(source, `internal: .${format} files are parsed by parseInThread`);
  const decoded = decodeBytes(bytes, { html: format === 'html' });
  if (!decoded.ok) throw new IngestError(source, decoded.reason);

  const loader = format === 'txt' ? loadTxt : format === 'md' ? loadMarkdown : loadHtml;
  const { result, meta } = loader(decoded.text, context);
  const text = result.paragraphs.join('\n\n');
  if (text.trim().length === 0) throw new IngestError(source, 'no article text');
  return assembleDocument(source, bytes, format, text, meta);
}

/**
 * Any supported file, parsed whole by `extractor` (the parser worker: off the event loop, under its time and memory
 * limits); a refusal becomes an IngestError naming the file and the reason.
 */
export async function parseAnyDocument(
  source: string,
  bytes: Uint8Array,
  context: ParseContext & { extractor: DocumentParser },
): Promise<CleanDocument> {
  const lines = context.boilerplateLines ? [...context.boilerplateLines] : undefined;
  const outcome = await context.extractor.parse(source, bytes, lines);
  if (!outcome.ok) throw new IngestError(source, outcome.reason);
  return outcome.value.doc;
}

/** Any supported file, in this thread; PDF and Word bytes go through `binary` first. The parser worker's parse. */
export async function parseInThread(
  source: string,
  bytes: Uint8Array,
  context: ParseContext & { binary: BinaryExtractor },
): Promise<CleanDocument> {
  const format = checkFile(source, bytes);
  if (format === 'pdf') {
    const outcome = await context.binary.pdf(bytes);
    if (!outcome.ok) throw new IngestError(source, outcome.reason);
    return documentFromPdf(source, bytes, outcome.value, context);
  }
  if (format === 'docx') {
    const outcome = await context.binary.docx(bytes);
    if (!outcome.ok) throw new IngestError(source, outcome.reason);
    return documentFromDocx(source, bytes, outcome.value, context);
  }
  return parseDocument(source, bytes, context);
}

function assembleDocument(source: string, bytes: Uint8Array, format: DocumentFormat, text: string, meta: Meta, pageStarts?: number[]): CleanDocument {
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
    contentHash: contentHashOf({ title, publishedAt, url, text, pageStarts }),
    ...(pageStarts ? { pageStarts } : {}),
  };
}

/** What decides whether a document must be re-chunked: its text and the metadata its chunks are cited with. */
export function contentHashOf(doc: { title: string; publishedAt: string | null; url: string | null; text: string; pageStarts?: number[] | undefined }): string {
  const { title, publishedAt, url, text, pageStarts } = doc;
  // Page starts are part of the content: the same text paginated differently must re-index its page numbers.
  const identity = pageStarts ? [title, publishedAt, url, pageStarts] : [title, publishedAt, url];
  return sha256(`${JSON.stringify(identity)}\n${text}`);
}

/** Metadata titles that name a file or a template rather than the document. */
export function usableTitle(value: string | null | undefined): string | null {
  const title = collapse(value ?? '');
  if (!title || !/\p{L}{3}/u.test(title) || title.length > 200) return null;
  if (/^(?:untitled|document\d*|title|microsoft word\b.*|slide \d+)$/i.test(title)) return null;
  if (/\.(?:pdf|docx?|rtf|odt|txt|indd|tex|html?)$/i.test(title) || /^[\w-]+$/.test(title) && /[_\d]/.test(title)) return null;
  return title;
}

/** Pages whose text layer holds fewer letters than this on average are images of text. */
const MIN_LETTERS_PER_PAGE = 10;

function documentFromPdf(source: string, bytes: Uint8Array, extraction: PdfExtraction, context: ParseContext): CleanDocument {
  const letters = extraction.pages.reduce((n, page) => n + page.items.reduce((m, item) => m + (item.str.match(/\p{L}/gu)?.length ?? 0), 0), 0);
  if (extraction.pageCount === 0 || letters < MIN_LETTERS_PER_PAGE * extraction.pageCount) throw new IngestError(source, 'no text layer (scanned PDF?)');
  const layout = layoutPdf(extraction);
  const title = usableTitle(extraction.title) ?? layout.heading;
  const result = cleanUnits(
    layout.units.map((u) => u.text),
    { mode: 'article', boilerplateLines: context.boilerplateLines, knownTitle: title },
  );
  const { text, pageStarts } = pagedText(layout.units, result.paragraphs, extraction.pageCount);
  if (text.trim().length === 0) throw new IngestError(source, 'no article text');
  const created = pdfDate(extraction.creationDate);
  // The file's creation date is usually the day it was exported for publication, but a dateline printed in the
  // document says so explicitly: the more confident of the two wins.
  const fromMeta = created ? { iso: created, provenance: 'document-properties' as const, confidence: 0.7 } : null;
  const date = result.date && (!fromMeta || result.date.confidence > fromMeta.confidence) ? result.date : fromMeta;
  return assembleDocument(source, bytes, 'pdf', text, { title, date, url: null }, pageStarts);
}

function documentFromDocx(source: string, bytes: Uint8Array, extraction: DocxExtraction, context: ParseContext): CleanDocument {
  const layout = layoutDocx(extraction.html);
  const title = usableTitle(extraction.title) ?? layout.heading;
  const result = cleanUnits(layout.units, { mode: 'article', boilerplateLines: context.boilerplateLines, knownTitle: title });
  const text = result.paragraphs.join('\n\n');
  if (text.trim().length === 0) throw new IngestError(source, 'no text in the Word document');
  // Created/modified properties record when a file was written (by a converter, often minutes ago), not when the
  // document was published; only the cover page's Publish Date means that.
  const published = extraction.publishDate ? normalizeDateValue(extraction.publishDate) : null;
  const date = published ? { iso: published, provenance: 'document-properties' as const, confidence: 0.9 } : result.date;
  return assembleDocument(source, bytes, 'docx', text, { title, date, url: null });
}

/**
 * Joins the kept paragraphs (returned verbatim by the cleaner, in order) and records where each page starts in the
 * joined text. A page with no kept text starts where the next one does.
 */
export function pagedText(units: readonly PagedUnit[], paragraphs: readonly string[], pageCount: number): { text: string; pageStarts: number[] } {
  const starts = new Array<number | undefined>(pageCount).fill(undefined);
  const mark = (page: number, at: number): void => {
    if (page >= 1 && page <= pageCount && starts[page - 1] === undefined) starts[page - 1] = at;
  };
  let j = 0;
  let offset = 0;
  const kept: string[] = [];
  for (const paragraph of paragraphs) {
    while (j < units.length && units[j]!.text !== paragraph) j++;
    const unit = units[j++];
    const at = offset + (kept.length > 0 ? 2 : 0);
    if (unit) {
      mark(unit.page, at);
      for (const b of unit.breaks) mark(b.page, at + b.at);
    }
    kept.push(paragraph);
    offset = at + paragraph.length;
  }
  const text = kept.join('\n\n');
  let next = text.length;
  for (let i = pageCount - 1; i >= 0; i--) {
    const start = starts[i];
    // Pages are kept in order, so a start never passes the next page's.
    next = start === undefined ? next : Math.min(start, next);
    starts[i] = next;
  }
  return { text, pageStarts: starts as number[] };
}
