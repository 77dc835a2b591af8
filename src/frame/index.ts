export { type LineIndex, lineIndex, type Position } from './line-index.js';
export { type FrameOptions, type FrameSpan, renderFrame } from './render.js';
export { type Cell, codePointWidth, displayWidth, toCells } from './width.js';
