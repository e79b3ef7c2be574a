// The one month and weekday table of the project: date reading, answer types, claim checking and date formatting
// all spell months from here.

export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
export const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec'] as const;
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const MONTH_NUMBER = new Map<string, number>();
MONTH_NAMES.forEach((name, i) => MONTH_NUMBER.set(name.toLowerCase(), i + 1));
for (const abbreviation of MONTH_ABBREVIATIONS) {
  const index = MONTH_NAMES.findIndex((name) => name.startsWith(abbreviation.slice(0, 3)));
  if (index >= 0) MONTH_NUMBER.set(abbreviation.toLowerCase(), index + 1);
}

/** 1–12 for a folded month name or abbreviation ("aug", "august"), else undefined. */
export function monthNumber(word: string): number | undefined {
  return MONTH_NUMBER.get(word.toLowerCase());
}

/** Whether a folded word is a month or weekday name. */
export function isCalendarWord(word: string): boolean {
  const lower = word.toLowerCase();
  return MONTH_NUMBER.has(lower) || WEEKDAY_NAMES.some((d) => d.toLowerCase() === lower);
}

/** "24 August 2025", "November 2025", "1965". */
export function formatLongDate(p: { y: number; m?: number | undefined; d?: number | undefined }): string {
  const month = p.m !== undefined ? MONTH_NAMES[p.m - 1] : undefined;
  if (month && p.d !== undefined) return `${p.d} ${month} ${p.y}`;
  if (month) return `${month} ${p.y}`;
  return String(p.y);
}
