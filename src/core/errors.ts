// Typed errors thrown by the core. Adapters map `code` to short user-facing wording; messages here are for logs.
export type CoreErrorCode =
  | 'INDEX_MISSING'
  | 'INDEX_CORRUPT'
  | 'INDEX_LOCKED'
  | 'EMBEDDER_MISMATCH'
  | 'WORD_VECTORS_MISSING'
  | 'UNKNOWN_ENTITY'
  | 'INVALID_INPUT'
  | 'REINDEX_BUSY'
  /** The parser worker cannot run at all (not one file's fault): a scan stops rather than skip every file. */
  | 'PARSER_UNAVAILABLE';

export class CoreError extends Error {
  constructor(
    readonly code: CoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CoreError';
  }
}

export function isCoreError(error: unknown, code?: CoreErrorCode): error is CoreError {
  return error instanceof CoreError && (code === undefined || error.code === code);
}
