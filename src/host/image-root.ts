import type { DirEntry, Host, ReadOptions, StatInfo } from './host.js';

/** Symlinks followed while resolving one path before it is declared a loop (Linux uses 40). */
export const DEFAULT_MAX_SYMLINKS = 40;

/** Why a path inside the image could not be resolved. */
export type ImageRootErrorKind = 'loop' | 'not-found' | 'not-dir' | 'not-file' | 'io';

/** A path inside IMAGE_ROOT could not be resolved or read. `path` is image-relative. */
export class ImageRootError extends Error {
  override name = 'ImageRootError' as const;
  constructor(
    readonly kind: ImageRootErrorKind,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Result of resolving a path inside the image. */
export interface ResolvedPath {
  /** Canonical image-relative path without leading `/` (`.` for the root); contains no symlink. */
  path: string;
  /** Host path: image root joined with `path`. Reading it never leaves the image. */
  hostPath: string;
  /** `lstat` of the final component (a symlink only when `followFinal` was false); absent if missing. */
  stat?: StatInfo;
  /** Symlinks traversed, as `link -> target` in image terms, for evidence and warnings. */
  symlinks: string[];
}

/** Placeholder for "a directory we walked through"; replaced by a real lstat at the end. */
const KNOWN_DIR: StatInfo = Object.freeze({ type: 'dir', size: 0, mode: 0o40755, mtimeMs: 0 });

/** Split an image path into components, dropping empty and `.` parts. */
function components(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

/** Image-relative form of a list of components. */
export function joinImagePath(parts: readonly string[]): string {
  return parts.length === 0 ? '.' : parts.join('/');
}

/** Normalize an image path lexically (`..` clamped at the root), without touching the disk. */
export function normalizeImagePath(p: string): string {
  const out: string[] = [];
  for (const c of components(p)) {
    if (c === '..') out.pop();
    else out.push(c);
  }
  return joinImagePath(out);
}

/**
 * A directory tree treated as a root file system (chroot semantics). Every path is resolved
 * component by component with `lstat`; symlinks are followed *inside* the root: an absolute
 * target restarts at IMAGE_ROOT, `..` never goes above it, and more than `maxSymlinks` links
 * in one resolution is a loop. Only fully resolved host paths are handed to the Host, so nothing
 * outside IMAGE_ROOT is ever read.
 */
export class ImageRoot {
  readonly host: Host;
  /** Host path of the root, without trailing `/` (empty string when the root is `/`). */
  readonly rootHostPath: string;
  readonly maxSymlinks: number;

  constructor(host: Host, rootHostPath: string, options: { maxSymlinks?: number } = {}) {
    this.host = host;
    this.rootHostPath = rootHostPath.replace(/\/+$/, '');
    this.maxSymlinks = options.maxSymlinks ?? DEFAULT_MAX_SYMLINKS;
  }

  /** Host path of an already canonical image path. */
  hostPathOf(canonical: string): string {
    return canonical === '.' ? this.rootHostPath || '/' : `${this.rootHostPath}/${canonical}`;
  }

  /**
   * Resolve `path` (absolute or relative to the root) to its canonical image path.
   * Missing components are allowed: the rest is appended lexically and `stat` is absent.
   * Throws `ImageRootError('loop')` on symlink loops and `('not-dir')` when a file is traversed.
   */
  async resolve(path: string, options: { followFinal?: boolean } = {}): Promise<ResolvedPath> {
    const followFinal = options.followFinal ?? true;
    const pending = components(path);
    const done: string[] = [];
    const symlinks: string[] = [];
    let hops = 0;
    // Stat of `done` (the root and every ancestor reached are directories); undefined once missing.
    let current: StatInfo | undefined = KNOWN_DIR;
    let missing = false;

    while (pending.length > 0) {
      const c = pending.shift()!;
      if (c === '..') {
        done.pop(); // clamped at the root: `[].pop()` is a no-op
        if (!missing) current = KNOWN_DIR;
        continue;
      }
      if (missing) {
        done.push(c);
        continue;
      }
      if (current?.type !== 'dir') {
        const at = joinImagePath(done);
        throw new ImageRootError(
          'not-dir',
          at,
          `resolving \`${path}\` in the image: \`${at}\` is not a directory`,
        );
      }
      done.push(c);
      const canonical = joinImagePath(done);
      const st = await this.host.lstat(this.hostPathOf(canonical));
      if (st === undefined) {
        missing = true;
        current = undefined;
        continue;
      }
      if (st.type === 'symlink' && (pending.length > 0 || followFinal)) {
        hops += 1;
        if (hops > this.maxSymlinks) {
          throw new ImageRootError(
            'loop',
            canonical,
            `resolving \`${path}\` in the image: too many levels of symbolic links at \`${canonical}\``,
          );
        }
        const target = await this.host.readlink(this.hostPathOf(canonical));
        symlinks.push(`${canonical} -> ${target}`);
        done.pop();
        if (target.startsWith('/')) done.length = 0; // absolute target: restart at IMAGE_ROOT
        pending.unshift(...components(target));
        current = KNOWN_DIR; // `done` is a directory again
        continue;
      }
      current = st;
    }

    const canonical = joinImagePath(done);
    const result: ResolvedPath = { path: canonical, hostPath: this.hostPathOf(canonical), symlinks };
    if (!missing) {
      // Re-stat the final directory reached through `..` or a symlink to get real data.
      const st = current === KNOWN_DIR ? await this.host.lstat(result.hostPath) : current;
      if (st !== undefined) result.stat = st;
    }
    return result;
  }

  /** `stat` inside the image (follows symlinks within the root); `undefined` when missing. */
  async stat(path: string): Promise<StatInfo | undefined> {
    return (await this.resolve(path)).stat;
  }

  /** `lstat` inside the image: intermediate symlinks followed, the final one reported as is. */
  async lstat(path: string): Promise<StatInfo | undefined> {
    return (await this.resolve(path, { followFinal: false })).stat;
  }

  /** Read a regular file inside the image; throws `ImageRootError('not-found' | 'not-file')`. */
  async readFile(path: string, options?: ReadOptions): Promise<Uint8Array> {
    const r = await this.requireFile(path);
    return this.host.readFile(r.hostPath, options);
  }

  /** Read a regular file inside the image as UTF-8 text. */
  async readText(path: string, options?: ReadOptions): Promise<string> {
    const r = await this.requireFile(path);
    return this.host.readText(r.hostPath, options);
  }

  /** List a directory inside the image; entry types are those of `lstat` (symlinks stay symlinks). */
  async readDir(path: string): Promise<DirEntry[]> {
    const r = await this.resolve(path);
    if (r.stat === undefined) {
      throw new ImageRootError('not-found', r.path, `listing \`${path}\` in the image: not found`);
    }
    if (r.stat.type !== 'dir') {
      throw new ImageRootError('not-dir', r.path, `listing \`${path}\` in the image: not a directory`);
    }
    return this.host.readDir(r.hostPath);
  }

  /**
   * `lstat` of a path already known to be canonical (returned by `resolve`, or a canonical
   * directory joined with an entry name): one host call, no walk from the root.
   */
  lstatCanonical(canonical: string): Promise<StatInfo | undefined> {
    return this.host.lstat(this.hostPathOf(canonical));
  }

  /** `readDir` of a directory already known to be canonical (see `lstatCanonical`). */
  readDirCanonical(canonical: string): Promise<DirEntry[]> {
    return this.host.readDir(this.hostPathOf(canonical));
  }

  /** Target of a symlink inside the image, verbatim (not resolved). */
  async readlink(path: string): Promise<string> {
    const r = await this.resolve(path, { followFinal: false });
    return this.host.readlink(r.hostPath);
  }

  private async requireFile(path: string): Promise<ResolvedPath> {
    const r = await this.resolve(path);
    if (r.stat === undefined) {
      throw new ImageRootError('not-found', r.path, `reading \`${path}\` in the image: not found`);
    }
    if (r.stat.type !== 'file') {
      throw new ImageRootError('not-file', r.path, `reading \`${path}\` in the image: not a regular file`);
    }
    return r;
  }
}
