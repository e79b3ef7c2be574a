// The plain-data shape every renderer returns; commands add `allowedMentions` and flags when sending.
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord.js';

export type ButtonRow = APIActionRowComponent<APIButtonComponent>;

export interface RenderedMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
}

export const COLORS = {
  answer: 0x2b8a3e,
  refusal: 0xe67700,
  info: 0x1971c2,
  quotes: 0x868e96,
} as const;
