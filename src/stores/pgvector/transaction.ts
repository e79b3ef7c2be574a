// One transaction: COMMIT when the work resolves, ROLLBACK when it throws.
import type pg from 'pg';

/** `begin` opens the transaction (with its isolation level and SET LOCAL settings, in one round trip). */
export async function inTransactionOn<T>(client: pg.PoolClient, begin: string, work: () => Promise<T>): Promise<T> {
  await client.query(begin);
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** The same on a connection of its own from the pool, returned to it either way. */
export async function inTransaction<T>(pool: pg.Pool, begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransactionOn(client, begin, () => work(client));
  } finally {
    client.release();
  }
}
