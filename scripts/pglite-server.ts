// npm run db:pglite -- [--port 5433] [--data DIR]
// A PostgreSQL-compatible server with pgvector, without installing PostgreSQL: PGlite (PostgreSQL compiled to
// WebAssembly) served on 127.0.0.1 by pglite-socket. For trying STORE=pgvector and for `npm run bench -- --store
// pgvector`; a real deployment uses PostgreSQL (compose.yaml). Loopback only, no password: not for production.
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export async function startPgliteServer(options: { port?: number; dataDir?: string } = {}) {
  const db = await PGlite.create({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), extensions: { vector } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: 64 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '5433' }, data: { type: 'string' } } });
  const server = await startPgliteServer({ port: Number(values.port), ...(values.data ? { dataDir: values.data } : {}) });
  process.stdout.write(`PGlite + pgvector listening. Use:\n  STORE=pgvector DATABASE_URL=${server.url}\n(Ctrl-C stops it${values.data ? '' : '; data is in memory only'})\n`);
  const stop = () => void server.stop().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
