import type { EvidenceStep, Finding, Span } from '../../model/finding.js';
import { fingerprint } from '../../policy/fingerprint.js';
import { ruleHelp, ruleMessage } from '../../rules/catalog.js';
import {
  job,
  type PackageSummary,
  type Pool,
  type Problem,
  type RuleInfo,
  RuleType,
} from '../../solver/index.js';
import { clip } from '../../util/clip.js';
import { problemEvidence } from '../explain.js';
import type { Family } from '../family.js';

/**
 * RP001, RP002 and RP007 from libsolv itself. For each layer the solver is restricted to the layer's
 * view (pool->considered). One solve installs the whole view together; only when that fails,
 * installcheck's method over the layer's own packages (weak install of all, then one solve per suspect)
 * finds the packages that cannot be installed at all in the view and why, and the rest of the view is
 * solved together again, which leaves only co-installability problems (conflicts, obsoletes). Last, a
 * direct pass lists every conflicting pair of the view, those of the packages left out of that solve
 * included. Each problem rule is attributed to the layer that owns the package at fault, so a problem is
 * reported once, where it is introduced.
 */
export function installabilityFindings(
  pool: Pool,
  family: Family,
  info: (id: number) => PackageSummary,
): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const providers = new Map<string, number[]>();
  const whatProvides = (dep: string) => {
    let p = providers.get(dep);
    if (!p) {
      p = pool.whatProvides(dep);
      providers.set(dep, p);
    }
    return p;
  };
  const add = (fs: Finding[]) => {
    for (const f of fs) {
      const key = `${f.rule}\0${f.node}\0${f.package}\0${f.dependency ?? ''}\0${f.other ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(f);
    }
  };
  const broken = new Set<number>();
  try {
    for (const layer of family.layers) {
      const view = family.view(layer.id);
      if (view.length === 0) continue;
      const inView = new Set(view);
      const ctx = { layerId: layer.id, pool, family, info, inView, whatProvides };
      pool.setConsidered(view);
      const own = [...new Set(layer.packages.map((p) => p.id))];
      // Plain requirements with no provider in the view need no SAT solving: report them directly and
      // keep those packages out of the solver (they would only restate the same root cause).
      const unmet = pool.unmetRequires(own);
      for (const u of unmet) {
        broken.add(u.id);
        const r: RuleInfo = {
          type: RuleType.PKG_NOTHING_PROVIDES_DEP,
          kind: 'pkg-nothing-provides-dep',
          source: u.id,
          target: 0,
          dep: u.dep,
          text: `nothing provides ${clip(u.dep)} needed by ${clip(info(u.id).nevra)}`,
          weHave: [],
        };
        add([unresolved(r, layer.id, whatProvides, family, info, entryOf(family, layer.id, u.id))]);
      }
      const solveTogether = () =>
        pool.solve(
          view.filter((id) => !broken.has(id)).map((id) => job.install(id)),
          // only whether the view goes in together matters here, not the order of a transaction
          { ignoreRecommended: true, transaction: false },
        ).problems;
      // The whole view installed at once, first: when that works (a coherent layer, the common case) every
      // package of it is installable, and installcheck of the layer's own packages has nothing to find.
      // Most views are coherent: when no package of it is broken and no rule libsolv would make can fail
      // (every requirement met inside, no conflict, no rich dependency...), the solve is known to succeed
      // and is skipped; anything less certain is solved.
      let problems =
        !view.some((id) => broken.has(id)) && pool.trivialInstallBlocker(view).check === 0
          ? []
          : solveTogether();
      if (problems.length > 0) {
        const suspects = own.filter((id) => !broken.has(id));
        const before = broken.size;
        for (const u of pool.installCheck(suspects, { rpmJob: false })) {
          broken.add(u.id);
          for (const problem of u.problems) add(attribute(problem, ctx));
        }
        if (broken.size > before) problems = solveTogether();
      }
      for (const problem of problems) add(attribute(problem, ctx));
      // Conflicts among all the view's packages: the broken ones were left out of the solve above, and a
      // conflict of theirs is a finding of its own (what is already reported above is deduplicated).
      for (const rule of pool.viewConflicts(view)) add(attribute({ rules: [rule] }, ctx));
    }
  } finally {
    pool.setConsidered(null);
  }
  return findings;
}

interface AttributionContext {
  layerId: string;
  pool: Pool;
  family: Family;
  info: (id: number) => PackageSummary;
  inView: ReadonlySet<number>;
  whatProvides: (dep: string) => number[];
}

function attribute(problem: Problem, ctx: AttributionContext): Finding[] {
  const { layerId, family, info, inView, whatProvides } = ctx;
  const out: Finding[] = [];
  const owner = (id: number) => (id > 1 ? family.ownerInView(layerId, id) : undefined);
  const entryOf = (layer: string, id: number) => entryOfPkg(family, layer, id);
  let explained = false;
  for (const r of problem.rules) {
    // Providers outside the view are "not considered": libsolv then says "none of the providers can be
    // installed" instead of "nothing provides"; with no provider in the view it is the same root cause.
    const unmet =
      r.type === RuleType.PKG_NOTHING_PROVIDES_DEP ||
      (r.type === RuleType.PKG_REQUIRES && !whatProvides(r.dep).some((p) => inView.has(p)));
    if (unmet) {
      explained = true;
      if (owner(r.source) !== layerId) continue;
      out.push(unresolved(r, layerId, whatProvides, family, info, entryOf(layerId, r.source)));
    } else if (
      r.type === RuleType.PKG_CONFLICTS ||
      r.type === RuleType.PKG_OBSOLETES ||
      r.type === RuleType.PKG_IMPLICIT_OBSOLETES ||
      r.type === RuleType.PKG_INSTALLED_OBSOLETES
    ) {
      explained = true;
      const so = owner(r.source);
      const to = owner(r.target);
      // Reported at the layer that adds the second package: the one being checked.
      if (so !== layerId && to !== layerId) continue;
      const mine = so === layerId ? r.source : r.target;
      const theirs = mine === r.source ? r.target : r.source;
      const otherNode = (mine === r.source ? to : so) ?? layerId;
      const s = info(mine);
      const o = info(theirs);
      const kind = r.type === RuleType.PKG_CONFLICTS ? 'conflicts' : 'obsoletes';
      const data = { package: s.nevra, node: layerId, other: o.nevra, otherNode };
      const entry = entryOf(layerId, mine);
      out.push({
        rule: 'RP002',
        slug: 'conflict',
        level: 'error',
        node: layerId,
        package: s.nevra,
        repo: s.repo,
        other: o.nevra,
        otherNode,
        ...(r.dep && { dependency: r.dep }),
        // The sentence follows libsolv's direction (source conflicts with or obsoletes target), each
        // package with the node that holds it; the finding's fields stay this layer's package first.
        message: ruleMessage('RP002', kind, {
          package: info(r.source).nevra,
          node: so ?? layerId,
          other: info(r.target).nevra,
          otherNode: to ?? layerId,
        }),
        help: ruleHelp('RP002', data),
        ...(entry && { location: entry.span }),
        evidence: problemEvidence([problem]),
        fingerprint: fingerprint({
          rule: 'RP002',
          node: layerId,
          package: s.nevra,
          other: o.nevra,
          ...(r.dep && { dependency: r.dep }),
        }),
      });
    } else if (r.type === RuleType.PKG_SAME_NAME) {
      // Two versions of one name in a view: RP003 reports it when they live in different layers.
      const so = owner(r.source);
      const to = owner(r.target);
      if (so !== to) explained = true;
    }
  }
  if (!explained) {
    // Anything else (arch, self-conflict, two versions in one layer...): RP007 with the whole explanation.
    const mine = problem.rules.map((r) => r.source).find((id) => owner(id) === layerId);
    if (mine !== undefined) {
      const s = info(mine);
      const text = rootText(problem.rules);
      const entry = entryOf(layerId, mine);
      out.push({
        rule: 'RP007',
        slug: 'uninstallable',
        level: 'error',
        node: layerId,
        package: s.nevra,
        repo: s.repo,
        message: ruleMessage('RP007', 'problem', { node: layerId, problem: text }),
        help: ruleHelp('RP007', { node: layerId, package: s.nevra }),
        ...(entry && { location: entry.span }),
        evidence: problemEvidence([problem]),
        fingerprint: fingerprint({ rule: 'RP007', node: layerId, package: s.nevra }),
      });
    }
  }
  return out;
}

function entryOfPkg(family: Family, layer: string, id: number) {
  return family.layer(layer).packages.find((p) => p.id === id)?.entry;
}

const entryOf = entryOfPkg;

function rootText(rules: RuleInfo[]): string {
  const r = rules.find((x) => x.type !== RuleType.JOB && x.text) ?? rules[0];
  return r?.text ?? 'no solution';
}

/** RP001 with where a provider exists: elsewhere in the family, in the repositories, or nowhere. */
function unresolved(
  r: RuleInfo,
  layerId: string,
  whatProvides: (dep: string) => number[],
  family: Family,
  info: (id: number) => PackageSummary,
  entry: { text: string; span: Span } | undefined,
): Finding {
  const s = info(r.source);
  const providers = whatProvides(r.dep);
  const inFamily: { id: number; layer: string }[] = [];
  for (const p of providers) for (const h of family.holders.get(p) ?? []) inFamily.push({ id: p, layer: h });
  inFamily.sort((a, b) => (a.layer < b.layer ? -1 : a.layer > b.layer ? 1 : a.id - b.id));
  const evidence: EvidenceStep[] = [
    {
      role: 'requires',
      text: `\`${clip(s.nevra)}\` requires \`${clip(r.dep)}\``,
      package: s.nevra,
      node: layerId,
    },
  ];
  let message: string;
  let target = layerId;
  const base = { package: s.nevra, node: layerId, dependency: r.dep };
  const firstInFamily = inFamily[0];
  if (firstInFamily) {
    const providerNode = firstInFamily.layer;
    target = family.lowestCommonAncestor([layerId, providerNode]);
    message = ruleMessage('RP001', 'elsewhereInFamily', { ...base, providerNode });
    for (const p of inFamily) {
      evidence.push({
        role: 'provider',
        text: `\`${clip(info(p.id).nevra)}\` in node \`${clip(p.layer)}\` provides it (outside the view)`,
        package: info(p.id).nevra,
        node: p.layer,
      });
    }
  } else if (providers.length > 0) {
    const best = info(providers[0]!);
    message = ruleMessage('RP001', 'inRepositories', { ...base, provider: best.nevra, repo: best.repo });
    for (const p of providers.slice(0, 10)) {
      const pi = info(p);
      evidence.push({
        role: 'candidate',
        text: `\`${clip(pi.nevra)}\` in repository \`${clip(pi.repo)}\` provides it`,
        package: pi.nevra,
        repo: pi.repo,
      });
    }
  } else {
    message = ruleMessage('RP001', 'nowhere', base);
  }
  for (const h of r.weHave) evidence.push({ role: 'we-have', text: `we have ${clip(h)}`, package: h });
  return {
    rule: 'RP001',
    slug: 'unresolved-dependency',
    level: 'error',
    node: layerId,
    package: s.nevra,
    repo: s.repo,
    dependency: r.dep,
    message,
    help: ruleHelp('RP001', { ...base, target }),
    ...(entry && { location: entry.span }),
    evidence,
    fingerprint: fingerprint({ rule: 'RP001', node: layerId, package: s.nevra, dependency: r.dep }),
  };
}
