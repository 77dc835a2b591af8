import { execFileSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { validateJunit } from './junit-xsd.js';
import { compileSchema, errorsOf, repoPath } from './schema-helpers.js';

/*
 * Issue 6, "the SARIF of every example family validates with both validators": every valid example family
 * (`redproof check`) and every example repository (`redproof repo-check`) goes through main() with
 * `--sarif --junit --json` in one run, and each file is checked against its schema: SARIF with the official
 * 2.1.0 schema (ajv) and Microsoft's multitool, JUnit with libxml2 (xmllint-wasm) and Jenkins' junit-4.xsd, JSON with
 * schema/result-v1.schema.json. The three formats must report the same findings.
 */

const root = repoPath('');
const MULTITOOL_DIR = ['linux', 'darwin', 'win32']
  .map((os) => repoPath(`node_modules/@microsoft/sarif-multitool-${os}`))
  .find((dir) => existsSync(join(dir, 'sarif-2.1.0.json')));
if (!MULTITOOL_DIR) throw new Error('@microsoft/sarif-multitool is not installed (npm ci)');
const validateSarif = compileSchema(join(MULTITOOL_DIR, 'sarif-2.1.0.json'));
const validateJson = compileSchema(repoPath('schema/result-v1.schema.json'));

const families = readdirSync(repoPath('corpus/families'))
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('bad-'))
  .sort();
const repos = readdirSync(repoPath('corpus/repos'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'checksum-mismatch')
  .map((d) => d.name)
  .sort();

const workdir = mkdtempSync(join(tmpdir(), 'redproof-examples-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

function sink(): NodeJS.WriteStream & { text: string } {
  const s = new Writable({
    write(chunk, _enc, cb) {
      s.text += String(chunk);
      cb();
    },
  }) as unknown as NodeJS.WriteStream & { text: string };
  s.text = '';
  return s;
}

interface Outputs {
  name: string;
  code: number;
  stderr: string;
  sarif: string;
  junit: string;
  json: string;
}

const outputs: Outputs[] = [];

/** `--fail-on note`: every finding, whatever its level, fails its JUnit testcase, so it can be counted there. */
async function run(name: string, argv: string[]): Promise<Outputs> {
  const dir = join(workdir, name);
  mkdirSync(dir, { recursive: true });
  const files = { sarif: join(dir, 'out.sarif'), junit: join(dir, 'out.xml'), json: join(dir, 'out.json') };
  const stdout = sink();
  const stderr = sink();
  const code = await main({
    argv: [
      ...argv,
      '--sarif',
      files.sarif,
      '--junit',
      files.junit,
      '--json',
      files.json,
      '--fail-on',
      'note',
      '--no-cache',
      '--quiet',
    ],
    env: { NO_COLOR: '1' },
    cwd: root,
    stdout,
    stderr,
  });
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  return {
    name,
    code,
    stderr: stderr.text,
    sarif: read(files.sarif),
    junit: read(files.junit),
    json: read(files.json),
  };
}

beforeAll(async () => {
  for (const f of families) outputs.push(await run(`check-${f}`, ['check', `corpus/families/${f}`]));
  for (const r of repos)
    outputs.push(await run(`repo-check-${r}`, ['repo-check', '--repo', `corpus/repos/${r}`]));
}, 300_000);

interface SarifLog {
  runs: { results: { ruleId: string; suppressions?: unknown[] }[] }[];
}

interface JsonDoc {
  findings: { rule: string }[];
  errors: unknown[];
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: () => true });

interface XmlNode {
  [key: string]: XmlNode[] | string | undefined;
}

/** Findings per rule in a JUnit report: each failing testcase's message is one finding or `N findings: ...`. */
function junitCounts(text: string): Record<string, number> {
  const doc = xml.parse(text) as XmlNode;
  const counts: Record<string, number> = {};
  for (const suites of (doc.testsuites as XmlNode[] | undefined) ?? []) {
    for (const suite of (suites.testsuite as XmlNode[] | undefined) ?? []) {
      for (const tc of (suite.testcase as XmlNode[] | undefined) ?? []) {
        for (const failure of (tc.failure as XmlNode[] | undefined) ?? []) {
          const rule = failure['@type'] as string;
          const message = failure['@message'] as string;
          const n = /^(\d+) findings: /.exec(message);
          counts[rule] = (counts[rule] ?? 0) + (n ? Number(n[1]) : 1);
        }
      }
    }
  }
  return counts;
}

function countBy(rules: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of rules) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

describe('SARIF, JUnit and JSON of every example', () => {
  it('covers every valid example family and every example repository', () => {
    expect(families.length).toBeGreaterThanOrEqual(8);
    expect(repos.length).toBeGreaterThanOrEqual(12);
    expect(outputs.map((o) => o.name)).toEqual([
      ...families.map((f) => `check-${f}`),
      ...repos.map((r) => `repo-check-${r}`),
    ]);
  });

  it('every run ends with 0 (clean) or 1 (findings) and writes the three files', () => {
    const summary = outputs.map((o) => {
      const findings = o.json ? (JSON.parse(o.json) as JsonDoc).findings.length : -1;
      return { name: o.name, code: o.code, findings, stderr: o.stderr, written: !!(o.sarif && o.junit) };
    });
    expect(summary).toEqual(
      summary.map((s) => ({ ...s, code: s.findings > 0 ? 1 : 0, stderr: '', written: true })),
    );
  });

  it('every SARIF validates against the official SARIF 2.1.0 schema', () => {
    const errors = Object.fromEntries(
      outputs.map((o) => [o.name, validateSarif(JSON.parse(o.sarif)) ? [] : errorsOf(validateSarif)]),
    );
    expect(errors).toEqual(Object.fromEntries(outputs.map((o) => [o.name, []])));
  });

  it('every SARIF passes the SARIF multitool validator with zero errors and warnings', () => {
    const binary = join(
      MULTITOOL_DIR,
      process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool',
    );
    try {
      accessSync(binary, constants.X_OK);
    } catch {
      chmodSync(binary, 0o755); // postinstall skipped (npm --ignore-scripts)
    }
    // One run over every file (the .NET start-up dominates); each result names the file it is about.
    const output = join(workdir, 'validation.sarif');
    const inputs = outputs.map((o) => join(workdir, o.name, 'out.sarif'));
    // Notes (unreachable URIs offline, kebab-case rule names) are left out, as in sarif.test.ts.
    execFileSync(binary, ['validate', ...inputs, '--level', 'Error;Warning', '--output', output], {
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
      stdio: 'pipe',
    });
    const report = JSON.parse(readFileSync(output, 'utf8')) as {
      runs: {
        results: {
          ruleId: string;
          level?: string;
          message: { text?: string };
          locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
        }[];
      }[];
    };
    const summary: Record<string, string[]> = Object.fromEntries(outputs.map((o) => [o.name, []]));
    for (const r of report.runs.flatMap((run) => run.results)) {
      if ((r.level ?? 'warning') === 'note') continue;
      const uri = r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
      const name = outputs.find((o) => uri.endsWith(`/${o.name}/out.sarif`))?.name ?? uri;
      summary[name] = [
        ...(summary[name] ?? []),
        `${r.ruleId}: ${r.message.text ?? JSON.stringify(r.message)}`,
      ];
    }
    expect(summary).toEqual(Object.fromEntries(outputs.map((o) => [o.name, []])));
  }, 300_000);

  it('every JUnit report validates against Jenkins junit-4.xsd (libxml2)', async () => {
    const summary: Record<string, string> = {};
    for (const o of outputs) {
      summary[o.name] = await validateJunit(readFileSync(join(workdir, o.name, 'out.xml'), 'utf8'), o.name);
    }
    expect(summary).toEqual(Object.fromEntries(outputs.map((o) => [o.name, 'ok'])));
  });

  it('every JSON report validates against schema/result-v1.schema.json', () => {
    const errors = Object.fromEntries(
      outputs.map((o) => [o.name, validateJson(JSON.parse(o.json)) ? [] : errorsOf(validateJson)]),
    );
    expect(errors).toEqual(Object.fromEntries(outputs.map((o) => [o.name, []])));
  });

  it('the three formats report the same findings, rule by rule', () => {
    const counts = outputs.map((o) => {
      const json = countBy((JSON.parse(o.json) as JsonDoc).findings.map((f) => f.rule));
      const sarif = countBy(
        (JSON.parse(o.sarif) as SarifLog).runs.flatMap((r) => r.results.map((x) => x.ruleId)),
      );
      return { name: o.name, json, sarif, junit: junitCounts(o.junit) };
    });
    expect(counts).toEqual(counts.map((c) => ({ ...c, sarif: c.json, junit: c.json })));
    // the examples do exercise findings, not only clean runs
    const rules = new Set(counts.flatMap((c) => Object.keys(c.json)));
    for (const r of ['RP001', 'RP002', 'RP003', 'RP004', 'RP005', 'RP006', 'RP007', 'RP030']) {
      expect(rules).toContain(r);
    }
  });

  it('each one-rule example family triggers its rule', () => {
    for (const f of families.filter((x) => /^rp\d{3}-/.test(x))) {
      const rule = f.slice(0, 5).toUpperCase();
      const o = outputs.find((x) => x.name === `check-${f}`)!;
      expect(
        (JSON.parse(o.json) as JsonDoc).findings.map((x) => x.rule),
        f,
      ).toContain(rule);
    }
  });

  describe('input errors (bad-*.yaml, a repository failing its checksums)', () => {
    const broken = [
      ...readdirSync(repoPath('corpus/families'))
        .filter((f) => f.startsWith('bad-') && f.endsWith('.yaml'))
        .sort()
        .map((f) => ({ name: `error-${f}`, argv: ['check', `corpus/families/${f}`] })),
      {
        name: 'error-checksum-mismatch',
        argv: ['repo-check', '--repo', 'corpus/repos/checksum-mismatch'],
      },
    ];

    it('end with exit code 3 and the error with its location on stderr', async () => {
      expect(broken.length).toBeGreaterThanOrEqual(5);
      for (const b of broken) {
        const o = await run(b.name, b.argv);
        expect(o.code, b.name).toBe(3);
        expect(o.stderr, b.name).toMatch(/^redproof: input error: corpus\//);
      }
    });

    // An input error must not leave CI with no report at all: the requested files carry the error.
    it('still write the requested reports, carrying the error', async () => {
      for (const b of broken) {
        const o = await run(b.name, b.argv);
        expect(o.code, b.name).toBe(3);
        expect(o.junit, b.name).toMatch(/<error /);
        const sarif = JSON.parse(o.sarif) as { runs: { invocations: { executionSuccessful: boolean }[] }[] };
        expect(sarif.runs[0]!.invocations[0]!.executionSuccessful, b.name).toBe(false);
        expect((JSON.parse(o.json) as JsonDoc).errors.length, b.name).toBeGreaterThan(0);
      }
    });
  });
});
