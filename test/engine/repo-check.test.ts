import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoCheck } from '../../src/engine/repo-check.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { InputError } from '../../src/load/errors.js';

const repos = new URL('../../corpus/repos/', import.meta.url).pathname;
const host = createNodeHost();
const spec = (name: string, id = name) => ({ id, path: `corpus/repos/${name}`, absPath: join(repos, name) });

async function uninstallable(name: string, options: { noFilelists?: boolean } = {}) {
  const r = await repoCheck(host, { repos: [spec(name)], ...options });
  return r.findings.map((f) => [f.rule, f.package, f.dependency ?? '']);
}

// Expected sets established by construction (corpus/README.md), cross-checked with dnf and rpm there.
describe('repo-check on the corpus', () => {
  it.each([
    ['clean', []],
    ['clean-xz', []],
    ['clean-zst', []],
    ['clean-bz2', []],
    ['missing-req', [['RP030', 'app-1.0-1.x86_64', 'libmissing.so.0()(64bit)']]],
    ['version-req', [['RP030', 'foo-1.0-1.x86_64', 'bar >= 2']]],
    ['conflict', [['RP030', 'x-1.0-1.noarch', 'z']]],
    ['rich-broken', [['RP030', 'media-app-1.0-1.x86_64', '(libA and libB >= 3)']]],
    ['file-broken', [['RP030', 'tool-consumer-1.0-1.noarch', '/usr/share/tool/tool.conf']]],
  ])('%s', async (name, expected) => {
    expect(await uninstallable(name)).toEqual(expected);
  });

  it.each(['missing-req', 'version-req', 'conflict', 'rich-broken', 'file-broken', 'obsoletes'])(
    '%s: --full-explanations gives the same findings (one solve per package)',
    async (name) => {
      const key = (r: Awaited<ReturnType<typeof repoCheck>>) =>
        r.findings.map((f) => [f.package, f.dependency, f.message]);
      const derived = await repoCheck(host, { repos: [spec(name)] });
      const full = await repoCheck(host, { repos: [spec(name)], fullExplanations: true });
      expect(derived.findings.length).toBeGreaterThan(0);
      expect(key(full)).toEqual(key(derived));
    },
  );

  it('explains a version mismatch with libsolv\'s "(we have X)" hint', async () => {
    const r = await repoCheck(host, { repos: [spec('version-req')] });
    const f = r.findings[0]!;
    expect(f.evidence.map((e) => e.text)).toContain('we have bar-1.0-1.x86_64');
    expect(f.message).toContain('nothing provides bar >= 2 needed by foo-1.0-1.x86_64');
    expect(r.stats.packagesExamined).toBeGreaterThan(0);
  });

  it('lists every rule of a conflict problem', async () => {
    const r = await repoCheck(host, { repos: [spec('conflict')] });
    const texts = r.findings[0]!.evidence.map((e) => e.text).join('\n');
    expect(texts).toMatch(/conflicts with z/);
    expect(texts).toMatch(/requires y, but none of the providers can be installed/);
  });

  it('reports obsoletes that make a package uninstallable', async () => {
    const r = await repoCheck(host, { repos: [spec('obsoletes')] });
    expect(r.findings.map((f) => f.package)).toEqual(['app-1.0-1.x86_64']);
    expect(r.findings[0]!.evidence.map((e) => e.text).join('\n')).toMatch(/obsoletes/);
  });

  it('needs filelists for file dependencies listed only there', async () => {
    expect(await uninstallable('clean')).toEqual([]);
    const withoutFilelists = await uninstallable('clean', { noFilelists: true });
    expect(withoutFilelists.map((f) => f[1])).toEqual(['foo-app-2.0-1.x86_64']);
    expect(withoutFilelists.map((f) => f[2])).toEqual(['/usr/libexec/foo/foo-helper']);
  });

  it('resolves against other repositories without checking them (--against)', async () => {
    const r = await repoCheck(host, { repos: [spec('demo-updates')], against: [spec('demo')] });
    expect(r.findings).toEqual([]);
    expect(r.subjects.map((s) => s.id)).toEqual(['demo-updates']);
    expect(r.stats.packagesExamined).toBe(r.subjects[0]!.packages.length);
  });

  it('takes the arch from the data, and limits it with strict arch', async () => {
    const r = await repoCheck(host, { repos: [spec('demo')] });
    expect(r.arch).toBe('x86_64');
    // the aarch64 package is not a candidate on x86_64: installcheck skips foreign arches with a native build
    expect(r.findings).toEqual([]);
  });

  it('is an input error when no package was examined', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redproof-empty-'));
    const empty = join(dir, 'primary.xml');
    writeFileSync(
      empty,
      '<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" packages="0">\n</metadata>\n',
    );
    const run = () =>
      repoCheck(host, { repos: [{ id: 'empty', path: 'primary.xml', absPath: empty }], arch: 'x86_64' });
    await expect(run()).rejects.toThrow(InputError);
    await expect(run()).rejects.toThrow(/hold no package: nothing was proven/);
    rmSync(dir, { recursive: true });
  });

  it('is deterministic', async () => {
    const a = await repoCheck(host, { repos: [spec('conflict')] });
    const b = await repoCheck(host, { repos: [spec('conflict')] });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
