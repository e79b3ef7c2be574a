// A PostgreSQL server for tests without one installed: PGlite (PostgreSQL compiled to WebAssembly) with the
// pgvector extension, served over the wire protocol on 127.0.0.1 by pglite-socket (the same server as
// `npm run db:pglite`). The project's real pg-based code connects to it like to any server. With
// TEST_DATABASE_URL set, tests use that server instead.
import { startPgliteServer } from '../../scripts/pglite.js';
import { dropStoreTables } from '../../src/stores/pgvector/migrate.js';

export interface TestDatabase {
  url: string;
  /** 'pglite' or 'postgres' (TEST_DATABASE_URL). */
  kind: 'pglite' | 'postgres';
  /** Drops everything the store created, leaving an empty database. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return { url: external, kind: 'postgres', reset: () => dropStoreTables(external), stop: async () => undefined };
  const server = await startPgliteServer();
  return { url: server.url, kind: 'pglite', reset: () => dropStoreTables(server.url), stop: () => server.stop() };
}
