import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, Format, job, loadEngine } from '../../src/solver/index.js';

/*
 * Property test of Pool.trivialInstallBlocker (rp_view_installs_trivially): the family check skips the
 * solve of a view when it answers 0, so a 0 must never meet a view libsolv cannot install. On random
 * repositories (x86_64, i686 and noarch builds, versioned, rich, `with` dependencies, conflicts and
 * obsoletes) and random views, libsolv's own solve of "install the whole view" decides:
 * - check 0 (proven without the solver): the solve has no problem;
 * - checks 1, 3, 4, 5 and 6 stand for rules that certainly fail (not installable, a requirement with no
 *   provider in the view, a conflict or an obsoletes inside it, two builds of one name): the solve fails.
 * The others (rich dependencies it cannot decide, a better arch elsewhere) only send the view to the solver.
 */

interface P {
  name: string;
  ver: string;
  arch: 'x86_64' | 'i686' | 'noarch';
  provides: string[];
  requires: Dep[];
  conflicts: Dep[];
  obsoletes: Dep[];
}
/** A dependency: a plain or versioned name, or a rich expression written as rpm spells it. */
type Dep = { name: string; flags?: 'GE' | 'LT' | 'EQ'; ver?: string };

const NAMES = 6;
const CAPS = 4;
const leaf = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: NAMES - 1 }).map((i) => `n${i}`) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: CAPS - 1 }).map((i) => `cap${i}`) },
  { weight: 1, arbitrary: fc.constant('missing') },
);
const rich: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(leaf, leaf).map(([a, b]) => `(${a} or ${b})`),
  fc.tuple(leaf, leaf).map(([a, b]) => `(${a} and ${b})`),
  fc.tuple(leaf, leaf).map(([a, b]) => `(${a} if ${b})`),
  fc.tuple(leaf, leaf).map(([a, b]) => `(${a} unless ${b})`),
  fc.tuple(leaf, leaf, leaf).map(([a, b, c]) => `(${a} if ${b} else ${c})`),
  fc.tuple(leaf, leaf, leaf).map(([a, b, c]) => `(${a} unless ${b} else ${c})`),
  fc.tuple(leaf, leaf).map(([a, b]) => `(${a} with ${b})`),
  fc.tuple(leaf, leaf, leaf).map(([a, b, c]) => `((${a} or ${b}) if ${c})`),
);
const dep: fc.Arbitrary<Dep> = fc.oneof(
  { weight: 4, arbitrary: leaf.map((name) => ({ name })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 0, max: NAMES - 1 }),
        fc.constantFrom<'GE' | 'LT' | 'EQ'>('GE', 'LT', 'EQ'),
        fc.constantFrom('1.0', '2.0'),
      )
      .map(([i, flags, ver]) => ({ name: `n${i}`, flags, ver })),
  },
  { weight: 2, arbitrary: rich.map((name) => ({ name })) },
);

const pkgs: fc.Arbitrary<P[]> = fc
  .array(
    fc.record({
      name: fc.integer({ min: 0, max: NAMES - 1 }).map((i) => `n${i}`),
      ver: fc.constantFrom('1.0', '2.0'),
      arch: fc.constantFrom<P['arch']>('x86_64', 'x86_64', 'noarch', 'i686'),
      provides: fc.uniqueArray(
        fc.integer({ min: 0, max: CAPS - 1 }).map((i) => `cap${i}`),
        { maxLength: 2 },
      ),
      requires: fc.array(dep, { maxLength: 2 }),
      conflicts: fc.array(dep, { maxLength: 1 }),
      obsoletes: fc.array(
        leaf.map((name) => ({ name })),
        { maxLength: 1 },
      ),
    }),
    { minLength: 2, maxLength: 12 },
  )
  .map((xs) => {
    // one package per NEVRA
    const seen = new Set<string>();
    return xs.filter((p) => {
      const k = `${p.name}-${p.ver}.${p.arch}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  });

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const entry = (d: Dep) =>
  `        <rpm:entry name="${esc(d.name)}"${d.flags ? ` flags="${d.flags}" epoch="0" ver="${d.ver}" rel="1"` : ''}/>\n`;
const list = (tag: string, ds: Dep[]) =>
  ds.length ? `      <rpm:${tag}>\n${ds.map(entry).join('')}      </rpm:${tag}>\n` : '';

function primary(ps: P[]): string {
  const body = ps
    .map(
      (p, i) => `<package type="rpm">
  <name>${p.name}</name>
  <arch>${p.arch}</arch>
  <version epoch="0" ver="${p.ver}" rel="1"/>
  <checksum type="sha256" pkgid="YES">${i.toString(16).padStart(64, '0')}</checksum>
  <location href="Packages/${p.name}-${p.ver}-1.${p.arch}.rpm"/>
  <format>
${list('provides', [{ name: p.name, flags: 'EQ', ver: p.ver }, ...p.provides.map((name) => ({ name }))])}${list('requires', p.requires)}${list('conflicts', p.conflicts)}${list('obsoletes', p.obsoletes)}  </format>
</package>
`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="${ps.length}">
${body}</metadata>
`;
}

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine();
});
afterAll(() => {
  expect(engine.liveObjects()).toBe(0);
});

const RUNS = Number(process.env.REDPROOF_PROPERTY_RUNS ?? 1000);
const CERTAIN_FAILURES = new Set([1, 3, 4, 5, 6]);

describe('trivialInstallBlocker: a view proven without the solver installs', () => {
  it('agrees with libsolv on random views', () => {
    const seen = new Map<number, number>();
    fc.assert(
      fc.property(pkgs, fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), (ps, pick) => {
        const pool = engine.createPool('x86_64');
        try {
          pool.addRepo('random').add(Format.RPMMD, Buffer.from(primary(ps)), 'primary.xml');
          pool.setArch('x86_64');
          pool.prepare();
          const ids = pool
            .list()
            .map((s) => s.id)
            .filter((_, i) => pick[i]);
          if (!ids.length) return;
          pool.setConsidered(ids);
          const { check } = pool.trivialInstallBlocker(ids);
          const problems = pool.solve(
            ids.map((id) => job.install(id)),
            { ignoreRecommended: true, transaction: false },
          ).problems;
          pool.setConsidered(null);
          seen.set(check, (seen.get(check) ?? 0) + 1);
          if (check === 0) expect(problems, primary(ps)).toEqual([]);
          if (CERTAIN_FAILURES.has(check)) expect(problems.length, primary(ps)).toBeGreaterThan(0);
        } finally {
          pool.dispose();
        }
      }),
      { numRuns: RUNS, seed: 20261202 },
    );
    // not vacuous: views proven without the solver, and views it had to leave to the solver
    expect(seen.get(0) ?? 0).toBeGreaterThan(RUNS / 20);
    expect(seen.get(2) ?? 0).toBeGreaterThan(0);
    expect(seen.get(3) ?? 0).toBeGreaterThan(0);
  });
});
