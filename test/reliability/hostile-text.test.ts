// Hostile text in the corpus: instructions stay quoted data inside the prompt's delimiters, nothing of it is obeyed,
// and the Discord renderers show links with their domain (never as masked links), within every limit.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/app/services.js';
import type { Services } from '../../src/commands/services.js';
import { runLocalIndex } from '../../src/stores/local/indexer.js';
import type { Answer } from '../../src/core/types.js';
import { renderAnswer, renderQuotes } from '../../src/discord/render/answer.js';
import { renderSources } from '../../src/discord/render/info.js';
import { NO_MENTIONS } from '../../src/discord/render/limits.js';
import type { RenderedMessage } from '../../src/discord/render/message.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.js';
import { limitProblems } from '../discord/limits-check.js';
import { captureLogger, removeDir, seedCorpusCopy, tempDir, testConfig, servingBase } from '../helpers.js';
import { HOSTILE_MD, HOSTILE_QUESTION, HOSTILE_TXT, INJECTION, maskedLinks } from './hostile.js';
import { citationProblems, HashEmbedder } from './support.js';

const embedder = new HashEmbedder();
let corpus: string;
let indexDir: string;
let fake: FakeOpenAI;
let services: Services;
let answer: Answer;

beforeAll(async () => {
  corpus = seedCorpusCopy({ 'scam-warning.txt': HOSTILE_TXT, 'nitro.md': HOSTILE_MD });
  indexDir = join(tempDir('rel-hostile-'), 'index');
  await runLocalIndex({ corpusDir: corpus, indexDir, embedder });
  fake = await startFakeOpenAI({ chat: { type: 'echo-prompt' } });
  const config = testConfig({ corpusDir: corpus, indexDir, env: { OPENAI_BASE_URL: fake.url, LLM_TIMEOUT_MS: '3000' } });
  services = await createServices({ config, logger: captureLogger(), embedder });
  answer = await services.ask(HOSTILE_QUESTION);
});

afterAll(async () => {
  await services?.close();
  await fake?.close();
  removeDir(corpus);
  removeDir(join(indexDir, '..'));
});

/** All text a rendered message shows: title, description, fields, footer, content. */
function shownText(message: RenderedMessage): string {
  const parts = [message.content ?? ''];
  for (const e of message.embeds) parts.push(e.title ?? '', e.description ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value]));
  return parts.join('\n');
}

function expectSafe(message: RenderedMessage): void {
  expect(limitProblems({ ...message, allowed_mentions: NO_MENTIONS })).toEqual([]);
  // A masked link is only allowed as a source title, immediately followed by its real domain.
  for (const link of maskedLinks(shownText(message))) expect(link.after.startsWith(` (${new URL(link.url).hostname})`), link.url).toBe(true);
}

describe('hostile text in the corpus', () => {
  it('the LLM sees the injection only inside a passage block, as data', () => {
    const messages = (fake.chatRequests()[0]?.body as { messages: Array<{ role: string; content: string }> }).messages;
    const system = messages.find((m) => m.role === 'system')!.content;
    const user = messages.find((m) => m.role === 'user')!.content;
    expect(system).toMatch(/untrusted data/);
    expect(system).not.toContain(INJECTION);
    const blocks = [...user.matchAll(/<passage n="\d+"[^>]*>\n([\s\S]*?)\n<\/passage>/g)].map((m) => m[1] ?? '');
    expect(blocks.some((b) => b.includes(INJECTION))).toBe(true);
    // Outside the blocks the prompt carries no document text at all.
    const outside = user.replace(/<passage n="\d+"[^>]*>\n[\s\S]*?\n<\/passage>/g, '');
    expect(outside).not.toContain(INJECTION);
    expect(outside).not.toContain('evil.example');
  });

  it('an answer echoing the prompt (instructions followed) is refused by verification; the user gets a checked answer', () => {
    expect(answer.mode).toBe('extractive');
    expect(answer.fallbackReason).toBe('llm answer not supported by passages');
    expect(answer.refused).toBe(false);
    expect(answer.answer).not.toContain('You answer questions about a document collection');
    expect(citationProblems(answer, servingBase(services).snapshot.documents)).toEqual([]);
    expect(answer.citations.some((c) => c.source === 'scam-warning.txt')).toBe(true);
  });

  it('the rendered answer and quotes show document links as text with their domain, within limits', () => {
    const quotes = renderQuotes(answer);
    const rendered = renderAnswer(answer, '1234567890');
    expectSafe(rendered);
    expectSafe(quotes);
    const quoted = shownText(quotes);
    expect(quoted).toContain('evil.example');
    expect(quoted).not.toContain('[click here](http');
  });

  it('a document with a phishing URL and markup in its metadata is listed with the real domain', async () => {
    const citation = { n: 1, source: 'nitro.md', title: 'Claim your free Nitro [here](http://evil.example/nitro) @everyone', date: '2025-03-03', url: 'http://evil.example/nitro', quote: 'x', start: 0, end: 1 };
    const rendered = renderAnswer({ question: 'q', answer: 'The council repeated its warning [1].', refused: false, mode: 'extractive', citations: [citation] }, '1');
    expectSafe(rendered);
    expect(rendered.embeds[0]!.fields![0]!.value).toContain('(http://evil.example/nitro) (evil.example)');
    const sources = renderSources(await services.sources());
    expectSafe(sources);
    expect(shownText(sources)).toContain('Claim your free Nitro');
  });

  it('5,000-character lines are indexed and rendered within limits', async () => {
    const doc = servingBase(services).snapshot.documents.get('scam-warning.txt')!;
    expect(doc.text).toContain('house number 42 on the quay and house number 43');
    // The 5,000-character token without spaces is not prose: the cleaner drops it, the rest of the document stays.
    expect(doc.text).toContain('should call the police on Tuesday');
    const long = await services.ask('Which houses on the quay did the refund scam letters reach?');
    expectSafe(renderAnswer(long, '1'));
    expectSafe(renderQuotes(long));
    const giant: Answer = { ...long, citations: long.citations.map((c) => ({ ...c, quote: doc.text, start: 0, end: doc.text.length })) };
    expectSafe(renderQuotes(giant));
  });
});
