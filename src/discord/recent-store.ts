// Bounded, expiring memory for what buttons need later (answers, timelines): lru-cache with a time to live.
import { LRUCache } from 'lru-cache';

export type RecentStore<T extends object> = LRUCache<string, T>;

export function recentStore<T extends object>(options: { maxEntries: number; ttlMs: number; now?: () => number }): RecentStore<T> {
  return new LRUCache<string, T>({
    max: options.maxEntries,
    ttl: options.ttlMs,
    // Read the clock on every check (the default caches it for 1 ms behind a timer).
    ttlResolution: 0,
    ...(options.now ? { perf: { now: options.now } } : {}),
  });
}
