import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Engine,
  Format,
  loadEngine,
  type Pool,
  type Problem,
  RuleType,
  type Uninstallable,
} from '../../src/solver/index.js';
import { nevra, type Pkg, pkgArb, primaryXml } from '../helpers/rpmmd-writer.js';

/*
 * Property-based tests of Pool.installCheck (issue 3): on random repositories, the verdicts with derived
 * explanations, with libsolv's own per-package problems, and of a plain backtracking search written here
 * (independent of libsolv) are the same; and every derived explanation is a proof: a chain of true
 * statements from the package down to requirements nothing provides, with no circular step.
 *
 * The model: package `pkI` (x86_64 or noarch; some names have a second build 2.0) provides its name and
 * some capabilities `capJ`, requires and conflicts with capabilities and names, unversioned. rpm rules: two
 * builds of one name cannot be installed together, and a package's conflict with itself is ignored.
 */

const CAPS = 5;
const cap = fc.integer({ min: 0, max: CAPS - 1 }).map((i) => `cap${i}`);
/** Capabilities nothing provides, so that some requirements are unmet. */
const missing = fc.integer({ min: 0, max: 1 }).map((i) => `missing${i}`);

function repoArb(options: { conflicts: boolean }): fc.Arbitrary<Pkg[]> {
  return fc
    .integer({ min: 4, max: 14 })
    .chain((n) => {
      const depName = fc.oneof(
        { weight: 3, arbitrary: cap },
        { weight: 3, arbitrary: fc.integer({ min: 0, max: n - 1 }).map((i) => `pk${i}`) },
        { weight: 1, arbitrary: missing },
      );
      const pkg = (i: number) => pkgArb(i, { cap, depName }, options);
      return fc.tuple(
        fc.tuple(...Array.from({ length: n }, (_, i) => pkg(i))),
        fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }),
      );
    })
    .map(([base, second]) => [...base, ...second.map((i) => ({ ...base[i]!, ver: '2.0' }))]);
}

// ---- the reference: a complete backtracking search for an installable set -------------------------------

const provides = (p: Pkg, dep: string) => p.name === dep || p.provides.includes(dep);

function compatible(pkgs: Pkg[], a: number, b: number): boolean {
  const pa = pkgs[a]!;
  const pb = pkgs[b]!;
  if (pa.name === pb.name) return false;
  return !pa.conflicts.some((d) => provides(pb, d)) && !pb.conflicts.some((d) => provides(pa, d));
}

/** Is there a set holding `target` in which every requirement is provided and nothing conflicts? */
function referenceInstallable(pkgs: Pkg[], target: number): boolean {
  const search = (chosen: number[]): boolean => {
    for (const m of chosen) {
      for (const d of pkgs[m]!.requires) {
        if (chosen.some((c) => provides(pkgs[c]!, d))) continue;
        // the first unmet requirement: any solution extending `chosen` holds one of its providers
        for (let q = 0; q < pkgs.length; q++) {
          if (!provides(pkgs[q]!, d) || chosen.includes(q)) continue;
          if (chosen.every((c) => compatible(pkgs, c, q)) && search([...chosen, q])) return true;
        }
        return false;
      }
    }
    return true;
  };
  return search([target]);
}

// ---- the proof check of a derived explanation ------------------------------------------------------------

const isJobRule = (type: number) => (type & 0xff00) === 0x400;

/**
 * A derived explanation proves its package uninstallable when each of its rules is true of the repository
 * and, starting from the packages with a requirement nothing provides, every package it names is reached
 * through requirements all of whose providers are already shown uninstallable.
 */
function checkProof(pkgs: Pkg[], u: Uninstallable, problems: Problem[]): void {
  expect(problems).toHaveLength(1);
  const byNevra = new Map(pkgs.map((p) => [nevra(p), p]));
  const rules = problems[0]!.rules;
  const shown = new Set<string>();
  for (const r of rules) {
    const p = byNevra.get(r.sourceNevra!)!;
    expect(p, r.text).toBeDefined();
    expect(p.requires, r.text).toContain(r.dep);
    const providers = pkgs.filter((q) => provides(q, r.dep)).map(nevra);
    if (r.type === RuleType.PKG_NOTHING_PROVIDES_DEP) {
      expect(providers, r.text).toEqual([]);
      shown.add(r.sourceNevra!);
    } else {
      expect(r.type, r.text).toBe(RuleType.PKG_REQUIRES);
      expect(providers.length, r.text).toBeGreaterThan(0);
    }
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rules) {
      if (r.type !== RuleType.PKG_REQUIRES || shown.has(r.sourceNevra!)) continue;
      const providers = pkgs.filter((q) => provides(q, r.dep)).map(nevra);
      if (providers.every((n) => shown.has(n))) {
        shown.add(r.sourceNevra!);
        grew = true;
      }
    }
  }
  expect(shown.has(u.nevra), `${u.nevra} is not proven by its own explanation`).toBe(true);
}

// ---- running libsolv --------------------------------------------------------------------------------------

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine();
});
afterAll(() => {
  expect(engine.liveObjects()).toBe(0);
});

function withRepo<T>(pkgs: Pkg[], f: (pool: Pool, candidates: number[]) => T): T {
  const pool = engine.createPool('x86_64');
  try {
    const repo = pool.addRepo('random');
    repo.add(Format.RPMMD, Buffer.from(primaryXml(pkgs)), 'primary.xml');
    pool.setArch('x86_64');
    pool.prepare();
    return f(pool, pool.installCheckCandidates([repo]));
  } finally {
    pool.dispose();
  }
}

const RUNS = Number(process.env.REDPROOF_PROPERTY_RUNS ?? 150);

describe('installCheck: derived and solved explanations, against a reference search', () => {
  for (const conflicts of [false, true]) {
    it(`same verdicts as the reference; every derived explanation is a proof (conflicts: ${conflicts})`, () => {
      let derivations = 0;
      let solves = 0;
      fc.assert(
        fc.property(repoArb({ conflicts }), (pkgs) => {
          withRepo(pkgs, (pool, candidates) => {
            expect(candidates).toHaveLength(pkgs.length);
            const solved = pool.installCheck(candidates);
            const derived = pool.installCheck(candidates, { derive: true });
            const expected = pkgs
              .map((p, i) => ({ nevra: nevra(p), ok: referenceInstallable(pkgs, i) }))
              .filter((x) => !x.ok)
              .map((x) => x.nevra)
              .sort();
            expect(solved.map((u) => u.nevra).sort()).toEqual(expected);
            expect(derived.map((u) => u.nevra).sort()).toEqual(expected);
            for (const u of derived) {
              // a derived explanation has no job rule; the others come from a solve, as in `solved`
              if (u.problems.some((p) => p.rules.some((r) => isJobRule(r.type)))) {
                expect(u.problems).toEqual(solved.find((s) => s.id === u.id)!.problems);
                solves++;
              } else {
                checkProof(pkgs, u, u.problems);
                derivations++;
              }
            }
          });
        }),
        { numRuns: RUNS, seed: 20261125 },
      );
      // both paths were exercised: packages explained by derivation, and by a solve (e.g. a conflict)
      expect(derivations).toBeGreaterThan(0);
      if (conflicts) expect(solves).toBeGreaterThan(0);
    });
  }

  it('derives at least the packages blocked by a chain of requirements', () => {
    // app -> lib -> missing0: lib has the root cause, app is blocked through lib (a derived step)
    const pkgs: Pkg[] = [
      { name: 'app', arch: 'x86_64', provides: [], requires: ['lib'], conflicts: [] },
      { name: 'lib', arch: 'x86_64', provides: [], requires: ['missing0'], conflicts: [] },
      { name: 'ok', arch: 'noarch', provides: [], requires: [], conflicts: [] },
    ];
    withRepo(pkgs, (pool, candidates) => {
      const derived = pool.installCheck(candidates, { derive: true });
      expect(derived.map((u) => u.nevra)).toEqual(['app-1.0-1.x86_64', 'lib-1.0-1.x86_64']);
      const app = derived[0]!;
      expect(app.problems[0]!.rules.map((r) => r.text)).toEqual([
        'package app-1.0-1.x86_64 requires lib, but none of the providers can be installed',
        'nothing provides missing0 needed by lib-1.0-1.x86_64',
      ]);
      checkProof(pkgs, app, app.problems);
      // solved, the same package gets libsolv's own problem, job rule included
      const solved = pool.installCheck(candidates);
      expect(solved.map((u) => u.nevra)).toEqual(['app-1.0-1.x86_64', 'lib-1.0-1.x86_64']);
      expect(solved[0]!.problems.some((p) => p.rules.some((r) => isJobRule(r.type)))).toBe(true);
    });
  });
});
