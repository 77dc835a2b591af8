import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type UpdateChange, updateCheck } from '../../src/engine/update-check.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { type Engine, loadEngine } from '../../src/solver/index.js';
import { type Pkg, writeRpmMd } from '../helpers/rpmmd-writer.js';

// `best` on upgrades, as dnf 4 runs them (libdnf ORs SOLVER_FORCEBEST into every job with best=True):
// the newest app needs `libnew`, which nothing provides; app-1.1 would go in.
const pkg = (name: string, ver: string, more: Partial<Pkg> = {}): Pkg => ({
  name,
  ver,
  arch: 'noarch',
  provides: [],
  requires: [],
  conflicts: [],
  ...more,
});
const STATE: Pkg[] = [
  pkg('base', '1.0'),
  pkg('app', '1.0'),
  pkg('tool', '1.0'),
  pkg('solo', '1.0'),
  pkg('libjson', '1.0'),
  pkg('jsonapp', '1.0'),
  pkg('pa', '1.0'),
  pkg('pb', '1.0'),
];
const NEW: Pkg[] = [
  pkg('app', '1.1'),
  pkg('app', '2.0', { requires: ['libnew'] }),
  pkg('tool', '1.1'),
  // no intermediate build: with --no-best solo stays
  pkg('solo', '2.0', { requires: ['libnew'] }),
  pkg('other', '1.0'),
  pkg('other', '2.0', { requires: ['libnew'] }),
  pkg('libjson', '2.0', { provides: ['libjson-abi2'] }),
  pkg('jsonapp', '2.0', { requires: ['libjson-abi2'] }),
  // each best candidate goes in alone, not both together
  pkg('pa', '1.5'),
  pkg('pa', '2.0', { conflicts: ['pb-two'] }),
  pkg('pb', '1.5'),
  pkg('pb', '2.0', { provides: ['pb-two'] }),
];

let dir: string;
let engine: Engine;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'redproof-update-best-'));
  writeRpmMd(join(dir, 'state'), STATE);
  writeRpmMd(join(dir, 'new'), NEW, [{ id: 'SA-1', type: 'security', packages: [NEW[1]!, NEW[2]!] }]);
  engine = await loadEngine();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest = (options: string, nodeOptions = '') => `redproof: 1
family: best
arch: x86_64
${options}repos:
  - id: state
    path: state
host:
  packages: [base]
nodes:
  - alias: platform
    parent: host
    packages: [libjson]
  - alias: app
    parent: platform
    packages: [app, tool, solo, jsonapp, pa, pb]
${nodeOptions}`;

async function run(change: UpdateChange, options = '', extra: { best?: boolean; nodeOptions?: string } = {}) {
  return updateCheck(
    createNodeHost(),
    {
      manifestText: manifest(options, extra.nodeOptions),
      manifestFile: 'best.yaml',
      manifestAbsDir: dir,
      to: [{ id: 'new', path: 'new', absPath: join(dir, 'new') }],
      change,
      ...(extra.best !== undefined && { best: extra.best }),
    },
    engine,
  );
}

type Out = Awaited<ReturnType<typeof run>>;
const codes = (o: Out) => o.result.findings.map((f) => `${f.rule} ${f.package} -> ${f.other ?? ''}`).sort();
const tx = (o: Out, node = 'app') =>
  o.plan.nodes
    .find((n) => n.node === node)!
    .transaction.map((s) => `${s.action} ${s.package}${s.to ? ` -> ${s.to}` : ''}`);
const status = (o: Out, node = 'app') => o.plan.nodes.find((n) => n.node === node)!.status;

describe('update-check with best (the default): upgrades are forced to the best candidate', () => {
  it('--upgrade NODE=PATTERN: the best upgrade needs what nothing provides, RP024 says what --no-best takes', async () => {
    const o = await run({ upgrade: [{ node: 'app', pattern: 'app' }] });
    expect(codes(o)).toEqual(['RP024 app-1.0-1.noarch -> app-2.0-1.noarch']);
    const f = o.result.findings[0]!;
    expect(f).toMatchObject({
      level: 'error',
      node: 'app',
      repo: 'state',
      slug: 'update-best-not-installable',
    });
    expect(f.message).toBe(
      'the best upgrade of `app-1.0-1.noarch` in node `app`, `app-2.0-1.noarch`, cannot be installed: nothing provides libnew needed by app-2.0-1.noarch; with --no-best it takes `app-1.1-1.noarch`',
    );
    expect(f.help).toBe(
      'Fix what keeps `app-2.0-1.noarch` out of `app` (see the evidence), or set `best: false` for `app` (or pass --no-best)',
    );
    expect(f.evidence.map((s) => s.role)).toEqual(['candidate', 'nothing-provides-dep', 'best', 'no-best']);
    expect(f.evidence.find((s) => s.role === 'best')!.text).toBe(
      'cannot install the best update candidate for package app-1.0-1.noarch',
    );
    expect(f.evidence.at(-1)).toMatchObject({ role: 'no-best', package: 'app-1.1-1.noarch' });
    // located at the manifest entry of the package
    expect(f.location).toMatchObject({ file: 'best.yaml', line: 15, column: 16 });
    // dnf changes nothing: the node keeps its packages
    expect(status(o)).toBe('failed');
    expect(tx(o)).toEqual([]);
    expect(o.plan.proven).toBe(false);
  });

  it('--upgrade-all: one refused best candidate fails the whole transaction of its node, as dnf upgrade does', async () => {
    const o = await run({ upgradeAll: true });
    // tool would go to 1.1, but dnf upgrade stops on app (and solo): nothing changes in `app`; the best
    // builds of pa and pb, which only conflict with each other, are one more finding
    expect(codes(o)).toEqual([
      'RP022 pa-2.0-1.noarch -> ',
      'RP024 app-1.0-1.noarch -> app-2.0-1.noarch',
      'RP024 solo-1.0-1.noarch -> solo-2.0-1.noarch',
    ]);
    expect(tx(o)).toEqual([]);
    expect(tx(o, 'platform')).toEqual(['upgrade libjson-1.0-1.noarch -> libjson-2.0-1.noarch']);
    const solo = o.result.findings.find((f) => f.package === 'solo-1.0-1.noarch')!;
    expect(solo.message).toBe(
      'the best upgrade of `solo-1.0-1.noarch` in node `app`, `solo-2.0-1.noarch`, cannot be installed: nothing provides libnew needed by solo-2.0-1.noarch; with --no-best `solo-1.0-1.noarch` stays',
    );
  });

  it('a best candidate that needs a change of a locked ancestor package is RP024, naming the ancestor', async () => {
    const o = await run({ upgrade: [{ node: 'app', pattern: 'jsonapp' }] });
    expect(codes(o)).toEqual(['RP024 jsonapp-1.0-1.noarch -> jsonapp-2.0-1.noarch']);
    const f = o.result.findings[0]!;
    expect(f.message).toContain('with --no-best `jsonapp-1.0-1.noarch` stays');
    expect(f.evidence.find((s) => s.role === 'ancestor')).toEqual({
      role: 'ancestor',
      text: '`libjson-1.0-1.noarch` is installed in ancestor `platform` and cannot change from `app`',
      package: 'libjson-1.0-1.noarch',
      node: 'platform',
    });
  });

  it('--install: the best candidate of the request cannot go in, as lock says with RP052', async () => {
    const o = await run({ install: [{ node: 'app', package: 'other' }] });
    expect(codes(o)).toEqual(['RP024 other-2.0-1.noarch -> other-2.0-1.noarch']);
    const f = o.result.findings[0]!;
    expect(f.entry).toBe('other');
    expect(f.message).toBe(
      'the best candidate of `other` for node `app`, `other-2.0-1.noarch`, cannot be installed: nothing provides libnew needed by other-2.0-1.noarch; with --no-best it takes `other-1.0-1.noarch`',
    );
  });

  it('--security-only: the advisory package that cannot go in fails the node, as dnf upgrade --security does', async () => {
    const o = await run({ securityOnly: true });
    expect(codes(o)).toEqual(['RP024 app-1.0-1.noarch -> app-2.0-1.noarch']);
    expect(o.result.findings[0]!.message).toContain('with --no-best `app-1.0-1.noarch` stays');
    const app = o.plan.nodes.find((n) => n.node === 'app')!;
    expect(app.status).toBe('failed');
    expect(app.notReceived.map((a) => [a.id, a.reason])).toEqual([
      ['SA-1', '`best` refuses the transaction of `app`: a best candidate cannot be installed (RP024)'],
    ]);
  });

  it('is deterministic', async () => {
    const a = await run({ upgradeAll: true });
    const b = await run({ upgradeAll: true });
    expect(JSON.stringify(b.result.findings)).toBe(JSON.stringify(a.result.findings));
    expect(JSON.stringify(b.plan)).toBe(JSON.stringify(a.plan));
  });
});

describe('update-check with best: false (or --no-best): the highest candidate that goes in', () => {
  for (const [label, options, extra] of [
    ['best: false family-wide', 'best: false\n', {}],
    ['best: false on the node', '', { nodeOptions: '    best: false\n' }],
    ['--no-best', '', { best: false }],
    ['--no-best over best: true', 'best: true\n', { best: false }],
  ] as const) {
    it(`${label}: app goes to 1.1, tool to 1.1, solo stays; no finding`, async () => {
      const o = await run({ upgrade: [{ node: 'app', pattern: '[ast]*' }] }, options, extra);
      expect(codes(o)).toEqual([]);
      expect(tx(o)).toEqual([
        'upgrade app-1.0-1.noarch -> app-1.1-1.noarch',
        'upgrade tool-1.0-1.noarch -> tool-1.1-1.noarch',
      ]);
      expect(status(o)).toBe('changed');
    });
  }

  it('an upgrade held back by a locked ancestor stays RP023 (a note)', async () => {
    const o = await run({ upgrade: [{ node: 'app', pattern: 'jsonapp' }] }, '', { best: false });
    expect(codes(o)).toEqual(['RP023 jsonapp-1.0-1.noarch -> jsonapp-2.0-1.noarch']);
    expect(o.result.findings[0]!.level).toBe('note');
  });

  it('--install takes the older candidate and --security-only skips the advisory package', async () => {
    const i = await run({ install: [{ node: 'app', package: 'other' }] }, 'best: false\n');
    expect(codes(i)).toEqual([]);
    expect(tx(i)).toEqual(['install other-1.0-1.noarch']);
    const s = await run({ securityOnly: true }, 'best: false\n');
    expect(codes(s)).toEqual([]);
    expect(tx(s)).toEqual(['upgrade tool-1.0-1.noarch -> tool-1.1-1.noarch']);
  });
});

describe('update-check with best: what RP024 does not claim', () => {
  it('a failure that --no-best does not fix either stays RP022', async () => {
    // app-1.0 conflicts with nothing, but the request's every candidate needs libnew
    const o = await run({ install: [{ node: 'app', package: 'other-2.0-1.noarch' }] });
    expect(codes(o).map((c) => c.split(' ')[0])).toEqual(['RP022']);
  });

  it("best candidates that only fail together are RP022, with libsolv's explanation", async () => {
    const o = await run({ upgrade: [{ node: 'app', pattern: 'p[ab]' }] });
    expect(codes(o)).toEqual(['RP022 pa-2.0-1.noarch -> ']);
    expect(o.result.findings[0]!.evidence.map((s) => s.role)).toContain('best');
    const n = await run({ upgrade: [{ node: 'app', pattern: 'p[ab]' }] }, '', { best: false });
    expect(codes(n)).toEqual([]);
    expect(tx(n)).toHaveLength(2);
  });

  it("the lock written after a proven plan records --no-best, and a node's own best", async () => {
    const lockOf = async (best: boolean | undefined, nodeOptions = '') =>
      (
        await updateCheck(
          createNodeHost(),
          {
            manifestText: manifest('', nodeOptions),
            manifestFile: 'best.yaml',
            manifestAbsDir: dir,
            to: [{ id: 'new', path: 'new', absPath: join(dir, 'new') }],
            change: { upgrade: [{ node: 'app', pattern: 'tool' }] },
            ...(best !== undefined && { best }),
            writeLock: { manifestFromLock: 'best.yaml' },
          },
          engine,
        )
      ).lock!;
    const node = await lockOf(undefined, '    best: false\n');
    expect(node.options).toEqual({ 'weak-deps': true, best: true });
    expect(node.nodes.find((n) => n.alias === 'app')!.options).toEqual({ 'weak-deps': true, best: false });
    expect(node.nodes.find((n) => n.alias === 'platform')!.options).toBeUndefined();
  });

  it('the lock written after a proven plan records --no-best', async () => {
    const o = await updateCheck(
      createNodeHost(),
      {
        manifestText: manifest(''),
        manifestFile: 'best.yaml',
        manifestAbsDir: dir,
        to: [{ id: 'new', path: 'new', absPath: join(dir, 'new') }],
        change: { upgrade: [{ node: 'app', pattern: 'tool' }] },
        best: false,
        writeLock: { manifestFromLock: 'best.yaml' },
      },
      engine,
    );
    expect(o.lock?.options).toEqual({ 'weak-deps': true, best: false });
    expect(o.lock?.nodes.every((n) => n.options === undefined)).toBe(true);
  });
});
