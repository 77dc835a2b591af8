import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SolvCache } from '../load/repository.js';

/** Default cache directory: $XDG_CACHE_HOME/redproof, else ~/.cache/redproof. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'redproof');
}

/**
 * `.solv` cache on disk. Each entry carries the SHA-256 of its bytes in a sidecar, so a truncated or
 * corrupted entry is detected and rebuilt, never trusted. Writes go through a temp file and a rename.
 */
export function createDiskCache(dir: string): SolvCache {
  const file = (key: string) => join(dir, `${key}.solv`);
  return {
    async get(key) {
      try {
        const [bytes, sum] = await Promise.all([
          readFile(file(key)),
          readFile(`${file(key)}.sha256`, 'utf8'),
        ]);
        const actual = createHash('sha256').update(bytes).digest('hex');
        if (actual !== sum.trim()) {
          await rm(file(key), { force: true });
          return undefined;
        }
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch {
        return undefined;
      }
    },
    async put(key, bytes) {
      await mkdir(dir, { recursive: true });
      const tmp = `${file(key)}.${process.pid}.tmp`;
      await writeFile(tmp, bytes);
      await writeFile(`${file(key)}.sha256`, `${createHash('sha256').update(bytes).digest('hex')}\n`);
      await rename(tmp, file(key));
    },
    async drop(key) {
      await rm(file(key), { force: true });
      await rm(`${file(key)}.sha256`, { force: true });
    },
  };
}
