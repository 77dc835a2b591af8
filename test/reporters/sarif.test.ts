import { execFileSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/model/finding.js';
import { applyBaseline } from '../../src/policy/baseline.js';
import { applyWaivers } from '../../src/policy/waivers.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { pathToUri, sarifReporter } from '../../src/reporters/sarif.js';
import { RULES, ruleDocPath } from '../../src/rules/catalog.js';
import {
  cleanResult,
  familyResult,
  reordered,
  repoCheckResult,
  SOURCES,
  toolErrorResult,
} from './fixtures.js';
import { compileSchema, errorsOf, repoPath } from './schema-helpers.js';

// The official SARIF 2.1.0 schema (draft 2020-12 edition) as shipped by Microsoft in the
// @microsoft/sarif-multitool npm package (platform packages carry the same file next to the binary).
const MULTITOOL_DIRS = ['linux', 'darwin', 'win32'].map((os) =>
  repoPath(`node_modules/@microsoft/sarif-multitool-${os}`),
);
const MULTITOOL_DIR = MULTITOOL_DIRS.find((dir) => existsSync(join(dir, 'sarif-2.1.0.json')));
if (!MULTITOOL_DIR) throw new Error('@microsoft/sarif-multitool is not installed (npm ci)');
const validate = compileSchema(join(MULTITOOL_DIR, 'sarif-2.1.0.json'));
const docs = new Map(RULES.map((r) => [r.id, readFileSync(repoPath(ruleDocPath(r)), 'utf8')]));

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        rules: { id: string; name: string; help: { markdown?: string }; helpUri: string }[];
      };
    };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations?: {
        physicalLocation?: {
          artifactLocation: { uri: string; uriBaseId?: string };
          region: Record<string, number>;
        };
      }[];
      relatedLocations?: unknown[];
      partialFingerprints: Record<string, string>;
      suppressions?: { kind: string; justification: string }[];
    }[];
    invocations: { executionSuccessful: boolean; toolExecutionNotifications?: unknown[] }[];
    properties: Record<string, unknown>;
  }[];
}

const sarif = (result: CheckResult, options = {}) =>
  JSON.parse(sarifReporter(result, { ruleDocs: docs, sources: SOURCES, ...options })) as SarifLog;

function manyFindings(count: number): CheckResult {
  const base = familyResult();
  const findings = Array.from({ length: count }, (_, i) => ({
    ...base.findings[i % 3]!,
    level: (['error', 'warning', 'note'] as const)[i % 3]!,
    fingerprint: i.toString(16).padStart(32, '0'),
  }));
  return { ...base, findings };
}

const CASES: Record<string, () => CheckResult> = {
  family: familyResult,
  repoCheck: repoCheckResult,
  clean: cleanResult,
  toolError: toolErrorResult,
  suppressed: () =>
    applyBaseline(
      applyWaivers(
        familyResult(),
        [{ rule: 'RP004', reason: 'kept apart on purpose', owner: 'media-team' }],
        '2026-01-01',
      ),
      jsonReporter({
        ...familyResult(),
        findings: familyResult().findings.filter((f) => f.rule === 'RP001'),
      }),
    ),
  expiredWaiver: () =>
    applyWaivers(
      familyResult(),
      [
        {
          rule: 'RP004',
          reason: 'old',
          expires: '2025-01-01',
          location: { file: 'redproof-waivers.yaml', line: 3, column: 5 },
        },
      ],
      '2026-01-01',
    ),
};

const workdir = mkdtempSync(join(tmpdir(), 'redproof-sarif-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('sarif reporter', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(`${name}: validates against the official SARIF 2.1.0 schema`, () => {
      const log = sarif(make());
      expect(validate(log), errorsOf(validate).join('\n')).toBe(true);
    });
  }

  // Without ruleDocs so that editing a doc page does not churn the golden file (help.markdown is tested below).
  it('golden file of the family check', async () => {
    await expect(sarifReporter(familyResult(), { sources: SOURCES })).toMatchFileSnapshot(
      '__snapshots__/family.sarif',
    );
  });

  it('describes every catalog rule and points every result at its descriptor', () => {
    const log = sarif(familyResult());
    const run = log.runs[0]!;
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    }
    const rp001 = run.tool.driver.rules[0]!;
    expect(rp001.name).toBe('unresolved-dependency');
    expect(rp001.help.markdown).toBe(docs.get('RP001'));
    expect(rp001.helpUri).toBe('https://unpkg.com/redproof@0.1.0/rules/RP001-unresolved-dependency.md');
  });

  it('locates results relative to %SRCROOT% with a full region, and links the evidence', () => {
    const run = sarif(familyResult()).runs[0]!;
    const rp003 = run.results.find((r) => r.ruleId === 'RP003')!;
    expect(rp003.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'families/demo.yaml', uriBaseId: '%SRCROOT%' },
      region: {
        startLine: 15,
        startColumn: 37,
        endLine: 15,
        endColumn: 49,
        snippet: { text: '    packages: [navigation, libxml2, openssl-libs]\n' },
      },
      contextRegion: {
        startLine: 14,
        endLine: 16,
        snippet: {
          text: '    parent: platform\n    packages: [navigation, libxml2, openssl-libs]\n  - alias: media\n',
        },
      },
    });
    const bare = JSON.parse(sarifReporter(familyResult())) as SarifLog;
    expect(bare.runs[0]!.results[0]!.locations![0]!.physicalLocation).not.toHaveProperty('contextRegion');
    expect(rp003.relatedLocations).toHaveLength(1);
    expect(JSON.stringify(rp003.relatedLocations)).toContain('"startLine":12');
    expect(pathToUri('a dir/x#1.yaml')).toBe('a%20dir/x%231.yaml');
    expect(pathToUri('/abs/f.yaml')).toBe('file:///abs/f.yaml');
  });

  it('falls back to the subject declaration, then to the target file, for findings without a span', () => {
    const result = familyResult();
    result.findings = result.findings.map(({ location: _location, ...f }) => f);
    const located = sarif(result).runs[0]!.results.find((r) => r.ruleId === 'RP003')!;
    expect(located.locations?.[0]?.physicalLocation?.region.startLine).toBe(13); // navigation's declaration
    result.subjects = result.subjects.map(({ location: _location, ...s }) => s);
    const bare = sarif(result).runs[0]!.results.find((r) => r.ruleId === 'RP003')!;
    expect(bare.locations).toEqual([
      {
        logicalLocations: [
          { name: 'navigation', kind: 'namespace', fullyQualifiedName: 'navigation' },
          {
            name: 'openssl-libs-1:3.0.7-27.el9.x86_64',
            kind: 'module',
            fullyQualifiedName: 'navigation::openssl-libs-1:3.0.7-27.el9.x86_64',
          },
        ],
      },
    ]);
    const filed = sarif(result, { targetFile: 'families/demo.yaml' }).runs[0]!.results[0]!;
    expect(filed.locations?.[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'families/demo.yaml', uriBaseId: '%SRCROOT%' },
    });
    const log = sarif(result, { targetFile: 'families/demo.yaml' });
    expect(validate(log), errorsOf(validate).join('\n')).toBe(true);
  });

  it('keeps partialFingerprints when lines move, and they differ between findings', () => {
    const before = sarif(familyResult()).runs[0]!.results;
    const moved = familyResult();
    moved.findings = moved.findings.map((f) => ({
      ...f,
      location: { ...f.location!, line: f.location!.line + 40 },
    }));
    const after = sarif(moved).runs[0]!.results;
    const prints = (rs: typeof before) => rs.map((r) => r.partialFingerprints['redproof/v1']).sort();
    expect(prints(after)).toEqual(prints(before));
    expect(new Set(prints(before)).size).toBe(3);
  });

  it('reports waived and baseline findings as suppressed with the justification', () => {
    const run = sarif(CASES.suppressed!()).runs[0]!;
    const rp004 = run.results.find((r) => r.ruleId === 'RP004')!;
    expect(rp004.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'waiver: kept apart on purpose (owner: media-team)',
      },
    ]);
    const rp001 = run.results.find((r) => r.ruleId === 'RP001')!;
    expect(rp001.suppressions?.[0]?.justification).toMatch(/^baseline: /);
    expect(run.results.find((r) => r.ruleId === 'RP003')!.suppressions).toBeUndefined();
  });

  it('reports tool errors as execution notifications', () => {
    const run = sarif(toolErrorResult()).runs[0]!;
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    expect(run.invocations[0]!.toolExecutionNotifications).toHaveLength(2);
    expect(sarif(cleanResult()).runs[0]!.invocations[0]).toEqual({ executionSuccessful: true });
  });

  it('truncates to the result limit by severity and records it', () => {
    const run = sarif(manyFindings(30), { maxResults: 12 }).runs[0]!;
    expect(run.results).toHaveLength(12);
    expect(run.results.filter((r) => r.level === 'error')).toHaveLength(10);
    expect(run.results.filter((r) => r.level === 'note')).toHaveLength(0);
    expect(run.properties).toMatchObject({
      truncated: true,
      totalResults: 30,
      emittedResults: 12,
      droppedResults: { error: 0, warning: 8, note: 10, suppressed: 0 },
    });
    expect(sarif(familyResult()).runs[0]!.properties.truncated).toBeUndefined();
  });

  it('applies GitHub’s 25,000 limit by default', () => {
    const run = sarif(manyFindings(25_003)).runs[0]!;
    expect(run.results).toHaveLength(25_000);
    expect(run.properties.droppedResults).toEqual({ error: 0, warning: 0, note: 3, suppressed: 0 });
  });

  it('is byte-identical across calls and input orders', () => {
    const first = sarifReporter(familyResult(), { ruleDocs: docs });
    for (const seed of [3, 4, 5])
      expect(sarifReporter(reordered(familyResult(), seed), { ruleDocs: docs })).toBe(first);
  });

  it('passes the SARIF multitool validator (Microsoft) with zero errors and zero warnings', () => {
    const binary = join(
      MULTITOOL_DIR!,
      process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool',
    );
    try {
      accessSync(binary, constants.X_OK);
    } catch {
      // The package's postinstall (`chmod u+x`) does not run when npm skips install scripts.
      chmodSync(binary, 0o755);
    }
    const summary: Record<string, string[]> = {};
    for (const [name, make] of Object.entries({ ...CASES, truncated: () => manyFindings(40) })) {
      const input = join(workdir, `${name}.sarif`);
      const output = join(workdir, `${name}.validation.sarif`);
      writeFileSync(input, sarifReporter(make(), { ruleDocs: docs, sources: SOURCES, maxResults: 25 }));
      // `--level` lists the failure levels reported; notes (unreachable URIs offline, kebab-case rule names)
      // are left out on purpose.
      execFileSync(binary, ['validate', input, '--level', 'Error;Warning', '--output', output], {
        env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
        stdio: 'pipe',
      });
      const report = JSON.parse(readFileSync(output, 'utf8')) as SarifLog;
      summary[name] = report.runs[0]!.results.filter((r) => (r.level ?? 'warning') === 'error').map(
        (r) => `${r.ruleId}: ${r.message.text ?? JSON.stringify(r.message)}`,
      );
    }
    expect(summary).toEqual(Object.fromEntries(Object.keys(summary).map((k) => [k, []])));
    // Six .NET start-ups in a row: a loaded CI machine needs more than the default minute.
  }, 300_000);

  it('the multitool does catch a broken log (so the check above can fail)', () => {
    const binary = join(MULTITOOL_DIR!, 'Sarif.Multitool');
    const log = sarif(familyResult());
    const region = log.runs[0]!.results[0]!.locations![0]!.physicalLocation!.region;
    region.endLine = 1;
    const input = join(workdir, 'broken.sarif');
    const output = join(workdir, 'broken.validation.sarif');
    writeFileSync(input, JSON.stringify(log));
    // Without libicu (a fresh machine has none) .NET aborts unless told to run culture-invariant.
    execFileSync(binary, ['validate', input, '--output', output], {
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
      stdio: 'pipe',
    });
    const report = JSON.parse(readFileSync(output, 'utf8')) as SarifLog;
    expect(report.runs[0]!.results.map((r) => r.ruleId)).toContain('SARIF1007');
  });
});
