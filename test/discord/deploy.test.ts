// The deploy script registers the same command list as the router, against the fake REST API.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { deployCommands, DeployConfigError } from '../../src/discord/deploy.js';
import { FakeDiscord } from '../fakes/discord-server.js';
import { REPO_ROOT } from './harness.js';

const run = promisify(execFile);
let fake: FakeDiscord;
let cwd: string;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  cwd = await mkdtemp(join(tmpdir(), 'deploy-')); // no .env here
});

afterAll(async () => {
  await fake?.stop();
  await rm(cwd, { recursive: true, force: true });
});

function env(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DISCORD_API_BASE: fake.apiBase, ...extra };
}

async function script(args: string[], extra: Record<string, string>) {
  const tsx = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  try {
    const { stdout, stderr } = await run(tsx, [join(REPO_ROOT, 'scripts', 'deploy-commands.ts'), ...args], { cwd, env: env(extra) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('deploy-commands', () => {
  it('registers globally, or in one guild when asked', async () => {
    const config = loadConfig({}, env({ DISCORD_TOKEN: 'tok', DISCORD_CLIENT_ID: fake.applicationId }), { dotenvPath: false });
    const global = await deployCommands(config);
    expect(global).toEqual({ scope: 'global', names: ['ask', 'timeline', 'sources', 'add', 'remove', 'reindex', 'report', 'help', 'Add to corpus'] });
    const guild = await deployCommands(config, { guildId: fake.guildId });
    expect(guild.scope).toBe('guild');
    const puts = fake.calls.filter((c) => c.method === 'PUT');
    expect(puts.map((c) => c.path)).toEqual([
      `/api/v10/applications/${fake.applicationId}/commands`,
      `/api/v10/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`,
    ]);
    expect(puts[0]!.body.find((c: { name: string }) => c.name === 'reindex').default_member_permissions).toBe('8');
  });

  it('explains what is missing', async () => {
    const config = loadConfig({}, env({ DISCORD_TOKEN: 'tok' }), { dotenvPath: false });
    await expect(deployCommands(config)).rejects.toThrow(DeployConfigError);
    await expect(deployCommands(config)).rejects.toThrow(/DISCORD_CLIENT_ID/);
  });

  it('the script: --guild registers there; missing settings or a REST failure exit non-zero', async () => {
    const ok = await script(['--guild', fake.guildId], { DISCORD_TOKEN: 'secret-token-123', DISCORD_CLIENT_ID: fake.applicationId });
    expect(ok.stdout).toMatch(new RegExp(`Registered 9 commands in guild ${fake.guildId}: /ask, .*, /help, “Add to corpus”`));
    expect(ok.code).toBe(0);

    const missing = await script([], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Missing DISCORD_TOKEN and DISCORD_CLIENT_ID/);

    const failed = await script([], { DISCORD_TOKEN: 'secret-token-123', DISCORD_CLIENT_ID: 'not-a-snowflake' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Registering commands failed/);
    expect(failed.stderr).not.toContain('secret-token-123');
  }, 30_000);
});
