/** What was wrong with an rpm database. */
export type RpmdbErrorKind = 'missing' | 'locked' | 'truncated' | 'corrupt' | 'unsupported-format' | 'io';

/** An rpm database of a node (or of the host) could not be read. */
export class RpmdbError extends Error {
  override name = 'RpmdbError' as const;
  constructor(
    readonly kind: RpmdbErrorKind,
    /** Node path or label the database belongs to (`host` for the image's own db). */
    readonly node: string,
    /** Image-relative path of the database file or directory. */
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`reading the rpm database of \`${node}\` (${file}): ${message}`, options);
  }
}

/** How to get a readable input when redproof cannot read a backend itself. */
export const EXPORT_HINT =
  'export it on a machine with rpm and libsolv-tools, e.g. `rpmdb2solv -r <node-root> > node.solv` ' +
  '(or `rpmdb2solv -r <image-root>` for the host) and pass `--node-solv ALIAS=node.solv`; alternatively ' +
  "convert a copy to sqlite with `rpmdb --root <copy> --rebuilddb --define '_db_backend sqlite'` (rpm >= 4.16)";
