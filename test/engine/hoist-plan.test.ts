import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HoistState, planHoists } from '../../src/engine/hoist/plan.js';
import { exhaustiveBest, layers, type ModelPkg, model } from '../helpers/hoist-model.js';

/*
 * The hoist planner on a small package model: what moves (the package and the part of its closure the
 * ancestor lacks), where (the lowest common ancestor), what it saves, and every kind of blocker.
 */

const base: ModelPkg[] = [
  { name: 'glibc', size: 1000 },
  { name: 'x', size: 300, requires: ['libx.so', 'glibc'] },
  { name: 'libx', size: 200, provides: ['libx.so'], requires: ['glibc'] },
  { name: 'y', size: 50, requires: ['glibc'] },
];

const moved = (plan: ReturnType<typeof planHoists>, nevraOf: (id: number) => string) =>
  plan.moves.map((m) => ({
    package: nevraOf(m.package),
    to: m.to,
    moved: m.moved.map((x) => `${nevraOf(x.id)} from ${x.from.join(',')}`),
    saved: m.saved,
  }));

describe('hoist planner', () => {
  it('moves a duplicate to the lowest common ancestor with the closure that ancestor lacks', () => {
    const m = model(base);
    const plan = planHoists(
      layers(m, {
        host: ['', ['glibc']],
        p: ['host', []],
        a: ['p', ['x', 'libx']],
        b: ['p', ['x', 'libx', 'y']],
      }),
      m.packages,
    );
    expect(moved(plan, m.packages.nevra)).toEqual([
      {
        package: 'x-1-1.x86_64',
        to: 'p',
        moved: ['x-1-1.x86_64 from a,b', 'libx-1-1.x86_64 from a,b'],
        saved: 500,
      },
    ]);
    expect(plan.layers.map((l) => [l.id, l.packages.map(m.packages.name)])).toEqual([
      ['host', ['glibc']],
      ['p', ['x', 'libx']],
      ['a', []],
      ['b', ['y']],
    ]);
    expect(plan.bytesBefore - plan.bytesAfter).toBe(500);
    expect(plan.left).toEqual([]);
    expect(plan.origins.get('p')?.get(m.id('x'))).toEqual(['a', 'b']);
  });

  it('hoisting twice is hoisting once, and a plan is never bigger', () => {
    const m = model(base);
    const first = planHoists(
      layers(m, { host: ['', []], a: ['host', ['glibc', 'x', 'libx']], b: ['host', ['glibc', 'x', 'libx']] }),
      m.packages,
    );
    expect(first.moves.map((x) => x.to)).toEqual(['host']);
    const again = planHoists(first.layers, m.packages);
    expect(again.moves).toEqual([]);
    expect(again.layers).toEqual(first.layers);
  });

  it('hoists from nested holders at once, the origins kept across two hoists', () => {
    const m = model(base);
    const state = new HoistState(
      layers(m, {
        host: ['', ['glibc']],
        a: ['host', []],
        a1: ['a', ['y']],
        a2: ['a', ['y']],
        b: ['host', ['y']],
      }),
      m.packages,
    );
    const low = state.evaluate(m.id('y'), 'a');
    state.apply(low.move!);
    const high = state.evaluate(m.id('y'), 'host');
    expect(high.move?.moved[0]?.from).toEqual(['a', 'b']);
    expect(high.move?.moved[0]?.origins).toEqual(['a1', 'a2', 'b']);
    // the greedy plan goes straight to the host: it saves the most
    const plan = planHoists(
      layers(m, {
        host: ['', ['glibc']],
        a: ['host', []],
        a1: ['a', ['y']],
        a2: ['a', ['y']],
        b: ['host', ['y']],
      }),
      m.packages,
    );
    expect(plan.moves.map((x) => [x.to, x.moved[0]!.from, x.saved])).toEqual([
      ['host', ['a1', 'a2', 'b'], 100],
    ]);
  });

  describe('blockers', () => {
    const blockersOf = (pkgs: ModelPkg[], tree: Record<string, [string, string[]]>, opts = {}) => {
      const m = model(pkgs);
      const plan = planHoists(layers(m, tree), m.packages, opts);
      return {
        plan,
        left: plan.left.map((l) => [m.packages.nevra(l.package), l.blockers.map((b) => b.kind)]),
      };
    };
    const siblings: Record<string, [string, string[]]> = {
      host: ['', ['glibc']],
      p: ['host', []],
      a: ['p', ['x', 'libx']],
      b: ['p', ['x', 'libx']],
    };

    it('a requirement without a provider that can move: the provider is never hoisted', () => {
      const { plan, left } = blockersOf(base, siblings, { never: ['libx'] });
      expect(plan.moves).toEqual([]);
      expect(left).toEqual([
        ['x-1-1.x86_64', ['missing-provider']],
        ['libx-1-1.x86_64', ['opt-out']],
      ]);
      expect(plan.left[0]!.blockers[0]).toMatchObject({ dependency: 'libx.so', pattern: 'libx', node: 'p' });
    });

    it('a requirement nothing in the family provides', () => {
      const pkgs = [...base, { name: 'z', requires: ['nothing.so'] }];
      const { left } = blockersOf(pkgs, { host: ['', []], a: ['host', ['z']], b: ['host', ['z']] });
      expect(left).toEqual([['z-1-1.x86_64', ['missing-provider']]]);
    });

    it('another version of the name in a view below the ancestor (RP003)', () => {
      const pkgs = [...base, { name: 'y', ver: '2', size: 50 }];
      const { plan, left } = blockersOf(pkgs, {
        host: ['', ['glibc']],
        a: ['host', ['y']],
        b: ['host', ['y']],
        c: ['host', ['y-2']],
      });
      expect(plan.moves).toEqual([]);
      expect(left[0]).toEqual(['y-1-1.x86_64', ['same-name']]);
      expect(plan.left[0]!.blockers[0]!.node).toBe('c');
    });

    it('a conflict with a package the hoisted one would newly meet (RP002)', () => {
      const pkgs = [...base, { name: 'q', conflicts: ['y'] }];
      const tree: Record<string, [string, string[]]> = {
        host: ['', ['glibc']],
        a: ['host', ['y']],
        b: ['host', ['y']],
        c: ['host', ['q']],
      };
      const { plan, left } = blockersOf(pkgs, tree);
      expect(left).toEqual([['y-1-1.x86_64', ['conflict']]]);
      expect(plan.left[0]!.blockers[0]!.text).toBe(
        '`y-1-1.x86_64` would meet `q-1-1.x86_64` of `c`: `q-1-1.x86_64` conflicts with `y`',
      );
    });

    it('a conflict already in every view stays a conflict, it is not new', () => {
      const pkgs = [...base, { name: 'q', conflicts: ['y'] }];
      const { plan } = blockersOf(pkgs, {
        host: ['', ['glibc', 'q']],
        a: ['host', ['y']],
        b: ['host', ['y']],
      });
      expect(plan.moves.map((m) => m.to)).toEqual(['host']);
    });

    it('a path shipped by a package it would newly meet (RP005)', () => {
      const pkgs = [
        ...base,
        { name: 't', files: ['/usr/bin/tool'] },
        { name: 'u', files: ['/usr/bin/tool'] },
      ];
      const { left } = blockersOf(pkgs, {
        host: ['', []],
        a: ['host', ['t']],
        b: ['host', ['t']],
        c: ['host', ['u']],
      });
      expect(left).toEqual([['t-1-1.x86_64', ['file-conflict']]]);
    });

    it('opt-outs: a family-wide pattern, a pattern of one holder', () => {
      expect(blockersOf(base, siblings, { never: ['x*'] }).left[0]).toEqual(['x-1-1.x86_64', ['opt-out']]);
      const perNode = blockersOf(base, siblings, { nodeNever: new Map([['b', ['x']]]) });
      expect(perNode.left).toEqual([['x-1-1.x86_64', ['opt-out']]]);
      expect(perNode.plan.left[0]!.blockers[0]).toMatchObject({ node: 'b', pattern: 'x' });
      // libx alone still moves: it is not opted out
      expect(perNode.plan.moves.map((m) => m.package)).toEqual([model(base).id('libx')]);
    });

    it('isolation: a node below the ancestor whose view would grow', () => {
      const tree: Record<string, [string, string[]]> = { ...siblings, c: ['p', []] };
      expect(blockersOf(base, tree, { isolated: new Set(['c']) }).left[0]).toEqual([
        'x-1-1.x86_64',
        ['isolation', 'isolation'],
      ]);
      // a holder may be isolated: its view does not grow
      expect(blockersOf(base, tree, { isolated: new Set(['a']) }).plan.moves).toHaveLength(1);
      // the ancestor itself may not receive
      expect(blockersOf(base, tree, { isolated: new Set(['p']) }).plan.moves).toEqual([]);
      // an isolated node elsewhere in the family is not concerned
      const other = { ...tree, d: ['host', []] as [string, string[]] };
      expect(blockersOf(base, other, { isolated: new Set(['d']) }).plan.moves).toHaveLength(1);
    });

    it('of two providers of a requirement, the one that can move', () => {
      const pkgs: ModelPkg[] = [
        { name: 'x', size: 300, requires: ['cap'] },
        { name: 'p1', size: 10, provides: ['cap'] },
        { name: 'p2', size: 10, provides: ['cap'] },
        { name: 'q', conflicts: ['p1'] },
      ];
      const m = model(pkgs);
      // p1 has the most copies below the host, but would meet q in c: p2 moves with x
      const plan = planHoists(
        layers(m, {
          host: ['', []],
          a: ['host', ['x', 'p1', 'p2']],
          b: ['host', ['x', 'p1']],
          c: ['host', ['q']],
        }),
        m.packages,
      );
      expect(plan.moves.map((x) => x.moved.map((y) => m.packages.name(y.id)))).toEqual([['x', 'p2']]);
      expect(plan.left.map((l) => [m.packages.name(l.package), l.blockers.map((b) => b.kind)])).toEqual([
        ['p1', ['conflict']],
      ]);
    });

    it('a lower ancestor when the higher one is blocked, the rest reported left', () => {
      const m = model(base);
      const plan = planHoists(
        layers(m, {
          host: ['', ['glibc']],
          a: ['host', []],
          a1: ['a', ['y']],
          a2: ['a', ['y']],
          b: ['host', ['y']],
          c: ['host', []],
        }),
        m.packages,
        { isolated: new Set(['c']) },
      );
      expect(plan.moves.map((x) => [x.to, x.moved[0]!.from])).toEqual([['a', ['a1', 'a2']]]);
      expect(plan.left.map((l) => [l.holders, l.to, l.blockers.map((b) => b.kind)])).toEqual([
        [['a', 'b'], 'host', ['isolation']],
      ]);
    });
  });
});

/*
 * Greedy against an exhaustive search over every sequence of hoists, on generated families: a tree of
 * up to 5 layers, up to 7 packages with random sizes, requirements and conflicts, each layer holding
 * the closure of a few requested packages in its view (as the resolver leaves it).
 */
const familyArb = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 3, maxLength: 7 }),
    parents: fc.array(fc.nat(), { minLength: 2, maxLength: 4 }),
  })
  .chain(({ sizes, parents }) => {
    const n = sizes.length;
    return fc.record({
      sizes: fc.constant(sizes),
      parents: fc.constant(parents),
      requires: fc.tuple(
        ...sizes.map((_, i) =>
          fc.uniqueArray(
            fc.oneof(
              fc
                .integer({ min: 0, max: n - 1 })
                .filter((j) => j !== i)
                .map((j) => `p${j}`),
              fc.constantFrom('cap0', 'cap1'),
            ),
            { maxLength: 2 },
          ),
        ),
      ),
      provides: fc.tuple(
        ...sizes.map(() => fc.uniqueArray(fc.constantFrom('cap0', 'cap1'), { maxLength: 1 })),
      ),
      isolated: fc.option(fc.integer({ min: 1, max: parents.length }), { freq: 3 }),
      // which provider of a capability each layer's resolution takes
      pick: fc.nat(),
      conflicts: fc.tuple(
        ...sizes.map(() => fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 1 })),
      ),
      asks: fc.tuple(
        fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 1 }),
        ...parents.map(() =>
          fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 3 }),
        ),
      ),
    });
  });

interface Gen {
  sizes: number[];
  parents: number[];
  requires: string[][];
  provides: string[][];
  isolated: number | null;
  pick: number;
  conflicts: number[][];
  asks: number[][];
}

function build(g: Gen) {
  const pkgs: ModelPkg[] = g.sizes.map((size, i) => ({
    name: `p${i}`,
    size,
    requires: g.requires[i]!,
    provides: g.provides[i]!,
    conflicts: g.conflicts[i]!.filter((j) => j !== i).map((j) => `p${j}`),
  }));
  const m = model(pkgs);
  const ids = ['host', ...g.parents.map((_, i) => `n${i}`)];
  const parentOf = (i: number) => (i === 0 ? undefined : ids[g.parents[i - 1]! % i]!);
  const own = new Map<string, Set<number>>();
  for (const [i, id] of ids.entries()) {
    const view = new Set<number>();
    for (let a = parentOf(i); a !== undefined; a = parentOf(ids.indexOf(a)))
      for (const x of own.get(a)!) view.add(x);
    const mine = new Set<number>();
    const queue = g.asks[i]!.map((j) => m.id(`p${j}`));
    while (queue.length) {
      const x = queue.pop()!;
      if (view.has(x) || mine.has(x)) continue;
      mine.add(x);
      for (const r of m.packages.requires(x)) {
        if (!r.providers.length || r.providers.some((q) => view.has(q) || mine.has(q))) continue;
        queue.push(r.providers[(g.pick + i) % r.providers.length]!);
      }
    }
    own.set(id, mine);
  }
  const ls = ids.map((id, i) => ({ id, parent: parentOf(i), packages: [...own.get(id)!] }));
  const optOuts = g.isolated === null ? {} : { isolated: new Set([ids[g.isolated]!]) };
  return { m, ls, optOuts };
}

describe('greedy against the exhaustive search', () => {
  it('reaches the best family bytes the exhaustive search finds (the bound of docs/decisions/0005-hoist-greedy.md: no gap)', () => {
    let cases = 0;
    let optimal = 0;
    let worst = 0;
    let withDuplicates = 0;
    fc.assert(
      fc.property(familyArb, (g) => {
        const { m, ls, optOuts } = build(g as Gen);
        const plan = planHoists(ls, m.packages, optOuts);
        const best = exhaustiveBest(new HoistState(ls, m.packages, optOuts));
        cases++;
        if (plan.bytesBefore > best) withDuplicates++;
        // never bigger, never better than the best
        expect(plan.bytesAfter).toBeLessThanOrEqual(plan.bytesBefore);
        expect(plan.bytesAfter).toBeGreaterThanOrEqual(best);
        if (plan.bytesAfter === best) optimal++;
        // the gap, as a share of what the best choice saves (docs/decisions/0005-hoist-greedy.md)
        const possible = plan.bytesBefore - best;
        const gap = possible === 0 ? 0 : (plan.bytesAfter - best) / possible;
        worst = Math.max(worst, gap);
        expect(gap).toBe(0);
      }),
      { numRuns: Number(process.env.HOIST_RUNS ?? 400), seed: Number(process.env.HOIST_SEED ?? 20261202) },
    );
    console.log(
      `hoist greedy vs exhaustive: ${cases} families, ${withDuplicates} with something to save, greedy optimal on ${optimal}, worst gap ${(worst * 100).toFixed(1)}% of the best saving`,
    );
    expect(withDuplicates).toBeGreaterThan(50);
  });
});
