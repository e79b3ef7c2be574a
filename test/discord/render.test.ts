import { describe, expect, it } from 'vitest';
import type { Answer, Citation, Timeline, TimelineTerm } from '../../src/core/types.js';
import { renderAnswer, renderQuotes } from '../../src/discord/render/answer.js';
import { renderReindexProgress, renderReindexSummary, renderSources } from '../../src/discord/render/info.js';
import { embedsLength, literal, packLines, splitText, truncate } from '../../src/discord/render/text.js';
import { paginateTimeline, renderTimeline } from '../../src/discord/render/timeline.js';
import { limitProblems } from './limits-check.js';

const term = (name: string): TimelineTerm => ({ name, label: name, aliases: [], source: 'curated' });

const withMentions = (message: object) => ({ ...message, allowed_mentions: { parse: [] } });

function citation(n: number, overrides: Partial<Citation> = {}): Citation {
  return { n, source: `doc${n}.txt`, title: `Title ${n}`, date: '2025-08-23', url: null, quote: `Quote number ${n}.`, start: 0, end: 16, ...overrides };
}

function answer(overrides: Partial<Answer> = {}): Answer {
  return { question: 'Where did they meet?', answer: 'They met in Tokyo. [1]', refused: false, mode: 'extractive', citations: [citation(1)], ...overrides };
}

describe('text helpers', () => {
  it('truncate keeps short text, cuts long text at a word with an ellipsis, never splits a surrogate pair', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('alpha beta gamma delta', 19)).toBe('alpha beta gamma…');
    expect(truncate('abcdefghijklmnop', 8)).toBe('abcdefg…');
    const emoji = `${'a'.repeat(9)}😀😀`;
    const cut = truncate(emoji, 11);
    expect(cut.length).toBeLessThanOrEqual(11);
    expect(cut.endsWith('…')).toBe(true);
    expect(() => encodeURIComponent(cut)).not.toThrow(); // throws on a lone surrogate
  });

  it('splitText breaks at paragraphs, then sentences, and keeps [n] markers with their sentence', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Sentence ${i} has several words in it. [${i + 1}]`).join(' ');
    const parts = splitText(text, 200);
    expect(parts.every((p) => p.length <= 200)).toBe(true);
    expect(parts.join(' ')).toBe(text);
    for (const part of parts.slice(1)) expect(part.startsWith('[')).toBe(false);
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('packLines fills blocks and reports what did not fit', () => {
    const { blocks, omitted } = packLines(['aaaa', 'bbbb', 'cccc', 'dddd'], 9, 2);
    expect(blocks).toEqual(['aaaa\nbbbb', 'cccc\ndddd']);
    expect(omitted).toBe(0);
    expect(packLines(['aaaa', 'bbbb', 'cccc'], 4, 2)).toEqual({ blocks: ['aaaa', 'bbbb'], omitted: 1 });
  });

  it('literal escapes markdown, mention syntax and masked links but leaves [n] markers', () => {
    expect(literal('*bold* _it_ `code` <@123> [x](https://evil) [1]')).toBe('\\*bold\\* \\_it\\_ \\`code\\` \\<@123> [x]\\(https://evil) [1]');
    expect(literal('# Heading\n> quote\n- item\n1. first')).toBe('\\# Heading\n\\> quote\n\\- item\n1\\. first');
  });
});

describe('renderAnswer', () => {
  it('shows the answer, numbered sources (title · date · file), mode and both buttons', () => {
    const message = renderAnswer(answer({ mode: 'llm', fallbackReason: undefined }), '42');
    const [embed] = message.embeds;
    expect(embed!.title).toBe('Where did they meet?');
    expect(embed!.description).toBe('They met in Tokyo. [1]');
    expect(embed!.fields![0]).toEqual({ name: 'Sources', value: '**[1]** Title 1 · 2025-08-23 · `doc1.txt`' });
    expect(embed!.footer!.text).toBe('Mode: LLM');
    expect(message.components[0]!.components.map((b) => ('custom_id' in b ? b.custom_id : ''))).toEqual(['ask:quotes:42', 'ask:wrong:42', 'ask:up:42', 'ask:down:42']);
  });

  it('puts the fallback reason in the footer and links titles that have a URL', () => {
    const message = renderAnswer(answer({ fallbackReason: 'LLM timed out', citations: [citation(1, { url: 'https://example.com/a(b)' })] }), '1');
    expect(message.embeds[0]!.footer!.text).toBe('Mode: offline (extractive) · fallback: LLM timed out');
    expect(message.embeds[0]!.fields![0]!.value).toContain('[Title 1](https://example.com/a(b%29)');
  });

  it('marks refusals and lists the closest sources without a report button', () => {
    const message = renderAnswer(answer({ refused: true, answer: 'Not in the documents.' }), '1');
    expect(message.embeds[0]!.description).toMatch(/No supported answer/);
    expect(message.embeds[0]!.fields![0]!.name).toMatch(/Closest sources/);
    expect(message.components[0]!.components).toHaveLength(1);
    expect(renderAnswer(answer({ refused: true, citations: [] }), '1').components).toEqual([]);
  });

  it('stays within every limit for huge answers, titles and citation lists', () => {
    // Sixty different documents (citations of one document share a line, see the grouping test).
    const citations = Array.from({ length: 60 }, (_, i) => citation(i + 1, { title: `T ${'x'.repeat(500)}`, source: `${'d/'.repeat(100)}f${i}.txt`, quote: 'q '.repeat(2000) }));
    const huge = answer({ question: 'Q '.repeat(3000), answer: `${'word '.repeat(5000)}[1]`, citations, fallbackReason: 'r'.repeat(5000) });
    const message = renderAnswer(huge, '1');
    expect(limitProblems(withMentions(message))).toEqual([]);
    expect(embedsLength(message.embeds)).toBeLessThanOrEqual(6000);
    expect(message.embeds.at(-1)!.fields!.at(-1)!.value).toMatch(/and \d+ more/);
    expect(limitProblems(withMentions(renderQuotes(huge)))).toEqual([]);
  });

  it('splits a long answer over two embeds rather than cutting it', () => {
    const text = Array.from({ length: 150 }, (_, i) => `Sentence number ${i} is here. [1]`).join(' ');
    const message = renderAnswer(answer({ answer: text }), '1');
    expect(message.embeds).toHaveLength(2);
    expect(message.embeds.map((e) => e.description).join(' ')).toBe(text);
    expect(message.embeds[1]!.footer).toBeDefined();
  });
});

describe('renderQuotes', () => {
  it('shows every quote under its number', () => {
    const message = renderQuotes(answer({ citations: [citation(1), citation(2, { quote: 'Line one\nline two' })] }));
    const text = message.embeds.map((e) => e.description).join('\n');
    expect(text).toContain('**[1]** Title 1');
    expect(text).toContain('> Quote number 1.');
    expect(text).toContain('> Line one\n> line two');
  });
});

describe('renderTimeline', () => {
  const event = (i: number, date: string) => ({
    date,
    status: 'happened' as const,
    text: `Event ${i}\nwith a line break`,
    citations: [{ n: i, source: `d${i}.txt`, title: `Doc ${i}`, quote: 'q', start: 0, end: 1 }],
  });
  const timeline: Timeline = {
    entities: [term('japan'), term('korea')],
    events: Array.from({ length: 32 }, (_, i) => event(i + 1, `2020-01-${String((i % 28) + 1).padStart(2, '0')}`)),
    undated: [{ text: 'Sometime', citations: [{ n: 99, source: 'u.txt', title: 'U', quote: 'q', start: 0, end: 1 }] }],
  };

  it('pages events (one line each) and ends with the Undated section', () => {
    const pages = paginateTimeline(timeline);
    expect(pages).toHaveLength(3);
    expect(pages[0]!.lines[0]).toBe('`2020-01-01` Event 1 with a line break [1]');
    expect(pages.at(-1)!.lines).toContain('**Undated**');
  });

  it('renders a page with a legend of only that page’s sources and ◀ ▶ buttons', () => {
    const page = renderTimeline(timeline, { page: 1, timelineId: '7' });
    expect(page.pageCount).toBe(3);
    expect(page.embeds[0]!.footer!.text).toBe('Page 2/3 · 32 dated · 1 undated');
    expect(page.embeds[0]!.fields![0]!.value).toContain('**[16]** Doc 16');
    expect(page.embeds[0]!.fields![0]!.value).not.toContain('**[1]** Doc 1 ');
    const [prev, next] = page.components[0]!.components;
    expect(prev).toMatchObject({ custom_id: 'timeline:page:7:0', disabled: false });
    expect(next).toMatchObject({ custom_id: 'timeline:page:7:2', disabled: false });
    expect(renderTimeline(timeline, { page: 99, timelineId: '7' }).page).toBe(2);
    expect(limitProblems(withMentions(page))).toEqual([]);
  });

  it('shows intervals and planned events, and a single page has no buttons', () => {
    const small: Timeline = { entities: [term('x')], events: [{ ...event(1, '2025-01/2025-03'), status: 'planned' }], undated: [] };
    const page = renderTimeline(small, { page: 0, timelineId: '1' });
    expect(page.embeds[0]!.description).toBe('`2025-01 → 2025-03` *(planned)* Event 1 with a line break [1]');
    expect(page.components).toEqual([]);
    expect(renderTimeline({ entities: [term('x')], events: [], undated: [] }, { page: 0, timelineId: '1' }).embeds[0]!.description).toMatch(/No events/);
  });
});

describe('info renderers', () => {
  it('lists sources within limits and counts the rest', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ source: `f${i}.txt`, title: `Title ${i} ${'y'.repeat(80)}`, publishedAt: null, url: null, chunks: 3, indexedAt: '2025-09-01T10:00:00Z' }));
    const message = renderSources(many, 'title');
    expect(limitProblems(withMentions(message))).toEqual([]);
    expect(message.embeds[0]!.description).toContain('undated · 3 chunks · indexed 2025-09-01 · `f0.txt`');
    expect(message.embeds.at(-1)!.footer!.text).toMatch(/and \d+ more/);
    expect(renderSources([], 'zzz').embeds[0]!.description).toMatch(/No indexed document matches/);
  });

  it('formats re-index progress and the summary line', () => {
    expect(renderReindexProgress({ phase: 'embedding', done: 5, total: 20 })).toBe('⏳ Re-indexing: embedding passages 5/20 (25%)…');
    const summary = renderReindexSummary({
      added: 1, updated: 2, removed: 3, unchanged: 4, chunks: 50, embedded: 9, embedder: 'e', ms: 1234,
      skipped: Array.from({ length: 100 }, (_, i) => ({ path: `bad${i}.pdf`, reason: 'unsupported format' })),
    });
    expect(summary.startsWith('✅ Re-index done: +1 added · 2 changed · 3 removed · skipped: `bad0.pdf` (unsupported format)')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(2000);
    expect(summary).toMatch(/4 unchanged · 50 passages · 9 embedded · 1\.2 s$/);
  });
});

describe('answer messages read back as conversation turns', () => {
  it('a follow-up answer gives back its question, standalone question, short answer and sources', async () => {
    const { turnFromAnswerMessage } = await import('../../src/discord/conversation.js');
    const followUp = answer({ question: 'Why did they meet in Tokyo?', answer: '**Tokyo** — They met in Tokyo to boost ties. [1]', short: 'Tokyo', citations: [citation(1, { date: null })] });
    const rendered = renderAnswer(followUp, '7', { question: 'and why?', standalone: 'Why did they meet in Tokyo?' });
    expect(rendered.embeds.at(-1)!.footer!.text).toBe('Read as: "Why did they meet in Tokyo?"\nMode: offline (extractive)');
    const turn = turnFromAnswerMessage({ embeds: rendered.embeds } as never);
    expect(turn).toEqual({
      question: 'and why?',
      standalone: 'Why did they meet in Tokyo?',
      answer: 'Tokyo — They met in Tokyo to boost ties.',
      short: 'Tokyo',
      refused: false,
      type: 'reason',
      sources: [{ source: 'doc1.txt', title: 'Title 1', date: null }],
    });
    const refused = turnFromAnswerMessage({ embeds: renderAnswer(answer({ refused: true, answer: 'Not found.' }), '8').embeds } as never);
    expect(refused).toMatchObject({ question: 'Where did they meet?', standalone: 'Where did they meet?', refused: true, answer: '', short: null });
  });
});
