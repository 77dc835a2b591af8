import { closeSync, constants, type Dirent, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { DEFAULT_LIMITS, formatSize, type Limits } from '../limits/limits.js';
import {
  type DirEntry,
  type EntryType,
  type Host,
  HostError,
  type ReadOptions,
  type StatInfo,
} from './host.js';

function typeOfStats(s: Stats | Dirent): EntryType {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'dir';
  if (s.isSymbolicLink()) return 'symlink';
  return 'other';
}

function toInfo(s: Stats): StatInfo {
  return { type: typeOfStats(s), size: s.size, mode: s.mode, mtimeMs: s.mtimeMs };
}

function errnoOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

function wrap(op: string, path: string, err: unknown): HostError {
  if (err instanceof HostError) return err;
  const code = errnoOf(err);
  return new HostError(code, path, `${op} \`${path}\`: ${code}`, { cause: err });
}

/** True for errors meaning "nothing there", which stat/lstat report as `undefined`. */
function isMissing(err: unknown): boolean {
  const code = errnoOf(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** What a non-regular file is, for the refusal message. */
export function kindOf(s: Stats): string {
  if (s.isFIFO()) return 'a FIFO';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  if (s.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/** Reads from an open handle until EOF or `max` bytes; `over` says whether more was there. */
async function readUpTo(
  fh: FileHandle,
  max: number,
  sizeHint: number,
): Promise<{ buf: Buffer; over: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunkSize = Math.max(64 * 1024, Math.min(sizeHint + 1, 64 * 1024 * 1024));
  for (;;) {
    const want = Math.min(chunkSize, max + 1 - total);
    if (want <= 0) return { buf: Buffer.concat(chunks, max), over: true };
    const chunk = Buffer.allocUnsafe(want);
    const { bytesRead } = await fh.read(chunk, 0, want, null);
    if (bytesRead === 0) return { buf: Buffer.concat(chunks, total), over: false };
    chunks.push(bytesRead === want ? chunk : chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > max) return { buf: Buffer.concat(chunks, total).subarray(0, max), over: true };
  }
}

async function readBounded(path: string, options: ReadOptions, limits: Limits): Promise<Buffer> {
  // A FIFO is only opened when the caller accepts one: opening it blocks until a writer comes, and
  // a device such as /dev/zero never ends. O_NONBLOCK makes the open itself return at once; the
  // handle's own fstat then decides, so a file swapped after a stat is still checked.
  const pre = await stat(path).catch(() => undefined);
  const pipe = options.allowPipe === true && pre?.isFIFO() === true;
  const fh = await open(path, pipe ? constants.O_RDONLY : constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (st.isFIFO() && pipe) {
      const max = options.maxBytes ?? limits.pipeSize;
      const { buf, over } = await readUpTo(fh, max, 0);
      if (over && !options.head) {
        throw new HostError('EFBIG', path, `reading \`${path}\`: the pipe gave more than ${formatSize(max)}`);
      }
      return buf;
    }
    if (!st.isFile()) {
      throw new HostError('ENOTREG', path, `reading \`${path}\`: ${kindOf(st)}, not a regular file`);
    }
    const max = options.maxBytes ?? limits.fileSize;
    if (st.size > max && !options.head) {
      throw new HostError(
        'EFBIG',
        path,
        `reading \`${path}\`: ${formatSize(st.size)} is larger than the limit of ${formatSize(max)}`,
      );
    }
    const { buf, over } = await readUpTo(fh, max, Math.min(st.size, max));
    if (over && !options.head) {
      throw new HostError('EFBIG', path, `reading \`${path}\`: grew past the limit of ${formatSize(max)}`);
    }
    return buf;
  } finally {
    await fh.close();
  }
}

/**
 * A regular file read synchronously, for a pure parser that pulls files through a callback (a
 * kickstart's `%include`): opened `O_NONBLOCK` and checked with `fstat` on the handle, so a FIFO or a
 * device is refused (`ENOTREG`) without blocking or reading; more than `maxBytes` is `EFBIG`.
 * Throws `HostError` (`ENOENT` when there is nothing there).
 */
export function readRegularTextSync(path: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw wrap('reading', path, err);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      throw new HostError('ENOTREG', path, `reading \`${path}\`: ${kindOf(st)}, not a regular file`);
    }
    if (st.size > maxBytes) {
      throw new HostError(
        'EFBIG',
        path,
        `reading \`${path}\`: ${formatSize(st.size)} is larger than the limit of ${formatSize(maxBytes)}`,
      );
    }
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let total = 0;
    for (;;) {
      const got = readSync(fd, buf, total, buf.length - total, null);
      if (got === 0) break;
      total += got;
      if (total > maxBytes) {
        throw new HostError(
          'EFBIG',
          path,
          `reading \`${path}\`: grew past the limit of ${formatSize(maxBytes)}`,
        );
      }
      if (total === buf.length) break;
    }
    return buf.toString('utf8', 0, total);
  } catch (err) {
    throw wrap('reading', path, err);
  } finally {
    closeSync(fd);
  }
}

/**
 * `Host` on node:fs; the only module of redproof that imports the file system. Reads refuse what is
 * not a regular file and stop at the bounds of `limits` (docs/limits.md).
 */
export function createNodeHost(limits: Limits = DEFAULT_LIMITS): Host {
  return {
    limits,
    async readFile(path, options = {}) {
      try {
        const buf = await readBounded(path, options, limits);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (err) {
        throw wrap('reading', path, err);
      }
    },
    async readText(path, options = {}) {
      try {
        return (await readBounded(path, options, limits)).toString('utf8');
      } catch (err) {
        throw wrap('reading', path, err);
      }
    },
    async readDir(path) {
      let entries: Dirent[];
      try {
        entries = await readdir(path, { withFileTypes: true });
      } catch (err) {
        throw wrap('listing', path, err);
      }
      const out: DirEntry[] = entries.map((d) => ({ name: d.name, type: typeOfStats(d) }));
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async lstat(path) {
      try {
        return toInfo(await lstat(path));
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw wrap('lstat', path, err);
      }
    },
    async stat(path) {
      try {
        return toInfo(await stat(path));
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw wrap('stat', path, err);
      }
    },
    async readlink(path) {
      try {
        return await readlink(path);
      } catch (err) {
        throw wrap('readlink', path, err);
      }
    },
    async realpath(path) {
      try {
        return await realpath(path);
      } catch (err) {
        throw wrap('realpath', path, err);
      }
    },
  };
}
