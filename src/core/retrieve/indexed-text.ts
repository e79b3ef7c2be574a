// What a chunk is keyword-indexed under, in every store.
import type { StoredDocument } from '../types.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The text a chunk is keyword-indexed under: its own, plus its document's title and publication month, so
 * "in August 2025" or a headline word finds passages whose own sentences never repeat it. */
export function indexedTextOf(chunkText: string, doc: Pick<StoredDocument, 'title' | 'publishedAt'> | null): string {
  return `${chunkText}\n${doc?.title ?? ''} ${dateWords(doc?.publishedAt ?? null)}`;
}

/** "August 2025" for 2025-08-23: how questions refer to a publication date. */
export function dateWords(isoDate: string | null): string {
  if (!isoDate) return '';
  const [year, month] = isoDate.split('-');
  const monthName = MONTHS[Number(month) - 1] ?? '';
  return `${monthName} ${year ?? ''}`;
}
