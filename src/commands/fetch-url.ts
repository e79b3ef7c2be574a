// Fetches one linked document for /add url:, "Add to corpus" and `npm run add`, so that a hostile link cannot turn
// the bot against its own network or its memory:
// - http and https only, no credentials in the URL, ports 80/443 unless more are configured;
// - the host is resolved first and every address must be public unicast (ipaddr.js's classification): loopback,
//   private, link-local (169.254.169.254, the cloud metadata service), carrier-grade NAT, multicast, unspecified,
//   IPv4-mapped and unique-local IPv6 and every other special range are refused;
// - the connection goes to the address that was checked (a custom `lookup`), so a name that resolves differently a
//   second time (DNS rebinding) cannot reach another address;
// - redirects are followed by hand, at most five, each hop checked like the first;
// - one deadline for the whole fetch, redirects and body included;
// - the body is counted while it streams, after decompression (gzip, deflate, brotli): a bomb stops at the cap;
// - only HTML, PDF, Word, plain text and Markdown are accepted, by Content-Type, and the bytes must agree (sniffing).
// FETCH_ALLOW_ORIGINS (tests only) lets named origins through the address and port checks; nothing else does.
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupAddress } from 'node:dns';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import ipaddr from 'ipaddr.js';
import { formatOf } from '../core/ingest/parse.js';
import { contentMismatchReason } from '../core/ingest/sniff.js';
import type { DocumentFormat } from '../core/types.js';
import { formatMb } from './download.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name → addresses. The system resolver by default; tests inject one so no public name is ever looked up. */
export type AddressResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: AddressResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export interface FetchPolicy {
  maxBytes: number;
  /** For the whole fetch: every hop, and the body. */
  timeoutMs: number;
  /** Ports a link may name (80 and 443 by default). */
  ports: readonly number[];
  /** Origins (`http://127.0.0.1:8080`) let through the address and port checks: tests only. */
  allowOrigins: readonly string[];
  userAgent: string;
  resolve?: AddressResolver;
  maxRedirects?: number;
}

export type FetchedDocument = {
  ok: true;
  bytes: Uint8Array;
  format: DocumentFormat;
  contentType: string;
  /** The link as given (fragment removed). */
  requestedUrl: string;
  /** Where the document was found, after redirects. */
  finalUrl: string;
  redirects: number;
};

export type FetchOutcome = FetchedDocument | { ok: false; reason: string };

export const MAX_REDIRECTS = 5;

/** Content types accepted, and the format each is read as. */
const CONTENT_TYPES: Record<string, DocumentFormat> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/x-markdown': 'md',
};

/** Servers that do not know the type say octet-stream; then the link's extension may say it (and sniffing checks). */
const UNKNOWN_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/download']);

const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade NAT',
  multicast: 'multicast',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  reserved: 'reserved',
  ipv4Mapped: 'IPv4-mapped IPv6',
  uniqueLocal: 'unique-local IPv6',
  rfc6145: 'IPv4-translated IPv6',
  rfc6052: 'IPv4-embedded IPv6',
  '6to4': '6to4 IPv6',
  teredo: 'Teredo IPv6',
  as112: 'AS112',
  orchid2: 'ORCHID',
  benchmarking: 'benchmarking',
  amt: 'AMT',
  deprecated: 'deprecated',
  discard: 'discard-only',
};

/** Why an address must not be fetched from, or null for a public unicast address. */
export function addressProblem(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return 'not an IP address';
  }
  // Only public unicast passes: every special range (including the ones that embed an IPv4 address, through
  // which a private IPv4 address could be reached) is refused, not just a list of known-bad ones.
  const range = parsed.range();
  if (range === 'unicast') return null;
  return RANGE_NAMES[range] ?? range;
}

/** The link without its fragment, or why it is not a link we may fetch (before any network use). */
export function checkLink(raw: string): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'not a valid link' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `only http and https links are fetched (not ${url.protocol.replace(/:$/, '')})` };
  if (url.username || url.password) return { ok: false, reason: 'links with a user name or password are refused' };
  url.hash = '';
  return { ok: true, url };
}

/** The link as stored and compared: fragment removed, scheme and host lower-cased (by URL). */
export function normalizeLink(raw: string): string | null {
  const checked = checkLink(raw);
  return checked.ok ? checked.url.toString() : null;
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

function hostOf(url: URL): string {
  // IPv6 literals come bracketed in URL.hostname.
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

class Refused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** The address to connect to for `url`, after the scheme, port and address checks. */
/** `promise`, or the signal's reason once it aborts: a resolver that never answers must not outlive the deadline. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

async function checkedAddress(url: URL, policy: FetchPolicy, allowed: ReadonlySet<string>, signal: AbortSignal): Promise<ResolvedAddress> {
  const checked = checkLink(url.toString());
  if (!checked.ok) throw new Refused(checked.reason);
  const trusted = allowed.has(url.origin);
  const port = portOf(url);
  if (!trusted && !policy.ports.includes(port)) throw new Refused(`port ${port} is not allowed (only ${policy.ports.join(', ')})`);
  const host = hostOf(url);
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
  } else {
    try {
      addresses = await untilAborted((policy.resolve ?? systemResolver)(host), signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new Refused(`could not resolve ${host}`);
    }
    if (addresses.length === 0) throw new Refused(`could not resolve ${host}`);
  }
  if (!trusted) {
    // Every address, not just the first: the connection must not depend on which one the resolver listed first.
    for (const { address } of addresses) {
      const problem = addressProblem(address);
      if (problem) throw new Refused(`${host} resolves to a ${problem} address (${address}); only public addresses are fetched`);
    }
  }
  return addresses[0]!;
}

/** A `lookup` that always answers the checked address: the socket cannot be sent anywhere else. */
function pinnedLookup(target: ResolvedAddress): NonNullable<RequestOptions['lookup']> {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family } satisfies LookupAddress]);
    else callback(null, target.address, target.family);
  }) as unknown as NonNullable<RequestOptions['lookup']>;
}

function send(url: URL, target: ResolvedAddress, policy: FetchPolicy, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'GET',
      lookup: pinnedLookup(target),
      signal,
      headers: {
        'user-agent': policy.userAgent,
        accept: 'text/html, application/xhtml+xml, application/pdf, application/vnd.openxmlformats-officedocument.wordprocessingml.document, text/markdown, text/plain;q=0.9',
        'accept-encoding': 'gzip, deflate, br',
      },
      // No connection reuse: every hop connects to the address checked for it.
      agent: false,
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
}

function decoderFor(encoding: string): Transform | null | 'unsupported' {
  switch (encoding) {
    case '':
    case 'identity':
      return null;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return 'unsupported';
  }
}

/** Reads the body, decompressed, stopping as soon as either the raw or the decoded bytes pass the cap. */
async function readBody(response: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = decoderFor(encoding);
  if (decoder === 'unsupported') throw new Refused(`unsupported content encoding ${encoding.slice(0, 40)}`);
  const tooLarge = () => new Refused(`larger than ${formatMb(maxBytes)}${decoder ? ' once decompressed' : ''} (limit MAX_UPLOAD_MB)`);
  let raw = 0;
  const chunks: Buffer[] = [];
  let decoded = 0;
  try {
    if (!decoder) {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        decoded += chunk.length;
        if (decoded > maxBytes) throw tooLarge();
        chunks.push(chunk);
      }
      return new Uint8Array(Buffer.concat(chunks));
    }
    response.on('data', (chunk: Buffer) => {
      raw += chunk.length;
      if (raw > maxBytes) response.destroy(tooLarge());
    });
    response.on('error', (error) => decoder.destroy(error));
    response.pipe(decoder);
    for await (const chunk of decoder as AsyncIterable<Buffer>) {
      decoded += chunk.length;
      if (decoded > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
    return new Uint8Array(Buffer.concat(chunks));
  } finally {
    response.destroy();
    decoder?.destroy();
  }
}

function formatFor(contentType: string, url: URL): DocumentFormat | null {
  const known = CONTENT_TYPES[contentType];
  if (known) return known;
  if (UNKNOWN_TYPES.has(contentType)) return formatOf(url.pathname);
  return null;
}

export async function fetchDocument(link: string, policy: FetchPolicy): Promise<FetchOutcome> {
  const first = checkLink(link);
  if (!first.ok) return first;
  const allowed = new Set(policy.allowOrigins.map((origin) => new URL(origin).origin));
  const maxRedirects = policy.maxRedirects ?? MAX_REDIRECTS;
  const controller = new AbortController();
  const seconds = Math.round(policy.timeoutMs / 100) / 10;
  const timer = setTimeout(() => controller.abort(new Refused(`timed out after ${seconds} s`)), policy.timeoutMs);
  let url = first.url;
  try {
    for (let hop = 0; ; hop++) {
      const target = await checkedAddress(url, policy, allowed, controller.signal);
      if (controller.signal.aborted) throw controller.signal.reason;
      const response = await send(url, target, policy, controller.signal);
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.destroy();
        if (hop >= maxRedirects) throw new Refused(`too many redirects (more than ${maxRedirects})`);
        let next: URL;
        try {
          next = new URL(response.headers.location, url);
        } catch {
          throw new Refused('redirected to an invalid link');
        }
        next.hash = '';
        url = next;
        continue;
      }
      if (status < 200 || status >= 300) {
        response.destroy();
        throw new Refused(`the server answered HTTP ${status}`);
      }
      const contentType = String(response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const format = formatFor(contentType, url);
      if (!format) {
        response.destroy();
        throw new Refused(`unsupported type ${contentType.slice(0, 80) || '(none)'}: only HTML, PDF, Word (.docx), plain text and Markdown`);
      }
      const declared = Number(response.headers['content-length']);
      if (!response.headers['content-encoding'] && Number.isFinite(declared) && declared > policy.maxBytes) {
        response.destroy();
        throw new Refused(`too large (${formatMb(declared)}, limit ${formatMb(policy.maxBytes)})`);
      }
      const bytes = await readBody(response, policy.maxBytes);
      if (bytes.length === 0) throw new Refused('the page is empty');
      const mismatch = contentMismatchReason(format, bytes);
      if (mismatch) throw new Refused(`the server called it ${contentType || 'nothing'}, but its ${mismatch.replace(/ extension/, ' type')}`);
      return { ok: true, bytes, format, contentType, requestedUrl: first.url.toString(), finalUrl: url.toString(), redirects: hop };
    }
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.reason };
    if (controller.signal.aborted && controller.signal.reason instanceof Refused) return { ok: false, reason: controller.signal.reason.reason };
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ECONNREFUSED') return { ok: false, reason: 'the server refused the connection' };
    if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
      return { ok: false, reason: code.startsWith('Z_') ? 'the compressed body is damaged' : 'the download was interrupted' };
    }
    return { ok: false, reason: `the download failed${typeof code === 'string' ? ` (${code})` : ''}` };
  } finally {
    clearTimeout(timer);
  }
}
