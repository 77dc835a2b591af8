import { type ImageRoot, ImageRootError } from '../../host/image-root.js';
import { DEFAULT_LIMITS } from '../../limits/limits.js';
import { readRpmdbBdb } from './bdb.js';
import { RpmdbError } from './errors.js';

export { EXPORT_HINT } from './errors.js';

import { readRpmdbNdb } from './ndb.js';
import { readRpmdbSqlite } from './sqlite.js';
import type { RpmdbContents } from './types.js';

/** rpm database backends, by the file that marks them. */
export type RpmdbFormat = 'sqlite' | 'bdb' | 'ndb';

/** Where the database of one layer lives. */
export interface LocatedRpmdb {
  format: RpmdbFormat;
  /** Image-relative directory (canonical, symlinks resolved). */
  dir: string;
  /** Image-relative main file. */
  file: string;
}

/** Files that identify each backend, in the order rpm >= 4.16 prefers them. */
const MARKERS: ReadonlyArray<[RpmdbFormat, string]> = [
  ['sqlite', 'rpmdb.sqlite'],
  ['ndb', 'Packages.db'],
  ['bdb', 'Packages'],
];

/**
 * Find the rpm database in `dbDir` (image path, e.g. `var/redpak/app/var/lib/rpm`). Throws
 * `RpmdbError('missing')` when no backend file is there.
 */
export async function locateRpmdb(image: ImageRoot, dbDir: string, node: string): Promise<LocatedRpmdb> {
  const dir = await resolveOrThrow(image, dbDir, node);
  for (const [format, name] of MARKERS) {
    const st = await statOrThrow(image, `${dir}/${name}`, node);
    if (st?.type === 'file') return { format, dir, file: `${dir}/${name}` };
    // A marker that is there but is not a regular file (a FIFO, a device, a directory) is not
    // "no database": rpm would try to open it, so the layer cannot be examined.
    if (st !== undefined) {
      throw new RpmdbError(
        'corrupt',
        node,
        `${dir}/${name}`,
        `\`${name}\` is ${st.type === 'dir' ? 'a directory' : 'not a regular file (a FIFO, a device or a socket)'}; it is not read`,
      );
    }
  }
  throw new RpmdbError(
    'missing',
    node,
    dir,
    'no rpm database found (looked for rpmdb.sqlite, Packages.db and Packages)',
  );
}

/**
 * Read the rpm database of one layer: sqlite (rpm >= 4.16), BerkeleyDB `Packages` (rpm <= 4.15) or
 * ndb `Packages.db`; formats the readers refuse give `unsupported-format` (see `EXPORT_HINT`).
 * A sqlite db whose `-wal` or `-journal` file is non-empty is "locked": a transaction is running or was interrupted, so the main file alone is not the
 * committed state (rpm's own `.rpm.lock` is always present and empty, so it says nothing).
 */
export async function readRpmdb(
  image: ImageRoot,
  dbDir: string,
  node: string,
): Promise<RpmdbContents & { format: RpmdbFormat; file: string }> {
  const loc = await locateRpmdb(image, dbDir, node);
  if (loc.format === 'sqlite') {
    for (const suffix of ['-wal', '-journal']) {
      const st = await statOrThrow(image, `${loc.file}${suffix}`, node);
      if (st?.type === 'file' && st.size > 0) {
        throw new RpmdbError(
          'locked',
          node,
          loc.file,
          `\`${loc.file}${suffix}\` is not empty (${st.size} bytes): an rpm transaction is running or was ` +
            'interrupted; run `rpm -qa` on the image (or let the transaction finish) and export it again',
        );
      }
    }
  }
  let bytes: Uint8Array;
  try {
    bytes = await image.readFile(loc.file);
  } catch (err) {
    throw new RpmdbError('io', node, loc.file, err instanceof Error ? err.message : String(err), {
      cause: err,
    });
  }
  const amp = (image.host.limits ?? DEFAULT_LIMITS).rpmdbAmplification;
  const contents =
    loc.format === 'sqlite'
      ? await readRpmdbSqlite(bytes, node, loc.file, amp)
      : loc.format === 'bdb'
        ? readRpmdbBdb(bytes, node, loc.file, amp)
        : readRpmdbNdb(bytes, node, loc.file, amp);
  return { ...contents, format: loc.format, file: loc.file };
}

async function resolveOrThrow(image: ImageRoot, path: string, node: string): Promise<string> {
  try {
    const r = await image.resolve(path);
    if (r.stat === undefined) {
      throw new RpmdbError('missing', node, r.path, 'the rpm database directory does not exist');
    }
    if (r.stat.type !== 'dir') throw new RpmdbError('missing', node, r.path, 'not a directory');
    return r.path;
  } catch (err) {
    if (err instanceof RpmdbError) throw err;
    throw asRpmdbError(err, node, path);
  }
}

async function statOrThrow(image: ImageRoot, path: string, node: string) {
  try {
    return await image.stat(path);
  } catch (err) {
    throw asRpmdbError(err, node, path);
  }
}

function asRpmdbError(err: unknown, node: string, path: string): RpmdbError {
  const msg = err instanceof Error ? err.message : String(err);
  const kind = err instanceof ImageRootError && err.kind === 'loop' ? 'corrupt' : 'io';
  return new RpmdbError(kind, node, path, msg, { cause: err });
}
