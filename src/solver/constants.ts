/** libsolv constants (src/solver.h, src/rules.h, src/transaction.h, src/selection.h of libsolv 0.7.23). */
export const Select = {
  SOLVABLE: 0x01,
  NAME: 0x02,
  PROVIDES: 0x03,
  ONE_OF: 0x04,
  REPO: 0x05,
  ALL: 0x06,
} as const;

export const JobAction = {
  NOOP: 0x0000,
  INSTALL: 0x0100,
  ERASE: 0x0200,
  UPDATE: 0x0300,
  WEAKENDEPS: 0x0400,
  MULTIVERSION: 0x0500,
  LOCK: 0x0600,
  DISTUPGRADE: 0x0700,
  VERIFY: 0x0800,
  FAVOR: 0x0c00,
  DISFAVOR: 0x0d00,
} as const;

export const JobFlag = {
  WEAK: 0x010000,
  ESSENTIAL: 0x020000,
  CLEANDEPS: 0x040000,
  FORCEBEST: 0x100000,
  TARGETED: 0x200000,
} as const;

export const SelectionFlag = {
  NAME: 1 << 0,
  PROVIDES: 1 << 1,
  FILELIST: 1 << 2,
  CANON: 1 << 3,
  DOTARCH: 1 << 4,
  REL: 1 << 5,
  GLOB: 1 << 9,
  FLAT: 1 << 10,
  NOCASE: 1 << 11,
  WITH_BADARCH: 1 << 17,
} as const;

/** Rule types as libsolv reports them in problem rule infos. */
export const RuleType = {
  UNKNOWN: 0,
  PKG: 0x100,
  PKG_NOT_INSTALLABLE: 0x101,
  PKG_NOTHING_PROVIDES_DEP: 0x102,
  PKG_REQUIRES: 0x103,
  PKG_SELF_CONFLICT: 0x104,
  PKG_CONFLICTS: 0x105,
  PKG_SAME_NAME: 0x106,
  PKG_OBSOLETES: 0x107,
  PKG_IMPLICIT_OBSOLETES: 0x108,
  PKG_INSTALLED_OBSOLETES: 0x109,
  PKG_RECOMMENDS: 0x10a,
  PKG_CONSTRAINS: 0x10b,
  PKG_SUPPLEMENTS: 0x10c,
  UPDATE: 0x200,
  FEATURE: 0x300,
  JOB: 0x400,
  JOB_NOTHING_PROVIDES_DEP: 0x401,
  JOB_PROVIDED_BY_SYSTEM: 0x402,
  JOB_UNKNOWN_PACKAGE: 0x403,
  JOB_UNSUPPORTED: 0x404,
  DISTUPGRADE: 0x500,
  INFARCH: 0x600,
  CHOICE: 0x700,
  LEARNT: 0x800,
  BEST: 0x900,
  YUMOBS: 0xa00,
  RECOMMENDS: 0xb00,
  BLACK: 0xc00,
  STRICT_REPO_PRIORITY: 0xd00,
} as const;

const ruleNames = new Map<number, string>(
  Object.entries(RuleType).map(([k, v]) => [v, k.toLowerCase().replace(/_/g, '-')]),
);

/** Stable kebab-case name of a rule type, e.g. `pkg-nothing-provides-dep`. */
export function ruleTypeName(type: number): string {
  return ruleNames.get(type) ?? `rule-0x${type.toString(16)}`;
}

export const TransactionType = {
  IGNORE: 0x00,
  ERASE: 0x10,
  REINSTALLED: 0x11,
  DOWNGRADED: 0x12,
  CHANGED: 0x13,
  UPGRADED: 0x14,
  OBSOLETED: 0x15,
  INSTALL: 0x20,
  REINSTALL: 0x21,
  DOWNGRADE: 0x22,
  CHANGE: 0x23,
  UPGRADE: 0x24,
  OBSOLETES: 0x25,
  MULTIINSTALL: 0x30,
  MULTIREINSTALL: 0x31,
} as const;

/** File formats the engine reads (mirrors the RP_FMT_* enum of wasm/src/glue.c). */
export const Format = {
  RPMMD: 1,
  FILELISTS: 2,
  UPDATEINFO: 3,
  SOLV: 4,
  TESTTAGS: 5,
  REPOMDXML: 6,
  SUSETAGS: 7,
  HELIX: 8,
  DELTAINFO: 9,
  COMPS: 10,
  RPM: 11,
} as const;
