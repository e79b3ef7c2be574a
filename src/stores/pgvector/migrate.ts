// Applies the SQL files in ./migrations in order, each in its own transaction, once per database. Several
// processes may start at once (shards): a transaction-level advisory lock lets one migrate while the others
// wait, then see it done.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ADVISORY_LOCKS } from './locks.js';
import { inTransactionOn } from './transaction.js';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d+_[\w-]+\.sql$/.test(file))
    .map((file) => ({ version: Number.parseInt(file, 10), name: file, sql: readFileSync(join(dir, file), 'utf8') }))
    .sort((a, b) => a.version - b.version);
}

/** Returns the names of the migrations this call applied. */
export async function migrate(pool: pg.Pool, migrations: readonly Migration[] = readMigrations()): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await inTransaction(client, () =>
      client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())'),
    );
    for (const migration of migrations) {
      // Checked again under the lock: another process may have applied it while this one waited.
      const ran = await inTransaction(client, async () => {
        const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
        if (done.rowCount) return false;
        try {
          await client.query(migration.sql);
        } catch (error) {
          throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        return true;
      });
      if (ran) applied.push(migration.name);
    }
  } finally {
    client.release();
  }
  return applied;
}

/** Runs `work` in a transaction holding the migration lock (released by COMMIT or ROLLBACK). */
function inTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  return inTransactionOn(client, 'BEGIN', async () => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.migrate]);
    return work();
  });
}

/** Drops every table of the store (benchmarks and tests start from an empty database). */
export async function dropStoreTables(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('DROP TABLE IF EXISTS chunks_next, chunks, documents, term_stats, store_state, schema_migrations CASCADE');
    await client.query('DROP FUNCTION IF EXISTS chunk_term_hashes(text[])');
  } finally {
    await client.end();
  }
}
