/**
 * Hoisting: moving a package that several layers of a family hold to their lowest common ancestor, so
 * that it is installed once, wherever every view below that ancestor stays coherent. Pure: the packages
 * are solvable ids described by a `HoistPackages` (built from the pool by ./packages.ts); the result is
 * checked again by the family check itself (./hoist.ts), never by this module alone.
 *
 * A hoist of package `x` to layer `T` (T the lowest common ancestor of two or more of its holders):
 * - moves `x` and the part of its requirement closure that T's view lacks (each requirement's provider
 *   taken from the holders' views, the one most copies of which are saved first);
 * - drops every copy of a moved package below T (they would be ancestor duplicates, RP003, otherwise);
 * - is blocked when a requirement has no provider that can move, when a moved package has the name of
 *   another version in T's view or below T (RP003), when it conflicts with, obsoletes or shares a file
 *   with a package it would newly meet in a view (RP002, RP005), by an opt-out (a package pattern never
 *   hoisted, family-wide or per node) and by isolation (a node whose view must not grow).
 * Choice: greedy, the hoist saving the most bytes first (docs/decisions/0005-hoist-greedy.md).
 */
import type { HoistBlockerInfo } from '../../model/hoist.js';
import { globMatch } from '../../policy/glob.js';

/** What the planner needs to know about the packages of a family (solvable ids). */
export interface HoistPackages {
  name(id: number): string;
  nevra(id: number): string;
  /** Installed size in bytes. */
  size(id: number): number;
  /** Requirements (requires and pre-requires, without `rpmlib(...)`), each with its providers in the pool. */
  requires(id: number): readonly { dep: string; providers: readonly number[] }[];
  /** Packages (of the family) this one conflicts with or obsoletes, or that do so to it, with the relation. */
  conflicts(id: number): readonly { other: number; text: string }[];
  /** Packages (of the family) sharing with this one a path that is neither a directory nor a ghost. */
  sharedFiles(id: number): readonly { other: number; path: string }[];
}

/** A layer of the family tree (parents before children) with its own packages. */
export interface HoistLayer {
  id: string;
  parent: string | undefined;
  packages: readonly number[];
}

/** Who may not take part in hoisting. */
export interface HoistOptOuts {
  /** Globs of package names (or NEVRAs) never hoisted, family-wide. */
  never?: readonly string[];
  /** Per layer: globs of its own packages that are never hoisted out of it. */
  nodeNever?: ReadonlyMap<string, readonly string[]>;
  /** Layers whose view must not grow (isolation): nothing hoisted becomes visible to them. */
  isolated?: ReadonlySet<string>;
}

/** Why a hoist cannot be done (text: one clause, identifiers in backticks). */
export type HoistBlocker = HoistBlockerInfo;

/** A hoist that can be made (or was made). */
export interface HoistMove {
  /** The duplicated package the hoist is for. */
  package: number;
  to: string;
  /**
   * Every package moved to `to` (the package first, then its closure in the order found), with the layers
   * it leaves and the layers it was first held in (they differ when a copy left was itself hoisted there).
   */
  moved: { id: number; from: string[]; origins: string[] }[];
  /** Installed bytes the family saves: each moved package's size times its copies below `to`, minus one. */
  saved: number;
}

/** The evaluation of a candidate hoist: a move, or what blocks it. */
export interface HoistCandidate {
  package: number;
  to: string;
  /** Topmost holders below `to`. */
  holders: string[];
  move?: HoistMove;
  blockers: HoistBlocker[];
  /** What the hoist would save were it not blocked (the package's own copies only when blocked early). */
  saved: number;
}

/** Where a family's tree puts each layer, for constant-time ancestry tests. */
class Tree {
  readonly order: string[] = [];
  readonly parent = new Map<string, string | undefined>();
  readonly #tin = new Map<string, number>();
  readonly #tout = new Map<string, number>();
  readonly depth = new Map<string, number>();
  readonly index = new Map<string, number>();

  constructor(layers: readonly HoistLayer[]) {
    const children = new Map<string, string[]>();
    const roots: string[] = [];
    for (const [i, l] of layers.entries()) {
      this.order.push(l.id);
      this.index.set(l.id, i);
      this.parent.set(l.id, l.parent);
      if (l.parent === undefined) roots.push(l.id);
      else children.set(l.parent, [...(children.get(l.parent) ?? []), l.id]);
    }
    let clock = 0;
    const visit = (id: string, d: number) => {
      this.#tin.set(id, clock++);
      this.depth.set(id, d);
      for (const c of children.get(id) ?? []) visit(c, d + 1);
      this.#tout.set(id, clock++);
    };
    for (const r of roots) visit(r, 0);
  }

  /** `a` is `b` or one of its ancestors. */
  covers(a: string, b: string): boolean {
    return this.#tin.get(a)! <= this.#tin.get(b)! && this.#tout.get(b)! <= this.#tout.get(a)!;
  }

  /** `b` is strictly below `a`. */
  below(a: string, b: string): boolean {
    return a !== b && this.covers(a, b);
  }

  related(a: string, b: string): boolean {
    return this.covers(a, b) || this.covers(b, a);
  }
}

const key = (id: number, to: string) => `${id}@${to}`;
const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
const code = (s: string) => `\`${s}\``;

/**
 * The hoisting state of a family: own packages per layer, who holds what, and the candidate hoists. The
 * planner (`planHoists`) and the exhaustive search of the tests both step through it.
 */
export class HoistState {
  readonly tree: Tree;
  readonly #own = new Map<string, Set<number>>();
  readonly #holders = new Map<number, Set<string>>();
  /** Layers a hoisted copy stands for: (layer, package) → the layers it was first held in. */
  readonly #origins = new Map<string, string[]>();
  readonly #byName = new Map<string, number[]>();
  /** Conflicting pairs (conflicts, obsoletes, shared files) already together in some view at the start. */
  readonly #together = new Set<string>();
  readonly #blocked: ReadonlyMap<string, HoistBlocker>;

  constructor(
    layers: readonly HoistLayer[],
    readonly packages: HoistPackages,
    readonly optOuts: HoistOptOuts = {},
    /** Candidates (package id @ layer) refused from outside (the proof found them wrong), with why. */
    blocked: ReadonlyMap<string, HoistBlocker> = new Map(),
  ) {
    this.tree = new Tree(layers);
    this.#blocked = blocked;
    for (const l of layers) {
      this.#own.set(l.id, new Set(l.packages));
      for (const id of l.packages) this.#hold(l.id, id);
    }
    for (const id of [...this.#holders.keys()].sort((a, b) => a - b)) {
      const n = packages.name(id);
      this.#byName.set(n, [...(this.#byName.get(n) ?? []), id]);
    }
    for (const id of this.#holders.keys()) {
      for (const c of packages.conflicts(id))
        if (this.#together2(id, c.other)) this.#together.add(pairKey(id, c.other));
      for (const f of packages.sharedFiles(id))
        if (this.#together2(id, f.other)) this.#together.add(pairKey(id, f.other));
    }
  }

  /** A copy of the state (for searches). */
  clone(): HoistState {
    const layers = this.tree.order.map((id) => ({
      id,
      parent: this.tree.parent.get(id),
      packages: [...this.#own.get(id)!],
    }));
    const s = new HoistState(layers, this.packages, this.optOuts, this.#blocked);
    s.#together.clear();
    for (const k of this.#together) s.#together.add(k);
    for (const [k, v] of this.#origins) s.#origins.set(k, v);
    return s;
  }

  #hold(layer: string, id: number): void {
    const h = this.#holders.get(id) ?? new Set<string>();
    h.add(layer);
    this.#holders.set(id, h);
  }

  /** Both packages are in the view of some layer. */
  #together2(a: number, b: number): boolean {
    const hb = this.#holders.get(b);
    if (!hb) return false;
    for (const x of this.#holders.get(a) ?? []) for (const y of hb) if (this.tree.related(x, y)) return true;
    return false;
  }

  /** Own packages of a layer. */
  own(layer: string): ReadonlySet<number> {
    return this.#own.get(layer)!;
  }

  holders(id: number): ReadonlySet<string> {
    return this.#holders.get(id) ?? new Set();
  }

  /** The layers a package of `layer` was first held in (itself unless hoisted there). */
  origins(layer: string, id: number): string[] {
    return this.#origins.get(`${layer}\0${id}`) ?? [layer];
  }

  /** `id` is in the view of `layer`. */
  inView(id: number, layer: string): boolean {
    for (const h of this.holders(id)) if (this.tree.covers(h, layer)) return true;
    return false;
  }

  /** Installed bytes of the family: each layer's own packages once. */
  bytes(): number {
    let n = 0;
    for (const set of this.#own.values()) for (const id of set) n += this.packages.size(id);
    return n;
  }

  /** The topmost holders of `id` (no other holder above them). */
  topmost(id: number, under?: string): string[] {
    const hs = [...this.holders(id)].filter((h) => under === undefined || this.tree.below(under, h));
    return hs
      .filter((h) => !hs.some((o) => o !== h && this.tree.below(o, h)))
      .sort((a, b) => this.tree.index.get(a)! - this.tree.index.get(b)!);
  }

  /** Lowest common ancestor of layers. */
  lca(ids: readonly string[]): string {
    let cur = ids[0]!;
    for (const id of ids.slice(1)) while (!this.tree.covers(cur, id)) cur = this.tree.parent.get(cur)!;
    return cur;
  }

  /** Duplicated packages: those with two or more topmost holders none of which sees another. */
  duplicates(): { id: number; holders: string[]; to: string }[] {
    const out: { id: number; holders: string[]; to: string }[] = [];
    for (const id of [...this.#holders.keys()].sort((a, b) => a - b)) {
      const top = this.topmost(id);
      if (top.length < 2) continue;
      out.push({ id, holders: top, to: this.lca(top) });
    }
    return out;
  }

  /** The layers where two or more topmost holders of `id` branch: every possible target of its hoist. */
  targets(id: number): string[] {
    const top = this.topmost(id);
    if (top.length < 2) return [];
    const branches = new Map<string, Set<string>>();
    for (const h of top) {
      let child = h;
      let a = this.tree.parent.get(h);
      while (a !== undefined) {
        const set = branches.get(a) ?? new Set<string>();
        set.add(child);
        branches.set(a, set);
        child = a;
        a = this.tree.parent.get(a);
      }
    }
    return [...branches]
      .filter(([, set]) => set.size >= 2)
      .map(([t]) => t)
      .filter((t) => !this.inView(id, t))
      .sort((a, b) => this.tree.index.get(a)! - this.tree.index.get(b)!);
  }

  #optOut(id: number, layers: Iterable<string>): HoistBlocker | undefined {
    const name = this.packages.name(id);
    const nevra = this.packages.nevra(id);
    const hit = (globs: readonly string[] | undefined) =>
      globs?.find((g) => globMatch(g, name) || globMatch(g, nevra));
    const g = hit(this.optOuts.never);
    if (g !== undefined)
      return {
        kind: 'opt-out',
        text: `${code(nevra)} is never hoisted (${code(g)})`,
        package: nevra,
        pattern: g,
      };
    for (const l of layers) {
      const p = hit(this.optOuts.nodeNever?.get(l));
      if (p !== undefined)
        return {
          kind: 'opt-out',
          text: `${code(l)} keeps ${code(nevra)} (${code(p)})`,
          package: nevra,
          node: l,
          pattern: p,
        };
    }
    return undefined;
  }

  /** Layers strictly below `to` holding `id`. */
  #below(id: number, to: string): string[] {
    return [...this.holders(id)]
      .filter((h) => this.tree.below(to, h))
      .sort((a, b) => this.tree.index.get(a)! - this.tree.index.get(b)!);
  }

  /** The hoist of `id` to `to`: what would move, what it saves, or what blocks it. */
  evaluate(id: number, to: string): HoistCandidate {
    const holders = this.topmost(id, to);
    const nevraOf = (x: number) => this.packages.nevra(x);
    const blockers: HoistBlocker[] = [];
    const outside = this.#blocked.get(key(id, to));
    if (outside) blockers.push(outside);
    const first = this.#optOut(id, this.#below(id, to));
    if (first) blockers.push(first);
    const moved: number[] = [id];
    const inM = new Set<number>([id]);
    const seesFromHolder = (layer: string) => holders.some((h) => this.tree.covers(layer, h));
    for (let i = 0; i < moved.length; i++) {
      const y = moved[i]!;
      for (const req of this.packages.requires(y)) {
        if (req.providers.some((q) => inM.has(q) || this.inView(q, to))) continue;
        // a provider the holders see below `to`: it moves with the package
        const cands = req.providers.filter((q) => this.#below(q, to).some(seesFromHolder));
        if (!cands.length) {
          blockers.push({
            kind: 'missing-provider',
            text: `${code(nevraOf(y))} requires ${code(req.dep)}, which nothing in the view of ${code(to)} provides`,
            package: nevraOf(y),
            node: to,
            dependency: req.dep,
          });
          continue;
        }
        const free = cands.filter((q) => !this.#optOut(q, this.#below(q, to)));
        if (!free.length) {
          const why = this.#optOut(cands[0]!, this.#below(cands[0]!, to))!;
          blockers.push({
            kind: 'missing-provider',
            text: `${code(nevraOf(y))} requires ${code(req.dep)}, which nothing in the view of ${code(to)} provides, and its provider cannot move: ${why.text}`,
            package: nevraOf(y),
            node: to,
            dependency: req.dep,
            ...(why.pattern !== undefined && { pattern: why.pattern }),
          });
          continue;
        }
        const copies = (q: number) => this.#below(q, to).length;
        // of several providers, those that can move without a blocker of their own come first
        const clean =
          free.length > 1
            ? free.filter((q) => {
                const own: HoistBlocker[] = [];
                this.#check(q, to, new Set([...inM, q]), own);
                return !own.length;
              })
            : free;
        const pick = [...(clean.length ? clean : free)].sort(
          (a, b) =>
            copies(b) - copies(a) ||
            this.packages.size(b) - this.packages.size(a) ||
            (nevraOf(a) < nevraOf(b) ? -1 : nevraOf(a) > nevraOf(b) ? 1 : a - b),
        )[0]!;
        inM.add(pick);
        moved.push(pick);
      }
    }
    let saved = 0;
    const moves = moved.map((m) => {
      const from = this.#below(m, to);
      saved += this.packages.size(m) * (from.length - 1);
      const origins = [...new Set(from.flatMap((l) => this.origins(l, m)))].sort(
        (a, b) => this.tree.index.get(a)! - this.tree.index.get(b)!,
      );
      return { id: m, from, origins };
    });
    for (const m of moved) this.#check(m, to, inM, blockers);
    const candidate: HoistCandidate = { package: id, to, holders, blockers, saved };
    if (!blockers.length && saved > 0) candidate.move = { package: id, to, moved: moves, saved };
    return candidate;
  }

  /** The RP003, RP002 and RP005 and isolation checks of one moved package. */
  #check(m: number, to: string, inM: ReadonlySet<number>, blockers: HoistBlocker[]): void {
    const nevra = this.packages.nevra(m);
    for (const other of this.#byName.get(this.packages.name(m)) ?? []) {
      if (other === m) continue;
      const at = [...this.holders(other)].find((h) => this.tree.covers(h, to) || this.tree.below(to, h));
      if (at === undefined) continue;
      const o = this.packages.nevra(other);
      blockers.push({
        kind: 'same-name',
        text: `${code(nevra)} would meet ${code(o)} of ${code(at)} in one view (the same name, RP003)`,
        package: nevra,
        node: at,
      });
    }
    const meets = (other: number): string | undefined => {
      if (this.#together.has(pairKey(m, other))) return undefined;
      if (inM.has(other)) return to;
      const at = [...this.holders(other)].find((h) => this.tree.covers(h, to));
      if (at !== undefined) return at;
      // a holder below `to` whose view did not see `m` before
      for (const h of this.#below(other, to)) {
        let seen = false;
        for (let a: string | undefined = h; a !== undefined && a !== to; a = this.tree.parent.get(a))
          if (this.own(a).has(m)) seen = true;
        if (!seen) return h;
      }
      return undefined;
    };
    for (const c of this.packages.conflicts(m)) {
      const at = meets(c.other);
      if (at === undefined) continue;
      blockers.push({
        kind: 'conflict',
        text: `${code(nevra)} would meet ${code(this.packages.nevra(c.other))} of ${code(at)}: ${c.text}`,
        package: nevra,
        node: at,
      });
    }
    for (const f of this.packages.sharedFiles(m)) {
      const at = meets(f.other);
      if (at === undefined) continue;
      blockers.push({
        kind: 'file-conflict',
        text: `${code(nevra)} and ${code(this.packages.nevra(f.other))} of ${code(at)} both ship ${code(f.path)}`,
        package: nevra,
        node: at,
        dependency: f.path,
      });
    }
    for (const n of this.optOuts.isolated ?? []) {
      if (!this.tree.index.has(n) || !this.tree.covers(to, n) || this.inView(m, n)) continue;
      blockers.push({
        kind: 'isolation',
        text: `${code(n)} does not receive hoisted packages: ${code(nevra)} would enter its view`,
        package: nevra,
        node: n,
      });
    }
  }

  /** Makes a move (as evaluated on this state). */
  apply(move: HoistMove): void {
    for (const { id, from, origins } of move.moved) {
      for (const l of from) {
        this.#own.get(l)!.delete(id);
        this.#holders.get(id)!.delete(l);
        this.#origins.delete(`${l}\0${id}`);
      }
      this.#own.get(move.to)!.add(id);
      this.#hold(move.to, id);
      this.#origins.set(`${move.to}\0${id}`, origins);
    }
  }

  /** Every candidate hoist of the current state, evaluated. */
  candidates(): HoistCandidate[] {
    const out: HoistCandidate[] = [];
    for (const id of [...this.#holders.keys()].sort((a, b) => a - b))
      for (const t of this.targets(id)) out.push(this.evaluate(id, t));
    return out;
  }

  /** The own packages of every layer, in tree order. */
  layers(): HoistLayer[] {
    return this.tree.order.map((id) => ({
      id,
      parent: this.tree.parent.get(id),
      packages: [...this.#own.get(id)!].sort((a, b) => a - b),
    }));
  }
}

/** What hoisting a family comes to. */
export interface HoistPlan {
  /** The moves, in the order made. */
  moves: HoistMove[];
  /** The family after them. */
  layers: HoistLayer[];
  /** Per layer and package, the layers a hoisted package comes from (only hoisted ones). */
  origins: Map<string, Map<number, string[]>>;
  /** Duplicates left, each with the evaluation of its hoist to the lowest common ancestor of its holders. */
  left: HoistCandidate[];
  bytesBefore: number;
  bytesAfter: number;
}

/** Better first: more bytes saved, then the package's NEVRA, then the target in tree order. */
function better(state: HoistState, a: HoistCandidate, b: HoistCandidate): number {
  const na = state.packages.nevra(a.package);
  const nb = state.packages.nevra(b.package);
  return (
    (b.move?.saved ?? 0) - (a.move?.saved ?? 0) ||
    (na < nb ? -1 : na > nb ? 1 : a.package - b.package) ||
    state.tree.index.get(a.to)! - state.tree.index.get(b.to)!
  );
}

/**
 * The greedy plan: while some hoist can be made, the one saving the most bytes. Candidates are evaluated
 * again only when a move touched their part of the tree (the target, its ancestors or descendants).
 */
export function planHoists(
  layers: readonly HoistLayer[],
  packages: HoistPackages,
  optOuts: HoistOptOuts = {},
  blocked: ReadonlyMap<string, HoistBlocker> = new Map(),
): HoistPlan {
  const state = new HoistState(layers, packages, optOuts, blocked);
  const bytesBefore = state.bytes();
  const cands = new Map<string, HoistCandidate>();
  const ofPackage = new Map<number, string[]>();
  const refresh = (id: number) => {
    for (const k of ofPackage.get(id) ?? []) cands.delete(k);
    const keys: string[] = [];
    for (const t of state.targets(id)) {
      keys.push(key(id, t));
      cands.set(key(id, t), state.evaluate(id, t));
    }
    ofPackage.set(id, keys);
  };
  for (const id of [...new Set(layers.flatMap((l) => l.packages))].sort((a, b) => a - b)) refresh(id);
  const moves: HoistMove[] = [];
  for (;;) {
    let best: HoistCandidate | undefined;
    for (const c of cands.values()) if (c.move && (!best || better(state, c, best) < 0)) best = c;
    if (!best?.move) break;
    const move = best.move;
    state.apply(move);
    moves.push(move);
    const touched = new Set(move.moved.map((m) => m.id));
    for (const id of touched) refresh(id);
    for (const [k, c] of cands) {
      if (touched.has(c.package) || !state.tree.related(c.to, move.to)) continue;
      cands.set(k, state.evaluate(c.package, c.to));
    }
  }
  const origins = new Map<string, Map<number, string[]>>();
  for (const m of moves) {
    for (const { id } of m.moved) {
      if (!state.own(m.to).has(id)) continue;
      const per = origins.get(m.to) ?? new Map<number, string[]>();
      per.set(id, state.origins(m.to, id));
      origins.set(m.to, per);
    }
  }
  const left = state.duplicates().map((d) => state.evaluate(d.id, d.to));
  return { moves, layers: state.layers(), origins, left, bytesBefore, bytesAfter: state.bytes() };
}

export { key as candidateKey };
