import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageRoot } from '../../../src/host/image-root.js';
import { createNodeHost } from '../../../src/host/node-host.js';
import {
  adler32,
  type Dependency,
  type InstalledPackage,
  parseHeaderBlob,
  RpmdbError,
  readRpmdb,
  readRpmdbNdb,
  readRpmdbSqlite,
} from '../../../src/load/rpmdb/index.js';
import { type FixtureCopy, loadImageFixture } from '../../helpers/image-fixtures/load.js';
import { DEP_KINDS, RPM_QUERIES, RPMDB_NODE, rpmdbRootOf } from '../../helpers/image-fixtures/specs.js';

// A real image: test/helpers/image-fixtures/build.ts made it with rpmbuild and rpm --root (libfoo and helper in
// the host db, the others in one node) and recorded rpm's own answers to the queries below, which
// every reading is compared with. CI rebuilds it and checks it is unchanged.
let img: FixtureCopy;
let image: ImageRoot;
let packages: InstalledPackage[];
let blobs: Uint8Array[];
const NODE = RPMDB_NODE;

beforeAll(async () => {
  img = loadImageFixture('rpmdb');
  image = new ImageRoot(createNodeHost(), img.root);
  const all: InstalledPackage[] = [];
  const allBlobs: Uint8Array[] = [];
  for (const db of ['var/lib/rpm', `${NODE}/var/lib/rpm`]) {
    const r = await readRpmdb(image, db, db);
    expect(r.format).toBe('sqlite');
    all.push(...r.packages);
    allBlobs.push(...r.blobs);
  }
  packages = all;
  blobs = allBlobs;
}, 120_000);

afterAll(() => img?.cleanup());

const rpmQuery = (name: string, args: readonly string[]) => img.rpmQuery(rpmdbRootOf(name), args);

function pkg(name: string): InstalledPackage {
  const p = packages.find((x) => x.name === name);
  if (p === undefined) throw new Error(`package ${name} not read`);
  return p;
}

describe('rpmdb.sqlite reading, compared with rpm -q', () => {
  it('reads every installed package with its raw blob', () => {
    expect(packages.map((p) => p.nevra).sort()).toEqual([
      'app-0.1-1.noarch',
      'archlib-3.0-2.x86_64',
      'helper-1.0-1.noarch',
      'libfoo-1:1.2-3.noarch',
      'other-2.0-1.noarch',
    ]);
    expect(blobs).toHaveLength(5);
    blobs.forEach((b, i) => {
      expect(parseHeaderBlob(b, packages[i]!.hnum)).toEqual(packages[i]);
    });
  });

  it.each(['libfoo', 'app', 'helper', 'other', 'archlib'])('scalar tags of %s match rpm --qf', (name) => {
    const p = pkg(name);
    const expected = rpmQuery(name, RPM_QUERIES.scalars(name));
    const none = (v: string | number | undefined) => (v === undefined || v === '' ? '(none)' : String(v));
    const got = [
      p.name,
      none(p.epoch),
      p.version,
      p.release,
      p.arch,
      p.size,
      p.license,
      none(p.vendor),
      p.sourceRpm,
      p.sha256Header,
      p.sha1Header,
      p.fileDigestAlgo,
    ].join('|');
    expect(got).toBe(expected);
    expect(String(p.installTime)).toBe(rpmQuery(name, RPM_QUERIES.installTime(name)));
  });

  it.each(['libfoo', 'app', 'helper', 'other', 'archlib'])('dependencies of %s match rpm --qf', (name) => {
    const p = pkg(name);
    for (const [field, tag] of DEP_KINDS) {
      const out = rpmQuery(name, RPM_QUERIES.deps(name, tag));
      const expected = out.split('\n').filter((l) => l !== '' && l !== '(none)|(none)|(none)');
      const got = p[field].map((d: Dependency) => `${d.name}|${d.flags}|${d.version}`);
      expect(got, `${name} ${field}`).toEqual(expected);
    }
  });

  it('decodes dependency flags: operators, pre-requirements and rich deps', () => {
    const req = pkg('app').requires;
    const byName = (n: string) => req.find((d) => d.name === n);
    expect(byName('libfoo')).toMatchObject({ op: '>=', version: '1:1.2', isPre: false, isRich: false });
    expect(byName('shadow-utils')?.isPre).toBe(true);
    expect(byName('/bin/sh')?.isPre).toBe(true);
    expect(byName('(libfoo if app-extra)')?.isRich).toBe(true);
    expect(byName('/usr/bin/helper')?.op).toBeUndefined();
    expect(byName('/usr/bin/helper')?.version).toBe('');
    expect(pkg('app').conflicts[0]).toMatchObject({ name: 'oldapp', op: '<', version: '2' });
    expect(pkg('app').obsoletes[0]).toMatchObject({ name: 'app-legacy', op: '<=', version: '0.9' });
    expect(pkg('app').suggests[0]).toMatchObject({ name: 'app-extras', op: '>', version: '1' });
    expect(pkg('libfoo').provides.map((d) => d.name)).toEqual(['libfoo', 'libfoo.so.1()(64bit)']);
    expect(pkg('libfoo').provides[0]).toMatchObject({ op: '=', version: '1:1.2-3' });
  });

  it.each(['libfoo', 'app', 'helper', 'other', 'archlib'])(
    'files of %s match rpm --dump and FILEFLAGS',
    (name) => {
      const p = pkg(name);
      const dump = rpmQuery(name, RPM_QUERIES.dump(name))
        .split('\n')
        .filter((l) => l !== '');
      // path size mtime digest mode owner group isconfig isdoc rdev symlink
      const expected = dump.map((l) => {
        const f = l.split(' ');
        return [f[0], f[1], f[3], f[4], f[5], f[6], f[7], f[10]].join(' ');
      });
      const got = p.files.map((f) =>
        [
          f.path,
          f.size,
          f.digest === '' ? '0'.repeat(64) : f.digest,
          `0${f.mode.toString(8)}`,
          f.user,
          f.group,
          f.isConfig ? '1' : '0',
          f.linkTo === '' ? 'X' : f.linkTo,
        ].join(' '),
      );
      expect(got.sort()).toEqual(expected.sort());
      const flags = rpmQuery(name, RPM_QUERIES.fileFlags(name))
        .split('\n')
        .filter((l) => l !== '');
      expect(p.files.map((f) => `${f.path} ${f.flags}`).sort()).toEqual(flags.sort());
    },
  );

  it('sees config and ghost files and the shared path with different digests', () => {
    expect(pkg('libfoo').files.find((f) => f.path === '/etc/foo.conf')).toMatchObject({
      isConfig: true,
      flags: 1 | 16,
    });
    expect(pkg('app').files.find((f) => f.path === '/var/log/app.log')?.isGhost).toBe(true);
    const a = pkg('helper').files.find((f) => f.path === '/usr/share/common/data.txt');
    const b = pkg('other').files.find((f) => f.path === '/usr/share/common/data.txt');
    expect(a?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(b?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(a?.digest).not.toBe(b?.digest);
    expect(pkg('libfoo').files.find((f) => f.path === '/usr/lib64/libfoo.so')?.linkTo).toBe('libfoo.so.1');
  });
});

describe('rpmdb errors', () => {
  function copyDb(to: string, mutate?: (b: Uint8Array) => Uint8Array): string {
    const dir = img.pathOf(to);
    mkdirSync(dir, { recursive: true });
    const bytes = new Uint8Array(readFileSync(join(img.pathOf(`${NODE}/var/lib/rpm`), 'rpmdb.sqlite')));
    writeFileSync(join(dir, 'rpmdb.sqlite'), mutate ? mutate(bytes) : bytes);
    return to;
  }

  it('missing database', async () => {
    await expect(readRpmdb(image, 'var/redpak/none/var/lib/rpm', 'var/redpak/none')).rejects.toMatchObject({
      name: 'RpmdbError',
      kind: 'missing',
      node: 'var/redpak/none',
    });
    mkdirSync(img.pathOf('var/redpak/empty/var/lib/rpm'), { recursive: true });
    await expect(readRpmdb(image, 'var/redpak/empty/var/lib/rpm', 'empty')).rejects.toMatchObject({
      kind: 'missing',
    });
  });

  it('locked: a non-empty WAL or rollback journal', async () => {
    const wal = copyDb('errs/wal');
    writeFileSync(img.pathOf(`${wal}/rpmdb.sqlite-wal`), 'pending frames');
    await expect(readRpmdb(image, wal, 'wal')).rejects.toMatchObject({ kind: 'locked' });
    const journal = copyDb('errs/journal');
    writeFileSync(img.pathOf(`${journal}/rpmdb.sqlite-journal`), 'hot journal');
    await expect(readRpmdb(image, journal, 'journal')).rejects.toMatchObject({ kind: 'locked' });
    // Empty -wal/-shm and rpm's .rpm.lock are what a cleanly closed db leaves behind.
    const clean = copyDb('errs/clean');
    writeFileSync(img.pathOf(`${clean}/rpmdb.sqlite-wal`), '');
    writeFileSync(img.pathOf(`${clean}/.rpm.lock`), '');
    expect((await readRpmdb(image, clean, 'clean')).packages).toHaveLength(3);
  });

  it('truncated and corrupt files', async () => {
    const trunc = copyDb('errs/trunc', (b) => b.slice(0, Math.floor(b.length / 2)));
    await expect(readRpmdb(image, trunc, 'trunc')).rejects.toMatchObject({ kind: 'truncated' });
    await expect(readRpmdbSqlite(new Uint8Array(50), 'tiny')).rejects.toMatchObject({ kind: 'truncated' });
    await expect(readRpmdbSqlite(new Uint8Array(4096), 'zeros')).rejects.toMatchObject({ kind: 'corrupt' });
    const garbage = copyDb('errs/garbage', (b) => {
      const c = b.slice();
      for (let i = 4096; i < c.length; i++) c[i] = (i * 7) & 0xff;
      return c;
    });
    const err = await readRpmdb(image, garbage, 'garbage').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpmdbError);
    expect((err as RpmdbError).kind).toBe('corrupt');
  });

  /** Write an ndb Packages.db as rpm's rpmpkg.c lays it out (one slot page, blobs after it). */
  function writeNdb(entries: [number, Uint8Array][]): Uint8Array {
    const blocks = entries.map(([, b]) => Math.ceil((16 + b.length + 12) / 16));
    const size = 4096 + blocks.reduce((a, n) => a + n * 16, 0);
    const out = new Uint8Array(size);
    const v = new DataView(out.buffer);
    const tag = (s: string) => s.split('').reduce((a, c, i) => a | (c.charCodeAt(0) << (8 * i)), 0) >>> 0;
    v.setUint32(0, tag('RpmP'), true);
    v.setUint32(8, 7, true); // generation
    v.setUint32(12, 1, true); // slot pages
    v.setUint32(16, 500, true); // next pkgidx
    for (let at = 32; at < 4096; at += 16) v.setUint32(at, tag('Slot'), true);
    let blk = 256;
    entries.forEach(([pkgidx, blob], i) => {
      const slot = 48 + 16 * i; // leave slot 2 free
      v.setUint32(slot + 4, pkgidx, true);
      v.setUint32(slot + 8, blk, true);
      v.setUint32(slot + 12, blocks[i]!, true);
      const start = blk * 16;
      v.setUint32(start, tag('BlbS'), true);
      v.setUint32(start + 4, pkgidx, true);
      v.setUint32(start + 8, 1_700_000_000, true);
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

  it('ndb Packages.db: same headers as sqlite, verified blob by blob', async () => {
    const source = await readRpmdb(image, `${NODE}/var/lib/rpm`, NODE);
    const entries = source.blobs.map((b, i): [number, Uint8Array] => [900 - i, b]);
    const dir = img.pathOf('errs/ndb');
    mkdirSync(dir, { recursive: true });
    const bytes = writeNdb(entries);
    writeFileSync(join(dir, 'Packages.db'), bytes);
    const r = await readRpmdb(image, 'errs/ndb', 'suse-node');
    expect(r.format).toBe('ndb');
    expect(r.packages.map((p) => p.hnum)).toEqual(entries.map(([h]) => h).sort((a, b) => a - b));
    expect(r.packages.map((p) => p.nevra).sort()).toEqual(source.packages.map((p) => p.nevra).sort());
    const flipped = bytes.slice();
    flipped[4096 + 100] = flipped[4096 + 100]! ^ 1;
    expect(() => readRpmdbNdb(flipped, 'n')).toThrow(expect.objectContaining({ kind: 'corrupt' }));
    expect(() => readRpmdbNdb(bytes.slice(0, bytes.length - 32), 'n')).toThrow(
      expect.objectContaining({ kind: 'truncated' }),
    );
    const v1 = bytes.slice();
    v1[4] = 1;
    const err = (() => {
      try {
        readRpmdbNdb(v1, 'suse-node');
      } catch (e) {
        return e as RpmdbError;
      }
    })();
    expect(err).toMatchObject({ kind: 'unsupported-format', node: 'suse-node' });
    expect(err?.message).toContain('rpmdb2solv');
    expect(err?.message).toContain('--node-solv ALIAS=');
  });

  it('a corrupt header blob names the header', async () => {
    const dir = img.pathOf('errs/badblob');
    mkdirSync(dir, { recursive: true });
    // Built with sql.js itself, so the test needs no sqlite3 binary.
    const SQL = await initSqlJs();
    const makeDb = (sql: string): Uint8Array => {
      const db = new SQL.Database();
      try {
        db.run(sql);
        return db.export();
      } finally {
        db.close();
      }
    };
    writeFileSync(
      join(dir, 'rpmdb.sqlite'),
      makeDb(
        "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL); INSERT INTO Packages VALUES (7, X'0000000100000010');",
      ),
    );
    await expect(readRpmdb(image, 'errs/badblob', 'badblob')).rejects.toMatchObject({
      kind: 'truncated',
      message: expect.stringContaining('header 7'),
    });
    writeFileSync(join(dir, 'rpmdb.sqlite'), makeDb('CREATE TABLE Other (x);'));
    await expect(readRpmdb(image, 'errs/badblob', 'badblob')).rejects.toMatchObject({ kind: 'corrupt' });
  });
});
