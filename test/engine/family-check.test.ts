import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { familyCheck } from '../../src/engine/family-check.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { InputError, UsageError } from '../../src/load/errors.js';

const families = new URL('../../corpus/families/', import.meta.url).pathname;
const host = createNodeHost();

async function check(name: string, arch?: string) {
  const abs = join(families, `${name}.yaml`);
  return familyCheck(host, {
    manifestText: readFileSync(abs, 'utf8'),
    manifestFile: `corpus/families/${name}.yaml`,
    manifestAbsDir: dirname(abs),
    ...(arch !== undefined && { arch }),
  });
}

const summary = (r: Awaited<ReturnType<typeof check>>) =>
  r.findings.map((f) => ({
    rule: f.rule,
    node: f.node,
    package: f.package ?? f.entry,
    other: f.other,
    nodes: f.nodes,
  }));

// Expected findings are established by construction in corpus/families/README.md and cross-checked there
// with rpm and dnf, independently of redproof.
describe('redproof check on the example families', () => {
  it('proves the coherent family clean, examining every package', async () => {
    const r = await check('coherent');
    expect(r.findings).toEqual([]);
    expect(r.stats.packagesExamined).toBe(21);
    expect(r.subjects.map((s) => [s.id, s.parent, s.packages.length])).toEqual([
      ['host', undefined, 6],
      ['platform', 'host', 7],
      ['navigation', 'platform', 6],
      ['media', 'platform', 2],
    ]);
    expect(r.subjects.every((s) => s.checked.length === 7)).toBe(true);
  });

  it('RP001: a requirement only a sibling provides', async () => {
    const r = await check('rp001-unresolved');
    expect(summary(r)).toEqual([
      {
        rule: 'RP001',
        node: 'media',
        package: 'media-player-3.0-1.x86_64',
        other: undefined,
        nodes: undefined,
      },
    ]);
    const f = r.findings[0]!;
    expect(f.dependency).toBe('libxml2.so.2()(64bit)');
    expect(f.message).toContain('only `navigation` provides');
    expect(f.help).toContain('in `platform`'); // the lowest common ancestor of media and navigation
    expect(f.location).toMatchObject({ file: 'corpus/families/rp001-unresolved.yaml', line: 22, column: 28 });
  });

  it('RP002: a conflict with a package of the host', async () => {
    const r = await check('rp002-conflict');
    expect(summary(r)).toEqual([
      {
        rule: 'RP002',
        node: 'diagnostics',
        package: 'coreutils-single-8.32-35.el9.x86_64',
        other: 'coreutils-8.32-35.el9.x86_64',
        nodes: undefined,
      },
    ]);
    expect(r.findings[0]!.otherNode).toBe('host');
  });

  it('RP003: the same package in a node and its ancestor', async () => {
    const r = await check('rp003-ancestor-duplicate');
    expect(summary(r)).toEqual([
      {
        rule: 'RP003',
        node: 'navigation',
        package: 'openssl-libs-1:3.0.7-27.el9.x86_64',
        other: 'openssl-libs-1:3.0.7-27.el9.x86_64',
        nodes: undefined,
      },
    ]);
    expect(r.findings[0]!.otherNode).toBe('platform');
  });

  it('RP004: the same NEVRA in two sibling nodes', async () => {
    const r = await check('rp004-shareable-duplicate');
    expect(summary(r)).toEqual([
      {
        rule: 'RP004',
        node: 'navigation',
        package: 'libxml2-2.9.13-6.el9.x86_64',
        other: undefined,
        nodes: ['navigation', 'media'],
      },
    ]);
    expect(r.findings[0]!.message).toContain('common ancestor `platform`');
    expect(r.findings[0]!.level).toBe('warning');
  });

  it('RP005: one path shipped by two packages of a view', async () => {
    const r = await check('rp005-file-conflict');
    expect(summary(r)).toEqual([
      {
        rule: 'RP005',
        node: 'cluster',
        package: 'cluster-config-1.0-1.noarch',
        other: 'infotainment-config-1.0-1.noarch',
        nodes: undefined,
      },
    ]);
    expect(r.findings[0]!.message).toContain('/etc/shared.conf');
  });

  it('RP006: an entry that matches no package, with suggestions', async () => {
    const r = await check('rp006-unknown-package');
    expect(summary(r)).toEqual([
      { rule: 'RP006', node: 'navigation', package: 'navigaton', other: undefined, nodes: undefined },
    ]);
    expect(r.findings[0]!.message).toContain('closest names: `navigation`');
  });

  it('RP007: a package of another arch listed by NEVRA', async () => {
    const r = await check('rp007-uninstallable');
    expect(summary(r)).toEqual([
      {
        rule: 'RP007',
        node: 'flasher',
        package: 'firmware-flasher-1.0-1.aarch64',
        other: undefined,
        nodes: undefined,
      },
    ]);
    expect(r.findings[0]!.evidence.map((e) => e.text).join()).toMatch(/compatible architecture/);
  });

  it.each([
    ['bad-cycle', 'parent-cycle'],
    ['bad-unknown-parent', 'unknown-parent'],
    ['bad-duplicate-alias', 'duplicate-alias'],
    ['bad-empty', 'empty-manifest'],
  ])('%s is an input error (%s) with its location', async (name, kind) => {
    const err = await check(name).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    const all = [
      (err as InputError).kind,
      ...((err as { errors?: InputError[] }).errors ?? []).map((e) => e.kind),
    ];
    expect(all).toContain(kind);
    expect((err as InputError).message).toMatch(new RegExp(`^corpus/families/${name}\\.yaml:\\d+`));
  });

  it('gives byte-identical results on repeated runs', async () => {
    const a = JSON.stringify(await check('rp004-shareable-duplicate'));
    const b = JSON.stringify(await check('rp004-shareable-duplicate'));
    expect(a).toBe(b);
  });

  it("--arch: an unknown arch is a usage error, another arch than the manifest's is said once, up front", async () => {
    const bogus = await check('coherent', 'bogus').catch((e: unknown) => e);
    expect(bogus).toBeInstanceOf(UsageError);
    expect((bogus as Error).message).toMatch(/--arch `bogus`: unknown architecture.*`x86_64`/);
    const same = await check('coherent', 'x86_64');
    expect(same.warnings).toBeUndefined();
    const r = await check('coherent', 'aarch64');
    expect(r.arch).toBe('aarch64');
    const warnings = r.warnings ?? [];
    expect(warnings.map((w) => w.kind).sort()).toEqual(['arch-mismatch', 'arch-override']);
    expect(warnings.find((w) => w.kind === 'arch-override')!.message).toContain('`arch: x86_64`');
    const mismatch = warnings.find((w) => w.kind === 'arch-mismatch')!.message;
    expect(mismatch).toMatch(
      /^\d+ entries exist only for `x86_64`, which the target arch `aarch64` does not accept: `bash`/,
    );
  });
});
