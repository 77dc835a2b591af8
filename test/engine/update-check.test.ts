import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { type UpdateChange, updateCheck } from '../../src/engine/update-check.js';
import { createNodeHost } from '../../src/host/node-host.js';

const corpus = new URL('../../corpus/', import.meta.url).pathname;
const host = createNodeHost();

async function run(family: string, to: Record<string, string>, change: UpdateChange, best?: boolean) {
  const abs = join(corpus, 'families', `${family}.yaml`);
  return updateCheck(host, {
    ...(best !== undefined && { best }),
    manifestText: readFileSync(abs, 'utf8'),
    manifestFile: `corpus/families/${family}.yaml`,
    manifestAbsDir: dirname(abs),
    to: Object.entries(to).map(([id, repo]) => ({
      id,
      path: `corpus/repos/${repo}`,
      absPath: join(corpus, 'repos', repo),
    })),
    change,
  });
}

type Out = Awaited<ReturnType<typeof run>>;
const rules = (o: Out) =>
  o.result.findings.map((f) => `${f.rule} ${f.node} ${f.package ?? f.entry ?? ''}`).sort();
const tx = (o: Out, node: string) =>
  o.plan.nodes
    .find((n) => n.node === node)!
    .transaction.map((s) => `${s.action} ${s.package}${s.to ? ` -> ${s.to}` : ''}`);

const DEMO = { updates: 'demo-updates' };
const NEW = { new: 'update-new' };

describe('update-check (corpus/repos/demo + demo-updates, update-old + update-new)', () => {
  it('a clean upgrade of all nodes', async () => {
    const o = await run('coherent', DEMO, { upgradeAll: true });
    expect(rules(o)).toEqual([]);
    expect(o.plan.proven).toBe(true);
    expect(tx(o, 'host')).toEqual([]);
    expect(tx(o, 'platform')).toEqual([
      'upgrade openssl-libs-1:3.0.7-27.el9.x86_64 -> openssl-libs-1:3.0.7-28.el9.x86_64',
    ]);
    expect(tx(o, 'navigation')).toEqual(['upgrade navigation-1.0-1.x86_64 -> navigation-1.1-1.x86_64']);
    expect(tx(o, 'media')).toEqual(['upgrade media-player-3.0-1.x86_64 -> media-player-3.0-2.x86_64']);
    expect(o.plan.nodes.map((n) => n.node)).toEqual(['host', 'platform', 'navigation', 'media']);
    const platform = o.plan.nodes.find((n) => n.node === 'platform')!;
    expect(platform.advisories).toEqual([
      {
        id: 'RPSA-2024:0001',
        type: 'security',
        severity: 'Important',
        cves: ['CVE-2023-0286'],
        packages: ['openssl-libs-1:3.0.7-28.el9.x86_64'],
      },
    ]);
    expect(o.plan.nodes.find((n) => n.node === 'media')!.advisories.map((a) => a.id)).toEqual([
      'RPBA-2024:0002',
    ]);
    // the resulting family is what the subjects list
    expect(o.result.subjects.find((s) => s.id === 'platform')!.packages.map((p) => p.nevra)).toContain(
      'openssl-libs-1:3.0.7-28.el9.x86_64',
    );
    // blast radius of the openssl upgrade: platform and every node below it
    const br = o.plan.blastRadius.find((b) => b.package.startsWith('openssl-libs'))!;
    expect(br.nodes).toEqual(['platform', 'navigation', 'media']);
    expect(br.dependents.map((d) => `${d.node} ${d.package}`)).toContain(
      'platform libcurl-7.76.1-26.el9.x86_64',
    );
    expect(br.dependents.map((d) => `${d.node} ${d.package}`)).toContain(
      'navigation python3-libs-3.9.18-1.el9.x86_64',
    );
  });

  it('RP020: a soname bump in a parent breaks a child', async () => {
    const o = await run('update-soname', DEMO, { upgrade: [{ node: 'platform' }] });
    expect(tx(o, 'platform')).toEqual(['obsoleted libbar-1.0-1.x86_64 -> libbar2-2.0-1.x86_64']);
    expect(tx(o, 'daemons')).toEqual([]);
    expect(rules(o)).toEqual(['RP020 daemons bar-daemon-1.0-1.x86_64']);
    const f = o.result.findings[0]!;
    expect(f).toMatchObject({
      dependency: 'libbar.so.1()(64bit)',
      other: 'libbar-1.0-1.x86_64',
      otherNode: 'platform',
    });
    expect(f.message).toBe(
      'updating `libbar-1.0-1.x86_64` in node `platform` removes `libbar.so.1()(64bit)`, required by `bar-daemon-1.0-1.x86_64` in descendant `daemons`',
    );
    expect(f.evidence[0]!.text).toContain('`libbar2-2.0-1.x86_64`');
    expect(o.plan.proven).toBe(false);
    expect(o.plan.blastRadius[0]!.dependents).toEqual([
      { node: 'daemons', package: 'bar-daemon-1.0-1.x86_64', dependency: 'libbar.so.1()(64bit)' },
    ]);
  });

  it('a package renamed through Obsoletes, with the child rebuilt in the same change', async () => {
    const o = await run('update-soname', DEMO, { upgradeAll: true });
    expect(rules(o)).toEqual([]);
    expect(tx(o, 'platform')).toEqual(['obsoleted libbar-1.0-1.x86_64 -> libbar2-2.0-1.x86_64']);
    expect(tx(o, 'daemons')).toEqual(['upgrade bar-daemon-1.0-1.x86_64 -> bar-daemon-1.1-1.x86_64']);
    expect(o.plan.nodes.find((n) => n.node === 'platform')!.advisories.map((a) => a.id)).toEqual([
      'RPEA-2024:0004',
    ]);
  });

  it('an update that conflicts with a package in a child', async () => {
    const o = await run('update-state', NEW, { upgradeAll: true });
    expect(tx(o, 'platform')).toEqual([
      'upgrade libjson-1.0-1.x86_64 -> libjson-2.0-1.x86_64',
      'upgrade netcfg-1.0-1.noarch -> netcfg-2.0-1.noarch',
    ]);
    // red-pak's package manager in app does not see the conflict it inherits (libsolv keeps an already
    // broken installed set): the transaction succeeds, only the proof of the result finds it
    expect(tx(o, 'app')).toEqual(['upgrade jsonapp-1.0-1.x86_64 -> jsonapp-2.0-1.x86_64']);
    expect(rules(o)).toEqual(['RP002 app legacy-net-1.0-1.noarch']);
    const rp002 = o.result.findings.find((f) => f.rule === 'RP002')!;
    expect(rp002.other).toBe('netcfg-2.0-1.noarch');
    expect(rp002.otherNode).toBe('platform');
  });

  it('a removal in a parent that children need', async () => {
    const o = await run('coherent', {}, { remove: [{ node: 'platform', package: 'libxml2' }] });
    expect(tx(o, 'platform')).toEqual(['erase libxml2-2.9.13-6.el9.x86_64']);
    expect(rules(o)).toEqual([
      'RP020 media media-player-3.0-1.x86_64',
      'RP020 navigation navigation-1.0-1.x86_64',
    ]);
    expect(o.result.findings.every((f) => f.dependency === 'libxml2.so.2()(64bit)')).toBe(true);
  });

  it('security-only upgrades only what security advisories name', async () => {
    const o = await run('coherent', DEMO, { securityOnly: true });
    expect(rules(o)).toEqual([]);
    expect(tx(o, 'platform')).toEqual([
      'upgrade openssl-libs-1:3.0.7-27.el9.x86_64 -> openssl-libs-1:3.0.7-28.el9.x86_64',
    ]);
    expect(tx(o, 'navigation')).toEqual([]);
    expect(tx(o, 'media')).toEqual([]);
    const media = o.plan.nodes.find((n) => n.node === 'media')!;
    expect(media.advisories).toEqual([]);
    expect(media.notReceived.map((a) => [a.id, a.reason])).toEqual([
      ['RPBA-2024:0002', 'not selected (--security-only)'],
    ]);

    const s = await run('update-state', NEW, { securityOnly: true });
    expect(tx(s, 'platform')).toEqual(['upgrade libjson-1.0-1.x86_64 -> libjson-1.1-1.x86_64']);
    expect(rules(s)).toEqual([]);
    const p = s.plan.nodes.find((n) => n.node === 'platform')!;
    expect(p.advisories.map((a) => [a.id, a.cves])).toEqual([
      ['RPSA-2024:0101', ['CVE-2024-0001', 'CVE-2024-0002']],
    ]);
    expect(p.notReceived.map((a) => a.id)).toEqual(['RPBA-2024:0102', 'RPEA-2024:0103']);
  });

  it('--advisory picks one advisory', async () => {
    const o = await run('update-state', NEW, { advisories: ['RPBA-2024:0102'] });
    expect(tx(o, 'platform')).toEqual(['upgrade netcfg-1.0-1.noarch -> netcfg-2.0-1.noarch']);
    expect(tx(o, 'app')).toEqual([]);
  });

  it('RP021: a child holding a package the parent now gets', async () => {
    const o = await run('coherent', DEMO, { install: [{ node: 'platform', package: 'python3' }] });
    expect(tx(o, 'platform')).toEqual([
      'install python3-3.9.18-1.el9.x86_64',
      'install python3-libs-3.9.18-1.el9.x86_64',
    ]);
    expect(rules(o)).toEqual([
      'RP021 platform python3-3.9.18-1.el9.x86_64',
      'RP021 platform python3-libs-3.9.18-1.el9.x86_64',
    ]);
    const f = o.result.findings[0]!;
    expect(f.otherNode).toBe('navigation');
    expect(f.message).toBe(
      'installing `python3-3.9.18-1.el9.x86_64` in node `platform` duplicates `python3-3.9.18-1.el9.x86_64` in descendant `navigation`',
    );
  });

  it('RP023: a child upgrade held back by its parent (--no-best)', async () => {
    const o = await run('update-state', NEW, { upgrade: [{ node: 'app' }] }, false);
    expect(tx(o, 'platform')).toEqual([]);
    expect(tx(o, 'app')).toEqual([]);
    expect(rules(o)).toEqual(['RP023 app jsonapp-1.0-1.x86_64']);
    const f = o.result.findings[0]!;
    expect(f).toMatchObject({ level: 'note', other: 'jsonapp-2.0-1.x86_64', otherNode: 'platform' });
  });

  it('RP024: with best (the default) the same upgrade is refused, as dnf upgrade refuses it', async () => {
    const o = await run('update-state', NEW, { upgrade: [{ node: 'app' }] });
    expect(tx(o, 'app')).toEqual([]);
    expect(o.plan.nodes.find((n) => n.node === 'app')!.status).toBe('failed');
    expect(rules(o)).toEqual(['RP024 app jsonapp-1.0-1.x86_64']);
    const f = o.result.findings[0]!;
    expect(f).toMatchObject({ level: 'error', other: 'jsonapp-2.0-1.x86_64' });
    expect(f.message).toBe(
      'the best upgrade of `jsonapp-1.0-1.x86_64` in node `app`, `jsonapp-2.0-1.x86_64`, cannot be installed: cannot install both libjson-1.0-1.x86_64 and libjson-2.0-1.x86_64; with --no-best `jsonapp-1.0-1.x86_64` stays',
    );
    expect(f.evidence.map((s) => `${s.role}: ${s.text}`)).toEqual([
      'candidate: `jsonapp-2.0-1.x86_64` is the best upgrade of `jsonapp-1.0-1.x86_64` in `app`',
      'requires: package jsonapp-2.0-1.x86_64 requires libjson >= 2.0, but none of the providers can be installed',
      'same-name: cannot install both libjson-1.0-1.x86_64 and libjson-2.0-1.x86_64',
      'best: cannot install the best update candidate for package jsonapp-1.0-1.x86_64',
      'ancestor: `libjson-1.0-1.x86_64` is installed in ancestor `platform` and cannot change from `app`',
      'no-best: with --no-best (`best: false`) `jsonapp-1.0-1.x86_64` stays and `jsonapp-2.0-1.x86_64` is skipped, as dnf\'s "Skipping packages with broken dependencies"',
    ]);
  });

  it('RP022: an install with no solution, with the full explanation', async () => {
    const o = await run('coherent', DEMO, { install: [{ node: 'media', package: 'coreutils-single' }] });
    expect(rules(o)).toEqual(['RP022 media coreutils-single-8.32-35.el9.x86_64']);
    const f = o.result.findings[0]!;
    expect(f.message).toContain('the update of node `media` has no solution');
    expect(f.evidence.map((s) => s.text).join('\n')).toContain(
      'conflicts with coreutils provided by coreutils-8.32-35.el9.x86_64',
    );
    expect(o.plan.nodes.find((n) => n.node === 'media')!.status).toBe('failed');
    // a package of another arch, named exactly
    const arch = await run('coherent', DEMO, {
      install: [{ node: 'media', package: 'firmware-flasher-1.0-1.aarch64' }],
    });
    expect(rules(arch)).toEqual(['RP022 media firmware-flasher-1.0-1.aarch64']);
    // removing a package that lives in an ancestor: red-pak refuses it in the child
    const anc = await run('coherent', {}, { remove: [{ node: 'media', package: 'libxml2' }] });
    expect(rules(anc)).toEqual(['RP022 media ']);
    expect(anc.result.findings[0]!.message).toContain('lives in ancestor `platform`');
  });

  it('the plan validates against schema/plan-v1.schema.json and is deterministic', async () => {
    const schema = JSON.parse(readFileSync(join(corpus, '../schema/plan-v1.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const a = await run('update-state', NEW, { upgradeAll: true });
    const b = await run('update-state', NEW, { upgradeAll: true });
    expect(validate(JSON.parse(JSON.stringify(a.plan))), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.stringify(a.plan)).toBe(JSON.stringify(b.plan));
  });
});

describe("update-check takes lock's resolution options of the manifest", () => {
  // corpus/repos/clean: foo-app recommends foo-doc
  const repo = join(corpus, 'repos', 'clean');
  const manifest = (extra: string) =>
    `redproof: 1\nfamily: f\narch: x86_64\nrepos:\n  - id: clean\n    path: ${repo}\nhost:\n  packages: [glibc, bash]\nnodes:\n  - alias: app\n${extra}`;
  const install = (extra: string, familyWide = '', cli: { weakDeps?: boolean; lock?: boolean } = {}) =>
    updateCheck(host, {
      manifestText: manifest(extra).replace('repos:', `${familyWide}repos:`),
      manifestFile: 'f.yaml',
      manifestAbsDir: '/',
      to: [],
      change: { install: [{ node: 'app', package: 'foo-app' }] },
      ...(cli.weakDeps !== undefined && { weakDeps: cli.weakDeps }),
      ...(cli.lock && { writeLock: { manifestFromLock: 'f.yaml' } }),
    });
  const installed = (o: Out) =>
    tx(o, 'app')
      .filter((s) => s.startsWith('install '))
      .map((s) => s.replace(/^install (.*)-[^-]+-[^-]+$/, '$1'));

  it('weak-deps: the recommended foo-doc comes by default, not with weak-deps: false', async () => {
    expect(installed(await install(''))).toContain('foo-doc');
    expect(installed(await install('    weak-deps: false\n'))).not.toContain('foo-doc');
    expect(installed(await install('    weak-deps: false\n'))).toContain('foo-app');
  });

  it('--no-weak-deps wins over weak-deps: true, family-wide and on the node, and the lock records it', async () => {
    for (const [node, family] of [
      ['', ''],
      ['    weak-deps: true\n', ''],
      ['', 'weak-deps: true\n'],
    ]) {
      const o = await install(node!, family, { weakDeps: false, lock: true });
      expect(installed(o)).toContain('foo-app');
      expect(installed(o)).not.toContain('foo-doc');
      expect(o.lock?.options['weak-deps']).toBe(false);
      expect(o.lock?.nodes.every((n) => n.options === undefined)).toBe(true);
    }
    // without it, the same run takes foo-doc and the lock says weak-deps: true
    const plain = await install('', '', { lock: true });
    expect(installed(plain)).toContain('foo-doc');
    expect(plain.lock?.options['weak-deps']).toBe(true);
  });

  it('exclude: an excluded package is never taken, family-wide or for the node', async () => {
    expect(installed(await install('    exclude: [foo-d*]\n'))).not.toContain('foo-doc');
    expect(installed(await install('', 'exclude: [foo-doc]\n'))).not.toContain('foo-doc');
    // foo-app needs foo-tools: excluded, the install has no solution
    const o = await install('    exclude: [foo-tools]\n');
    expect(rules(o)).toEqual(['RP022 app foo-app-2.0-1.x86_64']);
  });
});
