// placeholder replaced below
import type { Services } from '../commands/services.js';
import type { Config } from '../config.js';
import type { QaItem } from './qa.js';
export interface ScriptedModelReport {
  answerable: number;
  unanswerable: number;
  answerSentenceShown: number | null;
  oracle: { kept: number | null; refused: number | null };
  paraphraser: { kept: number | null };
  fabricator: { blocked: number | null };
}
export async function runScriptedModels(_services: Services, _items: readonly QaItem[], _config: Config): Promise<ScriptedModelReport> {
  return { answerable: 0, unanswerable: 0, answerSentenceShown: null, oracle: { kept: null, refused: null }, paraphraser: { kept: null }, fabricator: { blocked: null } };
}
