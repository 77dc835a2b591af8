/**
 * `redproof check FAMILY.lock.yaml`: a lock read as a family whose layers are exactly the locked
 * NEVRAs, proven with every rule of `check`; findings point into the lockfile.
 */
import { type Manifest, toEntry } from '../../load/manifest.js';
import { parseLock } from './read-lock.js';

/** True when the text is a lockfile (its first key is `redproof-lock`). */
export function isLockText(text: string): boolean {
  return /^(?:\uFEFF)?(?:#[^\n]*\n|\s*\n)*redproof-lock:/.test(text);
}

/**
 * The lock as a manifest: repository paths made relative to the lockfile's directory (the lock writes
 * them as the manifest does, relative to the manifest).
 */
export function lockAsManifest(text: string, file: string): Manifest {
  const { lock, spanAt } = parseLock(text, file);
  const manifestDir = dirOf(lock.manifest.path);
  const nodes = lock.nodes.map((n, i) => ({
    alias: n.alias,
    parent: n.parent,
    packages: n.packages.map((p, j) => toEntry(p.nevra, spanAt(['nodes', i, 'packages', j, 'nevra']))),
    install: [],
    exclude: [],
    options: {},
    span: spanAt(['nodes', i, 'alias']),
  }));
  const host = nodes.find((n) => n.alias === 'host' && n.parent === undefined);
  return {
    file,
    family: lock.family,
    arch: lock.arch,
    repos: lock.repos.map((r, i) => ({
      id: r.id,
      path: r.path.startsWith('/') ? r.path : join(manifestDir, r.path),
      span: spanAt(['repos', i, 'id']),
    })),
    ...(host && {
      host: { packages: host.packages, install: [], exclude: [], options: {}, span: host.span },
    }),
    nodes: nodes.filter((n) => n !== host).map((n) => ({ ...n, parent: n.parent ?? 'host' })),
    exclude: [],
    options: {},
  };
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(0, i) : '.';
}

function join(dir: string, path: string): string {
  const out: string[] = [];
  for (const part of `${dir}/${path}`.split('/')) {
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/') || '.';
}
