// A PostgreSQL-compatible server with pgvector, without installing PostgreSQL: PGlite (PostgreSQL compiled to
// WebAssembly) served on 127.0.0.1 by pglite-socket. Used by `npm run db:pglite`, the store bench and the tests.
// Loopback only, no password: not for production.
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
