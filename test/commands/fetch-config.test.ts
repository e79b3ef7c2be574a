// The settings of adding by link and of DISCORD_GUILD_IDS: validated at start-up, with the variable's name.
import { describe, expect, it } from 'vitest';
import { FETCH_USER_AGENT, loadConfig } from '../../src/config.js';

const load = (env: Record<string, string>) => () => loadConfig({}, env, { dotenvPath: false });

describe('configuration of links and servers', () => {
  it('defaults: ports 80 and 443, 20 s, 30 s cooldown, no allowed origins, every server, a User-Agent naming the bot', () => {
    const config = loadConfig({}, {}, { dotenvPath: false });
    expect(config.fetch).toEqual({ allowOrigins: [], ports: [80, 443], timeoutMs: 20_000, cooldownSeconds: 30, userAgent: FETCH_USER_AGENT });
    expect(config.discord.guildIds).toEqual([]);
    expect(FETCH_USER_AGENT).toMatch(/^corpus-citation-bot\//);
  });

  it('reads comma-separated lists and refuses what is not an origin, a port or a server id', () => {
    const config = loadConfig({}, { FETCH_ALLOW_ORIGINS: 'http://127.0.0.1:8082, http://localhost:9000/', FETCH_PORTS: '80,443,8443', DISCORD_GUILD_IDS: '123456789012345678, 223456789012345678' }, { dotenvPath: false });
    expect(config.fetch.allowOrigins).toEqual(['http://127.0.0.1:8082', 'http://localhost:9000']);
    expect(config.fetch.ports).toEqual([80, 443, 8443]);
    expect(config.discord.guildIds).toEqual(['123456789012345678', '223456789012345678']);
    expect(load({ FETCH_ALLOW_ORIGINS: 'http://127.0.0.1:8082/path' })).toThrow(/FETCH_ALLOW_ORIGINS: .* is not an origin/);
    expect(load({ FETCH_ALLOW_ORIGINS: 'file:///etc' })).toThrow(/FETCH_ALLOW_ORIGINS/);
    expect(load({ FETCH_ALLOW_ORIGINS: 'http://user:pw@127.0.0.1:1' })).toThrow(/FETCH_ALLOW_ORIGINS/);
    expect(load({ FETCH_PORTS: '80,http' })).toThrow(/FETCH_PORTS: must be port numbers/);
    expect(load({ FETCH_TIMEOUT_SECONDS: '600' })).toThrow(/FETCH_TIMEOUT_SECONDS: must be between 1 and 120/);
    expect(load({ DISCORD_GUILD_IDS: 'my-server' })).toThrow(/DISCORD_GUILD_IDS: "my-server" is not a server id/);
  });
});
