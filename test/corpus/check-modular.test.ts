import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyCheck } from '../../src/engine/family-check.js';
import { updateCheck } from '../../src/engine/update-check.js';
import { createNodeHost } from '../../src/host/node-host.js';
import type { CheckResult } from '../../src/model/finding.js';
import { corpus } from './corpus.js';
import { type DnfResult, dnfCache, dnfInstall } from './dnf.js';

// `check`'s name entries and update-check's `--install` go through the candidate selection of `lock`
// (src/engine/transaction/candidates.ts): a name is what `dnf install NAME` takes, modular filtering
// included. Over CentOS Stream 9 (no default streams) dnf installs the non-modular nodejs 16, php 8.0
// and ruby 3.0; the highest builds in AppStream are modular (nodejs 22, php 8.2, ruby 3.3).

const cache = dnfCache();
afterAll(() => cache.dispose());

const REPOS = [
  { id: 'baseos', path: corpus('cs9-baseos-2024-04') },
  { id: 'appstream', path: corpus('cs9-appstream') },
];
const REQUESTS = ['nodejs', 'php-cli', 'ruby'];

function manifest(host: readonly string[], nodes = ''): string {
  return [
    'redproof: 1',
    'family: cs9-modular',
    'arch: x86_64',
    'repos:',
    ...REPOS.flatMap((r) => [`  - id: ${r.id}`, `    path: ${r.path}`]),
    'host:',
    `  packages: [${host.join(', ')}]`,
    nodes,
  ].join('\n');
}

const nevras = (r: CheckResult, layer: string) =>
  r.subjects.find((s) => s.id === layer)!.packages.map((p) => p.nevra);

describe('check over CS9: name entries pick what dnf installs', () => {
  let dnf: DnfResult;
  beforeAll(() => {
    dnf = dnfInstall(REQUESTS, { repos: REPOS, cacheDir: cache.dir });
    expect(dnf.ok, dnf.stdout + dnf.stderr).toBe(true);
  });

  it("the requests listed by name are dnf's builds; with the rest of dnf's transaction the family is clean", async () => {
    // the rest by NEVRA: a name entry is the highest visible build, which a dependency dnf chose need
    // not be (gawk-all-langpacks 5.1.0-5, pinned by gawk's requirement in this skewed BaseOS+AppStream)
    const entries = dnf.installs.map((i) => (REQUESTS.includes(i.name) ? i.name : i.nevra));
    const r = await familyCheck(createNodeHost(), {
      manifestText: manifest(entries),
      manifestFile: 'family.yaml',
      manifestAbsDir: '/',
    });
    expect(nevras(r, 'host')).toEqual(dnf.installs.map((i) => i.nevra));
    for (const [name, evr] of [
      ['nodejs', '1:16.20.2-8.el9'],
      ['php-cli', '8.0.30-1.el9'],
      ['ruby', '3.0.7-163.el9'],
    ]) {
      expect(nevras(r, 'host')).toContain(`${name}-${evr}.x86_64`);
    }
    expect(r.findings.filter((f) => f.level === 'error')).toEqual([]);
  }, 300_000);

  it('a name with only modular builds of streams no one enabled is RP006, naming the hidden builds', async () => {
    // pgvector ships only in the postgresql module streams
    const r = await familyCheck(createNodeHost(), {
      manifestText: manifest(['pgvector']),
      manifestFile: 'family.yaml',
      manifestAbsDir: '/',
    });
    const f = r.findings.filter((x) => x.rule === 'RP006');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/matches only modular builds that dnf hides/);
    expect(f[0]!.evidence.every((e) => e.role === 'modular' && /module_el9/.test(e.package!))).toBe(true);
    const dnfSays = dnfInstall(['pgvector'], { repos: REPOS, cacheDir: cache.dir });
    expect(dnfSays.ok).toBe(false);
    expect(dnfSays.stdout + dnfSays.stderr).toMatch(/filtered out by modular filtering.*pgvector/);
  }, 300_000);
});

describe('update-check --install over CS9: the modular filtering of lock', () => {
  it('installs the nodejs dnf installs, not the highest modular one', async () => {
    const { plan, result } = await updateCheck(createNodeHost(), {
      manifestText: manifest(['bash'], 'nodes:\n  - alias: app\n    packages: [bash]\n'),
      manifestFile: 'family.yaml',
      manifestAbsDir: '/',
      to: [],
      change: { install: [{ node: 'app', package: 'nodejs' }] },
    });
    expect(result.findings.filter((f) => f.rule === 'RP006')).toEqual([]);
    const app = plan.nodes.find((n) => n.node === 'app')!;
    const nodejs = app.transaction.filter((t) => t.action === 'install' && t.package.startsWith('nodejs-1:'));
    expect(nodejs.map((t) => t.package)).toEqual(['nodejs-1:16.20.2-8.el9.x86_64']);
  }, 300_000);
});
