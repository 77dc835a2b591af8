import { describe, expect, it } from 'vitest';
import type { PackageRef, Subject } from '../../src/model/finding.js';
import { familyFootprint } from '../../src/model/footprint.js';
import { familyResult, reordered, repoCheckResult, shuffled } from '../reporters/fixtures.js';

const pkg = (nevra: string, installSize?: number): PackageRef => ({
  nevra,
  repo: 'r',
  ...(installSize !== undefined && { installSize }),
});

const layer = (id: string, parent: string | undefined, packages: PackageRef[]): Subject => ({
  id,
  kind: id === 'host' ? 'host' : 'node',
  ...(parent !== undefined && { parent }),
  packages,
  checked: [],
});

/**
 * The footprint the slow, obvious way: a view is the set of NEVRAs on the path to the root. Written apart
 * from src/model/footprint.ts (no preorder intervals, no holder lists) so that the two can disagree.
 */
function naive(subjects: Subject[]) {
  const byId = new Map(subjects.map((s) => [s.id, s]));
  const sizeOf = new Map<string, number | undefined>();
  const ownOf = (s: Subject) => {
    const m = new Map<string, number | undefined>();
    for (const p of s.packages) if (m.get(p.nevra) === undefined) m.set(p.nevra, p.installSize);
    return m;
  };
  let familyBytes = 0;
  let standaloneBytes = 0;
  let unknown = 0;
  const perLayer: Record<string, [number, number, number, number, number, number]> = {};
  for (const s of subjects) {
    const own = ownOf(s);
    const ownBytes = [...own.values()].reduce<number>((n, v) => n + (v ?? 0), 0);
    const ownUnknown = [...own.values()].filter((v) => v === undefined).length;
    familyBytes += ownBytes;
    unknown += ownUnknown;
    const view = new Map<string, number | undefined>();
    for (let at: Subject | undefined = s; at; at = at.parent ? byId.get(at.parent) : undefined) {
      for (const [n, v] of ownOf(at)) if (view.get(n) === undefined) view.set(n, v);
    }
    for (const [n, v] of view) sizeOf.set(n, v);
    const viewBytes = [...view.values()].reduce<number>((n, v) => n + (v ?? 0), 0);
    const viewUnknown = [...view.values()].filter((v) => v === undefined).length;
    if (s.kind === 'node') standaloneBytes += viewBytes;
    perLayer[s.id] = [ownBytes, own.size, ownUnknown, viewBytes, view.size, viewUnknown];
  }
  return { familyBytes, standaloneBytes, unknown, perLayer };
}

describe('familyFootprint', () => {
  it('counts each layer once for the family and each node its whole view, sizes unknown apart', () => {
    // host(a, b) > platform(c, d?) > {nav(e, c, f), media(e, g)}: nav repeats platform's c (RP003),
    // nav and media both hold e (RP004), d has no installed size
    const fp = familyFootprint([
      layer('media', 'platform', [pkg('e-1-1.x', 50), pkg('g-1-1.x', 7)]),
      layer('host', undefined, [pkg('a-1-1.x', 100), pkg('b-1-1.x', 200)]),
      layer('nav', 'platform', [pkg('e-1-1.x', 50), pkg('c-1-1.x', 1000), pkg('f-1-1.x', 400)]),
      layer('platform', 'host', [pkg('c-1-1.x', 1000), pkg('d-1-1.x')]),
    ])!;
    expect(fp).toEqual({
      familyBytes: 300 + 1000 + 1450 + 57,
      // platform 1300, nav 1300 + 50 + 400 (its c is platform's), media 1300 + 57
      standaloneBytes: 1300 + 1750 + 1357,
      savedBytes: 4407 - 2807,
      sharingRatio: 1.57,
      containers: 3,
      packages: 9,
      unknownSizePackages: 1,
      layers: [
        {
          id: 'host',
          kind: 'host',
          ownBytes: 300,
          ownPackages: 2,
          ownUnknown: 0,
          viewBytes: 300,
          viewPackages: 2,
          viewUnknown: 0,
        },
        {
          id: 'platform',
          kind: 'node',
          parent: 'host',
          ownBytes: 1000,
          ownPackages: 2,
          ownUnknown: 1,
          viewBytes: 1300,
          viewPackages: 4,
          viewUnknown: 1,
        },
        {
          id: 'media',
          kind: 'node',
          parent: 'platform',
          ownBytes: 57,
          ownPackages: 2,
          ownUnknown: 0,
          viewBytes: 1357,
          viewPackages: 6,
          viewUnknown: 1,
        },
        {
          id: 'nav',
          kind: 'node',
          parent: 'platform',
          ownBytes: 1450,
          ownPackages: 3,
          ownUnknown: 0,
          viewBytes: 1750,
          viewPackages: 6,
          viewUnknown: 1,
        },
      ],
    });
  });

  it('gives the demo family of the reporter tests the figures computed by hand', () => {
    const fp = familyFootprint(familyResult().subjects)!;
    // host 14,562,000; platform 6,900,000; navigation 9,400,000; media 4,200,000 (test/reporters/fixtures.ts)
    expect(fp.familyBytes).toBe(35_062_000);
    // views: platform 21,462,000; navigation 21,462,000 + 2,700,000 (its openssl-libs is platform's);
    // media 21,462,000 + 4,200,000
    expect(fp.layers.map((l) => [l.id, l.viewBytes])).toEqual([
      ['host', 14_562_000],
      ['platform', 21_462_000],
      ['media', 25_662_000],
      ['navigation', 24_162_000],
    ]);
    expect(fp.standaloneBytes).toBe(71_286_000);
    expect(fp.savedBytes).toBe(36_224_000);
    expect(fp.sharingRatio).toBe(2.033);
    expect(fp.unknownSizePackages).toBe(0);
  });

  it('agrees with the obvious computation on generated families, whatever the input order', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = shuffled(
        Array.from({ length: 400 }, (_, i) => i),
        seed,
      );
      let k = 0;
      const next = () => rnd[k++ % rnd.length]!;
      const n = 2 + (next() % 12);
      const subjects: Subject[] = [];
      for (let i = 0; i < n; i++) {
        const id = i === 0 ? 'host' : `n${i}`;
        const parent =
          i === 0 ? undefined : i === 1 ? 'host' : next() % 3 ? `n${1 + (next() % (i - 1))}` : 'host';
        // a small universe of NEVRAs so that layers share some; a few without size
        const packages = Array.from({ length: next() % 8 }, () => {
          const p = next() % 15;
          return pkg(`p${p}-1-1.x`, p % 7 === 3 ? undefined : 100 * (p + 1));
        });
        subjects.push(layer(id, parent, packages));
      }
      const expected = naive(subjects);
      for (const order of [subjects, shuffled(subjects, seed + 100)]) {
        const fp = familyFootprint(order)!;
        expect(fp.familyBytes, `seed ${seed}`).toBe(expected.familyBytes);
        expect(fp.standaloneBytes, `seed ${seed}`).toBe(expected.standaloneBytes);
        expect(fp.unknownSizePackages, `seed ${seed}`).toBe(expected.unknown);
        expect(
          Object.fromEntries(
            fp.layers.map((l) => [
              l.id,
              [l.ownBytes, l.ownPackages, l.ownUnknown, l.viewBytes, l.viewPackages, l.viewUnknown],
            ]),
          ),
          `seed ${seed}`,
        ).toEqual(expected.perLayer);
      }
    }
  });

  it('is the same for any order of subjects and packages', () => {
    const first = familyFootprint(familyResult().subjects);
    for (const seed of [3, 4, 5])
      expect(familyFootprint(reordered(familyResult(), seed).subjects)).toEqual(first);
  });

  it('has none without a host or node (repo-check), and no ratio without a known byte', () => {
    expect(familyFootprint(repoCheckResult().subjects)).toBeUndefined();
    expect(familyFootprint([])).toBeUndefined();
    const fp = familyFootprint([layer('host', undefined, [pkg('a-1-1.x')]), layer('n', 'host', [])])!;
    expect(fp.sharingRatio).toBeUndefined();
    expect(fp.unknownSizePackages).toBe(1);
    expect(fp.layers[1]).toMatchObject({ viewBytes: 0, viewPackages: 1, viewUnknown: 1 });
  });

  it('ends a parent cycle in a root, and a node whose parent is not a subject is a root', () => {
    const fp = familyFootprint([
      layer('a', 'b', [pkg('x-1-1.x', 10)]),
      layer('b', 'a', [pkg('y-1-1.x', 20)]),
      layer('c', 'gone', [pkg('z-1-1.x', 5)]),
    ])!;
    // c is a root; of the cycle, a comes first (by id) and becomes a root, b sits under it
    expect(fp.layers.map((l) => [l.id, l.parent, l.viewBytes])).toEqual([
      ['c', undefined, 5],
      ['a', undefined, 10],
      ['b', 'a', 30],
    ]);
    expect(fp.standaloneBytes).toBe(45);
  });
});
