// Bytes → text. Scraped corpora mix encodings; we accept what can be read as text and refuse what cannot.
import { TextDecoder } from 'node:util';

export type DecodeResult = { ok: true; text: string; encoding: string } | { ok: false; reason: string };

const SAMPLE_BYTES = 64 * 1024;

function decoder(label: string, fatal = false): TextDecoder | null {
  try {
    return new TextDecoder(label, { fatal });
  } catch {
    return null;
  }
}

// Node's TextDecoder treats "windows-1252" as ISO-8859-1, leaving 0x80–0x9F as control characters; curly quotes and
// dashes live there, so the table is applied by hand. Undefined bytes stay C1 controls, as in the WHATWG mapping.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    const codes = new Array<number>(end - start);
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      codes[i - start] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b;
    }
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

const SINGLE_BYTE_WESTERN = new Set(['windows-1252', 'cp1252', 'iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'us-ascii', 'ascii', 'iso-8859-15']);

/** Share of code points that are control characters other than ordinary whitespace. */
function controlRatio(text: string): number {
  const sample = text.length > SAMPLE_BYTES ? text.slice(0, SAMPLE_BYTES) : text;
  if (sample.length === 0) return 0;
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    // Tab, LF, VT, FF, CR are whitespace; C1 controls (0x80–0x9F) are what a wrong single-byte decoding leaves behind.
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d) || c === 0x7f || (c >= 0x80 && c <= 0x9f)) {
      control++;
    }
  }
  return control / sample.length;
}

function looksLikeUtf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, SAMPLE_BYTES) & ~1;
  if (n < 8) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  // ASCII-heavy UTF-16 has a zero in the same half of almost every pair and almost never in the other half.
  if (zeroOdd / pairs > 0.6 && zeroEven / pairs < 0.05) return 'utf-16le';
  if (zeroEven / pairs > 0.6 && zeroOdd / pairs < 0.05) return 'utf-16be';
  return null;
}

function hasNul(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SAMPLE_BYTES);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/** Share of raw bytes that are C0 controls other than whitespace: text in any ASCII-compatible encoding has almost none. */
function rawControlRatio(bytes: Uint8Array): number {
  const n = Math.min(bytes.length, SAMPLE_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) control++;
  }
  return n === 0 ? 0 : control / n;
}

function finish(text: string, encoding: string): DecodeResult {
  if (text.trim().length === 0) return { ok: false, reason: 'empty file' };
  if (text.includes('\u0000') || controlRatio(text) > 0.1) return { ok: false, reason: 'binary file' };
  return { ok: true, text, encoding };
}

/** Counts well-formed multi-byte UTF-8 sequences and stray bytes, to tell "UTF-8 with a few bad bytes" from Latin-1. */
function utf8Shape(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    let ok = length > 0 && i + length <= bytes.length;
    for (let k = 1; ok && k < length; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += length;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

/** Charset declared by an HTML page, used only when the bytes are not valid UTF-8. */
function declaredHtmlCharset(bytes: Uint8Array): string | null {
  const head = decodeWindows1252(bytes.subarray(0, 4096));
  const match = /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(head);
  return match?.[1]?.toLowerCase() ?? null;
}

export function decodeBytes(bytes: Uint8Array, options: { html?: boolean } = {}): DecodeResult {
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };

  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const utf8 = decoder('utf-8', true);
    try {
      return finish(utf8!.decode(bytes.subarray(3)), 'utf-8');
    } catch {
      return { ok: false, reason: 'undecodable text' };
    }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return finish(new TextDecoder('utf-16le').decode(bytes.subarray(2)), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const be = decoder('utf-16be');
    if (be) return finish(be.decode(bytes.subarray(2)), 'utf-16be');
    return { ok: false, reason: 'undecodable text' };
  }

  if (hasNul(bytes)) {
    const utf16 = looksLikeUtf16WithoutBom(bytes);
    const dec = utf16 ? decoder(utf16) : null;
    if (dec) return finish(dec.decode(bytes), utf16!);
    return { ok: false, reason: 'binary file' };
  }

  if (rawControlRatio(bytes) > 0.1) return { ok: false, reason: 'binary file' };

  try {
    return finish(new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'utf-8');
  } catch {
    // Not UTF-8: fall through to legacy encodings.
  }

  if (options.html) {
    const label = declaredHtmlCharset(bytes);
    const dec = label && label !== 'utf-8' && label !== 'utf8' && !SINGLE_BYTE_WESTERN.has(label) ? decoder(label, true) : null;
    if (dec) {
      try {
        return finish(dec.decode(bytes), dec.encoding);
      } catch {
        // Declared charset is wrong as well; try Windows-1252 below.
      }
    }
  }

  // Mostly UTF-8 with a few damaged bytes (a truncated download, a pasted fragment): decoding it as Windows-1252 would
  // turn every accented letter and curly quote into mojibake, so keep UTF-8 and mark the damage with U+FFFD.
  // Western single-byte text almost never forms a valid multi-byte sequence by chance, so as many valid sequences as
  // stray bytes already means UTF-8 (an article with three accents and one bad byte must not become mojibake).
  const shape = utf8Shape(bytes);
  if (shape.valid > 0 && shape.invalid <= shape.valid) return finish(new TextDecoder('utf-8').decode(bytes), 'utf-8');

  // Windows-1252 decodes any byte sequence, so accept it only when the result reads like Western text:
  // few non-ASCII characters and no C1 controls (bytes that are undefined in cp1252).
  const text = decodeWindows1252(bytes);
  let nonAscii = 0;
  let sampleLength = 0;
  for (const ch of text.length > SAMPLE_BYTES ? text.slice(0, SAMPLE_BYTES) : text) {
    sampleLength++;
    if (ch.charCodeAt(0) > 0x7e) nonAscii++;
  }
  if (sampleLength === 0 || nonAscii / sampleLength > 0.3 || controlRatio(text) > 0.01) {
    return { ok: false, reason: 'undecodable text' };
  }
  return finish(text, 'windows-1252');
}
