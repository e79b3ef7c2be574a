// Runs evaluation sets through the same services the bot uses.
import { existsSync, readFileSync } from 'node:fs';
import type { Services } from '../commands/services.js';
import { scoreTimeline, type TimelineGold, type TimelineScore } from '../core/timeline/index.js';
import { rawCorpusReader, scoreItem, summarize, type QaItem, type QaReport } from './qa.js';

export async function runQaEval(services: Services, items: readonly QaItem[], corpusDir: string): Promise<QaReport> {
  const read = rawCorpusReader(corpusDir);
  // Warm-up pass: a document's first query pays one-off costs (JIT, per-sentence caches) that are not the
  // steady-state answer latency a running bot shows; latency is measured on the second pass.
  for (const item of items) await services.ask(item.question);
  const results = [];
  for (const item of items) {
    const passages = await services.library.current.retrieve(item.question, { k: 5 });
    const started = performance.now();
    const answer = await services.ask(item.question);
    const ms = performance.now() - started;
    results.push(scoreItem(item, answer, passages.map((p) => p.chunk.source), ms, read));
  }
  return summarize(results);
}

export async function runTimelineEval(services: Services, goldPath: string): Promise<(TimelineScore & { query: string[] }) | null> {
  if (!existsSync(goldPath)) return null;
  const gold = JSON.parse(readFileSync(goldPath, 'utf8')) as TimelineGold & { query: string[] };
  const timeline = await services.timeline(gold.query);
  const documents = [...services.library.current.snapshot.documents.values()];
  return { query: gold.query, ...scoreTimeline(timeline, gold, documents) };
}
