import { describe, expect, it } from 'vitest';
import { applyWaivers } from '../../src/policy/waivers.js';
import { jsonReportChunks, jsonReporter, RESULT_SCHEMA_VERSION } from '../../src/reporters/json.js';
import { cleanResult, familyResult, reordered, repoCheckResult, toolErrorResult } from './fixtures.js';
import { compileSchema, errorsOf, repoPath } from './schema-helpers.js';

const validate = compileSchema(repoPath('schema/result-v1.schema.json'));

const RESULTS = {
  family: familyResult,
  repoCheck: repoCheckResult,
  clean: cleanResult,
  toolError: toolErrorResult,
  waived: () =>
    applyWaivers(
      familyResult(),
      [{ rule: 'RP004', reason: 'shared later', expires: '2030-01-01' }],
      '2026-01-01',
    ),
};

describe('json reporter', () => {
  for (const [name, make] of Object.entries(RESULTS)) {
    it(`${name}: validates against schema/result-v1.schema.json`, () => {
      const doc: unknown = JSON.parse(jsonReporter(make()));
      expect(validate(doc), errorsOf(validate).join('\n')).toBe(true);
    });

    it(`${name}: is byte-identical across calls and input orders`, () => {
      const first = jsonReporter(make());
      expect(jsonReporter(make())).toBe(first);
      for (const seed of [7, 8, 9]) expect(jsonReporter(reordered(make(), seed))).toBe(first);
    });
  }

  it('the schema rejects what it should (a missing fingerprint, an unknown level)', () => {
    const doc = JSON.parse(jsonReporter(familyResult()));
    delete doc.findings[0].fingerprint;
    expect(validate(doc)).toBe(false);
    const other = JSON.parse(jsonReporter(familyResult()));
    other.findings[0].level = 'fatal';
    expect(validate(other)).toBe(false);
  });

  it('carries verdict, counts and sorted findings', () => {
    const doc = JSON.parse(jsonReporter(familyResult()));
    expect(doc.schemaVersion).toBe(RESULT_SCHEMA_VERSION);
    expect(doc.verdict).toBe('fail');
    expect(doc.summary).toEqual({
      errors: 2,
      warnings: 1,
      notes: 0,
      suppressed: 0,
      failing: 2,
      toolErrors: 0,
      subjects: 4,
      packages: 11,
    });
    expect(doc.findings.map((f: { rule: string }) => f.rule)).toEqual(['RP003', 'RP001', 'RP004']);
    expect(doc.findings[2].nodes).toEqual(['media', 'navigation']);
    expect(doc.subjects.map((s: { id: string }) => s.id)).toEqual([
      'host',
      'platform',
      'media',
      'navigation',
    ]);
    expect(JSON.parse(jsonReporter(familyResult(), { failOn: 'never' })).verdict).toBe('pass');
    expect(JSON.parse(jsonReporter(toolErrorResult())).verdict).toBe('error');
  });

  it('marks suppressed findings and does not count them as failing', () => {
    const doc = JSON.parse(jsonReporter(RESULTS.waived()));
    const rp004 = doc.findings.find((f: { rule: string }) => f.rule === 'RP004');
    expect(rp004.suppression).toEqual({ kind: 'waiver', justification: 'shared later (until 2030-01-01)' });
    expect(doc.summary.warnings).toBe(0);
    expect(doc.summary.suppressed).toBe(1);
  });

  it('leaves timings out so identical runs give identical bytes', () => {
    const out = jsonReporter(familyResult());
    expect(JSON.parse(out).stats).toMatchObject({ nodes: 3, packagesExamined: 11 });
    expect(Object.keys(JSON.parse(out).stats)).toEqual(['nodes', 'packagesExamined', 'footprint']);
    expect(out).not.toMatch(/duration|timestamp|\d{4}-\d{2}-\d{2}T/);
    expect(out.endsWith('}\n')).toBe(true);
  });

  it('carries the footprint in stats: the demo family against standalone containers, by hand', () => {
    const fp = JSON.parse(jsonReporter(familyResult())).stats.footprint;
    expect(fp).toMatchObject({
      familyBytes: 35_062_000,
      standaloneBytes: 71_286_000,
      savedBytes: 36_224_000,
      sharingRatio: 2.033,
      containers: 3,
      packages: 11,
      unknownSizePackages: 0,
    });
    expect(fp.layers[3]).toEqual({
      id: 'navigation',
      kind: 'node',
      parent: 'platform',
      ownBytes: 9_400_000,
      ownPackages: 3,
      ownUnknown: 0,
      viewBytes: 24_162_000,
      viewPackages: 7,
      viewUnknown: 0,
    });
    // repo-check has no family, so no footprint
    expect(JSON.parse(jsonReporter(repoCheckResult())).stats.footprint).toBeUndefined();
  });

  it('counts a package without installed size apart, and the schema takes that and older reports', () => {
    const r = familyResult();
    delete r.subjects[0]!.packages[0]!.installSize;
    const doc = JSON.parse(jsonReporter(r));
    expect(doc.stats.footprint).toMatchObject({ familyBytes: 35_062_000 - 726_000, unknownSizePackages: 1 });
    expect(doc.stats.footprint.layers[0]).toMatchObject({ ownUnknown: 1, viewUnknown: 1 });
    expect(validate(doc), errorsOf(validate).join('\n')).toBe(true);
    delete doc.stats.footprint;
    expect(validate(doc)).toBe(true);
    doc.stats.footprint = { familyBytes: 1 };
    expect(validate(doc)).toBe(false);
  });
});

describe('jsonReportChunks (how the CLI writes a JSON report)', () => {
  it('joins to exactly the text of jsonReporter, whatever the indentation', () => {
    for (const [name, make] of Object.entries(RESULTS)) {
      const result = make();
      for (const indent of [undefined, 0, 1, 2, 4, 12]) {
        const options = indent === undefined ? {} : { indent };
        expect([...jsonReportChunks(result, options)].join(''), `${name} ${indent}`).toBe(
          jsonReporter(result, options),
        );
      }
    }
  });

  it('splits the top-level arrays per element', () => {
    const chunks = [...jsonReportChunks(familyResult())];
    expect(chunks.length).toBeGreaterThan(familyResult().subjects.length);
  });
});
