// File names, CDN hosts and the streamed size cap of /add, without Discord.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadAttachment, isAllowedAttachmentUrl } from '../../src/commands/download.js';
import { sanitizeFileName } from '../../src/commands/uploads.js';
import { loadConfig } from '../../src/config.js';

describe('upload file names', () => {
  it('keeps ordinary names, refuses paths, control and right-to-left characters, and unsupported types', () => {
    expect(sanitizeFileName('Quarterly Report (final).pdf')).toEqual({ ok: true, name: 'Quarterly Report (final).pdf' });
    expect(sanitizeFileName('Été 2024 — notes.docx')).toEqual({ ok: true, name: 'Été 2024 _ notes.docx' });
    expect(sanitizeFileName('..hidden.md')).toEqual({ ok: true, name: 'hidden.md' });
    for (const name of ['../../etc/passwd.pdf', '..\\..\\boot.ini.txt', '/etc/passwd.txt', 'a/b.md']) {
      expect(sanitizeFileName(name)).toEqual({ ok: false, reason: 'file name must not contain a path (/, \\ or ..)' });
    }
    for (const name of ['evil\u202Efdp.exe.pdf', 'bell\u0007.txt', 'line\nbreak.md', 'iso\u2066late.pdf']) {
      expect(sanitizeFileName(name)).toMatchObject({ ok: false, reason: expect.stringMatching(/control or right-to-left/) });
    }
    expect(sanitizeFileName('setup.exe')).toMatchObject({ ok: false, reason: expect.stringMatching(/^unsupported type \.exe/) });
    expect(sanitizeFileName('.pdf')).toMatchObject({ ok: false });
  });
});

describe('attachment download', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url?.startsWith('/files/lying')) {
        // Claims 10 bytes, streams 3 MB.
        response.writeHead(200, { 'content-type': 'application/pdf' });
        response.write(Buffer.alloc(1024 * 1024));
        response.write(Buffer.alloc(1024 * 1024));
        response.end(Buffer.alloc(1024 * 1024));
      } else if (request.url?.startsWith('/files/redirect')) {
        response.writeHead(302, { location: 'http://example.invalid/x.pdf' }).end();
      } else {
        response.writeHead(200, { 'content-length': 5 }).end('hello');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('accepts only Discord CDN hosts and the configured base', () => {
    expect(isAllowedAttachmentUrl('https://cdn.discordapp.com/attachments/1/2/a.pdf?ex=1')).toBe(true);
    expect(isAllowedAttachmentUrl('https://media.discordapp.net/attachments/1/2/a.pdf')).toBe(true);
    expect(isAllowedAttachmentUrl('http://cdn.discordapp.com/attachments/1/2/a.pdf')).toBe(false);
    expect(isAllowedAttachmentUrl('https://cdn.discordapp.com.evil.example/a.pdf')).toBe(false);
    expect(isAllowedAttachmentUrl('https://user:pw@cdn.discordapp.com/a.pdf')).toBe(false);
    expect(isAllowedAttachmentUrl(`${base}/a.pdf`, base)).toBe(true);
    expect(isAllowedAttachmentUrl(`${base.replace('/files', '/other')}/a.pdf`, base)).toBe(false);
    expect(isAllowedAttachmentUrl('http://169.254.169.254/latest/meta-data', base)).toBe(false);
  });

  it('stops reading past the size limit whatever the headers say, and does not follow redirects', async () => {
    expect(await downloadAttachment(`${base}/ok.txt`, { maxBytes: 1024, extraBase: base })).toMatchObject({ ok: true });
    expect(await downloadAttachment(`${base}/lying.pdf`, { maxBytes: 1024 * 1024, extraBase: base })).toEqual({
      ok: false,
      reason: 'file too large (more than 1.0 MB, limit 1.0 MB)',
    });
    expect(await downloadAttachment(`${base}/redirect.pdf`, { maxBytes: 1024, extraBase: base })).toEqual({ ok: false, reason: 'download failed' });
    expect(await downloadAttachment('https://example.com/a.pdf', { maxBytes: 1024 })).toMatchObject({ ok: false, reason: expect.stringMatching(/only Discord/) });
  });

  it('MAX_UPLOAD_MB and DISCORD_CDN_BASE are validated', () => {
    const load = (env: Record<string, string>) => () => loadConfig({}, env, { dotenvPath: false });
    expect(load({ MAX_UPLOAD_MB: '50' })).toThrow(/MAX_UPLOAD_MB: must be between 1 and 20/);
    expect(load({ DISCORD_CDN_BASE: 'ftp://127.0.0.1/x' })).toThrow(/DISCORD_CDN_BASE/);
    expect(loadConfig({}, { MAX_UPLOAD_MB: '5' }, { dotenvPath: false }).uploads.maxBytes).toBe(5 * 1024 * 1024);
  });
});
