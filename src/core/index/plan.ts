// The index plan every store follows. From what a store already holds and what the scan found: which documents
// to add, update, keep and remove, whether everything must be embedded anew (and why), whether there is
// nothing to do at all, and which chunks can keep their stored vector. Pure: the stores read their previous
// state, embed what the plan says and write the result.
import { CHUNKER_REVISION } from '../chunk/chunker.js';
import type { Chunk, CleanDocument, ReindexSummary, SkippedFile } from '../types.js';

/** What a store holds now, as far as planning needs it. */
export interface IndexedState {
  embedder: { id: string; dimension: number };
  /** Every indexed document's content hash, by source. */
  documents: ReadonlyMap<string, { contentHash: string }>;
  skipped: readonly SkippedFile[];
  /** CHUNKER_REVISION of the code that cut the stored chunks; absent = 1, before revisions were recorded. */
  chunkerRevision?: number;
}

export interface Scan {
  documents: readonly CleanDocument[];
  skipped: readonly SkippedFile[];
}

export type DocumentAction = 'add' | 'update' | 'keep';

export interface IndexPlan {
  /** Why nothing previously indexed is re-used, when that is the case. */
  rebuildReason?: string;
  /** Every chunk is embedded anew: no usable previous state, a requested rebuild or another embedder. */
  fresh: boolean;
  /** The scan's documents, in scan order, each with what happens to it. */
  documents: Array<{ doc: CleanDocument; action: DocumentAction }>;
  /** Sources indexed before and gone from the scan. */
  removed: string[];
  added: number;
  updated: number;
  unchanged: number;
  /** The store already holds exactly this scan: nothing to embed or write. */
  nothingChanged: boolean;
}

export interface PlanOptions {
  rebuild?: boolean;
  /** Why the previous state could not be read (the store then passes `previous = null`). */
  unusable?: string;
}

/** Whether vectors made by one embedder can be compared with another's. */
export function sameEmbedder(a: { id: string; dimension: number }, b: { id: string; dimension: number }): boolean {
  return a.id === b.id && a.dimension === b.dimension;
}

/** `previous` is null for an empty store, or one whose state could not be read. */
export function planIndex(previous: IndexedState | null, scan: Scan, embedder: { id: string; dimension: number }, options: PlanOptions = {}): IndexPlan {
  let rebuildReason: string | undefined;
  if (previous && !sameEmbedder(previous.embedder, embedder)) {
    rebuildReason = `embedder changed from ${previous.embedder.id} (${previous.embedder.dimension}d) to ${embedder.id} (${embedder.dimension}d)`;
  } else if (options.rebuild) {
    rebuildReason = 'rebuild requested';
  } else if (options.unusable !== undefined) {
    rebuildReason = `previous index unusable (${options.unusable})`;
  }
  // A rebuild starts from nothing: every document counts as added.
  const base = rebuildReason === undefined ? previous : null;
  // Chunks cut by another chunker revision are cut again: each document counts as updated, and the stores re-use
  // the vector of every chunk whose text did not change.
  const rechunk = base !== null && (base.chunkerRevision ?? 1) !== CHUNKER_REVISION;

  const documents: IndexPlan['documents'] = [];
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  for (const doc of scan.documents) {
    const before = base?.documents.get(doc.source);
    if (before && before.contentHash === doc.contentHash && !rechunk) {
      unchanged += 1;
      documents.push({ doc, action: 'keep' });
    } else if (before) {
      updated += 1;
      documents.push({ doc, action: 'update' });
    } else {
      added += 1;
      documents.push({ doc, action: 'add' });
    }
  }
  const current = new Set(scan.documents.map((doc) => doc.source));
  const removed = base ? [...base.documents.keys()].filter((source) => !current.has(source)) : [];
  const nothingChanged = base !== null && !rechunk && added === 0 && updated === 0 && removed.length === 0 && sameSkipped(base.skipped, scan.skipped);
  return { ...(rebuildReason ? { rebuildReason } : {}), fresh: base === null, documents, removed, added, updated, unchanged, nothingChanged };
}

/**
 * Splits a changed document's chunks into those the store already holds with the same id and text (their
 * stored vector is re-used) and those to embed. `stored` looks a chunk id up in what the store holds.
 */
export function partitionChunks<C extends Chunk, S extends { text: string }>(
  chunks: readonly C[],
  stored: (id: string) => S | undefined,
): { kept: Array<{ chunk: C; stored: S }>; fresh: C[] } {
  const kept: Array<{ chunk: C; stored: S }> = [];
  const fresh: C[] = [];
  for (const chunk of chunks) {
    const old = stored(chunk.id);
    if (old && old.text === chunk.text) kept.push({ chunk, stored: old });
    else fresh.push(chunk);
  }
  return { kept, fresh };
}

/** The run's summary, in the key order `npm run index -- --json` prints. */
export function summarize(plan: IndexPlan, outcome: { chunks: number; embedded: number; skipped: SkippedFile[]; embedder: string; ms: number }): ReindexSummary {
  return {
    added: plan.added,
    updated: plan.updated,
    removed: plan.removed.length,
    unchanged: plan.unchanged,
    chunks: outcome.chunks,
    embedded: outcome.embedded,
    skipped: outcome.skipped,
    embedder: outcome.embedder,
    ms: Math.round(outcome.ms),
    ...(plan.rebuildReason ? { rebuildReason: plan.rebuildReason } : {}),
  };
}

/** Whether two scans skipped the same files for the same reasons (then a re-index that changed nothing can stop). */
export function sameSkipped(a: readonly SkippedFile[], b: readonly SkippedFile[]): boolean {
  return a.length === b.length && a.every((item, i) => item.path === b[i]?.path && item.reason === b[i]?.reason);
}
