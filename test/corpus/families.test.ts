/**
 * `redproof check` on families built from real CentOS Stream 9 packages (BaseOS + AppStream):
 * test/corpus/families/*.yaml, whose repo paths point at ../shared/corpus relative to the manifest.
 */
import { describe, expect, it } from 'vitest';
import { cli, corpus, ROOT, report } from './corpus.js';

const manifest = (name: string) => `${ROOT}test/corpus/families/${name}`;

// What RP005 says on the coherent family. A manifest carries no file digests, so a path shared by
// packages of different builds could only be a warning; but /var/log/lastlog is a %ghost in setup and in
// util-linux (rpm never makes a ghost conflict), /etc/motd.d is a directory (filelists: type="dir"), and
// the license text shared by systemd and systemd-libs belongs to one build of one source rpm, which rpm
// shares when identical: a note, never a warning.
const KNOWN_RP005_NOTES = ['platform systemd-249-9.el9.x86_64 systemd-libs-249-9.el9.x86_64'];

function checkFamily(
  name: string,
  expectedWarnings: readonly string[] = [],
  expectedNotes: readonly string[] = [],
) {
  corpus('cs9-baseos-2024-04');
  corpus('cs9-appstream');
  const run = cli(['check', manifest(name), '--no-cache', '--format', 'json', '-q']);
  const r = report(run);
  const warnings = r.findings.filter((f) => f.level === 'warning');
  for (const w of warnings) {
    const key = `${w.rule} ${w.node} ${w.package} ${w.other}`;
    expect(expectedWarnings).toContain(key);
  }
  for (const n of r.findings.filter((f) => f.level === 'note')) {
    expect(n.rule).toBe('RP005');
    expect([...KNOWN_RP005_NOTES, ...expectedNotes]).toContain(`${n.node} ${n.package} ${n.other}`);
  }
  return { run, r, errors: r.findings.filter((f) => f.level === 'error') };
}

describe('families over CS9 BaseOS + AppStream', () => {
  it('cs9-coherent.yaml: every requirement met in every view, no duplicate, no conflict', () => {
    const { run, r, errors } = checkFamily('cs9-coherent.yaml');
    expect(errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(r.stats.nodes).toBe(2);
    expect(r.stats.packagesExamined).toBe(132);
  });

  it('cs9-rp001-rp003.yaml: exactly one RP003 and one RP001', () => {
    const { run, errors } = checkFamily('cs9-rp001-rp003.yaml');
    expect(run.code).toBe(1);
    expect(errors.map((f) => [f.rule, f.node, f.package, f.dependency ?? f.other]).sort()).toEqual([
      ['RP001', 'tools', 'jq-1.6-15.el9.x86_64', 'libonig.so.5()(64bit)'],
      ['RP003', 'app', 'openssl-libs-1:3.0.1-5.el9.x86_64', 'openssl-libs-1:3.0.1-5.el9.x86_64'],
    ]);
  });

  it('cs9-mistakes.yaml: one RP002, RP004 and RP006 on real packages, nothing else', () => {
    const { run, r, errors } = checkFamily(
      'cs9-mistakes.yaml',
      ['RP004 tools-a oniguruma-6.9.6-1.el9.4.x86_64 undefined'],
      // coreutils and coreutils-single ship the same paths; one build of one source rpm, so without
      // digests a note (the RP002 between them is what stops the install)
      ['legacy coreutils-8.32-31.el9.x86_64 coreutils-single-8.32-31.el9.x86_64'],
    );
    expect(run.code).toBe(1);
    expect(errors.map((f) => [f.rule, f.node, f.package ?? f.entry, f.other ?? '']).sort()).toEqual([
      ['RP002', 'legacy', 'coreutils-8.32-31.el9.x86_64', 'coreutils-single-8.32-31.el9.x86_64'],
      ['RP006', 'tools-b', 'nginxx', ''],
    ]);
    const rp004 = r.findings.filter((f) => f.rule === 'RP004');
    expect(rp004.map((f) => [f.node, f.package])).toEqual([['tools-a', 'oniguruma-6.9.6-1.el9.4.x86_64']]);
  });
});
