// npm run add -- <link or file>… [--replace] [--json]: what /add and "Add to corpus" do, from a terminal. Links are
// fetched under the same limits (public addresses only, size, time, types); files are read from disk under the same
// size limit; both are checked and stored under CORPUS_DIR/uploads/, then the corpus is re-indexed incrementally.
import { open, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createEmbedder } from '../app/embedders.js';
import { createCorpusStore } from '../app/stores.js';
import type { AddResult, AttachmentRef } from '../commands/add.js';
import { formatMb, type DownloadOutcome } from '../commands/download.js';
import { createUploadServices } from '../commands/upload-services.js';
import { cliConfig, cliLogger, COMMON_OPTIONS, parseCli, printJson, runMain } from './common.js';

const USAGE = `Usage: npm run add -- LINK_OR_FILE [LINK_OR_FILE…] [--replace] [--json] [--corpus DIR] [--index DIR]
Adds linked pages (http/https: HTML, PDF, Word, text, Markdown) and local files (.txt, .md, .html, .pdf, .docx)
to the corpus: each is checked, stored under CORPUS_DIR/uploads/ (links with their address, which citations show),
and the index is updated incrementally. --replace overwrites an earlier upload of the same name (or fetches a link
added before again). --json prints {added, duplicates, refused, pending, reindex, busy}. Exit status 1 when
something was refused and nothing was added.`;

/** Reads a local file (given as a file: URL) no larger than `maxBytes`, counting what is read, not what stat said. */
function localReader(maxBytes: number): (url: string) => Promise<DownloadOutcome> {
  return async (url) => {
    const file = fileURLToPath(url);
    try {
      const handle = await open(file, 'r');
      try {
        const info = await handle.stat();
        if (!info.isFile()) return { ok: false, reason: 'not a regular file' };
        const buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        if (bytesRead > maxBytes) return { ok: false, reason: `file too large (more than ${formatMb(maxBytes)})` };
        return { ok: true, bytes: new Uint8Array(buffer.subarray(0, bytesRead)) };
      } finally {
        await handle.close();
      }
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      return { ok: false, reason: code === 'ENOENT' ? 'no such file' : `unreadable (${typeof code === 'string' ? code : 'error'})` };
    }
  };
}

function formatResult(result: AddResult): string {
  const lines: string[] = [];
  for (const doc of result.added) {
    const date = doc.publishedAt ? `${doc.publishedAt} (${doc.dateProvenance ?? 'detected'})` : 'no date found';
    lines.push(`added    ${doc.source} — ${doc.title} · ${date} · ${doc.chunks} chunk${doc.chunks === 1 ? '' : 's'}${doc.url ? ` · ${doc.url}` : ''}${doc.replaced ? ' (replaced)' : ''}`);
  }
  for (const dup of result.duplicates) lines.push(`already  ${dup.name}: already indexed as ${dup.source}`);
  for (const refused of result.refused) lines.push(`refused  ${refused.name}: ${refused.reason}`);
  for (const file of result.pending) lines.push(`stored   ${file.name} as ${file.source}; the next re-index will add it`);
  if (result.busy) lines.push('Another re-index kept running; the next one picks the new documents up.');
  else if (result.reindex) lines.push(`index: ${result.reindex.chunks} passages · ${result.reindex.embedded} embedded · ${(result.reindex.ms / 1000).toFixed(1)} s`);
  if (lines.length === 0) lines.push('Nothing to add.');
  return lines.join('\n');
}

runMain(async () => {
  const { values, positionals } = parseCli({ ...COMMON_OPTIONS, replace: { type: 'boolean', default: false } });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const config = cliConfig(values);
  const logger = cliLogger(config);
  const links: string[] = [];
  const attachments: AttachmentRef[] = [];
  for (const item of positionals) {
    // Anything with a scheme is a link (the fetcher refuses the schemes it does not take, with the reason).
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(item) || /^[a-z]+:/i.test(item) && !/^[a-z]:[\\/]/i.test(item)) {
      links.push(item);
      continue;
    }
    const absolute = path.resolve(item);
    const size = await stat(absolute).then((info) => info.size, () => 0);
    attachments.push({ name: path.basename(absolute), url: pathToFileURL(absolute).href, size });
  }
  const embedder = await createEmbedder(config);
  const store = await createCorpusStore(config, embedder, logger, { poolSize: 2 });
  let result: AddResult;
  try {
    // Builds the index first when there is none: duplicates are found against what is indexed.
    await store.open();
    const uploads = createUploadServices({ config, store, logger, download: localReader(config.uploads.maxBytes) });
    result = await uploads.add({ attachments, links, replace: values.replace, userId: `cli:${userInfo().username}` });
  } finally {
    await store.close();
  }
  if (values.json) printJson(result);
  else process.stdout.write(`${formatResult(result)}\n`);
  if (result.refused.length > 0 && result.added.length === 0 && result.duplicates.length === 0) process.exitCode = 1;
});
