// Which documents go into which segment of a generation's docstore and vector rows. A segment is a pair of files
// (docstore JSON + vector rows) holding whole documents; a sealed segment is immutable and named after its content,
// so the next generation hard-links it when none of its documents changed. New documents go to the tail
// (docstore.json + vectors.f32), rewritten every time and sealed once it has grown to the segment size. Pure.

/** Default bound of a segment: text + chunk records + vector rows, about this many bytes. */
export const SEGMENT_BYTES = 4 << 20;

export interface SegmentLayout {
  /** Documents of the segment, in row order. */
  sources: string[];
  /** False only for the tail, which is always the last segment. */
  sealed: boolean;
}

export interface SegmentPlanInput {
  /** The previous generation's segments in row order (the tail last), or null when building from nothing. */
  previous: ReadonlyArray<{ sources: readonly string[]; sealed: boolean }> | null;
  /** The new generation's documents in scan order, each with its approximate size in bytes. */
  documents: ReadonlyArray<{ source: string; bytes: number }>;
  /** True when the document, its chunks and their vectors are exactly as the previous generation stored them. */
  unchanged: (source: string) => boolean;
  segmentBytes?: number;
}

/**
 * The new generation's segments, in row order, the tail last. A previous sealed segment whose documents are all
 * present and unchanged is kept as it is (to be linked). One with a changed or removed document is rewritten with
 * its remaining documents in place (the changed ones in their new version), unless it has shrunk below half the
 * bound: then its documents join the tail, which is how deletions are compacted. The tail's documents, new
 * documents and those joined ones are packed, in scan order, into sealed segments of the bound and a smaller tail.
 */
export function planSegments(input: SegmentPlanInput): SegmentLayout[] {
  const bound = Math.max(1, input.segmentBytes ?? SEGMENT_BYTES);
  const size = new Map(input.documents.map((doc) => [doc.source, doc.bytes]));
  const placed = new Set<string>();
  const out: SegmentLayout[] = [];
  for (const segment of input.previous ?? []) {
    if (!segment.sealed) continue;
    const survivors = segment.sources.filter((source) => size.has(source) && !placed.has(source));
    if (survivors.length === 0) continue;
    survivors.forEach((source) => placed.add(source));
    if (survivors.length === segment.sources.length && survivors.every(input.unchanged)) {
      out.push({ sources: survivors, sealed: true });
      continue;
    }
    const { full, rest } = pack(survivors, size, bound);
    for (const sources of full) out.push({ sources, sealed: true });
    if (rest.bytes * 2 >= bound) out.push({ sources: rest.sources, sealed: true });
    else rest.sources.forEach((source) => placed.delete(source));
  }
  const loose = input.documents.map((doc) => doc.source).filter((source) => !placed.has(source));
  const { full, rest } = pack(loose, size, bound);
  for (const sources of full) out.push({ sources, sealed: true });
  out.push({ sources: rest.sources, sealed: false });
  return out;
}

/** Greedy: consecutive documents until a group reaches the bound; what is left over is `rest`. */
function pack(sources: readonly string[], size: ReadonlyMap<string, number>, bound: number): { full: string[][]; rest: { sources: string[]; bytes: number } } {
  const full: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const source of sources) {
    current.push(source);
    bytes += size.get(source) ?? 0;
    if (bytes >= bound) {
      full.push(current);
      current = [];
      bytes = 0;
    }
  }
  return { full, rest: { sources: current, bytes } };
}
