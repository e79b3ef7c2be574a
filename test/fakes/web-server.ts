// A small web server on 127.0.0.1 for the link fetcher's tests: pages, redirects, slow and endless bodies,
// compression bombs, wrong types. Loopback only; it records every request (path and headers).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface WebRequest {
  path: string;
  headers: IncomingMessage['headers'];
}

export class FakeWeb {
  readonly requests: WebRequest[] = [];
  private readonly routes = new Map<string, Handler>();

  private constructor(
    private readonly server: Server,
    /** e.g. http://127.0.0.1:43121 */
    readonly origin: string,
  ) {}

  static async start(): Promise<FakeWeb> {
    let web: FakeWeb | undefined;
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      web?.requests.push({ path, headers: request.headers });
      const handler = web?.routes.get(path);
      if (!handler) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      handler(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    web = new FakeWeb(server, `http://127.0.0.1:${port}`);
    return web;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  route(path: string, handler: Handler): string {
    this.routes.set(path, handler);
    return this.url(path);
  }

  /** A document served whole with its type. */
  page(path: string, body: string | Uint8Array, type: string, headers: Record<string, string> = {}): string {
    return this.route(path, (_request, response) => {
      const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
      response.writeHead(200, { 'content-type': type, 'content-length': bytes.length, ...headers }).end(bytes);
    });
  }

  redirect(path: string, location: string, status = 302): string {
    return this.route(path, (_request, response) => response.writeHead(status, { location }).end());
  }

  /** A compressed body that inflates to `inflatedBytes` of spaces (a "bomb"), served as plain text. */
  bomb(path: string, encoding: 'gzip' | 'br', inflatedBytes: number): string {
    const plain = Buffer.alloc(inflatedBytes, 0x20);
    const body = encoding === 'gzip' ? gzipSync(plain, { level: 9 }) : brotliCompressSync(plain);
    return this.page(path, body, 'text/plain', { 'content-encoding': encoding });
  }

  /** Headers, then a few bytes every `everyMs`, never ending. */
  slow(path: string, everyMs = 200): string {
    return this.route(path, (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => response.write('still going. '), everyMs);
      response.on('close', () => clearInterval(timer));
    });
  }

  /** An endless body written as fast as the client reads it. */
  endless(path: string): string {
    return this.route(path, (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (!response.destroyed && response.write(chunk)) {
          /* keep writing until the socket pushes back */
        }
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    });
  }

  /** Declares `declared` bytes, sends the first part, then drops the connection. */
  halfway(path: string, type: string, body: string): string {
    return this.route(path, (_request, response) => {
      response.writeHead(200, { 'content-type': type, 'content-length': body.length * 2 });
      response.write(body);
      setTimeout(() => response.socket?.destroy(), 50);
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A small news article page. */
export function articlePage(options: { title: string; date: string; paragraphs: string[]; canonical?: string; ogUrl?: string }): string {
  const link = options.canonical ? `<link rel="canonical" href="${options.canonical}">` : '';
  const og = options.ogUrl ? `<meta property="og:url" content="${options.ogUrl}">` : '';
  return `<!DOCTYPE html><html><head><title>${options.title}</title>${link}${og}
<meta property="article:published_time" content="${options.date}"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>${options.title}</h1>${options.paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article>
<footer>Copyright 2025 Example News</footer></body></html>`;
}
