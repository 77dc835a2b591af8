/**
 * The lockfile (`redproof-lock: 1`, schema/lock-v1.schema.json): what `redproof lock` resolved, node by
 * node, with enough of each package (location, checksum, sizes) to fetch and verify it. Written by hand,
 * not by a YAML library, so that the same inputs give the same bytes whatever the library version.
 */
import type { LockReason } from './resolve.js';

export const LOCK_VERSION = 1;

export interface LockPackage {
  nevra: string;
  repo: string;
  location: string;
  checksum: string;
  size: number;
  installedSize: number;
  /** Seconds since the epoch, when the repository gives it (audit compares it with rpm's BUILDTIME). */
  buildTime?: number;
  sourcerpm: string;
  license: string;
  reason: LockReason;
  /** Of a hoisted package: the nodes it was resolved in, in family order. */
  from?: string[];
}

export interface LockNode {
  alias: string;
  parent?: string;
  /** As written in the manifest (and the kickstart, for the host). */
  requests: string[];
  /** Only when they differ from the family's. */
  options?: LockOptions;
  packages: LockPackage[];
}

export interface LockOptions {
  'weak-deps': boolean;
  best: boolean;
  /** Family-wide only: the lock was hoisted (`lock --hoist`). */
  hoist?: true;
}

export interface LockRepo {
  id: string;
  /** As the manifest writes it (relative to the manifest). */
  path: string;
  revision?: string;
  checksum: string;
}

export interface Lockfile {
  'redproof-lock': number;
  family: string;
  arch: string;
  /** The manifest, relative to the lockfile's directory. */
  manifest: { path: string; sha256: string };
  repos: LockRepo[];
  options: LockOptions;
  nodes: LockNode[];
}

const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?(?:\.?[0-9][0-9_.:eE+-]*|\.inf|\.nan))$/i;

/** A YAML scalar: plain when it reads back as the same string, else JSON (a valid YAML double-quoted string). */
export function yamlString(s: string): string {
  if (/^[A-Za-z0-9_./][A-Za-z0-9_./+:@~^()=-]*$/.test(s) && !RESERVED.test(s) && !/:$|: /.test(s)) return s;
  return JSON.stringify(s);
}

function flowList(items: readonly string[]): string {
  return `[${items.map(yamlString).join(', ')}]`;
}

function options(o: LockOptions): string {
  return `{weak-deps: ${o['weak-deps']}, best: ${o.best}${o.hoist ? ', hoist: true' : ''}}`;
}

/** The lockfile text: fixed key order, packages sorted by NEVRA, nodes in manifest order (parents first). */
export function formatLock(lock: Lockfile): string {
  const out: string[] = [];
  out.push(`redproof-lock: ${lock['redproof-lock']}`);
  out.push(`family: ${yamlString(lock.family)}`);
  out.push(`arch: ${yamlString(lock.arch)}`);
  out.push(`manifest: {path: ${yamlString(lock.manifest.path)}, sha256: ${lock.manifest.sha256}}`);
  out.push('repos:');
  for (const r of lock.repos) {
    const rev = r.revision !== undefined ? `, revision: ${yamlString(r.revision)}` : '';
    out.push(`  - {id: ${yamlString(r.id)}, path: ${yamlString(r.path)}${rev}, checksum: ${r.checksum}}`);
  }
  out.push(`options: ${options(lock.options)}`);
  out.push(lock.nodes.length ? 'nodes:' : 'nodes: []');
  for (const n of lock.nodes) {
    out.push(`  - alias: ${yamlString(n.alias)}`);
    if (n.parent !== undefined) out.push(`    parent: ${yamlString(n.parent)}`);
    out.push(`    requests: ${flowList(n.requests)}`);
    if (n.options) out.push(`    options: ${options(n.options)}`);
    if (!n.packages.length) {
      out.push('    packages: []');
      continue;
    }
    out.push('    packages:');
    for (const p of n.packages) {
      out.push(`      - nevra: ${yamlString(p.nevra)}`);
      out.push(`        repo: ${yamlString(p.repo)}`);
      out.push(`        location: ${yamlString(p.location)}`);
      out.push(`        checksum: ${yamlString(p.checksum)}`);
      out.push(`        size: ${p.size}`);
      out.push(`        installedSize: ${p.installedSize}`);
      if (p.buildTime !== undefined) out.push(`        buildTime: ${p.buildTime}`);
      out.push(`        sourcerpm: ${yamlString(p.sourcerpm)}`);
      out.push(`        license: ${yamlString(p.license)}`);
      out.push(`        reason: ${p.reason}`);
      if (p.from) out.push(`        from: ${flowList(p.from)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
