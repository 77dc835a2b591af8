import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditOptions, audit } from '../../src/engine/audit.js';
import type { Host } from '../../src/host/host.js';
import { createNodeHost } from '../../src/host/node-host.js';
import type { CheckResult, Finding } from '../../src/model/finding.js';
import { runCli } from '../helpers/run-cli.js';
import {
  buildRpms,
  type ImageSpec,
  leafNormalYaml,
  makeImage,
  type PackageSpec,
  requireRpmTools,
  rootAdminYaml,
  rootNormalYaml,
  statusYaml,
} from '../load/redpak/make-image.js';
import { requireTool } from './require-tool.js';

// Real images: rpms built with rpmbuild, installed with Debian's rpm into node roots (sqlite rpmdb),
// node files as red-pak writes them. One case per finding, plus the coherent families.

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
    // a shared library soname and a file dependency, both met by the host
    requires: ['libbase.so.1()(64bit)', '/usr/bin/basetool'],
    files: [{ path: '/usr/bin/app', content: 'app\n', mode: '0755' }],
    buildTime: 1700000000,
  },
  {
    name: 'same-a',
    version: '1.0',
    release: '1',
    files: [{ path: '/usr/share/common/same.txt', content: 'identical\n' }],
  },
  {
    name: 'same-b',
    version: '1.0',
    release: '1',
    files: [{ path: '/usr/share/common/same.txt', content: 'identical\n' }],
  },
  {
    name: 'clash-a',
    version: '1.0',
    release: '1',
    files: [{ path: '/usr/share/common/clash.txt', content: 'version A\n' }],
  },
  {
    name: 'clash-b',
    version: '1.0',
    release: '1',
    files: [{ path: '/usr/share/common/clash.txt', content: 'version B, longer\n' }],
  },
  { name: 'needy', version: '1.0', release: '1', requires: ['missing-capability >= 2'] },
  { name: 'conflicter', version: '1.0', release: '1', conflicts: ['libbase'] },
  { name: 'util', version: '1.0', release: '1', files: [{ path: '/usr/share/util/readme', content: 'u\n' }] },
  {
    name: 'archpkg',
    version: '1.0',
    release: '1',
    arch: 'x86_64',
    files: [{ path: '/usr/lib64/arch.so', content: 'x86_64 code\n' }],
  },
];

/** `libbase` rebuilt later with the same NEVRA: a different header (RP014 digest). */
const REBUILT: PackageSpec = { ...PACKAGES[0]!, buildTime: 1700086400 };

let work: string;
let rpms: Map<string, string>;
let rebuilt: string;
const images: { cleanup(): void }[] = [];

beforeAll(() => {
  requireRpmTools();
  requireTool('createrepo_c', 'createrepo-c');
  requireTool('rpmdb2solv', 'libsolv-tools', ['-h']);
  work = mkdtempSync(join(tmpdir(), 'redproof-audit-'));
  rpms = buildRpms(join(work, 'a'), PACKAGES);
  rebuilt = buildRpms(join(work, 'b'), [REBUILT]).get('libbase')!;
}, 180_000);
afterAll(() => {
  for (const i of images) i.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

function image(spec: Omit<ImageSpec, 'rpms'>) {
  const img = makeImage({ ...spec, rpms });
  images.push(img);
  return img;
}

async function run(root: string, opts: Partial<AuditOptions> = {}, host: Host = createNodeHost()) {
  return audit(host, { imageRoot: root, ...opts });
}

const key = (f: Finding) => [f.rule, f.node ?? '', f.package ?? '', f.dependency ?? f.other ?? ''].join(' ');
const rules = (r: CheckResult) => [...new Set(r.findings.map((f) => f.rule))].sort();

/** System-node mode: the system node's packages are the host db. */
function systemFamily(extra: ImageSpec['nodes'] = []): ImageSpec['nodes'] {
  return [
    { path: 'var/redpak', config: rootNormalYaml(), admin: rootAdminYaml() },
    { path: 'var/redpak/platform', install: ['app', 'same-a'] },
    { path: 'var/redpak/platform/nav', install: ['same-b'] },
    ...extra,
  ];
}

describe('audit: coherent families', () => {
  it('system-node mode: clean, every layer examined', async () => {
    const img = image({ host: ['libbase', 'basetools'], nodes: systemFamily() });
    const r = await run(img.root);
    expect(r.findings).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.stats.packagesExamined).toBe(5);
    expect(r.subjects.map((s) => [s.id, s.alias ?? '', s.parent ?? ''])).toEqual([
      ['host', '', ''],
      ['var/redpak', 'system', 'host'],
      ['var/redpak/platform', 'platform', 'var/redpak'],
      ['var/redpak/platform/nav', 'nav', 'var/redpak/platform'],
    ]);
    // identical files shared by two packages of one view stay silent (same digest and mode)
    expect(r.findings.filter((f) => f.rule === 'RP005')).toEqual([]);
  });

  it('no-system-node mode: the host db is attached under the top node', async () => {
    const img = image({
      host: ['libbase', 'basetools'],
      nodes: [
        { path: 'var/redpak/platform', install: ['app'] },
        { path: 'var/redpak/platform/nav', install: ['same-a', 'same-b'] },
      ],
    });
    const r = await run(img.root);
    expect(r.findings).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.stats.packagesExamined).toBe(5);
    expect(r.subjects.find((s) => s.id === 'var/redpak/platform')?.parent).toBe('host');
  });

  it('a legacy redpack.yaml node is read like redpak.yaml', async () => {
    const img = image({
      host: ['libbase', 'basetools'],
      nodes: [
        { path: 'var/redpak/old', legacyNames: true, config: leafNormalYaml('legacy'), install: ['app'] },
      ],
    });
    const r = await run(img.root);
    expect(r.findings).toEqual([]);
    expect(r.subjects.find((s) => s.id === 'var/redpak/old')?.alias).toBe('legacy');
  });
});

describe('audit: one image per finding', () => {
  it('RP001: a requirement met nowhere in the view', async () => {
    const img = image({
      host: ['libbase'],
      nodes: systemFamily([{ path: 'var/redpak/platform/x', install: ['needy'] }]),
    });
    const r = await run(img.root);
    // app's /usr/bin/basetool is missing too (basetools is not installed anywhere)
    expect(r.findings.map(key).sort()).toEqual([
      'RP001 var/redpak/platform app-1.0-1.noarch /usr/bin/basetool',
      'RP001 var/redpak/platform/x needy-1.0-1.noarch missing-capability >= 2',
    ]);
    const f = r.findings.find((x) => x.package === 'needy-1.0-1.noarch')!;
    expect(f.location).toEqual({ file: 'var/redpak/platform/x/.rednode.yaml', line: 1, column: 1 });
    expect(f.message).toContain('`var/redpak/platform/x` (alias `x`)');
  });

  it('RP002: a package conflicting with the host', async () => {
    const img = image({
      host: ['libbase', 'basetools'],
      nodes: systemFamily([{ path: 'var/redpak/platform/c', install: ['conflicter'] }]),
    });
    const r = await run(img.root);
    expect(r.findings.map(key)).toEqual(['RP002 var/redpak/platform/c conflicter-1.0-1.noarch libbase']);
  });

  it('RP003: a name installed in a node and in an ancestor', async () => {
    const img = image({
      host: ['libbase', 'basetools'],
      nodes: systemFamily([{ path: 'var/redpak/platform/d', install: ['libbase'] }]),
    });
    const r = await run(img.root);
    expect(r.findings.map(key)).toEqual([
      'RP003 var/redpak/platform/d libbase-1.0-1.noarch libbase-1.0-1.noarch',
    ]);
    expect(r.findings[0]!.otherNode).toBe('host');
  });

  it('RP004: the same NEVRA in two unrelated nodes', async () => {
    const img = image({
      host: ['libbase', 'basetools'],
      nodes: systemFamily([
        { path: 'var/redpak/platform/media', install: ['util'] },
        { path: 'var/redpak/platform/nav2', install: ['util'] },
      ]),
    });
    const r = await run(img.root);
    expect(r.findings.map(key)).toEqual(['RP004 var/redpak/platform/media util-1.0-1.noarch ']);
    expect(r.findings[0]!.nodes).toEqual(['var/redpak/platform/media', 'var/redpak/platform/nav2']);
  });

  it('RP005: different content is an error, identical content is silent', async () => {
    const img = image({
      host: ['libbase', 'basetools', 'clash-a'],
      nodes: systemFamily([{ path: 'var/redpak/platform/f', install: ['clash-b'] }]),
    });
    const r = await run(img.root);
    expect(r.findings.map(key)).toEqual([
      'RP005 var/redpak/platform/f clash-b-1.0-1.noarch clash-a-1.0-1.noarch',
    ]);
    expect(r.findings[0]!.level).toBe('error');
  });

  it('RP007: a package for another arch', async () => {
    const img = image({
      host: ['libbase', 'basetools'],
      nodes: systemFamily([{ path: 'var/redpak/platform/a', install: ['archpkg'] }]),
    });
    const r = await run(img.root, { arch: 'aarch64' });
    expect(r.findings.map((f) => [f.rule, f.node, f.package])).toEqual([
      ['RP007', 'var/redpak/platform/a', 'archpkg-1.0-1.x86_64'],
    ]);
  });

  it('RP010: an invalid node config, at the exact line', async () => {
    const bad = leafNormalYaml('broken').replace('    verbose: 1\n', '    verbose: 1\n    colour: blue\n');
    const img = image({
      host: ['libbase', 'basetools'],
      nodes: systemFamily([{ path: 'var/redpak/platform/broken', config: bad }]),
    });
    const r = await run(img.root);
    expect(rules(r)).toEqual(['RP010']);
    const f = r.findings[0]!;
    const line = bad.split('\n').indexOf('    colour: blue') + 1;
    expect(f.location?.file).toBe('var/redpak/platform/broken/etc/redpak.yaml');
    expect(f.location?.line).toBe(line);
  });

  it('RP011: a disabled node', async () => {
    const img = image({
      host: ['libbase', 'basetools'],
      nodes: systemFamily([
        {
          path: 'var/redpak/platform/off',
          status: statusYaml({ realpath: '/var/redpak/platform/off', state: 'Disable' }),
          install: ['util'],
        },
      ]),
    });
    const r = await run(img.root);
    expect(r.findings.map((f) => [f.rule, f.node, f.location?.file, f.location?.line])).toEqual([
      ['RP011', 'var/redpak/platform/off', 'var/redpak/platform/off/.rednode.yaml', 4],
    ]);
    // its packages are still examined
    expect(r.subjects.find((s) => s.id === 'var/redpak/platform/off')?.packages).toHaveLength(1);
  });

  it('RP012: an alias with forbidden characters and one reused by an ancestor', async () => {
    const img = image({
      host: ['libbase', 'basetools'],
      nodes: systemFamily([
        { path: 'var/redpak/platform/bad', config: leafNormalYaml('bad alias!') },
        { path: 'var/redpak/platform/nav/dup', config: leafNormalYaml('platform') },
      ]),
    });
    const r = await run(img.root);
    expect(r.findings.map((f) => [f.rule, f.node, f.location?.line])).toEqual(
      expect.arrayContaining([
        ['RP012', 'var/redpak/platform/bad', 2],
        ['RP012', 'var/redpak/platform/nav/dup', 2],
      ]),
    );
    expect(rules(r)).toEqual(['RP012']);
  });

  it('RP013: a child re-enables what its parent disabled', async () => {
    const parent = leafNormalYaml('platform').replace('share_net: enabled', 'share_net: disabled');
    const img = image({
      host: ['libbase', 'basetools'],
      nodes: [
        { path: 'var/redpak/platform', config: parent, install: ['app'] },
        { path: 'var/redpak/platform/nav', install: ['util'] },
      ],
    });
    const r = await run(img.root);
    expect(r.findings.map((f) => [f.rule, f.node, f.location?.file])).toEqual([
      ['RP013', 'var/redpak/platform/nav', 'var/redpak/platform/nav/etc/redpak.yaml'],
    ]);
    const line = leafNormalYaml('nav').split('\n').indexOf('    share_net: enabled') + 1;
    expect(r.findings[0]!.location?.line).toBe(line);
  });
});

describe('audit: RP014 not-from-repositories', () => {
  let repoDir: string;
  let metaOnly: string;
  beforeAll(() => {
    repoDir = join(work, 'repo');
    mkdirSync(repoDir, { recursive: true });
    for (const n of ['libbase', 'basetools', 'app']) {
      copyFileSync(rpms.get(n)!, join(repoDir, `${n}.rpm`));
    }
    execFileSync('createrepo_c', ['-q', repoDir]);
    // the same metadata without the rpm files: only what primary.xml says can be compared
    metaOnly = join(work, 'meta-only');
    mkdirSync(metaOnly, { recursive: true });
    execFileSync('cp', ['-r', join(repoDir, 'repodata'), metaOnly]);
  }, 60_000);

  function provenanceImage() {
    return image({
      host: ['libbase', 'basetools'],
      nodes: [{ path: 'var/redpak/platform', install: ['app', 'util'] }, { path: 'var/redpak/other' }],
    });
  }

  it('reports a package in no repository and one rebuilt with the same NEVRA (header digests)', async () => {
    const img = provenanceImage();
    installExtra(img.pathOf('var/redpak/other'), rebuilt);
    const r = await run(img.root, { repos: [{ id: 'base', path: 'base', absPath: repoDir }] });
    const got = r.findings.filter((f) => f.rule === 'RP014');
    expect(got.map((f) => [f.node, f.package, f.repo ?? ''])).toEqual([
      ['var/redpak/other', 'libbase-1.0-1.noarch', 'base'],
      ['var/redpak/platform', 'util-1.0-1.noarch', ''],
    ]);
    expect(got[1]!.message).toContain('is in none of the given repositories');
    expect(got[0]!.message).toContain('header digest that differs from `base`');
    expect(got[0]!.evidence.map((e) => e.text).join('\n')).toMatch(
      /header SHA-256 [0-9a-f]{64} installed, [0-9a-f]{64} in the rpm file/,
    );
    expect(got.every((f) => f.level === 'warning')).toBe(true);
    expect(r.rules.map((x) => x.id)).toContain('RP014');
  });

  it('without the rpm files, compares what primary.xml repeats from the header', async () => {
    const img = provenanceImage();
    installExtra(img.pathOf('var/redpak/other'), rebuilt);
    const r = await run(img.root, { repos: [{ id: 'meta', path: 'meta', absPath: metaOnly }] });
    const got = r.findings.filter((f) => f.rule === 'RP014');
    expect(got.map((f) => f.package)).toEqual(['libbase-1.0-1.noarch', 'util-1.0-1.noarch']);
    expect(got[0]!.evidence.map((e) => e.text).join('\n')).toMatch(
      /build time 1700086400 \(.*\) installed, 1700000000 \(.*\) in the repository/,
    );
  });

  it('through the CLI: --repo, warnings only (exit 0), code frames from the node files', async () => {
    const img = provenanceImage();
    const cli = await cliRun('audit', img.root, '--repo', `base=${repoDir}`, '--no-cache');
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(
      /^RP014 warning: `util-1\.0-1\.noarch` installed in node `var\/redpak\/platform` \(alias `platform`\)/m,
    );
    expect(cli.out).toContain(' --> var/redpak/platform/.rednode.yaml:1:1');
    expect(cli.out).toContain('1 | realpath: /var/redpak/platform');
    const failing = await cliRun(
      'audit',
      img.root,
      '--repo',
      `base=${repoDir}`,
      '--no-cache',
      '--fail-on',
      'warning',
    );
    expect(failing.code).toBe(1);
  });

  it('is not checked without --repo', async () => {
    const img = provenanceImage();
    const r = await run(img.root);
    expect(r.rules.map((x) => x.id)).not.toContain('RP014');
  });
});

function installExtra(nodeRoot: string, rpm: string): void {
  execFileSync(
    'rpm',
    ['--root', nodeRoot, '--dbpath', '/var/lib/rpm', '-i', '--nodeps', '--noscripts', rpm],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
}

/** A Host that records every path it is asked about. */
function recordingHost(): Host & { seen: string[] } {
  const inner = createNodeHost();
  const seen: string[] = [];
  const rec =
    <A extends unknown[], R>(f: (p: string, ...a: A) => Promise<R>) =>
    (p: string, ...a: A) => {
      seen.push(p);
      return f(p, ...a);
    };
  return {
    seen,
    readFile: rec(inner.readFile.bind(inner)),
    readText: rec(inner.readText.bind(inner)),
    readDir: rec(inner.readDir.bind(inner)),
    lstat: rec(inner.lstat.bind(inner)),
    stat: rec(inner.stat.bind(inner)),
    readlink: rec(inner.readlink.bind(inner)),
    realpath: rec(inner.realpath.bind(inner)),
  };
}

describe('audit: confinement and broken inputs', () => {
  it('symlinks pointing out of the image are resolved inside it: nothing outside is read', async () => {
    const img = image({
      host: ['libbase', 'basetools'],
      nodes: [{ path: 'var/redpak/platform', install: ['app'] }, { path: 'var/redpak/esc' }],
    });
    // outside the image: a valid config and a real rpm database
    const outside = join(img.workDir, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'redpak.yaml'), leafNormalYaml('escaped'));
    installExtra(outside, rpms.get('util')!);
    const esc = img.pathOf('var/redpak/esc');
    rmSync(join(esc, 'etc/redpak.yaml'));
    execFileSync('ln', ['-s', '../../../../../outside/redpak.yaml', join(esc, 'etc/redpak.yaml')]);
    rmSync(join(esc, 'var'), { recursive: true, force: true });
    mkdirSync(join(esc, 'var/lib'), { recursive: true });
    execFileSync('ln', ['-s', join(outside, 'var/lib/rpm'), join(esc, 'var/lib/rpm')]);
    const host = recordingHost();
    const r = await run(img.root, {}, host);
    expect(host.seen.length).toBeGreaterThan(0);
    expect(host.seen.filter((p) => p !== img.root && !p.startsWith(`${img.root}/`))).toEqual([]);
    // the clamped config path is missing inside the image; the db link points at the image's own db
    expect(r.findings.map((f) => [f.rule, f.node])).toEqual([['RP010', 'var/redpak/esc']]);
    expect(r.subjects.flatMap((s) => s.packages.map((p) => p.nevra))).not.toContain('util-1.0-1.noarch');
  });

  it('a corrupt database: a specific error naming the node, exit 3 through the CLI', async () => {
    const img = image({
      host: ['libbase', 'basetools'],
      nodes: [{ path: 'var/redpak/platform', install: ['app'] }],
    });
    writeFileSync(
      join(img.pathOf('var/redpak/platform'), 'var/lib/rpm/rpmdb.sqlite'),
      'this is not sqlite at all\n'.repeat(200),
    );
    const r = await run(img.root);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.kind).toMatch(/^rpmdb-(corrupt|truncated)$/);
    expect(r.errors[0]!.message).toContain('`var/redpak/platform`');
    const cli = await cliRun('audit', img.root, '--format', 'json');
    expect(cli.code).toBe(3);
    expect(JSON.parse(cli.out).errors[0].message).toContain('var/redpak/platform');
  });
});

describe('audit: --node-solv', () => {
  it('loads an rpmdb2solv export in place of the node database', async () => {
    const img = image({
      host: ['libbase', 'basetools', 'clash-a'],
      nodes: [
        { path: 'var/redpak/platform', install: ['app'] },
        { path: 'var/redpak/platform/nav', install: ['util', 'clash-b'] },
      ],
    });
    const solv = join(img.workDir, 'nav.solv');
    writeFileSync(solv, execFileSync('rpmdb2solv', ['-r', img.pathOf('var/redpak/platform/nav')]));
    const before = await run(img.root);
    expect(before.findings.map((f) => [key(f), f.level])).toEqual([
      ['RP005 var/redpak/platform/nav clash-b-1.0-1.noarch clash-a-1.0-1.noarch', 'error'],
    ]);
    // the real database breaks; the export stands in for it
    writeFileSync(
      join(img.pathOf('var/redpak/platform/nav'), 'var/lib/rpm/rpmdb.sqlite'),
      'garbage'.repeat(300),
    );
    const r = await run(img.root, { nodeSolv: [{ target: 'nav', file: 'nav.solv', absPath: solv }] });
    expect(r.errors).toEqual([]);
    expect(r.stats.packagesExamined).toBe(before.stats.packagesExamined);
    expect(r.subjects.find((s) => s.id === 'var/redpak/platform/nav')?.packages.map((p) => p.nevra)).toEqual([
      'clash-b-1.0-1.noarch',
      'util-1.0-1.noarch',
    ]);
    // a .solv has no file digests: the conflict is still found, but rpm's rule cannot be decided
    expect(r.findings.map((f) => [key(f), f.level])).toEqual([
      ['RP005 var/redpak/platform/nav clash-b-1.0-1.noarch clash-a-1.0-1.noarch', 'warning'],
    ]);
    // the host layer too (`rpmdb2solv -r IMAGE_ROOT`)
    const hostSolv = join(img.workDir, 'host.solv');
    writeFileSync(hostSolv, execFileSync('rpmdb2solv', ['-r', img.root]));
    const both = await run(img.root, {
      nodeSolv: [
        { target: 'host', file: 'host.solv', absPath: hostSolv },
        { target: 'var/redpak/platform/nav', file: 'nav.solv', absPath: solv },
      ],
    });
    expect(both.errors).toEqual([]);
    expect(both.subjects.find((s) => s.id === 'host')?.packages.map((p) => p.nevra)).toEqual([
      'basetools-1.0-1.noarch',
      'clash-a-1.0-1.noarch',
      'libbase-1.0-1.noarch',
    ]);
    expect(both.findings.map((f) => [key(f), f.level])).toEqual([
      ['RP005 var/redpak/platform/nav clash-b-1.0-1.noarch clash-a-1.0-1.noarch', 'warning'],
    ]);
    await expect(run(img.root, { nodeSolv: [{ target: 'nope', file: 'x', absPath: solv }] })).rejects.toThrow(
      /no node has this alias or path/,
    );
  });
});

async function cliRun(...argv: string[]) {
  return runCli(argv, { cacheHome: join(work, 'cache') });
}
