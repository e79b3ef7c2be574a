// The feedback loop's summary: which questions the documents could not answer (grouped by the words they share,
// most asked first: the documents to add next), which answers people voted down or reported, and how many answers
// and refusals each mode gave. Pure: records in, report out.
import { contentTerms, words } from '../text/tokens.js';

export type FeedbackKind = 'answer' | 'refusal' | 'vote-up' | 'vote-down' | 'wrong-citation';

/** One line of FEEDBACK_FILE. No message content beyond the question, and user ids hashed. */
export interface FeedbackRecord {
  kind: FeedbackKind;
  /** ISO timestamp. */
  at: string;
  /** Hashed user id, or null (answer counts carry no user). */
  user: string | null;
  question: string;
  standalone: string;
  mode: string;
  refused: boolean;
  /** Cited source files. */
  sources: string[];
}

export interface UnansweredGroup {
  /** The words most of the group's questions share. */
  terms: string[];
  count: number;
  /** Distinct questions (standalone), most recent first, at most 5. */
  questions: string[];
}

export interface CriticisedAnswer {
  question: string;
  downVotes: number;
  upVotes: number;
  wrongCitations: number;
  sources: string[];
}

export interface FeedbackReport {
  since: string | null;
  records: number;
  unanswered: UnansweredGroup[];
  criticised: CriticisedAnswer[];
  byMode: Record<string, { answers: number; refusals: number; up: number; down: number }>;
}

/** Parses "7d", "12h", "30m", "2w" into milliseconds; null for anything else. */
export function parseSince(text: string): number | null {
  const m = /^(\d+)\s*([mhdw])$/.exec(text.trim());
  if (!m) return null;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}

export function summariseFeedback(all: readonly FeedbackRecord[], options: { sinceMs?: number; now?: Date } = {}): FeedbackReport {
  const now = options.now ?? new Date();
  const from = options.sinceMs === undefined ? null : new Date(now.getTime() - options.sinceMs);
  const records = from ? all.filter((r) => Date.parse(r.at) >= from.getTime()) : [...all];

  const byMode: FeedbackReport['byMode'] = {};
  for (const r of records) {
    const entry = (byMode[r.mode || 'unknown'] ??= { answers: 0, refusals: 0, up: 0, down: 0 });
    if (r.kind === 'answer') entry.answers += 1;
    else if (r.kind === 'refusal') entry.refusals += 1;
    else if (r.kind === 'vote-up') entry.up += 1;
    else if (r.kind === 'vote-down') entry.down += 1;
  }

  const criticisedByQuestion = new Map<string, CriticisedAnswer>();
  for (const r of records) {
    if (r.kind !== 'vote-up' && r.kind !== 'vote-down' && r.kind !== 'wrong-citation') continue;
    const key = (r.standalone || r.question).toLowerCase();
    const entry = criticisedByQuestion.get(key) ?? { question: r.standalone || r.question, downVotes: 0, upVotes: 0, wrongCitations: 0, sources: [] };
    if (r.kind === 'vote-down') entry.downVotes += 1;
    else if (r.kind === 'vote-up') entry.upVotes += 1;
    else entry.wrongCitations += 1;
    for (const s of r.sources) if (!entry.sources.includes(s)) entry.sources.push(s);
    criticisedByQuestion.set(key, entry);
  }
  const criticised = [...criticisedByQuestion.values()]
    .filter((c) => c.downVotes > c.upVotes || c.wrongCitations > 0)
    .sort((a, b) => b.downVotes + b.wrongCitations - (a.downVotes + a.wrongCitations) || a.question.localeCompare(b.question));

  return { since: from ? from.toISOString() : null, records: records.length, unanswered: groupUnanswered(records.filter((r) => r.kind === 'refusal')), criticised, byMode };
}

/**
 * Refused questions that share words form a group (single linkage: two questions join when they share two content
 * terms, or one when either has at most two): "ferry fares busan" and "busan ferry timetable" are one missing topic.
 */
function groupUnanswered(refusals: readonly FeedbackRecord[]): UnansweredGroup[] {
  const items = refusals.map((r) => ({ text: r.standalone || r.question, at: r.at, terms: new Set(contentTerms(r.standalone || r.question)) }));
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i]!.terms;
      const b = items[j]!.terms;
      let shared = 0;
      for (const t of a) if (b.has(t)) shared += 1;
      const needed = Math.min(a.size, b.size) <= 2 ? 1 : 2;
      if (shared >= needed) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, typeof items>();
  items.forEach((item, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), item]);
  });
  const out: UnansweredGroup[] = [];
  for (const members of groups.values()) {
    const counts = new Map<string, { n: number; word: string }>();
    for (const m of members) {
      const seen = new Set<string>();
      for (const word of words(m.text)) {
        const [term] = contentTerms(word);
        if (!term || seen.has(term)) continue;
        seen.add(term);
        const entry = counts.get(term) ?? { n: 0, word };
        entry.n += 1;
        counts.set(term, entry);
      }
    }
    const ranked = [...counts.values()].sort((a, b) => b.n - a.n || a.word.localeCompare(b.word));
    const top = ranked[0]?.n ?? 0;
    const terms = ranked.filter((t) => t.n >= Math.max(1, Math.ceil(top / 2))).slice(0, 4).map((t) => t.word);
    const questions = [...new Set([...members].sort((a, b) => b.at.localeCompare(a.at)).map((m) => m.text))].slice(0, 5);
    out.push({ terms, count: members.length, questions });
  }
  return out.sort((a, b) => b.count - a.count || a.terms.join(' ').localeCompare(b.terms.join(' ')));
}

/** The report as plain text (terminal and /report). */
export function formatFeedbackReport(report: FeedbackReport, options: { maxGroups?: number } = {}): string {
  const lines: string[] = [];
  lines.push(`Feedback ${report.since ? `since ${report.since.slice(0, 16).replace('T', ' ')} UTC` : '(all time)'}: ${report.records} records`);
  lines.push('', 'Questions the documents could not answer (add documents about these):');
  if (report.unanswered.length === 0) lines.push('  none');
  for (const group of report.unanswered.slice(0, options.maxGroups ?? 10)) {
    lines.push(`  ${group.count}× ${group.terms.join(', ')}`);
    for (const q of group.questions.slice(0, 3)) lines.push(`      - ${q}`);
  }
  lines.push('', 'Answers voted down or reported:');
  if (report.criticised.length === 0) lines.push('  none');
  for (const c of report.criticised.slice(0, options.maxGroups ?? 10)) {
    lines.push(`  👎 ${c.downVotes} 👍 ${c.upVotes} 🚩 ${c.wrongCitations}  ${c.question}${c.sources.length ? `  [${c.sources.slice(0, 3).join(', ')}]` : ''}`);
  }
  lines.push('', 'By mode:');
  const modes = Object.entries(report.byMode).sort((a, b) => a[0].localeCompare(b[0]));
  if (modes.length === 0) lines.push('  none');
  for (const [mode, m] of modes) lines.push(`  ${mode}: ${m.answers} answers, ${m.refusals} refusals, 👍 ${m.up}, 👎 ${m.down}`);
  return lines.join('\n');
}

/** Reads JSON lines, skipping lines that are not feedback records (older formats, a torn last line). */
export function parseFeedbackLines(text: string): FeedbackRecord[] {
  const out: FeedbackRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as Partial<FeedbackRecord> & { timestamp?: string };
      if (typeof value.kind !== 'string') continue;
      out.push({
        kind: value.kind as FeedbackKind,
        at: value.at ?? value.timestamp ?? '',
        user: typeof value.user === 'string' ? value.user : null,
        question: value.question ?? '',
        standalone: value.standalone ?? value.question ?? '',
        mode: value.mode ?? 'unknown',
        refused: value.refused ?? false,
        sources: Array.isArray(value.sources) ? value.sources.filter((s): s is string => typeof s === 'string') : [],
      });
    } catch {
      // A line cut by a crash mid-write: skip it, keep the rest.
    }
  }
  return out;
}
