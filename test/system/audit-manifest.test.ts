import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/engine/audit.js';
import { familyCheck } from '../../src/engine/family-check.js';
import { createNodeHost } from '../../src/host/node-host.js';
import type { CheckResult } from '../../src/model/finding.js';
import { type BuiltImage, makeImage, type NodeSpec, requireRpmTools } from '../load/redpak/make-image.js';
import { requireTool } from './require-tool.js';

// The same family described as a manifest (`redproof check`) and installed on disk (`redproof audit`)
// must give the same package-level findings. The rpms are the corpus's own (corpus/build.sh is
// byte-reproducible, so they are the packages corpus/repos/demo describes).

const root = new URL('../..', import.meta.url).pathname;
let work: string;
let demo: string;
const images: BuiltImage[] = [];

beforeAll(() => {
  requireRpmTools();
  requireTool('createrepo_c', 'createrepo-c');
  requireTool('modifyrepo_c', 'createrepo-c');
  work = mkdtempSync(join(tmpdir(), 'redproof-audit-manifest-'));
  // A copy of the build script, so the committed corpus is never written to.
  cpSync(join(root, 'corpus/build.sh'), join(work, 'corpus/build.sh'));
  cpSync(join(root, 'corpus/specs'), join(work, 'corpus/specs'), { recursive: true });
  execFileSync('bash', [join(work, 'corpus/build.sh'), '--rpms-out', join(work, 'rpms')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  demo = join(work, 'rpms/demo');
}, 300_000);
afterAll(() => {
  for (const i of images) i.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The rpm file of a NEVRA (file names never carry the epoch). */
function rpmOf(nevra: string): string {
  return join(demo, 'Packages', `${nevra.replace(/-\d+:/, '-')}.rpm`);
}

/** Install a checked manifest's resolved packages: host in the image db, node `a` under its parent's path. */
function imageOf(result: CheckResult): { img: BuiltImage; pathOf: Map<string, string> } {
  const pathOf = new Map<string, string>();
  const nodes: NodeSpec[] = [];
  const rpms = new Map<string, string>();
  const names = (nevras: string[]) =>
    nevras.map((n) => {
      rpms.set(n, rpmOf(n));
      return n;
    });
  let host: string[] = [];
  for (const s of result.subjects) {
    const nevras = s.packages.map((p) => p.nevra);
    if (s.kind === 'host') {
      host = names(nevras);
      continue;
    }
    const parent = s.parent === undefined || s.parent === 'host' ? 'var/redpak' : pathOf.get(s.parent)!;
    const path = `${parent}/${s.id}`;
    pathOf.set(s.id, path);
    nodes.push({ path, install: names(nevras) });
  }
  const img = makeImage({ rpms, host, nodes });
  images.push(img);
  return { img, pathOf };
}

type Row = [string, string, string, string, string];

async function compare(family: string) {
  const file = `corpus/families/${family}.yaml`;
  const abs = join(root, file);
  const checked = await familyCheck(createNodeHost(), {
    manifestText: readFileSync(abs, 'utf8'),
    manifestFile: file,
    manifestAbsDir: dirname(abs),
  });
  const { img, pathOf } = imageOf(checked);
  const audited = await audit(createNodeHost(), { imageRoot: img.root });
  const aliasOf = new Map([...pathOf].map(([a, p]) => [p, a]));
  const rows = (r: CheckResult, node: (n: string) => string): Row[] =>
    r.findings
      .map(
        (f): Row => [
          f.rule,
          node(f.node ?? ''),
          f.package ?? '',
          f.other ?? '',
          f.otherNode ? node(f.otherNode) : '',
        ],
      )
      .sort();
  return {
    checked,
    audited,
    fromManifest: rows(checked, (n) => n),
    fromDisk: rows(audited, (n) => aliasOf.get(n) ?? n),
  };
}

describe('audit from disk = check from the manifest', () => {
  it('rp003-ancestor-duplicate', async () => {
    const r = await compare('rp003-ancestor-duplicate');
    expect(r.fromManifest).toEqual([
      [
        'RP003',
        'navigation',
        'openssl-libs-1:3.0.7-27.el9.x86_64',
        'openssl-libs-1:3.0.7-27.el9.x86_64',
        'platform',
      ],
    ]);
    expect(r.fromDisk).toEqual(r.fromManifest);
    expect(r.audited.errors).toEqual([]);
    expect(r.audited.stats.packagesExamined).toBe(
      r.checked.subjects.reduce((n, s) => n + s.packages.length, 0),
    );
  }, 120_000);

  it('rp005-file-conflict', async () => {
    const r = await compare('rp005-file-conflict');
    expect(r.fromManifest.map((x) => x.slice(0, 4))).toEqual([
      ['RP005', 'cluster', 'cluster-config-1.0-1.noarch', 'infotainment-config-1.0-1.noarch'],
    ]);
    expect(r.fromDisk).toEqual(r.fromManifest);
    // the contents are known on disk: they differ, so it is rpm's error rather than a warning
    expect(r.audited.findings[0]?.level).toBe('error');
  }, 120_000);

  it('coherent, with RP014 against the repository the packages came from', async () => {
    const r = await compare('coherent');
    expect(r.fromManifest).toEqual([]);
    expect(r.fromDisk).toEqual([]);
    const { img } = imageOf(r.checked);
    const withRepo = await audit(createNodeHost(), {
      imageRoot: img.root,
      repos: [{ id: 'demo', path: 'demo', absPath: demo }],
    });
    expect(withRepo.findings).toEqual([]);
    expect(withRepo.rules.map((x) => x.id)).toContain('RP014');
  }, 120_000);
});
