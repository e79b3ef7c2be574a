// Renders /add and /remove replies: one line per file, user-supplied names always in code spans.
import type { AddProgress, AddResult } from '../../commands/add.js';
import type { RemoveResult } from '../../commands/remove.js';
import { renderReindexProgress } from './info.js';
import { LIMITS } from './limits.js';
import { code, literal, oneLine, truncate } from './text.js';

export function renderAddProgress(progress: AddProgress): string {
  if (progress.phase === 'checking') return `⏳ Checking ${code(truncate(progress.file, 80))} (${progress.done + 1}/${progress.total})…`;
  return renderReindexProgress(progress);
}

function fit(lines: string[]): string {
  const out: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    if (used + line.length + 1 > LIMITS.content - 40) {
      out.push(`…and ${lines.length - i} more line${lines.length - i === 1 ? '' : 's'} (see the log)`);
      break;
    }
    out.push(line);
    used += line.length + 1;
  }
  return out.join('\n');
}

export function renderAddResult(result: AddResult): string {
  const lines: string[] = [];
  if (result.added.length > 0) lines.push(`✅ Added ${result.added.length} document${result.added.length === 1 ? '' : 's'}:`);
  for (const doc of result.added) {
    const date = doc.publishedAt ? `${doc.publishedAt} (${doc.dateProvenance ?? 'detected'})` : 'no date found';
    const replaced = doc.replaced ? ' · replaced the previous upload (now in .trash)' : '';
    // <…> keeps Discord from unfurling the address into a preview of its own.
    const address = doc.url && doc.url.length <= 300 && /^https?:\/\/\S+$/.test(doc.url) ? ` · <${doc.url}>` : '';
    lines.push(`• ${code(truncate(doc.source, 100))} — **${literal(truncate(oneLine(doc.title), 100))}** · ${date} · ${doc.chunks} chunk${doc.chunks === 1 ? '' : 's'}${address}${replaced}`);
  }
  for (const dup of result.duplicates) lines.push(`⏭️ ${code(truncate(dup.name, 80))} already indexed as ${code(truncate(dup.source, 100))}: nothing written.`);
  for (const refused of result.refused) lines.push(`⚠️ ${code(truncate(refused.name, 80))} skipped: ${truncate(oneLine(refused.reason), 200)}`);
  for (const file of result.pending) lines.push(`🕒 ${code(truncate(file.name, 80))} stored as ${code(truncate(file.source, 100))}; the next re-index will add it.`);
  if (result.busy) lines.push('⏳ Another re-index kept running; the new files are stored and will be picked up by the next one (`/reindex`).');
  else if (result.reindex) lines.push(`Index: ${result.reindex.chunks} passages · ${result.reindex.embedded} embedded · ${(result.reindex.ms / 1000).toFixed(1)} s`);
  if (lines.length === 0) lines.push('Nothing to add: give a link, or attach one or more .txt, .md, .html, .pdf or .docx files.');
  return fit(lines);
}

export function renderRemoveResult(result: RemoveResult): string {
  const moved = `🗑️ Removed ${code(truncate(result.source, 100))}: moved to ${code(truncate(result.trashedAs, 140))} (recoverable by moving it back).`;
  if (result.busy) return `${moved}\n⏳ Another re-index is running; the next one drops it from the index.`;
  const run = result.reindex;
  return run ? `${moved}\nIndex: ${run.removed} removed · ${run.chunks} passages left.` : moved;
}
