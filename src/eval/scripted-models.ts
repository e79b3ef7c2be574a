// The model path measured with scripted "models" behind the fake OpenAI server (test/fakes/openai-server.ts), through
// the real provider, prompt, evidence selection and verification:
//   oracle       answers from the shown sentence that holds the expected answer (or NOT_FOUND): the pipeline's ceiling;
//   paraphraser  restates that sentence in other words (synonyms, reordering, a resolved date): must be kept;
//   fabricator   changes a name, place, number, date or cause in it: must be blocked.
import type { Config } from '../config.js';
import { createServices } from '../app/services.js';
import { createOpenAIChatModel } from '../providers/openai.js';
import { splitSentences } from '../core/text/sentences.js';
import { extractDates } from '../core/text/dates.js';
import { formatLongValue } from '../core/answer/typed-spans.js';
import { containsPhrase, rawCorpusReader, ratio, scoreItem, type QaItem, type Rate } from './qa.js';
import { createLogger } from '../logging.js';

export interface ScriptedModelReport {
  answerable: number;
  unanswerable: number;
  /** Share of answerable questions whose answer sentence (or resolvable date) is among the passages the model is shown. */
  answerSentenceShown: Rate;
  oracle: { kept: Rate; refused: Rate };
  paraphraser: { kept: Rate };
  fabricator: { blocked: Rate; attempted: number };
  /** Ids (or questions) of the answerable items whose oracle reply was not kept, and of the fabrications let through. */
  misses: { oracleNotKept: string[]; fabricationKept: string[] };
}

interface ShownPassage {
  n: number;
  text: string;
  date: string | null;
}

/** The sentence of the shown passages that holds the expected answer, and what the oracle says about it. */
export function findAnswerSentence(item: QaItem, passages: readonly ShownPassage[]): { n: number; sentence: string; resolved: string | null } | null {
  const expected = item.expect_any ?? [];
  for (const p of passages) {
    for (const s of splitSentences(p.text)) {
      if (expected.some((e) => containsPhrase(s.text, e))) return { n: p.n, sentence: s.text, resolved: null };
    }
  }
  // A date the page gives relatively ("last month"): the oracle states it worked out from the page's date.
  for (const p of passages) {
    for (const s of splitSentences(p.text)) {
      for (const mention of extractDates(s.text, p.date)) {
        if (!mention.value) continue;
        const values = [mention.value, { start: mention.value.start }, ...(mention.value.end ? [{ start: mention.value.end }] : [])];
        for (const value of values) {
          const formatted = formatLongValue(value);
          if (expected.some((e) => containsPhrase(formatted, e) || containsPhrase(isoOf(value.start), e))) return { n: p.n, sentence: s.text, resolved: formatted };
        }
      }
    }
  }
  return null;
}

function isoOf(p: { y: number; m?: number; d?: number }): string {
  const pad = (x: number) => String(x).padStart(2, '0');
  return `${p.y}${p.m ? `-${pad(p.m)}` : ''}${p.m && p.d ? `-${pad(p.d)}` : ''}`;
}

function strip(sentence: string): string {
  return sentence.replace(/\s+/g, ' ').replace(/[.!?]["”’]?$/, '').trim();
}

export function oracleReply(found: { n: number; sentence: string; resolved: string | null }): string {
  const base = `${strip(found.sentence)} [${found.n}].`;
  return found.resolved ? `That was in ${found.resolved} [${found.n}]. ${base}` : base;
}

// Everyday rewordings a model makes; applied to lower-case words only, never inside the expected answer.
const SYNONYMS: Record<string, string> = {
  agreed: 'decided', boost: 'strengthen', said: 'stated', told: 'informed', met: 'held talks', visit: 'trip',
  cooperation: 'collaboration', discussed: 'talked about', emphasized: 'stressed', emphasised: 'stressed',
  important: 'significant', significant: 'important', plans: 'intends', planning: 'preparing', announced: 'unveiled',
  announcing: 'unveiling', rejected: 'turned down', relations: 'ties', ties: 'relations', countries: 'nations',
  nations: 'countries', leaders: 'heads', launched: 'fired', fired: 'launched', reduce: 'cut', deepen: 'strengthen',
  seek: 'aim', pledged: 'vowed', fortify: 'strengthen', expected: 'anticipated', historic: 'landmark', recent: 'latest',
  huge: 'massive', threats: 'dangers', concerns: 'worries', growing: 'rising', also: 'additionally', first: 'initial',
};

export function paraphrase(found: { n: number; sentence: string; resolved: string | null }, expected: readonly string[]): string {
  let text = strip(found.sentence).replace(/^(?:But|And|However|Meanwhile),?\s+/, '');
  const protectedWords = new Set(expected.flatMap((e) => e.toLowerCase().split(/\s+/)));
  text = text.replace(/\b[a-z]+\b/g, (word) => (protectedWords.has(word) ? word : (SYNONYMS[word] ?? word)));
  // Reordering: a leading time or place phrase moves to the end.
  const lead = /^((?:On|In|During|After|Last|Earlier|Since|At)\b[^,]{1,40}),\s+(.+)$/.exec(text);
  if (lead?.[1] && lead[2]) text = `${lead[2].charAt(0).toUpperCase()}${lead[2].slice(1)} ${lead[1].charAt(0).toLowerCase()}${lead[1].slice(1)}`;
  const out = `${text} [${found.n}].`;
  return found.resolved ? `According to the page it happened in ${found.resolved} [${found.n}]. ${out}` : out;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** One changed fact, and the counterfeit text that must not reach the user. */
export function fabricate(found: { n: number; sentence: string; resolved: string | null }, expected: readonly string[]): { reply: string; marker: string } {
  const text = strip(found.sentence);
  const target = expected.find((e) => containsPhrase(text, e));
  const swap = (from: string, to: string) => ({ reply: `${text.replace(from, to)} [${found.n}].`, marker: to });
  if (found.resolved) {
    // A changed date: one year later than what the page works out.
    const year = /\d{4}/.exec(found.resolved)?.[0];
    const wrong = year ? found.resolved.replace(year, String(Number(year) + 1)) : `${found.resolved} 1999`;
    return { reply: `That was in ${wrong} [${found.n}]. ${text} [${found.n}].`, marker: wrong };
  }
  if (target && /\d/.test(target)) return swap(target, target.replace(/\d/, (d) => String((Number(d) + 3) % 10)));
  const month = MONTH_NAMES.find((m) => text.includes(m));
  if (target && month && target.includes(month)) return swap(month, MONTH_NAMES[(MONTH_NAMES.indexOf(month) + 5) % 12] ?? 'March');
  if (target && /^\p{Lu}/u.test(target)) return swap(target, 'Ottawa');
  const number = /\b\d[\d,.]*\b/.exec(text)?.[0];
  if (number) return swap(number, String(Number(number.replace(/[,]/g, '')) + 7));
  const name = /(?<=\s)\p{Lu}[\p{L}-]+/u.exec(text)?.[0];
  if (name) return swap(name, 'Ottawa');
  // No name or figure to change: a changed cause.
  return { reply: `${text} because of a dispute over fishing rights in the Arctic [${found.n}].`, marker: 'fishing rights' };
}

function shownPassages(user: string): ShownPassage[] {
  const out: ShownPassage[] = [];
  for (const m of user.matchAll(/<passage n="(\d+)"[^>]*date="([^"]*)"[^>]*>\n([\s\S]*?)\n<\/passage>/g)) {
    const date = m[2] && /^\d{4}-\d{2}-\d{2}$/.test(m[2]) ? m[2] : null;
    out.push({ n: Number(m[1]), text: (m[3] ?? '').replace(/&lt;/g, '<'), date });
  }
  return out;
}

type Mode = 'oracle' | 'paraphraser' | 'fabricator';

/**
 * Runs the three scripted models over `items` (answerable and unanswerable) through a second services instance
 * whose chat model talks to the fake server. Returns null rates when the fake server is not available (it lives
 * under test/, which a production image may leave out).
 */
export async function runScriptedModels(items: readonly QaItem[], config: Config): Promise<ScriptedModelReport> {
  const answerable = items.filter((i) => !i.expect_refusal);
  const unanswerable = items.filter((i) => i.expect_refusal);
  const empty: ScriptedModelReport = {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    answerSentenceShown: null,
    oracle: { kept: null, refused: null },
    paraphraser: { kept: null },
    fabricator: { blocked: null, attempted: 0 },
    misses: { oracleNotKept: [], fabricationKept: [] },
  };
  let fakeModule: typeof import('../../test/fakes/openai-server.js');
  try {
    fakeModule = await import('../../test/fakes/openai-server.js');
  } catch {
    return empty;
  }
  let current: { item: QaItem; mode: Mode; found?: ReturnType<typeof findAnswerSentence>; marker?: string } | null = null;
  const fake = await fakeModule.startFakeOpenAI({
    chat: {
      type: 'reply',
      text: ({ user }) => {
        if (!current) return 'NOT_FOUND';
        const found = current.item.expect_refusal ? null : findAnswerSentence(current.item, shownPassages(user));
        current.found = found;
        if (!found) return 'NOT_FOUND';
        const expected = current.item.expect_any ?? [];
        if (current.mode === 'oracle') return oracleReply(found);
        if (current.mode === 'paraphraser') return paraphrase(found, expected);
        const fabricated = fabricate(found, expected);
        current.marker = fabricated.marker;
        return fabricated.reply;
      },
    },
  });
  const openai = { ...config.openai, apiKey: 'scripted-model-key', baseUrl: fake.url, enabled: true, timeoutMs: 10_000 };
  const scripted = await createServices({
    config: { ...config, openai },
    logger: createLogger({ level: 'silent', secrets: [] }),
    chat: createOpenAIChatModel(openai, { maxRetries: 0 }),
  });
  const read = rawCorpusReader(config.corpusDir);
  const counts = { shown: 0, oracleKept: 0, oracleRefused: 0, paraphraseKept: 0, fabricated: 0, blocked: 0 };
  const misses: ScriptedModelReport['misses'] = { oracleNotKept: [], fabricationKept: [] };
  const idOf = (item: QaItem) => item.id ?? item.question;
  try {
    for (const mode of ['oracle', 'paraphraser', 'fabricator'] as const) {
      for (const item of mode === 'oracle' ? items : answerable) {
        current = { item, mode };
        const answer = await scripted.ask(item.question);
        const scored = scoreItem(item, answer, [], 0, read);
        if (mode === 'oracle') {
          if (item.expect_refusal) counts.oracleRefused += answer.refused ? 1 : 0;
          else {
            if (current.found) counts.shown += 1;
            if (scored.correct && answer.mode === 'llm') counts.oracleKept += 1;
            else misses.oracleNotKept.push(idOf(item));
          }
        } else if (mode === 'paraphraser') {
          if (scored.correct && answer.mode === 'llm') counts.paraphraseKept += 1;
        } else if (current.marker) {
          counts.fabricated += 1;
          if (!answer.answer.includes(current.marker)) counts.blocked += 1;
          else misses.fabricationKept.push(idOf(item));
        }
      }
    }
  } finally {
    current = null;
    await scripted.close();
    await fake.close();
  }
  return {
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    answerSentenceShown: ratio(counts.shown, answerable.length),
    oracle: { kept: ratio(counts.oracleKept, answerable.length), refused: ratio(counts.oracleRefused, unanswerable.length) },
    paraphraser: { kept: ratio(counts.paraphraseKept, answerable.length) },
    fabricator: { blocked: ratio(counts.blocked, counts.fabricated), attempted: counts.fabricated },
    misses,
  };
}
