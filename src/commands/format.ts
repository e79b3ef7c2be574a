// Plain-text renderings shared by the terminal session and the npm scripts (Discord renders embeds itself but
// reuses the one-line summaries).
import type { Answer, Timeline } from '../core/types.js';
import { groupBySource } from '../core/answer/citations.js';
import type { HelpInfo, ReindexSummary, SourceInfo } from './types.js';

export function formatReindexSummary(summary: ReindexSummary): string {
  const parts = [
    `+${summary.added} added`,
    `${summary.updated} changed`,
    `${summary.removed} removed`,
    `${summary.unchanged} unchanged`,
    `${summary.chunks} chunks (${summary.embedded} embedded)`,
  ];
  if (summary.skipped.length > 0) {
    parts.push(`${summary.skipped.length} skipped: ${summary.skipped.map((s) => `${s.path} (${s.reason})`).join(', ')}`);
  }
  parts.push(`${(summary.ms / 1000).toFixed(1)} s`);
  const line = parts.join(' · ');
  return summary.rebuildReason ? `${line}\nfull rebuild: ${summary.rebuildReason}` : line;
}

export function formatAnswer(answer: Answer): string {
  const lines = [answer.answer, ''];
  if (answer.citations.length > 0) {
    lines.push(answer.refused ? 'Closest sources:' : 'Sources:');
    // One title per document, its quotes under it (with their page when the document has pages).
    for (const group of groupBySource(answer.citations)) {
      const marks = group.citations.map((c) => `[${c.n}]`).join('');
      const single = group.citations.length === 1 ? group.citations[0] : undefined;
      lines.push(`  ${marks} ${group.title} · ${group.date ?? 'undated'} · ${group.source}${single?.page ? ` · p. ${single.page}` : ''}${group.url ? ` · ${group.url}` : ''}`);
      for (const c of group.citations) lines.push(`      ${single ? '' : `[${c.n}]${c.page ? ` p. ${c.page}` : ''} `}“${c.quote}”`);
    }
  }
  const mode = answer.mode === 'llm' ? 'LLM, citations verified' : 'offline extractive';
  lines.push(`(${mode}${answer.fallbackReason ? `; LLM unavailable: ${answer.fallbackReason}` : ''})`);
  return lines.join('\n');
}

/** The `ask --json` object: the answer with its citations, for scripts and checks. */
export function answerJson(answer: Answer): Record<string, unknown> {
  return {
    question: answer.question,
    answer: answer.answer,
    refused: answer.refused,
    mode: answer.mode,
    ...(answer.fallbackReason ? { fallbackReason: answer.fallbackReason } : {}),
    short: answer.short ?? null,
    type: answer.type ?? null,
    citations: answer.citations.map((c) => ({ n: c.n, source: c.source, title: c.title, date: c.date, url: c.url, quote: c.quote, start: c.start, end: c.end, page: c.page ?? null })),
  };
}

/** The reply footer line for a rewritten follow-up. */
export function readAsLine(standalone: string): string {
  return `Read as: "${standalone}"`;
}

export function formatTimeline(timeline: Timeline): string {
  const lines = [`Timeline: ${timeline.entities.map((e) => e.label).join(' + ')}`, ''];
  if (timeline.events.length === 0 && timeline.undated.length === 0) lines.push(timeline.message ?? 'No events found for these entities.');
  const sources = new Map<number, string>();
  for (const event of timeline.events) {
    const refs = citationMarks(event.citations);
    lines.push(`${event.date.padEnd(21)} ${event.status === 'planned' ? '(planned) ' : ''}${event.text} ${refs}`);
    for (const c of event.citations) sources.set(c.n, `${c.title} · ${c.source}${c.url ? ` · ${c.url}` : ''}`);
  }
  if (timeline.undated.length > 0) {
    lines.push('', 'Undated (the page gives no publication date to anchor them):');
    for (const event of timeline.undated) {
      lines.push(`  - ${event.text} ${citationMarks(event.citations)}`);
      for (const c of event.citations) sources.set(c.n, `${c.title} · ${c.source}${c.url ? ` · ${c.url}` : ''}`);
    }
  }
  if (sources.size > 0) {
    lines.push('', 'Sources:');
    for (const [n, label] of [...sources.entries()].sort((a, b) => a[0] - b[0])) lines.push(`  [${n}] ${label}`);
  }
  return lines.join('\n');
}

/** "[1][3]": one mark per source, however many quotes it contributed. */
function citationMarks(citations: ReadonlyArray<{ n: number }>): string {
  return [...new Set(citations.map((c) => c.n))]
    .sort((a, b) => a - b)
    .map((n) => `[${n}]`)
    .join('');
}

export function formatSources(sources: readonly SourceInfo[]): string {
  if (sources.length === 0) return 'No indexed documents match.';
  return sources
    .map((s) => `${s.title}\n  ${s.publishedAt ?? 'undated'} · ${s.source} · ${s.chunks} chunks · indexed ${s.indexedAt.slice(0, 16).replace('T', ' ')}${s.addedBy ? ` · added by ${s.addedBy} ${s.addedAt?.slice(0, 10) ?? ''}` : ''}`)
    .join('\n');
}

export function formatHelp(help: HelpInfo): string {
  const range = help.dateRange ? `${help.dateRange.from} to ${help.dateRange.to}` : 'no dated documents';
  return [
    `I answer questions from ${help.documents} indexed documents (${help.chunks} passages, published ${range}).`,
    help.topEntities.length > 0 ? `Frequent topics: ${help.topEntities.join(', ')}.` : '',
    'Every sentence of an answer cites the passage it comes from; when the documents do not cover a question I say so.',
    '',
    'Commands:',
    '  /ask <question>        a cited answer (plain text works too)',
    '  /timeline <entities>   a dated, cited chronology of people, places, organisations or topics, e.g. /timeline japan korea (--any for either)',
    '  /sources [query]       the indexed documents',
    '  /reindex               pick up added, changed or removed documents',
    '  /help                  this text',
    '  /quit                  leave',
    `Answers: ${help.answerMode === 'llm' ? 'LLM with verified citations (offline fallback)' : 'offline extractive'} · embeddings: ${help.embedder}`,
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
}
