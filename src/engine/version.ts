import { readFileSync } from 'node:fs';

/** redproof's version, from package.json (read once; part of cache keys and of every report). */
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
