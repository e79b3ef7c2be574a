// A scripted OpenAI-compatible server on 127.0.0.1 for tests: chat completions with replayable faults, and
// deterministic hashed bag-of-words embeddings. Nothing here ever talks to a real host.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Passages as the server reads them back out of the prompt (see buildPrompt). */
export interface PromptPassage {
  n: number;
  text: string;
}

export type ChatScript =
  /** A normal reply; a function receives the parsed prompt. */
  | { type: 'reply'; text: string | ((prompt: { user: string; passages: PromptPassage[] }) => string); finishReason?: string }
  /** First sentence of each of the first two passages, each cited correctly. */
  | { type: 'grounded' }
  /** A grounded sentence citing [1] plus an invented one citing [9]. */
  | { type: 'fabricated-citation' }
  /** Passage 1's first sentence cited [1], then passage 2's first sentence wrongly cited [1]. */
  | { type: 'wrong-passage' }
  | { type: 'rate-limit'; retryAfterSeconds?: number }
  | { type: 'server-error'; status?: number }
  /** 401 whose message echoes the bearer token, as some servers do. */
  | { type: 'unauthorized' }
  /** Never answers (until close()). */
  | { type: 'hang' }
  /** A 200 whose JSON body is cut in half. */
  | { type: 'truncated-json' }
  | { type: 'empty-choices' }
  /** Replies with the user message verbatim. */
  | { type: 'echo-prompt' };

export interface FakeOpenAIBehaviour {
  /** One script for every chat request, or one per request in order (the last one repeats). */
  chat?: ChatScript | ChatScript[];
  embeddingDimension?: number;
  /** Make embeddings requests fail with this status. */
  embeddingsStatus?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeOpenAI {
  /** Base URL including `/v1`, as OPENAI_BASE_URL expects. */
  url: string;
  requests: RecordedRequest[];
  chatRequests(): RecordedRequest[];
  /** Plays `chat` from the next request on (restarting the sequence), so one server can serve many scenarios. */
  setChat(chat: ChatScript | ChatScript[]): void;
  close(): Promise<void>;
}

/** Reads `<passage n="…">…</passage>` blocks out of a prompt written by buildPrompt. */
export function passagesInPrompt(user: string): PromptPassage[] {
  const passages: PromptPassage[] = [];
  for (const match of user.matchAll(/<passage n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/passage>/g)) {
    passages.push({ n: Number(match[1]), text: (match[2] ?? '').replace(/&lt;/g, '<') });
  }
  return passages;
}

/** The first sentence of a passage with at least six words, as the fake "model" would paraphrase it. */
export function firstSentence(text: string): string {
  const sentences = text
    .split(/\n+/)
    .flatMap((line) => line.split(/(?<=[.!?]["”]?)\s+(?=[A-Z"“])/))
    .map((s) => s.trim());
  const sentence = sentences.find((s) => s.split(/\s+/).length >= 6) ?? sentences[0] ?? '';
  return sentence.replace(/[.!?]["”]?$/, '');
}

const DEFAULT_DIMENSION = 64;

import { fakeEmbedding } from './hash-embedding.js';

export { fakeEmbedding };

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function completion(model: string, content: string | null, finishReason = 'stop'): object {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: finishReason }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

function userMessage(body: unknown): string {
  const messages = (body as { messages?: Array<{ role?: string; content?: unknown }> })?.messages ?? [];
  const user = [...messages].reverse().find((m) => m.role === 'user');
  return typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content ?? '');
}

export async function startFakeOpenAI(behaviour: FakeOpenAIBehaviour = {}): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const asList = (chat: FakeOpenAIBehaviour['chat']): ChatScript[] => (Array.isArray(chat) ? chat : [chat ?? { type: 'grounded' }]);
  let scripts = asList(behaviour.chat);
  let chatCount = 0;

  const handleChat = (body: unknown, request: IncomingMessage, response: ServerResponse) => {
    const script = scripts[Math.min(chatCount, scripts.length - 1)] ?? { type: 'grounded' };
    chatCount += 1;
    const model = String((body as { model?: unknown })?.model ?? 'fake');
    const user = userMessage(body);
    const passages = passagesInPrompt(user);
    const sentenceOf = (n: number) => firstSentence(passages.find((p) => p.n === n)?.text ?? '');
    switch (script.type) {
      case 'reply': {
        const text = typeof script.text === 'function' ? script.text({ user, passages }) : script.text;
        return sendJson(response, 200, completion(model, text, script.finishReason));
      }
      case 'grounded':
        return sendJson(response, 200, completion(model, passages.length > 1 ? `${sentenceOf(1)} [1]. ${sentenceOf(2)} [2].` : `${sentenceOf(1)} [1].`));
      case 'fabricated-citation':
        return sendJson(response, 200, completion(model, `${sentenceOf(1)} [1]. The summit also approved a 9 trillion yen fund for Mars exploration [9].`));
      case 'wrong-passage':
        return sendJson(response, 200, completion(model, `${sentenceOf(1)} [1]. ${sentenceOf(2)} [1].`));
      case 'rate-limit':
        return sendJson(
          response,
          429,
          { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } },
          { 'retry-after': String(script.retryAfterSeconds ?? 1) },
        );
      case 'server-error':
        return sendJson(response, script.status ?? 500, { error: { message: 'The server had an error', type: 'server_error' } });
      case 'unauthorized': {
        const key = String(request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
        return sendJson(response, 401, { error: { message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error', code: 'invalid_api_key' } });
      }
      case 'hang':
        return; // the socket stays open until the client gives up or close() destroys it
      case 'truncated-json': {
        const full = JSON.stringify(completion(model, 'A reply that will never be read in full [1].'));
        const cut = full.slice(0, Math.floor(full.length / 2));
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(cut) });
        return response.end(cut);
      }
      case 'empty-choices':
        return sendJson(response, 200, { ...completion(model, null), choices: [] });
      case 'echo-prompt':
        return sendJson(response, 200, completion(model, user));
    }
  };

  const handleEmbeddings = (body: unknown, response: ServerResponse) => {
    if (behaviour.embeddingsStatus) {
      return sendJson(response, behaviour.embeddingsStatus, { error: { message: 'embeddings unavailable', type: 'server_error' } });
    }
    const { input, model, encoding_format: format } = (body ?? {}) as { input?: unknown; model?: unknown; encoding_format?: unknown };
    const texts = Array.isArray(input) ? input.map(String) : [String(input ?? '')];
    const dimension = behaviour.embeddingDimension ?? DEFAULT_DIMENSION;
    const data = texts.map((text, index) => {
      const vector = fakeEmbedding(text, dimension);
      // The openai SDK asks for base64 unless told otherwise.
      const embedding = format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    return sendJson(response, 200, { object: 'list', data, model: String(model ?? 'fake'), usage: { prompt_tokens: 1, total_tokens: 1 } });
  };

  const server = createServer((request, response) => {
    void (async () => {
      const raw = await readBody(request);
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // keep the raw text for the test to inspect
      }
      const path = (request.url ?? '').split('?')[0] ?? '';
      requests.push({ method: request.method ?? '', path, headers: request.headers, body });
      if (request.method === 'POST' && path === '/v1/chat/completions') return handleChat(body, request, response);
      if (request.method === 'POST' && path === '/v1/embeddings') return handleEmbeddings(body, response);
      return sendJson(response, 404, { error: { message: `no route ${request.method} ${path}` } });
    })().catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error) } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
    setChat: (chat) => {
      scripts = asList(chat);
      chatCount = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging requests would otherwise keep close() waiting forever.
        server.closeAllConnections();
      }),
  };
}
