// `/timeline <entities>`: an event-dated, cited chronology of what the corpus says about some actors.
export type { EntityCatalog, EntityDefinition, Person } from './entities.js';
export { parseEntityCatalog, entityNames } from './entities.js';
export type { BuildOptions } from './build.js';
export { buildTimeline } from './build.js';
export type { TimelineGold, TimelineGoldEvent, TimelineScore } from './score.js';
export { scoreTimeline } from './score.js';
