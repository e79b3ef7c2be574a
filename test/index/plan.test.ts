import { describe, expect, it } from 'vitest';
import { CHUNKER_REVISION } from '../../src/core/chunk/chunker.js';
import { planIndex, type IndexedState } from '../../src/core/index/plan.js';
import type { CleanDocument } from '../../src/core/types.js';

const embedder = { id: 'test-embedder', dimension: 8 };

function doc(source: string, contentHash: string): CleanDocument {
  return { source, contentHash } as CleanDocument;
}

function state(chunkerRevision: number | undefined): IndexedState {
  return {
    embedder,
    documents: new Map([
      ['a.txt', { contentHash: 'h-a' }],
      ['b.txt', { contentHash: 'h-b' }],
    ]),
    skipped: [],
    ...(chunkerRevision === undefined ? {} : { chunkerRevision }),
  };
}

describe('the index plan', () => {
  const scan = { documents: [doc('a.txt', 'h-a'), doc('b.txt', 'h-b2'), doc('c.txt', 'h-c')], skipped: [] };

  it('keeps unchanged documents, updates changed ones, adds new ones and removes the missing', () => {
    const plan = planIndex(state(CHUNKER_REVISION), { ...scan, documents: scan.documents.slice(0, 2) }, embedder);
    expect(plan.documents.map((d) => d.action)).toEqual(['keep', 'update']);
    expect({ added: plan.added, updated: plan.updated, unchanged: plan.unchanged, fresh: plan.fresh }).toEqual({ added: 0, updated: 1, unchanged: 1, fresh: false });
    const same = planIndex(state(CHUNKER_REVISION), { documents: [doc('a.txt', 'h-a'), doc('b.txt', 'h-b')], skipped: [] }, embedder);
    expect(same.nothingChanged).toBe(true);
    const third = planIndex(state(CHUNKER_REVISION), { documents: [doc('a.txt', 'h-a')], skipped: [] }, embedder);
    expect(third.removed).toEqual(['b.txt']);
  });

  it('cuts every document again when its chunks come from another chunker revision, without a full rebuild', () => {
    for (const older of [undefined, CHUNKER_REVISION - 1]) {
      const plan = planIndex(state(older), { documents: [doc('a.txt', 'h-a'), doc('b.txt', 'h-b')], skipped: [] }, embedder);
      expect(plan.nothingChanged).toBe(false);
      expect(plan.fresh).toBe(false);
      expect(plan.rebuildReason).toBeUndefined();
      expect(plan.documents.map((d) => d.action)).toEqual(['update', 'update']);
    }
  });

  it('starts from nothing when the embedder changed', () => {
    const plan = planIndex(state(CHUNKER_REVISION), scan, { id: 'other', dimension: 8 });
    expect(plan.fresh).toBe(true);
    expect(plan.rebuildReason).toMatch(/embedder changed/);
    expect(plan.added).toBe(3);
  });
});
