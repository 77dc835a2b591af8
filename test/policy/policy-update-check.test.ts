import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

// update-check --policy judges the family AFTER the change: over corpus/families/coherent.yaml and the
// corpus/repos/demo-updates repository, a policy the family keeps today breaks once the upgrade or the
// install is applied.

const ROOT = resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'redproof-policy-update-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function policy(name: string, rules: string): string {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, `redproof-policy: 1\nrules:\n${rules}`);
  return file;
}

async function run(argv: string[]) {
  const r = await runCli([...argv, '--format', 'json', '-q'], { cwd: ROOT, cacheHome: join(tmp, 'cache') });
  const findings: { rule: string; level: string; node: string; package?: string; message: string }[] =
    r.out === '' ? [] : JSON.parse(r.out).findings;
  return {
    ...r,
    findings,
    keys: findings.map((f) => `${f.rule} ${f.level} ${f.node} ${f.package ?? ''}`.trim()),
  };
}

const FAMILY = 'corpus/families/coherent.yaml';
const TO = ['--to', 'updates=corpus/repos/demo-updates'];

describe('update-check --policy', () => {
  it('an upgrade that brings in a denied build breaks the policy; the family before keeps it', async () => {
    const p = policy(
      'no-openssl-28',
      "  - name: pinned-openssl\n    nodes: [platform]\n    deny-packages: ['openssl-libs-1:3.0.7-28.*']\n",
    );
    const before = await run(['check', FAMILY, '--policy', p]);
    expect(before.code).toBe(0);
    expect(before.keys).toEqual([]);
    const after = await run(['update-check', FAMILY, ...TO, '--upgrade-all', '--policy', p]);
    expect(after.err).toBe('');
    expect(after.code).toBe(1);
    expect(after.keys).toEqual(['RP040 error platform openssl-libs-1:3.0.7-28.el9.x86_64']);
    expect(after.findings[0]?.message).toContain('pinned-openssl');
  });

  it('an install that exceeds the size budget and adds a denied package breaks both rules', async () => {
    // media holds gstreamer1 (57 B) and media-player (41 B): 98 B; libbar2 adds 37 B
    const p = policy(
      'lean-media',
      "  - name: lean-media\n    nodes: [media]\n    max-installed-size: 120 B\n    deny-packages: ['libbar*']\n",
    );
    expect((await run(['check', FAMILY, '--policy', p])).code).toBe(0);
    const r = await run(['update-check', FAMILY, ...TO, '--install', 'media=libbar2', '--policy', p]);
    expect(r.code).toBe(1);
    expect(r.keys.sort()).toEqual(['RP040 error media libbar2-2.0-1.x86_64', 'RP042 error media']);
    expect(r.findings.find((f) => f.rule === 'RP042')?.message).toMatch(/135/);
    // the same install within budget and without the denied name passes
    const roomy = policy('roomy-media', '  - nodes: [media]\n    max-installed-size: 135 B\n');
    const ok = await run(['update-check', FAMILY, ...TO, '--install', 'media=libbar2', '--policy', roomy]);
    expect(ok.code).toBe(0);
    expect(ok.keys).toEqual([]);
  });

  it('says in a note what rpm-md cannot tell, without failing the run', async () => {
    const p = policy(
      'image-only',
      "  - nodes: [media]\n    deny-setuid: true\n    signed-by: ['0123456789abcdef']\n    deny-config: { share_net: enabled }\n",
    );
    const r = await run(['update-check', FAMILY, ...TO, '--upgrade-all', '--policy', p]);
    expect(r.code).toBe(0);
    expect(r.keys).toEqual(['RP044 note media', 'RP045 note media', 'RP046 note media']);
  });

  it('exits 3 for a bad policy file', async () => {
    const p = policy('bad', '  - nodes: [media]\n    max-installed-size: lots\n');
    const r = await runCli(['update-check', FAMILY, ...TO, '--upgrade-all', '--policy', p, '-q'], {
      cwd: ROOT,
      cacheHome: join(tmp, 'cache'),
    });
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/bad\.yaml:4:25: rules\[0\]\.max-installed-size: `lots` is not a size/);
  });
});
