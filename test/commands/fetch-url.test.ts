// The link fetcher against a loopback web server. Loopback is refused by default, so most tests let the server's
// one origin through (FETCH_ALLOW_ORIGINS' setting) — and the first proves that without it the same request is
// refused. Names are resolved by an injected resolver: no public name is ever looked up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressProblem, fetchDocument, type AddressResolver, type FetchPolicy } from '../../src/commands/fetch-url.js';
import { FETCH_USER_AGENT } from '../../src/config.js';
import { articlePage, FakeWeb } from '../fakes/web-server.js';
import { makePdf } from '../fixtures/documents.js';
import { QUAY_REPORT } from '../fixtures/document-specs.js';

let web: FakeWeb;
const MB = 1024 * 1024;

/** Names the tests use; anything else "does not exist". */
const names: Record<string, string[]> = {
  'intranet.test': ['10.1.2.3'],
  'metadata.test': ['169.254.169.254'],
  'cgnat.test': ['100.64.0.9'],
  'mixed.test': ['93.184.216.34', '192.168.1.10'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'ula.test': ['fd00::1'],
  'multicast.test': ['224.0.0.1'],
  'zero.test': ['0.0.0.0'],
};
const resolver: AddressResolver = async (host) => {
  const list = names[host];
  if (!list) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

function policy(overrides: Partial<FetchPolicy> = {}): FetchPolicy {
  return { maxBytes: 1 * MB, timeoutMs: 3000, ports: [80, 443], allowOrigins: [web.origin], userAgent: FETCH_USER_AGENT, resolve: resolver, ...overrides };
}

const ARTICLE = articlePage({
  title: 'Harbour ferries return after the storm',
  date: '2025-03-02',
  paragraphs: ['The harbour ferries resumed their full timetable on Sunday after three days of storms.', 'Operators said the northern quay would reopen in April.'],
});

beforeAll(async () => {
  web = await FakeWeb.start();
  web.page('/article', ARTICLE, 'text/html; charset=utf-8');
  web.page('/report.pdf', await makePdf(QUAY_REPORT), 'application/pdf');
});
afterAll(async () => web?.stop());

describe('fetchDocument', () => {
  it('refuses loopback by default, and fetches the same page when its origin is allowed (tests only)', async () => {
    const refused = await fetchDocument(web.url('/article'), policy({ allowOrigins: [] }));
    expect(refused).toEqual({ ok: false, reason: expect.stringMatching(/port \d+ is not allowed|loopback/) });
    const onPort80 = await fetchDocument('http://127.0.0.1/article', policy({ allowOrigins: [] }));
    expect(onPort80).toEqual({ ok: false, reason: '127.0.0.1 resolves to a loopback address (127.0.0.1); only public addresses are fetched' });
    expect(web.requests).toEqual([]);

    const fetched = await fetchDocument(`${web.url('/article')}#comments`, policy());
    expect(fetched.ok).toBe(true);
    if (!fetched.ok) return;
    expect(fetched.format).toBe('html');
    expect(fetched.requestedUrl).toBe(web.url('/article'));
    expect(Buffer.from(fetched.bytes).toString()).toBe(ARTICLE);
    expect(web.requests.at(-1)?.headers['user-agent']).toBe(FETCH_USER_AGENT);
  });

  it('fetches a PDF by its type', async () => {
    const fetched = await fetchDocument(web.url('/report.pdf'), policy());
    expect(fetched.ok && fetched.format).toBe('pdf');
  });

  it.each([
    ['ftp://example.test/a.txt', /only http and https links/],
    ['file:///etc/passwd', /only http and https links/],
    ['javascript:alert(1)', /only http and https links/],
    ['http://user:secret@example.test/', /user name or password/],
    ['http://example.test:8080/', /port 8080 is not allowed \(only 80, 443\)/],
    ['not a link', /not a valid link/],
  ])('refuses %s before any network use', async (link, reason) => {
    const before = web.requests.length;
    const outcome = await fetchDocument(link, policy());
    expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    expect(web.requests.length).toBe(before);
  });

  it.each([
    ['http://intranet.test/', 'private', '10.1.2.3'],
    ['http://metadata.test/latest/meta-data/', 'link-local', '169.254.169.254'],
    ['http://cgnat.test/', 'carrier-grade NAT', '100.64.0.9'],
    ['http://mixed.test/', 'private', '192.168.1.10'],
    ['http://mapped.test/', 'IPv4-mapped IPv6', '::ffff:127.0.0.1'],
    ['http://ula.test/', 'unique-local IPv6', 'fd00::1'],
    ['http://multicast.test/', 'multicast', '224.0.0.1'],
    ['http://zero.test/', 'unspecified', '0.0.0.0'],
    ['http://[::1]/', 'loopback', '::1'],
    ['http://169.254.169.254/latest/', 'link-local', '169.254.169.254'],
    ['http://2130706433/', 'loopback', '127.0.0.1'],
  ])('refuses %s: every address it resolves to must be public', async (link, range, address) => {
    const outcome = await fetchDocument(link, policy());
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.reason).toContain(`a ${range} address (${address})`);
    }
  });

  it('classifies addresses with ipaddr.js: only public unicast passes', () => {
    expect(addressProblem('93.184.216.34')).toBeNull();
    expect(addressProblem('2606:4700::1111')).toBeNull();
    expect(addressProblem('172.16.0.1')).toBe('private');
    expect(addressProblem('fe80::1')).toBe('link-local');
    expect(addressProblem('ff02::1')).toBe('multicast');
    expect(addressProblem('::')).toBe('unspecified');
    expect(addressProblem('nonsense')).toBe('not an IP address');
  });

  it('connects to the address it checked: a rebinding name cannot switch to another one', async () => {
    // The first answer is the allowed server; every later answer is a private address. The fetcher resolves once
    // and pins that address, so it never asks again (a second lookup is what rebinding needs).
    let calls = 0;
    const rebinding: AddressResolver = async () => (++calls === 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.1', family: 4 }]);
    const port = new URL(web.origin).port;
    const outcome = await fetchDocument(`http://rebind.test:${port}/article`, policy({ resolve: rebinding, allowOrigins: [`http://rebind.test:${port}`] }));
    expect(outcome.ok).toBe(true);
    expect(calls).toBe(1);
    expect(web.requests.at(-1)?.headers.host).toBe(`rebind.test:${port}`);

    // Without the test allowance the same name is refused on its first (loopback) answer, and nothing is sent.
    calls = 0;
    const before = web.requests.length;
    const refused = await fetchDocument(`http://rebind.test/article`, policy({ resolve: rebinding, allowOrigins: [] }));
    expect(refused).toEqual({ ok: false, reason: expect.stringContaining('loopback address (127.0.0.1)') });
    expect(web.requests.length).toBe(before);
  });

  it('follows redirects by hand, at most 5, checking every hop', async () => {
    for (let i = 1; i <= 6; i++) web.redirect(`/hop${i}`, i === 6 ? '/article' : `/hop${i + 1}`, 301);
    const five = await fetchDocument(web.url('/hop2'), policy());
    expect(five.ok && five.finalUrl).toBe(web.url('/article'));
    expect(five.ok && five.redirects).toBe(5);
    expect(await fetchDocument(web.url('/hop1'), policy())).toEqual({ ok: false, reason: 'too many redirects (more than 5)' });

    web.redirect('/to-intranet', 'http://intranet.test/admin');
    expect(await fetchDocument(web.url('/to-intranet'), policy())).toEqual({ ok: false, reason: expect.stringContaining('a private address (10.1.2.3)') });
    web.redirect('/to-metadata', 'http://169.254.169.254/latest/meta-data/');
    expect(await fetchDocument(web.url('/to-metadata'), policy())).toEqual({ ok: false, reason: expect.stringContaining('link-local') });
    web.redirect('/to-file', 'file:///etc/passwd');
    expect(await fetchDocument(web.url('/to-file'), policy())).toEqual({ ok: false, reason: expect.stringContaining('only http and https') });
  });

  it('stops an endless body at the size cap, and a slow one at the time limit', async () => {
    web.endless('/endless');
    expect(await fetchDocument(web.url('/endless'), policy())).toEqual({ ok: false, reason: 'larger than 1.0 MB (limit MAX_UPLOAD_MB)' });
    web.slow('/slow', 100);
    const started = Date.now();
    expect(await fetchDocument(web.url('/slow'), policy({ timeoutMs: 800 }))).toEqual({ ok: false, reason: 'timed out after 0.8 s' });
    expect(Date.now() - started).toBeLessThan(2500);
    web.page('/big', Buffer.alloc(2 * MB, 0x61), 'text/plain');
    expect(await fetchDocument(web.url('/big'), policy())).toEqual({ ok: false, reason: 'too large (2.0 MB, limit 1.0 MB)' });
  });

  it('a resolver that never answers is stopped by the same deadline', async () => {
    const silent: AddressResolver = () => new Promise(() => undefined);
    expect(await fetchDocument('http://silent.test/', policy({ resolve: silent, timeoutMs: 300 }))).toEqual({ ok: false, reason: 'timed out after 0.3 s' });
    expect(await fetchDocument('http://nowhere.test/', policy())).toEqual({ ok: false, reason: 'could not resolve nowhere.test' });
  });

  it('stops gzip and brotli bombs at the cap, counting decompressed bytes', async () => {
    web.bomb('/bomb.gz', 'gzip', 16 * MB);
    web.bomb('/bomb.br', 'br', 16 * MB);
    expect(await fetchDocument(web.url('/bomb.gz'), policy())).toEqual({ ok: false, reason: 'larger than 1.0 MB once decompressed (limit MAX_UPLOAD_MB)' });
    expect(await fetchDocument(web.url('/bomb.br'), policy())).toEqual({ ok: false, reason: 'larger than 1.0 MB once decompressed (limit MAX_UPLOAD_MB)' });
    web.page('/small.gz', (await import('node:zlib')).gzipSync(ARTICLE), 'text/html', { 'content-encoding': 'gzip' });
    const small = await fetchDocument(web.url('/small.gz'), policy());
    expect(small.ok && Buffer.from(small.bytes).toString()).toBe(ARTICLE);
  });

  it('accepts only HTML, PDF, Word, text and Markdown, and the bytes must agree with the type', async () => {
    web.page('/picture', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]), 'image/png');
    expect(await fetchDocument(web.url('/picture'), policy())).toEqual({ ok: false, reason: expect.stringMatching(/^unsupported type image\/png/) });
    web.page('/app.exe', Buffer.from('MZ....'), 'application/x-msdownload');
    expect(await fetchDocument(web.url('/app.exe'), policy())).toEqual({ ok: false, reason: expect.stringMatching(/^unsupported type application\/x-msdownload/) });
    web.page('/liar.pdf', 'Just text pretending to be a PDF.', 'application/pdf');
    expect(await fetchDocument(web.url('/liar.pdf'), policy())).toEqual({ ok: false, reason: 'the server called it application/pdf, but its content does not match the .pdf type (it is text)' });
    web.page('/secret.html', '%PDF-1.7 not really html', 'text/html');
    expect(await fetchDocument(web.url('/secret.html'), policy())).toEqual({ ok: false, reason: expect.stringContaining('(it is a PDF)') });
    web.page('/notes.md', '# Notes\n\nShort notes.', 'text/markdown');
    expect((await fetchDocument(web.url('/notes.md'), policy())).ok).toBe(true);
  });

  it('reports HTTP errors and a connection dropped half-way', async () => {
    expect(await fetchDocument(web.url('/missing'), policy())).toEqual({ ok: false, reason: 'the server answered HTTP 404' });
    web.halfway('/half', 'text/html', ARTICLE);
    expect(await fetchDocument(web.url('/half'), policy())).toEqual({ ok: false, reason: 'the download was interrupted' });
  });
});
