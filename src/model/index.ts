export type * from './finding.js';
