/**
 * The readers the campaign attacks. Each target names its real seed inputs and writes one case (a
 * mutated input in place) into a directory, returning the command line that reads it.
 *
 * Extension point: a new reader (lock files, policies, kickstarts) is one more entry in `TARGETS`
 * with its seeds (real files of that format) and a `write` that places the mutated bytes where the
 * command reads them. Nothing else changes: the runner mutates, runs, checks exit codes, stack
 * traces, time and memory for every target alike.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import initSqlJs from 'sql.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { loadRepository } from '../../src/load/repository.js';
import { adler32, readRpmdbBdb } from '../../src/load/rpmdb/index.js';
import { loadEngine } from '../../src/solver/index.js';
import { zstdRleBomb } from '../../test/hostile/repo-helpers.js';
import { leafNormalYaml, statusYaml } from '../../test/load/redpak/make-image.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPOS = join(ROOT, 'corpus/repos');
const BDB = join(ROOT, 'test/fixtures/images/bdb/var/lib/rpm/Packages');

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
];
