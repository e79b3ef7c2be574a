// Button ids: `<command>:<action>:<arg>…`. The command name routes the click back to the module that made the button.
import { LIMITS } from './render/limits.js';

export interface ParsedCustomId {
  command: string;
  action: string;
  args: string[];
}

export function customId(command: string, action: string, ...args: string[]): string {
  const parts = [command, action, ...args];
  if (parts.some((part) => part.includes(':'))) throw new Error(`custom_id parts must not contain ":" (${parts.join('|')})`);
  const id = parts.join(':');
  if (id.length > LIMITS.customId) throw new Error(`custom_id longer than ${LIMITS.customId} characters: ${id}`);
  return id;
}

export function parseCustomId(id: string): ParsedCustomId | null {
  const [command, action, ...args] = id.split(':');
  if (!command || !action) return null;
  return { command, action, args };
}
