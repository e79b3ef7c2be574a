// Keys of the PostgreSQL advisory locks the store takes. Arbitrary but fixed 64-bit numbers, so every process
// of every version of the bot agrees on them.
export const ADVISORY_LOCKS = {
  /** Held for a whole re-index by the process running it: /reindex from any shard is serialized. */
  reindex: '7170726100000001',
  /** Taken inside each write transaction: two writers never interleave, even where the session lock is not exclusive. */
  write: '7170726100000002',
  /** Taken by each migration's transaction at start-up. */
  migrate: '7170726100000003',
} as const;
