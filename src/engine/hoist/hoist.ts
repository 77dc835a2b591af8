/**
 * Hoisting a resolved family, proven: the planner (./plan.ts) chooses the hoists, then the hoisted family
 * is proven by the caller's family check (the same `proveFamily` as `check`). A finding of that proof
 * on a moved package that the planner did not foresee (RP001, RP002, RP003, RP005, RP007) blocks the
 * hoists that moved it, and the plan is made again; after a few rounds the family is left as it was.
 */
import type { Finding } from '../../model/finding.js';
import type { HoistReport } from '../../model/hoist.js';
import type { PackageSummary, Pool } from '../../solver/index.js';
import { Family, type Layer } from '../family.js';
import { type FileData, hoistPackages } from './packages.js';
import {
  candidateKey,
  type HoistBlocker,
  type HoistCandidate,
  type HoistLayer,
  type HoistOptOuts,
  type HoistPackages,
  type HoistPlan,
  HoistState,
  planHoists,
} from './plan.js';

export interface HoistSettings {
  optOuts: HoistOptOuts;
  /** `applied` (lock --hoist) or `plan` (check --suggest-hoist). */
  mode: HoistReport['mode'];
}

export interface HoistOutcome {
  /** The hoisted family (the input's layers when nothing moved). */
  layers: Layer[];
  /** The family check of `layers`, when anything moved (the caller proves an unchanged family itself). */
  findings?: Finding[];
  /** Per layer, the packages hoisted into it and the layers they came from. */
  origins: Map<string, Map<number, string[]>>;
  report: HoistReport;
}

/** The rules whose findings on a moved package mean the planner was wrong. */
const UNFORESEEN = new Set(['RP001', 'RP002', 'RP003', 'RP005', 'RP007']);
const ROUNDS = 4;

/**
 * Plans the hoists of `layers`, applies them and proves the result with `prove` (given the file data the
 * planner read, so file lists are read once).
 */
export function hoistFamily(
  pool: Pool,
  layers: readonly Layer[],
  info: (id: number) => PackageSummary,
  fileData: FileData,
  prove: (layers: Layer[]) => Finding[],
  settings: HoistSettings,
): HoistOutcome {
  const ids = [...new Set(layers.flatMap((l) => l.packages.map((p) => p.id)))];
  return hoistProven(layers, hoistPackages(pool, ids, info, fileData), prove, settings);
}

/** `hoistFamily` on packages already described (the pool-free part, tested on a model). */
export function hoistProven(
  layers: readonly Layer[],
  packages: HoistPackages,
  prove: (layers: Layer[]) => Finding[],
  settings: HoistSettings,
): HoistOutcome {
  const ids = [...new Set(layers.flatMap((l) => l.packages.map((p) => p.id)))];
  const plain: HoistLayer[] = layers.map((l) => ({
    id: l.id,
    parent: l.parent,
    packages: [...new Set(l.packages.map((p) => p.id))],
  }));
  const before = new Family(layers.map((l) => ({ ...l })));
  const byNevra = new Map(ids.map((id) => [packages.nevra(id), id]));
  const together = (a: string, b: string) => {
    const ha = before.holders.get(byNevra.get(a) ?? -1) ?? [];
    const hb = before.holders.get(byNevra.get(b) ?? -1) ?? [];
    return ha.some((x) => hb.some((y) => before.related(x, y)));
  };
  const blocked = new Map<string, HoistBlocker>();
  for (let round = 0; round < ROUNDS; round++) {
    const plan = planHoists(plain, packages, settings.optOuts, blocked);
    if (!plan.moves.length) return outcome(layers, undefined, plan, packages, settings);
    const hoisted = toLayers(layers, plan);
    const findings = prove(hoisted);
    const moved = new Map<string, HoistPlan['moves']>();
    for (const m of plan.moves) {
      for (const x of m.moved) {
        const n = packages.nevra(x.id);
        moved.set(n, [...(moved.get(n) ?? []), m]);
      }
    }
    let unforeseen = false;
    for (const f of findings) {
      if (!UNFORESEEN.has(f.rule)) continue;
      // a conflict both packages already had in some view is the same finding, moved with them
      if (f.package && f.other && (f.rule === 'RP002' || f.rule === 'RP005') && together(f.package, f.other))
        continue;
      for (const n of [f.package, f.other]) {
        for (const m of (n !== undefined && moved.get(n)) || []) {
          const k = candidateKey(m.package, m.to);
          if (blocked.has(k)) continue;
          unforeseen = true;
          blocked.set(k, {
            kind: 'proof',
            text: `the family check of the hoisted family found ${f.rule} in \`${f.node ?? m.to}\`: ${f.message}`,
            package: packages.nevra(m.package),
            ...(f.node !== undefined && { node: f.node }),
          });
        }
      }
    }
    if (!unforeseen) return outcome(hoisted, findings, plan, packages, settings);
  }
  // the proof kept finding what the planner did not foresee: leave the family as it was
  const state = new HoistState(plain, packages, settings.optOuts, blocked);
  const stop: HoistBlocker = {
    kind: 'proof',
    text: `hoisting was given up after ${ROUNDS} proofs of the hoisted family found problems the planner did not foresee`,
  };
  const left = state.duplicates().map((d) => {
    const c = state.evaluate(d.id, d.to);
    return { ...c, blockers: [...c.blockers, stop] };
  });
  const bytes = state.bytes();
  return outcome(
    layers,
    undefined,
    { moves: [], layers: plain, origins: new Map(), left, bytesBefore: bytes, bytesAfter: bytes },
    packages,
    settings,
  );
}

/** The layers after the plan: a package that stays keeps its manifest entry, a hoisted one has none. */
function toLayers(layers: readonly Layer[], plan: HoistPlan): Layer[] {
  const after = new Map(plan.layers.map((l) => [l.id, l.packages]));
  return layers.map((l) => {
    const own = new Set(after.get(l.id) ?? []);
    const kept = l.packages.filter((p) => own.has(p.id));
    const had = new Set(kept.map((p) => p.id));
    const added = [...own].filter((id) => !had.has(id)).map((id) => ({ id }));
    return { ...l, packages: [...kept, ...added] };
  });
}

function outcome(
  layers: readonly Layer[],
  findings: Finding[] | undefined,
  plan: HoistPlan,
  packages: HoistPackages,
  settings: HoistSettings,
): HoistOutcome {
  const nevra = (id: number) => packages.nevra(id);
  const report: HoistReport = {
    mode: settings.mode,
    bytesBefore: plan.bytesBefore,
    bytesAfter: plan.bytesAfter,
    hoists: plan.moves.map((m) => ({
      package: nevra(m.package),
      to: m.to,
      from: m.moved[0]!.origins,
      savedBytes: m.saved,
      with: m.moved.slice(1).map((x) => ({ package: nevra(x.id), from: x.origins })),
    })),
    left: plan.left
      .map((c) => leftEntry(c, nevra))
      .sort(
        (a, b) => b.savedBytes - a.savedBytes || (a.package < b.package ? -1 : a.package > b.package ? 1 : 0),
      ),
  };
  return { layers: [...layers], ...(findings && { findings }), origins: plan.origins, report };
}

function leftEntry(c: HoistCandidate, nevra: (id: number) => string): HoistReport['left'][number] {
  const seen = new Set<string>();
  const blockers = c.blockers.filter((b) => {
    if (seen.has(b.text)) return false;
    seen.add(b.text);
    return true;
  });
  return { package: nevra(c.package), nodes: c.holders, ancestor: c.to, savedBytes: c.saved, blockers };
}
