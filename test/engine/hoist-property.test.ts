import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { familyCheck } from '../../src/engine/family-check.js';
import { lockAsManifest } from '../../src/engine/lock/check-lock.js';
import { lockFamily } from '../../src/engine/lock/lock.js';
import { formatLock, type Lockfile } from '../../src/engine/lock/lockfile.js';
import { createNodeHost } from '../../src/host/node-host.js';
import type { Finding } from '../../src/model/finding.js';
import { type Engine, loadEngine } from '../../src/solver/index.js';
import { nevra, type Pkg, pkgArb, primaryXml, repomdXml } from '../helpers/rpmmd-writer.js';

/*
 * Property test of `lock --hoist` over generated repositories (lock-property.test.ts's model: packages
 * `pkI` providing capabilities, requiring capabilities and names, some conflicting, some shipping the
 * same paths, of random installed sizes), families of siblings that request the same packages:
 * - whenever the plain lock proves clean (no RP001, RP002, RP003, RP005, RP007), the hoisted one does;
 * - the hoisted family is never bigger, and says by how much it is smaller;
 * - hoisting twice is hoisting once: the hoisted lock has nothing left to hoist, and locking again gives
 *   the same bytes;
 * - every request stays in its node's view.
 */

const CAPS = 4;
const cap = fc.integer({ min: 0, max: CAPS - 1 }).map((i) => `cap${i}`);
const PATHS = ['/usr/bin/tool', '/usr/lib/libshared.so'];

interface Case {
  pkgs: Pkg[];
  host: number[];
  nodes: { alias: string; parent: string; install: number[] }[];
}

const caseArb: fc.Arbitrary<Case> = fc
  .integer({ min: 4, max: 10 })
  .chain((n) => {
    const depName = fc.oneof(
      cap,
      fc.integer({ min: 0, max: n - 1 }).map((i) => `pk${i}`),
    );
    return fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc
          .tuple(
            pkgArb(i, { cap, depName }, { conflicts: true, paths: PATHS }),
            fc.integer({ min: 1, max: 5000 }),
            fc.integer({ min: 0, max: 3 }),
          )
          // mostly installable families: few conflicts, few shared paths, so that some hoists are made
          // and some are blocked
          .map(([p, installed, dice]) => ({
            ...p,
            installed,
            requires: p.requires.filter((d) => !d.startsWith('pk') || Number(d.slice(2)) > i),
            conflicts: dice === 0 ? p.conflicts.filter((d) => d !== p.name) : [],
            files: dice === 1 ? p.files : [],
          })),
      ),
    );
  })
  .chain((pkgs) => {
    // requests mostly among the first packages, so that siblings ask for the same ones
    const subset = fc.uniqueArray(fc.integer({ min: 0, max: Math.min(3, pkgs.length - 1) }), {
      minLength: 1,
      maxLength: 2,
    });
    return fc.integer({ min: 2, max: 5 }).chain((k) =>
      fc.record({
        pkgs: fc.constant(pkgs),
        host: fc.uniqueArray(fc.integer({ min: 0, max: pkgs.length - 1 }), { maxLength: 1 }),
        nodes: fc.tuple(
          ...Array.from({ length: k }, (_, i) =>
            fc.record({
              alias: fc.constant(`n${i}`),
              // mostly siblings: that is where duplicates come from
              parent: fc.integer({ min: -2, max: i - 1 }).map((p) => (p < 0 ? 'host' : `n${p}`)),
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
    'family: hoist-property',
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

const COHERENCE = new Set(['RP001', 'RP002', 'RP003', 'RP005', 'RP007']);
const incoherent = (fs: readonly Finding[]) =>
  fs.filter((f) => COHERENCE.has(f.rule)).map((f) => `${f.rule} ${f.node} ${f.package}`);
const bytes = (l: Lockfile) =>
  l.nodes.reduce((n, x) => n + x.packages.reduce((k, p) => k + p.installedSize, 0), 0);

const workdir = mkdtempSync(join(tmpdir(), 'redproof-hoist-property-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));
let serial = 0;
let engine: Engine | undefined;

describe('lock --hoist over generated repositories', () => {
  it('clean stays clean, never bigger, hoisting twice is once, every request stays in its view', async () => {
    let clean = 0;
    let hoisted = 0;
    let blocked = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const dir = join(workdir, `case-${serial++}`);
        mkdirSync(join(dir, 'repo', 'repodata'), { recursive: true });
        const primary = Buffer.from(primaryXml(c.pkgs));
        const sum = createHash('sha256').update(primary).digest('hex');
        writeFileSync(join(dir, 'repo', 'repodata', `${sum}-primary.xml`), primary);
        writeFileSync(join(dir, 'repo', 'repodata', 'repomd.xml'), repomdXml(primary));
        engine ??= await loadEngine();
        const opts = {
          manifestText: manifestYaml(c),
          manifestFile: 'family.yaml',
          manifestAbsDir: dir,
          manifestFromLock: 'family.yaml',
        };
        const plain = await lockFamily(createNodeHost(), opts, engine);
        // a refusal, or an empty family: nothing to hoist
        if (!plain.lock?.nodes.some((n) => n.packages.length)) return;
        const hoist = await lockFamily(createNodeHost(), { ...opts, hoist: true }, engine);
        const lock = hoist.lock!;
        const report = hoist.result.hoist!;
        expect(lock.options.hoist).toBe(true);
        if (report.hoists.length) hoisted++;
        if (report.left.some((l) => l.blockers.length)) blocked++;
        // never bigger, and the report says by how much
        expect(bytes(lock)).toBeLessThanOrEqual(bytes(plain.lock));
        expect(bytes(plain.lock) - bytes(lock)).toBe(report.bytesBefore - report.bytesAfter);
        expect(report.hoists.reduce((n, h) => n + h.savedBytes, 0)).toBe(
          report.bytesBefore - report.bytesAfter,
        );
        const text = formatLock(lock);
        const proof = await familyCheck(
          createNodeHost(),
          {
            manifestText: text,
            manifest: lockAsManifest(text, 'family.lock.yaml'),
            manifestFile: 'family.lock.yaml',
            manifestAbsDir: dir,
            suggestHoist: {},
          },
          engine,
        );
        // the lock's own proof is the family check's
        expect(incoherent(proof.findings)).toEqual(incoherent(hoist.result.findings));
        if (!incoherent(plain.result.findings).length) {
          clean++;
          expect(incoherent(proof.findings)).toEqual([]);
        }
        // hoisting twice is hoisting once
        expect(proof.hoist!.hoists).toEqual([]);
        const again = await lockFamily(createNodeHost(), { ...opts, hoist: true }, engine);
        expect(formatLock(again.lock!)).toBe(text);
        // every request stays in its node's view, and every hoisted package says where it came from
        const byNevra = new Map(c.pkgs.map((p) => [nevra(p), p]));
        const byAlias = new Map(lock.nodes.map((n) => [n.alias, n]));
        for (const n of lock.nodes) {
          const view: Pkg[] = [];
          for (let a: typeof n | undefined = n; a; a = a.parent ? byAlias.get(a.parent) : undefined)
            for (const p of a.packages) view.push(byNevra.get(p.nevra)!);
          for (const r of n.requests)
            expect(
              view.some((p) => p.name === r),
              `${r} in the view of ${n.alias}`,
            ).toBe(true);
          for (const p of n.packages) {
            if (p.reason !== 'hoisted') continue;
            expect(p.from!.length).toBeGreaterThan(0);
            for (const f of p.from!)
              expect(plain.lock.nodes.find((x) => x.alias === f)!.packages.map((x) => x.nevra)).toContain(
                p.nevra,
              );
          }
        }
      }),
      { numRuns: 150, seed: 20261202 },
    );
    // the property says something: clean families, hoists made, hoists blocked
    console.log(
      `hoist property: ${clean} clean plain locks, ${hoisted} with hoists, ${blocked} with a duplicate left blocked`,
    );
    expect(clean).toBeGreaterThan(40);
    expect(hoisted).toBeGreaterThan(20);
    expect(blocked).toBeGreaterThan(0);
  }, 300_000);
});
