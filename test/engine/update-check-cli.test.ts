import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const root = new URL('../..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'redproof-update-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...argv: string[]) {
  return runCli(argv, { cwd: root, cacheHome: join(tmp, 'cache') });
}

describe('redproof update-check (CLI)', () => {
  it('exit 0 on a clean upgrade, with the plan written', async () => {
    const plan = join(tmp, 'plan.json');
    const r = await run(
      'update-check',
      'corpus/families/coherent.yaml',
      '--to',
      'updates=corpus/repos/demo-updates',
      '--upgrade-all',
      '--plan',
      plan,
      '-q',
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^PASS: 0 errors/m);
    const p = JSON.parse(readFileSync(plan, 'utf8'));
    expect(p.schemaVersion).toBe(1);
    expect(p.proven).toBe(true);
    expect(p.nodes.map((n: { node: string }) => n.node)).toEqual(['host', 'platform', 'navigation', 'media']);
  });

  it('exit 1 on RP020, with a code frame at the broken package, in every format', async () => {
    const args = [
      'update-check',
      'corpus/families/update-soname.yaml',
      '--to',
      'updates=corpus/repos/demo-updates',
      '--upgrade',
      'platform',
      '-q',
    ];
    const r = await run(...args);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^RP020 error: updating `libbar-1.0-1.x86_64` in node `platform` removes/m);
    expect(r.out).toMatch(/--> corpus\/families\/update-soname\.yaml:18:16/);
    const json = JSON.parse((await run(...args, '-f', 'json')).out);
    expect(json.command).toBe('update-check');
    expect(json.findings[0]).toMatchObject({
      rule: 'RP020',
      node: 'daemons',
      package: 'bar-daemon-1.0-1.x86_64',
      dependency: 'libbar.so.1()(64bit)',
      other: 'libbar-1.0-1.x86_64',
      otherNode: 'platform',
      updatedNode: 'platform',
      before: 'libbar-1.0-1.x86_64',
    });
    // the provider was replaced by the soname bump (libbar2 obsoletes libbar): its NEVRA is `after`
    expect(json.findings[0].after).toMatch(/^libbar2?-2\./);
    for (const f of ['sarif', 'junit', 'markdown']) {
      const o = await run(...args, '-f', f);
      expect(o.code).toBe(1);
      expect(o.out).toContain('RP020');
    }
  });

  it('exit 1 on RP024 with best (the default), exit 0 with --no-best and the held-back note', async () => {
    const args = [
      'update-check',
      'corpus/families/update-state.yaml',
      '--to',
      'new=corpus/repos/update-new',
      '--upgrade',
      'app',
      '-q',
    ];
    const r = await run(...args);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^RP024 error: the best upgrade of `jsonapp-1\.0-1\.x86_64` in node `app`, `jsonapp-2\.0-1\.x86_64`, cannot be installed: /m,
    );
    expect(r.out).toMatch(/--> corpus\/families\/update-state\.yaml:17:16/);
    expect(r.out).toContain('= docs: rules/RP024-update-best-not-installable.md');
    const n = await run(...args, '--no-best');
    expect(n.code).toBe(0);
    expect(n.out).toMatch(/^RP023 note: /m);
    expect(n.out).not.toContain('RP024');
  });

  it('usage errors exit 2', async () => {
    expect((await run('update-check', 'corpus/families/coherent.yaml')).code).toBe(2);
    const r = await run('update-check', 'corpus/families/coherent.yaml', '--upgrade', 'nosuch', '-q');
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown node `nosuch`');
    expect((await run('update-check', 'corpus/families/coherent.yaml', '--install', 'media')).code).toBe(2);
  });
});
