// A loopback stand-in for Discord: REST (HTTP) and gateway (WebSocket) on 127.0.0.1, random port.
// Records every REST call so tests can assert on exactly what the real discord.js client sent.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RestCall {
  method: string;
  /** Decoded path, e.g. `/api/v10/webhooks/1/tok/messages/@original`. */
  path: string;
  query: URLSearchParams;
  body: any;
  /** performance.now() when the request arrived. */
  at: number;
  status: number;
}

export interface FakeUser {
  id: string;
  username: string;
}

export interface InteractionOptions {
  user?: FakeUser;
  /** Member permissions as a decimal string; ADMIN or MEMBER below. */
  permissions?: string;
  /** Send it on the connection that identified as this shard id (default: the latest connection). */
  shard?: number;
  /** `data.resolved` of the interaction, e.g. `{ attachments: { [id]: {...} } }` for attachment options. */
  resolved?: Record<string, unknown>;
  /** The channel the command runs in (default: the text channel); a thread id sends the thread as `channel`. */
  channelId?: string;
  /** The server it comes from (default: the fake's one guild), e.g. a server the bot does not serve. */
  guildId?: string;
}

/** A user's message, as MESSAGE_CREATE carries it. */
export interface UserMessageOptions {
  user?: FakeUser & { bot?: boolean };
  /** Channel or thread (default: the text channel). */
  channelId?: string;
  /** The message this one replies to (type 19 with message_reference and referenced_message). */
  replyTo?: string;
  /** Put `<@bot>` in front of the content and the bot in `mentions`. */
  mention?: boolean;
  /** Message type override (e.g. 7 = member join, a system message). */
  type?: number;
}

export const GUILD_MESSAGES_INTENT = 1 << 9;
export const MESSAGE_CONTENT_INTENT = 1 << 15;
/** Thread creation outcomes the fake can be told to give. */
export type ThreadFailure = 'missing-permission' | 'locked' | null;

/** One IDENTIFY frame as the gateway received it. */
export interface GatewayIdentify {
  /** 1-based number of the WebSocket connection that sent it (in order of connection). */
  connection: number;
  /** IDENTIFY's `shard` field, `[shard_id, num_shards]`; undefined when the client did not send one. */
  shard: [number, number] | undefined;
  intents: number;
}

/** One gateway WebSocket and its session state: sequence numbers are per connection, as on Discord. */
interface Connection {
  id: number;
  socket: WebSocket;
  seq: number;
  shard: [number, number] | undefined;
}

export interface SentInteraction {
  id: string;
  token: string;
  /** performance.now() when INTERACTION_CREATE was written to the socket. */
  sentAt: number;
}

export interface CommandOption {
  name: string;
  type: number;
  value: string | number | boolean;
  focused?: boolean;
}

/** Administrator bit (0x8) plus the everyday ones. */
export const ADMIN_PERMISSIONS = String(0x8n | 0x400n | 0x800n | 0x80000000n);
/** View channel, send messages, use application commands: no Administrator. */
export const MEMBER_PERMISSIONS = String(0x400n | 0x800n | 0x80000000n);

const DISCORD_EPOCH = 1420070400000n;
let sequence = 0n;

/** Snowflakes: 17–19 digit strings, increasing, unique within the process. */
export function snowflake(): string {
  sequence = (sequence + 1n) % 4096n;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (BigInt(process.pid % 1024) << 12n) | sequence).toString();
}

export const STRING = 3;
export const BOOLEAN = 5;
export const ATTACHMENT = 11;

/** Which requests a rate-limit rule applies to. */
export type RouteMatch = (method: string, path: string) => boolean;

/** Thread creation from a message: `POST /channels/{id}/messages/{id}/threads`. */
export const THREAD_ROUTE: RouteMatch = (method, path) => method === 'POST' && /^\/api\/v10\/channels\/\d+\/messages\/\d+\/threads$/.test(path);

interface RateLimitRule {
  match: RouteMatch;
  retryAfterSeconds: number;
  /** A global 429 (`global: true`, `X-RateLimit-Global`): only requests made with the bot token, as on Discord. */
  global: boolean;
  /** 429 answers left (count rules; Infinity for fraction rules). */
  remaining: number;
  /** Fraction rules: the share of matching requests answered 429, spread evenly (0.5 = every second one). */
  fraction: number | undefined;
  /** Matching requests seen so far (fraction rules). */
  seen: number;
}

/** A route bucket with a limit per window, as Discord announces it in `X-RateLimit-*` headers on every response. */
interface BucketRule {
  match: RouteMatch;
  limit: number;
  windowMs: number;
  hash: string;
  /** Per major parameter (channel id…): requests counted in the current window and when it resets. */
  windows: Map<string, { used: number; resetAt: number }>;
}

/** Rate-limit counters kept by the fake, so tests can assert that nothing hammered it. */
export interface RateLimitCounts {
  /** 429 answers given, by scope. */
  route: number;
  global: number;
  /** Requests that arrived while the fake had told the bot to wait (a retry before Retry-After elapsed). */
  early: number;
}

export class FakeDiscord {
  readonly applicationId = snowflake();
  readonly botUserId = this.applicationId;
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  readonly calls: RestCall[] = [];
  readonly gateway = { connections: 0, identifies: 0, resumes: 0, heartbeats: 0 };
  /** Every IDENTIFY, in order: sharded clients are told apart by their `shard` field. */
  readonly identified: GatewayIdentify[] = [];
  /** Every interaction sent, so tests can check no token ever reached a log. */
  readonly sent: SentInteraction[] = [];

  /** The latest connection: the default target of dispatches and closeGateway(). */
  private latest: Connection | undefined;
  private readonly connections = new Set<Connection>();
  private sessionId = randomBytes(16).toString('hex');
  private readonly rateLimits: RateLimitRule[] = [];
  private readonly buckets: BucketRule[] = [];
  /** When a global 429 was given, no bot-token request should arrive before this (performance.now()). */
  private globalBlockedUntil = 0;
  readonly rateLimited: RateLimitCounts = { route: 0, global: 0, early: 0 };
  private readonly callListeners = new Set<(call: RestCall) => void>();
  private readonly messages = new Map<string, any>();
  private readonly waiters = new Set<() => void>();
  /** Every message by channel (text channel and threads), oldest first: what GET /channels/{id}/messages reads. */
  private readonly channelMessages = new Map<string, any[]>();
  /** Threads by id (channel objects); listed in GUILD_CREATE so a restarted bot knows them. */
  readonly threads = new Map<string, any>();
  /** The channel an interaction token answers in. */
  private readonly tokenChannel = new Map<string, string>();
  /** The next thread creation fails this way (then resets). */
  threadFailure: ThreadFailure = null;
  /** The intents of the latest IDENTIFY. */
  intents = 0;

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
    private readonly heartbeatIntervalMs: number,
    /** The `shards` GET /gateway/bot recommends (what ShardingManager's 'auto' count asks for). */
    readonly recommendedShards: number,
  ) {}

  static async start(options: { heartbeatIntervalMs?: number; recommendedShards?: number } = {}): Promise<FakeDiscord> {
    const http = createServer();
    const wss = new WebSocketServer({ server: http, path: '/gateway' });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const fake = new FakeDiscord(http, wss, (http.address() as AddressInfo).port, options.heartbeatIntervalMs ?? 2000, options.recommendedShards ?? 1);
    http.on('request', (req, res) => void fake.onRequest(req, res));
    wss.on('connection', (socket) => fake.onConnection(socket));
    return fake;
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  // ---- REST -------------------------------------------------------------------------------------------------

  /**
   * The next `count` REST calls matching `match` (all by default) answer 429 with Retry-After. With `global`, the
   * answer is a global one (`global: true`, `X-RateLimit-Global`, scope `global`) and only bot-token requests get it
   * (interaction callbacks and webhooks are not under Discord's global limit).
   */
  rateLimitNext(count: number, retryAfterSeconds: number, match: RouteMatch = () => true, options: { global?: boolean } = {}): void {
    this.rateLimits.push({ remaining: count, retryAfterSeconds, match, global: options.global ?? false, fraction: undefined, seen: 0 });
  }

  /** A share of the calls matching `match` (0.5: every second one) answer 429 with Retry-After, until cleared. */
  rateLimitFraction(fraction: number, retryAfterSeconds: number, match: RouteMatch): void {
    this.rateLimits.push({ remaining: Number.POSITIVE_INFINITY, retryAfterSeconds, match, global: false, fraction, seen: 0 });
  }

  /**
   * A bucket of `limit` requests per `windowSeconds` for the calls matching `match`, counted per major parameter
   * (channel id); every response carries its `X-RateLimit-*` headers, and a request over the limit gets 429.
   */
  limitRoute(match: RouteMatch, limit: number, windowSeconds: number): void {
    this.buckets.push({ match, limit, windowMs: windowSeconds * 1000, hash: randomBytes(8).toString('hex'), windows: new Map() });
  }

  /** Drops every rate-limit rule and bucket (counters stay). */
  clearRateLimits(): void {
    this.rateLimits.length = 0;
    this.buckets.length = 0;
    this.globalBlockedUntil = 0;
  }

  /** Calls `listener` with every REST call as it is answered; returns the unsubscribe function. */
  onCall(listener: (call: RestCall) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /** REST calls made with an interaction's token (callbacks, edits, follow-ups), in order. */
  callsFor(interaction: Pick<SentInteraction, 'token'>): RestCall[] {
    return this.calls.filter((call) => call.path.includes(`/${interaction.token}`));
  }

  /** Resolves with the first recorded call (past or future) that satisfies `predicate`. */
  async waitForCall(predicate: (call: RestCall) => boolean, timeoutMs = 5000): Promise<RestCall> {
    return this.waitFor(() => this.calls.find(predicate), timeoutMs, 'REST call');
  }

  /** The message most recently written as the interaction's original response (editReply). */
  originalMessage(interaction: Pick<SentInteraction, 'token'>): any {
    return this.messages.get(interaction.token);
  }

  private async waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const found = probe();
    if (found !== undefined) return found;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      this.waiters.add(check);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const path = decodeURIComponent(url.pathname);
    const method = req.method ?? 'GET';
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString('utf8');
    const contentType = req.headers['content-type'] ?? '';
    let body: unknown = raw;
    if (raw && contentType.includes('application/json')) body = JSON.parse(raw);
    else if (contentType.includes('multipart/form-data')) body = await parseMultipart(bytes, contentType);

    // Bucket headers for this request's route, sent with whatever the answer is (as Discord does).
    let bucketHeaders: Record<string, string> = {};
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      const call = { method, path, query: url.searchParams, body, at, status };
      this.calls.push(call);
      const all = { ...bucketHeaders, ...headers };
      if (payload === undefined) res.writeHead(status, all).end();
      else res.writeHead(status, { 'content-type': 'application/json', ...all }).end(JSON.stringify(payload));
      for (const listener of this.callListeners) listener(call);
      this.notify();
    };

    const botToken = typeof req.headers.authorization === 'string' && req.headers.authorization.startsWith('Bot ');
    if (botToken && at < this.globalBlockedUntil) this.rateLimited.early += 1;
    const limited = this.rateLimitFor(method, path, botToken);
    const bucket = this.buckets.find((b) => b.match(method, path));
    if (bucket) {
      const major = /^\/api\/v10\/(?:channels|guilds|webhooks)\/(\d+)/.exec(path)?.[1] ?? 'global';
      const now = Date.now();
      let window = bucket.windows.get(major);
      if (!window || window.resetAt <= now) bucket.windows.set(major, (window = { used: 0, resetAt: now + bucket.windowMs }));
      // A request over the limit is refused and not counted, as on Discord.
      const over = window.used >= bucket.limit && !limited;
      if (!over) window.used += 1;
      const resetAfter = Math.max(0, window.resetAt - now) / 1000;
      bucketHeaders = {
        'x-ratelimit-limit': String(bucket.limit),
        'x-ratelimit-remaining': String(Math.max(0, bucket.limit - window.used)),
        'x-ratelimit-reset': String(window.resetAt / 1000),
        'x-ratelimit-reset-after': resetAfter.toFixed(3),
        'x-ratelimit-bucket': bucket.hash,
      };
      if (over) {
        this.rateLimited.route += 1;
        send(429, { message: 'You are being rate limited.', retry_after: resetAfter, global: false }, { 'retry-after': resetAfter.toFixed(3), 'x-ratelimit-scope': 'user' });
        return;
      }
    }
    if (limited) {
      const retryAfter = limited.retryAfterSeconds;
      const resetAt = Date.now() + retryAfter * 1000;
      const common = {
        'retry-after': String(retryAfter),
        'x-ratelimit-reset': String(resetAt / 1000),
        'x-ratelimit-reset-after': String(retryAfter),
      };
      if (limited.global) {
        this.rateLimited.global += 1;
        this.globalBlockedUntil = Math.max(this.globalBlockedUntil, at + retryAfter * 1000);
        send(429, { message: 'You are being rate limited.', retry_after: retryAfter, global: true }, { ...common, 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' });
      } else {
        this.rateLimited.route += 1;
        send(
          429,
          { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
          { ...common, 'x-ratelimit-limit': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-bucket': 'fake-limited', 'x-ratelimit-scope': 'user' },
        );
      }
      return;
    }

    let match: RegExpMatchArray | null;
    if (method === 'GET' && path === '/api/v10/gateway/bot') {
      send(200, {
        url: this.gatewayUrl,
        shards: this.recommendedShards,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 86_400_000, max_concurrency: 1 },
      });
    } else if (method === 'POST' && /^\/api\/v10\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      send(204);
    } else if ((match = path.match(/^\/api\/v10\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/))) {
      const token = match[2]!;
      const messageId = match[3]!;
      if (method === 'DELETE') {
        if (messageId === '@original') this.messages.delete(token);
        send(204);
      } else if (method === 'PATCH') {
        const previous = messageId === '@original' ? this.messages.get(token) : undefined;
        const message = this.message(body as Record<string, unknown>, previous, this.tokenChannel.get(token));
        if (messageId === '@original') this.messages.set(token, message);
        // Ephemeral replies are no channel messages: nobody can reply to them or read them back.
        if (!((message.flags ?? 0) & 64)) this.store(message);
        send(200, message);
      } else {
        send(200, this.messages.get(token) ?? this.message({}, undefined));
      }
    } else if (method === 'POST' && /^\/api\/v10\/webhooks\/\d+\/[^/]+$/.test(path)) {
      send(200, this.message(body as Record<string, unknown>, undefined));
    } else if (method === 'POST' && (match = path.match(/^\/api\/v10\/channels\/(\d+)\/messages\/(\d+)\/threads$/))) {
      const [channelId, messageId] = [match[1]!, match[2]!];
      const failure = this.threadFailure;
      this.threadFailure = null;
      if (failure === 'missing-permission') send(403, { message: 'Missing Permissions', code: 50013 });
      else if (failure === 'locked') send(403, { message: 'Thread is locked', code: 50083 });
      else if (this.threads.has(messageId)) send(400, { message: 'A thread has already been created for this message', code: 160004 });
      else {
        const thread = this.thread(messageId, channelId, this.botUserId, String((body as { name?: string }).name ?? ''));
        send(201, thread);
        this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
      }
    } else if (method === 'POST' && (match = path.match(/^\/api\/v10\/channels\/(\d+)\/messages$/))) {
      const channelId = match[1]!;
      const message = this.message(body as Record<string, unknown>, undefined, channelId);
      const reference = (body as { message_reference?: { message_id?: string } }).message_reference;
      if (reference?.message_id) {
        message.type = 19;
        message.message_reference = { type: 0, message_id: reference.message_id, channel_id: channelId, guild_id: this.guildId };
        message.referenced_message = this.findMessage(channelId, reference.message_id) ?? null;
      }
      delete message.webhook_id;
      delete message.application_id;
      this.store(message);
      send(200, message);
      // Discord echoes the bot's own messages to it: the bot must ignore them.
      this.dispatchMessage(message);
    } else if (method === 'GET' && (match = path.match(/^\/api\/v10\/channels\/(\d+)\/messages\/(\d+)$/))) {
      const found = this.findMessage(match[1]!, match[2]!);
      if (found) send(200, found);
      else send(404, { message: 'Unknown Message', code: 10008 });
    } else if (method === 'GET' && (match = path.match(/^\/api\/v10\/channels\/(\d+)\/messages$/))) {
      const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 50));
      const before = url.searchParams.get('before');
      const all = [...(this.channelMessages.get(match[1]!) ?? [])].reverse();
      const from = before ? all.findIndex((m) => BigInt(m.id) < BigInt(before)) : 0;
      send(200, from < 0 ? [] : all.slice(from, from + limit));
    } else if (method === 'GET' && (match = path.match(/^\/api\/v10\/channels\/(\d+)$/))) {
      const id = match[1]!;
      if (this.threads.has(id)) send(200, this.threads.get(id));
      else if (id === this.channelId) send(200, { ...this.textChannel(), guild_id: this.guildId });
      else send(404, { message: 'Unknown Channel', code: 10003 });
    } else if (method === 'PUT' && /^\/api\/v10\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      const list = Array.isArray(body) ? (body as Array<Record<string, unknown>>) : [];
      send(200, list.map((command) => ({ ...command, id: snowflake(), application_id: this.applicationId, version: snowflake() })));
    } else {
      send(404, { message: `Unknown route ${method} ${path} (fake Discord)`, code: 0 });
    }
  }

  /** The rule (if any) that answers this request 429, counting it. */
  private rateLimitFor(method: string, path: string, botToken: boolean): RateLimitRule | undefined {
    for (const rule of this.rateLimits) {
      if (rule.remaining <= 0 || !rule.match(method, path) || (rule.global && !botToken)) continue;
      if (rule.fraction !== undefined) {
        rule.seen += 1;
        if (Math.floor(rule.seen * rule.fraction) === Math.floor((rule.seen - 1) * rule.fraction)) continue;
      }
      rule.remaining -= 1;
      return rule;
    }
    return undefined;
  }

  /** Adds or replaces a message in its channel's history. */
  private store(message: any): void {
    const list = this.channelMessages.get(message.channel_id) ?? [];
    const at = list.findIndex((m) => m.id === message.id);
    if (at >= 0) list[at] = message;
    else list.push(message);
    this.channelMessages.set(message.channel_id, list);
  }

  private findMessage(channelId: string, messageId: string): any {
    return this.channelMessages.get(channelId)?.find((m) => m.id === messageId);
  }

  /** Messages of a channel or thread, oldest first. */
  messagesIn(channelId: string): any[] {
    return [...(this.channelMessages.get(channelId) ?? [])];
  }

  private textChannel(): any {
    return { id: this.channelId, type: 0, name: 'general', position: 0, permission_overwrites: [] };
  }

  private thread(id: string, parentId: string, ownerId: string, name: string): any {
    const thread = {
      id,
      type: 11,
      guild_id: this.guildId,
      parent_id: parentId,
      owner_id: ownerId,
      name: name || 'thread',
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
      message_count: 0,
      member_count: 1,
      thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
    };
    this.threads.set(id, thread);
    return thread;
  }

  /** A thread someone else started (from a message of theirs), announced with THREAD_CREATE. */
  foreignThread(name = 'not the bot’s thread'): string {
    const starter = this.userMessage('starting a thread', { dispatch: false });
    const thread = this.thread(starter, this.channelId, snowflake(), name);
    this.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
    return thread.id;
  }

  private message(body: Record<string, unknown>, previous: any, channelId?: string): any {
    const now = new Date().toISOString();
    return {
      id: previous?.id ?? snowflake(),
      type: 20,
      channel_id: previous?.channel_id ?? channelId ?? this.channelId,
      guild_id: this.guildId,
      author: { id: this.botUserId, username: 'citebot', discriminator: '0', global_name: null, avatar: null, bot: true },
      content: body.content ?? previous?.content ?? '',
      embeds: body.embeds ?? previous?.embeds ?? [],
      components: body.components ?? previous?.components ?? [],
      attachments: attachmentsOf(body, previous),
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: previous?.timestamp ?? now,
      edited_timestamp: previous ? now : null,
      flags: body.flags ?? previous?.flags ?? 0,
      application_id: this.applicationId,
      webhook_id: this.applicationId,
    };
  }

  // ---- Gateway ----------------------------------------------------------------------------------------------

  private onConnection(socket: WebSocket): void {
    this.gateway.connections += 1;
    const connection: Connection = { id: this.gateway.connections, socket, seq: 0, shard: undefined };
    this.connections.add(connection);
    this.latest = connection;
    socket.on('close', () => this.connections.delete(connection));
    socket.on('message', (data) => this.onFrame(connection, JSON.parse(String(data))));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs }, s: null, t: null }));
  }

  /** The open connection that identified as `shard`, or the latest connection when no shard is named. */
  private connectionFor(shard: number | undefined): Connection {
    if (shard === undefined) {
      if (!this.latest) throw new Error('No gateway connection');
      return this.latest;
    }
    // The newest match: a respawned shard replaces its dead predecessor.
    const found = [...this.connections].reverse().find((c) => c.shard?.[0] === shard);
    if (!found) throw new Error(`No gateway connection identified as shard ${shard}`);
    return found;
  }

  private dispatch(t: string, d: unknown, connection = this.latest): void {
    if (!connection) throw new Error('No gateway connection');
    connection.seq += 1;
    connection.socket.send(JSON.stringify({ op: 0, t, s: connection.seq, d }));
  }

  private onFrame(connection: Connection, frame: { op: number; d: any }): void {
    const { socket } = connection;
    switch (frame.op) {
      case 1:
        this.gateway.heartbeats += 1;
        socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
        break;
      case 2: {
        this.gateway.identifies += 1;
        const shard = Array.isArray(frame.d?.shard) ? ([Number(frame.d.shard[0]), Number(frame.d.shard[1])] as [number, number]) : undefined;
        connection.shard = shard;
        connection.seq = 0;
        this.identified.push({ connection: connection.id, shard, intents: Number(frame.d?.intents ?? 0) });
        this.intents = Number(frame.d?.intents ?? 0);
        this.sessionId = randomBytes(16).toString('hex');
        this.dispatch(
          'READY',
          {
            v: 10,
            user: { id: this.botUserId, username: 'citebot', discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 },
            guilds: [{ id: this.guildId, unavailable: true }],
            session_id: this.sessionId,
            resume_gateway_url: this.gatewayUrl,
            shard: shard ?? [0, 1],
            application: { id: this.applicationId, flags: 0 },
          },
          connection,
        );
        // Every shard gets the one test guild (Discord would route it to shard (guild_id >> 22) % num_shards):
        // the bot does not depend on which shard caches a guild, and tests pick the shard per interaction.
        this.dispatch('GUILD_CREATE', this.guild(), connection);
        break;
      }
      case 6:
        this.gateway.resumes += 1;
        // Sequence numbers go on from the client's last one, as after a real RESUME.
        connection.seq = Number(frame.d?.seq ?? 0);
        this.dispatch('RESUMED', {}, connection);
        break;
      default:
        break;
    }
    this.notify();
  }

  private guild(): unknown {
    return {
      id: this.guildId,
      name: 'Test Guild',
      icon: null,
      owner_id: snowflake(),
      unavailable: false,
      joined_at: new Date().toISOString(),
      large: false,
      member_count: 2,
      features: [],
      roles: [{ id: this.guildId, name: '@everyone', permissions: MEMBER_PERMISSIONS, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
      channels: [{ id: this.channelId, type: 0, name: 'general', position: 0, permission_overwrites: [] }],
      members: [],
      threads: [...this.threads.values()],
      emojis: [],
      stickers: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      premium_tier: 0,
      preferred_locale: 'en-US',
    };
  }

  /** Resolves once the gateway has seen at least `count` IDENTIFY (or RESUME) frames. */
  waitForGateway(kind: 'identifies' | 'resumes', count: number, timeoutMs = 10_000): Promise<true> {
    return this.waitFor(() => (this.gateway[kind] >= count ? true : undefined), timeoutMs, `${count} ${kind}`);
  }

  /** Closes the bot's socket; 4000 (unknown error) makes discord.js RESUME, 1000 makes it IDENTIFY again. */
  closeGateway(code = 4000): void {
    this.latest?.socket.close(code, 'closed by the fake for a test');
    this.latest = undefined;
  }

  // ---- Interactions -----------------------------------------------------------------------------------------

  private sendInteraction(type: number, extra: Record<string, unknown>, options: InteractionOptions): SentInteraction {
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb24${randomBytes(24).toString('base64url')}`;
    const user = options.user ?? { id: snowflake(), username: 'tester' };
    const connection = this.connectionFor(options.shard);
    const channelId = options.channelId ?? this.channelId;
    this.tokenChannel.set(token, channelId);
    this.dispatch('INTERACTION_CREATE', {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      guild_id: options.guildId ?? this.guildId,
      channel_id: channelId,
      channel: this.threads.get(channelId) ?? { id: this.channelId, type: 0, guild_id: this.guildId, name: 'general' },
      member: {
        user: { id: user.id, username: user.username, discriminator: '0', global_name: user.username, avatar: null },
        roles: [],
        permissions: options.permissions ?? MEMBER_PERMISSIONS,
        joined_at: new Date().toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
      },
      locale: 'en-US',
      guild_locale: 'en-US',
      app_permissions: ADMIN_PERMISSIONS,
      entitlements: [],
      authorizing_integration_owners: { '0': this.guildId },
      context: 0,
      ...extra,
    }, connection);
    const sent = { id, token, sentAt: performance.now() };
    this.sent.push(sent);
    return sent;
  }

  slash(name: string, options: CommandOption[] = [], as: InteractionOptions = {}): SentInteraction {
    return this.sendInteraction(2, { data: { id: snowflake(), name, type: 1, guild_id: this.guildId, options, ...(as.resolved ? { resolved: as.resolved } : {}) } }, as);
  }

  autocomplete(name: string, options: CommandOption[], as: InteractionOptions = {}): SentInteraction {
    return this.sendInteraction(4, { data: { id: snowflake(), name, type: 1, guild_id: this.guildId, options } }, as);
  }

  /**
   * A message context-menu command ("Apps" on a message): `data.type` 3, the message in `data.resolved.messages`,
   * as Discord sends it. The message is written by `author` with `content`, `attachments` and link-preview `embeds`.
   */
  messageCommand(
    name: string,
    message: { content: string; attachments?: unknown[]; embeds?: unknown[]; author?: FakeUser },
    as: InteractionOptions = {},
  ): SentInteraction {
    const author = message.author ?? { id: snowflake(), username: 'sharer' };
    const target = {
      id: snowflake(),
      channel_id: as.channelId ?? this.channelId,
      author: { id: author.id, username: author.username, discriminator: '0', global_name: author.username, avatar: null },
      content: message.content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: message.attachments ?? [],
      embeds: message.embeds ?? [],
      components: [],
      pinned: false,
      flags: 0,
      type: 0,
    };
    return this.sendInteraction(2, { data: { id: snowflake(), name, type: 3, guild_id: as.guildId ?? this.guildId, target_id: target.id, resolved: { messages: { [target.id]: target } } } }, as);
  }

  /** A click on a button of `message` (e.g. originalMessage(...) of an earlier interaction). */
  button(customId: string, message: any, as: InteractionOptions = {}): SentInteraction {
    return this.sendInteraction(3, { data: { custom_id: customId, component_type: 2 }, message: message ?? this.message({}, undefined) }, as);
  }

  // ---- Messages ---------------------------------------------------------------------------------------------

  /**
   * A user writes a message (MESSAGE_CREATE). As on Discord, it reaches the bot only with GUILD_MESSAGES, and its
   * content arrives empty without MESSAGE_CONTENT unless it mentions the bot. Returns the message id.
   */
  userMessage(content: string, options: UserMessageOptions & { dispatch?: boolean } = {}): string {
    const user = options.user ?? { id: snowflake(), username: 'asker' };
    const channelId = options.channelId ?? this.channelId;
    const text = options.mention ? `<@${this.botUserId}> ${content}` : content;
    const referenced = options.replyTo ? (this.findMessage(channelId, options.replyTo) ?? null) : null;
    const message = {
      id: snowflake(),
      channel_id: channelId,
      guild_id: this.guildId,
      author: { id: user.id, username: user.username, discriminator: '0', global_name: user.username, avatar: null, ...(user.bot ? { bot: true } : {}) },
      member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
      content: text,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: options.mention ? [{ id: this.botUserId, username: 'citebot', discriminator: '0', global_name: null, avatar: null, bot: true }] : [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
      type: options.type ?? (options.replyTo ? 19 : 0),
      ...(options.replyTo ? { message_reference: { type: 0, message_id: options.replyTo, channel_id: channelId, guild_id: this.guildId }, referenced_message: referenced } : {}),
    };
    this.store(message);
    if (options.dispatch !== false) this.dispatchMessage(message);
    return message.id;
  }

  private dispatchMessage(message: any): void {
    if (!this.latest || !(this.intents & GUILD_MESSAGES_INTENT)) return;
    const readable = (this.intents & MESSAGE_CONTENT_INTENT) !== 0 || message.author.id === this.botUserId || message.mentions.some((u: { id: string }) => u.id === this.botUserId);
    this.dispatch('MESSAGE_CREATE', readable ? message : { ...message, content: '', embeds: [], attachments: [], components: [] });
  }

  /** The bot's reply messages (POST /channels/{id}/messages) in a channel or thread, in order. */
  botMessagesIn(channelId: string): any[] {
    return this.messagesIn(channelId).filter((m) => m.author.id === this.botUserId);
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

/** A file uploaded with a message, as the fake received it. */
export interface UploadedFile {
  /** Form field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/**
 * Discord's upload format: `payload_json` (the message) plus one part per file (`files[n]`). The body becomes
 * the message JSON with the files under `files`, so tests read uploads like any other field.
 */
async function parseMultipart(bytes: Buffer, contentType: string): Promise<Record<string, unknown>> {
  const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
  const payload = form.get('payload_json');
  const body: Record<string, unknown> = typeof payload === 'string' ? (JSON.parse(payload) as Record<string, unknown>) : {};
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') continue;
    files.push({ field, filename: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
  }
  body.files = files;
  return body;
}

/** Attachments of a created or edited message: uploaded files, or the ones an edit keeps. */
function attachmentsOf(body: Record<string, unknown>, previous: any): unknown[] {
  const files = (body.files as UploadedFile[] | undefined) ?? [];
  if (files.length === 0) return (body.attachments as unknown[] | undefined) ?? previous?.attachments ?? [];
  return files.map((file, i) => ({
    id: snowflake(),
    filename: file.filename,
    size: file.data.length,
    content_type: file.contentType,
    url: `https://cdn.discordapp.com/attachments/0/${i}/${file.filename}`,
    proxy_url: `https://media.discordapp.net/attachments/0/${i}/${file.filename}`,
  }));
}
