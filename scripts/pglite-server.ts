// npm run db:pglite -- [--port 5433] [--data DIR]
// PGlite + pgvector on 127.0.0.1 (scripts/pglite.ts), for trying STORE=pgvector and for `npm run bench -- --store
// pgvector`; a real deployment uses PostgreSQL (compose.yaml).
import { parseCli, runMain } from '../src/cli/common.js';
import { startPgliteServer } from './pglite.js';

runMain(async () => {
  const { values } = parseCli({ port: { type: 'string', default: '5433' }, data: { type: 'string' } });
  const server = await startPgliteServer({ port: Number(values.port), ...(values.data ? { dataDir: values.data } : {}) });
  process.stdout.write(`PGlite + pgvector listening. Use:\n  STORE=pgvector DATABASE_URL=${server.url}\n(Ctrl-C stops it${values.data ? '' : '; data is in memory only'})\n`);
  const stop = () => void server.stop().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});
