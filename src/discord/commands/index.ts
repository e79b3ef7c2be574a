// The one explicit list of commands: the router and the deploy script both read it.
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { SlashCommand } from '../types.js';
import * as add from './add.js';
import * as ask from './ask.js';
import * as help from './help.js';
import * as reindex from './reindex.js';
import * as remove from './remove.js';
import * as report from './report.js';
import * as sources from './sources.js';
import * as timeline from './timeline.js';

export const commands: readonly SlashCommand[] = [ask, timeline, sources, add, remove, reindex, report, help];

/** The registration payload for `PUT /applications/{id}/commands`. */
export function commandDefinitions(list: readonly SlashCommand[] = commands): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return list.map((command) => command.data.toJSON());
}
