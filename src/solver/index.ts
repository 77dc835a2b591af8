/** Typed facade over libsolv compiled to WebAssembly: the only code that touches wasm memory. */

export { type Compression, detectCompression } from './compression.js';
export * from './constants.js';
export { createEngine, Engine, loadEngine } from './engine.js';
export { EngineError, type EngineErrorKind } from './errors.js';
export { job, Pool, Repo } from './pool.js';
export type * from './types.js';
