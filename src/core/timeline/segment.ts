// The prose segmenter moved to the shared text module (answers use it too); re-exported for the timeline.
export * from '../text/segment.js';
