// The /timeline use case's state: entities learned from each corpus revision (re-learning only changed
// documents), resolution of queries against them and the catalog, and built timelines, all cached per view.
import { LRUCache } from 'lru-cache';
import type { CorpusView } from '../core/corpus.js';
import type { Timeline } from '../core/types.js';
import type { EntityCatalog } from '../core/timeline/index.js';
import { buildTimelineFor, EntityDirectory, EntityLearner, parseTimelineQuery, prepareMatcher } from '../core/timeline/index.js';
import { CoreError } from '../core/errors.js';
import { Pacer } from '../core/pacer.js';
import type { EntitySummary, TimelineOptions } from './types.js';

/** Built timelines kept per corpus revision, least recently used dropped first. */
const TIMELINE_CACHE_ENTRIES = 200;
const TIMELINE_CACHE_EVENTS = 50_000;

export class TimelineEntities {
  private readonly learner = new EntityLearner();
  private readonly directories = new WeakMap<CorpusView, Promise<EntityDirectory>>();
  private readonly timelines = new WeakMap<CorpusView, LRUCache<string, Timeline>>();
  private readonly summaryCache = new WeakMap<CorpusView, Promise<EntitySummary[]>>();

  constructor(private readonly catalog: EntityCatalog) {}

  /** Curated and learned entities of this corpus state; computed once per view. */
  directory(view: CorpusView): Promise<EntityDirectory> {
    let directory = this.directories.get(view);
    if (!directory) {
      directory = view.documents().then(async (documents) => {
        // Learning a large corpus from cold takes seconds, and one document of megabytes a second or more: in
        // slices of ~10 ms (inside a document too), so the bot keeps answering meanwhile.
        const pacer = new Pacer();
        for (const doc of documents.values()) await this.learner.preparePaced(doc, pacer);
        prepareMatcher(this.catalog);
        return new EntityDirectory(this.catalog, this.learner.learn(documents.values()));
      });
      this.directories.set(view, directory);
      // A failed attempt must not stick to the view.
      directory.catch(() => this.directories.delete(view));
    }
    return directory;
  }

  async timeline(view: CorpusView, query: string | readonly string[], options: TimelineOptions = {}): Promise<Timeline> {
    const groups = parseTimelineQuery(query);
    if (groups.length === 0) {
      throw new CoreError('INVALID_INPUT', 'Name something to follow, e.g. "japan korea", a person, a place or a topic.');
    }
    const directory = await this.directory(view);
    const terms = directory.resolve(groups);
    const key = `${options.any ? 'any' : 'all'}:${terms.map((t) => t.name).join('\u0000')}`;
    let cache = this.timelines.get(view);
    if (!cache) {
      // Bounded by the events held, not the count: one timeline of a common word can hold thousands.
      cache = new LRUCache<string, Timeline>({ max: TIMELINE_CACHE_ENTRIES, maxSize: TIMELINE_CACHE_EVENTS, sizeCalculation: (t) => t.events.length + 1 });
      this.timelines.set(view, cache);
    }
    const cached = cache.get(key);
    if (cached) return cached;
    const documents = await view.documents();
    const timeline = buildTimelineFor([...documents.values()], this.catalog, terms, { any: options.any ?? false });
    cache.set(key, timeline);
    return timeline;
  }

  /** Known entities, most-mentioned first (curated ones count the mentions of their learned spellings). */
  summaries(view: CorpusView): Promise<EntitySummary[]> {
    let summaries = this.summaryCache.get(view);
    if (!summaries) {
      summaries = this.directory(view).then((directory) =>
        directory.entries
          .filter((e) => e.mentions > 0)
          .map((e) => ({ name: e.name, label: e.label, source: e.source, kind: e.kind, mentions: e.mentions })),
      );
      this.summaryCache.set(view, summaries);
    }
    return summaries;
  }
}
