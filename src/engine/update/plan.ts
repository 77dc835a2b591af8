/** The per-node update plan (`--plan FILE`, schema/plan-v1.schema.json): plain data, deterministic order. */

export const PLAN_SCHEMA_VERSION = 1;

export type PlanAction = 'install' | 'upgrade' | 'downgrade' | 'erase' | 'obsoleted';

/** One package change of a node's transaction. `package` is the NEVRA before, `to` the NEVRA after. */
export interface PlanStep {
  action: PlanAction;
  /** install: the new package; every other action: the package that was installed. */
  package: string;
  /** upgrade, downgrade: the new version; obsoleted: the package that replaces it. */
  to?: string;
  /** Why the package changes: the request, an advisory, or a dependency of another change. */
  reason: string;
}

/** An advisory of a node: received by the plan, or applicable but not received (with why). */
export interface PlanAdvisory {
  id: string;
  type: string;
  severity: string;
  cves: string[];
  /** NEVRAs of the advisory that concern this node's own packages. */
  packages: string[];
  /** Only for advisories not received. */
  reason?: string;
}

export interface NodePlan {
  node: string;
  parent?: string;
  /** changed: a transaction; unchanged: nothing to do or not asked; failed: no solution (RP022). */
  status: 'changed' | 'unchanged' | 'failed';
  transaction: PlanStep[];
  advisories: PlanAdvisory[];
  notReceived: PlanAdvisory[];
}

/** For each changed package: the nodes whose views change and which of their packages depend on it. */
export interface BlastRadius {
  node: string;
  package: string;
  action: PlanAction;
  to?: string;
  /** The node and every descendant (their views contain the change). */
  nodes: string[];
  dependents: { node: string; package: string; dependency: string }[];
}

export interface UpdatePlan {
  schemaVersion: typeof PLAN_SCHEMA_VERSION;
  tool: { name: 'redproof'; version: string; libsolv: string };
  family: string;
  arch: string;
  change: {
    upgradeAll: boolean;
    upgrade: { node: string; pattern?: string }[];
    install: { node: string; package: string }[];
    remove: { node: string; package: string }[];
    securityOnly: boolean;
    advisories: string[];
  };
  /** Repository ids: the state's and the candidates (`--to`). */
  repositories: { state: string[]; candidates: string[] };
  /** Top-down: the host first, each parent before its children. */
  nodes: NodePlan[];
  blastRadius: BlastRadius[];
  /** True when the resulting family has no error finding (the plan is safe to apply). */
  proven: boolean;
}

const ACTION_ORDER: Record<PlanAction, number> = {
  erase: 0,
  obsoleted: 1,
  downgrade: 2,
  upgrade: 3,
  install: 4,
};

/** Deterministic step order: by action, then package. */
export function sortSteps(steps: PlanStep[]): PlanStep[] {
  return steps.sort(
    (a, b) =>
      ACTION_ORDER[a.action] - ACTION_ORDER[b.action] ||
      (a.package < b.package ? -1 : a.package > b.package ? 1 : 0),
  );
}

/** The plan as JSON text (2-space indent, trailing newline). */
export function planToJson(plan: UpdatePlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
