import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/engine/audit.js';
import { lockFamily } from '../../src/engine/lock/lock.js';
import { formatLock } from '../../src/engine/lock/lockfile.js';
import { parseLock } from '../../src/engine/lock/read-lock.js';
import { createNodeHost } from '../../src/host/node-host.js';
import type { CheckResult } from '../../src/model/finding.js';
import { buildRpms, makeImage, type PackageSpec } from '../load/redpak/make-image.js';

// audit --lock on real images: rpms built with rpmbuild, a repository indexed by createrepo_c, the
// family locked from it, then installed with rpm into red-pak node roots exactly as locked.

const PACKAGES: PackageSpec[] = [
  {
    name: 'libbase',
    version: '1.0',
    release: '1',
    provides: ['libbase.so.1()(64bit)'],
    files: [{ path: '/usr/lib64/libbase.so.1', content: 'a shared library\n' }],
    buildTime: 1700000000,
  },
  {
    name: 'basetools',
    version: '1.0',
    release: '1',
    files: [{ path: '/usr/bin/basetool', content: '#!/bin/sh\n', mode: '0755' }],
    buildTime: 1700000000,
  },
  {
    name: 'app',
    version: '1.0',
    release: '1',
    requires: ['libbase.so.1()(64bit)', 'applib'],
    files: [{ path: '/usr/bin/app', content: 'app\n', mode: '0755' }],
    buildTime: 1700000000,
  },
  { name: 'applib', version: '1.0', release: '1', files: [{ path: '/usr/share/applib/a', content: 'a\n' }] },
  { name: 'util', version: '1.0', release: '1', files: [{ path: '/usr/share/util/readme', content: 'u\n' }] },
  { name: 'stray', version: '1.0', release: '1', files: [{ path: '/usr/share/stray/s', content: 's\n' }] },
];
/** basetools rebuilt with the same NEVRA and a bigger file: another build. */
const REBUILT: PackageSpec = {
  ...PACKAGES[1]!,
  files: [{ path: '/usr/bin/basetool', content: '#!/bin/sh\necho a longer tool\n', mode: '0755' }],
};

/** basetools rebuilt later from the same sources: same NEVRA, same files, another build time. */
const REBUILT_LATER: PackageSpec = { ...PACKAGES[1]!, buildTime: 1700000100 };

let work: string;
let rpms: Map<string, string>;
let rebuilt: string;
let rebuiltLater: string;
let lockText: string;
const images: { cleanup(): void }[] = [];

beforeAll(async () => {
  const r = spawnSync('createrepo_c', ['--version'], { encoding: 'utf8' });
  if (r.error)
    throw new Error('createrepo_c is not installed: this test needs Debian package `createrepo-c`');
  work = mkdtempSync(join(tmpdir(), 'redproof-audit-lock-'));
  rpms = buildRpms(join(work, 'build'), PACKAGES);
  rebuilt = buildRpms(join(work, 'rebuilt'), [REBUILT]).get('basetools')!;
  rebuiltLater = buildRpms(join(work, 'rebuilt-later'), [REBUILT_LATER]).get('basetools')!;
  const repo = join(work, 'repo');
  mkdirSync(join(repo, 'Packages'), { recursive: true });
  for (const f of rpms.values()) copyFileSync(f, join(repo, 'Packages', basename(f)));
  execFileSync('createrepo_c', ['--quiet', '--no-database', repo]);
  const manifest = `redproof: 1\nfamily: f\narch: x86_64\nrepos:\n  - id: local\n    path: repo\nhost:\n  install: [libbase, basetools]\nnodes:\n  - alias: platform\n    install: [app]\n  - alias: nav\n    parent: platform\n    install: [util]\n`;
  writeFileSync(join(work, 'family.yaml'), manifest);
  const { lock, result } = await lockFamily(createNodeHost(), {
    manifestText: manifest,
    manifestFile: 'family.yaml',
    manifestAbsDir: work,
    manifestFromLock: 'family.yaml',
  });
  expect(result.findings).toEqual([]);
  lockText = formatLock(lock!);
}, 180_000);
afterAll(() => {
  for (const i of images) i.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

function image(host: string[], platform: string[], nav: string[], map = rpms) {
  const img = makeImage({
    rpms: map,
    host,
    nodes: [
      { path: 'var/redpak/platform', install: platform },
      { path: 'var/redpak/platform/nav', install: nav },
    ],
  });
  images.push(img);
  return img;
}

const run = (root: string) =>
  audit(createNodeHost(), { imageRoot: root, lock: parseLock(lockText, 'family.lock.yaml') });
const lockFindings = (r: CheckResult) =>
  r.findings
    .filter((f) => /^RP05[5-8]$/.test(f.rule))
    .map((f) => [f.rule, f.node, f.package ?? ''])
    .sort();

describe('audit --lock on images built with rpm', () => {
  it('the image installed as locked is clean', async () => {
    const img = image(['libbase', 'basetools'], ['app', 'applib'], ['util']);
    const r = await run(img.root);
    expect(r.findings).toEqual([]);
    expect(r.rules.map((x) => x.id)).toEqual(expect.arrayContaining(['RP055', 'RP056', 'RP057', 'RP058']));
  });

  it('a package erased with rpm -e --nodeps and an extra one in two nodes are found', async () => {
    const img = image(['libbase', 'basetools'], ['app', 'applib', 'stray'], ['util', 'stray']);
    execFileSync('rpm', [
      '--root',
      img.pathOf('var/redpak/platform'),
      '--dbpath',
      '/var/lib/rpm',
      '-e',
      '--nodeps',
      'applib',
    ]);
    const r = await run(img.root);
    expect(lockFindings(r)).toEqual([
      ['RP055', 'var/redpak/platform', 'applib-1.0-1.noarch'],
      ['RP056', 'var/redpak/platform', 'stray-1.0-1.noarch'],
      ['RP056', 'var/redpak/platform/nav', 'stray-1.0-1.noarch'],
    ]);
    const missing = r.findings.find((f) => f.rule === 'RP055')!;
    expect(missing.location?.file).toBe('family.lock.yaml');
    expect(lockText.split('\n')[missing.location!.line - 1]).toContain('nevra: applib-1.0-1.noarch');
  });

  it('the same NEVRA from another build and a node the lock lacks are found', async () => {
    const map = new Map(rpms);
    map.set('basetools', rebuilt);
    const img = makeImage({
      rpms: map,
      host: ['libbase', 'basetools'],
      nodes: [
        { path: 'var/redpak/platform', install: ['app', 'applib'] },
        { path: 'var/redpak/platform/nav', install: ['util'] },
        { path: 'var/redpak/platform/extra', install: [] },
      ],
    });
    images.push(img);
    const r = await run(img.root);
    expect(lockFindings(r)).toEqual([
      ['RP057', 'host', 'basetools-1.0-1.noarch'],
      ['RP058', 'var/redpak/platform/extra', ''],
    ]);
    expect(r.findings.find((f) => f.rule === 'RP057')!.message).toMatch(
      /installed size \d+ in the image, \d+ in the lock/,
    );
  });

  it('a rebuild with the same NEVRA and files is told apart by its build time, which the lock records', async () => {
    expect(lockText).toContain('        buildTime: 1700000000\n');
    const map = new Map(rpms);
    map.set('basetools', rebuiltLater);
    const img = image(['libbase', 'basetools'], ['app', 'applib'], ['util'], map);
    const r = await run(img.root);
    expect(lockFindings(r)).toEqual([['RP057', 'host', 'basetools-1.0-1.noarch']]);
    expect(r.findings.find((f) => f.rule === 'RP057')!.message).toContain(
      'build time 1700000100 in the image, 1700000000 in the lock',
    );
  });
});
