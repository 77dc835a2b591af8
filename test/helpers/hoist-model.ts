import type { HoistLayer, HoistPackages, HoistState } from '../../src/engine/hoist/plan.js';

/*
 * A tiny package model for the hoist planner's tests: packages by name (one version unless `ver`), each
 * with an installed size, requirements on names or capabilities, conflicts and shipped paths.
 */

export interface ModelPkg {
  name: string;
  ver?: string;
  size?: number;
  requires?: string[];
  provides?: string[];
  conflicts?: string[];
  files?: string[];
}

export interface Model {
  packages: HoistPackages;
  /** Solvable-like id of a package, by `name` or `name-ver`. */
  id(name: string): number;
}

export function model(pkgs: readonly ModelPkg[]): Model {
  const ids = new Map<string, number>();
  pkgs.forEach((p, i) => {
    ids.set(`${p.name}-${p.ver ?? '1'}`, i + 2);
    if (!ids.has(p.name)) ids.set(p.name, i + 2);
  });
  const at = (id: number) => pkgs[id - 2]!;
  const all = pkgs.map((_, i) => i + 2);
  const provides = (id: number, dep: string) => at(id).name === dep || (at(id).provides ?? []).includes(dep);
  const providers = (dep: string) => all.filter((id) => provides(id, dep));
  const conflicts = new Map<number, { other: number; text: string }[]>();
  for (const id of all) {
    for (const dep of at(id).conflicts ?? []) {
      for (const o of providers(dep)) {
        if (o === id) continue;
        const text = `\`${nevra(at(id))}\` conflicts with \`${dep}\``;
        conflicts.set(id, [...(conflicts.get(id) ?? []), { other: o, text }]);
        conflicts.set(o, [...(conflicts.get(o) ?? []), { other: id, text }]);
      }
    }
  }
  return {
    id: (name) => {
      const id = ids.get(name);
      if (id === undefined) throw new Error(`no package ${name}`);
      return id;
    },
    packages: {
      name: (id) => at(id).name,
      nevra: (id) => nevra(at(id)),
      size: (id) => at(id).size ?? 100,
      requires: (id) => (at(id).requires ?? []).map((dep) => ({ dep, providers: providers(dep) })),
      conflicts: (id) => conflicts.get(id) ?? [],
      sharedFiles: (id) =>
        all.flatMap((o) => {
          if (o === id) return [];
          const path = (at(id).files ?? []).find((f) => (at(o).files ?? []).includes(f));
          return path === undefined ? [] : [{ other: o, path }];
        }),
    },
  };
}

export const nevra = (p: ModelPkg) => `${p.name}-${p.ver ?? '1'}-1.x86_64`;

/** Layers from `{alias: [parent, [packages]]}`, parents first as written; the host has parent ''. */
export function layers(m: Model, tree: Record<string, [string, string[]]>): HoistLayer[] {
  return Object.entries(tree).map(([id, [parent, names]]) => ({
    id,
    parent: parent === '' ? undefined : parent,
    packages: names.map((n) => m.id(n)),
  }));
}

/** The smallest family bytes any sequence of valid hoists reaches, by exhaustive search (small families only). */
export function exhaustiveBest(start: HoistState): number {
  const memo = new Map<string, number>();
  const visit = (s: HoistState): number => {
    const k = JSON.stringify(s.layers().map((l) => l.packages));
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    let best = s.bytes();
    for (const c of s.candidates()) {
      if (!c.move) continue;
      const next = s.clone();
      next.apply(c.move);
      best = Math.min(best, visit(next));
    }
    memo.set(k, best);
    return best;
  };
  return visit(start);
}
