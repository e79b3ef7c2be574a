// The PostgreSQL + pgvector store: documents, chunks and vectors live in the database, so any number of bot
// processes (shards) serve the same corpus without each loading a copy of the index. Every query asks the
// database for the current revision (one primary-key read) and re-reads term statistics only when it moved.
import pg from 'pg';
import type { CorpusStore, ReindexRequest } from '../../core/corpus.js';
import { CoreError } from '../../core/errors.js';
import { sameEmbedder } from '../../core/index/plan.js';
import { TermTable } from '../../core/retrieve/term-stats.js';
import type { Embedder, Logger, ReindexSummary } from '../../core/types.js';
import { readState, runPgIndex, termCountsOf, type PgIndexOptions } from './indexer.js';
import { ADVISORY_LOCKS } from './locks.js';
import { migrate } from './migrate.js';
import { inTransaction } from './transaction.js';
import { PgVectorView, type ViewState } from './view.js';

export interface PgVectorStoreOptions {
  databaseUrl: string;
  poolSize?: number;
  corpusDir: string;
  embedder: Embedder;
  logger: Logger;
  /** How long open() waits for another process's first index run before giving up (ms). */
  waitForIndexMs?: number;
}

export class PgVectorStore implements CorpusStore {
  readonly kind = 'pgvector' as const;
  readonly pool: pg.Pool;
  private currentView: PgVectorView | null = null;
  private loadingView: Promise<PgVectorView> | null = null;
  private running = false;
  private iterativeScan = false;

  constructor(private readonly options: PgVectorStoreOptions) {
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 5 });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    this.pool.on('error', (error) => options.logger.warn({ err: error.message }, 'PostgreSQL connection lost'));
  }

  /** Applies pending migrations and checks the pgvector version; open() does this first. */
  async prepare(): Promise<void> {
    const applied = await migrate(this.pool);
    if (applied.length > 0) this.options.logger.info({ applied }, 'database migrated');
    const { rows } = await this.pool.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
    this.iterativeScan = versionAtLeast(rows[0]?.extversion ?? '0', [0, 8, 0]);
    const filled = await fillTermCounts(this.pool);
    if (filled > 0) this.options.logger.info({ chunks: filled }, 'term counts filled in for BM25');
  }

  async open(): Promise<PgVectorView> {
    const { embedder, logger } = this.options;
    await this.prepare();

    const deadline = Date.now() + (this.options.waitForIndexMs ?? 10 * 60_000);
    for (;;) {
      const state = await readState(this.pool);
      if (state.embedder_id !== null && state.dimension !== null && sameEmbedder({ id: state.embedder_id, dimension: state.dimension }, embedder)) break;
      try {
        await this.reindex();
        break;
      } catch (error) {
        // Several shards starting on an empty store: one indexes, the others wait for its commit.
        if (!(error instanceof CoreError && error.code === 'REINDEX_BUSY') || Date.now() > deadline) throw error;
        logger.info({}, 'another process is indexing the store; waiting for it');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    return this.view();
  }

  async view(): Promise<PgVectorView> {
    const { rows } = await this.pool.query<{ revision: string }>('SELECT revision::text AS revision FROM store_state');
    const revision = rows[0]?.revision;
    if (this.currentView && this.currentView.revision === revision) return this.currentView;
    this.loadingView ??= this.loadView().finally(() => (this.loadingView = null));
    return this.loadingView;
  }

  get isReindexing(): boolean {
    return this.running;
  }

  async reindex(request: ReindexRequest & Pick<PgIndexOptions, 'beforeCommit' | 'beforeSwap' | 'corpus'> = {}): Promise<{ summary: ReindexSummary; revision: string }> {
    if (this.running) throw new CoreError('REINDEX_BUSY', 'A re-index is already running.');
    this.running = true;
    try {
      const { corpusDir, embedder, logger } = this.options;
      const result = await runPgIndex(this.pool, { ...request, corpusDir, embedder, logger });
      logger.info({ ...result.summary, revision: result.revision }, 'store ready');
      return { summary: result.summary, revision: result.revision };
    } finally {
      this.running = false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async loadView(): Promise<PgVectorView> {
    const { embedder } = this.options;
    const state = await readViewState(this.pool);
    if (!sameEmbedder(state.embedder, embedder)) {
      throw new CoreError(
        'EMBEDDER_MISMATCH',
        `The database was indexed with ${state.embedder.id} (${state.embedder.dimension}d) but this process embeds queries with ${embedder.id} (${embedder.dimension}d). Give every process the same EMBEDDINGS settings, then run /reindex.`,
      );
    }
    this.currentView = new PgVectorView(this.pool, state, embedder, { iterativeScan: this.iterativeScan });
    return this.currentView;
  }
}

/** Revision, counts and term statistics read in one snapshot, so they describe the same committed state. */
async function readViewState(pool: pg.Pool): Promise<ViewState> {
  return inTransaction(pool, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
    const state = await readState(client);
    const terms = await client.query<{ term: string; df: number }>('SELECT term, df FROM term_stats');
    const documents = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM documents');
    return {
      revision: state.revision,
      embedder: { id: state.embedder_id ?? 'none', dimension: state.dimension ?? 0 },
      documentCount: documents.rows[0]?.count ?? 0,
      chunkCount: state.chunk_count,
      averageTermCount: state.chunk_count > 0 ? state.term_total / state.chunk_count : 0,
      terms: new TermTable(new Map(terms.rows.map((row) => [row.term, row.df])), state.chunk_count),
    };
  });
}

/**
 * Rows written before migration 002 have no term counts (the tokenizer is the application's): counted here, in
 * batches of row updates that never block readers, under the write lock, and the revision bumped so that views
 * re-read the average length. Returns how many rows it filled (0 once done, at every later start).
 */
async function fillTermCounts(pool: pg.Pool): Promise<number> {
  let filled = 0;
  for (;;) {
    const done = await inTransaction(pool, 'BEGIN', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.write]);
      const { rows } = await client.query<{ row_id: string; search_text: string }>(
        'SELECT row_id::text AS row_id, search_text FROM chunks WHERE term_counts IS NULL ORDER BY row_id LIMIT 1000',
      );
      if (rows.length === 0) return 0;
      const counted = rows.map((row) => termCountsOf(row.search_text));
      await client.query(
        `UPDATE chunks c SET terms = string_to_array(t.terms, ' '), term_counts = string_to_array(t.counts, ',')::int[], term_total = t.total
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[]) AS t(row_id, terms, counts, total) WHERE c.row_id = t.row_id`,
        [rows.map((row) => row.row_id), counted.map((c) => c.terms.join(' ')), counted.map((c) => c.counts.join(',')), counted.map((c) => c.total)],
      );
      await client.query('UPDATE store_state SET term_total = (SELECT coalesce(sum(term_total), 0) FROM chunks), revision = revision + 1');
      return rows.length;
    });
    if (done === 0) return filled;
    filled += done;
  }
}

function versionAtLeast(version: string, minimum: [number, number, number]): boolean {
  const parts = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const have = parts[i] ?? 0;
    const need = minimum[i] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}
