import { afterAll, describe, expect, it } from 'vitest';
import { lockFamily } from '../../src/engine/lock/lock.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { corpus } from './corpus.js';
import { dnfCache, dnfChain, dnfInstall } from './dnf.js';

// Every form of install spec the manifest takes, as `dnf install` takes it, over CS9 BaseOS+AppStream:
// a name.arch, a glob (one job per matching name), a soname provide, a file, a NEVRA and a comps group
// from `install:` (in a node, on top of the host).

const cache = dnfCache();
afterAll(() => cache.dispose());

const REPOS = [
  { id: 'baseos', path: corpus('cs9-baseos-2024-04') },
  { id: 'appstream', path: corpus('cs9-appstream') },
];
const HOST = ['bash.x86_64', 'python3-url*', 'libcurl.so.4()(64bit)', '/usr/bin/tar', 'jq-1.6-13.el9.x86_64'];
const NODE = ['@container-management'];

describe('install specs as dnf install takes them (CS9)', () => {
  it('the host layer is dnf install of the host specs; host → node is dnf install of both', async () => {
    const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
    const manifest = [
      'redproof: 1',
      'family: specs',
      'arch: x86_64',
      'repos:',
      ...REPOS.flatMap((r) => [`  - id: ${r.id}`, `    path: ${r.path}`]),
      'host:',
      `  install: ${list(HOST)}`,
      'nodes:',
      '  - alias: containers',
      `    install: ${list(NODE)}`,
      '',
    ].join('\n');
    const { lock, result } = await lockFamily(createNodeHost(), {
      manifestText: manifest,
      manifestFile: 'specs.yaml',
      manifestAbsDir: '/',
      manifestFromLock: 'specs.yaml',
    });
    expect(result.findings.filter((f) => f.level === 'error')).toEqual([]);
    const layer = (a: string) => lock!.nodes.find((n) => n.alias === a)!.packages.map((p) => p.nevra);
    const dnf = dnfInstall(HOST, { repos: REPOS, cacheDir: cache.dir });
    expect(dnf.ok, dnf.stderr).toBe(true);
    expect(layer('host')).toEqual(dnf.installs.map((i) => i.nevra));
    // the glob matched more than one name, each requested
    const host = lock!.nodes.find((n) => n.alias === 'host')!.packages;
    expect(
      host.filter((p) => p.nevra.startsWith('python3-url') && p.reason === 'requested').length,
    ).toBeGreaterThan(1);
    expect(host.find((p) => p.nevra === 'jq-1.6-13.el9.x86_64')?.reason).toBe('requested');
    const chain = dnfChain([{ requests: HOST }, { requests: NODE }], { repos: REPOS, cacheDir: cache.dir });
    expect(chain.ok, chain.stderr).toBe(true);
    expect([...layer('host'), ...layer('containers')].sort()).toEqual(chain.installs.map((i) => i.nevra));
    expect(layer('containers').length).toBeGreaterThan(10);
  }, 300_000);
});
