import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnfCache, dnfChain, dnfInstall, parseDnfTransaction, requireDnf } from '../corpus/dnf.js';
import { requireTool } from './require-tool.js';

// A tiny repository of real rpms (rpmbuild + createrepo_c) proves the harness against dnf itself.
const LONG = 'a-package-with-a-name-long-enough-to-make-dnf-wrap-its-table-row';
const SPECS: { name: string; version: string; epoch?: number; deps?: string }[] = [
  { name: 'app', version: '1.0', deps: 'Requires: libfoo\n' },
  {
    name: 'app',
    version: '2.0',
    deps: `Requires: libfoo\nRequires: other\nRequires: ${LONG}\nRecommends: extra\n`,
  },
  { name: 'libfoo', version: '1.0' },
  { name: 'other', version: '1.0', epoch: 2 },
  { name: 'extra', version: '1.0' },
  { name: LONG, version: '1.0' },
];

function tool(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
}

let top: string;
let repo: string;
let cache: ReturnType<typeof dnfCache>;

beforeAll(() => {
  requireDnf();
  requireTool('rpmbuild', 'rpm');
  requireTool('createrepo_c', 'createrepo-c');
  top = mkdtempSync(join(tmpdir(), 'redproof-dnf-repo-'));
  repo = join(top, 'repo');
  mkdirSync(join(top, 'SPECS'), { recursive: true });
  for (const s of SPECS) {
    const spec = join(top, 'SPECS', `${s.name}-${s.version}.spec`);
    writeFileSync(
      spec,
      `Name: ${s.name}\nVersion: ${s.version}\nRelease: 1\n${s.epoch ? `Epoch: ${s.epoch}\n` : ''}Summary: t\nLicense: MIT\nBuildArch: noarch\n${s.deps ?? ''}%description\nt\n%files\n`,
    );
    tool('rpmbuild', ['-bb', '--quiet', '--define', `_topdir ${top}`, '--define', `_rpmdir ${repo}`, spec]);
  }
  tool('createrepo_c', ['--quiet', repo]);
  cache = dnfCache();
});

afterAll(() => {
  cache?.dispose();
  if (top) rmSync(top, { recursive: true, force: true });
});

const opts = () => ({ repos: [{ id: 'tiny', path: repo }], cacheDir: cache.dir });
const rows = (r: ReturnType<typeof dnfInstall>) => r.installs.map((i) => `${i.reason} ${i.nevra}`);

describe('dnf harness on a tiny repository', () => {
  it('gives the best version, its dependencies (epoch, wrapped long name) and weak ones', () => {
    const r = dnfInstall(['app'], opts());
    expect(r.ok, r.stderr).toBe(true);
    expect(rows(r)).toEqual([
      `dependency ${LONG}-1.0-1.noarch`,
      'requested app-2.0-1.noarch',
      'weak extra-1.0-1.noarch',
      'dependency libfoo-1.0-1.noarch',
      'dependency other-2:1.0-1.noarch',
    ]);
    expect(r.installs.every((i) => i.repo === 'tiny')).toBe(true);
  });

  it('honours install_weak_deps, excludepkgs and a NEVRA request', () => {
    expect(rows(dnfInstall(['app'], { ...opts(), weakDeps: false }))).not.toContain(
      'weak extra-1.0-1.noarch',
    );
    expect(rows(dnfInstall(['app'], { ...opts(), excludes: ['extra'] }))).not.toContain(
      'weak extra-1.0-1.noarch',
    );
    expect(rows(dnfInstall(['app-1.0-1.noarch'], opts()))).toEqual([
      'requested app-1.0-1.noarch',
      'dependency libfoo-1.0-1.noarch',
    ]);
  });

  it('reports a failure with dnf’s own words and no installs', () => {
    const missing = dnfInstall(['nope'], opts());
    expect(missing.ok).toBe(false);
    expect(missing.installs).toEqual([]);
    expect(missing.problems).toMatch(/No match for argument: nope\nError: Unable to find a match: nope/);
    const broken = dnfInstall(['app'], { ...opts(), excludes: ['libfoo'] });
    expect(broken.ok).toBe(false);
    expect(broken.problems).toMatch(/package libfoo-1.0-1.noarch is filtered out by exclude filtering/);
  });

  it('installs a whole chain at once', () => {
    const r = dnfChain([{ requests: ['libfoo'] }, { requests: ['app'], excludes: ['extra'] }], opts());
    expect(rows(r)).toEqual([
      `dependency ${LONG}-1.0-1.noarch`,
      'requested app-2.0-1.noarch',
      'requested libfoo-1.0-1.noarch',
      'dependency other-2:1.0-1.noarch',
    ]);
  });

  it('fails loudly, naming the Debian package, when dnf is missing', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => requireDnf()).toThrow(/Debian package `dnf`/);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('parseDnfTransaction', () => {
  it('reads sections, wrapped names, sizes without a unit and module streams', () => {
    const out = [
      'Dependencies resolved.',
      '=====',
      ' Package      Architecture  Version     Repository   Size',
      '=====',
      'Installing group/module packages:',
      ' nodejs       x86_64  1:20.1-1    appstream    1.2 M',
      'Installing dependencies:',
      ' a-very-long-package-name-that-wraps',
      '              noarch  1.0-1       baseos       512',
      'Enabling module streams:',
      ' nodejs                   20',
      '',
      'Transaction Summary',
      ' not-a-row    x86_64  1-1         r            1 k',
    ].join('\n');
    expect(parseDnfTransaction(out)).toEqual({
      installs: [
        {
          nevra: 'a-very-long-package-name-that-wraps-1.0-1.noarch',
          name: 'a-very-long-package-name-that-wraps',
          evr: '1.0-1',
          arch: 'noarch',
          repo: 'baseos',
          reason: 'dependency',
        },
        {
          nevra: 'nodejs-1:20.1-1.x86_64',
          name: 'nodejs',
          evr: '1:20.1-1',
          arch: 'x86_64',
          repo: 'appstream',
          reason: 'group',
        },
      ],
      modules: ['nodejs:20'],
      sawTable: true,
    });
  });
});
