export * from './history.js';
export * from './rewrite.js';
