import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockFamily } from '../../src/engine/lock/lock.js';
import type { Lockfile } from '../../src/engine/lock/lockfile.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { corpus } from './corpus.js';
import { dnfCache, dnfChain, dnfInstall } from './dnf.js';

// The lock against real dnf on the same repositories: the host layer is dnf's transaction for the host
// requests, and for every root-to-leaf chain the union of its layers is dnf's resolution of all the
// chain's requests at once (the excludes of every node of the chain applying).

const cache = dnfCache();
afterAll(() => cache.dispose());

interface Case {
  name: string;
  repos: { id: string; path: string }[];
  arch: string;
  host: string[];
  nodes: { alias: string; parent: string; install: string[]; exclude?: string[] }[];
  exclude?: string[];
}

const CS9 = [
  { id: 'baseos', path: corpus('cs9-baseos-2024-04') },
  { id: 'appstream', path: corpus('cs9-appstream') },
];

function manifest(c: Case, weakDeps: boolean): string {
  const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  return [
    'redproof: 1',
    `family: ${c.name}`,
    `arch: ${c.arch}`,
    `weak-deps: ${weakDeps}`,
    ...(c.exclude ? [`exclude: ${list(c.exclude)}`] : []),
    'repos:',
    ...c.repos.flatMap((r) => [`  - id: ${r.id}`, `    path: ${r.path}`]),
    'host:',
    `  install: ${list(c.host)}`,
    'nodes:',
    ...c.nodes.flatMap((n) => [
      `  - alias: ${n.alias}`,
      `    parent: ${n.parent}`,
      `    install: ${list(n.install)}`,
      ...(n.exclude ? [`    exclude: ${list(n.exclude)}`] : []),
    ]),
    '',
  ].join('\n');
}

async function lock(c: Case, weakDeps: boolean): Promise<Lockfile> {
  const { lock: l, result } = await lockFamily(createNodeHost(), {
    manifestText: manifest(c, weakDeps),
    manifestFile: `${c.name}.yaml`,
    manifestAbsDir: '/',
    manifestFromLock: `${c.name}.yaml`,
  });
  expect(result.findings.filter((f) => f.level === 'error')).toEqual([]);
  return l!;
}

function chains(c: Case): string[][] {
  const leaves = c.nodes.filter((n) => !c.nodes.some((m) => m.parent === n.alias));
  return leaves.map((leaf) => {
    const chain = [leaf.alias];
    let p = leaf.parent;
    while (p !== 'host') {
      chain.unshift(p);
      p = c.nodes.find((n) => n.alias === p)!.parent;
    }
    return ['host', ...chain];
  });
}

const CASES: Case[] = [
  {
    name: 'cs9',
    repos: CS9,
    arch: 'x86_64',
    host: ['bash', 'systemd', 'openssl'],
    // family-wide: openssl-pkcs11 is a weak dependency of the host's openssl
    exclude: ['openssl-pkcs11'],
    nodes: [
      { alias: 'platform', parent: 'host', install: ['python3', 'nodejs'] },
      // rubygem-bundler is a weak dependency of ruby: with weak deps on, the exclude changes the layer
      { alias: 'web', parent: 'platform', install: ['ruby', 'vim-enhanced'], exclude: ['rubygem-bund*'] },
      { alias: 'tools', parent: 'platform', install: ['git', 'tar', 'php-cli'], exclude: ['perl-Git-SVN'] },
    ],
  },
  {
    name: 'tizen',
    repos: [{ id: 'tizen', path: corpus('tizen-serranove') }],
    arch: 'armv7l',
    host: ['bash', 'coreutils'],
    nodes: [{ alias: 'app', parent: 'host', install: ['glib2', 'dbus'] }],
  },
];

for (const c of CASES) {
  for (const weakDeps of [true, false]) {
    describe(`${c.name}, weak deps ${weakDeps ? 'on' : 'off'}: the lock equals dnf`, () => {
      let l: Lockfile;
      beforeAll(async () => {
        l = await lock(c, weakDeps);
      }, 300_000);
      const layer = (alias: string) => l.nodes.find((n) => n.alias === alias)!.packages.map((p) => p.nevra);
      const opts = {
        repos: c.repos,
        arch: c.arch,
        weakDeps,
        cacheDir: cache.dir,
        ...(c.exclude && { excludes: c.exclude }),
      };
      it('host: dnf install of the host requests', () => {
        const dnf = dnfInstall(c.host, opts);
        expect(dnf.ok, dnf.stderr).toBe(true);
        expect(layer('host').sort()).toEqual(dnf.installs.map((i) => i.nevra).sort());
      });
      for (const chain of chains(c)) {
        it(`chain ${chain.join(' → ')}: the union of its layers`, () => {
          const nodes = chain.map((a) =>
            a === 'host'
              ? { requests: c.host }
              : (() => {
                  const n = c.nodes.find((x) => x.alias === a)!;
                  return { requests: n.install, ...(n.exclude && { excludes: n.exclude }) };
                })(),
          );
          const dnf = dnfChain(nodes, opts);
          expect(dnf.ok, dnf.stderr).toBe(true);
          const union = chain.flatMap(layer).sort();
          expect(new Set(union).size).toBe(union.length); // no package twice in a chain
          expect(union).toEqual(dnf.installs.map((i) => i.nevra).sort());
        });
      }
    });
  }
}
