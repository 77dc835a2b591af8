import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { familyCheck } from '../../src/engine/family-check.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { InputError } from '../../src/load/errors.js';
import type { CheckResult } from '../../src/model/finding.js';
import { type Engine, loadEngine } from '../../src/solver/index.js';
import { nevra, type Pkg, pkgArb, primaryXml, repomdXml } from '../helpers/rpmmd-writer.js';

/*
 * Property-based tests (issue 4): random small repositories and families, where redproof's verdict for
 * closure (RP001) and duplication (RP003, RP004) is compared with a plain reference computation written
 * here, independently of src/engine. Repositories are written as createrepo_c writes them (primary.xml
 * plus repodata/repomd.xml with checksums and sizes) and read back by the real loader.
 *
 * The model: package `pkI` (one version each, x86_64 or noarch) provides its own name and some of the
 * capabilities `capJ`; it requires some capabilities and package names (unversioned). A layer's view is
 * its own packages plus those of its ancestors and the host.
 */

const CAPS = 6;

interface Node {
  alias: string;
  parent: string; // 'host' or an earlier node
  packages: number[];
}

interface Case {
  pkgs: Pkg[];
  host: number[];
  nodes: Node[];
}

const cap = fc.integer({ min: 0, max: CAPS - 1 }).map((i) => `cap${i}`);

/**
 * `versions`: up to three names get a second build (version 2.0, same dependencies), so that a name can be
 * installed in two layers with different versions (RP003 compares names, RP004 NEVRAs).
 */
const PATHS = ['/etc/a', '/etc/a/b', '/usr/bin/x', '/usr/bin/y', '/usr/lib/z'];
/** Directory entries (`<file type="dir">`), never shipped as files: a shared directory is no conflict. */
const DIRS = ['/usr/share/d', '/var/lib/d'];

function caseArb(options: { conflicts: boolean; versions?: boolean; files?: boolean }): fc.Arbitrary<Case> {
  return fc
    .integer({ min: 5, max: 15 })
    .chain((n) => {
      const depName = fc.oneof(
        cap,
        fc.integer({ min: 0, max: n - 1 }).map((i) => `pk${i}`),
      );
      const pkg = (i: number) =>
        pkgArb(
          i,
          { cap, depName },
          {
            conflicts: options.conflicts,
            ...(options.files && { paths: PATHS, fileTypes: { dirs: DIRS } }),
          },
        );
      const second = options.versions
        ? fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 })
        : fc.constant<number[]>([]);
      return fc.tuple(fc.tuple(...Array.from({ length: n }, (_, i) => pkg(i))), second);
    })
    .map(([base, second]): Pkg[] => [...base, ...second.map((i) => ({ ...base[i]!, ver: '2.0' }))])
    .chain((pkgs) => {
      const subset = fc.uniqueArray(fc.integer({ min: 0, max: pkgs.length - 1 }), {
        maxLength: Math.min(pkgs.length, 6),
      });
      return fc.integer({ min: 2, max: 5 }).chain((k) =>
        fc.record({
          pkgs: fc.constant(pkgs),
          host: subset,
          nodes: fc.tuple(
            ...Array.from({ length: k }, (_, i) =>
              fc.record({
                alias: fc.constant(`n${i}`),
                parent: fc.integer({ min: -1, max: i - 1 }).map((p) => (p < 0 ? 'host' : `n${p}`)),
                packages: subset,
              }),
            ),
          ),
        }),
      );
    })
    .filter((c) => c.host.length + c.nodes.reduce((n, x) => n + x.packages.length, 0) > 0);
}

// ---- writing the case to disk ---------------------------------------------------------------------------

function manifestYaml(c: Case): string {
  // a name with two builds is listed by NEVRA, every other one by name
  const builds = (name: string) => c.pkgs.filter((p) => p.name === name).length;
  const entry = (p: Pkg) => (builds(p.name) > 1 ? nevra(p) : p.name);
  const list = (ids: number[]) => `[${ids.map((i) => entry(c.pkgs[i]!)).join(', ')}]`;
  const lines = [
    'redproof: 1',
    'family: property',
    'arch: x86_64',
    'repos:',
    '  - id: random',
    '    path: repo',
  ];
  if (c.host.length) lines.push('host:', `  packages: ${list(c.host)}`);
  lines.push('nodes:');
  for (const n of c.nodes) {
    lines.push(`  - alias: ${n.alias}`, `    parent: ${n.parent}`, `    packages: ${list(n.packages)}`);
  }
  return `${lines.join('\n')}\n`;
}

const workdir = mkdtempSync(join(tmpdir(), 'redproof-property-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));
let serial = 0;
let engine: Engine | undefined;

async function runRedproof(c: Case): Promise<CheckResult> {
  const dir = join(workdir, `case-${serial++}`);
  mkdirSync(join(dir, 'repo', 'repodata'), { recursive: true });
  const primary = Buffer.from(primaryXml(c.pkgs));
  const sum = createHash('sha256').update(primary).digest('hex');
  writeFileSync(join(dir, 'repo', 'repodata', `${sum}-primary.xml`), primary);
  writeFileSync(join(dir, 'repo', 'repodata', 'repomd.xml'), repomdXml(primary));
  const manifestText = manifestYaml(c);
  writeFileSync(join(dir, 'family.yaml'), manifestText);
  engine ??= await loadEngine();
  return familyCheck(
    createNodeHost(),
    { manifestText, manifestFile: 'family.yaml', manifestAbsDir: dir },
    engine,
  );
}

// ---- the reference computation --------------------------------------------------------------------------

interface Layers {
  ids: string[];
  parent: Map<string, string | undefined>;
  own: Map<string, number[]>;
}

function layersOf(c: Case): Layers {
  const parent = new Map<string, string | undefined>([['host', undefined]]);
  const own = new Map<string, number[]>([['host', [...c.host]]]);
  for (const n of c.nodes) {
    parent.set(n.alias, n.parent);
    own.set(n.alias, [...n.packages]);
  }
  return { ids: ['host', ...c.nodes.map((n) => n.alias)], parent, own };
}

function ancestors(l: Layers, id: string): string[] {
  const out: string[] = [];
  for (let p = l.parent.get(id); p !== undefined; p = l.parent.get(p)) out.push(p);
  return out;
}

function view(l: Layers, id: string): Set<number> {
  return new Set([id, ...ancestors(l, id)].flatMap((x) => l.own.get(x) ?? []));
}

const provides = (p: Pkg, dep: string) => p.name === dep || p.provides.includes(dep);

/** RP001: (layer, package, requirement) for every requirement of a layer's own package with no provider in its view. */
function referenceUnresolved(c: Case): string[] {
  const l = layersOf(c);
  const out = new Set<string>();
  for (const id of l.ids) {
    const v = [...view(l, id)].map((i) => c.pkgs[i]!);
    for (const i of l.own.get(id) ?? []) {
      const p = c.pkgs[i]!;
      for (const r of p.requires) {
        if (!v.some((q) => provides(q, r))) out.add(`${id} ${nevra(p)} ${r}`);
      }
    }
  }
  return [...out].sort();
}

/** RP003: (layer, package) for a name installed in a layer and in one of its ancestors, any version. */
function referenceAncestorDuplicates(c: Case): string[] {
  const l = layersOf(c);
  const out: string[] = [];
  for (const id of l.ids) {
    for (const i of l.own.get(id) ?? []) {
      const name = c.pkgs[i]!.name;
      const where = ancestors(l, id).filter((a) => l.own.get(a)?.some((j) => c.pkgs[j]!.name === name));
      if (where.length) out.push(`${id} ${nevra(c.pkgs[i]!)}`);
    }
  }
  return out.sort();
}

/**
 * RP004: a NEVRA held by two or more layers none of which is an ancestor of another. Holders below another
 * holder are RP003 already; the shareable copies are those of the topmost holders. `nested` lists the
 * packages also held by a layer below another holder (where readings of the rule can differ, see below).
 */
function referenceShareable(c: Case): { findings: string[]; nested: Set<string> } {
  const l = layersOf(c);
  const findings: string[] = [];
  const nested = new Set<string>();
  for (let i = 0; i < c.pkgs.length; i++) {
    const holders = l.ids.filter((id) => l.own.get(id)?.includes(i));
    const topmost = holders.filter((h) => !ancestors(l, h).some((a) => holders.includes(a)));
    if (topmost.length < holders.length) nested.add(nevra(c.pkgs[i]!));
    if (topmost.length >= 2) findings.push(`${nevra(c.pkgs[i]!)} [${[...topmost].sort().join(',')}]`);
  }
  return { findings: findings.sort(), nested };
}

/**
 * Conflicting pairs: in a layer's view, `p` (own to the layer or not) conflicts with something `q` provides
 * (rpm ignores a package's conflict with itself). Keys `layer p q`, both orders, for soundness checks.
 */
function referenceConflicts(c: Case): Set<string> {
  const l = layersOf(c);
  const out = new Set<string>();
  for (const id of l.ids) {
    const v = [...view(l, id)];
    for (const i of v) {
      for (const j of v) {
        if (i === j) continue;
        const p = c.pkgs[i]!;
        const q = c.pkgs[j]!;
        if (p.conflicts.some((d) => provides(q, d))) {
          out.add(`${id} ${nevra(p)} ${nevra(q)}`);
          out.add(`${id} ${nevra(q)} ${nevra(p)}`);
        }
      }
    }
  }
  return out;
}

/**
 * RP005 at the layer: the layers where a path is shipped by two packages of the view, one of them the
 * layer's own, and the path is no directory of that view (no path of the view lies below it, no package
 * lists it as a directory) and a `%ghost` of neither (rpm never makes a ghost conflict). Also the
 * conflicting pairs `layer own other level`, for soundness: a note when both packages are one build of
 * one source rpm (rpm shares identical files), else a warning.
 */
function referenceFileConflicts(c: Case): { layers: string[]; pairs: Set<string> } {
  const l = layersOf(c);
  const layers: string[] = [];
  const pairs = new Set<string>();
  const build = (p: Pkg) => `${p.source ?? p.name} ${p.ver ?? '1.0'}`;
  for (const id of l.ids) {
    const own = new Set(l.own.get(id) ?? []);
    const v = [...view(l, id)];
    const all = v.flatMap((i) => [...(c.pkgs[i]!.files ?? []), ...(c.pkgs[i]!.ghosts ?? [])]);
    const isDir = (path: string) => all.some((f) => f.startsWith(`${path}/`));
    let found = false;
    for (const i of own) {
      for (const j of v) {
        if (i === j) continue;
        const shared = (c.pkgs[i]!.files ?? []).filter((f) => (c.pkgs[j]!.files ?? []).includes(f));
        if (shared.some((f) => !isDir(f))) {
          found = true;
          const level = build(c.pkgs[i]!) === build(c.pkgs[j]!) ? 'note' : 'warning';
          pairs.add(`${id} ${nevra(c.pkgs[i]!)} ${nevra(c.pkgs[j]!)} ${level}`);
        }
      }
    }
    if (found) layers.push(id);
  }
  return { layers: layers.sort(), pairs };
}

const observed = (r: CheckResult, rule: string, key: (f: CheckResult['findings'][number]) => string) =>
  r.findings
    .filter((f) => f.rule === rule)
    .map(key)
    .sort();

// Small and fixed by default (about 1 s per property); REDPROOF_PROPERTY_RUNS=500 REDPROOF_PROPERTY_SEED=1 for
// a longer or different exploration.
const RUNS = {
  numRuns: Number(process.env.REDPROOF_PROPERTY_RUNS ?? 30),
  seed: Number(process.env.REDPROOF_PROPERTY_SEED ?? 20261125),
};

describe('family check against a reference computation (fast-check)', () => {
  // Sound (every RP001 is an unmet requirement of a package of that layer) and complete at the verdict
  // (closure is proven exactly when the reference finds nothing unmet); the exact set, one finding per
  // unmet requirement, is the exact-count case below.
  it('closure: every RP001 is an unmet requirement, and closure fails exactly when one exists (no conflicts)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ conflicts: false }), async (c) => {
        const r = await runRedproof(c);
        const reported = observed(r, 'RP001', (f) => `${f.node} ${f.package} ${f.dependency}`);
        const expected = referenceUnresolved(c);
        for (const f of reported) expect(expected).toContain(f);
        expect(reported.length > 0).toBe(expected.length > 0);
        // nothing else can go wrong in this model but duplication
        expect(r.findings.filter((f) => !['RP001', 'RP003', 'RP004'].includes(f.rule))).toEqual([]);
      }),
      RUNS,
    );
  }, 300_000);

  // ENGINE BUG (src/engine/checks/installability.ts): RP001 lists only the unmet requirements libsolv's
  // problem rules mention. libsolv stops at the first rule that makes an install job fail (the job is then
  // disabled), so other unmet requirements of the same package are masked until that one is fixed.
  // Shrunk counterexamples (one node n1/n3 under n0 under host):
  //  - pk0 requires cap0 (provided nowhere) and pk1 (in the repository, outside the view): only `cap0` is
  //    reported, not `pk1`;
  //  - pk3 requires cap0 (nowhere); pk4 requires pk3 (in the view) and pk0 (outside the view): pk3 gets its
  //    RP001, pk4 none at all (its job fails through pk3 first), although `pk0` is missing from its view.
  // Expected: one RP001 per unmet requirement (e.g. check each requirement of the layer's own packages
  // against whatprovides ∩ view, independently of which rule the solver happened to hit).
  // The installcheck-based rewrite of installabilityFindings in progress (uncommitted at the time of
  // writing) fixes both: when it lands, turn this and the two `example:` RP001 cases below into it().
  it('closure: RP001 is exactly one finding per unmet requirement (no conflicts)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ conflicts: false }), async (c) => {
        const r = await runRedproof(c);
        expect(observed(r, 'RP001', (f) => `${f.node} ${f.package} ${f.dependency}`)).toEqual(
          referenceUnresolved(c),
        );
      }),
      RUNS,
    );
  }, 300_000);

  it('with conflicts: every RP001 is an unmet requirement; RP002 names exactly the conflicting pairs of the views', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ conflicts: true }), async (c) => {
        const r = await runRedproof(c);
        const unmet = referenceUnresolved(c);
        for (const f of observed(r, 'RP001', (f) => `${f.node} ${f.package} ${f.dependency}`)) {
          expect(unmet).toContain(f);
        }
        const pairs = referenceConflicts(c);
        for (const f of observed(r, 'RP002', (f) => `${f.node} ${f.package} ${f.other}`)) {
          expect([...pairs]).toContain(f);
        }
        // every conflicting pair of a view is reported, also when one of the two has an unmet requirement
        // (such a package is left out of the co-installability solve)
        const unordered = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);
        const expectedPairs = new Set(
          [...pairs].map((x) => x.split(' ')).map(([, a, b]) => unordered(a!, b!)),
        );
        const reportedPairs = new Set(observed(r, 'RP002', (f) => unordered(f.package!, f.other!)));
        expect([...reportedPairs].sort()).toEqual([...expectedPairs].sort());
        // every view is closed: a conflict in one is found as RP002, never as something else
        if (unmet.length === 0) {
          expect(r.findings.filter((f) => !['RP002', 'RP003', 'RP004'].includes(f.rule))).toEqual([]);
        }
      }),
      RUNS,
    );
  }, 300_000);

  it('file conflicts: RP005 is reported in exactly the layers whose own package shares a file of the view', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ conflicts: false, files: true }), async (c) => {
        const r = await runRedproof(c);
        const { layers, pairs } = referenceFileConflicts(c);
        for (const f of observed(r, 'RP005', (f) => `${f.node} ${f.package} ${f.other} ${f.level}`)) {
          expect([...pairs]).toContain(f);
        }
        expect([...new Set(observed(r, 'RP005', (f) => `${f.node}`))]).toEqual(layers);
      }),
      RUNS,
    );
  }, 300_000);

  it('duplication: RP003 and RP004 are exactly the reference sets (RP004: packages held by unrelated layers only)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ conflicts: true, versions: true }), async (c) => {
        const r = await runRedproof(c);
        expect(observed(r, 'RP003', (f) => `${f.node} ${f.package}`)).toEqual(referenceAncestorDuplicates(c));
        const { findings, nested } = referenceShareable(c);
        const simple = (x: string) => !nested.has(x.slice(0, x.indexOf(' ')));
        expect(
          observed(r, 'RP004', (f) => `${f.package} [${[...(f.nodes ?? [])].sort().join(',')}]`).filter(
            simple,
          ),
        ).toEqual(findings.filter(simple));
      }),
      RUNS,
    );
  }, 300_000);

  // ENGINE BUG (src/engine/checks/duplicates.ts, shareableDuplicates): when a NEVRA is held by a layer and by
  // one of its descendants as well as by an unrelated layer, RP004 names every holder that is unrelated to
  // some other holder. Its node list can then contain a layer and its own ancestor (host ⊃ n0 ⊃ n1, pk0 in
  // n0, n1 and a sibling n2 of n0: nodes [n0, n1, n2], against the rule's "nodes of which none is an
  // ancestor of another"), and a package already installed in the lowest common ancestor is reported as
  // shareable "in" that ancestor (pk0 in host and in n1, n2 under n0: RP004 [n1, n2] "could live once in
  // n0", while it already lives in host and both copies are RP003 errors). The saved size counts the
  // RP003 copies too. Expected: the topmost holders only, and no RP004 when fewer than two remain.
  it('duplication: RP004 names only the topmost holders (full reading)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb({ conflicts: false }), async (c) => {
        const r = await runRedproof(c);
        expect(
          observed(r, 'RP004', (f) => `${f.package} [${[...(f.nodes ?? [])].sort().join(',')}]`),
        ).toEqual(referenceShareable(c).findings);
      }),
      RUNS,
    );
  }, 300_000);

  // The shrunk counterexamples that found engine bugs (all fixed), kept as plain regression cases.
  const pk = (name: string, requires: string[] = []): Pkg => ({
    name,
    arch: 'x86_64',
    provides: [],
    requires,
    conflicts: [],
  });
  const node = (alias: string, parent: string, packages: number[]): Node => ({ alias, parent, packages });

  it('example: both unmet requirements of one package are RP001 ', async () => {
    const c: Case = {
      pkgs: [pk('pk0', ['cap0', 'pk1']), pk('pk1'), pk('pk2'), pk('pk3'), pk('pk4')],
      host: [],
      nodes: [node('n0', 'host', []), node('n1', 'n0', [0])],
    };
    const r = await runRedproof(c);
    expect(observed(r, 'RP001', (f) => `${f.node} ${f.package} ${f.dependency}`)).toEqual([
      'n1 pk0-1.0-1.x86_64 cap0',
      'n1 pk0-1.0-1.x86_64 pk1',
    ]);
  });

  it('example: an unmet requirement is RP001 even when another requirement fails through a broken provider', async () => {
    const c: Case = {
      pkgs: [pk('pk0'), pk('pk1'), pk('pk2'), pk('pk3', ['cap0']), pk('pk4', ['pk0', 'pk3']), pk('pk5')],
      host: [],
      nodes: [node('n0', 'host', []), node('n3', 'n0', [3, 4])],
    };
    const r = await runRedproof(c);
    expect(observed(r, 'RP001', (f) => `${f.node} ${f.package} ${f.dependency}`)).toEqual([
      'n3 pk3-1.0-1.x86_64 cap0',
      'n3 pk4-1.0-1.x86_64 pk0',
    ]);
  });

  it('example: RP004 does not report a package its holders already share through an ancestor', async () => {
    const c: Case = {
      pkgs: [pk('pk0'), pk('pk1'), pk('pk2'), pk('pk3'), pk('pk4')],
      host: [0],
      nodes: [node('n0', 'host', []), node('n1', 'n0', [0]), node('n2', 'n0', [0])],
    };
    const r = await runRedproof(c);
    expect(observed(r, 'RP003', (f) => `${f.node} ${f.package} ${f.otherNode}`)).toEqual([
      'n1 pk0-1.0-1.x86_64 host',
      'n2 pk0-1.0-1.x86_64 host',
    ]);
    expect(observed(r, 'RP004', (f) => `${f.package} [${f.nodes?.join(',')}]`)).toEqual([]);
  });

  it('example: RP004 never lists a node together with its own ancestor', async () => {
    const c: Case = {
      pkgs: [pk('pk0'), pk('pk1'), pk('pk2'), pk('pk3'), pk('pk4')],
      host: [],
      nodes: [node('n0', 'host', [0]), node('n1', 'n0', [0]), node('n2', 'host', [0])],
    };
    const r = await runRedproof(c);
    expect(observed(r, 'RP004', (f) => `${f.package} [${[...(f.nodes ?? [])].sort().join(',')}]`)).toEqual([
      'pk0-1.0-1.x86_64 [n0,n2]',
    ]);
  });

  // Shrunk from the file-conflict property: a path is a directory only within a view. Here /etc/a is a
  // file in n0 and in its child n1 (a conflict in n1's view); the sibling n3 ships /etc/a/b, which n1
  // does not see, so that must not turn /etc/a into a directory for n1.
  it('example: a path below a file in an unrelated node does not hide a file conflict', async () => {
    const files = (name: string, f: string[]): Pkg => ({ ...pk(name), files: f });
    const c: Case = {
      pkgs: [
        files('pk0', ['/etc/a']),
        files('pk1', ['/etc/a']),
        files('pk2', ['/etc/a/b']),
        pk('pk3'),
        pk('pk4'),
      ],
      host: [],
      nodes: [node('n0', 'host', [0]), node('n1', 'n0', [1]), node('n3', 'n0', [2])],
    };
    const r = await runRedproof(c);
    expect(observed(r, 'RP005', (f) => `${f.node} ${f.package} ${f.other}`)).toEqual([
      'n1 pk1-1.0-1.x86_64 pk0-1.0-1.x86_64',
    ]);
  });

  // ENGINE BUG (src/engine/family-check.ts, check()): a manifest that the schema accepts but whose nodes all
  // list no package (`packages: []`, no host) throws a plain Error "internal: a valid manifest with no
  // package", which the CLI reports as "internal error ... This is a bug in redproof". Expected: either a
  // clean result (nothing to prove) or an InputError with the manifest's location (the schema could also
  // require one package somewhere).
  it('a family whose nodes all have empty package lists is an input error or a clean result, not an internal error', async () => {
    const c: Case = {
      pkgs: [pk('pk0'), pk('pk1'), pk('pk2'), pk('pk3'), pk('pk4')],
      host: [],
      nodes: [node('n0', 'host', []), node('n1', 'n0', [])],
    };
    const outcome = await runRedproof(c).then(
      (r) => (r.findings.length === 0 ? 'clean' : 'findings'),
      (e: unknown) => (e instanceof InputError ? 'input error' : `other: ${String(e)}`),
    );
    expect(['clean', 'input error']).toContain(outcome);
  });
});
