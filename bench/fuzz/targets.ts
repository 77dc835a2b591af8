/**
 * The readers the campaign attacks. Each target names its real seed inputs and writes one case (a
 * mutated input in place) into a directory, returning the command line that reads it.
 *
 * Extension point: a new reader is one more entry in `TARGETS`
 * with its seeds (real files of that format) and a `write` that places the mutated bytes where the
 * command reads them. Nothing else changes: the runner mutates, runs, checks exit codes, stack
 * traces, time and memory for every target alike.
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import initSqlJs from 'sql.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { loadRepository } from '../../src/load/repository.js';
import { adler32, readRpmdbBdb } from '../../src/load/rpmdb/index.js';
import { loadEngine } from '../../src/solver/index.js';
import { zstdRleBomb } from '../../test/hostile/repo-helpers.js';
import { buildRpms, leafNormalYaml, statusYaml } from '../../test/load/redpak/make-image.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPOS = join(ROOT, 'corpus/repos');
const BDB = join(ROOT, 'test/fixtures/images/bdb/var/lib/rpm/Packages');
const SEEDS = join(ROOT, 'bench/fuzz/seeds');
/** The real-data corpus beside the repository, when there (seeds from it are added to the in-repo ones). */
const SHARED = join(ROOT, '../shared/corpus');
/** The sqlite image fixture (rpm installed rpmbuild's packages): its host holds helper-1.0-1.noarch. */
const AUDIT_IMAGE = join(ROOT, 'test/fixtures/images/sqlite/audit/image');

export interface Seed {
  name: string;
  bytes: Uint8Array;
}

export interface Target {
  /** Reader under attack, as the results table names it. */
  name: string;
  seeds(): Promise<Seed[]>;
  /** The mutated bytes go through this before being written (e.g. recompressed); default none. */
  encode?(bytes: Uint8Array): Uint8Array;
  /** Writes the case into `dir` (empty) and returns the CLI arguments, run with `dir` as cwd. */
  write(dir: string, bytes: Uint8Array): string[];
  /** Hand-made hostile cases beyond mutations (bombs), as [label, bytes]. */
  extra?(): Promise<[string, Uint8Array][]>;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const primaryName = (dir: string) =>
  readdirSync(join(REPOS, dir, 'repodata')).find((n) => n.includes('-primary.xml'))!;
const fileOf = (dir: string, re: RegExp) =>
  readdirSync(join(REPOS, dir, 'repodata')).find((n) => re.test(n))!;

/** A repository in `dir/repo` with `primary` as its primary file and a repomd.xml that matches it. */
function writeRepo(
  dir: string,
  primaryFile: string,
  primary: Uint8Array,
  repomdOverride?: Uint8Array,
): string[] {
  const rd = join(dir, 'repo/repodata');
  mkdirSync(rd, { recursive: true });
  writeFileSync(join(rd, primaryFile), primary);
  const repomd =
    repomdOverride ??
    Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo">
  <revision>1</revision>
  <data type="primary">
    <checksum type="sha256">${sha256(primary)}</checksum>
    <location href="repodata/${primaryFile}"/>
    <size>${primary.byteLength}</size>
  </data>
</repomd>
`);
  writeFileSync(join(rd, 'repomd.xml'), repomd);
  return ['repo-check', '--repo', 'repo', '--no-cache', '--format', 'json'];
}

function compressedPrimary(dir: string, suffix: string): Target {
  return {
    name: `rpm-md primary.xml${suffix}`,
    seeds: async () => [{ name: dir, bytes: readFileSync(join(REPOS, dir, 'repodata', primaryName(dir))) }],
    write: (d, bytes) => writeRepo(d, `p-primary.xml${suffix}`, bytes),
    ...(suffix === '.zst' && {
      extra: async () => [['zstd RLE bomb, 25 KiB → 800 MiB', zstdRleBomb(6400)] as [string, Uint8Array]],
    }),
  };
}

/** Header blobs of the BerkeleyDB fixture (real headers rpm installed). */
function fixtureBlobs(): Uint8Array[] {
  return readRpmdbBdb(new Uint8Array(readFileSync(BDB)), 'seed').blobs;
}

const tag = (s: string) => s.split('').reduce((a, c, i) => a | (c.charCodeAt(0) << (8 * i)), 0) >>> 0;

/** An ndb Packages.db as rpm's rpmpkg.c lays it out. */
function ndbOf(blobs: Uint8Array[]): Uint8Array {
  const blocks = blobs.map((b) => Math.ceil((16 + b.length + 12) / 16));
  const out = new Uint8Array(4096 + blocks.reduce((a, n) => a + n * 16, 0));
  const v = new DataView(out.buffer);
  v.setUint32(0, tag('RpmP'), true);
  v.setUint32(12, 1, true);
  for (let at = 32; at < 4096; at += 16) v.setUint32(at, tag('Slot'), true);
  let blk = 256;
  blobs.forEach((blob, i) => {
    const slot = 32 + 16 * i;
    v.setUint32(slot + 4, i + 1, true);
    v.setUint32(slot + 8, blk, true);
    v.setUint32(slot + 12, blocks[i]!, true);
    const start = blk * 16;
    v.setUint32(start, tag('BlbS'), true);
    v.setUint32(start + 4, i + 1, true);
    v.setUint32(start + 12, blob.length, true);
    out.set(blob, start + 16);
    const tail = start + blocks[i]! * 16 - 12;
    v.setUint32(tail, adler32(out.subarray(start, tail)), true);
    v.setUint32(tail + 4, blob.length, true);
    v.setUint32(tail + 8, tag('BlbE'), true);
    blk += blocks[i]!;
  });
  return out;
}

async function sqliteOf(blobs: Uint8Array[]): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)");
  for (const b of blobs) db.run('INSERT INTO Packages (blob) VALUES (?)', [b]);
  const out = db.export();
  db.close();
  return out;
}

/** An image with the host db at var/lib/rpm/`name`, and a redroot with one node when `node` is given. */
function writeImage(
  dir: string,
  dbName: string,
  db: Uint8Array,
  node?: { status: string; config: string },
): string[] {
  mkdirSync(join(dir, 'img/var/lib/rpm'), { recursive: true });
  mkdirSync(join(dir, 'img/var/redpak'), { recursive: true });
  writeFileSync(join(dir, 'img/var/lib/rpm', dbName), db);
  if (node) {
    mkdirSync(join(dir, 'img/var/redpak/n/etc'), { recursive: true });
    writeFileSync(join(dir, 'img/var/redpak/n/.rednode.yaml'), node.status);
    writeFileSync(join(dir, 'img/var/redpak/n/etc/redpak.yaml'), node.config);
  }
  return ['audit', 'img', '--format', 'json'];
}

const STATUS = statusYaml({ realpath: '/var/redpak/n' });
const CONFIG = leafNormalYaml('n');
const WAIVERS = `version: 1
waivers:
  - rule: RP001
    node: media
    package: media-player
    reason: the navigation split lands next sprint
    owner: media-team
    expires: 2099-06-30
  - rule: RP004
    package: "libxml2-*"
    reason: shared on purpose
`;

/** Links `dir/repos` and `dir/families` to the bundled corpus, so a manifest finds `../repos/...`. */
function linkCorpus(dir: string): void {
  symlinkSync(REPOS, join(dir, 'repos'));
  mkdirSync(join(dir, 'families'));
}

/** Files of the shared real-data corpus, as seeds, when it is there (CI without it uses the in-repo seeds). */
function sharedSeeds(paths: readonly string[]): Seed[] {
  return paths
    .filter((p) => existsSync(join(SHARED, p)))
    .map((p) => ({ name: `shared: ${p}`, bytes: readFileSync(join(SHARED, p)) }));
}

const seedFile = (name: string): Seed => ({ name, bytes: readFileSync(join(SEEDS, name)) });
const seedOf = (path: string): Seed => ({ name: path, bytes: readFileSync(join(ROOT, path)) });

/** A `<data>` entry of repomd.xml for `bytes` at repodata/`name`. */
function repomdEntry(type: string, name: string, bytes: Uint8Array): string {
  return `<data type="${type}"><checksum type="sha256">${sha256(bytes)}</checksum><location href="repodata/${name}"/><size>${bytes.byteLength}</size></data>`;
}

/**
 * A copy of corpus repository `from` in `dir/to`, with `bytes` as its `type` file (replacing the one it
 * lists, or added); repomd.xml describes the new file (checksum, size; no open-size).
 */
function repoWith(
  dir: string,
  from: string,
  to: string,
  type: string,
  name: string,
  bytes: Uint8Array,
): string {
  const repo = join(dir, to);
  cpSync(join(REPOS, from), repo, { recursive: true });
  const rd = join(repo, 'repodata');
  let repomd = readFileSync(join(rd, 'repomd.xml'), 'utf8');
  const block = new RegExp(`\\s*<data type="${type}">[\\s\\S]*?</data>`);
  const old = block.exec(repomd)?.[0];
  if (old) {
    const href = /<location href="repodata\/([^"]+)"/.exec(old)?.[1];
    if (href) rmSync(join(rd, href), { force: true });
    repomd = repomd.replace(old, '');
  }
  writeFileSync(join(rd, name), bytes);
  writeFileSync(
    join(rd, 'repomd.xml'),
    repomd.replace('</repomd>', `${repomdEntry(type, name, bytes)}\n</repomd>`),
  );
  return repo;
}

/** `corpus/families/NAME` written to `dir/m.yaml`, its repository paths made absolute; `edit` changes the text. */
function manifestIn(dir: string, name: string, edit: (t: string) => string = (t) => t): string {
  const text = readFileSync(join(ROOT, 'corpus/families', name), 'utf8').replace(
    /path: (\.\.\/)+repos\/([a-z-]+)/g,
    (_, _up, repo: string) => `path: ${join(REPOS, repo)}`,
  );
  writeFileSync(join(dir, 'm.yaml'), edit(text));
  return 'm.yaml';
}

/** A header blob (rpmdb layout) with one more BIN entry: rpm copies the signature into installed headers so. */
function withBinTag(blob: Uint8Array, tag: number, bin: Uint8Array): Uint8Array {
  const v = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = v.getUint32(0);
  const dl = v.getUint32(4);
  const out = new Uint8Array(blob.byteLength + 16 + bin.byteLength);
  const o = new DataView(out.buffer);
  o.setUint32(0, il + 1);
  o.setUint32(4, dl + bin.byteLength);
  out.set(blob.subarray(8, 8 + il * 16), 8);
  const e = 8 + il * 16;
  o.setUint32(e, tag);
  o.setUint32(e + 4, 7); // RPM_BIN_TYPE
  o.setUint32(e + 8, dl);
  o.setUint32(e + 12, bin.byteLength);
  out.set(blob.subarray(8 + il * 16, 8 + il * 16 + dl), e + 16);
  out.set(bin, e + 16 + dl);
  return out;
}

/** A real rpm built by rpmbuild, with the NEVRA of a package installed in the sqlite image fixture. */
function helperRpm(): Uint8Array {
  const work = mkdtempSync(join(tmpdir(), 'redproof-fuzz-rpm-'));
  try {
    const rpms = buildRpms(work, [
      {
        name: 'helper',
        version: '1.0',
        release: '1',
        files: [{ path: '/usr/bin/helper', content: '#!/bin/sh\necho helper\n', mode: '0755' }],
        buildTime: 1_700_000_000,
      },
    ]);
    return readFileSync(rpms.get('helper')!);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A repository whose only package is helper-1.0-1.noarch at Packages/helper.rpm (the mutated file). */
function rpmRepo(dir: string, rpm: Uint8Array): string {
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'Packages'), { recursive: true });
  writeFileSync(join(repo, 'Packages/helper.rpm'), rpm);
  const primary = gzipSync(`<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="1">
<package type="rpm">
  <name>helper</name><arch>noarch</arch><version epoch="0" ver="1.0" rel="1"/>
  <checksum type="sha256" pkgid="YES">${sha256(rpm)}</checksum>
  <location href="Packages/helper.rpm"/>
  <format><rpm:provides><rpm:entry name="helper" flags="EQ" epoch="0" ver="1.0" rel="1"/></rpm:provides></format>
</package>
</metadata>
`);
  mkdirSync(join(repo, 'repodata'));
  writeFileSync(join(repo, 'repodata/p-primary.xml.gz'), primary);
  writeFileSync(
    join(repo, 'repodata/repomd.xml'),
    `<?xml version="1.0"?><repomd xmlns="http://linux.duke.edu/metadata/repo">${repomdEntry('primary', 'p-primary.xml.gz', primary)}</repomd>`,
  );
  return 'repo';
}

const SIGNED_POLICY = `redproof-policy: 1
rules:
  - name: signed
    nodes: ['**']
    require-signed: true
  - name: by-a-key
    nodes: [host]
    signed-by: ['${'0'.repeat(16)}']
`;

export const TARGETS: Target[] = [
  {
    name: 'rpm-md primary.xml (gzip, content mutated)',
    seeds: async () => [
      { name: 'clean', bytes: gunzipSync(readFileSync(join(REPOS, 'clean/repodata', primaryName('clean')))) },
    ],
    encode: (b) => gzipSync(b, { level: 1 }),
    write: (d, bytes) => writeRepo(d, 'p-primary.xml.gz', bytes),
    extra: async () => [
      ['gzip bomb, 100 MiB of spaces', gzipSync(Buffer.alloc(100 << 20, 0x20), { level: 9 })],
      [
        'root after a 4 KiB comment',
        gzipSync(`<?xml version="1.0"?><!--${'x'.repeat(4096)}--><metadata packages="0"/>`),
      ],
    ],
  },
  compressedPrimary('clean', '.gz'),
  compressedPrimary('clean-xz', '.xz'),
  compressedPrimary('clean-zst', '.zst'),
  compressedPrimary('clean-bz2', '.bz2'),
  {
    name: 'repomd.xml',
    seeds: async () => [{ name: 'clean', bytes: readFileSync(join(REPOS, 'clean/repodata/repomd.xml')) }],
    write: (d, bytes) => {
      cpSync(join(REPOS, 'clean'), join(d, 'repo'), { recursive: true });
      writeFileSync(join(d, 'repo/repodata/repomd.xml'), bytes);
      return ['repo-check', '--repo', 'repo', '--no-cache', '--format', 'json'];
    },
    extra: async () => [
      [
        'XXE',
        Buffer.from(
          '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/shadow">]><repomd>&x;</repomd>',
        ),
      ],
    ],
  },
  {
    name: 'filelists.xml.gz',
    seeds: async () => [
      {
        name: 'clean',
        bytes: gunzipSync(
          readFileSync(join(REPOS, 'clean/repodata', fileOf('clean', /-filelists\.xml\.gz$/))),
        ),
      },
    ],
    encode: (b) => gzipSync(b, { level: 1 }),
    write: (d, bytes) => {
      const primary = readFileSync(join(REPOS, 'clean/repodata', primaryName('clean')));
      const rd = join(d, 'repo/repodata');
      mkdirSync(rd, { recursive: true });
      writeFileSync(join(rd, 'p-primary.xml.gz'), primary);
      writeFileSync(join(rd, 'f-filelists.xml.gz'), bytes);
      const entry = (type: string, name: string, b: Uint8Array) =>
        `<data type="${type}"><checksum type="sha256">${sha256(b)}</checksum><location href="repodata/${name}"/><size>${b.byteLength}</size></data>`;
      writeFileSync(
        join(rd, 'repomd.xml'),
        `<?xml version="1.0"?><repomd xmlns="http://linux.duke.edu/metadata/repo">${entry('primary', 'p-primary.xml.gz', primary)}${entry('filelists', 'f-filelists.xml.gz', bytes)}</repomd>`,
      );
      return ['repo-check', '--repo', 'repo', '--no-cache', '--format', 'json'];
    },
  },
  {
    name: '.solv',
    seeds: async () => {
      const e = await loadEngine();
      const pool = e.createPool('x86_64');
      try {
        const loaded = await loadRepository(createNodeHost(), e, pool, {
          id: 'clean',
          path: 'clean',
          absPath: join(REPOS, 'clean'),
        });
        return [{ name: 'clean', bytes: loaded.repo.writeSolv() }];
      } finally {
        pool.dispose();
      }
    },
    write: (d, bytes) => {
      writeFileSync(join(d, 'x.solv'), bytes);
      return ['repo-check', '--repo', 'x.solv', '--format', 'json'];
    },
  },
  {
    name: 'rpmdb BerkeleyDB Packages',
    seeds: async () => [{ name: 'bdb fixture', bytes: readFileSync(BDB) }],
    write: (d, bytes) => writeImage(d, 'Packages', bytes),
  },
  {
    name: 'rpmdb ndb Packages.db',
    seeds: async () => [{ name: 'fixture headers', bytes: ndbOf(fixtureBlobs()) }],
    write: (d, bytes) => writeImage(d, 'Packages.db', bytes),
  },
  {
    name: 'rpmdb sqlite rpmdb.sqlite',
    seeds: async () => [{ name: 'fixture headers', bytes: await sqliteOf(fixtureBlobs()) }],
    write: (d, bytes) => writeImage(d, 'rpmdb.sqlite', bytes),
  },
  {
    name: 'red-pak etc/redpak.yaml',
    seeds: async () => [{ name: 'leaf config', bytes: Buffer.from(CONFIG) }],
    write: (d, bytes) =>
      writeImage(d, 'Packages', readFileSync(BDB), {
        status: STATUS,
        config: Buffer.from(bytes).toString('latin1'),
      }),
  },
  {
    name: 'red-pak .rednode.yaml',
    seeds: async () => [{ name: 'status', bytes: Buffer.from(STATUS) }],
    write: (d, bytes) =>
      writeImage(d, 'Packages', readFileSync(BDB), {
        status: Buffer.from(bytes).toString('latin1'),
        config: CONFIG,
      }),
  },
  {
    name: 'family manifest',
    seeds: async () =>
      readdirSync(join(ROOT, 'corpus/families'))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => ({ name: f, bytes: readFileSync(join(ROOT, 'corpus/families', f)) })),
    write: (d, bytes) => {
      linkCorpus(d);
      writeFileSync(join(d, 'families/m.yaml'), bytes);
      return ['check', 'families/m.yaml', '--format', 'json', '--no-cache'];
    },
  },
  {
    name: 'waivers',
    seeds: async () => [{ name: 'waivers', bytes: Buffer.from(WAIVERS) }],
    write: (d, bytes) => {
      writeFileSync(join(d, 'w.yaml'), bytes);
      return [
        'check',
        join(ROOT, 'corpus/families/rp001-unresolved.yaml'),
        '--waivers',
        'w.yaml',
        '--format',
        'json',
      ];
    },
  },
  {
    name: 'rpm package (.rpm lead and signature header, RP014)',
    seeds: async () => [{ name: 'helper-1.0-1.noarch.rpm (rpmbuild)', bytes: helperRpm() }],
    write: (d, bytes) => {
      symlinkSync(AUDIT_IMAGE, join(d, 'img'));
      return ['audit', 'img', '--repo', `r=${rpmRepo(d, bytes)}`, '--format', 'json', '--no-cache'];
    },
  },
  {
    name: 'rpm header signature (RP045, src/load/rpmdb/signature.ts)',
    seeds: async () =>
      ['rsa2048', 'ed25519'].map((algo) => ({
        name: `${algo} (rpmsign)`,
        bytes: Buffer.from(
          readFileSync(join(ROOT, `test/fixtures/signatures/${algo}.sig.hex`), 'utf8').trim(),
          'hex',
        ),
      })),
    write: (d, bytes) => {
      // the mutated packet as RSAHEADER of one installed header, DSAHEADER of another
      const blobs = fixtureBlobs();
      blobs[0] = withBinTag(blobs[0]!, 268, bytes);
      if (blobs[1]) blobs[1] = withBinTag(blobs[1], 267, bytes);
      writeFileSync(join(d, 'policy.yaml'), SIGNED_POLICY);
      const argv = writeImage(d, 'Packages.db', ndbOf(blobs));
      return [...argv, '--policy', 'policy.yaml'];
    },
  },
  {
    name: 'updateinfo.xml.gz',
    seeds: async () => [
      seedOf('corpus/specs/demo-updates.updateinfo.xml'),
      seedOf('corpus/specs/update-new.updateinfo.xml'),
    ],
    encode: (b) => gzipSync(b, { level: 1 }),
    write: (d, bytes) => {
      repoWith(d, 'demo-updates', 'updates', 'updateinfo', 'u-updateinfo.xml.gz', bytes);
      const m = manifestIn(d, 'update-soname.yaml');
      return [
        'update-check',
        m,
        '--to',
        'updates=updates',
        '--security-only',
        '--format',
        'json',
        '--no-cache',
      ];
    },
  },
  {
    name: 'kickstart (host.kickstart, %packages)',
    seeds: async () => [
      seedFile('host.ks'),
      ...sharedSeeds([
        'redpesk-kickstarts/distro/redpesk-core.ks',
        'redpesk-kickstarts/images/minimal-x86_64.ks',
      ]),
    ],
    write: (d, bytes) => {
      writeFileSync(join(d, 'host.ks'), bytes);
      const m = manifestIn(d, 'requests/coherent.yaml', (t) =>
        t.replace('host:\n', 'host:\n  kickstart: host.ks\n'),
      );
      return ['lock', m, '--format', 'json', '--no-cache'];
    },
  },
  {
    name: 'comps (repomd group)',
    seeds: async () => [seedFile('comps.xml'), ...sharedSeeds(['fedora-comps/comps-epel9.xml.in'])],
    extra: async () => [
      [
        'tags nested 100,000 deep',
        Buffer.from(
          `<?xml version="1.0"?><comps>${'<group>'.repeat(100_000)}${'</group>'.repeat(100_000)}</comps>`,
        ),
      ],
    ],
    write: (d, bytes) => {
      repoWith(d, 'demo', 'demo', 'group', 'comps.xml', bytes);
      const m = manifestIn(d, 'requests/coherent.yaml', (t) =>
        t
          .replace(join(REPOS, 'demo'), join(d, 'demo'))
          .replace(
            'install: [setup, filesystem, glibc, bash, coreutils, tzdata]',
            'install: ["@core", "@^ivi"]',
          )
          .replace('install: [media-player]', 'install: ["@media"]'),
      );
      return ['lock', m, '--format', 'json', '--no-cache'];
    },
  },
  {
    name: 'modules.yaml (repomd modules)',
    seeds: async () => [
      seedFile('modules.yaml'),
      ...sharedSeeds(['libdnf-modules-fixture/httpd-2.4-1/httpd.yaml']),
    ],
    write: (d, bytes) => {
      repoWith(d, 'demo', 'demo', 'modules', 'modules.yaml', bytes);
      const m = manifestIn(d, 'requests/coherent.yaml', (t) =>
        t.replace(join(REPOS, 'demo'), join(d, 'demo')),
      );
      return ['lock', m, '--format', 'json', '--no-cache'];
    },
  },
  {
    name: 'policy file (--policy)',
    seeds: async () => [seedOf('corpus/policies/example.yaml')],
    write: (d, bytes) => {
      writeFileSync(join(d, 'p.yaml'), bytes);
      return [
        'check',
        manifestIn(d, 'coherent.yaml'),
        '--policy',
        'p.yaml',
        '--format',
        'json',
        '--no-cache',
      ];
    },
  },
  {
    name: 'lockfile (check FAMILY.lock.yaml)',
    seeds: async () => [seedOf('corpus/families/requests/coherent.lock.yaml')],
    extra: async () => [
      [
        'the lockfile that exhausted the yaml parser stack (16,577 repeated blocks)',
        gunzipSync(readFileSync(join(ROOT, 'test/fixtures/hostile/yaml-stack.lock.yaml.gz'))),
      ],
      [
        'flow sequences nested 50,000 deep',
        Buffer.from(`redproof-lock: 1\nfamily: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`),
      ],
    ],
    write: (d, bytes) => {
      linkCorpus(d);
      mkdirSync(join(d, 'families/requests'));
      cpSync(
        join(ROOT, 'corpus/families/requests/coherent.yaml'),
        join(d, 'families/requests/coherent.yaml'),
      );
      writeFileSync(join(d, 'families/requests/coherent.lock.yaml'), bytes);
      return ['check', 'families/requests/coherent.lock.yaml', '--format', 'json', '--no-cache'];
    },
  },
];
