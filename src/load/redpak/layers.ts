import type { ImageRoot } from '../../host/image-root.js';
import { RpmdbError } from '../rpmdb/errors.js';
import { type RpmdbFormat, readRpmdb } from '../rpmdb/open.js';
import type { InstalledPackage } from '../rpmdb/types.js';
import type { LoadWarning } from './config.js';
import type { NodeTree } from './discover.js';

/** The packages of one layer of the installed view (FORMATS.md §4.2). */
export interface PackageLayer {
  /** `host`, or the node's image path. */
  id: string;
  /** `host` for the bottom layer; the parent's id otherwise (`host` for top nodes). */
  parent?: string;
  rpmdbPath: string;
  packages: InstalledPackage[];
  blobs: Uint8Array[];
  format?: RpmdbFormat;
  file?: string;
  /**
   * A top system node: its rpmdb *is* the host db, so it holds no packages of its own here
   * (the host layer below it carries them; loading them twice would duplicate every package).
   */
  isHostAlias: boolean;
  /** The database was not read: the caller loads a `.solv` export in its place (`--node-solv`). */
  replaced?: boolean;
  /**
   * The database could not be read (its error is in `errors`): the layer is kept, empty, so the nodes
   * above it are still placed in the tree and checked.
   */
  unread?: boolean;
}

/**
 * Read the host db and every node's db of a discovered tree. A node without any database
 * (a node made by `redconf create`, nothing installed yet) is an empty layer with a warning,
 * as libsolv loads a missing rpmdb as empty. Other database problems are returned as errors, and
 * their layer is empty and marked `unread`.
 */
export async function loadPackageLayers(
  image: ImageRoot,
  tree: NodeTree,
  /** Layer ids (`host` or node paths) whose database is replaced by an export and must not be read. */
  replaced: ReadonlySet<string> = new Set(),
): Promise<{ layers: PackageLayer[]; errors: RpmdbError[]; warnings: LoadWarning[] }> {
  const layers: PackageLayer[] = [];
  const errors: RpmdbError[] = [];
  const warnings: LoadWarning[] = [];
  const load = async (id: string, parent: string | undefined, rpmdbPath: string, isHostAlias: boolean) => {
    const layer: PackageLayer = { id, rpmdbPath, packages: [], blobs: [], isHostAlias };
    if (parent !== undefined) layer.parent = parent;
    if (isHostAlias) {
      layers.push(layer);
      return;
    }
    if (replaced.has(id)) {
      layer.replaced = true;
      layers.push(layer);
      return;
    }
    try {
      const r = await readRpmdb(image, rpmdbPath, id);
      layer.packages = r.packages;
      layer.blobs = r.blobs;
      layer.format = r.format;
      layer.file = r.file;
      layers.push(layer);
    } catch (err) {
      if (err instanceof RpmdbError && err.kind === 'missing') {
        warnings.push({ node: id, message: `no rpm database in \`${rpmdbPath}\`: the layer is empty` });
        layers.push(layer);
        return;
      }
      if (!(err instanceof RpmdbError)) throw err;
      errors.push(err);
      layer.unread = true;
      layers.push(layer);
    }
  };
  await load('host', undefined, tree.hostRpmdbPath, false);
  for (const n of tree.nodes) {
    await load(n.path, n.parentPath, n.rpmdbPath, n.attach === 'system-node');
  }
  return { layers, errors, warnings };
}
