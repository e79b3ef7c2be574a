// The query side of one index snapshot: keyword postings, vector search, fusion and diversification.
import type { CorpusView, Retrieval } from '../corpus.js';
import type { Embedder, Passage } from '../types.js';
import type { IndexSnapshot, StoredDocument } from '../index/snapshot.js';
import { vectorRow } from '../index/snapshot.js';
import { cosine } from '../embed/sif-embedder.js';
import { contentTerms } from '../text/tokens.js';
import { termMatch, weightedCoverage } from '../text/overlap.js';
import { Bm25Index } from './bm25.js';
import { CANDIDATES_PER_RANKING, dropOverlapping, FUSION_WEIGHTS, maximalMarginalRelevance, MMR_LAMBDA, reciprocalRankFusion, RRF_K } from './fusion.js';
import { analyzeQuery } from './query.js';

export interface RetrieveOptions {
  k: number;
  /** Only documents published on or after this ISO date. Undated documents are excluded when a range is set. */
  fromDate?: string;
  toDate?: string;
  /** Only these sources (paths relative to the corpus). */
  sources?: readonly string[];
  /** Which rankings to use; 'hybrid' (the default) fuses both. The others exist to measure each side alone. */
  mode?: 'hybrid' | 'keyword' | 'vector';
}

const CANDIDATES = CANDIDATES_PER_RANKING;
/** HNSW search breadth: measured by `npm run bench` for recall@10 against exact search (docs/benchmarks.md). */
export const EF_SEARCH = 300;
const ROW_TERMS_CACHE = 4096;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The embedded store's view: one loaded generation, searched in memory. */
export class KnowledgeBase implements CorpusView {
  readonly bm25: Bm25Index;
  /** Terms of recently scored rows. Kept for a few rows only: a Set per chunk costs hundreds of MB at 100k chunks. */
  private readonly rowTerms = new Map<number, Set<string>>();
  private vocabularySet: Set<string> | null = null;

  constructor(
    readonly snapshot: IndexSnapshot,
    readonly embedder: Embedder,
  ) {
    this.bm25 = new Bm25Index({ count: snapshot.chunks.length, textOf: (row) => this.indexedText(row) });
  }

  get revision(): string {
    return this.snapshot.generation;
  }

  get documentCount(): number {
    return this.snapshot.documents.size;
  }

  get chunkCount(): number {
    return this.snapshot.chunks.length;
  }

  async search(question: string, options: RetrieveOptions): Promise<Retrieval> {
    return { passages: await this.retrieve(question, options), documents: this.snapshot.documents };
  }

  async documents(): Promise<ReadonlyMap<string, StoredDocument>> {
    return this.snapshot.documents;
  }

  async chunkCounts(): Promise<ReadonlyMap<string, number>> {
    const counts = new Map<string, number>();
    for (const chunk of this.snapshot.chunks) counts.set(chunk.source, (counts.get(chunk.source) ?? 0) + 1);
    return counts;
  }

  idf(term: string): number {
    return this.bm25.idf(term);
  }

  /** What row `row` is indexed under: its text plus its document's title and publication month. */
  private indexedText(row: number): string {
    const chunk = this.snapshot.chunks[row];
    const doc = chunk ? this.snapshot.documents.get(chunk.source) : undefined;
    return indexedTextOf(chunk?.text ?? '', doc ?? null);
  }

  /** True when the corpus holds the term or a close derivation of it (shared long prefix). */
  knows(term: string): boolean {
    if (this.bm25.documentFrequency(term) > 0) return true;
    this.vocabularySet ??= new Set(this.bm25.vocabulary());
    return termMatch(term, this.vocabularySet) > 0;
  }

  /** IDF-weighted share of the query's terms present in a row's text (with its title and date). */
  coverage(terms: readonly string[], row: number): number {
    if (!this.snapshot.chunks[row]) return 0;
    let present = this.rowTerms.get(row);
    if (!present) {
      if (this.rowTerms.size >= ROW_TERMS_CACHE) this.rowTerms.clear();
      present = new Set(contentTerms(this.indexedText(row)));
      this.rowTerms.set(row, present);
    }
    return weightedCoverage(terms, present, (term) => this.bm25.idf(term));
  }

  async retrieve(question: string, options: RetrieveOptions): Promise<Passage[]> {
    const { snapshot } = this;
    if (snapshot.chunks.length === 0) return [];
    const query = analyzeQuery(question);
    const accept = this.filterFor(options);

    const mode = options.mode ?? 'hybrid';
    const keywordHits = mode === 'vector' ? [] : this.bm25.search(query.terms, CANDIDATES, accept);
    const vectorHits = mode === 'keyword' ? [] : this.vectorSearch(await this.embedder.embedQuery(question), CANDIDATES, accept);

    const fused = reciprocalRankFusion(
      [
        { rows: keywordHits.map((hit) => hit.row), weight: FUSION_WEIGHTS.keyword },
        { rows: vectorHits.map((hit) => hit.row), weight: FUSION_WEIGHTS.vector },
      ],
      RRF_K,
    );
    const bm25ByRow = new Map(keywordHits.map((hit) => [hit.row, hit.score]));
    const vectorByRow = new Map(vectorHits.map((hit) => [hit.row, hit.similarity]));
    const ranked = [...fused.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .flatMap(([row, score]) => {
        const chunk = snapshot.chunks[row];
        return chunk ? [{ row, score, chunk }] : [];
      });
    const deduplicated = dropOverlapping(ranked, CANDIDATES / 2);

    const picked = maximalMarginalRelevance(
      deduplicated,
      (item) => item.score,
      (a, b) => cosine(vectorRow(snapshot, a.row), vectorRow(snapshot, b.row)),
      options.k,
      MMR_LAMBDA,
    );
    return picked.map(({ row, score }) => {
      const chunk = snapshot.chunks[row];
      const doc = chunk ? snapshot.documents.get(chunk.source) : undefined;
      if (!chunk || !doc) throw new Error(`internal: row ${row} has no chunk or document`);
      return {
        chunk: { id: chunk.id, source: chunk.source, start: chunk.start, end: chunk.end, text: chunk.text },
        doc: documentMeta(doc),
        score,
        bm25Score: bm25ByRow.get(row) ?? 0,
        vectorScore: vectorByRow.get(row) ?? 0,
        termCoverage: this.coverage(query.terms, row),
      };
    });
  }

  /** Approximate nearest neighbours by cosine similarity, restricted to accepted rows. */
  vectorSearch(queryVector: readonly number[], limit: number, accept?: (row: number) => boolean): Array<{ row: number; similarity: number }> {
    const { snapshot } = this;
    const live = snapshot.chunks.length;
    if (live === 0) return [];
    const k = Math.min(limit, live);
    snapshot.hnsw.setEf(Math.max(EF_SEARCH, k * 2));
    const filter = (label: number) => {
      const row = snapshot.rowByLabel.get(label);
      return row !== undefined && (!accept || accept(row));
    };
    const collect = (result: { neighbors: number[]; distances: number[] }) => {
      const hits: Array<{ row: number; similarity: number }> = [];
      result.neighbors.forEach((label, i) => {
        const row = snapshot.rowByLabel.get(label);
        if (row !== undefined) hits.push({ row, similarity: 1 - (result.distances[i] ?? 1) });
      });
      return hits;
    };
    const query = [...queryVector];
    if (!accept) {
      // Unfiltered, the search stays in native code: a JS filter call per visited node costs more than the search.
      // Every live label maps to a row, so this only falls back when the graph holds a label the docstore lacks.
      const hits = collect(snapshot.hnsw.searchKnn(query, k));
      if (hits.length === k) return hits;
    }
    return collect(snapshot.hnsw.searchKnn(query, k, filter));
  }

  private filterFor(options: RetrieveOptions): ((row: number) => boolean) | undefined {
    const sources = options.sources ? new Set(options.sources) : null;
    const { fromDate, toDate } = options;
    if (!sources && !fromDate && !toDate) return undefined;
    return (row: number) => {
      const chunk = this.snapshot.chunks[row];
      if (!chunk) return false;
      if (sources && !sources.has(chunk.source)) return false;
      if (fromDate || toDate) {
        const date = this.snapshot.documents.get(chunk.source)?.publishedAt;
        if (!date) return false;
        if (fromDate && date < fromDate) return false;
        if (toDate && date > toDate) return false;
      }
      return true;
    };
  }
}

/** The text a chunk is keyword-indexed under: its own, plus its document's title and publication month, so
 * "in August 2025" or a headline word finds passages whose own sentences never repeat it. */
export function indexedTextOf(chunkText: string, doc: Pick<StoredDocument, 'title' | 'publishedAt'> | null): string {
  return `${chunkText}\n${doc?.title ?? ''} ${dateWords(doc?.publishedAt ?? null)}`;
}

/** A document's metadata without its text and hashes: what a passage carries. */
export function documentMeta(doc: StoredDocument): Passage['doc'] {
  const { text: _text, fileHash: _f, contentHash: _c, indexedAt: _i, ...meta } = doc;
  return meta;
}

/** "August 2025" for 2025-08-23: how questions refer to a publication date. */
export function dateWords(isoDate: string | null): string {
  if (!isoDate) return '';
  const [year, month] = isoDate.split('-');
  const monthName = MONTHS[Number(month) - 1] ?? '';
  return `${monthName} ${year ?? ''}`;
}
