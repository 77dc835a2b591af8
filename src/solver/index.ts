/** Typed facade over libsolv compiled to WebAssembly: the only code that touches wasm memory. */
export { Engine, loadEngine, createEngine } from './engine.js';
export { Pool, Repo, job } from './pool.js';
export { EngineError, type EngineErrorKind } from './errors.js';
export * from './constants.js';
export { detectCompression, type Compression } from './compression.js';
export type * from './types.js';
