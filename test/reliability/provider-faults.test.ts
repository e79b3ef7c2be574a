// Provider faults end to end: createBotServices with OPENAI_BASE_URL at the fake server. Whatever the model does, the
// user gets a checked answer (extractive fallback) and the log says why, without the API key. Also: secrets in general
// (Discord token, API key) never reach a log line or an error message.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/app/services.js';
import type { Services } from '../../src/commands/services.js';
import { runLocalIndex } from '../../src/stores/local/indexer.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger, loggerFor } from '../../src/logging.js';
import { createOpenAIChatModel } from '../../src/providers/openai.js';
import { startFakeOpenAI, type ChatScript, type FakeOpenAI } from '../fakes/openai-server.js';
import { removeDir, seedCorpusCopy, tempDir, testConfig, servingBase } from '../helpers.js';
import { citationProblems, HashEmbedder } from './support.js';

const API_KEY = 'sk-reliability-DO-NOT-LOG-7f3a9c21';
const QUESTION = 'Where did Japanese and South Korean leaders meet?';
const embedder = new HashEmbedder();
let corpus: string;
let indexDir: string;
let fake: FakeOpenAI;
const lines: string[] = [];
/** Real services talking to the fake: LLM_TIMEOUT_MS 3000, and 300 for the hang case. */
let services: Services;
let impatient: Services;

beforeAll(async () => {
  corpus = seedCorpusCopy();
  indexDir = join(tempDir('rel-provider-'), 'index');
  await runLocalIndex({ corpusDir: corpus, indexDir, embedder });
  fake = await startFakeOpenAI();
  // No secret masking: the provider itself must keep the key out of what it reports.
  const logger = createLogger({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  const configFor = (timeoutMs: number) =>
    testConfig({ corpusDir: corpus, indexDir, env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: API_KEY, LLM_TIMEOUT_MS: String(timeoutMs) } });
  expect(configFor(3000).openai.enabled).toBe(true);
  services = await createServices({ config: configFor(3000), logger, embedder });
  impatient = await createServices({ config: configFor(300), logger, embedder });
});

afterAll(async () => {
  await services?.close();
  await impatient?.close();
  await fake?.close();
  removeDir(corpus);
  removeDir(join(indexDir, '..'));
});

/** Asks once with the fake playing `chat`; returns the answer and the log lines written meanwhile. */
async function askWith(chat: ChatScript | ChatScript[], timeoutMs = 3000) {
  fake.setChat(chat);
  lines.length = 0;
  const answer = await (timeoutMs === 300 ? impatient : services).ask(QUESTION);
  const logs = lines.map((l) => JSON.parse(l) as { level: number; msg?: string; reason?: string; [k: string]: unknown });
  return { answer, logs, text: lines.join(''), documents: servingBase(services).snapshot.documents };
}

describe('provider faults through createBotServices', () => {
  it('a grounded reply is used as is (the fake is wired up)', async () => {
    const { answer, documents } = await askWith({ type: 'grounded' });
    expect(answer.mode).toBe('llm');
    expect(answer.fallbackReason).toBeUndefined();
    expect(citationProblems(answer, documents)).toEqual([]);
    expect(fake.chatRequests()).toHaveLength(1);
    expect(fake.chatRequests()[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it.each<[string, ChatScript | ChatScript[], RegExp, number?]>([
    ['a hung server (timeout)', { type: 'hang' }, /^llm timed out after 300 ms$/, 300],
    ['429 with Retry-After', { type: 'rate-limit', retryAfterSeconds: 20 }, /rate limited \(HTTP 429, retry after 20 s\)/],
    ['500 (also on the retry)', { type: 'server-error' }, /server error \(HTTP 500\)/],
    ['truncated JSON', { type: 'truncated-json' }, /malformed JSON/],
    ['an empty choice list', { type: 'empty-choices' }, /returned no choices/],
    ['an empty reply', { type: 'reply', text: '' }, /empty reply/],
    ['a reply cut off by the token limit', { type: 'reply', text: 'Japanese and South Korean leaders met in', finishReason: 'length' }, /cut off/],
    ['only a fabricated citation', { type: 'reply', text: 'The summit approved a nine trillion yen fund for Mars exploration [9].' }, /^llm answer not supported by passages$/],
  ])('%s: the user still gets a checked answer, and the log says why', async (_name, script, reason, timeoutMs) => {
    const { answer, logs, text, documents } = await askWith(script, timeoutMs);
    expect(answer.refused).toBe(false);
    expect(answer.mode).toBe('extractive');
    expect(answer.answer.length).toBeGreaterThan(20);
    expect(answer.fallbackReason).toMatch(reason);
    expect(citationProblems(answer, documents)).toEqual([]);
    expect(answer.citations.length).toBeGreaterThan(0);
    const warning = logs.find((l) => l.msg === 'generative answer abandoned, using extractive fallback');
    expect(warning?.level).toBe(40);
    expect(warning?.reason).toBe(answer.fallbackReason);
    expect(text).not.toContain(API_KEY);
  });

  it('a fabricated citation next to a grounded sentence: only the verified sentence is kept, the drop is logged', async () => {
    const { answer, logs, documents } = await askWith({ type: 'fabricated-citation' });
    expect(answer.mode).toBe('llm');
    expect(answer.answer).not.toMatch(/Mars|trillion/);
    expect(citationProblems(answer, documents)).toEqual([]);
    const dropped = logs.find((l) => l.msg === 'llm sentence dropped');
    // The model is shown up to a dozen evidence blocks, so [9] may exist: either way the invented sentence is dropped.
    expect(String(dropped?.sentence)).toMatch(/Mars|trillion/);
    expect(String(dropped?.reason)).toMatch(/cites no passage that was given|cited passage lacks/);
  });

  it('a server echoing the key in a 401 never gets it into the answer or the log', async () => {
    const { answer, text } = await askWith({ type: 'unauthorized' });
    expect(answer.mode).toBe('extractive');
    expect(answer.fallbackReason).toMatch(/HTTP 401/);
    expect(JSON.stringify(answer)).not.toContain(API_KEY);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain('DO-NOT-LOG');
  });
});

const DISCORD_TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.discord-secret-DO-NOT-LOG';

function configWith(extra: Record<string, string> = {}) {
  return loadConfig({ corpusDir: 'corpus', indexDir: '.index' }, { DISCORD_TOKEN, OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: fake.url, LOG_LEVEL: 'debug', ...extra }, { dotenvPath: false });
}

describe('secrets stay out of logs and errors', () => {
  it('the app logger masks both secrets wherever they appear in a line', () => {
    const config = configWith();
    let out = '';
    const logger = loggerFor(config, { write: (line: string) => (out += line) });
    const error = new Error(`login failed for token ${DISCORD_TOKEN}`);
    logger.info({ config }, 'configuration loaded');
    logger.error({ err: error, request: { headers: { Authorization: `Bot ${DISCORD_TOKEN}`, 'x-api-key': API_KEY } } }, 'request failed');
    logger.warn({ deep: { deeper: { deepest: [API_KEY, { token: DISCORD_TOKEN }] } } }, `key was ${API_KEY}`);
    logger.debug({ token: DISCORD_TOKEN, apiKey: API_KEY }, 'direct fields');
    expect(out.split('\n').filter(Boolean)).toHaveLength(4);
    expect(out).not.toContain(DISCORD_TOKEN);
    expect(out).not.toContain(API_KEY);
    expect(out).not.toContain('DO-NOT-LOG');
    expect(out).toContain('[redacted]');
    // The stack of the logged error is there, minus the token.
    expect(out).toMatch(/login failed for token \[redacted\]/);
  });

  it('the OpenAI provider error for a server echoing the key carries no key (message, stack, fields)', async () => {
    const config = configWith();
    fake.setChat({ type: 'unauthorized' });
    const chat = createOpenAIChatModel(config.openai, { maxRetries: 0 });
    const failure = await chat.complete([{ role: 'user', content: 'hello' }]).then(
      () => null,
      (error: unknown) => error as Error & Record<string, unknown>,
    );
    expect(failure).not.toBeNull();
    expect(failure!.message).toMatch(/HTTP 401/);
    // The server really did echo it: only the provider's scrubbing keeps it out.
    expect(fake.chatRequests().at(-1)!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const everything = [failure!.message, failure!.stack ?? '', JSON.stringify(failure), String(failure!.cause ?? '')].join('\n');
    expect(everything).not.toContain(API_KEY);
    expect(everything).not.toContain('DO-NOT-LOG');
  });

  it('a configuration error does not repeat the secrets that were valid', () => {
    let error: unknown;
    try {
      configWith({ LLM_TIMEOUT_MS: 'soon', RETRIEVAL_K: '-1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/LLM_TIMEOUT_MS/);
    expect((error as Error).message).not.toContain(DISCORD_TOKEN);
    expect((error as Error).message).not.toContain(API_KEY);
  });
});
