import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { familyCheck } from '../../src/engine/family-check.js';
import { lockAsManifest } from '../../src/engine/lock/check-lock.js';
import { lockFamily } from '../../src/engine/lock/lock.js';
import { formatLock } from '../../src/engine/lock/lockfile.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { corpus } from './corpus.js';

// `lock --hoist` on a CentOS Stream 9 (BaseOS + AppStream) request family: web and ai both need python3,
// tools some of the libraries python3 pulls in, media (on the host) gstreamer1, which needs glib2 as
// platform does. Resolved node by node, the siblings each install their own copies (RP004); hoisted,
// every duplicate is gone, the bytes saved are reported, and `check` proves the hoisted lock.

const MIB = 1024 * 1024;
const manifest = [
  'redproof: 1',
  'family: cs9-hoist',
  'arch: x86_64',
  'repos:',
  `  - id: baseos`,
  `    path: ${corpus('cs9-baseos-2024-04')}`,
  `  - id: appstream`,
  `    path: ${corpus('cs9-appstream')}`,
  'host:',
  '  install: [bash, systemd, openssl]',
  'nodes:',
  '  - alias: platform',
  '    install: [glib2, dbus]',
  '  - alias: web',
  '    parent: platform',
  '    install: [python3, python3-requests]',
  '  - alias: ai',
  '    parent: platform',
  '    install: [python3, python3-pyyaml]',
  '  - alias: tools',
  '    parent: platform',
  '    install: [libxml2, expat, libffi, gdbm-libs]',
  '  - alias: media',
  '    install: [gstreamer1]',
  '',
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'redproof-hoist-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opts = {
  manifestText: manifest,
  manifestFile: 'cs9.yaml',
  manifestAbsDir: dir,
  manifestFromLock: 'cs9.yaml',
};

describe('lock --hoist over CentOS Stream 9', () => {
  it('every RP004 gone, the duplicated bytes saved and reported, check clean on the hoisted lock', async () => {
    const plain = await lockFamily(createNodeHost(), opts);
    const dups = plain.result.findings.filter((f) => f.rule === 'RP004');
    expect(dups.length).toBeGreaterThanOrEqual(5);
    expect(dups.map((f) => f.package)).toContain('python3-3.9.10-1.el9.x86_64');
    expect(plain.result.findings.filter((f) => f.level === 'error')).toEqual([]);

    const hoisted = await lockFamily(createNodeHost(), { ...opts, hoist: true });
    const report = hoisted.result.hoist!;
    expect(report.left).toEqual([]);
    expect(hoisted.result.findings.filter((f) => f.rule === 'RP004')).toEqual([]);
    // python3 moves to the host (the common ancestor of web, ai and media) with the libraries it needs
    const python = report.hoists.find((h) => h.package === 'python3-3.9.10-1.el9.x86_64')!;
    expect(python).toMatchObject({ to: 'host', from: ['web', 'ai', 'media'] });
    expect(python.with.map((w) => w.package)).toContain('python3-libs-3.9.10-1.el9.x86_64');
    expect(python.with.find((w) => w.package.startsWith('gdbm-libs-'))?.from).toEqual([
      'web',
      'ai',
      'tools',
      'media',
    ]);
    // what the RP004 findings said could be saved, is
    const said = plain.result.findings
      .filter((f) => f.rule === 'RP004')
      .reduce((n, f) => {
        const p = plain.result.subjects.flatMap((s) => s.packages).find((x) => x.nevra === f.package)!;
        return n + (p.installSize ?? 0) * (f.nodes!.length - 1);
      }, 0);
    const saved = report.bytesBefore - report.bytesAfter;
    expect(saved).toBeGreaterThan(60 * MIB);
    expect(saved).toBeGreaterThanOrEqual(said);
    expect(report.hoists.reduce((n, h) => n + h.savedBytes, 0)).toBe(saved);

    const lock = hoisted.lock!;
    const host = lock.nodes.find((n) => n.alias === 'host')!;
    expect(host.packages.find((p) => p.nevra === 'python3-libs-3.9.10-1.el9.x86_64')).toMatchObject({
      reason: 'hoisted',
      from: ['web', 'ai', 'media'],
    });
    const installed = (l: typeof lock) =>
      l.nodes.reduce((n, x) => n + x.packages.reduce((k, p) => k + p.installedSize, 0), 0);
    expect(installed(plain.lock!) - installed(lock)).toBe(saved);

    // check proves the hoisted lock: no error, no warning, the notes those of the plain lock
    const text = formatLock(lock);
    writeFileSync(join(dir, 'cs9.lock.yaml'), text);
    const proof = await familyCheck(createNodeHost(), {
      manifestText: text,
      manifest: lockAsManifest(text, 'cs9.lock.yaml'),
      manifestFile: 'cs9.lock.yaml',
      manifestAbsDir: dir,
    });
    expect(proof.findings.filter((f) => f.level !== 'note')).toEqual([]);
    const notes = (fs: typeof proof.findings) =>
      fs
        .filter((f) => f.level === 'note' && f.rule !== 'RP054')
        .map((f) => `${f.rule} ${f.package} ${f.other}`)
        .sort();
    expect(notes(proof.findings)).toEqual(notes(plain.result.findings));
    // and the same again gives the same bytes
    const again = await lockFamily(createNodeHost(), { ...opts, hoist: true });
    expect(formatLock(again.lock!)).toBe(text);
  }, 240_000);
});
