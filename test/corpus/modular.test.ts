import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modularExcludes } from '../../src/engine/modular.js';
import { readModularSource } from '../../src/engine/transaction/candidates.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { loadRepository } from '../../src/load/repository.js';
import { loadEngine, type Pool } from '../../src/solver/index.js';
import type { PackageSummary } from '../../src/solver/types.js';
import { corpus, spec } from './corpus.js';
import { type DnfResult, dnfCache, dnfInstall } from './dnf.js';

// redproof's modular filtering against real dnf on the same repositories: what dnf installs must be
// visible, and the modular builds dnf passes over must be hidden.

// modules.yaml through redproof's own reader (xz for CS9, gzip for the libdnf fixture)
const yamlCache = new Map<string, string>();
async function modulesYaml(dir: string): Promise<string> {
  const had = yamlCache.get(dir);
  if (had !== undefined) return had;
  const got = (await readModularSource(createNodeHost(), [{ id: 'm', path: dir, absPath: dir }]))?.docs?.[0];
  if (got === undefined) throw new Error(`${dir}: repomd.xml lists no modules`);
  yamlCache.set(dir, got);
  return got;
}

async function loadPool(names: string[]): Promise<{ pool: Pool; pkgs: PackageSummary[] }> {
  const engine = await loadEngine();
  const pool = engine.createPool('x86_64');
  for (const n of names) await loadRepository(createNodeHost(), engine, pool, spec(n), { noFilelists: true });
  return { pool, pkgs: pool.list() };
}

const cache = dnfCache();
afterAll(() => cache.dispose());

describe('CS9 BaseOS + AppStream: no default streams, so dnf takes the non-modular builds', () => {
  let pool: Pool;
  let pkgs: PackageSummary[];
  let dnf: DnfResult;
  let hidden: Set<number>;

  beforeAll(async () => {
    ({ pool, pkgs } = await loadPool(['cs9-baseos-2024-04', 'cs9-appstream']));
    const r = modularExcludes([await modulesYaml(corpus('cs9-appstream'))], pkgs, {
      whatProvides: (n) => pool.whatProvides(n),
    });
    expect(r.active).toEqual([]);
    hidden = r.hidden;
    dnf = dnfInstall(['nodejs', 'php-cli', 'ruby'], {
      repos: [
        { id: 'baseos', path: corpus('cs9-baseos-2024-04') },
        { id: 'appstream', path: corpus('cs9-appstream') },
      ],
      cacheDir: cache.dir,
    });
    expect(dnf.ok, dnf.stdout + dnf.stderr).toBe(true);
  });

  it.each([
    ['nodejs', '1:16.20.2-8.el9'],
    ['php-cli', '8.0.30-1.el9'],
    ['ruby', '3.0.7-163.el9'],
  ])('%s: dnf installs %s, visible; the highest modular build is hidden', (name, evr) => {
    const pick = dnf.installs.find((i) => i.name === name && i.reason === 'requested')!;
    expect(pick.evr).toBe(evr);
    const candidates = pkgs.filter((p) => p.name === name && p.arch === 'x86_64');
    const chosen = candidates.find((p) => p.nevra === pick.nevra)!;
    expect(hidden.has(chosen.id)).toBe(false);
    const byEvr = [...candidates].sort((a, b) => pool.evrcmp(b.evr, a.evr));
    expect(byEvr[0]!.evr).toMatch(/module/);
    expect(pool.evrcmp(byEvr[0]!.evr, evr)).toBeGreaterThan(0);
    expect(hidden.has(byEvr[0]!.id)).toBe(true);
    // and once the modular builds are hidden, the best one left is dnf's
    expect(byEvr.find((p) => !hidden.has(p.id))!.nevra).toBe(pick.nevra);
  });

  it('reads modules.yaml.xz as xz -dc does', async () => {
    const dir = corpus('cs9-appstream');
    const file = readdirSync(`${dir}/repodata`).find((f) => f.endsWith('modules.yaml.xz'))!;
    const r = spawnSync('xz', ['-dc', `${dir}/repodata/${file}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.error) throw new Error('xz is not installed: this test needs Debian package `xz-utils`');
    expect(await modulesYaml(dir)).toBe(r.stdout);
  });

  it('hides only packages listed as artifacts in modules.yaml', async () => {
    const yaml = await modulesYaml(corpus('cs9-appstream'));
    const listed = new Set(yaml.split('\n').map((l) => l.trim().replace(/^- /, '')));
    const gone = pkgs.filter((p) => hidden.has(p.id));
    expect(gone.length).toBeGreaterThan(100);
    const strict = (p: PackageSummary) => `${p.name}-${p.evr.includes(':') ? p.evr : `0:${p.evr}`}.${p.arch}`;
    expect(gone.filter((p) => !listed.has(strict(p))).map((p) => p.nevra)).toEqual([]);
    // one artifact has no `module` in its release: nodejs:22's v8 devel package
    expect(gone.filter((p) => !/module/.test(p.evr)).map((p) => p.nevra)).toEqual([
      'v8-12.4-devel-3:12.4.254.21-1.22.4.1.4.x86_64',
    ]);
  });
});

describe('CS9 with streams enabled (dnf install @nodejs:20 @ruby:3.3)', () => {
  it('keeps what dnf installs visible and hides the non-modular builds of the same names', async () => {
    const { pool, pkgs } = await loadPool(['cs9-baseos-2024-04', 'cs9-appstream']);
    const r = modularExcludes([await modulesYaml(corpus('cs9-appstream'))], pkgs, {
      enable: ['nodejs:20', 'ruby:3.3'],
      whatProvides: (n) => pool.whatProvides(n),
    });
    const dnf = dnfInstall(['@nodejs:20', '@ruby:3.3'], {
      repos: [
        { id: 'baseos', path: corpus('cs9-baseos-2024-04') },
        { id: 'appstream', path: corpus('cs9-appstream') },
      ],
      platform: 'platform:el9',
      cacheDir: cache.dir,
    });
    expect(dnf.ok, dnf.stdout + dnf.stderr).toBe(true);
    expect(r.active.map((a) => `${a.module}:${a.stream}`)).toEqual(dnf.modules);
    for (const i of dnf.installs) {
      const p = pkgs.find((q) => q.nevra === i.nevra)!;
      expect(r.hidden.has(p.id), i.nevra).toBe(false);
    }
    for (const name of ['nodejs', 'ruby']) {
      const pick = dnf.installs.find((i) => i.name === name)!;
      expect(pick.evr).toMatch(/module_el9/);
      const visible = pkgs
        .filter((p) => p.name === name && p.arch === 'x86_64' && !r.hidden.has(p.id))
        .sort((a, b) => pool.evrcmp(b.evr, a.evr));
      expect(visible[0]!.nevra).toBe(pick.nevra);
      expect(visible.every((p) => /module_el9/.test(p.evr))).toBe(true);
    }
  });
});

describe('libdnf modules fixture: default stream httpd:2.4 and the base-runtime stream it requires', () => {
  it('activates the streams dnf enables and hides what dnf does not take', async () => {
    const dir = `${corpus('libdnf-modules-fixture')}/_all/x86_64`;
    const engine = await loadEngine();
    const pool = engine.createPool('x86_64');
    await loadRepository(
      createNodeHost(),
      engine,
      pool,
      { id: 'all', path: '_all', absPath: dir },
      {
        noFilelists: true,
      },
    );
    const pkgs = pool.list();
    const r = modularExcludes([await modulesYaml(dir)], pkgs, { whatProvides: (n) => pool.whatProvides(n) });
    const dnf = dnfInstall(['httpd'], {
      repos: [{ id: 'all', path: dir }],
      cacheDir: cache.dir,
      releasever: '26',
    });
    expect(dnf.ok, dnf.stdout + dnf.stderr).toBe(true);
    expect(r.active.map((a) => `${a.module}:${a.stream}`)).toEqual(dnf.modules);
    const httpd = pkgs.filter((p) => p.name === 'httpd' && p.arch === 'x86_64');
    const pick = dnf.installs.find((i) => i.name === 'httpd')!;
    const visible = httpd.filter((p) => !r.hidden.has(p.id)).sort((a, b) => pool.evrcmp(b.evr, a.evr));
    expect(visible[0]!.nevra).toBe(pick.nevra);
    // httpd 2.2 (other stream) is hidden; so is a non-modular package that only provides `httpd`
    expect(httpd.filter((p) => p.evr.startsWith('2.2')).every((p) => r.hidden.has(p.id))).toBe(true);
    const impostor = pkgs.find((p) => p.name === 'httpd-provides-name')!;
    expect(r.hidden.has(impostor.id)).toBe(true);
    for (const i of dnf.installs) {
      const p = pkgs.find((q) => q.nevra === i.nevra)!;
      expect(r.hidden.has(p.id), i.nevra).toBe(false);
    }
  });
});
