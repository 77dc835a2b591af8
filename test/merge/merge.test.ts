import { execFileSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/reporters/common.js';
import { cli } from '../reporters/report-helpers.js';
import { compileSchema, errorsOf, repoPath } from '../reporters/schema-helpers.js';

// `redproof merge` of two families' runs (as a CI matrix would produce them): each output format carries
// every finding once, SARIF passes the multitool, the exit code follows the merged findings.

const MULTITOOL_DIR = ['linux', 'darwin', 'win32']
  .map((os) => repoPath(`node_modules/@microsoft/sarif-multitool-${os}`))
  .find((dir) => existsSync(join(dir, 'sarif-2.1.0.json')));
if (!MULTITOOL_DIR) throw new Error('@microsoft/sarif-multitool is not installed (npm ci)');

const dir = mkdtempSync(join(tmpdir(), 'redproof-merge-'));
const families = ['rp001-unresolved', 'rp004-shareable-duplicate', 'rp005-file-conflict'];
const runs: Record<
  string,
  { findings: { fingerprint: string; rule: string }[]; stats: { footprint: unknown } }
> = {};

beforeAll(async () => {
  for (const f of families) {
    const { code } = await cli([
      'check',
      `corpus/families/${f}.yaml`,
      '-q',
      '--json',
      join(dir, `${f}.json`),
    ]);
    expect(code).toBeLessThanOrEqual(1);
    runs[f] = JSON.parse(readFileSync(join(dir, `${f}.json`), 'utf8'));
  }
});

const out = (name: string) => join(dir, name);
const inputs = () => families.map((f) => join(dir, `${f}.json`));

describe('redproof merge', () => {
  it('writes one report from several runs, every finding once', async () => {
    const { code } = await cli([
      'merge',
      ...inputs(),
      '--sarif',
      out('m.sarif'),
      '--junit',
      out('m.xml'),
      '--markdown',
      out('m.md'),
      '--html',
      out('m.html'),
      '--json',
      out('m.json'),
    ]);
    expect(code).toBe(1); // rp001 has an error
    const all = families.flatMap((f) => runs[f]!.findings);
    expect(all.length).toBeGreaterThanOrEqual(3);

    const sarif = JSON.parse(readFileSync(out('m.sarif'), 'utf8'));
    const validate = compileSchema(join(MULTITOOL_DIR!, 'sarif-2.1.0.json'));
    expect(validate(sarif) ? [] : errorsOf(validate)).toEqual([]);
    expect(sarif.runs).toHaveLength(families.length);
    const ids = sarif.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id);
    expect(new Set(ids).size).toBe(families.length);
    families.forEach((f, i) => {
      const fps = sarif.runs[i].results.map(
        (r: { partialFingerprints: Record<string, string> }) => Object.values(r.partialFingerprints)[0],
      );
      expect(fps.sort()).toEqual(runs[f]!.findings.map((x) => x.fingerprint).sort());
    });

    const junit = readFileSync(out('m.xml'), 'utf8');
    const failures = Number(/<testsuites [^>]*failures="(\d+)"/.exec(junit)?.[1]);
    // JUnit counts failed testcases (one per node and rule); without --fail-on only errors fail
    expect(failures).toBe(new Set(all.filter((f) => f.rule === 'RP001').map((f) => f.fingerprint)).size);
    for (const f of families) expect(junit).toContain(`<testsuite name="${f}: host"`);

    const md = readFileSync(out('m.md'), 'utf8');
    for (const f of families) expect(md).toMatch(new RegExp(`^\\| ${f} \\| check \\|`, 'm'));

    const html = readFileSync(out('m.html'), 'utf8');
    expect(html.match(/<article class="finding/g)).toHaveLength(all.length);

    const merged = JSON.parse(readFileSync(out('m.json'), 'utf8'));
    const mergeSchema = compileSchema(repoPath('schema/merge-v1.schema.json'));
    expect(mergeSchema(merged) ? [] : errorsOf(mergeSchema)).toEqual([]);
    const resultSchema = compileSchema(repoPath('schema/result-v1.schema.json'));
    for (const r of merged.runs) expect(resultSchema(r.result) ? [] : errorsOf(resultSchema)).toEqual([]);
    expect(merged.summary.errors + merged.summary.warnings + merged.summary.notes).toBe(all.length);
    expect(merged.runs.map((r: { input: string }) => r.input)).toEqual(families);
    expect(merged.verdict).toBe('fail');
  });

  it('passes the SARIF multitool validator with zero errors and warnings', async () => {
    await cli(['merge', ...inputs(), '-q', '--sarif', out('v.sarif')]);
    const binary = join(
      MULTITOOL_DIR!,
      process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool',
    );
    try {
      accessSync(binary, constants.X_OK);
    } catch {
      chmodSync(binary, 0o755);
    }
    execFileSync(
      binary,
      ['validate', out('v.sarif'), '--level', 'Error;Warning', '--output', out('v.validation.sarif')],
      {
        env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
        stdio: 'pipe',
      },
    );
    const report = JSON.parse(readFileSync(out('v.validation.sarif'), 'utf8'));
    const problems = report.runs
      .flatMap((r: { results: { level?: string; message: { text?: string } }[] }) => r.results)
      .filter((r: { level?: string }) => (r.level ?? 'warning') !== 'note');
    expect(problems).toEqual([]);
  });

  it('exits 0 when every run passes at the threshold, 1 when one fails', async () => {
    const warnOnly = [join(dir, 'rp004-shareable-duplicate.json'), join(dir, 'rp005-file-conflict.json')];
    expect((await cli(['merge', ...warnOnly, '-q'])).code).toBe(0);
    expect((await cli(['merge', ...warnOnly, '-q', '--fail-on', 'warning'])).code).toBe(1);
  });

  it('rejects an input of an unknown schema version, or no report at all, with exit 3', async () => {
    const v2 = out('v2.json');
    writeFileSync(v2, JSON.stringify({ ...runs['rp001-unresolved'], schemaVersion: 2 }));
    const r = await cli(['merge', inputs()[0]!, v2]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/v2\.json: unknown schemaVersion 2: this redproof reads version 1/);
    const junk = out('junk.json');
    writeFileSync(junk, '{"schemaVersion": 1, "findings": 3}');
    const j = await cli(['merge', junk]);
    expect(j.code).toBe(3);
    expect(j.err).toMatch(/junk\.json: does not follow schema\/result-v1\.schema\.json/);
    expect((await cli(['merge'])).code).toBe(2);
    expect((await cli(['merge', inputs()[0]!, inputs()[0]!])).code).toBe(2);
  });

  it('carries each run footprint, the one its own report states, also from a report without one', async () => {
    // a report of an older redproof has no stats.footprint: merge derives it from the subjects
    const older = out('older.json');
    const doc = JSON.parse(readFileSync(inputs()[1]!, 'utf8'));
    const stated = doc.stats.footprint;
    expect(stated.familyBytes).toBeGreaterThan(0);
    delete doc.stats.footprint;
    writeFileSync(older, JSON.stringify(doc));
    const { code } = await cli([
      'merge',
      inputs()[0]!,
      older,
      '-q',
      '--json',
      out('f.json'),
      '--markdown',
      out('f.md'),
      '--html',
      out('f.html'),
    ]);
    expect(code).toBe(1);
    const merged = JSON.parse(readFileSync(out('f.json'), 'utf8'));
    expect(merged.runs[0].result.stats.footprint).toEqual(runs['rp001-unresolved']!.stats.footprint);
    expect(merged.runs[1].result.stats.footprint).toEqual(stated);
    const cell = (fp: { familyBytes: number; standaloneBytes: number; sharingRatio: number }) =>
      `${formatBytes(fp.familyBytes)}, standalone ${formatBytes(fp.standaloneBytes)} (${fp.sharingRatio.toFixed(2)}×)`;
    const md = readFileSync(out('f.md'), 'utf8');
    expect(md).toContain(`| ${cell(stated)} |`);
    expect(readFileSync(out('f.html'), 'utf8')).toContain(`<td>${cell(stated)}</td>`);
  });
});

describe('redproof merge of hoisting runs', () => {
  it('keeps each run hoist (lock --hoist applied, check --suggest-hoist a plan) in every output', async () => {
    const family = 'corpus/families/requests/hoist.yaml';
    const lock = await cli([
      'lock',
      family,
      '--hoist',
      '--lockfile',
      out('h.lock.yaml'),
      '-q',
      '--json',
      out('h-lock.json'),
    ]);
    expect(lock.code, lock.err).toBe(0);
    const plan = await cli(['check', family, '--suggest-hoist', '-q', '--json', out('h-plan.json')]);
    expect(plan.code, plan.err).toBe(0);
    const stated = [out('h-lock.json'), out('h-plan.json')].map(
      (f) => JSON.parse(readFileSync(f, 'utf8')).hoist,
    );
    expect(stated.map((h) => [h.mode, h.hoists.length])).toEqual([
      ['applied', 2],
      ['plan', 2],
    ]);
    const { code } = await cli([
      'merge',
      out('h-lock.json'),
      out('h-plan.json'),
      inputs()[0]!,
      '-q',
      '--json',
      out('h.json'),
      '--markdown',
      out('h.md'),
      '--html',
      out('h.html'),
    ]);
    expect(code).toBe(1); // rp001-unresolved has an error
    const merged = JSON.parse(readFileSync(out('h.json'), 'utf8'));
    const mergeSchema = compileSchema(repoPath('schema/merge-v1.schema.json'));
    expect(mergeSchema(merged) ? [] : errorsOf(mergeSchema)).toEqual([]);
    // each run's own, as its report states it; the run that did not hoist has none
    expect(merged.runs.map((r: { result: { hoist?: unknown } }) => r.result.hoist)).toEqual([
      stated[0],
      stated[1],
      undefined,
    ]);
    const md = readFileSync(out('h.md'), 'utf8');
    expect(md).toMatch(/^\| h-lock \| lock \|.*\| applied: 2 hoists saved 140 B, 0 duplicates left \|$/m);
    expect(md).toMatch(/^\| h-plan \| check \|.*\| plan: 2 hoists would save 140 B, 0 duplicates left \|$/m);
    expect(md).toMatch(/^\| rp001-unresolved \| check \|.*\| - \|$/m);
    expect(md).toContain('#### Hoisting\n\n2 hoists save 140 B');
    expect(md).toContain('#### Hoist plan\n\n2 hoists would save 140 B');
    const html = readFileSync(out('h.html'), 'utf8');
    expect(
      [...html.matchAll(/<section id="(run\d-hoist)" data-hoist-mode="(\w+)"/g)].map((m) => [m[1], m[2]]),
    ).toEqual([
      ['run1-hoist', 'applied'],
      ['run2-hoist', 'plan'],
    ]);
    expect(html).toContain('<a href="#run1-hoist">applied: 2 hoists saved 140 B, 0 duplicates left</a>');
    expect(html).toContain('data-hoist-package="python3-3.9.18-1.el9.x86_64" data-hoist-to="platform"');
  });
});
