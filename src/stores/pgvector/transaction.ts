// One transaction on one pooled connection: COMMIT when the work resolves, ROLLBACK when it throws, the
// connection back to the pool either way.
import type pg from 'pg';

/** `begin` opens the transaction (with its isolation level and SET LOCAL settings, in one round trip). */
export async function inTransaction<T>(pool: pg.Pool, begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
