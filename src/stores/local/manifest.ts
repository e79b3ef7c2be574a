// On-disk format of one index generation. Parsed with a schema at the boundary, so the rest of the code can
// trust the shapes; the format version lets a future release refuse (and rebuild) what it cannot read.
import { z } from 'zod';

/**
 * Written by this code. 2: sealed segments beside the tail docstore.json + vectors.f32. 3: the graph is a base
 * (hnsw.bin) plus an operation log (hnsw.log, graph-log.ts), and BM25 postings are per segment (`<id>.bm25`,
 * docstore.bm25) over one term table (bm25.terms) instead of one bm25.bin.
 */
export const INDEX_FORMAT_VERSION = 3;
/**
 * Read by this code: a format-1 generation is a format-2 one whose tail holds every document; formats 1 and 2 are
 * format 3 with an empty graph log, and may hold one bm25.bin.
 */
export const READABLE_FORMAT_VERSIONS: readonly number[] = [1, 2, 3];

export const FILE_NAMES = {
  docstore: 'docstore.json',
  vectors: 'vectors.f32',
  tailScan: 'docstore.scan.json',
  tailBm25: 'docstore.bm25',
  hnsw: 'hnsw.bin',
  hnswLog: 'hnsw.log',
  bm25: 'bm25.bin',
  bm25Terms: 'bm25.terms',
  scan: 'scan.json',
} as const;

const fileEntry = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() });
export type FileEntry = z.infer<typeof fileEntry>;

/** A sealed segment's files: named after the first 16 hex digits of its docstore's SHA-256. */
export const SEGMENT_NAME = /^seg-[0-9a-f]{16}$/;
export const segmentFileNames = (id: string) => ({ docstore: `${id}.json`, vectors: `${id}.f32`, scan: `${id}.scan.json`, bm25: `${id}.bm25` });

export const manifestSchema = z.object({
  formatVersion: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  generation: z.string().regex(/^gen-\d{6,}$/),
  createdAt: z.string(),
  embedder: z.object({ id: z.string().min(1), dimension: z.number().int().positive() }),
  hnsw: z.object({
    space: z.literal('cosine'),
    m: z.number().int().positive(),
    efConstruction: z.number().int().positive(),
    /** Elements stored in the graph, deleted ones included. */
    elements: z.number().int().nonnegative(),
    deleted: z.number().int().nonnegative(),
    nextLabel: z.number().int().nonnegative(),
  }),
  counts: z.object({ documents: z.number().int().nonnegative(), chunks: z.number().int().nonnegative() }),
  documents: z.array(
    z.object({
      source: z.string(),
      fileHash: z.string(),
      contentHash: z.string(),
      chunks: z.number().int().nonnegative(),
      indexedAt: z.string(),
    }),
  ),
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
  /** The loader's cross-document boilerplate lines: lets the next run reuse unchanged documents without parsing. */
  boilerplateLines: z.array(z.string()).optional(),
  parserRevision: z.number().int().optional(),
  /** CHUNKER_REVISION of the code that cut the chunks (absent in older generations: revision 1). */
  chunkerRevision: z.number().int().optional(),
  /**
   * Sealed segments in row order (format 2); each names `<id>.json` (same shape as docstore.json), `<id>.f32`
   * (their chunks' vector rows) and, when the scan was recorded, `<id>.scan.json` (same shape as scan.json), all
   * listed in `files`; format 3 adds `<id>.bm25` (its BM25 postings, core/retrieve/bm25.ts `Bm25Part`). The tail,
   * docstore.json + vectors.f32 (+ docstore.scan.json, + docstore.bm25), comes after them.
   */
  segments: z.array(z.object({ id: z.string().regex(SEGMENT_NAME), documents: z.number().int().nonnegative(), chunks: z.number().int().nonnegative() })).optional(),
  files: z.object({
    /** The tail segment: documents not (yet) in a sealed segment; in format 1, all of them. */
    [FILE_NAMES.docstore]: fileEntry,
    [FILE_NAMES.vectors]: fileEntry,
    /** The graph's base: hnswlib's saveIndex format. */
    [FILE_NAMES.hnsw]: fileEntry,
    /** Format 3: the operations applied to the base since it was written (graph-log.ts); `hnsw.elements` counts them in. */
    [FILE_NAMES.hnswLog]: fileEntry.optional(),
    /** Formats 1–2: all BM25 postings (core/retrieve/bm25.ts `toBytes`); generations written before it existed lack it and rebuild it at load. */
    [FILE_NAMES.bm25]: fileEntry.optional(),
    /** Format 3: the BM25 term table the segments' postings share (one term per line, ids in order, append-only). */
    [FILE_NAMES.bm25Terms]: fileEntry.optional(),
    /** Format 1: the scan's file records (core/ingest/load.ts `ScannedFile`), so the next re-index skips unchanged files; format 2 keeps them in the segments. */
    [FILE_NAMES.scan]: fileEntry.optional(),
  }).catchall(fileEntry),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** The pointer file: which generation is current, and the checksum of its manifest. */
export const pointerSchema = z.object({ generation: z.string().regex(/^gen-\d{6,}$/), manifestSha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type Pointer = z.infer<typeof pointerSchema>;

export const storedDocumentSchema = z.object({
  source: z.string(),
  title: z.string(),
  publishedAt: z.string().nullable(),
  dateProvenance: z.enum(['front-matter', 'meta-tag', 'document-properties', 'dateline', 'byline']).nullable(),
  dateConfidence: z.number(),
  url: z.string().nullable(),
  format: z.enum(['txt', 'md', 'html', 'pdf', 'docx']),
  text: z.string(),
  fileHash: z.string(),
  contentHash: z.string(),
  pageStarts: z.array(z.number().int().nonnegative()).optional(),
  indexedAt: z.string(),
});

/** One file's record of the scan (core/ingest/load.ts `ScannedFile`). */
const scanRecordSchema = z.object({
  source: z.string(),
  size: z.number().int(),
  mtimeMs: z.number(),
  ino: z.number(),
  fileHash: z.string(),
  lineKeys: z.array(z.string()).nullable(),
  consulted: z.array(z.string()).nullable(),
  textHash: z.string().optional(),
});
export type ScanRecord = z.infer<typeof scanRecordSchema>;
export const SCAN_RECORD_FIELDS = Object.keys(scanRecordSchema.shape) as Array<keyof ScanRecord>;

/** A docstore segment (sealed `seg-<id>.json` or the tail `docstore.json`). */
export const docstoreSchema = z.object({
  documents: z.array(storedDocumentSchema),
  chunks: z.array(
    z.object({ id: z.string(), source: z.string(), start: z.number().int(), end: z.number().int(), label: z.number().int().nonnegative() }),
  ),
});

export type DocstoreFile = z.infer<typeof docstoreSchema>;

export const scanFileSchema = z.object({ files: z.array(scanRecordSchema) });
