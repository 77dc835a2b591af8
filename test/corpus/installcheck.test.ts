/**
 * The wasm engine's installcheck equals native libsolv's on real repositories. The golden sets in
 * bench/native/expected/ come from native `installcheck` (libsolv 0.7.23, same source and features),
 * which reads only primary.xml: the same input is used here (noFilelists), and every repo is checked.
 * Both ways of explaining give the same verdicts: derived explanations (the default) and one solve per
 * uninstallable package (--full-explanations, what native installcheck does).
 */
import { describe, expect, it } from 'vitest';
import { repoCheck } from '../../src/engine/repo-check.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { expectedSet, sortedSet, spec } from './corpus.js';

const host = createNodeHost();

async function uninstallableSet(arch: string, names: string[], fullExplanations = false) {
  const r = await repoCheck(host, {
    repos: names.map((n) => spec(n)),
    arch,
    noFilelists: true,
    fullExplanations,
  });
  expect(r.findings.every((f) => f.rule === 'RP030')).toBe(true);
  return { set: sortedSet(r.findings.map((f) => f.package!)), stats: r.stats, findings: r.findings };
}

describe('wasm installcheck equals native installcheck (bench/native/expected)', () => {
  it('cs9-baseos-2024-04 alone (x86_64)', async () => {
    const { set, stats, findings } = await uninstallableSet('x86_64', ['cs9-baseos-2024-04']);
    expect(stats.packagesLoaded).toBe(1125);
    expect(stats.packagesExamined).toBeGreaterThan(0);
    expect(set).toEqual(expectedSet('installcheck-cs9-baseos.x86_64.txt'));
    // The root cause named in SOURCE.md: a file that only AppStream's `words` provides.
    for (const f of findings) expect(f.dependency).toBe('/usr/share/dict/words');
  });

  it('tizen-serranove (armv7l)', async () => {
    const { set, stats } = await uninstallableSet('armv7l', ['tizen-serranove']);
    expect(stats.packagesLoaded).toBe(592);
    expect(stats.packagesExamined).toBeGreaterThan(0);
    expect(set).toHaveLength(36);
    expect(set).toEqual(expectedSet('installcheck-tizen-serranove.armv7l.txt'));
    const full = await uninstallableSet('armv7l', ['tizen-serranove'], true);
    expect(full.set).toEqual(set);
  });

  it('cs9-baseos-2024-04 + cs9-appstream (x86_64)', async () => {
    const { set, stats } = await uninstallableSet('x86_64', ['cs9-baseos-2024-04', 'cs9-appstream']);
    expect(stats.packagesLoaded).toBe(18_774);
    expect(stats.packagesExamined).toBeGreaterThan(0);
    expect(set).toHaveLength(4083);
    expect(set).toEqual(expectedSet('installcheck-cs9-baseos+appstream.x86_64.txt'));
  });

  // One solve per uninstallable package, as native installcheck: about a minute of CPU (4,083 solves with
  // problem analysis). The timeout leaves room for a loaded 2-core machine.
  it('cs9-baseos-2024-04 + cs9-appstream, --full-explanations (x86_64)', { timeout: 1_800_000 }, async () => {
    const { set } = await uninstallableSet('x86_64', ['cs9-baseos-2024-04', 'cs9-appstream'], true);
    expect(set).toEqual(expectedSet('installcheck-cs9-baseos+appstream.x86_64.txt'));
  });
});
