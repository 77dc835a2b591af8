import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { type DirEntry, type EntryType, type Host, HostError, type StatInfo } from './host.js';

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
  const code = errnoOf(err);
  return new HostError(code, path, `${op} \`${path}\`: ${code}`, { cause: err });
}

/** True for errors meaning "nothing there", which stat/lstat report as `undefined`. */
function isMissing(err: unknown): boolean {
  const code = errnoOf(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** `Host` on node:fs; the only module of redproof that imports the file system. */
export function createNodeHost(): Host {
  return {
    async readFile(path) {
      try {
        const buf = await readFile(path);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (err) {
        throw wrap('reading', path, err);
      }
    },
    async readText(path) {
      try {
        return await readFile(path, 'utf8');
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
  };
}
