// Checks shared by several commands; each answers the user itself and returns false when the command must stop.
import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction, type CommandInteraction } from 'discord.js';
import { cooldownMessage } from './messages.js';
import { NO_MENTIONS } from './render/limits.js';
import type { CommandContext } from './types.js';

export async function passCooldown(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<boolean> {
  const msLeft = context.cooldowns.take(`${interaction.commandName}:${interaction.user.id}`);
  if (msLeft === 0) return true;
  await interaction.reply({ content: cooldownMessage(interaction.commandName, msLeft), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  return false;
}

/** Default permissions only hide a command; a server can grant it to anyone, so check again when it runs. */
export async function isAdministrator(interaction: CommandInteraction, context: CommandContext): Promise<boolean> {
  if (interaction.inGuild() && interaction.memberPermissions?.has(PermissionFlagsBits.Administrator)) return true;
  context.logger.warn({ command: interaction.commandName, userId: interaction.user.id, guildId: interaction.guildId }, 'refused: not an administrator');
  await interaction.reply({
    content: `Only server administrators can run ${interaction.isChatInputCommand() ? `\`/${interaction.commandName}\`` : `“${interaction.commandName}”`}.`,
    flags: MessageFlags.Ephemeral,
    allowedMentions: NO_MENTIONS,
  });
  return false;
}

export type Settled<T> = { settled: true; ok: true; value: T } | { settled: true; ok: false; error: unknown } | { settled: false };

/** Waits at most `ms` for `promise`; lets a command answer directly when the work is quick and defer otherwise. */
export async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), ms);
  });
  const outcome = promise.then(
    (value): Settled<T> => ({ settled: true, ok: true, value }),
    (error: unknown): Settled<T> => ({ settled: true, ok: false, error }),
  );
  try {
    return await Promise.race([outcome, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
