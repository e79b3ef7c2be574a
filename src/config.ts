// The only module that reads the environment. Everything else receives a validated `Config`.
import { config as loadDotenv } from 'dotenv';
import { resolve } from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return fallback;
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 0) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number ≥ 0, got "${value}"` });
        return z.NEVER;
      }
      return parsed;
    });

const urlString = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined || value === '') return undefined;
    try {
      new URL(value);
      return value.replace(/\/+$/, '');
    } catch {
      // The value is not echoed: a secret pasted into the wrong variable must not end up in a terminal or log.
      ctx.addIssue({ code: 'custom', message: 'must be a URL such as http://127.0.0.1:8080/v1' });
      return z.NEVER;
    }
  });

const envSchema = z.object({
  CORPUS_DIR: z.string().trim().default('corpus'),
  INDEX_DIR: z.string().trim().default('.index'),
  EMBEDDINGS: z.enum(['local', 'openai']).default('local'),
  WORD_VECTORS_DIR: optionalString,
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: urlString,
  OPENAI_CHAT_MODEL: z.string().trim().default('gpt-4o-mini'),
  OPENAI_EMBEDDING_MODEL: z.string().trim().default('text-embedding-3-small'),
  LLM_TIMEOUT_MS: positiveInt(20_000),
  LLM_EVIDENCE_TOKENS: positiveInt(3_000),
  RETRIEVAL_K: positiveInt(5),
  DISCORD_TOKEN: optionalString,
  DISCORD_CLIENT_ID: optionalString,
  DISCORD_GUILD_ID: optionalString,
  DISCORD_API_BASE: urlString,
  DISCORD_CDN_BASE: urlString,
  MAX_UPLOAD_MB: positiveInt(20),
  DISCORD_GUILD_IDS: optionalString,
  FETCH_ALLOW_ORIGINS: optionalString,
  FETCH_PORTS: z.string().trim().default('80,443'),
  FETCH_TIMEOUT_SECONDS: positiveInt(20),
  FETCH_COOLDOWN_SECONDS: positiveInt(30),
  COOLDOWN_SECONDS: positiveInt(5),
  FEEDBACK_FILE: z.string().trim().default('feedback.jsonl'),
  ENTITIES_FILE: z.string().trim().default('data/entities.json'),
  WATCH_CORPUS: booleanFlag,
  ASK_THREADS: z.enum(['auto', 'off']).default('auto'),
  DISCORD_MESSAGE_CONTENT: booleanFlag,
  EVAL_DIR: z.string().trim().default('../shared/eval'),
  STORE: z.enum(['local', 'pgvector']).default('local'),
  DATABASE_URL: optionalString,
  DATABASE_POOL_SIZE: positiveInt(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

/** Sent with every fetched link: names the bot and what it does, so a site owner can tell it from a crawler. */
export const FETCH_USER_AGENT = 'corpus-citation-bot/0.1 (fetches a page a server administrator added to its document corpus; one request per link)';

function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export interface Config {
  corpusDir: string;
  indexDir: string;
  embeddings: 'local' | 'openai';
  wordVectorsDir: string | undefined;
  openai: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    chatModel: string;
    embeddingModel: string;
    timeoutMs: number;
    /** Budget (≈ tokens) of the evidence sentences shown to the model. */
    evidenceTokens: number;
    /** The generative path is on when a key or a compatible server is configured. */
    enabled: boolean;
  };
  retrievalK: number;
  discord: {
    token: string | undefined;
    clientId: string | undefined;
    guildId: string | undefined;
    apiBase: string;
    cooldownSeconds: number;
    feedbackFile: string;
    watchCorpus: boolean;
    /** Open a thread from each public /ask (and mention) answer for follow-ups (ASK_THREADS=auto) or not (off). */
    askThreads: 'auto' | 'off';
    /** Read plain messages (replies, thread messages): needs the privileged Message Content intent. */
    messageContent: boolean;
    /** The servers this bot serves (DISCORD_GUILD_IDS); empty: every server it is in. */
    guildIds: string[];
  };
  uploads: {
    /** Largest file `/add` accepts (MAX_UPLOAD_MB). */
    maxBytes: number;
    /** One more origin `/add` may download attachments from besides Discord's CDN hosts (tests: a local fake). */
    cdnBase: string | undefined;
  };
  /** Documents added by link (/add url:, "Add to corpus", npm run add). */
  fetch: {
    /** Origins let through the address and port checks (FETCH_ALLOW_ORIGINS): for tests against a local server only. */
    allowOrigins: string[];
    /** Ports a link may name (FETCH_PORTS, default 80 and 443). */
    ports: number[];
    timeoutMs: number;
    /** Per user, between two links added from Discord. */
    cooldownSeconds: number;
    userAgent: string;
  };
  entitiesFile: string;
  evalDir: string;
  store: {
    kind: 'local' | 'pgvector';
    /** PostgreSQL connection string (STORE=pgvector). */
    databaseUrl: string | undefined;
    poolSize: number;
  };
  logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSet these in .env (see .env.example) or in the environment.`);
    this.name = 'ConfigError';
  }
}

export interface ConfigOverrides {
  corpusDir?: string | undefined;
  indexDir?: string | undefined;
}

const HINTS: Partial<Record<keyof Env, string>> = {
  EMBEDDINGS: 'use "local" (offline, the default) or "openai"',
  STORE: 'use "local" (the embedded hnswlib index, the default) or "pgvector" (PostgreSQL, with DATABASE_URL)',
  LOG_LEVEL: 'use one of fatal, error, warn, info, debug, trace, silent',
};

/** Reads `.env` (without overriding real environment variables) and validates everything at once. */
export function loadConfig(
  overrides: ConfigOverrides = {},
  env: NodeJS.ProcessEnv = process.env,
  options: { dotenvPath?: string | false } = {},
): Config {
  if (options.dotenvPath !== false) loadDotenv({ path: options.dotenvPath ?? '.env', quiet: true, processEnv: env as Record<string, string> });
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '?') as keyof Env;
      const hint = HINTS[key];
      return `${key}: ${issue.message}${hint ? ` (${hint})` : ''}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.EMBEDDINGS === 'openai' && !e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
    problems.push('EMBEDDINGS=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible local server); or set EMBEDDINGS=local');
  }
  if (e.STORE === 'pgvector' && !e.DATABASE_URL) {
    problems.push('STORE=pgvector needs DATABASE_URL, e.g. postgres://bot:secret@127.0.0.1:5432/corpus (see compose.yaml); or set STORE=local');
  }
  if (e.DATABASE_URL && !/^postgres(ql)?:\/\/[^\s]+$/.test(e.DATABASE_URL)) {
    // The value is not echoed: it usually carries a password.
    problems.push('DATABASE_URL: must be a postgres:// or postgresql:// connection string');
  }
  if (e.MAX_UPLOAD_MB < 1 || e.MAX_UPLOAD_MB > 20) {
    problems.push(`MAX_UPLOAD_MB: must be between 1 and 20 (the corpus loader skips files above 20 MB), got ${e.MAX_UPLOAD_MB}`);
  }
  if (e.DISCORD_CDN_BASE && !/^https?:\/\//i.test(e.DISCORD_CDN_BASE)) {
    problems.push('DISCORD_CDN_BASE: must be an http:// or https:// URL such as http://127.0.0.1:8081');
  }
  const guildIds = listOf(e.DISCORD_GUILD_IDS);
  for (const id of guildIds) if (!/^\d{15,21}$/.test(id)) problems.push(`DISCORD_GUILD_IDS: "${id.slice(0, 40)}" is not a server id (a 17–20 digit number; separate several with commas)`);
  const allowOrigins: string[] = [];
  for (const origin of listOf(e.FETCH_ALLOW_ORIGINS)) {
    const parsed = URL.canParse(origin) ? new URL(origin) : null;
    if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.username || parsed.password || parsed.pathname !== '/' || parsed.search) {
      problems.push(`FETCH_ALLOW_ORIGINS: "${origin.slice(0, 80)}" is not an origin such as http://127.0.0.1:8080 (scheme, host and port only)`);
    } else allowOrigins.push(parsed.origin);
  }
  const ports = listOf(e.FETCH_PORTS).map(Number);
  if (ports.length === 0 || ports.some((port) => !Number.isInteger(port) || port < 1 || port > 65535)) {
    problems.push(`FETCH_PORTS: must be port numbers separated by commas, such as 80,443; got "${e.FETCH_PORTS.slice(0, 40)}"`);
  }
  if (e.FETCH_TIMEOUT_SECONDS < 1 || e.FETCH_TIMEOUT_SECONDS > 120) problems.push(`FETCH_TIMEOUT_SECONDS: must be between 1 and 120, got ${e.FETCH_TIMEOUT_SECONDS}`);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    corpusDir: resolve(overrides.corpusDir ?? e.CORPUS_DIR),
    indexDir: resolve(overrides.indexDir ?? e.INDEX_DIR),
    embeddings: e.EMBEDDINGS,
    wordVectorsDir: e.WORD_VECTORS_DIR ? resolve(e.WORD_VECTORS_DIR) : undefined,
    openai: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      chatModel: e.OPENAI_CHAT_MODEL,
      embeddingModel: e.OPENAI_EMBEDDING_MODEL,
      timeoutMs: e.LLM_TIMEOUT_MS,
      evidenceTokens: Math.max(200, e.LLM_EVIDENCE_TOKENS),
      enabled: Boolean(e.OPENAI_API_KEY || e.OPENAI_BASE_URL),
    },
    retrievalK: Math.max(1, e.RETRIEVAL_K),
    discord: {
      token: e.DISCORD_TOKEN,
      clientId: e.DISCORD_CLIENT_ID,
      guildId: e.DISCORD_GUILD_ID,
      apiBase: e.DISCORD_API_BASE ?? 'https://discord.com/api',
      cooldownSeconds: e.COOLDOWN_SECONDS,
      feedbackFile: resolve(e.FEEDBACK_FILE),
      watchCorpus: e.WATCH_CORPUS,
      askThreads: e.ASK_THREADS,
      messageContent: e.DISCORD_MESSAGE_CONTENT,
      guildIds,
    },
    uploads: { maxBytes: e.MAX_UPLOAD_MB * 1024 * 1024, cdnBase: e.DISCORD_CDN_BASE },
    fetch: {
      allowOrigins,
      ports,
      timeoutMs: e.FETCH_TIMEOUT_SECONDS * 1000,
      cooldownSeconds: e.FETCH_COOLDOWN_SECONDS,
      userAgent: FETCH_USER_AGENT,
    },
    entitiesFile: resolve(e.ENTITIES_FILE),
    evalDir: resolve(e.EVAL_DIR),
    store: { kind: e.STORE, databaseUrl: e.DATABASE_URL, poolSize: Math.max(1, e.DATABASE_POOL_SIZE) },
    logLevel: e.LOG_LEVEL,
  };
}

/** The bot token: every Discord entry point needs one, and says so in the same words when it is missing. */
export function requireDiscordToken(config: Config): string {
  if (!config.discord.token) throw new ConfigError(['DISCORD_TOKEN is not set: add it to .env (the bot token from the Discord developer portal).']);
  return config.discord.token;
}

/** Values that must never reach a log line or an error message. */
export function secretsOf(config: Config): string[] {
  return [config.discord.token, config.openai.apiKey, databasePassword(config.store.databaseUrl)].filter(
    (s): s is string => typeof s === 'string' && s.length >= 6,
  );
}

function databasePassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
