import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';

const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'redproof-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...argv: string[]) {
  return runCli(argv, { cwd: root, cacheHome: join(tmp, 'cache') });
}

describe('cli', () => {
  it('exit 0 on a coherent family, with a readable summary', async () => {
    const r = await run('check', 'corpus/families/coherent.yaml');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^PASS: 0 errors/m);
    expect(r.err).toBe('');
  });

  it('exit 1 on findings, with a code frame pointing at the entry', async () => {
    const r = await run('check', 'corpus/families/rp003-ancestor-duplicate.yaml');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^RP003 error: /m);
    expect(r.out).toMatch(/--> corpus\/families\/rp003-ancestor-duplicate\.yaml:\d+:\d+/);
    expect(r.out).toMatch(/\^+/);
  });

  it('--fail-on decides the exit code: a warning fails only at --fail-on warning', async () => {
    expect((await run('check', 'corpus/families/rp004-shareable-duplicate.yaml')).code).toBe(0);
    expect(
      (await run('check', 'corpus/families/rp004-shareable-duplicate.yaml', '--fail-on', 'warning')).code,
    ).toBe(1);
    expect(
      (await run('check', 'corpus/families/rp003-ancestor-duplicate.yaml', '--fail-on', 'never')).code,
    ).toBe(0);
  });

  it('exit 2 on usage errors, with a pointer to help', async () => {
    const bad = await run('check', 'corpus/families/coherent.yaml', '--frobnicate');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/usage error: check: Unknown option '--frobnicate'/);
    expect(bad.err).toMatch(/redproof check --help/);
    expect((await run('nonsense')).code).toBe(2);
    expect((await run('check')).code).toBe(2);
    expect((await run('repo-check', '--repo', 'corpus/repos/clean', '--format', 'yaml')).code).toBe(2);
  });

  it('exit 3 on input errors, naming the file and what was expected, without a stack trace', async () => {
    const missing = await run('check', 'corpus/families/nope.yaml');
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(
      /input error: corpus\/families\/nope\.yaml: cannot read: ENOENT; expected a family manifest/,
    );
    expect(missing.err).not.toMatch(/\n\s+at /);
    const checksum = await run('repo-check', '--repo', 'corpus/repos/checksum-mismatch', '--no-cache');
    expect(checksum.code).toBe(3);
    expect(checksum.err).toMatch(/checksum mismatch/);
    const cycle = await run('check', 'corpus/families/bad-cycle.yaml');
    expect(cycle.code).toBe(3);
    expect(cycle.err).toMatch(/bad-cycle\.yaml:\d+:\d+: .*cycle/);
  });

  it('--format sarif and json print only that document on stdout', async () => {
    const sarif = await run('check', 'corpus/families/rp001-unresolved.yaml', '--format', 'sarif');
    const doc = JSON.parse(sarif.out);
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs[0].results[0].ruleId).toBe('RP001');
    const json = JSON.parse(
      (await run('repo-check', '--repo', 'corpus/repos/version-req', '--format', 'json')).out,
    );
    expect(json.findings[0].rule).toBe('RP030');
    expect(json.findings[0].package).toBe('foo-1.0-1.x86_64');
  });

  it('repo-check --full-explanations is accepted and keeps the verdicts', async () => {
    const base = ['repo-check', '--repo', 'corpus/repos/missing-req', '--no-cache', '--format', 'json'];
    const derived = await run(...base);
    const full = await run(...base, '--full-explanations');
    expect(full.code).toBe(1);
    expect(JSON.parse(full.out).findings.map((f: { package: string }) => f.package)).toEqual(
      JSON.parse(derived.out).findings.map((f: { package: string }) => f.package),
    );
    expect((await run('repo-check', '--help')).out).toMatch(/--full-explanations/);
  });

  it('a report written after an input error states the error and claims no check', async () => {
    const manifest = join(tmp, 'broken.yaml');
    writeFileSync(
      manifest,
      'redproof: 1\nfamily: broken\narch: x86_64\nrepos:\n  - id: gone\n    path: no-such-repo\nnodes: []\n',
    );
    const [json, junit, md] = ['e.json', 'e.xml', 'e.md'].map((f) => join(tmp, f));
    const r = await run('check', manifest, '--json', json!, '--junit', junit!, '--markdown', md!);
    expect(r.code).toBe(3);
    const doc = JSON.parse(readFileSync(json!, 'utf8'));
    expect(doc.target).toBe(manifest);
    expect(doc.arch).toBe('unknown');
    expect(doc.rules).toEqual([]);
    expect(doc.subjects).toEqual([]);
    expect(doc.errors).toHaveLength(1);
    const xml = readFileSync(junit!, 'utf8');
    const cases = [...xml.matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((m) => m[1]);
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(c).toMatch(/^tool-error-/);
    expect(xml).not.toMatch(/node-config-invalid|alias-invalid/);
    expect(readFileSync(md!, 'utf8')).toMatch(/💥 tool error/);
  });

  it("check --help documents the manifest's arch as the default of --arch", async () => {
    const help = (await run('check', '--help')).out;
    expect(help).toMatch(/--arch ARCH {9}target arch \(default: the manifest's `arch`/);
    expect(help).not.toMatch(/most common arch/);
  });

  it('writes several reports in one run, identical across runs', async () => {
    const files = ['a.sarif', 'a.xml', 'a.json', 'a.md'].map((f) => join(tmp, f));
    const args = [
      'check',
      'corpus/families/rp005-file-conflict.yaml',
      '--sarif',
      files[0]!,
      '--junit',
      files[1]!,
    ];
    args.push('--json', files[2]!, '--markdown', files[3]!);
    await run(...args);
    const first = files.map((f) => readFileSync(f, 'utf8'));
    await run(...args);
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(first);
    expect(first[1]).toMatch(/<testsuites/);
    expect(first[3]).toMatch(/RP005/);
  });

  it('uses the repository cache on a second run', async () => {
    const cache = join(tmp, 'cache2');
    const a = await run(
      'repo-check',
      '--repo',
      'corpus/repos/clean',
      '--cache-dir',
      cache,
      '--format',
      'json',
    );
    const b = await run(
      'repo-check',
      '--repo',
      'corpus/repos/clean',
      '--cache-dir',
      cache,
      '--format',
      'json',
    );
    expect(b.out).toBe(a.out);
    expect(
      readFileSync(
        join(
          cache,
          (await import('node:fs'))
            .readdirSync(cache)
            .find((f) => f.endsWith('.solv') && !/-(dirs|ghosts|repomd)/.test(f))!,
        ),
      )
        .subarray(0, 4)
        .toString(),
    ).toBe('SOLV');
  });

  it('explains rules and prints versions', async () => {
    const e = await run('explain', 'RP003');
    expect(e.code).toBe(0);
    expect(e.out).toMatch(/ancestor-duplicate/);
    expect((await run('explain', 'RP999')).code).toBe(2);
    const v = await run('--version');
    expect(v.out).toMatch(/^redproof \d+\.\d+\.\d+ \(libsolv 0\.7\.23/);
    const h = await run('check', '--help');
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/Examples:/);
  });
});
