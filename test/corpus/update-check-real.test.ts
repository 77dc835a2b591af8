import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { updateCheck } from '../../src/engine/update-check.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { corpus } from './corpus.js';

// Real data from ../shared/corpus (the corpus suite: a missing corpus fails with a clear message).
const shared = `${corpus('dnf-ci-fixtures-2019')}/..`;
const dnfCi = join(shared, 'dnf-ci-fixtures-2019/repos/dnf-ci-security');

// dnf's CI fixture repository dnf-ci-security keeps every version of its packages and an updateinfo.xml
// with security, bugfix and enhancement advisories; the state is the oldest versions.
const DNF_CI_FAMILY = `redproof: 1
family: dnf-ci-security
arch: x86_64
repos:
  - id: dnf-ci-security
    path: ${dnfCi}
host:
  packages: [bugfix_A-1.0-1.x86_64]
nodes:
  - alias: platform
    parent: host
    packages: [security_A-1.0-1.x86_64, advisory_A-1.0-1.x86_64]
  - alias: app
    parent: platform
    packages: [security_B-1.0-1.x86_64, bugfix_C-1.0-1.x86_64, bugfix_B-1.0-1.x86_64]
`;

async function run(change: Parameters<typeof updateCheck>[1]['change']) {
  return updateCheck(createNodeHost(), {
    manifestText: DNF_CI_FAMILY,
    manifestFile: 'dnf-ci-security.yaml',
    manifestAbsDir: '/',
    to: [],
    change,
  });
}

const tx = (o: Awaited<ReturnType<typeof run>>, node: string) =>
  o.plan.nodes.find((n) => n.node === node)!.transaction.map((s) => `${s.package} -> ${s.to}`);

describe('update-check on dnf-ci-security (ci-dnf-stack 2019)', () => {
  it('--security-only takes the newest package of a security advisory, like dnf upgrade --security', async () => {
    const o = await run({ securityOnly: true });
    expect(tx(o, 'platform')).toEqual(['security_A-1.0-1.x86_64 -> security_A-1.0-3.x86_64']);
    // bugfix_C-1.0-4 is listed by the security advisory DNF-2019-3
    expect(tx(o, 'app')).toEqual(['bugfix_C-1.0-1.x86_64 -> bugfix_C-1.0-4.x86_64']);
    expect(o.result.findings).toEqual([]);
    const platform = o.plan.nodes.find((n) => n.node === 'platform')!;
    expect(platform.advisories.map((a) => `${a.id} ${a.type}`)).toEqual([
      'DNF-2019-1 security',
      'DNF-2019-2 security',
    ]);
    expect(platform.notReceived.map((a) => `${a.id} ${a.type} ${a.reason}`)).toContain(
      'DNF-ENHANCEMENT-005 enhancement not selected (--security-only)',
    );
  });

  it('--upgrade-all takes the newest of everything', async () => {
    const o = await run({ upgradeAll: true });
    expect(tx(o, 'platform')).toEqual([
      'advisory_A-1.0-1.x86_64 -> advisory_A-1.0-4.x86_64',
      'security_A-1.0-1.x86_64 -> security_A-1.0-4.x86_64',
    ]);
    expect(o.plan.nodes.every((n) => n.notReceived.length === 0)).toBe(true);
  });

  it('--advisory selects one advisory by id', async () => {
    const o = await run({ advisories: ['DNF-SECURITY-004'] });
    // advisory_B is in no node: nothing to do
    expect(o.plan.nodes.every((n) => n.transaction.length === 0)).toBe(true);
    const b = await run({ advisories: ['DNF-BUGFIX-003'] });
    expect(tx(b, 'platform')).toEqual(['advisory_A-1.0-1.x86_64 -> advisory_A-1.0-3.x86_64']);
  });
});

const suse = join(shared, 'opensuse-11.1-updates');

describe('update-check on openSUSE 11.1 updates (8,678 packages, 522 advisories)', () => {
  it('--security-only over a family of older versions from the same repository', async () => {
    const { loadEngine } = await import('../../src/solver/index.js');
    const { loadRepository } = await import('../../src/load/repository.js');
    const engine = await loadEngine();
    const pool = engine.createPool('x86_64');
    const spec = { id: 'updates', path: suse, absPath: suse };
    let names: string[];
    const oldest = new Map<string, { evr: string; nevra: string }>();
    try {
      const l = await loadRepository(createNodeHost(), engine, pool, spec, { noFilelists: true });
      pool.prepare();
      const advisories = pool.advisories(l.updateinfo!);
      expect(advisories.length).toBe(522);
      const security = new Set(
        advisories
          .filter((a) => a.type === 'security')
          .flatMap((a) => a.packages.filter((k) => k.arch === 'x86_64').map((k) => k.name)),
      );
      const count = new Map<string, number>();
      for (const p of pool.list()) {
        if (p.arch !== 'x86_64' || !security.has(p.name)) continue;
        count.set(p.name, (count.get(p.name) ?? 0) + 1);
        const o = oldest.get(p.name);
        if (!o || pool.evrcmp(p.evr, o.evr) < 0) oldest.set(p.name, { evr: p.evr, nevra: p.nevra });
      }
      names = [...count]
        .filter(([, n]) => n >= 2)
        .map(([n]) => n)
        .sort()
        .slice(0, 30);
    } finally {
      pool.dispose();
    }
    expect(names.length).toBe(30);
    const entries = (ns: string[]) => ns.map((n) => oldest.get(n)!.nevra).join(', ');
    const manifest = [
      'redproof: 1',
      'family: opensuse-11.1',
      'arch: x86_64',
      'repos:',
      '  - id: updates',
      `    path: ${suse}`,
      'nodes:',
      '  - alias: base',
      `    packages: [${entries(names.slice(0, 15))}]`,
      '  - alias: apps',
      '    parent: base',
      `    packages: [${entries(names.slice(15))}]`,
    ].join('\n');
    const run = (best: boolean) =>
      updateCheck(createNodeHost(), {
        manifestText: manifest,
        manifestFile: 'opensuse.yaml',
        manifestAbsDir: '/',
        to: [],
        change: { securityOnly: true },
        noFilelists: true,
        best,
      });
    const o = await run(false);
    const steps = o.plan.nodes.flatMap((n) => n.transaction);
    const upgrades = steps.filter((s) => s.action === 'upgrade');
    // every package is named by a security advisory in a newer version, but the updates repository is
    // not closed (its base distribution is not loaded): with best=False only the upgrades whose new
    // requirements it meets go in, the others are skipped as dnf upgrade --security skips them, and said so
    expect(upgrades.length).toBeGreaterThan(0);
    expect(upgrades.every((s) => s.reason.startsWith('advisory '))).toBe(true);
    const skipped = o.plan.nodes.flatMap((n) => n.notReceived);
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.every((a) => a.type !== 'security' || /cannot be installed/.test(a.reason ?? ''))).toBe(
      true,
    );
    // an advisory counts as received only when every package of it that a node has is updated: the
    // Firefox advisories also name MozillaFirefox itself, which cannot go in, so none is complete
    const received = o.plan.nodes.flatMap((n) => n.advisories);
    expect(received.every((a) => a.type === 'security')).toBe(true);
    expect(o.result.stats.advisories).toBe(522);
    // with best=True dnf refuses each node whose advisory packages do not all go in: RP024 names each
    // refused advisory package (as the best candidate) and the nodes change nothing
    const b = await run(true);
    const refused = b.result.findings.filter((f) => f.rule === 'RP024');
    expect(refused.length).toBeGreaterThan(0);
    // besides them only the family's own unmet requirements (its base distribution is not loaded)
    expect(new Set(b.result.findings.map((f) => f.rule))).toEqual(new Set(['RP001', 'RP024']));
    const failed = b.plan.nodes.filter((n) => n.status === 'failed').map((n) => n.node);
    expect(failed.length).toBeGreaterThan(0);
    for (const n of failed) expect(b.plan.nodes.find((x) => x.node === n)!.transaction).toEqual([]);
    expect(new Set(refused.map((f) => f.node))).toEqual(new Set(failed));
    const skippedPackages = new Set(skipped.flatMap((a) => a.packages));
    for (const f of refused) expect(skippedPackages.has(f.other!)).toBe(true);
  }, 120_000);
});
