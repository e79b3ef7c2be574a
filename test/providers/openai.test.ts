// The OpenAI adapters against a scripted server on 127.0.0.1: replies, every fault the bot must survive, and
// embeddings. Retries are switched off except in the one test that proves a retry happens.
import { Embeddings } from '@langchain/core/embeddings';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import type { ChatMessage } from '../../src/core/types.js';
import { OpenAIProviderError, createOpenAIChatModel, createOpenAIEmbedder } from '../../src/providers/openai.js';
import type { FakeOpenAI, FakeOpenAIBehaviour } from '../fakes/openai-server.js';
import { fakeEmbedding, startFakeOpenAI } from '../fakes/openai-server.js';

const API_KEY = 'sk-test-SECRET-4f9a2c71d0';
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'Answer from the passages.' },
  { role: 'user', content: 'Who met in Tokyo?' },
];

let server: FakeOpenAI | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(behaviour: FakeOpenAIBehaviour): Promise<FakeOpenAI> {
  server = await startFakeOpenAI(behaviour);
  return server;
}

function openaiConfig(url: string, overrides: Partial<Config['openai']> = {}): Config['openai'] {
  return { apiKey: API_KEY, baseUrl: url, chatModel: 'gpt-test', embeddingModel: 'embed-test', timeoutMs: 5_000, evidenceTokens: 3_000, enabled: true, ...overrides };
}

async function failure(promise: Promise<unknown>): Promise<OpenAIProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OpenAIProviderError);
    return error as OpenAIProviderError;
  }
  throw new Error('expected a rejection');
}

describe('createOpenAIChatModel', () => {
  it('returns the reply text and sends a temperature-0 chat completion with the key', async () => {
    const fake = await start({ chat: { type: 'reply', text: '  Ishiba and Lee met in Tokyo [1].  ' } });
    const chat = createOpenAIChatModel(openaiConfig(fake.url), { maxRetries: 0 });
    expect(chat.id).toBe('openai:gpt-test');
    await expect(chat.complete(MESSAGES)).resolves.toBe('Ishiba and Lee met in Tokyo [1].');

    const [request] = fake.chatRequests();
    const body = request?.body as { model: string; temperature: number; messages: Array<{ role: string; content: string }> };
    expect(body.model).toBe('gpt-test');
    expect(body.temperature).toBe(0);
    expect(body.messages).toEqual([
      { role: 'system', content: 'Answer from the passages.' },
      { role: 'user', content: 'Who met in Tokyo?' },
    ]);
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('uses a placeholder key when only a base URL is configured', async () => {
    const fake = await start({ chat: { type: 'reply', text: 'ok [1].' } });
    const chat = createOpenAIChatModel(openaiConfig(fake.url, { apiKey: undefined }), { maxRetries: 0 });
    await chat.complete(MESSAGES);
    expect(fake.chatRequests()[0]?.headers.authorization).toBe('Bearer not-needed');
  });

  it('refuses to start with neither a key nor a base URL (it would call api.openai.com unauthenticated)', () => {
    expect(() => createOpenAIChatModel(openaiConfig('unused', { apiKey: undefined, baseUrl: undefined }))).toThrow(/OPENAI_API_KEY/);
  });

  it('fails fast on 429 without retrying, reporting Retry-After', async () => {
    const fake = await start({ chat: { type: 'rate-limit', retryAfterSeconds: 7 } });
    const chat = createOpenAIChatModel(openaiConfig(fake.url)); // default maxRetries: 1
    const started = Date.now();
    const error = await failure(chat.complete(MESSAGES));
    expect(Date.now() - started).toBeLessThan(900);
    expect(error.kind).toBe('rate_limited');
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.message).toMatch(/429.*retry after 7 s/);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('reports a 5xx as a server error', async () => {
    const fake = await start({ chat: { type: 'server-error', status: 503 } });
    const error = await failure(createOpenAIChatModel(openaiConfig(fake.url), { maxRetries: 0 }).complete(MESSAGES));
    expect(error.kind).toBe('server');
    expect(error.message).toMatch(/HTTP 503/);
  });

  it('retries a 5xx once by default and then succeeds', async () => {
    const fake = await start({ chat: [{ type: 'server-error' }, { type: 'reply', text: 'Recovered [1].' }] });
    await expect(createOpenAIChatModel(openaiConfig(fake.url)).complete(MESSAGES)).resolves.toBe('Recovered [1].');
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('times out after config.timeoutMs on a hung server, without retrying', async () => {
    const fake = await start({ chat: { type: 'hang' } });
    const chat = createOpenAIChatModel(openaiConfig(fake.url, { timeoutMs: 300 }));
    const started = Date.now();
    const error = await failure(chat.complete(MESSAGES));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('stops when the caller aborts', async () => {
    const fake = await start({ chat: { type: 'hang' } });
    const chat = createOpenAIChatModel(openaiConfig(fake.url), { maxRetries: 0 });
    const error = await failure(chat.complete(MESSAGES, { signal: AbortSignal.timeout(200) }));
    expect(['aborted', 'timeout']).toContain(error.kind);
  });

  it('rejects truncated JSON, empty choices, empty text and cut-off replies', async () => {
    const fake = await start({
      chat: [
        { type: 'truncated-json' },
        { type: 'empty-choices' },
        { type: 'reply', text: '   ' },
        { type: 'reply', text: 'Lee will visit China from', finishReason: 'length' },
      ],
    });
    const chat = createOpenAIChatModel(openaiConfig(fake.url), { maxRetries: 0 });
    expect((await failure(chat.complete(MESSAGES))).kind).toBe('malformed');
    expect((await failure(chat.complete(MESSAGES))).kind).toBe('empty');
    expect((await failure(chat.complete(MESSAGES))).kind).toBe('empty');
    const cut = await failure(chat.complete(MESSAGES));
    expect(cut.kind).toBe('malformed');
    expect(cut.message).toMatch(/cut off/);
  });

  it('never puts the API key in an error message, even when the server echoes it', async () => {
    const fake = await start({ chat: { type: 'unauthorized' } });
    const error = await failure(createOpenAIChatModel(openaiConfig(fake.url), { maxRetries: 0 }).complete(MESSAGES));
    expect(error.kind).toBe('http');
    expect(error.status).toBe(401);
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(API_KEY);
    expect(JSON.stringify(error)).not.toContain(API_KEY);
  });
});

describe('createOpenAIEmbedder', () => {
  it('discovers the dimension with a probe and embeds documents and queries', async () => {
    const fake = await start({ embeddingDimension: 48 });
    const embedder = await createOpenAIEmbedder(openaiConfig(fake.url));
    expect(embedder.id).toBe('openai:embed-test');
    expect(embedder.dimension).toBe(48);
    expect(embedder).toBeInstanceOf(Embeddings);

    const texts = ['Japan and South Korea agree to enhance ties', 'Lee will visit China', 'North Korea launched a missile'];
    const vectors = await embedder.embedDocuments(texts);
    expect(vectors).toHaveLength(3);
    vectors.forEach((vector, i) => {
      expect(vector).toHaveLength(48);
      // The SDK fetched base64 float32 and decoded it: equal to the server's vector up to float32 rounding.
      const expected = fakeEmbedding(texts[i] ?? '', 48);
      vector.forEach((value, j) => expect(value).toBeCloseTo(expected[j] ?? NaN, 5));
    });
    const query = await embedder.embedQuery('Lee will visit China');
    expect(query).toHaveLength(48);
    expect(query[0]).toBeCloseTo(vectors[1]?.[0] ?? NaN, 6);

    const bodies = fake.requests.filter((r) => r.path === '/v1/embeddings').map((r) => r.body as { model: string });
    expect(bodies.every((b) => b.model === 'embed-test')).toBe(true);
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true);
  });

  it('splits large inputs into batches', async () => {
    const fake = await start({});
    const embedder = await createOpenAIEmbedder(openaiConfig(fake.url), { batchSize: 2 });
    const vectors = await embedder.embedDocuments(['a b', 'c d', 'e f', 'g h', 'i j']);
    expect(vectors.map((v) => v.length)).toEqual([64, 64, 64, 64, 64]);
    // 1 probe + 3 batches
    expect(fake.requests.filter((r) => r.path === '/v1/embeddings')).toHaveLength(4);
    expect(await embedder.embedDocuments([])).toEqual([]);
  });

  it('fails at creation when the endpoint cannot embed', async () => {
    const fake = await start({ embeddingsStatus: 404 });
    const error = await failure(createOpenAIEmbedder(openaiConfig(fake.url)));
    expect(error.kind).toBe('http');
    expect(error.status).toBe(404);
  });
});
