// What a file's bytes say it is, whatever its name says. A file whose content does not match its extension is
// refused: a ".pdf" that is really an executable, or a ".txt" that is really a PDF, is a mistake or an attack.
import type { DocumentFormat } from '../types.js';

export type SniffedKind = 'pdf' | 'zip' | 'ole' | 'text' | 'binary';

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean =>
  bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // legacy .doc, .xls
const BINARY_SIGNATURES: ReadonlyArray<readonly number[]> = [
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x4d, 0x5a], // Windows executable
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x1f, 0x8b], // gzip
  [0x52, 0x61, 0x72, 0x21], // RAR
  [0x37, 0x7a, 0xbc, 0xaf], // 7z
];

export function sniffKind(bytes: Uint8Array): SniffedKind {
  // PDF readers accept the header within the first KiB; so do we.
  const head = bytes.subarray(0, 1024);
  if (startsWith(bytes, PDF) || Buffer.from(head).includes('%PDF-')) return 'pdf';
  if (startsWith(bytes, ZIP)) return 'zip';
  if (startsWith(bytes, OLE)) return 'ole';
  if (BINARY_SIGNATURES.some((signature) => startsWith(bytes, signature))) return 'binary';
  return 'text';
}

const KIND_NAMES: Record<SniffedKind, string> = {
  pdf: 'a PDF',
  zip: 'a zip archive',
  ole: 'an old-style Office file (.doc/.xls)',
  text: 'text',
  binary: 'a binary file',
};

/** Why `bytes` cannot be a `format` file, or null when the content fits the extension. */
export function contentMismatchReason(format: DocumentFormat, bytes: Uint8Array): string | null {
  const kind = sniffKind(bytes);
  const expected: SniffedKind = format === 'pdf' ? 'pdf' : format === 'docx' ? 'zip' : 'text';
  if (kind === expected) return null;
  // Other binaries under a text extension keep the decoder's "binary file" reason.
  if (expected === 'text' && kind === 'binary') return null;
  return `content does not match the .${format === 'md' ? 'md' : format} extension (it is ${KIND_NAMES[kind]})`;
}
