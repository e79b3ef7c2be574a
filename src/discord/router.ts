// Routes interactions to command modules: slash and message context-menu commands by name, buttons by custom_id
// prefix, autocomplete.
// One try/catch: the user gets a short private message, the log gets the details (never a token).
import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import { parseCustomId } from './custom-id.js';
import { errorMessage } from './messages.js';
import { NO_MENTIONS } from './render/limits.js';
import type { CommandContext, MessageCommand, SlashCommand } from './types.js';

export interface Router {
  handle(interaction: Interaction): Promise<void>;
}

// Interaction tokens sit in webhook and callback URLs; they grant 15 minutes of posting as the bot.
const TOKEN_IN_PATH = /\/(interactions|webhooks)\/(\d+)\/[A-Za-z0-9._-]+/g;

export function scrubTokens(text: string): string {
  return text.replace(TOKEN_IN_PATH, '/$1/$2/[token]');
}

/** A loggable summary of an error with interaction tokens removed from URLs, messages and stacks. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrubTokens(String(error)) };
  const extra = error as Error & { code?: unknown; status?: unknown; method?: unknown; url?: unknown };
  return {
    name: error.name,
    message: scrubTokens(error.message),
    ...(extra.code !== undefined ? { code: extra.code } : {}),
    ...(typeof extra.status === 'number' ? { status: extra.status } : {}),
    ...(typeof extra.method === 'string' ? { method: extra.method } : {}),
    ...(typeof extra.url === 'string' ? { url: scrubTokens(extra.url) } : {}),
    ...(error.stack ? { stack: scrubTokens(error.stack) } : {}),
  };
}

function describe(interaction: Interaction): Record<string, unknown> {
  const where = { interactionId: interaction.id, userId: interaction.user.id, guildId: interaction.guildId };
  if (interaction.isChatInputCommand() || interaction.isAutocomplete() || interaction.isMessageContextMenuCommand()) return { ...where, command: interaction.commandName };
  if (interaction.isButton()) return { ...where, customId: interaction.customId };
  return where;
}

async function sendPrivate(interaction: RepliableInteraction, content: string): Promise<void> {
  const payload = { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS } as const;
  if (interaction.deferred || interaction.replied) await interaction.followUp(payload);
  else await interaction.reply(payload);
}

export function createRouter(list: readonly SlashCommand[], context: CommandContext, menus: readonly MessageCommand[] = []): Router {
  const byName = new Map<string, SlashCommand>();
  for (const command of list) {
    if (byName.has(command.data.name)) throw new Error(`Two commands are named "${command.data.name}"`);
    byName.set(command.data.name, command);
  }
  const menuByName = new Map(menus.map((command) => [command.data.name, command]));
  const { logger } = context;

  return {
    async handle(interaction) {
      const where = describe(interaction);
      const started = performance.now();

      if (interaction.isAutocomplete()) {
        try {
          await byName.get(interaction.commandName)?.autocomplete?.(interaction, context);
        } catch (error) {
          logger.warn({ ...where, err: describeError(error) }, 'autocomplete failed');
        }
        return;
      }
      if (!interaction.isChatInputCommand() && !interaction.isButton() && !interaction.isMessageContextMenuCommand()) return;

      try {
        if (interaction.isMessageContextMenuCommand()) {
          const command = menuByName.get(interaction.commandName);
          if (!command) {
            logger.warn(where, 'unknown context-menu command (stale registration?)');
            await sendPrivate(interaction, 'I do not know that command any more. Commands may have been updated; try again shortly.');
            return;
          }
          await command.execute(interaction, context);
        } else if (interaction.isChatInputCommand()) {
          const command = byName.get(interaction.commandName);
          if (!command) {
            logger.warn(where, 'unknown command (stale registration?)');
            await sendPrivate(interaction, 'I do not know that command any more. Commands may have been updated; try again shortly.');
            return;
          }
          await command.execute(interaction, context);
        } else {
          const parsed = parseCustomId(interaction.customId);
          const handler = parsed ? byName.get(parsed.command)?.buttons?.[parsed.action] : undefined;
          if (!parsed || !handler) {
            logger.warn(where, 'unknown button');
            await sendPrivate(interaction, 'That button no longer works. Please run the command again.');
            return;
          }
          await handler(interaction, parsed.args, context);
        }
        logger.debug({ ...where, ms: Math.round(performance.now() - started) }, 'interaction handled');
      } catch (error) {
        logger.error({ ...where, ms: Math.round(performance.now() - started), err: describeError(error) }, 'interaction failed');
        try {
          await sendPrivate(interaction, errorMessage(error));
        } catch (replyError) {
          // Typically the interaction expired (15 min) or was never acknowledged in time: nothing more to do.
          logger.warn({ ...where, err: describeError(replyError) }, 'could not tell the user about the failure');
        }
      }
    },
  };
}
