import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createNodeHost } from '../../src/host/node-host.js';
import {
  environmentGroups,
  groupPackages,
  mergeComps,
  parseComps,
  readRepoComps,
} from '../../src/load/comps.js';
import { corpus } from './corpus.js';
import { dnfCache, dnfInstall } from './dnf.js';

describe('comps of real repositories', () => {
  it('reads CS9 BaseOS (group_gz present, plain group listed but absent) and AppStream (plain)', async () => {
    const host = createNodeHost();
    const base = await readRepoComps(host, corpus('cs9-baseos-2024-04'), 'baseos');
    const app = await readRepoComps(host, corpus('cs9-appstream'), 'appstream');
    expect(base?.file).toMatch(/comps-BaseOS\.x86_64\.xml\.gz$/);
    expect(app?.file).toMatch(/comps-AppStream\.x86_64\.xml$/);
    // SOURCE.md: 34 groups, 3 environments
    expect([base!.comps.groups.length, base!.comps.environments.length]).toEqual([34, 3]);
    const core = groupPackages(base!.comps, 'core').map((p) => p.name);
    expect(core.slice(0, 4)).toEqual(['audit', 'basesystem', 'bash', 'coreutils']);
    // counted a second way: the packagereq lines of <group><id>core</id> in the raw XML
    const raw = gunzipSync(
      readFileSync(`${corpus('cs9-baseos-2024-04')}/${base!.file.replace(/^baseos\//, '')}`),
    );
    const block = /<id>core<\/id>[\s\S]*?<\/group>/.exec(raw.toString('utf8'))![0];
    const count = (t: string) => block.split(`type="${t}"`).length - 1;
    expect(groupPackages(base!.comps, 'core', { nodefaults: true }).length).toBe(count('mandatory'));
    expect(core.length).toBe(count('mandatory') + count('default'));
    expect(core).not.toContain('NetworkManager-wifi');
    expect(environmentGroups(base!.comps, 'minimal-environment')).toEqual(['core']);
    const both = mergeComps([base!.comps, app!.comps]);
    expect(both.groups.length).toBeGreaterThan(34);
    const conditional = both.groups.flatMap((g) => g.packages).filter((p) => p.type === 'conditional');
    expect(conditional.length).toBe(4);
    expect(conditional.every((p) => p.requires)).toBe(true);
  });

  it('reads Fedora 40 comps: core has 45 mandatory and default packages', () => {
    const src = readFileSync(`${corpus('fedora-comps')}/comps-f40.xml.in`, 'utf8');
    // the .in source marks translatable tags `_name`; the shipped comps has them as `name`
    const comps = parseComps(src.replace(/<(\/?)_(name|description)\b/g, '<$1$2'), 'comps-f40.xml');
    expect([comps.groups.length, comps.environments.length]).toEqual([158, 21]);
    expect(groupPackages(comps, 'core').length).toBe(45);
    const opt = groupPackages(comps, 'core', { optional: true }).length;
    expect(opt).toBeGreaterThan(45);
  });
});

describe('comps groups against dnf install @core (CS9 BaseOS)', () => {
  it.each([
    ['default package types', {}, []],
    [
      'mandatory and conditional only (kickstart --nodefaults)',
      { nodefaults: true },
      ['group_package_types=mandatory,conditional'],
    ],
  ])('%s: the group packages are the ones dnf installs for the group', async (_, options, setopt) => {
    const dir = corpus('cs9-baseos-2024-04');
    const base = await readRepoComps(createNodeHost(), dir);
    const ours = groupPackages(base!.comps, 'core', { ...options, arch: 'x86_64' }).map((p) => p.name);
    const cache = dnfCache();
    try {
      const dnf = dnfInstall(['@core'], {
        repos: [{ id: 'baseos', path: dir }],
        cacheDir: cache.dir,
        setopt,
      });
      expect(dnf.ok, dnf.stdout + dnf.stderr).toBe(true);
      const theirs = dnf.installs.filter((i) => i.reason === 'group').map((i) => i.name);
      expect([...new Set(theirs)].sort()).toEqual([...new Set(ours)].sort());
    } finally {
      cache.dispose();
    }
  });
});
