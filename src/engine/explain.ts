import type { EvidenceStep } from '../model/finding.js';
import { type Problem, type RuleInfo, RuleType } from '../solver/index.js';
import { clip } from '../util/clip.js';

/** Rule types that only restate the job ("install X") and explain nothing to a person. */
const JOB_NOISE = new Set<number>([
  RuleType.JOB,
  RuleType.JOB_PROVIDED_BY_SYSTEM,
  RuleType.JOB_UNKNOWN_PACKAGE,
  RuleType.JOB_UNSUPPORTED,
  RuleType.DISTUPGRADE,
]);

/** The rule infos of problems that carry meaning, deduplicated, in libsolv's order. */
export function meaningfulRules(problems: readonly Problem[]): RuleInfo[] {
  const seen = new Set<string>();
  const out: RuleInfo[] = [];
  for (const p of problems) {
    for (const r of p.rules) {
      if (JOB_NOISE.has(r.type)) continue;
      const key = `${r.type}\0${r.source}\0${r.target}\0${r.dep}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(r);
    }
  }
  return out;
}

/**
 * Evidence steps for a set of problems: libsolv's own sentence per rule, then its "(we have X)" hints.
 * Sorted by text: libsolv's rule order depends on solvable ids, which differ between a repository read
 * from rpm-md and the same one read from the .solv cache, and reports must not. The rules about
 * `subject` itself come first: they say what it needs, the others why that cannot be had.
 */
export function problemEvidence(
  problems: readonly Problem[],
  repoOf?: (nevra: string) => string | undefined,
  subject?: string,
): EvidenceStep[] {
  const groups: EvidenceStep[][] = [];
  for (const r of meaningfulRules(problems)) {
    const step: EvidenceStep = { role: r.kind.replace(/^pkg-/, ''), text: r.text };
    if (r.sourceNevra) {
      step.package = r.sourceNevra;
      const repo = repoOf?.(r.sourceNevra);
      if (repo) step.repo = repo;
    }
    const group = [step];
    for (const h of [...r.weHave].sort())
      group.push({ role: 'we-have', text: `we have ${clip(h)}`, package: h });
    groups.push(group);
  }
  const own = (g: EvidenceStep[]) => (subject !== undefined && g[0]!.package === subject ? 0 : 1);
  groups.sort((a, b) => own(a) - own(b) || (a[0]!.text < b[0]!.text ? -1 : a[0]!.text > b[0]!.text ? 1 : 0));
  return groups.flat();
}

/** The most telling rule: the root cause a person should read first. */
export function primaryRule(problems: readonly Problem[]): RuleInfo | undefined {
  const rules = meaningfulRules(problems);
  const order = [
    RuleType.PKG_NOTHING_PROVIDES_DEP,
    RuleType.PKG_CONFLICTS,
    RuleType.PKG_OBSOLETES,
    RuleType.PKG_IMPLICIT_OBSOLETES,
    RuleType.PKG_INSTALLED_OBSOLETES,
    RuleType.PKG_SELF_CONFLICT,
    RuleType.PKG_SAME_NAME,
    RuleType.PKG_NOT_INSTALLABLE,
    RuleType.INFARCH,
    RuleType.PKG_REQUIRES,
  ];
  // Of the rules of the most telling type, the first by text: libsolv lists rules in an order that
  // depends on solvable ids, which differ between a pool read from rpm-md and one read from .solv.
  const first = (of: RuleInfo[]) => of.reduce((a, b) => (b.text < a.text ? b : a));
  for (const t of order) {
    const of = rules.filter((x) => x.type === t);
    if (of.length) return first(of);
  }
  return rules.length ? first(rules) : undefined;
}
