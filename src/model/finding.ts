import type { HoistReport } from './hoist.js';

/** Severity of a finding, as in SARIF. */
export type Level = 'error' | 'warning' | 'note';

/** A place in a text file, 1-based line and column (columns count UTF-16 units, as editors do). */
export interface Span {
  /** Path as the user gave it, relative to the working directory or IMAGE_ROOT; never absolute unless the user passed one. */
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** One step of the evidence chain behind a finding (Biome's `.detail`). */
export interface EvidenceStep {
  /** What this step is: `requires`, `candidate`, `provider`, `conflicts`, `rule`, `hint`, `ancestor`, ... */
  role: string;
  text: string;
  package?: string;
  node?: string;
  repo?: string;
  location?: Span;
}

/** A problem in the checked family or repositories. Plain data: reporters format it, rules never do. */
export interface Finding {
  /** Stable code, e.g. `RP001`. */
  rule: string;
  /** Stable kebab-case name, e.g. `unresolved-dependency`. */
  slug: string;
  level: Level;
  /** Node the finding is reported at (alias, or path in an image); `host` for the bottom layer; absent for repo-check. */
  node?: string;
  /** NEVRA `name-[epoch:]version-release.arch` of the package at fault. */
  package?: string;
  /** Repository id of `package`, when known. */
  repo?: string;
  message: string;
  /** One-line fix, starting with a verb. */
  help?: string;
  location?: Span;
  /** RP001: the requirement as libsolv prints it. */
  dependency?: string;
  /** RP002/RP003: the other package (NEVRA) and its node. */
  other?: string;
  otherNode?: string;
  /** RP004: the nodes holding the same NEVRA. */
  nodes?: string[];
  /** RP006: the manifest entry text. */
  entry?: string;
  /** RP020: the node whose change broke this one, and its provider before and after the change (absent when erased). */
  updatedNode?: string;
  before?: string;
  after?: string;
  evidence: EvidenceStep[];
  /** Stable across runs and line moves: hash of rule, node, package name.arch and dependency. */
  fingerprint: string;
  /** Set by waivers/baseline handling. */
  suppression?: { kind: 'waiver' | 'baseline'; justification: string };
}

/** Metadata of one rule; the doc page `rules/<id>-<slug>.md` carries the long text. */
export interface RuleMeta {
  id: string;
  slug: string;
  level: Level;
  summary: string;
  tags: string[];
}

/**
 * What the sources (repository metadata or rpm database) say about a package; every field is optional
 * because a .solv file or an old rpmdb may lack it. Audit reports and SBOMs are built from these.
 */
export interface PackageFacts {
  /** The rpm `License` tag as written by the packager (not necessarily an SPDX expression). */
  license?: string;
  /** File name of the source rpm, e.g. `bash-5.1.8-9.el9.src.rpm`. */
  sourceRpm?: string;
  vendor?: string;
  /** Build time, seconds since the epoch (rpm `BUILDTIME`). */
  buildTime?: number;
  /** Bytes once installed. */
  installSize?: number;
  /** Bytes of the .rpm file. */
  downloadSize?: number;
  /** `TYPE:HEX`: the package file's checksum (`sha256:...`, from primary.xml) or, for installed packages, the header digest (`hdrid:...`, SHA-1). */
  checksum?: string;
  /** Path of the .rpm inside its repository (primary.xml `location href`). */
  location?: string;
}

/** A package as listed in results (node contents, repo-check subjects). */
export interface PackageRef extends PackageFacts {
  nevra: string;
  repo: string;
  /** Why the package is in its layer: the manifest entry that asked for it, or the rpm database it was read from. */
  reason?: string;
}

/** A repository (or rpm database) a run read packages from, and what identifies its snapshot. */
export interface RepositoryInfo {
  id: string;
  kind: 'repomd' | 'primary' | 'solv' | 'rpmdb';
  /** As the user gave it (manifest-relative path, or image path). */
  path?: string;
  /** `<revision>` of repomd.xml. */
  revision?: string;
  /** `sha256:HEX` of repomd.xml itself: the snapshot identity. */
  repomdChecksum?: string;
  packages: number;
}

/** A checked unit: a node of a family, the host, or a repository in repo-check. */
export interface Subject {
  /** Stable id used in outputs: node alias (manifest) or node path (image), `host`, or repo id. */
  id: string;
  kind: 'host' | 'node' | 'repository';
  alias?: string;
  parent?: string;
  /** Where the subject is declared (manifest entry, `.rednode.yaml`). */
  location?: Span;
  packages: PackageRef[];
  installedSize?: number;
  /** Rule ids that were evaluated on this subject (a clean rule is a proven property). */
  checked: string[];
}

/** A failure of the tool itself or of its input; maps to exit code 3. */
export interface ToolErrorInfo {
  kind: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** Everything a run produced; reporters turn it into text, JSON, SARIF, JUnit or Markdown. */
export interface CheckResult {
  command: 'repo-check' | 'check' | 'audit' | 'update-check' | 'lock';
  tool: { name: 'redproof'; version: string; libsolv: string };
  /** Family name (check/audit), or a summary label for repo-check. */
  target: string;
  arch: string;
  subjects: Subject[];
  findings: Finding[];
  errors: ToolErrorInfo[];
  /**
   * What the loaders could not use or had to interpret (a node without rpm database, a symlinked node
   * directory, ...): the run goes on and the verdict does not change, but every report shows them.
   */
  warnings?: ToolErrorInfo[];
  rules: RuleMeta[];
  stats: { packagesExamined: number; [key: string]: number };
  /** The repositories packages were read from, sorted by id (absent in results that predate it). */
  repositories?: RepositoryInfo[];
  /** `lock --hoist` and `check --suggest-hoist`: the hoists and the duplicates left. */
  hoist?: HoistReport;
}
