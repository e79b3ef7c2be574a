// The model path accepts a faithful reply whatever quotation marks, dashes or spacing it writes, and still shows
// the stored span verbatim; a changed fact stays blocked. Scripted models answer through the real OpenAI adapter
// and the fake server, as in `npm run eval`.
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { isQuoteAt } from '../../src/core/answer/citations.js';
import { answerWithLlm, parseReply, verifyReply } from '../../src/core/answer/generative.js';
import { foldTypography } from '../../src/core/answer/llm-text.js';
import type { Answer, CleanDocument, Passage } from '../../src/core/types.js';
import { fabricate, findAnswerSentence, oracleReply } from '../../src/eval/scripted-models.js';
import { createOpenAIChatModel } from '../../src/providers/openai.js';
import type { FakeOpenAI } from '../fakes/openai-server.js';
import { startFakeOpenAI } from '../fakes/openai-server.js';

const CURLY = [
  'The harbour board met on Tuesday to review the winter storm damage.',
  '“People think the sea wall is safe, but it’s really not,” said Priya Raman, chief engineer of the Harbour Board, which maintains about 9,000 metres of wall.',
  'Repairs are due to start in the spring.',
].join(' ');
const STRAIGHT = [
  'The museum reopened after a two-year renovation.',
  'Its director called the new wing "the best day in our history," and visitors queued along the river.',
  'Tickets sold out within an hour.',
].join(' ');

function documentOf(source: string, text: string): CleanDocument {
  return { source, title: source, publishedAt: '2024-03-03', dateProvenance: 'meta-tag', dateConfidence: 0.9, url: null, format: 'html', text, fileHash: 'x', contentHash: source };
}

function passageOf(doc: CleanDocument): Passage {
  const { text: _text, fileHash: _f, contentHash: _c, ...meta } = doc;
  return { chunk: { id: doc.source, source: doc.source, start: 0, end: doc.text.length, text: doc.text }, doc: meta, score: 1, bm25Score: 1, vectorScore: 1, termCoverage: 1 };
}

const harbour = documentOf('harbour.html', CURLY);
const museum = documentOf('museum.html', STRAIGHT);
const documents = new Map([harbour, museum].map((d) => [d.source, d]));

const straighten = (text: string): string => text.replace(/[“”]/g, '"').replace(/[‘’]/g, "'");
const curl = (text: string): string => text.replace(/"([^"]*)"/g, '“$1”').replace(/'/g, '’');

function expectVerbatim(answer: Answer): void {
  expect(answer.citations.length).toBeGreaterThan(0);
  for (const citation of answer.citations) {
    const doc = documents.get(citation.source);
    expect(isQuoteAt(doc?.text ?? '', citation.quote, citation.start, citation.end)).toBe(true);
  }
}

describe('foldTypography', () => {
  it('gives one spelling to quotes, dashes, ellipses, spaces and soft hyphens', () => {
    expect(foldTypography('“It’s ‘fine’…” — 2014–2015\u00a0\u00a0infor\u00admation')).toBe(`"It's 'fine'..." - 2014-2015 information`);
  });
});

describe('verifyReply with another typography than the page', () => {
  const check = (reply: string, doc: CleanDocument) => verifyReply(reply, 'q?', [passageOf(doc)], documents);

  it('accepts straight quotes for a curly-quoted sentence and quotes the stored sentence', () => {
    const reply = `${straighten('“People think the sea wall is safe, but it’s really not,” said Priya Raman, chief engineer of the Harbour Board, which maintains about 9,000 metres of wall')} [1].`;
    const result = check(reply, harbour);
    expect(result.dropped).toBe(0);
    const quote = result.claims[0]?.support[0]?.quote;
    expect(quote).toMatch(/^“People think the sea wall is safe, but it’s really not,” said Priya Raman/);
  });

  it('accepts curly quotes for a straight-quoted sentence', () => {
    const reply = `${curl('Its director called the new wing "the best day in our history," and visitors queued along the river')} [1].`;
    const result = check(reply, museum);
    expect(result.dropped).toBe(0);
    expect(result.claims[0]?.support[0]?.quote).toContain('"the best day in our history,"');
  });

  it('accepts dashes, ellipses, ligatures, no-break spaces and soft hyphens that the page spells otherwise', () => {
    // A PDF text layer writes "Griﬃn" with the ffi ligature; a name must match, so the ligature is unfolded first.
    const doc = documentOf('storm.pdf', 'Mary Griﬃn said the storm season ran 2014–2015 and was “the worst… in memory” for the infor\u00admation desk.');
    const local = new Map([[doc.source, doc]]);
    const reply = 'Mary Griffin said the storm season ran 2014 - 2015 and was "the worst... in memory" for the\u00a0information desk [1].';
    const result = verifyReply(reply, 'q?', [passageOf(doc)], local);
    expect(result.dropped).toBe(0);
    expect(result.claims[0]?.support[0]?.quote).toBe(doc.text);
  });

  it('keeps a repeated multi-sentence quotation together, however its quotes are written', () => {
    const text = 'Baker posted a statement: “We didn’t move fast enough once the controversy started. Mozilla believes in equality and in freedom of speech.”';
    const doc = documentOf('statement.html', text);
    const local = new Map([[doc.source, doc]]);
    for (const reply of [
      'Baker posted a statement: "We didn\'t move fast enough once the controversy started. Mozilla believes in equality and in freedom of speech" [1].',
      'Baker posted a statement: “We didn’t move fast enough once the controversy started. Mozilla believes in equality and in freedom of speech” [1].',
    ]) {
      expect(parseReply(reply)).toHaveLength(1);
      const result = verifyReply(reply, 'q?', [passageOf(doc)], local);
      expect(result.dropped).toBe(0);
      expect(result.claims[0]?.support[0]?.quote).toBe(text);
    }
  });

  it('still blocks a changed name or figure inside the re-quoted sentence', () => {
    for (const changed of ['Priya Raman', '9,000']) {
      const wrong = changed === '9,000' ? '6,000' : 'Ottawa Raman';
      const sentence = straighten(CURLY.split(' Repairs')[0]!.split('damage. ')[1]!).replace(changed, wrong).replace(/\.$/, '');
      expect(check(`${sentence} [1].`, harbour).dropped).toBe(1);
    }
  });
});

describe('scripted models on the fake OpenAI server', () => {
  let server: FakeOpenAI | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const openai = (url: string): Config['openai'] => ({ apiKey: 'sk-test', baseUrl: url, chatModel: 'gpt-test', embeddingModel: 'embed-test', timeoutMs: 5_000, evidenceTokens: 3_000, enabled: true });

  async function askWith(reply: (passages: Array<{ n: number; text: string }>) => string): Promise<{ answer: Answer; reasons: string[] }> {
    server = await startFakeOpenAI({ chat: { type: 'reply', text: ({ passages }) => reply(passages) } });
    const reasons: string[] = [];
    const answer = await answerWithLlm({
      question: 'How much sea wall does the Harbour Board maintain?',
      passages: [passageOf(museum), passageOf(harbour)],
      documents,
      chat: createOpenAIChatModel(openai(server.url), { maxRetries: 0 }),
      fallback: async (reason) => (reasons.push(reason), { question: '', answer: 'fallback', refused: false, mode: 'extractive', citations: [] }),
    });
    return { answer, reasons };
  }

  const item = { question: 'How much sea wall does the Harbour Board maintain?', expect_any: ['9,000 metres'] };
  const found = (passages: Array<{ n: number; text: string }>) => {
    const hit = findAnswerSentence(item, passages.map((p) => ({ ...p, date: null })));
    if (!hit) throw new Error('the answer sentence was not shown');
    return hit;
  };

  it('keeps the oracle writing straight quotes for the curly-quoted sentence, with a verbatim citation', async () => {
    const { answer, reasons } = await askWith((passages) => straighten(oracleReply(found(passages))));
    expect(reasons).toEqual([]);
    expect(answer.mode).toBe('llm');
    expect(answer.answer).toContain('"People think the sea wall is safe');
    expectVerbatim(answer);
    expect(answer.citations[0]?.source).toBe('harbour.html');
    expect(answer.citations[0]?.quote).toContain('“People think the sea wall is safe, but it’s really not,”');
  });

  it('blocks the fabricator writing straight quotes', async () => {
    let marker = '';
    const { answer, reasons } = await askWith((passages) => {
      const fabricated = fabricate(found(passages), item.expect_any);
      marker = fabricated.marker;
      return straighten(fabricated.reply);
    });
    expect(marker).not.toBe('');
    expect(reasons).toEqual(['llm answer not supported by passages']);
    expect(answer.answer).not.toContain(marker);
  });
});
