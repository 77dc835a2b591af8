import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const cacheHome = mkdtempSync(join(tmpdir(), 'redproof-policy-cache-'));

describe('check --policy', () => {
  it('fires each rule of the example policy exactly where it breaks, and nowhere else', async () => {
    const { code, out } = await runCli(
      [
        'check',
        'corpus/families/coherent.yaml',
        '--policy',
        'corpus/policies/example.yaml',
        '--format',
        'json',
        '-q',
      ],
      { cwd: ROOT, cacheHome },
    );
    expect(code).toBe(1);
    const result = JSON.parse(out);
    const got = result.findings
      .map((f: { rule: string; node: string; package?: string }) =>
        `${f.rule} ${f.node} ${f.package ?? ''}`.trim(),
      )
      .sort();
    expect(got).toEqual([
      'RP040 platform openssl-libs-1:3.0.7-27.el9.x86_64',
      'RP041 media gstreamer1-1.22.1-1.el9.x86_64',
      'RP041 media media-player-3.0-1.x86_64',
      'RP042 navigation',
      'RP043 platform',
    ]);
    const platform = result.subjects.find((s: { id: string }) => s.id === 'platform');
    expect(platform.checked).toEqual(expect.arrayContaining(['RP001', 'RP040', 'RP043']));
    expect(result.rules.map((r: { id: string }) => r.id)).toEqual(
      expect.arrayContaining(['RP040', 'RP041', 'RP042', 'RP043']),
    );
  });

  it('puts the policy rule in SARIF as a related location with its snippet', async () => {
    const { out } = await runCli(
      [
        'check',
        'corpus/families/coherent.yaml',
        '--policy',
        'corpus/policies/example.yaml',
        '--format',
        'sarif',
        '-q',
      ],
      { cwd: ROOT, cacheHome },
    );
    const run = JSON.parse(out).runs[0];
    const rp040 = run.results.find((r: { ruleId: string }) => r.ruleId === 'RP040');
    const related = rp040.relatedLocations.find((l: { message: { text: string } }) =>
      l.message.text.startsWith('policy:'),
    );
    expect(related.physicalLocation.artifactLocation.uri).toBe('corpus/policies/example.yaml');
    expect(related.physicalLocation.region).toMatchObject({ startLine: 6, startColumn: 5 });
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toContain('RP040');
  });

  it('exits 3 with every problem of a bad policy file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redproof-policy-'));
    writeFileSync(
      join(dir, 'bad.yaml'),
      'redproof-policy: 1\nrules:\n  - nodes: [x]\n    deny-setuid: maybe\n    typo: 1\n',
    );
    const { code, err } = await runCli(
      ['check', join(ROOT, 'corpus/families/coherent.yaml'), '--policy', 'bad.yaml', '-q'],
      { cwd: dir, cacheHome },
    );
    expect(code).toBe(3);
    expect(err).toMatch(/bad\.yaml:4:18: rules\[0\]\.deny-setuid: must be `true` or `false`/);
    expect(err).toMatch(/bad\.yaml:5:5: rules\[0\]\.typo: unknown key `typo`/);
  });

  it('takes the policy from a .redproof.yaml beside the manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redproof-policy-'));
    cpSync(join(ROOT, 'corpus/families/coherent.yaml'), join(dir, 'family.yaml'));
    writeFileSync(
      join(dir, 'family.yaml'),
      (await import('node:fs'))
        .readFileSync(join(dir, 'family.yaml'), 'utf8')
        .replace('../repos/demo', join(ROOT, 'corpus/repos/demo')),
    );
    writeFileSync(join(dir, '.redproof.yaml'), 'policy: rules/policy.yaml\n');
    (await import('node:fs')).mkdirSync(join(dir, 'rules'));
    writeFileSync(
      join(dir, 'rules/policy.yaml'),
      'redproof-policy: 1\nrules:\n  - nodes: [media]\n    deny-packages: [media-player]\n',
    );
    const { code, out } = await runCli(['check', 'family.yaml', '--format', 'json', '-q'], {
      cwd: dir,
      cacheHome,
    });
    expect(code).toBe(1);
    expect(
      JSON.parse(out).findings.map((f: { rule: string; package: string }) => `${f.rule} ${f.package}`),
    ).toEqual(['RP040 media-player-3.0-1.x86_64']);
  });
});
