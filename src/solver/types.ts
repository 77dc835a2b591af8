/** Plain data returned by the solver facade: no pointers, safe to keep after the pool is disposed. */

/** Everything the engine knows about one package. */
export interface Solvable {
  id: number;
  name: string;
  epoch: number;
  version: string;
  release: string;
  /** `[epoch:]version-release` as libsolv stores it. */
  evr: string;
  arch: string;
  /** `name-[epoch:]version-release.arch`. */
  nevra: string;
  repo: string;
  vendor: string | undefined;
  license: string | undefined;
  sourceRpm: string | undefined;
  location: string | undefined;
  /** `sha256:hex` (package checksum) or `hdrid:hex` (installed header id). */
  checksum: string | undefined;
  downloadSize: number;
  /** Bytes once installed; 0 when the metadata gives none (then `hasInstallSize` is false). */
  installSize: number;
  /** Whether the metadata gives an installed size (libsolv keeps no size for an rpm header's SIZE of 0). */
  hasInstallSize: boolean;
  buildTime: number;
  provides: string[];
  requires: string[];
  /** Requires(pre) and friends: needed before the package's scriptlets run. */
  prerequires: string[];
  conflicts: string[];
  obsoletes: string[];
  recommends: string[];
  suggests: string[];
  supplements: string[];
  enhances: string[];
  files: string[] | undefined;
}

/** A line of Pool.list(). */
export interface PackageSummary {
  id: number;
  name: string;
  evr: string;
  arch: string;
  nevra: string;
  repo: string;
  installable: boolean;
  /** Bytes once installed; 0 when the metadata gives none (then `hasInstallSize` is false). */
  installSize: number;
  hasInstallSize: boolean;
}

/** A solver job: libsolv's (how, what) pair. */
export interface Job {
  how: number;
  what: number;
}

/** One piece of explanation of a problem (a libsolv rule info). */
export interface RuleInfo {
  /** libsolv rule type (see RuleType). */
  type: number;
  /** Kebab-case rule type, e.g. `pkg-nothing-provides-dep`. */
  kind: string;
  /** Solvable ids involved (0 when none). */
  source: number;
  target: number;
  sourceNevra?: string;
  targetNevra?: string;
  /** The dependency as libsolv prints it, e.g. `bar >= 2` or `(a or b)`; empty when none. */
  dep: string;
  /** libsolv's own sentence for this rule. */
  text: string;
  /** "(we have X)": packages that provide the name of an unmet versioned dependency. */
  weHave: string[];
}

/** One problem: every rule that explains it (solver_findallproblemrules). */
export interface Problem {
  rules: RuleInfo[];
}

export interface TransactionStep {
  /** libsolv transaction type (see TransactionType). */
  type: number;
  id: number;
  /** The package this one replaces or is replaced by (0 when none). */
  other: number;
}

export interface SolveResult {
  problems: Problem[];
  transaction: TransactionStep[];
}

export interface InstallCheckOptions {
  /** Add installcheck's "install rpm" job (default true); leave it out inside a node's view. */
  rpmJob?: boolean;
  /**
   * Explain packages blocked by a requirement whose every provider is itself uninstallable (or that
   * nothing provides) by derivation, without a solve each: the chain of libsolv rules from the package
   * down to the root causes. Same verdicts either way; false gives libsolv's own per-package problems.
   */
  derive?: boolean;
  /**
   * No shortcut: solve every candidate on its own (for candidates already sorted by installCheckTriage,
   * whose solves are spread over threads).
   */
  solveEach?: boolean;
}

/** installCheck's first two steps: the candidates it still has to explain or solve. */
export interface InstallCheckTriage {
  /** Uninstallable for sure: a requirement nothing, or only uninstallable packages, provide. */
  blocked: number[];
  /** Not proven installable by pruning: each needs a solve. */
  suspects: number[];
}

/** A package that cannot be installed, with why. */
export interface Uninstallable {
  id: number;
  nevra: string;
  problems: Problem[];
}

/** One updateinfo advisory (a libsolv `patch:` solvable). */
export interface Advisory {
  /** Solvable id of the advisory in the pool. */
  solvable: number;
  /** Advisory id, e.g. `RHSA-2024:0001`. */
  id: string;
  /** security, bugfix, enhancement, newpackage, ... (as written; empty when absent). */
  type: string;
  /** Important, Moderate, ... (empty when absent). */
  severity: string;
  status: string;
  /**
   * Issue date, seconds since the epoch; 0 when absent or when libsolv cannot parse it (its
   * `%F%T` parse fails in this build on `YYYY-MM-DD HH:MM:SS` dates: musl's strptime does not skip the blank).
   */
  issued: number;
  title: string;
  references: { type: string; id: string; title: string }[];
  /** Packages of its collections (name, evr, arch). */
  packages: { name: string; evr: string; arch: string }[];
}

/** A job selection pair of libsolv (selection flags in how, no action yet). */
export type Selection = Job;

/** `candidate` requires `dependency`, which `target` provides. */
export interface Requirement {
  candidate: number;
  target: number;
  dependency: string;
}

/** The paths two or more packages of a set ship (Pool.sharedPaths): what RP005 and the hoist planner read. */
export interface SharedPaths {
  /** Each shared path → the packages that ship it, in the order of the set. */
  owners: ReadonlyMap<string, readonly number[]>;
  /** A shared path → the packages of the set that ship something below it (a directory, in their views). */
  below: ReadonlyMap<string, readonly number[]>;
}
