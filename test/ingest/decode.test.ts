// Byte decoding: encodings we accept and files we refuse.
import { describe, expect, it } from 'vitest';
import { decodeBytes, decodeWindows1252 } from '../../src/core/ingest/decode.js';

const TEXT = 'Harbour “works” begin – café owners welcome the news.';

function utf16(text: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  if (bigEndian) for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  const mark = bom ? (bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]) : [];
  return Uint8Array.from([...mark, ...le]);
}

describe('decodeBytes', () => {
  it('decodes UTF-8, with or without BOM', () => {
    const bytes = new TextEncoder().encode(TEXT);
    expect(decodeBytes(bytes)).toEqual({ ok: true, text: TEXT, encoding: 'utf-8' });
    expect(decodeBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes]))).toMatchObject({ ok: true, text: TEXT });
  });

  it('decodes UTF-16 with a BOM (both byte orders) and little-endian without one', () => {
    expect(decodeBytes(utf16(TEXT, false, true))).toMatchObject({ ok: true, text: TEXT, encoding: 'utf-16le' });
    expect(decodeBytes(utf16(TEXT, true, true))).toMatchObject({ ok: true, text: TEXT, encoding: 'utf-16be' });
    expect(decodeBytes(utf16(TEXT, false, false))).toMatchObject({ ok: true, text: TEXT, encoding: 'utf-16le' });
  });

  it('decodes Windows-1252 including its punctuation range', () => {
    expect(decodeWindows1252(Uint8Array.from([0x93, 0x41, 0x94, 0x20, 0x96, 0x20, 0x92, 0xe9, 0x80]))).toBe('“A” – ’é€');
    const latin = Uint8Array.from('Caf\xe9 \x93open\x94 \x96 daily.', (c) => c.charCodeAt(0));
    expect(decodeBytes(latin)).toEqual({ ok: true, text: 'Café “open” – daily.', encoding: 'windows-1252' });
  });

  it('keeps mostly-UTF-8 text as UTF-8 when a few bytes are damaged', () => {
    const good = new TextEncoder().encode(`${TEXT} ${TEXT} ${TEXT}`);
    const damaged = Uint8Array.from([...good, 0xff, 0x20, 0x41]);
    const result = decodeBytes(damaged);
    expect(result).toMatchObject({ ok: true, encoding: 'utf-8' });
    if (result.ok) expect(result.text.startsWith(TEXT)).toBe(true);
  });

  it('refuses empty, binary and undecodable input with short reasons', () => {
    expect(decodeBytes(new Uint8Array())).toEqual({ ok: false, reason: 'empty file' });
    expect(decodeBytes(new TextEncoder().encode(' \n\t\r\n '))).toEqual({ ok: false, reason: 'empty file' });
    expect(decodeBytes(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]))).toEqual({ ok: false, reason: 'binary file' });
    expect(decodeBytes(Uint8Array.from({ length: 300 }, (_v, i) => (i % 2 ? 0x01 : 0x41)))).toEqual({ ok: false, reason: 'binary file' });
    expect(decodeBytes(Uint8Array.from({ length: 300 }, (_v, i) => (i % 3 ? 0xc0 + (i % 60) : 0x20)))).toEqual({
      ok: false,
      reason: 'undecodable text',
    });
  });
});
