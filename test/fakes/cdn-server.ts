// A stand-in for Discord's attachment CDN on 127.0.0.1: serves registered files at /attachments/<id>/<name>.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { snowflake } from './discord-server.js';

export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
}

export class FakeCdn {
  readonly requests: string[] = [];
  private readonly files = new Map<string, Uint8Array>();

  private constructor(
    private readonly server: Server,
    readonly base: string,
  ) {}

  static async start(): Promise<FakeCdn> {
    let cdn: FakeCdn | undefined;
    const server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      cdn?.requests.push(path);
      const body = cdn?.files.get(path);
      if (!body) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    cdn = new FakeCdn(server, `http://127.0.0.1:${port}/attachments`);
    return cdn;
  }

  /** Registers a file and returns the attachment object Discord would put in `data.resolved.attachments`. */
  add(filename: string, bytes: Uint8Array, options: { declaredSize?: number } = {}): FakeAttachment {
    const id = snowflake();
    const path = `/attachments/${id}/${filename}`;
    this.files.set(path, bytes);
    const url = `${this.base}/${id}/${encodeURIComponent(filename)}?ex=0&is=0&hm=0`;
    return { id, filename, size: options.declaredSize ?? bytes.length, url, proxy_url: url, content_type: 'application/octet-stream' };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
