import { describe, expect, it } from 'vitest';
import type { Layer } from '../../src/engine/family.js';
import { hoistProven } from '../../src/engine/hoist/hoist.js';
import type { Finding } from '../../src/model/finding.js';
import { model } from '../helpers/hoist-model.js';

/*
 * The proof after planning: a finding of the family check on a moved package that the planner did not
 * foresee blocks the hoists that moved it (blocker `proof`), and the plan is made again; a finding the
 * family already had is not the planner's.
 */

const m = model([
  { name: 'glibc', size: 1000 },
  { name: 'x', size: 300, requires: ['glibc'] },
  { name: 'y', size: 50, requires: ['glibc'] },
]);
const nevra = m.packages.nevra;
const layers: Layer[] = [
  { id: 'host', kind: 'host', parent: undefined, packages: [{ id: m.id('glibc') }] },
  { id: 'a', kind: 'node', parent: 'host', packages: [{ id: m.id('x') }, { id: m.id('y') }] },
  { id: 'b', kind: 'node', parent: 'host', packages: [{ id: m.id('x') }, { id: m.id('y') }] },
];
const finding = (rule: string, pkg: string, node: string, other?: string): Finding => ({
  rule,
  slug: 'test',
  level: 'error',
  node,
  package: pkg,
  ...(other && { other }),
  message: `${rule} on \`${pkg}\``,
  evidence: [],
  fingerprint: rule,
});
const own = (ls: Layer[]) =>
  Object.fromEntries(ls.map((l) => [l.id, l.packages.map((p) => m.packages.name(p.id))]));

describe('hoisting, proven', () => {
  it('a finding on a moved package blocks that hoist; the others are made, proven again', () => {
    const proofs: Record<string, string[]>[] = [];
    const out = hoistProven(
      layers,
      m.packages,
      (ls) => {
        proofs.push(own(ls));
        const host = ls.find((l) => l.id === 'host')!;
        // the family check finds x wrong wherever it is hoisted to the host
        return host.packages.some((p) => p.id === m.id('x'))
          ? [finding('RP007', nevra(m.id('x')), 'host')]
          : [];
      },
      { mode: 'applied', optOuts: {} },
    );
    expect(proofs).toEqual([
      { host: ['glibc', 'x', 'y'], a: [], b: [] },
      { host: ['glibc', 'y'], a: ['x'], b: ['x'] },
    ]);
    expect(own(out.layers)).toEqual({ host: ['glibc', 'y'], a: ['x'], b: ['x'] });
    expect(out.findings).toEqual([]);
    expect(out.report.hoists.map((h) => h.package)).toEqual([nevra(m.id('y'))]);
    expect(out.report.left).toEqual([
      {
        package: nevra(m.id('x')),
        nodes: ['a', 'b'],
        ancestor: 'host',
        savedBytes: 300,
        blockers: [
          {
            kind: 'proof',
            text: 'the family check of the hoisted family found RP007 in `host`: RP007 on `x-1-1.x86_64`',
            package: nevra(m.id('x')),
            node: 'host',
          },
        ],
      },
    ]);
  });

  it('a conflict both packages already had in a view is not the planner’s: the hoist stands', () => {
    let rounds = 0;
    const out = hoistProven(
      layers,
      m.packages,
      (ls) => {
        rounds++;
        return ls[0]!.packages.length > 1
          ? [finding('RP005', nevra(m.id('x')), 'host', nevra(m.id('y')))]
          : [];
      },
      { mode: 'applied', optOuts: {} },
    );
    expect(rounds).toBe(1);
    expect(out.report.hoists).toHaveLength(2);
    expect(out.findings?.map((f) => f.rule)).toEqual(['RP005']);
  });

  it('when the proof finds every moved package wrong, nothing is hoisted and every duplicate says why', () => {
    const out = hoistProven(
      layers,
      m.packages,
      (ls) =>
        ls.flatMap((l) =>
          l.packages.filter(() => l.id === 'host').map((p) => finding('RP001', nevra(p.id), 'host')),
        ),
      { mode: 'applied', optOuts: {} },
    );
    expect(own(out.layers)).toEqual(own(layers));
    expect(out.findings).toBeUndefined();
    expect(out.report.hoists).toEqual([]);
    expect(
      out.report.left.map((l) => [
        m.packages.name(m.id(l.package.split('-')[0]!)),
        l.blockers.map((b) => b.kind),
      ]),
    ).toEqual([
      ['x', ['proof']],
      ['y', ['proof']],
    ]);
  });

  it('after 4 proofs that each find one more problem, hoisting is given up', () => {
    const five = model(['p0', 'p1', 'p2', 'p3', 'p4'].map((name, i) => ({ name, size: 100 - i })));
    const ls: Layer[] = [
      { id: 'host', kind: 'host', parent: undefined, packages: [] },
      ...['a', 'b'].map((id) => ({
        id,
        kind: 'node' as const,
        parent: 'host',
        packages: ['p0', 'p1', 'p2', 'p3', 'p4'].map((n) => ({ id: five.id(n) })),
      })),
    ];
    let rounds = 0;
    const out = hoistProven(
      ls,
      five.packages,
      (hoisted) => {
        rounds++;
        // one problem a round, on the largest package hoisted
        const first = hoisted[0]!.packages.map((p) => p.id).sort((x, y) => x - y)[0];
        return first === undefined ? [] : [finding('RP002', five.packages.nevra(first), 'host')];
      },
      { mode: 'applied', optOuts: {} },
    );
    expect(rounds).toBe(4);
    expect(out.layers).toEqual(ls);
    expect(out.report.hoists).toEqual([]);
    expect(out.report.left).toHaveLength(5);
    for (const l of out.report.left)
      expect(l.blockers.at(-1)?.text).toMatch(/^hoisting was given up after 4 proofs/);
  });
});
