// Discord's message limits (see shared/notes/discord-offline.md). Renderers measure against these, never guess.
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fieldsPerEmbed: 25,
  footer: 2048,
  /** All embeds of one message together. */
  embedsTotal: 6000,
  embedsPerMessage: 10,
  buttonsPerRow: 5,
  rowsPerMessage: 5,
  customId: 100,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** Sent with every message: text quoted from documents or questions must never ping anyone. */
export const NO_MENTIONS = { parse: [] as never[] } as const;
