// Smoke run of `npm run bench` at a toy size: the report keeps its shape and its figures are right where they can
// be known. Timings are not asserted (they depend on the machine); the counts are, since they are what the
// re-index promises, and so are the quality figures: at 200 chunks the HNSW search breadth exceeds the index, so
// the graph search is exact and recall@10 must be 1.
import { describe, expect, it } from 'vitest';
import { recallAt, runBench } from '../../scripts/bench/measure.js';
import { latencySvg } from '../../scripts/bench/report.js';

describe('npm run bench (smoke, 200 chunks)', () => {
  it('reports every size with consistent counts, exact recall at a toy size and a chart', async () => {
    const lines: string[] = [];
    const report = await runBench({ sizes: [200], queries: 20, rssQuestions: 30, isolate: false, log: (line) => lines.push(line) });

    expect(report.machine.cpus).toBeGreaterThan(0);
    expect(report.machine.calibration_ms).toBeGreaterThan(0);
    expect(report.sizes).toHaveLength(1);
    const size = report.sizes[0]!;
    expect(size.chunks).toBeGreaterThanOrEqual(150);
    expect(size.documents).toBeGreaterThan(0);
    for (const key of ['build_ms', 'reindex_one_ms', 'query_p50_ms', 'query_p95_ms', 'answer_p95_ms', 'brute_p95_ms', 'native_p95_ms', 'rss_mb', 'rss_after_load_settled_mb', 'rss_after_many_mb', 'peak_rss_mb', 'disk_mb', 'load_ms'] as const) {
      expect(Number.isFinite(size[key]), key).toBe(true);
      expect(size[key], key).toBeGreaterThanOrEqual(0);
    }
    expect(size.query_p50_ms).toBeLessThanOrEqual(size.query_p95_ms);
    expect(size.query_p95_ms).toBeLessThanOrEqual(size.query_p99_ms);

    // Re-index embeds the new chunks of the changed document, and only those; then exactly the added documents' chunks.
    expect(size.reindex_one_embedded).toBeGreaterThan(0);
    expect(size.reindex_one_embedded).toBe(size.reindex_one_expected);
    expect(size.reindex_one_embedded).toBeLessThanOrEqual(size.reindex_one_doc_chunks);
    expect(size.reindex_add_docs).toBeGreaterThanOrEqual(1);
    expect(size.reindex_add_embedded).toBe(size.reindex_add_expected);
    expect(size.reindex_add_embedded).toBeGreaterThan(0);

    expect(size.recall_at_10).toBe(1);
    expect(size.rss_many_questions).toBe(30);
    // Each synthetic question is written from one document's own sentence: most find it in the top 5.
    expect(size.hit_at_5).toBeGreaterThanOrEqual(0.5);
    expect(size.hit_at_5).toBeLessThanOrEqual(1);

    // The JSON contract of `--json`.
    const parsed = JSON.parse(JSON.stringify(report)) as typeof report;
    expect(Object.keys(parsed)).toEqual(expect.arrayContaining(['machine', 'sizes']));
    expect(latencySvg(report)).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(lines.some((line) => line.includes('full build'))).toBe(true);
  });
});

describe('bench recall', () => {
  it('is the share of the exact top k that the approximate search found', () => {
    expect(recallAt(4, [1, 2, 3, 4], new Set([1, 2, 9]))).toBe(0.5);
    expect(recallAt(2, [5, 6, 7], new Set([6, 7]))).toBe(0.5);
    expect(recallAt(10, [3, 8], new Set([8, 3, 1]))).toBe(1);
    expect(recallAt(10, [3, 8], new Set())).toBe(0);
  });
});
