// Parses files in a worker thread, so a hostile or huge file can only burn this thread's time and memory: the caller
// terminates it on a deadline and the bot's event loop keeps answering. Jobs: `parse` (any format, the whole parse
// to a CleanDocument: the typed code of parse-job.ts, which uses the PDF and Word readers below in this thread), and
// `pdf` / `docx` (only the text layer of untrusted binary formats: pdf.js, mammoth). Plain JavaScript so that it
// starts under node, tsx and vitest alike; the typed parse is loaded compiled (dist/) or through tsx (sources).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { inflateRawSync } from 'node:zlib';

// pdf.js reads character maps (CJK fonts) and the standard fonts' metrics from files it ships; without them the
// text of many Japanese and Korean PDFs comes out empty or garbled.
const PDFJS_DIR = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

class Refusal extends Error {}

parentPort?.on('message', async (job) => {
  try {
    if (job.kind === 'parse') {
      // The outcome is the reply: a refusal (IngestError) is an answer, not a failure of the worker.
      const outcome = await parseFile(job);
      parentPort?.postMessage(outcome.ok ? { id: job.id, ok: true, result: outcome.value } : { id: job.id, ok: false, reason: outcome.reason });
      return;
    }
    const result = job.kind === 'pdf' ? await extractPdf(job) : await extractDocx(job);
    parentPort?.postMessage({ id: job.id, ok: true, result });
  } catch (error) {
    if (error instanceof Unavailable) parentPort?.postMessage({ id: job.id, ok: false, unavailable: error.message });
    else parentPort?.postMessage({ id: job.id, ok: false, reason: reasonOf(error, job.kind) });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Any format: the typed parse

let parseJobModule;

/** parse-job.js beside this file once compiled (dist/); from the TypeScript sources, through tsx in this thread. */
async function loadParseJob() {
  const compiled = new URL('./parse-job.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return import(compiled.href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL('./parse-job.ts', import.meta.url).href);
}

// Loading starts with the thread, not with the first job: a file's deadline should measure its parse.
const parseJobLoading = loadParseJob();
// Kept from becoming an unhandled rejection before the first job awaits it; that job reports the error.
parseJobLoading.catch(() => undefined);

/** Settles a reader's work into the outcome shape parse-job.ts expects, with the same reasons as `pdf`/`docx` jobs. */
async function settle(kind, work) {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, reason: reasonOf(error, kind) };
  }
}

/** The typed parse could not be loaded: no file can be parsed here, which is no file's fault. */
class Unavailable extends Error {}

async function parseFile(job) {
  try {
    parseJobModule ??= await parseJobLoading;
  } catch (error) {
    throw new Unavailable(`the parser could not be loaded (${firstLine(error)})`);
  }
  const binary = {
    pdf: (bytes) => settle('pdf', async () => pdfFromRaw(await extractPdf({ bytes, maxPages: job.maxPdfPages }))),
    docx: (bytes) => settle('docx', () => extractDocx({ bytes, maxUnzippedBytes: job.maxUnzippedBytes, maxUnzipRatio: job.maxUnzipRatio })),
  };
  return parseJobModule.parseJob({ source: job.source, bytes: job.bytes, linesId: job.linesId ?? 0, lines: job.lines }, binary);
}

/** The compact page items a `pdf` job returns, as the objects the layout code reads. */
function pdfFromRaw(raw) {
  return {
    ...raw,
    pages: raw.pages.map((page) => ({
      width: page.width,
      height: page.height,
      items: page.items.map(([str, x, y, width, size]) => ({ str, x, y, width, size })),
    })),
  };
}

function firstLine(error) {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').slice(0, 160);
}

function reasonOf(error, kind) {
  if (error instanceof Refusal) return error.message;
  const name = error && typeof error === 'object' ? error.name : '';
  if (kind === 'pdf') {
    if (name === 'PasswordException') return 'encrypted PDF (a password is required to read it)';
    if (name === 'InvalidPDFException') return `broken PDF (${firstLine(error)})`;
    return `could not read the PDF (${firstLine(error)})`;
  }
  if (kind === 'docx') return `could not read the Word file (${firstLine(error)})`;
  return `could not parse (${firstLine(error)})`;
}

// ---------------------------------------------------------------------------------------------------------------
// PDF

let pdfjs;

async function extractPdf({ bytes, maxPages }) {
  pdfjs ??= await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: join(PDFJS_DIR, 'cmaps') + '/',
    cMapPacked: true,
    standardFontDataUrl: join(PDFJS_DIR, 'standard_fonts') + '/',
    // Fonts are only needed to draw; eval-compiled font programs are an attack surface we do not need.
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  const doc = await task.promise;
  try {
    const pageCount = doc.numPages;
    if (pageCount > maxPages) throw new Refusal(`too many pages (${pageCount}, limit ${maxPages})`);
    const meta = await doc.getMetadata().catch(() => null);
    const info = meta?.info ?? {};
    const xmpTitle = meta?.metadata?.get?.('dc:title') ?? null;
    const pages = [];
    for (let n = 1; n <= pageCount; n++) {
      const page = await doc.getPage(n);
      const [x0, y0, x1, y1] = page.view;
      const content = await page.getTextContent();
      const items = [];
      for (const item of content.items) {
        if (typeof item.str !== 'string' || item.str.trim().length === 0) continue;
        const t = item.transform;
        const size = Math.hypot(t[2], t[3]) || item.height || 1;
        // [text, x, y, width, font size]: compact, because a long PDF has tens of thousands of items to clone.
        items.push([item.str, t[4] - x0, t[5] - y0, item.width, size]);
      }
      pages.push({ width: x1 - x0, height: y1 - y0, items });
      page.cleanup();
    }
    return {
      pageCount,
      title: typeof info.Title === 'string' ? info.Title : typeof xmpTitle === 'string' ? xmpTitle : null,
      creationDate: typeof info.CreationDate === 'string' ? info.CreationDate : null,
      pages,
    };
  } finally {
    await doc.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// DOCX

let mammoth;

const ZIP_LOCAL = 0x04034b50;
const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;
const MAX_ENTRIES = 10_000;

function mb(bytes) {
  return Math.round(bytes / (1024 * 1024));
}

/**
 * Walks the archive and inflates every entry against a budget before any library sees it: the sizes an archive
 * declares can lie, the inflated bytes cannot. Returns the text of the entries we read ourselves.
 */
function inspectZip(buf, maxUnzipped, ratio) {
  const broken = new Refusal('broken Word file (not a complete zip archive)');
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  }
  if (end < 0) throw broken;
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  if (count > MAX_ENTRIES) throw new Refusal(`zip archive with too many entries (${count})`);
  const budget = Math.min(maxUnzipped, ratio * buf.length);
  const bomb = () =>
    new Refusal(`unzips to more than ${mb(budget)} MB (limit: ${ratio}× its size or ${mb(maxUnzipped)} MB): refused as a zip bomb`);
  const entries = [];
  let declared = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== ZIP_CENTRAL) throw broken;
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    p += 46 + nameLength + extraLength + commentLength;
    declared += size;
    if (declared > budget) throw bomb();
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== ZIP_LOCAL) throw broken;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + compressed > buf.length) throw broken;
    entries.push({ name, method, data: buf.subarray(start, start + compressed) });
  }
  let total = 0;
  const texts = new Map();
  for (const entry of entries) {
    let data;
    if (entry.method === 0) data = entry.data;
    else if (entry.method === 8) {
      try {
        data = inflateRawSync(entry.data, { maxOutputLength: Math.max(1, budget - total) });
      } catch (error) {
        if (error && (error.code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)) throw bomb();
        throw broken;
      }
    } else throw new Refusal(`unsupported zip compression method ${entry.method}`);
    total += data.length;
    if (total > budget) throw bomb();
    if (entry.name === 'docProps/core.xml' || /^customXml\/item\d*\.xml$/.test(entry.name)) texts.set(entry.name, data.toString('utf8'));
  }
  return { names: new Set(entries.map((e) => e.name)), texts };
}

function xmlText(xml, localName) {
  const m = new RegExp(`<(?:[\\w-]+:)?${localName}\\b[^>]*>([\\s\\S]*?)</(?:[\\w-]+:)?${localName}>`).exec(xml);
  if (!m) return null;
  const text = m[1]
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
  return text || null;
}

async function extractDocx({ bytes, maxUnzippedBytes, maxUnzipRatio }) {
  const buf = Buffer.from(bytes);
  const zip = inspectZip(buf, maxUnzippedBytes, maxUnzipRatio);
  if (!zip.names.has('word/document.xml')) throw new Refusal('not a Word document (the archive has no word/document.xml)');
  const core = zip.texts.get('docProps/core.xml') ?? '';
  // Word's cover-page "Publish Date" lives in a custom XML part; it is the one property that means publication.
  let publishDate = null;
  for (const [name, xml] of zip.texts) if (name.startsWith('customXml/')) publishDate ??= xmlText(xml, 'PublishDate');
  mammoth ??= (await import('mammoth')).default;
  const converted = await mammoth.convertToHtml({ buffer: buf });
  return { html: converted.value, title: xmlText(core, 'title'), publishDate };
}
