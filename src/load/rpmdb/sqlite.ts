import { createRequire } from 'node:module';
import type initSqlJs from 'sql.js';
import { DEFAULT_LIMITS } from '../../limits/limits.js';
import { CLIP_TEXT_LENGTH, clip } from '../../util/clip.js';
import { blobBudget } from './budget.js';
import { RpmdbError } from './errors.js';
import { HeaderError, parseHeaderBlob } from './header.js';
import type { InstalledPackage, RpmdbContents } from './types.js';

type SqlJs = Awaited<ReturnType<typeof initSqlJs>>;

let sqlJs: Promise<SqlJs> | undefined;

/**
 * sql.js (SQLite compiled to wasm) is loaded once per process, and only when a sqlite database is
 * read: it is a large CommonJS module whose loading costs every other command ~0.3 s otherwise.
 */
function loadSqlJs(): Promise<SqlJs> {
  // required, not imported: the bundled program is CommonJS, where import() would need a loader hook
  sqlJs ??= Promise.resolve().then(() => (createRequire(import.meta.url)('sql.js') as typeof initSqlJs)());
  return sqlJs;
}

const MAGIC = 'SQLite format 3\0';

/** rpm's own `Packages` table (lib/backend/sqlite.c), compared without whitespace, quotes and case. */
const RPM_PACKAGES_SQL = 'createtablepackages(hnumintegerprimarykeyautoincrement,blobblobnotnull)';

const normalizeSql = (sql: string): string => sql.replace(/[\s'"`[\]]/g, '').toLowerCase();

/**
 * The image's schema is data, never code: only rpm's exact `Packages` table is read, so a generated
 * column, a view or anything else the image declares is refused before a row is evaluated.
 */
function checkSchema(db: InstanceType<SqlJs['Database']>, node: string, file: string): void {
  // Reading sqlite_master parses the schema but evaluates none of it.
  const rows = db.exec(
    "SELECT type, sql FROM sqlite_master WHERE lower(tbl_name) = 'packages' OR lower(name) = 'packages'",
  );
  const found = (rows[0]?.values ?? []).map(([type, sql]) => ({
    type: String(type),
    sql: String(sql ?? ''),
  }));
  const table = found.filter((r) => r.type === 'table');
  if (table.length === 0)
    throw new RpmdbError('corrupt', node, file, 'SQLite database has no `Packages` table');
  const other = found.find((r) => r.type !== 'table' && r.type !== 'index');
  const exprIndex = found.find((r) => r.type === 'index' && r.sql !== '');
  if (table.length !== 1 || normalizeSql(table[0]!.sql) !== RPM_PACKAGES_SQL || other || exprIndex) {
    const what = other ?? exprIndex ?? table[0]!;
    throw new RpmdbError(
      'corrupt',
      node,
      file,
      `the \`Packages\` schema is not rpm's (\`${clip(what.sql.replace(/\s+/g, ' '), 120)}\`); expected \`CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)\` and nothing else on it. The database is not read, so nothing it declares is run`,
    );
  }
}

/** Check the 100-byte SQLite file header; returns the declared size in bytes, or undefined. */
function checkSqliteHeader(bytes: Uint8Array, node: string, file: string): number | undefined {
  if (bytes.byteLength < 100) {
    throw new RpmdbError(
      'truncated',
      node,
      file,
      `${bytes.byteLength} bytes is shorter than an SQLite header`,
    );
  }
  const magic = String.fromCharCode(...bytes.subarray(0, 16));
  if (magic !== MAGIC) throw new RpmdbError('corrupt', node, file, 'not an SQLite 3 database (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rawPage = view.getUint16(16);
  const pageSize = rawPage === 1 ? 65536 : rawPage;
  const changeCounter = view.getUint32(24);
  const pageCount = view.getUint32(28);
  const validFor = view.getUint32(92);
  // The in-header page count is only trusted when it was written by the same change (SQLite docs, §1.3.7).
  if (pageCount === 0 || changeCounter !== validFor) return undefined;
  return pageSize * pageCount;
}

/**
 * Read rpm's sqlite backend (rpm >= 4.16, `rpmdb.sqlite`, table `Packages(hnum, blob)`) from its bytes.
 * The database is opened in memory from a private copy, so the image is never written. Throws
 * `RpmdbError` (`truncated`, `corrupt`) naming `node`.
 */
export async function readRpmdbSqlite(
  bytes: Uint8Array,
  node: string,
  file = 'var/lib/rpm/rpmdb.sqlite',
  amplification = DEFAULT_LIMITS.rpmdbAmplification,
): Promise<RpmdbContents> {
  const declared = checkSqliteHeader(bytes, node, file);
  if (declared !== undefined && bytes.byteLength < declared) {
    throw new RpmdbError(
      'truncated',
      node,
      file,
      `file has ${bytes.byteLength} bytes but its header declares ${declared}`,
    );
  }
  const copy = bytes.slice();
  // rpm leaves the file in WAL mode (header bytes 18/19 = 2). The caller has already refused a
  // non-empty -wal file, so everything is in the main file: switch the copy to rollback mode so
  // SQLite never looks for a WAL or shared-memory file.
  copy[18] = 1;
  copy[19] = 1;
  const SQL = await loadSqlJs();
  let db: InstanceType<SqlJs['Database']> | undefined;
  const packages: InstalledPackage[] = [];
  const blobs: Uint8Array[] = [];
  try {
    db = new SQL.Database(copy);
    checkSchema(db, node, file);
    const budget = blobBudget(bytes.byteLength, amplification);
    const stmt = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum');
    try {
      while (stmt.step()) {
        const [hnum, blob] = stmt.get();
        if (typeof hnum !== 'number' || !(blob instanceof Uint8Array)) {
          throw new RpmdbError('corrupt', node, file, `row with hnum ${String(hnum)} has no header blob`);
        }
        budget.take(blob.byteLength, node, file);
        try {
          packages.push(parseHeaderBlob(blob, hnum));
        } catch (err) {
          if (err instanceof HeaderError) {
            throw new RpmdbError(err.kind, node, file, `header ${hnum}: ${err.message}`, { cause: err });
          }
          throw err;
        }
        blobs.push(blob.slice());
      }
    } finally {
      stmt.free();
    }
  } catch (err) {
    if (err instanceof RpmdbError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new RpmdbError('corrupt', node, file, `SQLite: ${clip(msg, CLIP_TEXT_LENGTH)}`, { cause: err });
  } finally {
    db?.close();
  }
  return { packages, blobs };
}
