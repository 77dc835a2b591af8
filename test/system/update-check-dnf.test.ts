import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type UpdateChange, updateCheck } from '../../src/engine/update-check.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { type DnfUpgradeResult, dnfCache, dnfUpgrade, requireDnf } from '../corpus/dnf.js';
import { buildRpms, installRpms, type PackageSpec, requireRpmTools } from '../load/redpak/make-image.js';
import { requireTool } from './require-tool.js';

// update-check plans what Debian's real dnf (4.14 over libdnf and libsolv) does for `dnf upgrade`,
// `dnf upgrade NAME` and `dnf upgrade --security`, with best=True and best=False, when the newest build
// of a package needs what nothing provides. The installed packages are real rpms in an installroot's
// rpm database (`rpm --root`); the family has them in its host layer, which is what dnf sees there.
const OLD: PackageSpec[] = [
  { name: 'app', version: '1.0', release: '1' },
  { name: 'tool', version: '1.0', release: '1' },
  { name: 'solo', version: '1.0', release: '1' },
];
const NEW: PackageSpec[] = [
  { name: 'app', version: '1.1', release: '1' },
  { name: 'app', version: '2.0', release: '1', requires: ['libnew'] },
  { name: 'tool', version: '1.1', release: '1' },
  // no build between the installed one and the broken newest: with best=False solo stays
  { name: 'solo', version: '2.0', release: '1', requires: ['libnew'] },
];
const UPDATEINFO = `<?xml version="1.0" encoding="UTF-8"?>
<updates>
  <update from="test@redproof.invalid" status="stable" type="security" version="1">
    <id>SA-1</id>
    <title>SA-1</title>
    <issued date="2024-01-01 00:00:00"/>
    <severity>Important</severity>
    <description>app and tool security fixes</description>
    <pkglist>
      <collection short="c">
        <name>c</name>
        <package name="app" version="2.0" release="1" epoch="0" arch="noarch"><filename>app-2.0-1.noarch.rpm</filename></package>
        <package name="tool" version="1.1" release="1" epoch="0" arch="noarch"><filename>tool-1.1-1.noarch.rpm</filename></package>
      </collection>
    </pkglist>
  </update>
</updates>
`;

let top: string;
let root: string;
let cache: ReturnType<typeof dnfCache>;

function repoOf(dir: string, specs: PackageSpec[]): void {
  mkdirSync(dir, { recursive: true });
  specs.forEach((s, i) => {
    // one build directory per spec: buildRpms names spec files after the package
    const rpm = buildRpms(join(top, 'build', `${s.name}-${s.version}-${i}`), [s]).get(s.name)!;
    copyFileSync(rpm, join(dir, `${s.name}-${s.version}-${s.release}.noarch.rpm`));
  });
  execFileSync('createrepo_c', ['--quiet', dir]);
}

beforeAll(() => {
  requireDnf();
  requireRpmTools();
  requireTool('createrepo_c', 'createrepo-c');
  requireTool('modifyrepo_c', 'createrepo-c');
  top = mkdtempSync(join(tmpdir(), 'redproof-update-dnf-'));
  repoOf(join(top, 'old'), OLD);
  repoOf(join(top, 'new'), NEW);
  writeFileSync(join(top, 'updateinfo.xml'), UPDATEINFO);
  execFileSync('modifyrepo_c', [
    '--mdtype=updateinfo',
    join(top, 'updateinfo.xml'),
    join(top, 'new', 'repodata'),
  ]);
  root = join(top, 'root');
  mkdirSync(root);
  installRpms(
    root,
    OLD.map((s) => join(top, 'old', `${s.name}-${s.version}-${s.release}.noarch.rpm`)),
  );
  cache = dnfCache();
}, 240_000);

afterAll(() => {
  cache?.dispose();
  if (top) rmSync(top, { recursive: true, force: true });
});

const FAMILY = `redproof: 1
family: dnf-upgrade
arch: x86_64
repos:
  - id: old
    path: old
host:
  packages: [app, tool, solo]
`;

async function redproof(change: UpdateChange, best: boolean) {
  const o = await updateCheck(createNodeHost(), {
    manifestText: FAMILY,
    manifestFile: 'dnf-upgrade.yaml',
    manifestAbsDir: top,
    to: [{ id: 'new', path: 'new', absPath: join(top, 'new') }],
    change,
    best,
  });
  const host = o.plan.nodes.find((n) => n.node === 'host')!;
  return {
    ok: host.status !== 'failed',
    upgrades: host.transaction
      .filter((s) => s.action === 'upgrade')
      .map((s) => s.to!)
      .sort(),
    refused: o.result.findings
      .filter((f) => f.rule === 'RP024')
      .map((f) => `${f.package} -> ${f.other}`)
      .sort(),
    rules: o.result.findings.map((f) => f.rule),
  };
}

const dnf = (args: string[], best: boolean) =>
  dnfUpgrade(root, args, {
    repos: [
      { id: 'old', path: join(top, 'old') },
      { id: 'new', path: join(top, 'new') },
    ],
    best,
    cacheDir: cache.dir,
  });

/** dnf's refusals: "cannot install the best update candidate for package OLD", then "… needed by BEST". */
function dnfRefused(r: DnfUpgradeResult): string[] {
  return r.problems
    .split(/^ ?Problem(?: \d+)?: /m)
    .slice(1)
    .map((p) => {
      const old = /cannot install the best update candidate for package (\S+)/.exec(p)?.[1];
      const best = /needed by (\S+)/.exec(p)?.[1];
      return `${old} -> ${best}`;
    })
    .sort();
}

const CASES: { label: string; args: string[]; change: UpdateChange }[] = [
  { label: 'dnf upgrade', args: [], change: { upgradeAll: true } },
  { label: 'dnf upgrade app', args: ['app'], change: { upgrade: [{ node: 'host', pattern: 'app' }] } },
  { label: 'dnf upgrade --security', args: ['--security'], change: { securityOnly: true } },
];

describe('update-check plans what dnf upgrade does (best=True)', () => {
  for (const c of CASES) {
    it(`${c.label}: dnf fails on the best candidates redproof reports as RP024, and changes nothing`, async () => {
      const d = dnf(c.args, true);
      const r = await redproof(c.change, true);
      expect(d.ok, d.stdout).toBe(false);
      expect(d.stderr).toMatch(/^Error: $/m);
      expect(r.ok).toBe(false);
      expect(r.upgrades).toEqual([]);
      expect(r.rules.every((x) => x === 'RP024')).toBe(true);
      expect(r.refused).toEqual(dnfRefused(d));
      expect(r.refused.length).toBeGreaterThan(0);
    });
  }

  it('the refusals are the expected ones', () => {
    expect(dnfRefused(dnf([], true))).toEqual([
      'app-1.0-1.noarch -> app-2.0-1.noarch',
      'solo-1.0-1.noarch -> solo-2.0-1.noarch',
    ]);
    expect(dnfRefused(dnf(['app'], true))).toEqual(['app-1.0-1.noarch -> app-2.0-1.noarch']);
  });
});

describe('update-check plans what dnf upgrade does (best=False)', () => {
  const expected: Record<string, { upgrades: string[]; skipped: string[] }> = {
    'dnf upgrade': {
      upgrades: ['app-1.1-1.noarch', 'tool-1.1-1.noarch'],
      skipped: ['app-2.0-1.noarch', 'solo-2.0-1.noarch'],
    },
    'dnf upgrade app': { upgrades: ['app-1.1-1.noarch'], skipped: ['app-2.0-1.noarch'] },
    'dnf upgrade --security': { upgrades: ['tool-1.1-1.noarch'], skipped: ['app-2.0-1.noarch'] },
  };
  for (const c of CASES) {
    it(`${c.label}: redproof's plan is dnf's "Upgrading:" table; what dnf skips is not taken`, async () => {
      const d = dnf(c.args, false);
      const r = await redproof(c.change, false);
      expect(d.ok, d.stderr).toBe(true);
      expect(r.ok).toBe(true);
      expect(r.rules).toEqual([]);
      expect(r.upgrades).toEqual(d.upgrades);
      expect({ upgrades: d.upgrades, skipped: d.skipped }).toEqual(expected[c.label]);
      for (const s of d.skipped) expect(r.upgrades).not.toContain(s);
      // dnf still says why it skipped them
      expect(d.problems).toMatch(/cannot install the best update candidate for package app-1\.0-1\.noarch/);
    });
  }
});
