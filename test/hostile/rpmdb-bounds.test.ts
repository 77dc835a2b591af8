import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { ImageRoot } from '../../src/host/image-root.js';
import { createMemoryHost } from '../../src/host/memory-host.js';
import {
  adler32,
  readRpmdb,
  readRpmdbBdb,
  readRpmdbNdb,
  readRpmdbSqlite,
} from '../../src/load/rpmdb/index.js';

const BDB = fileURLToPath(new URL('../fixtures/images/bdb/var/lib/rpm/Packages', import.meta.url));

/** Every off-page (H_OFFPAGE) item of a little-endian BerkeleyDB hash file: [byte offset of the item]. */
function offPageItems(b: Uint8Array): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ps = v.getUint32(20, true);
  const out: number[] = [];
  for (let at = ps; at + ps <= b.byteLength; at += ps) {
    if (b[at + 25] !== 13 && b[at + 25] !== 2) continue;
    const n = v.getUint16(at + 20, true);
    for (let i = 0; i < n; i++) {
      const off = v.getUint16(at + 26 + 2 * i, true);
      if (off > 0 && off < ps && b[at + off] === 3) out.push(at + off);
    }
  }
  return out;
}

const tag = (s: string) => s.split('').reduce((a, c, i) => a | (c.charCodeAt(0) << (8 * i)), 0) >>> 0;

/** An ndb Packages.db with one blob of `size` bytes that `slots` slots all point at. */
function ndbSharedBlob(slots: number, size: number): Uint8Array {
  const blocks = Math.ceil((16 + size + 12) / 16);
  const out = new Uint8Array(4096 + blocks * 16);
  const v = new DataView(out.buffer);
  v.setUint32(0, tag('RpmP'), true);
  v.setUint32(12, 1, true);
  for (let at = 32; at < 4096; at += 16) v.setUint32(at, tag('Slot'), true);
  for (let i = 0; i < slots; i++) {
    const slot = 32 + 16 * i;
    v.setUint32(slot + 4, 1, true);
    v.setUint32(slot + 8, 256, true);
    v.setUint32(slot + 12, blocks, true);
  }
  const start = 4096;
  v.setUint32(start, tag('BlbS'), true);
  v.setUint32(start + 4, 1, true);
  v.setUint32(start + 12, size, true);
  const tail = start + blocks * 16 - 12;
  v.setUint32(tail, adler32(out.subarray(start, tail)), true);
  v.setUint32(tail + 4, size, true);
  v.setUint32(tail + 8, tag('BlbE'), true);
  return out;
}

describe('rpm databases cannot amplify memory', () => {
  it('ndb: slots sharing one blob are refused before any is copied', () => {
    const bytes = ndbSharedBlob(200, 200 * 1024);
    expect(() => readRpmdbNdb(bytes, 'n')).toThrow(/packages 1 and 1 share blocks \(overlapping blobs\)/);
  });

  it('BerkeleyDB: records sharing one overflow chain are refused', () => {
    const bytes = new Uint8Array(readFileSync(BDB));
    readRpmdbBdb(bytes, 'n'); // the fixture itself reads
    const items = offPageItems(bytes);
    expect(items.length).toBeGreaterThan(1);
    const v = new DataView(bytes.buffer);
    const [first, ...rest] = items;
    for (const at of rest) {
      v.setUint32(at + 4, v.getUint32(first! + 4, true), true);
      v.setUint32(at + 8, v.getUint32(first! + 8, true), true);
    }
    expect(() => readRpmdbBdb(bytes, 'n')).toThrow(/overflow page \d+ is used twice/);
  });
});

describe("the image's SQLite schema is never executed", () => {
  /** A db whose Packages table is declared, after the rows are in, as `schema` (PRAGMA writable_schema). */
  async function dbWith(schema: string, rows: [number, Uint8Array][] = []): Promise<Uint8Array> {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE Packages (x INTEGER, hnum INTEGER, blob BLOB NOT NULL)');
    for (const [x, blob] of rows) db.run('INSERT INTO Packages (x, blob) VALUES (?, ?)', [x, blob]);
    db.run('PRAGMA writable_schema = ON');
    db.run("UPDATE sqlite_master SET sql = ? WHERE name = 'Packages'", [schema]);
    const out = db.export();
    db.close();
    return out;
  }

  it('a generated hnum column (hours of CPU, GBs of memory if evaluated) is refused', async () => {
    const bytes = await dbWith(
      "CREATE TABLE Packages (x INTEGER, hnum INTEGER GENERATED ALWAYS AS (length(replace(hex(zeroblob(x)),'0','ab'))) VIRTUAL, blob BLOB NOT NULL)",
      [[1_000_000_000, new Uint8Array(8)]],
    );
    await expect(readRpmdbSqlite(bytes, 'n')).rejects.toThrow(
      /the `Packages` schema is not rpm's \(`CREATE TABLE Packages \(x INTEGER, hnum INTEGER GENERATED ALWAYS AS/,
    );
  });

  it("rpm's own schema, quoted as rpm writes it, is accepted", async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run(
      "CREATE TABLE IF NOT EXISTS 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)",
    );
    const bytes = db.export();
    db.close();
    await expect(readRpmdbSqlite(bytes, 'n')).resolves.toEqual({ packages: [], blobs: [] });
  });

  it('a view or a trigger on Packages is refused', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.run("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)");
    db.run('CREATE INDEX px ON Packages (length(blob))');
    const bytes = db.export();
    db.close();
    await expect(readRpmdbSqlite(bytes, 'n')).rejects.toThrow(/CREATE INDEX px ON Packages/);
  });
});

describe('every layer is examined or the run fails', () => {
  it('an rpmdb.sqlite that is a FIFO is an error, not an empty layer', async () => {
    const image = new ImageRoot(
      createMemoryHost({ '/img/var/lib/rpm/rpmdb.sqlite': { fifo: true } }),
      '/img',
    );
    await expect(readRpmdb(image, 'var/lib/rpm', 'host')).rejects.toMatchObject({
      kind: 'corrupt',
      message: expect.stringMatching(/`rpmdb.sqlite` is not a regular file \(a FIFO, a device or a socket\)/),
    });
  });
});

describe('a directory that cannot be listed fails discovery', () => {
  it('a node directory or the redroot with mode 000 (as a non-root user) is an error naming it', async () => {
    const { discoverNodes } = await import('../../src/load/redpak/discover.js');
    const node = createMemoryHost({
      '/img/var/redpak/.rednode.yaml': 'x',
      '/img/var/redpak/secret': { dir: true, unreadable: true },
    });
    await expect(discoverNodes(new ImageRoot(node, '/img'))).rejects.toMatchObject({
      name: 'DiscoveryError',
      kind: 'unreadable',
      message: expect.stringMatching(/^cannot list `var\/redpak\/secret` in the image \(permission denied\)/),
    });
    const root = createMemoryHost({ '/img/var/redpak': { dir: true, unreadable: true } });
    await expect(discoverNodes(new ImageRoot(root, '/img'))).rejects.toMatchObject({ kind: 'unreadable' });
  });
});
