// A PostgreSQL server for tests without one installed: PGlite (PostgreSQL compiled to WebAssembly) with the
// pgvector extension, served over the wire protocol on 127.0.0.1 by pglite-socket. The project's real
// pg-based code connects to it like to any server. With TEST_DATABASE_URL set, tests use that server instead.
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

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
  if (external) {
    return { url: external, kind: 'postgres', reset: () => resetSchema(external), stop: async () => undefined };
  }
  const db = await PGlite.create({ extensions: { vector } });
  // Several connections (pools of two "processes" in one test) are multiplexed onto PGlite's one session.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 32 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  return {
    url,
    kind: 'pglite',
    reset: () => resetSchema(url),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

async function resetSchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS chunks, documents, term_stats, store_state, schema_migrations CASCADE');
  } finally {
    await client.end();
  }
}
