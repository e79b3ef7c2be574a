// The one explicit list of commands: the router and the deploy script both read it.
import type { RESTPostAPIChatInputApplicationCommandsJSONBody, RESTPostAPIContextMenuApplicationCommandsJSONBody } from 'discord.js';
import type { MessageCommand, SlashCommand } from '../types.js';
import * as add from './add.js';
import * as addToCorpus from './add-to-corpus.js';
import * as ask from './ask.js';
import * as help from './help.js';
import * as reindex from './reindex.js';
import * as remove from './remove.js';
import * as report from './report.js';
import * as sources from './sources.js';
import * as timeline from './timeline.js';

export const commands: readonly SlashCommand[] = [ask, timeline, sources, add, remove, reindex, report, help];

/** Message context-menu commands (right-click a message → Apps). */
export const messageCommands: readonly MessageCommand[] = [addToCorpus];

/** The registration payload for `PUT /applications/{id}/commands`: slash commands, then context-menu commands. */
export function commandDefinitions(
  list: readonly SlashCommand[] = commands,
  menus: readonly MessageCommand[] = messageCommands,
): Array<RESTPostAPIChatInputApplicationCommandsJSONBody | RESTPostAPIContextMenuApplicationCommandsJSONBody> {
  return [...list.map((command) => command.data.toJSON()), ...menus.map((command) => command.data.toJSON())];
}
