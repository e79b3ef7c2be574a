// Registers the slash commands with Discord (PUT replaces the whole set, so removed commands disappear too).
import { REST, Routes } from 'discord.js';
import type { Config } from '../config.js';
import { commandDefinitions } from './commands/index.js';

export interface DeployResult {
  scope: 'guild' | 'global';
  guildId?: string;
  names: string[];
}

export class DeployConfigError extends Error {
  constructor(readonly missing: string[]) {
    super(`Missing ${missing.join(' and ')}: set ${missing.length > 1 ? 'them' : 'it'} in .env or the environment (Discord developer portal → your application).`);
    this.name = 'DeployConfigError';
  }
}

export async function deployCommands(config: Config, options: { guildId?: string | undefined } = {}): Promise<DeployResult> {
  const { token, clientId } = config.discord;
  const missing = [!token && 'DISCORD_TOKEN', !clientId && 'DISCORD_CLIENT_ID'].filter((m): m is string => typeof m === 'string');
  if (!token || !clientId) throw new DeployConfigError(missing);
  const guildId = options.guildId ?? config.discord.guildId;
  const rest = new REST({ api: config.discord.apiBase }).setToken(token);
  const route = guildId ? Routes.applicationGuildCommands(clientId, guildId) : Routes.applicationCommands(clientId);
  const registered = (await rest.put(route, { body: commandDefinitions() })) as Array<{ name: string }>;
  return { scope: guildId ? 'guild' : 'global', ...(guildId ? { guildId } : {}), names: registered.map((c) => c.name) };
}
