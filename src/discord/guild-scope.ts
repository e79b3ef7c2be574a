// DISCORD_GUILD_IDS: one corpus, its own servers. In any other server (or a direct message) the bot answers nothing:
// the corpus and its answers belong to the servers it was set up for. It says why once per server — a private note
// to the first person who uses a command there — and logs it once, so an invite to a stranger's server is noticed
// without the bot talking there.
import { MessageFlags, type Interaction } from 'discord.js';
import type { Logger } from '../core/types.js';
import { NO_MENTIONS } from './render/limits.js';

export const NOT_SERVED_MESSAGE = 'This bot answers only in the servers it was set up for, so it does nothing here. Ask its owner if you expected it to work in this server.';

export class GuildScope {
  private readonly served: ReadonlySet<string>;
  private readonly told = new Set<string>();

  constructor(
    guildIds: readonly string[],
    private readonly logger: Logger,
  ) {
    this.served = new Set(guildIds);
  }

  /** Every server (no list configured), or one of the listed ones. Direct messages are no server: not served. */
  serves(guildId: string | null): boolean {
    return this.served.size === 0 || (guildId !== null && this.served.has(guildId));
  }

  /** True the first time a place is met (then the caller says why, once). Bounded: a flood of servers cannot grow it. */
  private firstTime(place: string): boolean {
    if (this.told.has(place)) return false;
    if (this.told.size >= 10_000) return false;
    this.told.add(place);
    return true;
  }

  /** Logs once per server the bot finds itself in without serving it. */
  noteGuilds(guildIds: Iterable<string>): void {
    for (const guildId of guildIds) {
      if (this.serves(guildId) || this.told.has(`log:${guildId}`)) continue;
      this.told.add(`log:${guildId}`);
      this.logger.warn({ guildId }, 'in a server it does not serve (DISCORD_GUILD_IDS): it will answer nothing there');
    }
  }

  /** Answers an interaction from a place not served: the first one there gets the reason; the rest, nothing. */
  async refuse(interaction: Interaction): Promise<void> {
    const place = interaction.guildId ?? `dm:${interaction.user.id}`;
    this.noteGuilds(interaction.guildId ? [interaction.guildId] : []);
    if (!interaction.isRepliable() || !this.firstTime(place)) return;
    this.logger.info({ guildId: interaction.guildId, userId: interaction.user.id }, 'refused: not a served server');
    await interaction.reply({ content: NOT_SERVED_MESSAGE, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  }
}
