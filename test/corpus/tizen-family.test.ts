/**
 * `redproof check` on a family over the real Tizen 2.x armv7l feed (test/corpus/families/tizen-coherent.yaml).
 * The family was built by adding, layer by layer, what libsolv reported missing; its expectations come
 * from the feed itself: glibc and glibc-common both ship /usr/share/license/glibc; a manifest has no file
 * digests, but both are one build of one source rpm, whose shared files rpm accepts when identical: an
 * RP005 note, not a warning.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, corpus, ROOT, report } from './corpus.js';

describe('family over tizen-serranove (armv7l)', () => {
  it('is proven: no error in any view, one known RP005 note, arch armv7l', () => {
    corpus('tizen-serranove');
    const run = cli([
      'check',
      `${ROOT}test/corpus/families/tizen-coherent.yaml`,
      '--no-cache',
      '--format',
      'json',
      '-q',
    ]);
    const r = report(run);
    expect(run.code).toBe(0);
    expect(r.arch).toBe('armv7l');
    expect(r.findings.map((f) => [f.rule, f.level, f.node, f.package, f.other])).toEqual([
      [
        'RP005',
        'note',
        'host',
        'glibc-common-2.20-2014.11.2020.22.slp.armv7l',
        'glibc-2.20-2014.11.2020.22.slp.armv7l',
      ],
    ]);
    expect(r.stats.packagesExamined).toBe(26);
    // the host, platform and app layers with what each holds
    expect(
      (r as unknown as { subjects: { id: string; packages: unknown[] }[] }).subjects.map((s) => [
        s.id,
        s.packages.length,
      ]),
    ).toEqual([
      ['host', 22],
      ['platform', 3],
      ['app', 1],
    ]);
  });

  it('puts an unmet file dependency of the feed on the node that adds the package', () => {
    // pulseaudio-libs requires /sbin/syslogd, which no package of the feed provides (its SOURCE.md)
    const base = readFileSync(`${ROOT}test/corpus/families/tizen-coherent.yaml`, 'utf8')
      .replace('../../../../shared/corpus/tizen-serranove', corpus('tizen-serranove'))
      .replace(
        '    packages: [libxml2]',
        '    packages: [libxml2]\n  - alias: audio\n    parent: platform\n    packages: [pulseaudio-libs]',
      );
    const dir = mkdtempSync(join(tmpdir(), 'redproof-tizen-'));
    writeFileSync(join(dir, 'family.yaml'), base);
    const run = cli(['check', join(dir, 'family.yaml'), '--no-cache', '--format', 'json', '-q']);
    const r = report(run);
    rmSync(dir, { recursive: true });
    expect(run.code).toBe(1);
    const rp001 = r.findings.filter((f) => f.rule === 'RP001');
    expect(rp001.length).toBeGreaterThan(0);
    expect(rp001.every((f) => f.node === 'audio')).toBe(true);
    expect(rp001.map((f) => f.dependency)).toContain('/sbin/syslogd');
  });
});
