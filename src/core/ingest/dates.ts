// Publication dates from metadata values and from datelines. Only explicit calendar dates count: a relative phrase
// ("5 hours ago") or a date without a year would silently take the crawl date or a guessed year.
import * as chrono from 'chrono-node';

// Fixed reference so parsing never depends on the clock; results that needed it are rejected below anyway.
const REFERENCE = new Date(Date.UTC(2000, 0, 1));
const YEAR = /\b(1[89]\d\d|20\d\d|2100)\b/;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function validYmd(y: number, m: number, d: number): string | null {
  if (y < 1800 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCMonth() !== m - 1) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

export interface FoundDate {
  iso: string;
  /** Offset and length of the date phrase inside the scanned text. */
  index: number;
  text: string;
}

/** Every explicit day-precision date in `text`, in order of appearance. */
export function findExplicitDates(text: string): FoundDate[] {
  const out: FoundDate[] = [];
  for (const result of chrono.strict.parse(text, REFERENCE)) {
    const start = result.start;
    if (!start.isCertain('year') || !start.isCertain('month') || !start.isCertain('day')) continue;
    // chrono marks relative phrases as "certain" once resolved against the reference; a written year rules them out.
    if (!YEAR.test(result.text)) continue;
    const iso = validYmd(start.get('year') ?? 0, start.get('month') ?? 0, start.get('day') ?? 0);
    if (iso) out.push({ iso, index: result.index, text: result.text });
  }
  return out;
}

/**
 * A metadata value (front matter, meta tag, JSON-LD) as `YYYY-MM-DD`. ISO strings keep the calendar date as written,
 * without converting time zones, because that is the date the publisher printed.
 */
export function normalizeDateValue(value: unknown): string | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return validYmd(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Unix timestamps (seconds or milliseconds); bare years are not dates.
    if (value < 100_000) return null;
    const ms = value < 1e11 ? value * 1000 : value;
    const d = new Date(ms);
    return validYmd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (s.length === 0 || s.length > 100) return null;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s])/.exec(s);
  if (iso) return validYmd(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const compact = /^(\d{4})(\d{2})(\d{2})(?:$|T)/.exec(s);
  if (compact) return validYmd(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  return findExplicitDates(s)[0]?.iso ?? null;
}
