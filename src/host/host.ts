import type { Limits } from '../limits/limits.js';

/** Kind of a directory entry or stat result; `other` covers sockets, fifos and devices. */
export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

/** One entry of a directory listing, as `readdir` with file types gives it (not following symlinks). */
export interface DirEntry {
  name: string;
  type: EntryType;
}

/** The part of `stat`/`lstat` the analyzer needs. */
export interface StatInfo {
  type: EntryType;
  size: number;
  /** Permission bits and file type, as `st_mode`. */
  mode: number;
  mtimeMs: number;
}

/** Why a host operation failed, in errno terms (`ENOENT`, `ENOTDIR`, `EACCES`, `ELOOP`, ...). */
export class HostError extends Error {
  override name = 'HostError' as const;
  constructor(
    readonly code: string,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How much of a file to read, and from what. */
export interface ReadOptions {
  /** Refuse (`EFBIG`) a file larger than this; default `limits.fileSize`. */
  maxBytes?: number;
  /** Read only the first `maxBytes` bytes instead of refusing a larger file. */
  head?: boolean;
  /**
   * Accept a FIFO (a pipe the user named on the command line, `<(...)`), read up to `maxBytes`
   * (default `limits.pipeSize`). Anything else that is not a regular file is refused (`ENOTREG`).
   */
  allowPipe?: boolean;
}

/**
 * File-system access used by every loader (publint's Vfs). Paths are absolute host paths; the
 * confinement to an image root lives in `ImageRoot`, not here. Implementations throw `HostError`.
 */
export interface Host {
  /**
   * Whole file as bytes. Only a regular file is read (a FIFO, a device or a socket is refused with
   * `ENOTREG` before a byte is read, unless `allowPipe`), and never more than `maxBytes`.
   */
  readFile(path: string, options?: ReadOptions): Promise<Uint8Array>;
  /** Whole file decoded as UTF-8 (same checks as `readFile`). */
  readText(path: string, options?: ReadOptions): Promise<string>;
  /** Entries of a directory, sorted by name (code-unit order), without `.` and `..`. */
  readDir(path: string): Promise<DirEntry[]>;
  /** Information about `path` itself (a symlink is reported as `symlink`); `undefined` when it does not exist. */
  lstat(path: string): Promise<StatInfo | undefined>;
  /** Information about `path` following symlinks; `undefined` when it (or its target) does not exist. */
  stat(path: string): Promise<StatInfo | undefined>;
  /** Target of a symlink, verbatim. */
  readlink(path: string): Promise<string>;
  /** Canonical absolute path (every symlink resolved), as realpath(3). */
  realpath(path: string): Promise<string>;
  /** Bounds every reader applies (docs/limits.md); `DEFAULT_LIMITS` when absent. */
  readonly limits?: Limits;
}
