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
