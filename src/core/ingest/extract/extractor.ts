// Host side of the parser worker (worker.mjs): one job at a time, each under a deadline. A job that runs too long or
// exhausts the worker's heap ends the worker (the next job gets a fresh one) and becomes a one-line reason. Every
// file is parsed there, whatever its format (`parse`): the caller's event loop only waits for the reply.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CoreError } from '../../errors.js';
import type { BinaryExtractor, DocumentParser, DocxExtraction, ExtractionOutcome, ParsedFile, PdfExtraction } from './types.js';

export type { BinaryExtractor, DocumentParser, DocxExtraction, ExtractionOutcome, ParsedFile, PdfExtraction, PdfPageText, PdfTextItem } from './types.js';

export interface ExtractionLimits {
  /** Wall-clock limit for one file. */
  timeoutMs: number;
  maxPdfPages: number;
  /** A Word file may unzip to at most this many bytes… */
  maxUnzippedBytes: number;
  /** …and to at most this many times its own size. */
  maxUnzipRatio: number;
}

export const DEFAULT_EXTRACTION_LIMITS: ExtractionLimits = {
  timeoutMs: 30_000,
  maxPdfPages: 2_000,
  maxUnzippedBytes: 200 * 1024 * 1024,
  maxUnzipRatio: 100,
};

type RawPage = { width: number; height: number; items: Array<[string, number, number, number, number]> };
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; reason: string } | { id: number; ok: false; unavailable: string };

const WORKER_URL = new URL('./worker.mjs', import.meta.url);
/** Heap of the parser thread; a file that needs more is refused instead of growing the bot's memory. */
const WORKER_HEAP_MB = 512;

export class DocumentExtractor implements BinaryExtractor, DocumentParser {
  private worker: Worker | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  /** The boilerplate lines the current worker holds (by identity), and the id jobs name them by. */
  private linesSent: { lines: readonly string[]; id: number } | null = null;
  private nextLinesId = 1;

  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private pending = 0;

  /** `idleMs`: end the worker after this long without a job (the next job starts a new one); never by default. */
  constructor(
    readonly limits: ExtractionLimits = DEFAULT_EXTRACTION_LIMITS,
    private readonly options: { idleMs?: number } = {},
  ) {}

  /** The whole parse of one file of any format (decode, extract, clean, date) in the worker. */
  async parse(source: string, bytes: Uint8Array, boilerplateLines: readonly string[] = []): Promise<ExtractionOutcome<ParsedFile>> {
    const outcome = await this.run({ kind: 'parse', source, ...this.limits }, bytes, boilerplateLines);
    return outcome.ok ? { ok: true, value: outcome.value as ParsedFile } : outcome;
  }

  async pdf(bytes: Uint8Array): Promise<ExtractionOutcome<PdfExtraction>> {
    const outcome = await this.run({ kind: 'pdf', maxPages: this.limits.maxPdfPages }, bytes);
    if (!outcome.ok) return outcome;
    const raw = outcome.value as Omit<PdfExtraction, 'pages'> & { pages: RawPage[] };
    const pages = raw.pages.map((page) => ({
      width: page.width,
      height: page.height,
      items: page.items.map(([str, x, y, width, size]) => ({ str, x, y, width, size })),
    }));
    return { ok: true, value: { ...raw, pages } };
  }

  async docx(bytes: Uint8Array): Promise<ExtractionOutcome<DocxExtraction>> {
    const outcome = await this.run({ kind: 'docx', maxUnzippedBytes: this.limits.maxUnzippedBytes, maxUnzipRatio: this.limits.maxUnzipRatio }, bytes);
    return outcome.ok ? { ok: true, value: outcome.value as DocxExtraction } : outcome;
  }

  /** Ends the worker; a later job starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private run(job: Record<string, unknown>, bytes: Uint8Array, lines?: readonly string[]): Promise<ExtractionOutcome<unknown>> {
    // One job at a time: the deadline then measures this file's parse, not a queue behind it.
    this.pending++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const next = this.queue.then(() => this.runNow(job, bytes, lines));
    this.queue = next.catch(() => undefined).then(() => this.settled());
    return next;
  }

  private settled(): void {
    this.pending--;
    const { idleMs } = this.options;
    if (this.pending > 0 || idleMs === undefined) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.pending === 0) void this.close();
    }, idleMs);
    this.idleTimer.unref();
  }

  private spawn(): Worker {
    // A build that left the worker behind (a bundle of one entry point) must not turn into "every file refused":
    // a scan would then drop the whole corpus from the index.
    if (!existsSync(fileURLToPath(WORKER_URL))) throw new CoreError('PARSER_UNAVAILABLE', `The parser worker is missing: ${fileURLToPath(WORKER_URL)}`);
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    // An idle parser thread must not keep a CLI process alive; a running job holds its own timer.
    worker.unref();
    return worker;
  }

  private runNow(job: Record<string, unknown>, bytes: Uint8Array, lines?: readonly string[]): Promise<ExtractionOutcome<unknown>> {
    if (!this.worker) {
      this.worker = this.spawn();
      this.linesSent = null;
    }
    const worker = this.worker;
    const id = this.nextId++;
    if (lines) {
      // The lines travel once per worker and set of lines; later jobs name them.
      const fresh = this.linesSent?.lines !== lines;
      if (fresh) this.linesSent = { lines, id: this.nextLinesId++ };
      job = { ...job, linesId: this.linesSent!.id, ...(fresh ? { lines } : {}) };
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (outcome: ExtractionOutcome<unknown> | CoreError, kill: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (kill && this.worker === worker) {
          this.worker = null;
          void worker.terminate();
        }
        if (outcome instanceof CoreError) reject(outcome);
        else resolve(outcome);
      };
      const onMessage = (reply: Reply): void => {
        if (reply.id !== id) return;
        if ('unavailable' in reply) finish(new CoreError('PARSER_UNAVAILABLE', reply.unavailable), true);
        else finish(reply.ok ? { ok: true, value: reply.result } : { ok: false, reason: reply.reason }, false);
      };
      const onError = (error: Error & { code?: string }): void => {
        if (error.code === 'ERR_MODULE_NOT_FOUND') {
          finish(new CoreError('PARSER_UNAVAILABLE', `The parser worker could not start (${(error.message.split('\n')[0] ?? '').slice(0, 160)})`), true);
          return;
        }
        const reason =
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `parser ran out of memory (limit ${WORKER_HEAP_MB} MB)`
            : `parser failed (${(error.message.split('\n')[0] ?? '').slice(0, 160)})`;
        finish({ ok: false, reason }, true);
      };
      const onExit = (): void => finish({ ok: false, reason: 'parser stopped unexpectedly' }, true);
      const timer = setTimeout(
        () => finish({ ok: false, reason: `parsing took longer than ${Math.round(this.limits.timeoutMs / 100) / 10} s (time limit)` }, true),
        this.limits.timeoutMs,
      );
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      // A copy is transferred: the caller keeps its bytes (they are hashed and may be written to disk).
      const copy = bytes.slice();
      worker.postMessage({ ...job, id, bytes: copy }, [copy.buffer]);
    });
  }
}

/** How long the shared parser worker stays up without a job: a re-index soon after another skips its start. */
const SHARED_IDLE_MS = 10 * 60_000;
let shared: DocumentExtractor | null = null;

/**
 * The process's parser worker for scans that bring none: started by the first, kept warm between re-indexes
 * (starting it and loading the parsers costs 0.5–1 s, most of a one-document re-index), ended when idle.
 */
export function sharedExtractor(): DocumentExtractor {
  return (shared ??= new DocumentExtractor(DEFAULT_EXTRACTION_LIMITS, { idleMs: SHARED_IDLE_MS }));
}
