// Optional: re-index shortly after files in the corpus folder change (bursts of changes trigger one run).
import { watch } from 'chokidar';
import { isCoreError } from '../core/errors.js';
import type { BotServices } from '../commands/types.js';
import type { AppLogger } from '../logging.js';
import { describeError } from './router.js';

export interface CorpusWatcher {
  close(): Promise<void>;
}

export function watchCorpus(options: {
  dir: string;
  services: Pick<BotServices, 'reindex'>;
  logger: AppLogger;
  debounceMs?: number;
}): CorpusWatcher {
  const debounceMs = options.debounceMs ?? 2000;
  const { logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  const run = async () => {
    timer = undefined;
    if (closed) return;
    if (running) {
      // Changes arrived during a run: go again once it is over.
      schedule();
      return;
    }
    running = (async () => {
      try {
        const summary = await options.services.reindex();
        logger.info({ trigger: 'watch', added: summary.added, updated: summary.updated, removed: summary.removed, ms: summary.ms }, 'corpus re-indexed');
      } catch (error) {
        if (isCoreError(error, 'REINDEX_BUSY')) schedule();
        else logger.error({ trigger: 'watch', err: describeError(error) }, 'automatic re-index failed');
      } finally {
        running = undefined;
      }
    })();
    await running;
  };

  function schedule(): void {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  }

  const watcher = watch(options.dir, { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 200, pollInterval: 50 } });
  watcher.on('all', (event, path) => {
    logger.debug({ event, path }, 'corpus changed');
    schedule();
  });
  watcher.on('error', (error) => logger.warn({ err: describeError(error) }, 'corpus watcher error'));
  logger.info({ dir: options.dir, debounceMs }, 'watching the corpus folder');

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}
