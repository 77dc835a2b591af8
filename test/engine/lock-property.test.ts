import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { familyCheck } from '../../src/engine/family-check.js';
import { lockAsManifest } from '../../src/engine/lock/check-lock.js';
import { lockFamily } from '../../src/engine/lock/lock.js';
import { formatLock } from '../../src/engine/lock/lockfile.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { type Engine, loadEngine } from '../../src/solver/index.js';
import { nevra, type Pkg, pkgArb, primaryXml, repomdXml } from '../helpers/rpmmd-writer.js';

/*
 * Property test over generated repositories (the model of family-property.test.ts: packages `pkI`
 * providing capabilities `capJ`, requiring capabilities and names, some conflicting): random families
 * of install requests. Whenever a lock is written,
 * - it proves clean (`check` on the lock: no error);
 * - every package of a layer is requested there or reached from a request through requirements or
 *   recommends of packages of the layer, the dependency met in the layer and not in its view; its
 *   `reason` says how: `requested`, `dependency` (through requirements alone) or `weak`;
 * - lock → check → lock is a fixed point: locking again gives the same bytes.
 */

const CAPS = 5;
const cap = fc.integer({ min: 0, max: CAPS - 1 }).map((i) => `cap${i}`);

interface Case {
  pkgs: Pkg[];
  host: number[];
  nodes: { alias: string; parent: string; install: number[] }[];
}

const caseArb: fc.Arbitrary<Case> = fc
  .integer({ min: 4, max: 12 })
  .chain((n) => {
    const depName = fc.oneof(
      cap,
      fc.integer({ min: 0, max: n - 1 }).map((i) => `pk${i}`),
    );
    // some packages also recommend a capability or a name (weak dependencies, installed by default)
    return fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc
          .tuple(pkgArb(i, { cap, depName }, { conflicts: true }), fc.uniqueArray(depName, { maxLength: 1 }))
          .map(([p, recommends]) => ({
            ...p,
            recommends: recommends.filter((r) => !p.requires.includes(r)),
          })),
      ),
    );
  })
  .chain((pkgs) => {
    const subset = fc.uniqueArray(fc.integer({ min: 0, max: pkgs.length - 1 }), { maxLength: 3 });
    return fc.integer({ min: 1, max: 4 }).chain((k) =>
      fc.record({
        pkgs: fc.constant(pkgs),
        host: subset,
        nodes: fc.tuple(
          ...Array.from({ length: k }, (_, i) =>
            fc.record({
              alias: fc.constant(`n${i}`),
              parent: fc.integer({ min: -1, max: i - 1 }).map((p) => (p < 0 ? 'host' : `n${p}`)),
              install: subset,
            }),
          ),
        ),
      }),
    );
  });

function manifestYaml(c: Case): string {
  const list = (ids: number[]) => `[${ids.map((i) => c.pkgs[i]!.name).join(', ')}]`;
  const lines = [
    'redproof: 1',
    'family: property',
    'arch: x86_64',
    'repos:',
    '  - id: random',
    '    path: repo',
  ];
  lines.push('host:', `  install: ${list(c.host)}`, 'nodes:');
  for (const n of c.nodes)
    lines.push(`  - alias: ${n.alias}`, `    parent: ${n.parent}`, `    install: ${list(n.install)}`);
  return `${lines.join('\n')}\n`;
}

const workdir = mkdtempSync(join(tmpdir(), 'redproof-lock-property-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));
let serial = 0;
let engine: Engine | undefined;

describe('lock over generated repositories', () => {
  it('every lock proves clean, every package is reached from a request, lock → check → lock is a fixed point', async () => {
    let written = 0;
    let weak = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const dir = join(workdir, `case-${serial++}`);
        mkdirSync(join(dir, 'repo', 'repodata'), { recursive: true });
        const primary = Buffer.from(primaryXml(c.pkgs));
        const sum = createHash('sha256').update(primary).digest('hex');
        writeFileSync(join(dir, 'repo', 'repodata', `${sum}-primary.xml`), primary);
        writeFileSync(join(dir, 'repo', 'repodata', 'repomd.xml'), repomdXml(primary));
        const manifestText = manifestYaml(c);
        engine ??= await loadEngine();
        const opts = {
          manifestText,
          manifestFile: 'family.yaml',
          manifestAbsDir: dir,
          manifestFromLock: 'family.yaml',
        };
        const { lock } = await lockFamily(createNodeHost(), opts, engine);
        if (!lock) return; // a refusal: nothing to prove
        written++;
        const text = formatLock(lock);
        const proof = await familyCheck(
          createNodeHost(),
          {
            manifestText: text,
            manifest: lockAsManifest(text, 'family.lock.yaml'),
            manifestFile: 'family.lock.yaml',
            manifestAbsDir: dir,
          },
          engine,
        );
        expect(proof.findings.filter((f) => f.level === 'error')).toEqual([]);
        // reachability, computed here from the generated model
        const byNevra = new Map(c.pkgs.map((p) => [nevra(p), p]));
        const provides = (p: Pkg, dep: string) => p.name === dep || p.provides.includes(dep);
        for (const n of lock.nodes) {
          const mine = n.packages.map((p) => byNevra.get(p.nevra)!);
          const requested = mine.filter((p) => n.requests.includes(p.name));
          const reach = (deps: (p: Pkg) => string[]) => {
            const reached = new Set(requested);
            let grew = true;
            while (grew) {
              grew = false;
              for (const p of mine) {
                if (reached.has(p)) continue;
                if ([...reached].some((r) => deps(r).some((d) => provides(p, d)))) {
                  reached.add(p);
                  grew = true;
                }
              }
            }
            return reached;
          };
          const strong = reach((p) => p.requires);
          const any = reach((p) => [...p.requires, ...(p.recommends ?? [])]);
          expect(mine.filter((p) => !any.has(p)).map(nevra)).toEqual([]);
          for (const p of n.packages) {
            const pkg = byNevra.get(p.nevra)!;
            const want = n.requests.includes(pkg.name)
              ? 'requested'
              : strong.has(pkg)
                ? 'dependency'
                : 'weak';
            expect(p.reason, p.nevra).toBe(want);
          }
          weak += n.packages.filter((p) => p.reason === 'weak').length;
        }
        const again = await lockFamily(createNodeHost(), opts, engine);
        expect(formatLock(again.lock!)).toBe(text);
      }),
      { numRuns: 40, seed: 20261202 },
    );
    expect(written).toBeGreaterThan(5); // the property says something
    expect(weak).toBeGreaterThan(0); // and recommends were installed in some of them
  }, 240_000);
});
