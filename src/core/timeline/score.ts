// Scoring a timeline against a gold chronology (eval and tests).
import type { CleanDocument, Timeline } from '../types.js';

export interface TimelineGoldEvent {
  date: string;
  what: string;
  source: string;
}

export interface TimelineGold {
  required: TimelineGoldEvent[];
  optional: TimelineGoldEvent[];
  undated_sources: string[];
  forbidden: string[];
}

export interface TimelineScore {
  precision: number;
  recall: number;
  f1: number;
  /** Produced dates that hit a forbidden value, as `date (forbidden)`. */
  forbiddenHits: string[];
  /** Share of events (dated and undated) whose citations are all verbatim at their offsets; 1 when none. */
  citationValidity: number;
  /** No dated event cites a source that has no usable date. */
  undatedSourcesOk: boolean;
  /** Number of dated events. */
  events: number;
}

/** Month granularity: `YYYY-MM-DD` → `YYYY-MM`; `YYYY` and `YYYY-MM` unchanged; intervals endpoint by endpoint. */
function monthKey(date: string): string {
  return date
    .split('/')
    .map((part) => part.slice(0, 7))
    .join('/');
}

/**
 * Definition:
 * - A produced dated event matches a gold event when their dates truncated to month are equal (a year matches
 *   only a year, an interval only an interval with the same truncated endpoints).
 * - Precision = produced events matching some `required` event / produced events counted, where events matching
 *   only `optional` events are not counted (neither TP nor FP) and every other produced dated event is a FP.
 * - Recall = `required` events matched by at least one produced event / `required` events. F1 is their
 *   harmonic mean (precision and recall are 1 when their denominator is 0).
 * - Forbidden: a produced date (each endpoint of an interval) hits forbidden value F when it starts with F, or
 *   when it is the year or month of F (F = `2025-08-19` is hit by `2025` and `2025-08`).
 * - Citation validity: share of events, undated included, with at least one citation and every citation's quote
 *   equal to `doc.text.slice(start, end)` in the cited document.
 * - undatedSourcesOk: no dated event cites a document listed in `undated_sources`.
 */
export function scoreTimeline(timeline: Timeline, gold: TimelineGold, documents: readonly CleanDocument[]): TimelineScore {
  const requiredKeys = gold.required.map((g) => monthKey(g.date));
  const optionalKeys = new Set(gold.optional.map((g) => monthKey(g.date)));
  const matchedRequired = new Set<number>();
  let truePositives = 0;
  let falsePositives = 0;
  for (const event of timeline.events) {
    const key = monthKey(event.date);
    let hit = false;
    requiredKeys.forEach((k, i) => {
      if (k === key) {
        hit = true;
        matchedRequired.add(i);
      }
    });
    if (hit) truePositives += 1;
    else if (!optionalKeys.has(key)) falsePositives += 1;
  }
  const precision = truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives);
  const recall = requiredKeys.length === 0 ? 1 : matchedRequired.size / requiredKeys.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);

  const forbiddenHits: string[] = [];
  for (const event of timeline.events) {
    for (const endpoint of event.date.split('/')) {
      for (const f of gold.forbidden) {
        if (endpoint.startsWith(f) || f.startsWith(endpoint)) forbiddenHits.push(`${event.date} (${f})`);
      }
    }
  }

  const bySource = new Map(documents.map((d) => [d.source, d]));
  const all = [...timeline.events, ...timeline.undated];
  const valid = all.filter(
    (event) =>
      event.citations.length > 0 &&
      event.citations.every((c) => {
        const doc = bySource.get(c.source);
        return doc !== undefined && c.quote.length > 0 && doc.text.slice(c.start, c.end) === c.quote;
      }),
  ).length;
  const undatedSources = new Set(gold.undated_sources);
  return {
    precision,
    recall,
    f1,
    forbiddenHits: [...new Set(forbiddenHits)],
    citationValidity: all.length === 0 ? 1 : valid / all.length,
    undatedSourcesOk: !timeline.events.some((event) => event.citations.some((c) => undatedSources.has(c.source))),
    events: timeline.events.length,
  };
}
