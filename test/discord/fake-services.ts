// A small BotServices over a folder of .txt files: keyword retrieval, exact-offset citations, a busy flag.
// Stands in for src/commands/services.ts in adapter tests; answers have the same shape as the real ones.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { turnFromAnswer, type ConversationTurn } from '../../src/core/conversation/history.js';
import type { BotServices, ConversationAnswer, EntitySummary, HelpInfo, ReindexProgress, ReindexSummary, SourceInfo } from '../../src/commands/types.js';
import { CoreError } from '../../src/core/errors.js';
import type { Answer, Citation, Timeline, TimelineEvent, UndatedEvent } from '../../src/core/types.js';

interface Doc {
  source: string;
  title: string;
  date: string | null;
  text: string;
  hash: string;
  indexedAt: string;
  sentences: Array<{ text: string; start: number; end: number }>;
}

const STOP = new Set('a an and are as at be by did do does for from had has have how in is it its of on or that the their this to was were what when where which who why will with'.split(' '));
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export const FAKE_ENTITIES: Record<string, string[]> = {
  Japan: ['japan', 'japanese', 'tokyo', 'kishida'],
  'South Korea': ['south korea', 's. korea', 'south korean', 'seoul', 'korea', 'korean'],
  'North Korea': ['north korea', 'pyongyang'],
  China: ['china', 'chinese', 'beijing', 'xi jinping'],
  'United States': ['united states', 'washington', 'biden', 'u.s.'],
  Russia: ['russia', 'russian'],
};

function terms(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((t) => !STOP.has(t) && t.length > 1);
}

function sentencesOf(text: string): Doc['sentences'] {
  const out: Doc['sentences'] = [];
  for (const match of text.matchAll(/[^\n.!?]+[.!?]?/g)) {
    const raw = match[0];
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body.split(/\s+/).length < 5) continue;
    const start = match.index + lead;
    out.push({ text: body, start, end: start + body.length });
  }
  return out;
}

function findDate(text: string): string | null {
  const m = text.slice(0, 800).match(/\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (\d{1,2}),? (\d{4})\b/);
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!.toLowerCase()) + 1;
  return `${m[3]}-${String(month).padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
}

function mentions(text: string, entity: string): boolean {
  const lower = ` ${text.toLowerCase()} `;
  return (FAKE_ENTITIES[entity] ?? []).some((alias) => new RegExp(`[^a-z]${alias.replace(/[.]/g, '\\.')}[^a-z]`).test(lower));
}

export class FakeBotServices implements BotServices {
  private docs = new Map<string, Doc>();
  private busy = false;
  readonly calls = { ask: 0, timeline: 0, reindex: 0 };

  constructor(private readonly corpusDir: string) {}

  static async create(corpusDir: string): Promise<FakeBotServices> {
    const services = new FakeBotServices(corpusDir);
    await services.reindex();
    services.calls.reindex = 0;
    return services;
  }

  /** No rewriting: the fake answers each question as asked. */
  async converse(question: string, history: readonly ConversationTurn[]): Promise<ConversationAnswer> {
    const answer = await this.ask(question);
    void history;
    return { answer, standalone: question, rewritten: false, turn: turnFromAnswer(question, question, answer) };
  }

  async ask(question: string): Promise<Answer> {
    this.calls.ask += 1;
    const wanted = new Set(terms(question));
    const scored = [...this.docs.values()].flatMap((doc) =>
      doc.sentences.map((s) => {
        const have = new Set(terms(s.text));
        const hits = [...wanted].filter((t) => have.has(t)).length;
        return { doc, s, hits, coverage: wanted.size ? hits / wanted.size : 0 };
      }),
    );
    scored.sort((a, b) => b.hits - a.hits || b.coverage - a.coverage);
    const top = scored.slice(0, 2).filter((x) => x.hits > 0);
    const citations: Citation[] = top.map(({ doc, s }, i) => ({
      n: i + 1,
      source: doc.source,
      title: doc.title,
      date: doc.date,
      url: null,
      quote: s.text,
      start: s.start,
      end: s.end,
    }));
    const supported = top.length > 0 && top[0]!.coverage >= 0.6;
    if (!supported) {
      return { question, answer: 'The indexed documents do not say enough to answer this.', refused: true, mode: 'extractive', citations };
    }
    return { question, answer: citations.map((c) => `${c.quote} [${c.n}]`).join(' '), refused: false, mode: 'extractive', citations };
  }

  async timeline(query: string | readonly string[], options: { any?: boolean } = {}): Promise<Timeline> {
    this.calls.timeline += 1;
    const entities = (typeof query === 'string' ? query : query.join(' ')).split(/[\s,]+/).filter(Boolean);
    const resolved = entities.map((word) => {
      const lower = word.toLowerCase();
      const name = Object.keys(FAKE_ENTITIES).find((n) => n.toLowerCase() === lower || FAKE_ENTITIES[n]!.includes(lower));
      if (!name) throw new CoreError('UNKNOWN_ENTITY', `Unknown entity "${word}"; known: ${Object.keys(FAKE_ENTITIES).join(', ')}`);
      return name;
    });
    const events: TimelineEvent[] = [];
    const undated: UndatedEvent[] = [];
    let n = 0;
    for (const doc of this.docs.values()) {
      const hits = doc.sentences.filter((s) => (options.any ? resolved.some((e) => mentions(s.text, e)) : resolved.every((e) => mentions(s.text, e)))).slice(0, 2);
      for (const s of hits) {
        n += 1;
        const citations = [{ n, source: doc.source, title: doc.title, quote: s.text, start: s.start, end: s.end }];
        if (doc.date) events.push({ date: doc.date, status: 'happened', text: s.text, citations });
        else undated.push({ text: s.text, citations });
      }
    }
    events.sort((a, b) => a.date.localeCompare(b.date));
    const terms = resolved.map((name) => ({ name, label: name, aliases: FAKE_ENTITIES[name] ?? [], source: 'curated' as const }));
    return { entities: terms, events, undated };
  }

  async sources(query?: string): Promise<SourceInfo[]> {
    const q = query?.toLowerCase();
    return [...this.docs.values()]
      .filter((d) => !q || d.title.toLowerCase().includes(q) || d.source.toLowerCase().includes(q))
      .map((d) => ({ source: d.source, title: d.title, publishedAt: d.date, url: null, chunks: Math.ceil(d.sentences.length / 4), indexedAt: d.indexedAt }));
  }

  async reindex(onProgress?: (progress: ReindexProgress) => void): Promise<ReindexSummary> {
    if (this.busy) throw new CoreError('REINDEX_BUSY', 'A re-index is already running');
    this.busy = true;
    this.calls.reindex += 1;
    const started = performance.now();
    try {
      const files = (await readdir(this.corpusDir)).filter((f) => f.endsWith('.txt')).sort();
      const skipped = (await readdir(this.corpusDir)).filter((f) => !f.endsWith('.txt')).map((path) => ({ path, reason: 'unsupported format' }));
      const next = new Map<string, Doc>();
      let added = 0;
      let updated = 0;
      for (const [i, file] of files.entries()) {
        onProgress?.({ phase: 'scanning', done: i, total: files.length });
        const text = await readFile(join(this.corpusDir, file), 'utf8');
        const hash = createHash('sha256').update(text).digest('hex');
        const old = this.docs.get(file);
        if (old?.hash === hash) {
          next.set(file, old);
          continue;
        }
        if (old) updated += 1;
        else added += 1;
        const title = text.split('\n').map((l) => l.trim()).find((l) => l.split(/\s+/).length >= 4) ?? file;
        next.set(file, { source: file, title, date: findDate(text), text, hash, indexedAt: new Date().toISOString(), sentences: sentencesOf(text) });
      }
      const removed = [...this.docs.keys()].filter((k) => !next.has(k)).length;
      const unchanged = files.length - added - updated;
      this.docs = next;
      const chunks = [...next.values()].reduce((sum, d) => sum + Math.ceil(d.sentences.length / 4), 0);
      onProgress?.({ phase: 'done', done: files.length, total: files.length });
      return { added, updated, removed, unchanged, chunks, embedded: added + updated, skipped, embedder: 'fake', ms: Math.round(performance.now() - started) };
    } finally {
      this.busy = false;
    }
  }

  async help(): Promise<HelpInfo> {
    const dates = [...this.docs.values()].map((d) => d.date).filter((d): d is string => d !== null).sort();
    return {
      documents: this.docs.size,
      chunks: [...this.docs.values()].reduce((sum, d) => sum + Math.ceil(d.sentences.length / 4), 0),
      dateRange: dates.length ? { from: dates[0]!, to: dates[dates.length - 1]! } : null,
      topEntities: Object.keys(FAKE_ENTITIES),
      embedder: 'fake',
      answerMode: 'extractive',
    };
  }

  async entities(): Promise<EntitySummary[]> {
    return Object.keys(FAKE_ENTITIES).map((name, i) => ({ name, label: name, source: 'curated', kind: 'curated', mentions: 100 - i }));
  }

  async close(): Promise<void> {}
}
