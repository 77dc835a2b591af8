/** Comparison operator of a versioned dependency, from the RPMSENSE_LESS/GREATER/EQUAL bits. */
export type DepOp = '<' | '<=' | '=' | '>=' | '>';

/** One dependency entry (provide, require, conflict, ...) as stored in the header. */
export interface Dependency {
  /** Capability name; a rich (boolean) dependency starts with `(`. */
  name: string;
  /** Raw RPMSENSE_* flags. */
  flags: number;
  /** `[epoch:]version[-release]`, empty when unversioned. */
  version: string;
  op?: DepOp;
  /** Rich/boolean dependency such as `(a if b)`. */
  isRich: boolean;
  /** Install-time requirement (PREREQ or a SCRIPT_* / pre/post transaction bit). */
  isPre: boolean;
}

/** One file entry of an installed package. */
export interface PackageFile {
  /** Absolute path inside the package's installroot (dirname + basename). */
  path: string;
  /** Hex digest in `fileDigestAlgo`; empty for directories, symlinks and ghosts without content. */
  digest: string;
  /** st_mode (type and permission bits). */
  mode: number;
  /** Raw RPMFILE_* flags. */
  flags: number;
  size: number;
  /** Symlink target, empty for other files. */
  linkTo: string;
  user: string;
  group: string;
  /** Device number of a character or block device (FILERDEVS), 0 otherwise. */
  rdev: number;
  /** FILECOLORS: 1 for a 32-bit ELF file, 2 for a 64-bit one, 0 for anything else. */
  color: number;
  isConfig: boolean;
  isGhost: boolean;
}

/** A package read from an rpm database header. */
export interface InstalledPackage {
  /** Header number (the `hnum` key of the rpmdb). */
  hnum: number;
  name: string;
  /** Absent when the header has no EPOCH tag (rpm treats it as 0 for comparison). */
  epoch?: number;
  version: string;
  release: string;
  /** ARCH tag; empty for headers without one (gpg-pubkey). */
  arch: string;
  /** `name-[epoch:]version-release.arch` (`.arch` omitted when the arch is empty). */
  nevra: string;
  provides: Dependency[];
  requires: Dependency[];
  conflicts: Dependency[];
  obsoletes: Dependency[];
  recommends: Dependency[];
  suggests: Dependency[];
  supplements: Dependency[];
  enhances: Dependency[];
  files: PackageFile[];
  /** PGPHASHALGO of the file digests (1 MD5 by default, 8 SHA256, ...). */
  fileDigestAlgo: number;
  /** Installed size in bytes (LONGSIZE, else SIZE); undefined when the header has neither. */
  size: number | undefined;
  license: string;
  vendor: string;
  sourceRpm: string;
  /** Header digests as hex, empty when absent. */
  sha256Header: string;
  sha1Header: string;
  /** Seconds since the epoch, 0 when absent. */
  installTime: number;
}

/** Contents of one rpm database. */
export interface RpmdbContents {
  packages: InstalledPackage[];
  /** Raw header blobs, same order as `packages`, for libsolv's own header parser. */
  blobs: Uint8Array[];
}
