import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockFamily } from '../../src/engine/lock/lock.js';
import type { Lockfile } from '../../src/engine/lock/lockfile.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { corpus } from './corpus.js';
import { dnfCache, dnfChain, dnfInstall } from './dnf.js';

// `host.kickstart` against real dnf given what anaconda gives it (`install_specs(install, exclude)`:
// `@core` unless --nocore, the groups, the packages; `-name` lines as excludes; `module` lines as
// `dnf module enable` first), and comps conditional packages (`<packagereq type="conditional">`),
// which dnf installs as `(A if B)`: over CS9 AppStream, group input-methods has ibus-gtk2 / ibus-gtk3
// and gtk2-immodule-xim / gtk3-immodule-xim, conditional on gtk2 and gtk3.

const cache = dnfCache();
const dir = mkdtempSync(join(tmpdir(), 'redproof-ks-dnf-'));
afterAll(() => {
  cache.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const BASEOS = { id: 'baseos', path: corpus('cs9-baseos-2024-04') };
const APPSTREAM = { id: 'appstream', path: corpus('cs9-appstream') };
let serial = 0;

async function lockKs(
  ks: string,
  repos: { id: string; path: string }[],
  nodes = '',
): Promise<{ lock: Lockfile | undefined; findings: string[] }> {
  const sub = join(dir, `case-${serial++}`);
  mkdirSync(sub);
  writeFileSync(join(sub, 'host.ks'), ks);
  const text = [
    'redproof: 1',
    'family: ks',
    'arch: x86_64',
    'repos:',
    ...repos.flatMap((r) => [`  - id: ${r.id}`, `    path: ${r.path}`]),
    'host:',
    '  kickstart: host.ks',
    nodes,
  ].join('\n');
  const { lock, result } = await lockFamily(createNodeHost(), {
    manifestText: text,
    manifestFile: 'family.yaml',
    manifestAbsDir: sub,
    manifestFromLock: 'family.yaml',
    readSync: (abs) => readFileSync(abs, 'utf8'),
  });
  return { lock, findings: result.findings.filter((f) => f.level === 'error').map((f) => f.message) };
}

const layer = (l: Lockfile, alias: string) =>
  l.nodes.find((n) => n.alias === alias)!.packages.map((p) => p.nevra);
const names = (nevras: string[]) => nevras.map((n) => n.replace(/-[^-]+-[^-]+$/, ''));

describe('a kickstart host equals dnf given what anaconda gives it (CS9 BaseOS)', () => {
  it('@core implied (no --nocore), a package and -glob excludes', async () => {
    const { lock, findings } = await lockKs(
      '%packages\nvim-minimal\n-NetworkManager-wifi\n-iwl*\n-linux-firmware*\n%end\n',
      [BASEOS],
    );
    expect(findings).toEqual([]);
    const dnf = dnfInstall(['@core', 'vim-minimal'], {
      repos: [BASEOS],
      excludes: ['NetworkManager-wifi', 'iwl*', 'linux-firmware*'],
      cacheDir: cache.dir,
    });
    expect(dnf.ok, dnf.stderr).toBe(true);
    expect(layer(lock!, 'host')).toEqual(dnf.installs.map((i) => i.nevra));
    expect(names(layer(lock!, 'host'))).toContain('openssh-server'); // a package of @core
    expect(names(layer(lock!, 'host')).filter((n) => /^iwl|^linux-firmware/.test(n))).toEqual([]);
  }, 300_000);

  it('--nocore: only what the kickstart names', async () => {
    const { lock } = await lockKs('%packages --nocore\nbash\n%end\n', [BASEOS]);
    const dnf = dnfInstall(['bash'], { repos: [BASEOS], cacheDir: cache.dir });
    expect(dnf.ok, dnf.stderr).toBe(true);
    expect(layer(lock!, 'host')).toEqual(dnf.installs.map((i) => i.nevra));
  }, 300_000);

  it('module --name --stream: nodejs 20, as after dnf module enable nodejs:20', async () => {
    const { lock, findings } = await lockKs(
      'module --name=nodejs --stream=20\n%packages --nocore\nnodejs\n%end\n',
      [BASEOS, APPSTREAM],
    );
    expect(findings).toEqual([]);
    const dnf = dnfInstall(['nodejs'], {
      repos: [BASEOS, APPSTREAM],
      platform: 'platform:el9',
      modules: { enable: ['nodejs:20'] },
      cacheDir: cache.dir,
    });
    expect(dnf.ok, dnf.stderr).toBe(true);
    expect(layer(lock!, 'host')).toEqual(dnf.installs.map((i) => i.nevra));
  }, 300_000);
});

describe('comps conditional packages, as dnf installs them (CS9 AppStream input-methods)', () => {
  const repos = [BASEOS, APPSTREAM];
  for (const [label, extra, weakDeps] of [
    ['gtk3 comes with the group: its conditionals go in, gtk2 ones do not', '', true],
    ['gtk2 requested too: the gtk2 conditionals go in', 'gtk2\n', true],
    ['weak deps off', '', false],
  ] as const) {
    it(label, async () => {
      const { lock, findings } = await lockKs(
        `%packages --nocore${weakDeps ? '' : ' --exclude-weakdeps'}\n@input-methods\n${extra}%end\n`,
        repos,
      );
      expect(findings).toEqual([]);
      const dnf = dnfInstall(['@input-methods', ...(extra ? ['gtk2'] : [])], {
        repos,
        weakDeps,
        cacheDir: cache.dir,
      });
      expect(dnf.ok, dnf.stderr).toBe(true);
      const host = layer(lock!, 'host');
      expect(host).toEqual(dnf.installs.map((i) => i.nevra));
      const got = names(host).filter((n) => /immodule-xim|^ibus-gtk/.test(n));
      expect(got).toEqual(
        extra
          ? ['gtk2-immodule-xim', 'gtk3-immodule-xim', 'ibus-gtk2', 'ibus-gtk3']
          : ['gtk3-immodule-xim', 'ibus-gtk3'],
      );
    }, 300_000);
  }

  it('in a node, a condition met by an ancestor brings the conditional package into the node', async () => {
    const { lock, findings } = await lockKs(
      '%packages --nocore\ngtk2\n%end\n',
      repos,
      ['nodes:', '  - alias: im', '    install: ["@input-methods"]'].join('\n'),
    );
    expect(findings).toEqual([]);
    const im = names(layer(lock!, 'im'));
    expect(im).toContain('ibus-gtk2');
    expect(im).toContain('gtk2-immodule-xim');
    expect(im).not.toContain('gtk2');
    const dnf = dnfChain([{ requests: ['gtk2'] }, { requests: ['@input-methods'] }], {
      repos,
      cacheDir: cache.dir,
    });
    expect(dnf.ok, dnf.stderr).toBe(true);
    expect([...layer(lock!, 'host'), ...layer(lock!, 'im')].sort()).toEqual(dnf.installs.map((i) => i.nevra));
  }, 300_000);
});
