// Public surface of the ingest layer: load a corpus directory, or parse one file's bytes.
export { loadCorpus } from './load.js';
export type { LoadCorpusOptions, LoadCorpusResult } from './load.js';
export { parseDocument } from './parse.js';
export type { ParseContext } from './parse.js';
export { IngestError, isIngestError } from './ingest-error.js';
