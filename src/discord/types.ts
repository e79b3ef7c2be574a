// What a command module exports and what every handler receives. Dependencies come in as parameters.
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Message,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotServices } from '../commands/types.js';
import type { Config } from '../config.js';
import type { Answer, Timeline } from '../core/types.js';
import type { AppLogger } from '../logging.js';
import type { ConversationStore } from '../commands/conversation-store.js';
import type { ConversationTurn } from '../core/conversation/history.js';
import type { Cooldowns } from './cooldown.js';
import type { FeedbackLog } from './feedback.js';
import type { RecentStore } from './recent-store.js';

export interface StoredAnswer {
  answer: Answer;
  /** The question as typed, and as read (standalone) when it was a follow-up. */
  question: string;
  standalone: string;
  /** Each user's latest vote, so a vote counts once per user. */
  votes: Map<string, 'up' | 'down'>;
  /** Users who already pressed "Wrong citation?", so one click counts once. */
  reportedBy: Set<string>;
}

export interface CommandContext {
  services: BotServices;
  config: Config;
  logger: AppLogger;
  answers: RecentStore<StoredAnswer>;
  timelines: RecentStore<Timeline>;
  cooldowns: Cooldowns;
  feedback: FeedbackLog;
  /** Follow-up histories by thread id and by the bot's answer message id. */
  conversations: ConversationStore;
  /** Opens threads from answers after the answer, skipping them under load or rate limits. */
  threads: ThreadRequester;
}

export type ThreadSkipReason = 'rate-limited' | 'backlog' | 'budget' | 'busy' | 'invalid-requests';

export interface ThreadRequest {
  answer: Message;
  question: string;
  /** The conversation so far; the thread continues it (a thread has its starter message's id). */
  turns: readonly ConversationTurn[];
  /**
   * Tells the asker how to follow up when the thread failed (permission, channel type). Not sent when the thread is
   * skipped for load: a message per skipped answer would add requests exactly when Discord asks for fewer (an answer
   * rendered while threads are already being skipped says it in its footer instead, see wouldSkip()).
   */
  note?: (text: string) => Promise<unknown>;
}

/** Threads from answers, opened after the answer (ThreadOpener); the interface keeps this module free of it. */
export interface ThreadRequester {
  /** Whether a thread asked for now in this channel would be skipped (to say so in the answer itself). */
  wouldSkip(channelId: string): ThreadSkipReason | null;
  /** Queues a thread for the answer; returns at once. */
  request(request: ThreadRequest): 'queued' | ThreadSkipReason;
}

export type ButtonHandler = (interaction: ButtonInteraction, args: string[], context: CommandContext) => Promise<void>;

export interface SlashCommand {
  /** The definition; its name is the only place the command's name is written. */
  data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: CommandContext): Promise<void>;
  /** Handlers for buttons whose custom_id starts with `<name>:<action>:`. */
  buttons?: Readonly<Record<string, ButtonHandler>>;
}

/** A message context-menu command (right-click a message → Apps). */
export interface MessageCommand {
  data: { readonly name: string; toJSON(): RESTPostAPIContextMenuApplicationCommandsJSONBody };
  execute(interaction: MessageContextMenuCommandInteraction, context: CommandContext): Promise<void>;
}
