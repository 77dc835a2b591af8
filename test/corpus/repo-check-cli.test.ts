/** `redproof repo-check` through the command line on real repositories. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, corpus, distCli, expectedSet, ROOT, report, sortedSet } from './corpus.js';

const tmp = mkdtempSync(join(tmpdir(), 'redproof-corpus-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Native installcheck's set for one repo, built with bench/native/build.sh when it is missing. */
function nativeSet(arch: string, repoDir: string): string[] {
  const bin = `${ROOT}.cache/native/bin/installcheck`;
  if (!existsSync(bin)) {
    const b = spawnSync('bash', [`${ROOT}bench/native/build.sh`], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0 || !existsSync(bin))
      throw new Error(`bench/native/build.sh failed:\n${b.stderr.slice(-3000)}`);
  }
  const r = spawnSync(
    process.execPath,
    [`${ROOT}bench/native/installcheck-sets.mjs`, '--arch', arch, repoDir],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`installcheck-sets.mjs exited ${r.status}:\n${r.stderr.slice(-3000)}`);
  return r.stdout.split('\n').filter(Boolean);
}

describe('repo-check CLI on real data', () => {
  it('opensuse-11.1-subset (rpm-md): the broken libzypp and what needs it', () => {
    const run = cli([
      'repo-check',
      '--repo',
      corpus('opensuse-11.1-subset'),
      '--no-cache',
      '--format',
      'json',
      '-q',
    ]);
    expect(run.code).toBe(1);
    const r = report(run);
    expect(r.arch).toBe('x86_64');
    expect(r.stats.packagesLoaded).toBe(111);
    expect(r.stats.packagesExamined).toBe(111);
    // SOURCE.md: libzypp requires libboost_signals.so.1.36.0()(64bit), which nothing provides; zypper
    // needs libzypp's boost too, so it goes down with it.
    expect(r.findings.map((f) => [f.rule, f.package, f.dependency])).toEqual([
      ['RP030', 'libzypp-5.24.5-1.1.x86_64', 'libboost_signals.so.1.36.0()(64bit)'],
      ['RP030', 'zypper-1.0.2-1.5.x86_64', 'libboost_signals.so.1.36.0()(64bit)'],
    ]);
  });

  it('dnf-ci-fixtures-2019/dnf-ci-fedora: the same set as native installcheck', () => {
    const repo = corpus('dnf-ci-fixtures-2019/repos/dnf-ci-fedora');
    const native = nativeSet('x86_64', repo);
    expect(native).toHaveLength(7);
    const run = cli([
      'repo-check',
      '--repo',
      repo,
      '--arch',
      'x86_64',
      '--no-filelists',
      '--no-cache',
      '--format',
      'json',
      '-q',
    ]);
    expect(run.code).toBe(1);
    const r = report(run);
    expect(r.stats.packagesLoaded).toBe(282);
    expect(r.stats.packagesExamined).toBeGreaterThan(0);
    expect(sortedSet(r.findings.map((f) => f.package!))).toEqual(native);
  });

  describe('microshift-4.20-zst (zstd metadata) against CS9 BaseOS + AppStream', () => {
    const args = (cache: string[]) => [
      'repo-check',
      '--repo',
      corpus('microshift-4.20-zst'),
      '--against',
      corpus('cs9-baseos-2024-04'),
      '--against',
      corpus('cs9-appstream'),
      ...cache,
      '--format',
      'json',
      '-q',
    ];
    let first: ReturnType<typeof cli> | undefined;

    it('loads and finds the packages that need other vendor repos', () => {
      first = cli(args(['--no-cache']));
      expect(first.code).toBe(1);
      const r = report(first);
      expect(r.stats.packagesExamined).toBe(11);
      expect(r.stats.packagesLoaded).toBe(11 + 1125 + 17_649);
      const byName = new Map(r.findings.map((f) => [f.package!.split('-4.20.0')[0]!, f]));
      expect([...byName.keys()].sort()).toEqual([
        'microshift',
        'microshift-greenboot',
        'microshift-kindnet',
        'microshift-networking',
        'microshift-olm',
        'microshift-selinux',
        'microshift-topolvm',
      ]);
      const texts = (name: string) =>
        byName
          .get(name)!
          .evidence.map((e) => e.text)
          .join('\n');
      // SOURCE.md: openshift-clients (like cri-o and cri-tools) comes from an OpenShift repo that is not
      // here; everything built on microshift goes down with it, through its `microshift = V` requirement.
      for (const name of ['microshift', 'microshift-greenboot', 'microshift-kindnet', 'microshift-olm']) {
        expect(texts(name)).toMatch(/nothing provides openshift-clients needed by microshift-4\.20/);
        expect(byName.get(name)!.dependency).toBe('cri-o < 1.34.0'); // the root cause first by text
      }
      expect(texts('microshift-greenboot')).toMatch(/requires microshift = 4\.20.*none of the providers/);
      // the selinux-policy version is not met by CS9
      expect(byName.get('microshift-selinux')!.dependency).toBe('selinux-policy >= 38.1.2-1.el9');
      // microshift-networking is blocked twice: by the rich dependency on openvswitch 3.5 (SOURCE.md) and
      // by NetworkManager-ovs, which needs a newer NetworkManager. A derived explanation follows the plain
      // requirement; libsolv's own problem (--full-explanations) names the rich one.
      expect(texts('microshift-networking')).toMatch(
        /requires NetworkManager-ovs, but none of the providers/,
      );
      const full = report(cli(args(['--no-cache', '--full-explanations'])));
      const networking = full.findings.find((f) => f.package!.startsWith('microshift-networking-'))!;
      expect(networking.dependency).toBe('(openvswitch3.5 or openvswitch >= 3.5)');
      expect(full.findings.map((f) => f.package)).toEqual(r.findings.map((f) => f.package));
    });

    it('is deterministic: two runs give identical JSON', () => {
      const again = cli(args(['--no-cache']));
      expect(again.stdout).toBe(first?.stdout ?? cli(args(['--no-cache'])).stdout);
    });

    it('gives the same findings from a cold and a warm .solv cache', () => {
      const dir = join(tmp, 'cache-microshift');
      const cold = report(cli(args(['--cache-dir', dir])));
      const warm = report(cli(args(['--cache-dir', dir])));
      const key = (r: typeof cold) => r.findings.map((f) => [f.rule, f.package, f.dependency, f.fingerprint]);
      expect(key(warm)).toEqual(key(cold));
    });

    // A repository read back from the .solv cache gets other string ids than one parsed from XML, and
    // libsolv lists a problem's rules in id order: the evidence is sorted so reports do not depend on it
    // (container-selinux's `selinux-policy-any` / `selinux-policy-base` problems showed it).
    it('gives byte-identical JSON from a cold and a warm .solv cache', () => {
      const dir = join(tmp, 'cache-microshift-bytes');
      const cold = cli(args(['--cache-dir', dir]));
      const warm = cli(args(['--cache-dir', dir]));
      expect(warm.stdout).toBe(cold.stdout);
    });
  });

  // Worker threads run only from the compiled CLI (dist/), which is what users run.
  describe('cs9-baseos-2024-04 + cs9-appstream with worker threads (dist/bin/redproof.js)', () => {
    const args = (extra: string[]) => [
      'repo-check',
      '--repo',
      `baseos=${corpus('cs9-baseos-2024-04')}`,
      '--repo',
      `appstream=${corpus('cs9-appstream')}`,
      '--arch',
      'x86_64',
      '--no-filelists',
      '--cache-dir',
      join(tmp, 'cache-cs9-jobs'),
      '--format',
      'json',
      '-q',
      ...extra,
    ];
    const golden = expectedSet('installcheck-cs9-baseos+appstream.x86_64.txt');

    it('gives byte-identical JSON with --jobs 1 and --jobs 2', () => {
      const one = distCli(args(['--jobs', '1']));
      const two = distCli(args(['--jobs', '2']));
      expect(one.code).toBe(1);
      expect(two.stdout).toBe(one.stdout);
      expect(sortedSet(report(one).findings.map((f) => f.package!))).toEqual(golden);
    });

    // about 4,100 solves, enough for two workers (parallel-installcheck.ts): the same verdicts as native
    it('solves every package in two workers with --full-explanations --jobs 2', {
      timeout: 1_800_000,
    }, () => {
      const run = distCli(args(['--jobs', '2', '--full-explanations']));
      expect(run.code).toBe(1);
      expect(sortedSet(report(run).findings.map((f) => f.package!))).toEqual(golden);
    });
  });
});
