// The local store's view: one loaded hnswlib generation, searched in memory. It supplies the candidates (BM25
// postings and HNSW neighbours); the shared ranking tail (core/retrieve/rank.ts) turns them into passages.
import { LRUCache } from 'lru-cache';
import type { CorpusView, Retrieval } from '../../core/corpus.js';
import { Bm25Index } from '../../core/retrieve/bm25.js';
import { CANDIDATES_PER_RANKING, efSearchFor } from '../../core/retrieve/fusion.js';
import { indexedTextOf } from '../../core/retrieve/indexed-text.js';
import { analyzeQuery } from '../../core/retrieve/query.js';
import { rankPassages } from '../../core/retrieve/rank.js';
import { termMatch, weightedCoverage } from '../../core/text/overlap.js';
import { contentTerms } from '../../core/text/tokens.js';
import type { Embedder, Passage, RetrieveOptions, StoredDocument } from '../../core/types.js';
import type { IndexSnapshot } from './snapshot.js';
import { vectorRow } from './snapshot.js';

const CANDIDATES = CANDIDATES_PER_RANKING;
const ROW_TERMS_CACHE = 4096;

export class LocalView implements CorpusView {
  readonly bm25: Bm25Index;
  /** Terms of recently scored rows, least recently used dropped first: a Set per chunk costs hundreds of MB at 100k chunks. */
  private readonly rowTerms = new LRUCache<number, Set<string>>({ max: ROW_TERMS_CACHE });
  private vocabularySet: Set<string> | null = null;

  constructor(
    readonly snapshot: IndexSnapshot,
    readonly embedder: Embedder,
  ) {
    // Stored in the generation (per segment since format 3, one bm25.bin before); older generations are tokenised here, once.
    this.bm25 = snapshot.bm25 ?? new Bm25Index({ count: snapshot.chunks.length, textOf: (row) => this.indexedText(row) });
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

    return rankPassages(
      {
        keyword: keywordHits.map((hit) => ({ id: hit.row, score: hit.score })),
        vector: vectorHits.map((hit) => ({ id: hit.row, score: hit.similarity })),
        chunk: (row) => snapshot.chunks[row],
        vectorOf: (row) => vectorRow(snapshot, row),
        document: (source) => snapshot.documents.get(source),
        coverage: (row) => this.coverage(query.terms, row),
      },
      options.k,
    );
  }

  /** Approximate nearest neighbours by cosine similarity, restricted to accepted rows. */
  vectorSearch(queryVector: readonly number[], limit: number, accept?: (row: number) => boolean): Array<{ row: number; similarity: number }> {
    const { snapshot } = this;
    const live = snapshot.chunks.length;
    if (live === 0) return [];
    const k = Math.min(limit, live);
    snapshot.hnsw.setEf(Math.max(efSearchFor(live), k * 2));
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
