/** What hoisting did to a family (`lock --hoist`) or would do (`check --suggest-hoist`): plain data. */
export interface HoistReport {
  /** `applied`: the reported family is the hoisted one (lock --hoist); `plan`: only suggested. */
  mode: 'applied' | 'plan';
  /** Installed bytes of the family (each layer's own packages once) before and after the hoists. */
  bytesBefore: number;
  bytesAfter: number;
  /** Every hoist, in the order made. */
  hoists: HoistEntry[];
  /** Every duplicate left (the same NEVRA in layers none of which sees another), with what blocks it. */
  left: HoistLeft[];
}

export interface HoistEntry {
  /** NEVRA of the duplicated package. */
  package: string;
  /** The layer it moves to: the lowest common ancestor of its holders. */
  to: string;
  /** The layers that held it (their copies are dropped). */
  from: string[];
  /** Installed bytes saved by this hoist (the package and what moves with it). */
  savedBytes: number;
  /** The part of its requirement closure that `to`'s view lacked, moved with it. */
  with: { package: string; from: string[] }[];
}

export interface HoistLeft {
  package: string;
  /** The topmost layers holding it. */
  nodes: string[];
  /** Their lowest common ancestor, where it could be installed once. */
  ancestor: string;
  /** What hoisting it there would save. */
  savedBytes: number;
  blockers: HoistBlockerInfo[];
}

export interface HoistBlockerInfo {
  /**
   * `missing-provider` (a requirement without a provider in the ancestor's view that could move with it),
   * `same-name` (another version of the name in a view, RP003), `conflict` (RP002), `file-conflict`
   * (RP005), `opt-out` (a pattern never hoisted), `isolation` (a node whose view must not grow), `proof`
   * (the family check found the hoisted family wrong).
   */
  kind: 'missing-provider' | 'same-name' | 'conflict' | 'file-conflict' | 'opt-out' | 'isolation' | 'proof';
  text: string;
  package?: string;
  node?: string;
  dependency?: string;
  pattern?: string;
}
