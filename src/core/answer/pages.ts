// Which page of a paged document (PDF) an offset in its cleaned text falls on.
import type { CleanDocument } from '../types.js';

/** 1-based page holding `offset`, or null for documents without pages. */
export function pageAt(doc: Pick<CleanDocument, 'pageStarts'> | undefined, offset: number): number | null {
  const starts = doc?.pageStarts;
  if (!starts || starts.length === 0) return null;
  // The last page starting at or before the offset; empty pages share their start with the next one.
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
