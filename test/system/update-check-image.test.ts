import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import {
  type BuiltImage,
  makeImage,
  requireRpmTools,
  rootAdminYaml,
  rootNormalYaml,
} from '../load/redpak/make-image.js';
import { TEST_PACKAGES } from '../load/rpmdb/fixtures.js';
import { requireTool } from './require-tool.js';

async function run(...argv: string[]) {
  return runCli(argv);
}

// update-check with an image tree as STATE: the installed packages (read from the real rpm databases)
// become the state, resolved in the repositories given with --repo.
describe('update-check IMAGE_ROOT', () => {
  let img: BuiltImage;
  let repo: string;
  let partial: string;
  beforeAll(() => {
    requireRpmTools();
    requireTool('createrepo_c', 'createrepo-c');
    img = makeImage({
      packages: TEST_PACKAGES,
      host: ['libfoo', 'helper'],
      nodes: [
        { path: 'var/redpak', config: rootNormalYaml(), admin: rootAdminYaml() },
        { path: 'var/redpak/platform', install: ['archlib'] },
      ],
    });
    // a repository holding every built rpm, and one missing archlib
    repo = join(img.workDir, 'repo');
    partial = join(img.workDir, 'partial');
    for (const [dir, skip] of [
      [repo, ''],
      [partial, 'archlib'],
    ] as const) {
      mkdirSync(dir, { recursive: true });
      for (const [name, rpm] of img.rpms) if (name !== skip) copyFileSync(rpm, join(dir, `${name}.rpm`));
      execFileSync('createrepo_c', ['--quiet', dir]);
    }
  }, 180_000);
  afterAll(() => img?.cleanup());

  it('reads the installed state and plans an upgrade-all with nothing to upgrade', async () => {
    const plan = join(img.workDir, 'plan.json');
    const r = await run(
      'update-check',
      img.root,
      '--repo',
      `base=${repo}`,
      '--upgrade-all',
      '--plan',
      plan,
      '-f',
      'json',
      '--no-cache',
    );
    expect(r.err).toBe('');
    const doc = JSON.parse(r.out);
    expect(doc.command).toBe('update-check');
    expect(doc.subjects.map((s: { id: string }) => s.id)).toEqual(['host', 'system', 'platform']);
    const p = JSON.parse(readFileSync(plan, 'utf8')) as { nodes: { node: string; transaction: unknown[] }[] };
    expect(p.nodes.every((n) => n.transaction.length === 0)).toBe(true);
    expect(doc.findings.filter((f: { rule: string }) => f.rule === 'RP006')).toEqual([]);
  });

  it('reports an installed package that no given repository has (RP006)', async () => {
    const r = await run(
      'update-check',
      img.root,
      '--repo',
      `base=${partial}`,
      '--upgrade-all',
      '-f',
      'json',
      '--no-cache',
    );
    const doc = JSON.parse(r.out);
    expect(r.code).toBe(1);
    const rp006 = doc.findings.filter((f: { rule: string }) => f.rule === 'RP006');
    expect(
      rp006.map((f: { node: string; entry: string }) => [f.node, f.entry.replace(/-[^-]+-[^-]+$/, '')]),
    ).toEqual([['platform', 'archlib']]);
  });

  it('needs the repositories the image came from', async () => {
    const r = await run('update-check', img.root, '--upgrade-all');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/an image state needs the repositories its packages came from/);
  });
});
