// Renders /sources, /help and /reindex messages.
import type { APIEmbed } from 'discord.js';
import type { HelpInfo, ReindexProgress, ReindexSummary, SourceInfo } from '../../commands/types.js';
import { LIMITS } from './limits.js';
import { COLORS, type RenderedMessage } from './message.js';
import { code, literal, oneLine, packLines, truncate } from './text.js';

function day(iso: string): string {
  return iso.slice(0, 10);
}

export function sourceInfoLine(info: SourceInfo): string {
  const chunks = `${info.chunks} chunk${info.chunks === 1 ? '' : 's'}`;
  // A user mention renders as the name; allowed_mentions keeps it from pinging anyone.
  const added = info.addedBy && /^\d{5,25}$/.test(info.addedBy) ? ` · added by <@${info.addedBy}> ${day(info.addedAt ?? '')}` : '';
  // Documents added by link show where they came from, the domain beside the link as in /ask's sources.
  let host: string | null = null;
  if (info.url && info.url.length <= 300 && /^https?:\/\/\S+$/.test(info.url)) host = URL.canParse(info.url) ? new URL(info.url).hostname : null;
  const title = literal(truncate(oneLine(info.title || info.source), 100));
  // The masked link is followed at once by its real domain, as the hostile-text tests require of every masked link.
  const shown = host && info.url ? `[${title.replace(/[[\]]/g, '')}](${info.url.replace(/\)/g, '%29')}) (${literal(host)})` : `**${title}**`;
  return `${shown} · ${info.publishedAt ?? 'undated'} · ${chunks} · indexed ${day(info.indexedAt)}${added} · ${code(truncate(info.source, 120))}`;
}

/** The indexed documents, newest first as given; what does not fit is counted, with a hint to filter. */
export function renderSources(sources: readonly SourceInfo[], query?: string): RenderedMessage {
  const filter = query ? ` matching “${truncate(oneLine(query), 80)}”` : '';
  const title = truncate(`Indexed documents${filter} (${sources.length})`, LIMITS.embedTitle);
  if (sources.length === 0) {
    const description = query ? 'No indexed document matches that. Try a shorter query, or /sources alone.' : 'The index is empty. An administrator can run /reindex.';
    return { embeds: [{ color: COLORS.info, title, description }], components: [] };
  }
  // Two full descriptions would pass 6,000 with the title: leave room for both plus the note.
  const room = LIMITS.embedsTotal - title.length - 120;
  const lines = sources.map(sourceInfoLine);
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > room) break;
    kept.push(line);
    used += line.length + 1;
  }
  const { blocks } = packLines(kept, LIMITS.embedDescription, LIMITS.embedsPerMessage);
  const embeds: APIEmbed[] = blocks.map((description) => ({ color: COLORS.info, description }));
  embeds[0]!.title = title;
  const omitted = sources.length - kept.length;
  if (omitted > 0) embeds[embeds.length - 1]!.footer = { text: `…and ${omitted} more: narrow the list with /sources query` };
  return { embeds, components: [] };
}

export function renderHelp(info: HelpInfo): RenderedMessage {
  const range = info.dateRange ? `${info.dateRange.from} → ${info.dateRange.to}` : 'no dated documents';
  const entities = info.topEntities.length > 0 ? info.topEntities.slice(0, 20).map((e) => literal(e)).join(', ') : 'none listed';
  const embed: APIEmbed = {
    color: COLORS.info,
    title: 'What I know and how to ask',
    description: [
      'I answer only from the indexed documents and cite every sentence with `[n]`; press **Show quotes** to read the exact passages.',
      'If the documents do not support an answer, I say so and show the closest sources instead.',
    ].join('\n'),
    fields: [
      { name: 'Documents', value: `${info.documents} documents · ${info.chunks} passages`, inline: true },
      { name: 'Dates covered', value: range, inline: true },
      { name: 'Answer mode', value: info.answerMode === 'llm' ? 'LLM (with offline fallback)' : 'offline (extractive)', inline: true },
      { name: 'Frequent entities', value: truncate(entities, LIMITS.fieldValue) },
      {
        name: 'Commands',
        value: [
          '`/ask question:` a question; add `private:True` to see the answer alone. Follow up in the thread it opens, by replying to an answer, or with `@bot question`',
          '`/timeline entities:` e.g. `japan korea`: dated events involving all of them (`any:True` for any)',
          '`/sources [query]` the indexed documents',
          '`/add file:` or `/add url:` (administrators) add .pdf, .docx, .txt, .md or .html files, or a linked article; right-click a message → Apps → **Add to corpus** adds its links and files; `/remove source:` moves one to the trash',
          '`/reindex` (administrators) pick up new or changed files; `/report` what the documents could not answer',
        ].join('\n'),
      },
    ],
    footer: { text: truncate(`Embedder: ${info.embedder}`, LIMITS.footer) },
  };
  return { embeds: [embed], components: [] };
}

const PHASES: Record<ReindexProgress['phase'], string> = {
  scanning: 'scanning files',
  embedding: 'embedding passages',
  writing: 'writing the index',
  done: 'finishing',
};

export function renderReindexProgress(progress: ReindexProgress): string {
  const share = progress.total > 0 ? ` (${Math.round((100 * progress.done) / progress.total)}%)` : '';
  const counts = progress.total > 0 ? ` ${progress.done}/${progress.total}${share}` : '';
  return `⏳ Re-indexing: ${PHASES[progress.phase]}${counts}…`;
}

/** `+N added · N changed · N removed · skipped: …` and a details line, within the 2,000-character content limit. */
export function renderReindexSummary(summary: ReindexSummary): string {
  const skipped =
    summary.skipped.length === 0
      ? 'none'
      : summary.skipped.map((s) => `${code(truncate(s.path, 80))} (${truncate(oneLine(s.reason), 80)})`).join(', ');
  const head = `✅ Re-index done: +${summary.added} added · ${summary.updated} changed · ${summary.removed} removed · skipped: `;
  const details = `\n${summary.unchanged} unchanged · ${summary.chunks} passages · ${summary.embedded} embedded · ${(summary.ms / 1000).toFixed(1)} s`;
  const rebuild = summary.rebuildReason ? `\nFull rebuild: ${truncate(oneLine(summary.rebuildReason), 200)}` : '';
  const room = LIMITS.content - head.length - details.length - rebuild.length;
  return `${head}${truncate(skipped, Math.max(20, room))}${details}${rebuild}`;
}

