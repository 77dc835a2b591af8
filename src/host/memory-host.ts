import { DEFAULT_LIMITS, type Limits } from '../limits/limits.js';
import {
  type DirEntry,
  type EntryType,
  type Host,
  HostError,
  type ReadOptions,
  type StatInfo,
} from './host.js';

/** One entry of an in-memory tree: file content, a symlink, or an (empty) directory. */
export type MemoryEntry =
  | string
  | Uint8Array
  | { symlink: string }
  | { dir: true; unreadable?: boolean }
  | { fifo: true };

interface Node {
  type: EntryType;
  data?: Uint8Array;
  target?: string;
  /** A directory without read and search permission (mode 000 as a non-root user): EACCES inside. */
  unreadable?: boolean;
  fifo?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function parts(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/**
 * A `Host` over an in-memory tree for tests: `{'/img/var/redpak/.rednode.yaml': '...',
 * '/img/var/lib/rpm': {symlink: '/x'}}`. Parent directories are created implicitly. Symlinks
 * behave as on Linux (absolute targets start at this tree's `/`).
 */
export function createMemoryHost(tree: Readonly<Record<string, MemoryEntry>>, limits?: Limits): Host {
  const nodes = new Map<string, Node>([['', { type: 'dir' }]]);
  const addDirs = (p: string[]) => {
    for (let i = 1; i < p.length; i++) {
      const k = p.slice(0, i).join('/');
      if (!nodes.has(k)) nodes.set(k, { type: 'dir' });
    }
  };
  for (const [path, entry] of Object.entries(tree)) {
    const p = parts(path);
    addDirs(p);
    const key = p.join('/');
    if (typeof entry === 'string') nodes.set(key, { type: 'file', data: encoder.encode(entry) });
    else if (entry instanceof Uint8Array) nodes.set(key, { type: 'file', data: entry });
    else if ('symlink' in entry) nodes.set(key, { type: 'symlink', target: entry.symlink });
    else if ('fifo' in entry) nodes.set(key, { type: 'other', fifo: true });
    else nodes.set(key, { type: 'dir', ...(entry.unreadable && { unreadable: true }) });
  }

  /** Resolve like the kernel: every symlink followed (the last one only when `follow`). */
  const lookup = (path: string, follow: boolean): [string, Node] | undefined => {
    const pending = parts(path);
    const done: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const c = pending.shift()!;
      if (c === '..') {
        done.pop();
        continue;
      }
      const parent = nodes.get(done.join('/'));
      if (parent?.type !== 'dir') return undefined;
      if (parent.unreadable) throw new HostError('EACCES', path, `${path}: EACCES`);
      done.push(c);
      const n = nodes.get(done.join('/'));
      if (n === undefined) return undefined;
      if (n.type === 'symlink' && (pending.length > 0 || follow)) {
        if (++hops > 40) throw new HostError('ELOOP', path, `${path}: too many levels of symbolic links`);
        done.pop();
        if (n.target!.startsWith('/')) done.length = 0;
        pending.unshift(...parts(n.target!));
      }
    }
    const key = done.join('/');
    const n = nodes.get(key);
    return n === undefined ? undefined : [key, n];
  };

  const info = (n: Node): StatInfo => ({
    type: n.type,
    size: n.data?.byteLength ?? n.target?.length ?? 0,
    mode: n.type === 'dir' ? 0o40755 : n.type === 'symlink' ? 0o120777 : 0o100644,
    mtimeMs: 0,
  });

  const file = (path: string, options: ReadOptions = {}): Uint8Array => {
    const r = lookup(path, true);
    if (r === undefined) throw new HostError('ENOENT', path, `reading \`${path}\`: ENOENT`);
    if (r[1].fifo) throw new HostError('ENOTREG', path, `reading \`${path}\`: a FIFO, not a regular file`);
    if (r[1].type !== 'file') throw new HostError('EISDIR', path, `reading \`${path}\`: EISDIR`);
    const data = r[1].data!;
    const max = options.maxBytes ?? (limits ?? DEFAULT_LIMITS).fileSize;
    if (data.byteLength > max) {
      if (options.head) return data.subarray(0, max);
      throw new HostError('EFBIG', path, `reading \`${path}\`: larger than the limit of ${max} bytes`);
    }
    return data;
  };

  return {
    ...(limits && { limits }),
    async readFile(path, options) {
      return file(path, options).slice();
    },
    async readText(path, options) {
      return decoder.decode(file(path, options));
    },
    async readDir(path) {
      const r = lookup(path, true);
      if (r === undefined) throw new HostError('ENOENT', path, `listing \`${path}\`: ENOENT`);
      if (r[1].type !== 'dir') throw new HostError('ENOTDIR', path, `listing \`${path}\`: ENOTDIR`);
      if (r[1].unreadable) throw new HostError('EACCES', path, `listing \`${path}\`: EACCES`);
      const prefix = r[0] === '' ? '' : `${r[0]}/`;
      const out: DirEntry[] = [];
      for (const [k, n] of nodes) {
        if (k === r[0] || !k.startsWith(prefix) || k.slice(prefix.length).includes('/')) continue;
        out.push({ name: k.slice(prefix.length), type: n.type });
      }
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async lstat(path) {
      const r = lookup(path, false);
      return r === undefined ? undefined : info(r[1]);
    },
    async stat(path) {
      const r = lookup(path, true);
      return r === undefined ? undefined : info(r[1]);
    },
    async realpath(path) {
      const r = lookup(path, true);
      if (r === undefined) throw new HostError('ENOENT', path, `realpath \`${path}\`: ENOENT`);
      return `/${r[0]}`;
    },
    async readlink(path) {
      const r = lookup(path, false);
      if (r?.[1].type !== 'symlink') throw new HostError('EINVAL', path, `readlink \`${path}\`: EINVAL`);
      return r[1].target!;
    },
  };
}
