// On-disk format of one index generation. Parsed with a schema at the boundary, so the rest of the code can
// trust the shapes; the format version lets a future release refuse (and rebuild) what it cannot read.
import { z } from 'zod';

export const INDEX_FORMAT_VERSION = 1;

export const FILE_NAMES = { docstore: 'docstore.json', vectors: 'vectors.f32', hnsw: 'hnsw.bin', bm25: 'bm25.bin', scan: 'scan.json' } as const;

const fileEntry = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() });

export const manifestSchema = z.object({
  formatVersion: z.literal(INDEX_FORMAT_VERSION),
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
  files: z.object({
    [FILE_NAMES.docstore]: fileEntry,
    [FILE_NAMES.vectors]: fileEntry,
    [FILE_NAMES.hnsw]: fileEntry,
    /** BM25 postings (core/retrieve/bm25.ts `toBytes`); generations written before it existed lack it and rebuild it at load. */
    [FILE_NAMES.bm25]: fileEntry.optional(),
    /** The scan's file records (core/ingest/load.ts `ScannedFile`), so the next re-index skips unchanged files. */
    [FILE_NAMES.scan]: fileEntry.optional(),
  }),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** The pointer file: which generation is current, and the checksum of its manifest. */
export const pointerSchema = z.object({ generation: z.string().regex(/^gen-\d{6,}$/), manifestSha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type Pointer = z.infer<typeof pointerSchema>;

const storedDocumentSchema = z.object({
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

export const docstoreSchema = z.object({
  documents: z.array(storedDocumentSchema),
  chunks: z.array(
    z.object({ id: z.string(), source: z.string(), start: z.number().int(), end: z.number().int(), label: z.number().int().nonnegative() }),
  ),
});

export type DocstoreFile = z.infer<typeof docstoreSchema>;

export const scanFileSchema = z.object({
  files: z.array(
    z.object({
      source: z.string(),
      size: z.number().int(),
      mtimeMs: z.number(),
      ino: z.number(),
      fileHash: z.string(),
      lineKeys: z.array(z.string()).nullable(),
      consulted: z.array(z.string()).nullable(),
    }),
  ),
});
