import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SolvCache } from '../load/repository.js';

export { defaultCacheDir } from './cache-dir.js';

/** Largest cache entry read back (a CS9 .solv is ≈ 30 MB). */
const MAX_ENTRY = 1024 * 1024 * 1024;

/** Reads a regular file without following a final symlink; undefined for anything else. */
async function readEntry(path: string, max = MAX_ENTRY): Promise<Buffer | undefined> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = await fh.stat();
    if (!st.isFile() || st.size > max) return undefined;
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const { bytesRead } = await fh.read(buf, off, st.size - off, off);
      if (bytesRead === 0) return undefined;
      off += bytesRead;
    }
    return buf;
  } catch {
    return undefined;
  } finally {
    await fh?.close();
  }
}

/**
 * Writes `bytes` to `path` atomically through a new temporary file (O_CREAT|O_EXCL|O_NOFOLLOW, random
 * name) renamed over it: a symlink planted at `path` or at a guessable temporary name is replaced,
 * never followed, so the cache never writes anywhere but its own directory.
 */
async function writeEntry(dir: string, path: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(8).toString('hex')}`);
  const fh = await open(
    tmp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o644,
  );
  try {
    await fh.writeFile(bytes);
  } catch (err) {
    await fh.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
}

/**
 * `.solv` cache on disk. Each entry carries the SHA-256 of its bytes in a sidecar, so a truncated or
 * corrupted entry is detected and rebuilt, never trusted. Every file is written through a temporary
 * file and a rename and read without following symlinks. An entry is trusted only as far as the
 * cache directory is: anyone who can write there can make redproof load any `.solv` content (as a
 * repository's packages), so a shared or restored cache directory must be as trusted as the
 * repositories themselves (docs/limits.md).
 */
export function createDiskCache(dir: string): SolvCache {
  const file = (key: string) => join(dir, `${key}.solv`);
  const safeKey = (key: string) => /^[A-Za-z0-9_-]+$/.test(key);
  return {
    async get(key) {
      if (!safeKey(key)) return undefined;
      const [bytes, sum] = await Promise.all([readEntry(file(key)), readEntry(`${file(key)}.sha256`, 128)]);
      if (bytes === undefined || sum === undefined) return undefined;
      // off the main thread (libuv's pool): the entries a command reads at once are hashed side by side
      const actual = Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
      if (actual !== sum.toString('utf8').trim()) {
        await rm(file(key), { force: true }).catch(() => {});
        return undefined;
      }
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    async put(key, bytes) {
      if (!safeKey(key)) return;
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeEntry(dir, file(key), bytes);
      await writeEntry(dir, `${file(key)}.sha256`, `${createHash('sha256').update(bytes).digest('hex')}\n`);
    },
    async drop(key) {
      if (!safeKey(key)) return;
      await rm(file(key), { force: true });
      await rm(`${file(key)}.sha256`, { force: true });
    },
  };
}
