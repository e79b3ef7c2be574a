// Shapes shared by the parser worker's host (extractor.ts), the parse that runs inside it (parse-job.ts) and the
// format code (parse.ts): kept apart so that neither side imports the other.
import type { CleanDocument } from '../../types.js';

export interface PdfTextItem {
  str: string;
  /** Baseline position in PDF points from the page's bottom-left corner. */
  x: number;
  y: number;
  width: number;
  size: number;
}

export interface PdfPageText {
  width: number;
  height: number;
  items: PdfTextItem[];
}

export interface PdfExtraction {
  pageCount: number;
  title: string | null;
  /** The raw `CreationDate` of the document information dictionary ("D:20240305…"). */
  creationDate: string | null;
  pages: PdfPageText[];
}

export interface DocxExtraction {
  /** mammoth's HTML: headings, paragraphs, lists and tables. */
  html: string;
  /** dc:title of the core properties. */
  title: string | null;
  /** The cover page's "Publish Date" property, as written. */
  publishDate: string | null;
}

export type ExtractionOutcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Reads the text layer of PDF and Word bytes (pdf.js, mammoth). */
export interface BinaryExtractor {
  pdf(bytes: Uint8Array): Promise<ExtractionOutcome<PdfExtraction>>;
  docx(bytes: Uint8Array): Promise<ExtractionOutcome<DocxExtraction>>;
}

/** One file parsed, and every boilerplate key its cleaning looked up (see load.ts, `ScannedFile.consulted`). */
export interface ParsedFile {
  doc: CleanDocument;
  consulted: string[];
}

/** Parses a whole file of any supported format somewhere the caller's event loop does not wait on. */
export interface DocumentParser {
  /** `boilerplateLines`: the corpus' cross-document short lines, sorted; the same array object while unchanged. */
  parse(source: string, bytes: Uint8Array, boilerplateLines?: readonly string[]): Promise<ExtractionOutcome<ParsedFile>>;
}
