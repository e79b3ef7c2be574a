// Shared test fixtures: temporary corpora and indexes built with the real loaders, embedder and hnswlib.
import type { BuildOptions } from 'esbuild';
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadConfig, type Config } from '../src/config.js';
import { createLocalEmbedder } from '../src/app/embedders.js';
import { createServices } from '../src/app/services.js';
import type { ChatModel, CleanDocument, Logger, Timeline } from '../src/core/types.js';
import type { LoadCorpusResult } from '../src/core/ingest/index.js';
import { LocalStore } from '../src/stores/local/store.js';
import type { Services } from '../src/commands/services.js';
import type { LocalView } from '../src/stores/local/view.js';

export const PROJECT_ROOT = resolve(import.meta.dirname, '..');
export const SEED_CORPUS = join(PROJECT_ROOT, 'corpus');
/**
 * The shared eval sets: EVAL_DIR (as the app reads it) when set, else beside the project (`../shared`) or beside the
 * folder of worktrees (`wt/<branch>`).
 */
export const SHARED_EVAL = process.env.EVAL_DIR
  ? resolve(process.env.EVAL_DIR)
  : ([resolve(PROJECT_ROOT, '..', 'shared', 'eval'), resolve(PROJECT_ROOT, '..', '..', 'shared', 'eval')].find((dir) => existsSync(dir)) ?? resolve(PROJECT_ROOT, '..', 'shared', 'eval'));

export function tempDir(prefix = 'rag-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A fresh copy of the seed corpus (plus extra files) in a temporary directory. */
export function seedCorpusCopy(extra: Record<string, string> = {}): string {
  const dir = tempDir('corpus-');
  cpSync(SEED_CORPUS, dir, { recursive: true });
  for (const [name, content] of Object.entries(extra)) writeFile(dir, name, content);
  return dir;
}

/** What a load hands the next one (`LoadCorpusOptions.previous`), as a store keeps it between re-indexes. */
export function previousOf(result: LoadCorpusResult) {
  return {
    documents: new Map<string, CleanDocument>(result.documents.map((doc) => [doc.source, doc])),
    boilerplateLines: result.boilerplateLines ?? [],
    parserRevision: result.parserRevision ?? 0,
    scan: new Map((result.scan ?? []).map((record) => [record.source, record])),
  };
}

export function writeFile(dir: string, name: string, content: string | Uint8Array): void {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

let sharedEmbedder: ReturnType<typeof createLocalEmbedder> | null = null;
export function localEmbedder() {
  sharedEmbedder ??= createLocalEmbedder({ wordVectorsDir: undefined });
  return sharedEmbedder;
}

export function testConfig(overrides: { corpusDir: string; indexDir: string; env?: Record<string, string> }): Config {
  return loadConfig(
    { corpusDir: overrides.corpusDir, indexDir: overrides.indexDir },
    { ENTITIES_FILE: join(PROJECT_ROOT, 'data', 'entities.json'), EVAL_DIR: SHARED_EVAL, ...(overrides.env ?? {}) },
    { dotenvPath: false },
  );
}

/**
 * A Node command running a TypeScript entry point: bundled once with esbuild (which tsx brings) when possible,
 * because starting a child through tsx costs seconds of module resolution; through tsx otherwise. The bundle
 * lives under node_modules so it can resolve the native addon, which stays external.
 */
export async function nodeCommandFor(entry: string): Promise<{ file: string; args: string[]; cleanup(): void }> {
  try {
    const { build } = await import('esbuild');
    // One folder per bundle: the parser worker (worker.mjs, found beside the module that starts it) and the typed
    // parse it loads (parse-job.js) go beside the entry, as dist/ has them.
    const outDir = join(PROJECT_ROOT, 'node_modules', '.cache', 'test-bundles', `${entry.replace(/[^a-z0-9]+/gi, '-')}-${process.pid}`);
    mkdirSync(outDir, { recursive: true });
    const outfile = join(outDir, 'entry.mjs');
    const options: BuildOptions = {
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['hnswlib-node', '@resvg/resvg-js'],
      // CommonJS dependencies inside an ESM bundle still call require().
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      logLevel: 'silent',
    };
    const extract = join(PROJECT_ROOT, 'src', 'core', 'ingest', 'extract');
    await Promise.all([
      build({ ...options, entryPoints: [entry], outfile }),
      build({ ...options, entryPoints: [join(extract, 'parse-job.ts')], outfile: join(outDir, 'parse-job.js') }),
    ]);
    copyFileSync(join(extract, 'worker.mjs'), join(outDir, 'worker.mjs'));
    return { file: process.execPath, args: [outfile], cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
  } catch {
    return { file: process.execPath, args: ['--import', 'tsx', entry], cleanup: () => undefined };
  }
}

export interface CapturedLogger extends Logger {
  lines: Array<{ level: string; obj: object; msg?: string | undefined }>;
}

export function captureLogger(): CapturedLogger {
  const lines: CapturedLogger['lines'] = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export interface SeedServices {
  services: Services;
  corpusDir: string;
  indexDir: string;
  /** Closes the services and deletes the corpus copy and the index. */
  dispose(): Promise<void>;
}

/**
 * The real use cases over a fresh copy of the seed corpus and a fresh local index, offline embedder; `chat` null
 * answers extractively. `addFiles` may add documents to the copy before the first index is built.
 */
export async function seedServices(
  options: { chat?: ChatModel | null; logger?: Logger; addFiles?: (corpusDir: string) => Promise<void> | void } = {},
): Promise<SeedServices> {
  const corpusDir = seedCorpusCopy();
  const indexDir = tempDir('services-');
  await options.addFiles?.(corpusDir);
  const services = await createServices({
    config: testConfig({ corpusDir, indexDir }),
    logger: options.logger ?? captureLogger(),
    embedder: localEmbedder(),
    chat: options.chat ?? null,
  });
  return {
    services,
    corpusDir,
    indexDir,
    async dispose() {
      await services.close();
      removeDir(corpusDir);
      removeDir(indexDir);
    },
  };
}

/** The view a local-store service is serving (tests that inspect the loaded generation). */
export function servingBase(services: Services): LocalView {
  if (!(services.store instanceof LocalStore)) throw new Error('servingBase needs the local store');
  return services.store.current;
}

/**
 * What is wrong with `timeline japan korea` over the seed corpus: events the dev gold requires (dated as the text
 * dates them, cited to the page that says so) that are missing, dates out of order, and dates the gold forbids
 * (publication, teaser and copyright dates of the pages).
 */
export function seedTimelineProblems(timeline: Timeline): string[] {
  const required = [
    ['1910/1945', '004_d123d17845083a10.txt'],
    ['1965', '000_66bda952950de0d6.txt'],
    ['2023-06', '004_d123d17845083a10.txt'],
    ['2025-08-23', '000_66bda952950de0d6.txt'],
  ];
  const forbidden = ['1995', '2018', '2024', '2025-08-19'];
  const problems: string[] = [];
  for (const [date, source] of required) {
    if (!timeline.events.some((event) => event.date === date && event.citations.some((c) => c.source === source))) problems.push(`no ${date} event cited to ${source}`);
  }
  const dates = timeline.events.map((event) => event.date);
  if (dates.join('\n') !== [...dates].sort().join('\n')) problems.push(`events out of order: ${dates.join(', ')}`);
  for (const date of dates) if (forbidden.some((f) => date.startsWith(f))) problems.push(`forbidden date ${date}`);
  return problems;
}
