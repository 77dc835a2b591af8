import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyCheck } from '../../src/engine/family-check.js';
import { lockFamily } from '../../src/engine/lock/lock.js';
import type { Lockfile } from '../../src/engine/lock/lockfile.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { InputError } from '../../src/load/errors.js';
import { corpus } from './corpus.js';
import { dnfCache, dnfChain, dnfInstall } from './dnf.js';

// Module streams from the manifest (`modules:` family-wide and per node) against real dnf, which gets
// the same streams with `dnf module enable` / `dnf module disable` in its root before `dnf install`.
// Over CentOS Stream 9 (no default streams): the family enables ruby:3.3; node `legacy` disables ruby
// (its own module state: red-pak installs into the node's own root), node `web` adds nodejs:20 and
// php:8.2. For every chain the union of its layers is dnf's resolution of the chain's requests with the
// leaf's streams (the host's requests touch no module).

const cache = dnfCache();
afterAll(() => cache.dispose());

const REPOS = [
  { id: 'baseos', path: corpus('cs9-baseos-2024-04') },
  { id: 'appstream', path: corpus('cs9-appstream') },
];
const HOST_REQUESTS = ['bash', 'coreutils'];

const MANIFEST = [
  'redproof: 1',
  'family: cs9-streams',
  'arch: x86_64',
  'repos:',
  ...REPOS.flatMap((r) => [`  - id: ${r.id}`, `    path: ${r.path}`]),
  'modules:',
  '  enable: [ruby:3.3]',
  'host:',
  `  install: [${HOST_REQUESTS.join(', ')}]`,
  'nodes:',
  '  - alias: web',
  '    parent: host',
  '    install: [nodejs, php-cli, ruby]',
  '    modules: {enable: [nodejs:20, php:8.2]}',
  '  - alias: legacy',
  '    parent: host',
  '    install: [ruby]',
  '    modules: {disable: [ruby]}',
  '',
].join('\n');

const lockIt = (text: string) =>
  lockFamily(createNodeHost(), {
    manifestText: text,
    manifestFile: 'streams.yaml',
    manifestAbsDir: '/',
    manifestFromLock: 'streams.yaml',
  });

const opts = { repos: REPOS, platform: 'platform:el9', cacheDir: cache.dir };

describe('module streams from the manifest equal dnf module enable/disable', () => {
  let l: Lockfile;
  beforeAll(async () => {
    const { lock, result } = await lockIt(MANIFEST);
    expect(result.findings.filter((f) => f.level === 'error')).toEqual([]);
    l = lock!;
  }, 300_000);
  const layer = (alias: string) => l.nodes.find((n) => n.alias === alias)!.packages.map((p) => p.nevra);

  it('host: dnf install of the host requests with ruby:3.3 enabled', () => {
    const dnf = dnfInstall(HOST_REQUESTS, { ...opts, modules: { enable: ['ruby:3.3'] } });
    expect(dnf.ok, dnf.stderr).toBe(true);
    expect(layer('host')).toEqual(dnf.installs.map((i) => i.nevra));
  });

  it('host → web: nodejs 20, php 8.2 and ruby 3.3, as dnf takes them with those streams', () => {
    const dnf = dnfChain([{ requests: HOST_REQUESTS }, { requests: ['nodejs', 'php-cli', 'ruby'] }], {
      ...opts,
      modules: { enable: ['ruby:3.3', 'nodejs:20', 'php:8.2'] },
    });
    expect(dnf.ok, dnf.stderr).toBe(true);
    expect([...layer('host'), ...layer('web')].sort()).toEqual(dnf.installs.map((i) => i.nevra));
    const web = layer('web');
    expect(web.find((n) => n.startsWith('nodejs-1:'))).toMatch(/^nodejs-1:20\..*module_el9/);
    expect(web.find((n) => n.startsWith('php-cli-'))).toMatch(/^php-cli-8\.2\..*module_el9/);
    expect(web.find((n) => n.startsWith('ruby-3'))).toMatch(/^ruby-3\.3\..*module_el9/);
  });

  it('host → legacy: ruby disabled in the node, so the non-modular ruby 3.0', () => {
    const dnf = dnfChain([{ requests: HOST_REQUESTS }, { requests: ['ruby'] }], {
      ...opts,
      modules: { disable: ['ruby'] },
    });
    expect(dnf.ok, dnf.stderr).toBe(true);
    expect([...layer('host'), ...layer('legacy')].sort()).toEqual(dnf.installs.map((i) => i.nevra));
    expect(layer('legacy')).toContain('ruby-3.0.7-163.el9.x86_64');
  });

  it("check's name entries take the layer's streams too", async () => {
    const r = await familyCheck(createNodeHost(), {
      manifestText: MANIFEST.replace('install: [nodejs, php-cli, ruby]', 'packages: [nodejs, ruby]').replace(
        '    install: [ruby]\n',
        '    packages: [ruby]\n',
      ),
      manifestFile: 'streams.yaml',
      manifestAbsDir: '/',
    });
    const pick = (node: string, name: string) =>
      r.subjects
        .find((s) => s.id === node)!
        .packages.map((p) => p.nevra)
        .find((n) => n.startsWith(`${name}-`));
    expect(pick('web', 'nodejs')).toBe(layer('web').find((n) => n.startsWith('nodejs-1:')));
    expect(pick('web', 'ruby')).toBe(layer('web').find((n) => n.startsWith('ruby-3')));
    expect(pick('legacy', 'ruby')).toBe('ruby-3.0.7-163.el9.x86_64');
  }, 300_000);

  it("a node's own modular NEVRA enables its stream there, as dnf did when it installed it", async () => {
    const nodejs20 = layer('web').find((n) => n.startsWith('nodejs-1:'))!;
    const text = MANIFEST.replace(
      '    install: [nodejs, php-cli, ruby]\n    modules: {enable: [nodejs:20, php:8.2]}\n',
      `    packages: [${nodejs20}]\n    install: [npm]\n`,
    );
    const { lock, result } = await lockIt(text);
    // `packages:` is exact contents (nodejs alone, its own requirements left open: RP001): only npm's pick matters
    expect(result.findings.filter((f) => /^RP05[0-3]$/.test(f.rule))).toEqual([]);
    const npm = lock!.nodes.find((n) => n.alias === 'web')!.packages.find((p) => p.nevra.startsWith('npm-'));
    const dnf = dnfInstall(['nodejs', 'npm'], { ...opts, modules: { enable: ['nodejs:20'] } });
    expect(dnf.ok, dnf.stderr).toBe(true);
    expect(npm?.nevra).toBe(dnf.installs.find((i) => i.name === 'npm')!.nevra);
    expect(npm?.nevra).toMatch(/module_el9/);
  }, 300_000);

  it('a stream the repositories do not have is an input error at the manifest entry', async () => {
    const bad = MANIFEST.replace('enable: [nodejs:20, php:8.2]', 'enable: [nodejs:99, php:8.2]');
    const err = await lockIt(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    const e = err as InputError;
    expect(e.reason).toBe('no stream `99` of module `nodejs` in the repositories');
    expect(e.line).toBe(bad.split('\n').findIndex((x) => x.includes('nodejs:99')) + 1);
    expect(e.expected).toMatch(/`nodejs:20`/);
  }, 300_000);
});
