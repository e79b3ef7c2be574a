// `npm run start:sharded` end to end: the launcher runs two real shard processes (a bundled src/cli/start.ts)
// against the fake Discord on loopback, sharing one index built beforehand.
import { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder, defaultWordVectorsDir } from '../../src/app/embedders.js';
import { loadConfig, type Config } from '../../src/config.js';
import { runLocalIndex } from '../../src/stores/local/indexer.js';
import { createShardLauncher, type ShardLauncher } from '../../src/discord/shards.js';
import { createLogger } from '../../src/logging.js';
import { FakeDiscord, STRING, type RestCall, type SentInteraction } from '../fakes/discord-server.js';
import { captureLogger, nodeCommandFor, PROJECT_ROOT, removeDir, seedCorpusCopy, tempDir } from '../helpers.js';

const TOKEN = `sharded-test-token.${Math.random().toString(36).slice(2)}`;
// ShardingManager writes these into the launcher's own process.env; put them back afterwards.
const MANAGER_ENV = ['SHARDING_MANAGER', 'SHARDING_MANAGER_MODE', 'DISCORD_TOKEN'] as const;
const savedEnv = Object.fromEntries(MANAGER_ENV.map((key) => [key, process.env[key]]));

let fake: FakeDiscord;
let corpusDir: string;
let dir: string;
let config: Config;
let launcher: ShardLauncher;
let cleanupBundle: () => void = () => {};
/** Launcher log lines (unmasked: the launcher itself must not log the token) and the shards' stderr. */
const launcherLogs: string[] = [];
const shardOutput: string[] = [];
const children: Array<{ shardId: number; child: ChildProcess }> = [];

beforeAll(async () => {
  fake = await FakeDiscord.start({ recommendedShards: 2 });
  corpusDir = seedCorpusCopy();
  dir = tempDir('sharded-');
  // Everything a shard reads, explicitly: loopback Discord, the temporary corpus/index, no LLM, no watcher.
  const env: Record<string, string> = {
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_BASE: fake.apiBase,
    DISCORD_CLIENT_ID: '',
    DISCORD_GUILD_ID: '',
    CORPUS_DIR: corpusDir,
    INDEX_DIR: join(dir, 'index'),
    EMBEDDINGS: 'local',
    // The default local store: every shard loads the index built below (not a DATABASE_URL from the environment).
    STORE: 'local',
    DATABASE_URL: '',
    // A bundled entry cannot find the project root from its own location; name the vectors explicitly.
    WORD_VECTORS_DIR: defaultWordVectorsDir(),
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    WATCH_CORPUS: 'false',
    ENTITIES_FILE: join(PROJECT_ROOT, 'data', 'entities.json'),
    FEEDBACK_FILE: join(dir, 'feedback.jsonl'),
    LOG_LEVEL: 'info',
  };
  config = loadConfig({}, env, { dotenvPath: false });

  // Bundle the shard entry and build the shared index meanwhile: the shards then only load it.
  const [command] = await Promise.all([
    nodeCommandFor(join(PROJECT_ROOT, 'src', 'cli', 'start.ts')),
    createEmbedder(config).then((embedder) => runLocalIndex({ corpusDir: config.corpusDir, indexDir: config.indexDir, embedder, logger: captureLogger() })),
  ]);
  cleanupBundle = command.cleanup;

  const logger = createLogger({ level: 'debug' }, { write: (line: string) => launcherLogs.push(line) });
  launcher = await createShardLauncher({
    config,
    logger,
    // The bundle (or, without esbuild, `--import tsx start.ts`): the last argument is the script, the rest Node flags.
    entry: command.args.at(-1)!,
    execArgv: command.args.slice(0, -1),
    totalShards: 'auto',
    env,
    spawnDelayMs: 0,
    readyTimeoutMs: 20_000,
    stopGraceMs: 5000,
    silent: true,
  });
  launcher.manager.on('shardCreate', (shard) => {
    shard.on('spawn', (child) => {
      if (!(child instanceof ChildProcess)) return;
      children.push({ shardId: shard.id, child });
      child.stdout?.on('data', (chunk: Buffer) => shardOutput.push(chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => shardOutput.push(chunk.toString('utf8')));
    });
  });
  await launcher.spawn();
});

afterAll(async () => {
  await launcher?.stop();
  await fake?.stop();
  cleanupBundle();
  removeDir(corpusDir);
  removeDir(dir);
  for (const key of MANAGER_ENV) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

function replies(sent: SentInteraction, predicate: (call: RestCall) => boolean): Promise<RestCall> {
  return fake.waitForCall((call) => call.path.includes(`/${sent.token}`) && call.status < 300 && predicate(call), 8000);
}

const isCallback = (call: RestCall) => call.method === 'POST' && call.path.endsWith('/callback');
const isEdit = (call: RestCall) => call.method === 'PATCH' && call.path.endsWith('/messages/@original');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run start:sharded against a fake Discord', () => {
  it("takes the shard count from the configured API base's GET /gateway/bot and identifies as [0,2] and [1,2]", () => {
    // 2 is what the fake recommends: the launcher asked DISCORD_API_BASE (discord.com would have failed here).
    expect(launcher.totalShards).toBe(2);
    expect(fake.calls.some((c) => c.method === 'GET' && c.path === '/api/v10/gateway/bot')).toBe(true);
    const shards = fake.identified.map((identify) => identify.shard);
    expect(shards).toHaveLength(2);
    expect(shards).toEqual(expect.arrayContaining([[0, 2], [1, 2]]));
    expect(new Set(fake.identified.map((identify) => identify.connection)).size).toBe(2);
    expect(children.map((c) => c.shardId).sort()).toEqual([0, 1]);
    expect(children[0]!.child.pid).not.toBe(children[1]!.child.pid);
  });

  it('each shard answers an interaction sent on its own gateway connection, from the shared index', async () => {
    for (const shard of [0, 1]) {
      const sent = fake.slash('ask', [{ name: 'question', type: STRING, value: 'Where did Japanese and South Korean leaders meet?' }], { shard });
      const defer = await replies(sent, isCallback);
      expect(defer.body).toMatchObject({ type: 5 });
      const edit = await replies(sent, isEdit);
      const [embed] = edit.body.embeds;
      // The Tokyo meeting, cited as [1] to the page that reports it (000_…, published 2025-08-23).
      expect(embed.description).toMatch(/met in Tokyo[^[]*\[1\]/);
      const sources: string = embed.fields.find((f: { name: string }) => f.name === 'Sources').value;
      expect(sources.split('\n')[0]).toMatch(/^\*\*\[1\]\*\* .* · 2025-08-23 · `000_66bda952950de0d6\.txt`$/);
    }
    const help = fake.slash('help', [], { shard: 1 });
    expect((await replies(help, isEdit)).body.embeds.length).toBeGreaterThan(0);
  });

  it('logs the shard lifecycle without the token', () => {
    const lines = launcherLogs.map((line) => JSON.parse(line) as { msg: string; shardId?: number });
    for (const shardId of [0, 1]) {
      expect(lines.some((l) => l.msg === 'shard process spawned' && l.shardId === shardId)).toBe(true);
      expect(lines.some((l) => l.msg === 'shard ready' && l.shardId === shardId)).toBe(true);
    }
    expect(shardOutput.join('')).toContain('discord bot ready');
    for (const text of [...launcherLogs, ...shardOutput]) expect(text).not.toContain(TOKEN);
  });

  it('stop() ends every shard process gracefully and respawns none', async () => {
    const running = children.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    expect(running.map((c) => c.shardId).sort()).toEqual([0, 1]);
    await launcher.stop();
    for (const { child } of running) {
      // 0: the shard ran its own graceful stop on SIGTERM (no SIGKILL was needed).
      expect(child.exitCode).toBe(0);
      expect(isRunning(child.pid!)).toBe(false);
    }
    expect(launcher.manager.shards.every((shard) => shard.process === null)).toBe(true);
    expect(launcherLogs.some((line) => line.includes('all shards stopped'))).toBe(true);
    expect(children).toHaveLength(2);
    expect(fake.identified).toHaveLength(2);
  });
});
