// Why one file cannot be indexed. `reason` is short and user-facing (it ends up in SkippedFile.reason).
export class IngestError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}: ${reason}`, options);
    this.name = 'IngestError';
  }
}

export function isIngestError(error: unknown): error is IngestError {
  return error instanceof IngestError;
}

/** Files above this size are skipped before reading: the corpus is news pages, not dumps. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export function tooLargeReason(size: number): string {
  const mb = size / (1024 * 1024);
  return `file too large (${mb >= 100 ? Math.round(mb) : mb.toFixed(1)} MB, limit 20 MB)`;
}
