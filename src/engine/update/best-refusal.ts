/**
 * `best` in a node's update, as dnf 4 does it: with `best=True` the hawkey goal runs with DNF_FORCE_BEST
 * and libdnf ORs SOLVER_FORCEBEST into every job (libdnf/goal/Goal.cpp, `Goal::Impl::constructJob`), so
 * `dnf upgrade`, `dnf upgrade NAME` and `dnf upgrade --security` stop with "cannot install the best
 * update candidate for package X" and change nothing when the best candidate cannot go in. With
 * `best=False` the same jobs take the highest candidate that goes in, and dnf lists the best one under
 * "Skipping packages with broken dependencies". This module tells, once the forced transaction failed
 * and the `--no-best` one did not, which requests the forcing refused and what `--no-best` takes instead.
 */
import { type Job, JobAction, type Problem, RuleType, Select, type SolveResult } from '../../solver/index.js';
import type { NodeSystem } from '../transaction/node-transaction.js';

/** One request of a node's update, with its jobs as `best` asks them and as `--no-best` does. */
export interface BestRequest {
  kind: 'upgrade' | 'install';
  /** upgrade: the installed copy of the own package. */
  copy?: number;
  /** install: the request as given (`--install NODE=PKG`). */
  request?: string;
  /** upgrade with an advisory filter: the advisory package aimed at (the best candidate). */
  target?: number;
  /** install: the repository packages the request matches and the node may take. */
  matches?: readonly number[];
  forced: Job[];
  relaxed: Job[];
}

/** A request refused by `best` alone. */
export interface BestRefusal {
  request: BestRequest;
  /** What the `--no-best` transaction takes for it (repository ids; empty: the own package stays). */
  taken: number[];
  /** libsolv's explanation of the request solved alone, its best candidate forced. */
  problems: Problem[];
}

/**
 * The requests refused by `best`. `problems` are those of the forced transaction; `relaxed` is the
 * `--no-best` solve of the same transaction, which succeeded. A problem whose only best rule names the
 * installed package of one upgrade (libsolv's "cannot install the best update candidate for package X")
 * and whose only jobs are the ancestors' locks fails with that upgrade alone: it is that upgrade's
 * explanation, no solve needed. The other requests the problems point at (a job's best rule names no
 * package, so installs always; advisory packages) are solved again, alone. A node upgrading hundreds of
 * packages thus pays one solve for each refusal libsolv's problems leave ambiguous, not one per package.
 * Empty when no request fails alone: then only their combination fails.
 */
export function bestRefusals(
  sys: NodeSystem,
  requests: readonly BestRequest[],
  problems: readonly Problem[],
  relaxed: SolveResult,
  options: { ignoreRecommended: boolean; isRepoPackage: (id: number) => boolean },
): BestRefusal[] {
  const upgradeOf = new Map<number, BestRequest>();
  for (const r of requests) if (r.kind === 'upgrade' && r.target === undefined) upgradeOf.set(r.copy!, r);
  const direct = new Map<BestRequest, Problem[]>();
  const bestOf = new Set<number>();
  const involved = new Set<number>();
  let jobBest = false;
  for (const p of problems) {
    const sources = new Set<number>();
    let alone = true;
    for (const r of p.rules) {
      if (r.type === RuleType.BEST) {
        if (r.source) {
          bestOf.add(r.source);
          sources.add(r.source);
        } else {
          jobBest = true;
          alone = false;
        }
      } else if (isJobRule(r.type)) {
        // the ancestors' locks are in every solve of the node; any other job is not the upgrade's
        if (r.target !== LOCK_JOB) alone = false;
        continue;
      }
      involved.add(r.source);
      involved.add(r.target);
    }
    const only = sources.size === 1 ? upgradeOf.get([...sources][0]!) : undefined;
    if (alone && only) direct.set(only, [...(direct.get(only) ?? []), p]);
  }
  const suspect = (r: BestRequest): boolean =>
    r.kind === 'upgrade'
      ? bestOf.has(r.copy!) || (r.target !== undefined && involved.has(r.target))
      : jobBest || (r.matches ?? []).some((m) => involved.has(m));
  const { entering, leaving } = sys.changes(relaxed.transaction, options.isRepoPackage);
  const out: BestRefusal[] = [];
  for (const r of requests) {
    let why = direct.get(r);
    if (!why) {
      if (!suspect(r)) continue;
      why = sys.solve(r.forced, { ignoreRecommended: options.ignoreRecommended }).problems;
      if (!why.length) continue;
    }
    let taken: number[];
    if (r.kind === 'upgrade') {
      taken = [
        ...entering.filter((e) => e.oldCopy === r.copy).map((e) => e.id),
        ...leaving.filter((l) => l.copy === r.copy && l.by !== undefined).map((l) => l.by!),
      ];
    } else {
      const matches = new Set(r.matches);
      taken = entering.filter((e) => matches.has(e.id)).map((e) => e.id);
    }
    out.push({ request: r, taken: [...new Set(taken)], problems: why });
  }
  return out;
}

/**
 * A rule of a job (install, erase, lock, ...). libsolv's rule info of a job rule is not about packages:
 * its source is the job's index, its target the job's `how` and its dependency the job's `what`.
 */
export function isJobRule(type: number): boolean {
  return (type & 0xff00) === RuleType.JOB;
}

const LOCK_JOB = JobAction.LOCK | Select.SOLVABLE;
