// The parse that runs inside the parser worker (worker.mjs imports this module): a file's bytes, of any format, to
// its CleanDocument. Text, Markdown and HTML are parsed here as well as PDF and Word, so that no file's parse — a
// pathological page, an 8 MB text — ever runs on the bot's event loop, and each runs under the worker's deadline and
// heap limit.
import { ConsultedLines } from '../consulted.js';
import { isIngestError } from '../ingest-error.js';
import { parseInThread } from '../parse.js';
import type { BinaryExtractor, ExtractionOutcome, ParsedFile } from './types.js';

let lines: { id: number; set: ReadonlySet<string> } = { id: 0, set: new Set() };

/**
 * `lines` arrive with the first job that uses them (`linesId` names them afterwards): a corpus' boilerplate set is
 * cloned into the worker once per scan, not once per file.
 */
export async function parseJob(
  job: { source: string; bytes: Uint8Array; linesId: number; lines?: readonly string[] },
  binary: BinaryExtractor,
): Promise<ExtractionOutcome<ParsedFile>> {
  if (job.lines) lines = { id: job.linesId, set: new Set(job.lines) };
  else if (job.linesId !== lines.id) throw new Error(`internal: boilerplate lines ${job.linesId} were never sent`);
  const consulted = new ConsultedLines(lines.set);
  try {
    const doc = await parseInThread(job.source, job.bytes, { boilerplateLines: consulted, binary });
    return { ok: true, value: { doc, consulted: [...consulted.consulted] } };
  } catch (error) {
    if (isIngestError(error)) return { ok: false, reason: error.reason };
    throw error;
  }
}
