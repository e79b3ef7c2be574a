// Adapters from LangChain's OpenAI classes to the core's ChatModel and Embedder contracts. Works with OpenAI or any
// compatible server (OPENAI_BASE_URL). Errors are rewritten into short messages that never carry the API key.
import { Embeddings } from '@langchain/core/embeddings';
import type { BaseMessage } from '@langchain/core/messages';
import { AIMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import type { Config } from '../config.js';
import type { ChatMessage, ChatModel, Embedder } from '../core/types.js';

export type OpenAIConfig = Config['openai'];

export interface OpenAIProviderOptions {
  /**
   * Retries after a 5xx or a dropped connection (default 1 for chat, 2 for embeddings; embeddings also retry 429).
   * Chat never retries rate limits, timeouts or malformed replies: a user is waiting and the extractive answer is
   * immediate. LangChain waits 1–2 s before a retry.
   */
  maxRetries?: number;
  /** Texts per embeddings request (default 128: safe for compatible servers with smaller limits than OpenAI). */
  batchSize?: number;
}

/** Placeholder key for compatible servers that ignore authentication; the SDK refuses to start without one. */
const PLACEHOLDER_KEY = 'not-needed';

export type OpenAIErrorKind = 'timeout' | 'aborted' | 'rate_limited' | 'server' | 'http' | 'network' | 'malformed' | 'empty';

/** A provider failure with a log-safe message. */
export class OpenAIProviderError extends Error {
  constructor(
    readonly kind: OpenAIErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'OpenAIProviderError';
  }
}

function credentials(config: OpenAIConfig): { apiKey: string; configuration: { baseURL?: string } } {
  if (!config.apiKey && !config.baseUrl) {
    throw new Error('OpenAI provider needs OPENAI_API_KEY, or OPENAI_BASE_URL for a compatible server');
  }
  return {
    apiKey: config.apiKey ?? PLACEHOLDER_KEY,
    configuration: config.baseUrl ? { baseURL: config.baseUrl } : {},
  };
}

function field(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

function statusOf(error: unknown): number | undefined {
  const status = field(error, 'status') ?? field(field(error, 'response'), 'status');
  return typeof status === 'number' ? status : undefined;
}

function retryAfterOf(error: unknown): number | undefined {
  const headers = field(error, 'headers');
  let value: unknown;
  if (headers && typeof (headers as { get?: unknown }).get === 'function') value = (headers as Headers).get('retry-after');
  else value = field(headers, 'retry-after');
  const seconds = Number(value);
  return typeof value === 'string' && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

function errorName(error: unknown): string {
  const name = field(error, 'name');
  const ctor = typeof error === 'object' && error !== null ? error.constructor?.name : undefined;
  return `${typeof name === 'string' ? name : ''} ${ctor ?? ''}`;
}

function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return status >= 500;
  const name = errorName(error);
  return /APIConnectionError/.test(name) && !/Timeout/.test(name);
}

/** Chat retry policy for LangChain's caller: only faults a second attempt can plausibly fix, and no waiting out 429s. */
function retryOnlyTransient(error: unknown): void {
  if (!isTransient(error)) throw error;
}

/** Embeddings mostly run while indexing, where riding out a short rate limit beats failing the whole batch. */
function retryTransientOrRateLimited(error: unknown): void {
  if (!isTransient(error) && statusOf(error) !== 429) throw error;
}

/** Maps whatever the SDK threw to an OpenAIProviderError whose message is safe to log. */
function describe(error: unknown, what: string, timeoutMs: number, secret: string | undefined): OpenAIProviderError {
  if (error instanceof OpenAIProviderError) return error;
  const status = statusOf(error);
  const name = errorName(error);
  const raw = error instanceof Error ? error.message : String(error);
  // Some servers echo the key back ("Incorrect API key provided: sk-…"); never let it through.
  const detail = (secret ? raw.split(secret).join('[redacted]') : raw).replace(/\s+/g, ' ').trim().slice(0, 160);
  if (/Timeout/i.test(name) || (status === undefined && /timed out/i.test(raw))) {
    return new OpenAIProviderError('timeout', `${what} timed out after ${timeoutMs} ms`);
  }
  if (/Abort/i.test(name)) return new OpenAIProviderError('aborted', `${what} was aborted`);
  if (status === 429) {
    const retryAfter = retryAfterOf(error);
    const hint = retryAfter !== undefined ? `, retry after ${retryAfter} s` : '';
    return new OpenAIProviderError('rate_limited', `${what} was rate limited (HTTP 429${hint})`, status, retryAfter);
  }
  if (status !== undefined && status >= 500) {
    return new OpenAIProviderError('server', `${what} failed with a server error (HTTP ${status})`, status);
  }
  if (status !== undefined) return new OpenAIProviderError('http', `${what} failed (HTTP ${status}): ${detail}`, status);
  if (error instanceof SyntaxError || /JSON/.test(raw)) {
    return new OpenAIProviderError('malformed', `${what} returned malformed JSON`);
  }
  if (/APIConnectionError/.test(name)) return new OpenAIProviderError('network', `${what} could not connect: ${detail}`);
  return new OpenAIProviderError('malformed', `${what} failed: ${detail}`);
}

function toLangChain(message: ChatMessage): BaseMessage {
  if (message.role === 'system') return new SystemMessage(message.content);
  if (message.role === 'assistant') return new AIMessage(message.content);
  return new HumanMessage(message.content);
}

/** A ChatModel over ChatOpenAI (Chat Completions API, temperature 0). `complete()` rejects with OpenAIProviderError. */
export function createOpenAIChatModel(config: OpenAIConfig, options: OpenAIProviderOptions = {}): ChatModel {
  const { apiKey, configuration } = credentials(config);
  const model = new ChatOpenAI({
    model: config.chatModel,
    apiKey,
    configuration,
    temperature: 0,
    timeout: config.timeoutMs,
    maxRetries: options.maxRetries ?? 1,
    onFailedAttempt: retryOnlyTransient,
    // The fake server and most compatible servers speak Chat Completions only.
    useResponsesApi: false,
  });
  const what = `OpenAI chat (${config.chatModel})`;
  return {
    id: `openai:${config.chatModel}`,
    async complete(messages, callOptions) {
      let result;
      try {
        result = await model.generate([messages.map(toLangChain)], { signal: callOptions?.signal });
      } catch (error) {
        throw describe(error, what, config.timeoutMs, config.apiKey);
      }
      const generation = result.generations[0]?.[0];
      if (!generation) throw new OpenAIProviderError('empty', `${what} returned no choices`);
      const finishReason: unknown = generation.generationInfo?.['finish_reason'];
      // A reply cut off by the token limit or a filter is not an answer we can stand behind.
      if (finishReason === 'length' || finishReason === 'content_filter') {
        throw new OpenAIProviderError('malformed', `${what} reply was cut off (finish_reason ${finishReason})`);
      }
      const text = typeof generation.text === 'string' ? generation.text.trim() : '';
      if (text.length === 0) throw new OpenAIProviderError('empty', `${what} returned an empty reply`);
      return text;
    },
  };
}

/** Core Embedder over OpenAIEmbeddings; a LangChain `Embeddings`, so it also works wherever LangChain wants one. */
export class OpenAIEmbedder extends Embeddings implements Embedder {
  readonly id: string;

  private constructor(
    private readonly inner: OpenAIEmbeddings,
    model: string,
    readonly dimension: number,
    private readonly describeError: (error: unknown) => OpenAIProviderError,
  ) {
    super({});
    this.id = `openai:${model}`;
  }

  /** Builds the embedder and learns its dimension from one probe request, so a bad endpoint fails at startup. */
  static async create(config: OpenAIConfig, options: OpenAIProviderOptions = {}): Promise<OpenAIEmbedder> {
    const { apiKey, configuration } = credentials(config);
    const inner = new OpenAIEmbeddings({
      model: config.embeddingModel,
      apiKey,
      configuration,
      timeout: config.timeoutMs,
      batchSize: options.batchSize ?? 128,
      maxRetries: options.maxRetries ?? 2,
      onFailedAttempt: retryTransientOrRateLimited,
    });
    const what = `OpenAI embeddings (${config.embeddingModel})`;
    const describeError = (error: unknown) => describe(error, what, config.timeoutMs, config.apiKey);
    let probe: number[];
    try {
      probe = await inner.embedQuery('dimension probe');
    } catch (error) {
      throw describeError(error);
    }
    if (!Array.isArray(probe) || probe.length === 0) {
      throw new OpenAIProviderError('malformed', `${what} returned an empty vector for the probe`);
    }
    return new OpenAIEmbedder(inner, config.embeddingModel, probe.length, describeError);
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    if (documents.length === 0) return [];
    let vectors: number[][];
    try {
      vectors = await this.inner.embedDocuments(documents);
    } catch (error) {
      throw this.describeError(error);
    }
    if (vectors.length !== documents.length) {
      throw new OpenAIProviderError('malformed', `embeddings: asked for ${documents.length} vectors, got ${vectors.length}`);
    }
    for (const vector of vectors) this.checkDimension(vector);
    return vectors;
  }

  override async embedQuery(document: string): Promise<number[]> {
    let vector: number[];
    try {
      vector = await this.inner.embedQuery(document);
    } catch (error) {
      throw this.describeError(error);
    }
    this.checkDimension(vector);
    return vector;
  }

  // Vectors of another size would silently corrupt the index.
  private checkDimension(vector: number[] | undefined): void {
    if (!Array.isArray(vector) || vector.length !== this.dimension) {
      throw new OpenAIProviderError('malformed', `${this.id} returned a vector of ${vector?.length ?? 0} dimensions, expected ${this.dimension}`);
    }
  }
}

export function createOpenAIEmbedder(config: OpenAIConfig, options?: OpenAIProviderOptions): Promise<Embedder> {
  return OpenAIEmbedder.create(config, options);
}
