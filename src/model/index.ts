export type * from './finding.js';
export type * from './hoist.js';
