// The date resolver moved to the shared text module (answers use it too); re-exported for the timeline.
export * from '../text/dates.js';
