// Composition: picks the embedder the configuration asks for. The only place that knows both providers.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { SifEmbedder } from '../core/embed/sif-embedder.js';
import { loadWordVectors } from '../core/embed/word-vectors.js';
import type { Embedder } from '../core/types.js';
import { createOpenAIEmbedder } from '../providers/openai.js';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function defaultWordVectorsDir(): string {
  return join(projectRoot, 'node_modules', '.cache', 'word-vectors', 'glove-100d');
}

export function createLocalEmbedder(config: Pick<Config, 'wordVectorsDir'>): SifEmbedder {
  return new SifEmbedder(loadWordVectors(config.wordVectorsDir ?? defaultWordVectorsDir()));
}

export async function createEmbedder(config: Config): Promise<Embedder> {
  if (config.embeddings === 'openai') return createOpenAIEmbedder(config.openai);
  return createLocalEmbedder(config);
}
