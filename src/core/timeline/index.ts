// `/timeline <entities>`: an event-dated, cited chronology of what the corpus says about some actors or topics.
export type { EntityCatalog, EntityDefinition, Person } from './entities.js';
export { parseEntityCatalog, entityNames } from './entities.js';
export type { BuildOptions } from './build.js';
export { buildTimeline, buildTimelineFor, prepareMatcher } from './build.js';
export type { EntityKind, EntityLexicon, LearnedEntity } from './learn-entities.js';
export { EntityLearner, nameKey } from './learn-entities.js';
export type { DirectoryEntry, ResolvedTerm } from './query.js';
export { EntityDirectory, parseTimelineQuery } from './query.js';
export type { TimelineGold, TimelineGoldEvent, TimelineScore } from './score.js';
export { scoreTimeline } from './score.js';
