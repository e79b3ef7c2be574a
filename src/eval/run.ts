// Runs evaluation sets through the same services the bot uses.
import { existsSync, readFileSync } from 'node:fs';
import type { Services } from '../commands/services.js';
import { scoreTimeline, type TimelineGold, type TimelineScore } from '../core/timeline/index.js';
import { rawCorpusReader, scoreItem, summarize, type QaItem, type QaReport } from './qa.js';
import type { PreparedItem } from './calibrate.js';

/** Retrieval done once per question, so a parameter search only re-runs the answer stage. */
export async function prepareItems(
  services: Services,
  corpus: { name: string; dir: string },
  sets: ReadonlyArray<{ path: string; items: readonly QaItem[] }>,
): Promise<PreparedItem[]> {
  const view = await services.store.view();
  const evidence = services.evidence(view);
  const read = rawCorpusReader(corpus.dir);
  const out: PreparedItem[] = [];
  for (const { path, items } of sets) {
    for (const item of items) {
      const { passages, documents } = await view.search(item.question, { k: services.retrievalK });
      out.push({ corpus: corpus.name, set: path, item, passages, documents, evidence, read });
    }
  }
  return out;
}

export async function runQaEval(services: Services, items: readonly QaItem[], corpusDir: string): Promise<QaReport> {
  const read = rawCorpusReader(corpusDir);
  // Warm-up pass: a document's first query pays one-off costs (JIT, per-sentence caches) that are not the
  // steady-state answer latency a running bot shows; latency is measured on the second pass.
  for (const item of items) await services.ask(item.question);
  const results = [];
  for (const item of items) {
    const { passages } = await (await services.store.view()).search(item.question, { k: 5 });
    const started = performance.now();
    const answer = await services.ask(item.question);
    const ms = performance.now() - started;
    results.push(scoreItem(item, answer, passages.map((p) => p.chunk.source), ms, read));
  }
  return summarize(results);
}

/** Recall@5 and MRR of the answer's source file for each retrieval mode alone and fused. */
export async function runRetrievalAblation(
  services: Services,
  items: readonly QaItem[],
): Promise<Record<'keyword' | 'vector' | 'hybrid', { recallAt5: number; mrr: number }>> {
  const answerable = items.filter((item) => item.source);
  const result = {} as Record<'keyword' | 'vector' | 'hybrid', { recallAt5: number; mrr: number }>;
  for (const mode of ['keyword', 'vector', 'hybrid'] as const) {
    let found = 0;
    let reciprocal = 0;
    for (const item of answerable) {
      const { passages } = await (await services.store.view()).search(item.question, { k: 5, mode });
      const rank = passages.findIndex((p) => p.chunk.source === item.source);
      if (rank >= 0) {
        found += 1;
        reciprocal += 1 / (rank + 1);
      }
    }
    result[mode] = { recallAt5: answerable.length ? found / answerable.length : 1, mrr: answerable.length ? reciprocal / answerable.length : 0 };
  }
  return result;
}

export async function runTimelineEval(services: Services, goldPath: string): Promise<(TimelineScore & { query: string[] }) | null> {
  if (!existsSync(goldPath)) return null;
  const gold = JSON.parse(readFileSync(goldPath, 'utf8')) as TimelineGold & { query: string[] };
  const timeline = await services.timeline(gold.query);
  const documents = [...(await (await services.store.view()).documents()).values()];
  return { query: gold.query, ...scoreTimeline(timeline, gold, documents) };
}
