import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/model/finding.js';
import { applyWaivers } from '../../src/policy/waivers.js';
import { junitReporter } from '../../src/reporters/junit.js';
import {
  cleanResult,
  familyResult,
  reordered,
  repoCheckResult,
  SOURCES,
  toolErrorResult,
} from './fixtures.js';
import { validateJunit } from './junit-xsd.js';

interface Case {
  classname: string;
  name: string;
  failure?: { message: string; type: string; '#text': string };
  error?: { message: string; type: string; '#text': string };
  skipped?: unknown;
  'system-out'?: string;
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  testcase?: Case[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});
const parse = (xml: string) =>
  parser.parse(xml).testsuites as { name: string; testsuite: Suite[] } & Record<string, unknown>;

const CASES: Record<string, () => CheckResult> = {
  family: familyResult,
  repoCheck: repoCheckResult,
  clean: cleanResult,
  toolError: toolErrorResult,
  waived: () =>
    applyWaivers(
      familyResult(),
      [{ rule: 'RP003', node: 'navigation', reason: 'forked openssl until 2026-Q3' }],
      '2026-01-01',
    ),
};

describe('junit reporter', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(`${name}: validates against Jenkins junit-4.xsd (libxml2)`, async () => {
      expect(await validateJunit(junitReporter(make(), { sources: SOURCES }), name)).toBe('ok');
    });

    it(`${name}: testcase names are unique per classname (GitLab keys on both)`, () => {
      const doc = parse(junitReporter(make()));
      const keys = doc.testsuite.flatMap((s) => (s.testcase ?? []).map((c) => `${c.classname}#${c.name}`));
      expect(keys.length).toBeGreaterThan(0);
      expect(new Set(keys).size).toBe(keys.length);
    });

    it(`${name}: is byte-identical across calls and input orders, with no time, timestamp or hostname`, () => {
      const first = junitReporter(make(), { sources: SOURCES });
      for (const seed of [11, 12])
        expect(junitReporter(reordered(make(), seed), { sources: SOURCES })).toBe(first);
      expect(first).not.toMatch(/\b(time|timestamp|hostname)="/);
    });
  }

  it('the schema check can fail (a testcase without a name is rejected)', async () => {
    const broken = junitReporter(familyResult()).replace(' name="unresolved-dependency"', '');
    expect(await validateJunit(broken, 'broken')).toMatch(/name.*is required|fails to validate/);
  });

  it('golden file of the family check', async () => {
    await expect(junitReporter(familyResult(), { sources: SOURCES })).toMatchFileSnapshot(
      '__snapshots__/family.junit.xml',
    );
  });

  it('has one suite per subject plus the family suite, one case per checked rule', () => {
    const doc = parse(junitReporter(familyResult(), { sources: SOURCES }));
    expect(doc.testsuite.map((s) => s.name)).toEqual(['host', 'platform', 'media', 'navigation', 'family']);
    const media = doc.testsuite.find((s) => s.name === 'media')!;
    const checked = familyResult().subjects.find((s) => s.id === 'media')!.checked.length;
    expect(media.testcase).toHaveLength(checked);
    expect(media.testcase!.every((c) => c.classname === 'demo.media')).toBe(true);
    const failed = media.testcase!.filter((c) => c.failure);
    expect(failed.map((c) => c.name)).toEqual(['unresolved-dependency', 'shareable-duplicate']);
    expect(failed[0]!.failure!.type).toBe('RP001');
    expect(failed[0]!.failure!.message).toContain('requires `libdvdread.so.8()(64bit)`');
    // the body is the uncoloured text rendering, code frame included
    expect(failed[0]!.failure!['#text']).toContain('18 |     packages: [gstreamer1, media-player, libxml2]');
    expect(failed[0]!.failure!['#text']).not.toMatch(/\u001b\[/);
    expect(media.failures).toBe('2');
    const family = doc.testsuite.find((s) => s.name === 'family')!;
    expect(family.testcase!.map((c) => c.name)).toEqual(['tool-run']);
  });

  it('fails testcases only at or above the threshold; lower findings go to system-out', () => {
    const doc = parse(junitReporter(familyResult(), { failOn: 'error' }));
    const media = doc.testsuite.find((s) => s.name === 'media')!;
    const rp004 = media.testcase!.find((c) => c.name === 'shareable-duplicate')!;
    expect(rp004.failure).toBeUndefined();
    expect(rp004['system-out']).toContain('RP004 warning');
  });

  it('reports waived findings as skipped with the justification', () => {
    const doc = parse(junitReporter(CASES.waived!()));
    const nav = doc.testsuite.find((s) => s.name === 'navigation')!;
    const rp003 = nav.testcase!.find((c) => c.name === 'ancestor-duplicate')!;
    expect(rp003.failure).toBeUndefined();
    expect(rp003.skipped).toBeDefined();
    expect(rp003['system-out']).toContain('= waived: forked openssl until 2026-Q3');
    expect(nav.skipped).toBe('1');
    // waiver handling adds its rules, proven at family level
    const family = doc.testsuite.find((s) => s.name === 'family')!;
    expect(family.testcase!.map((c) => c.name)).toEqual(['waiver-expired', 'waiver-unused', 'tool-run']);
  });

  it('reports tool errors as <error> testcases of the family suite', () => {
    const doc = parse(junitReporter(toolErrorResult()));
    const family = doc.testsuite.find((s) => s.name === 'family')!;
    expect(family.testcase!.map((c) => [c.name, c.error?.type])).toEqual([
      ['tool-error-input', 'input'],
      ['tool-error-solver', 'solver'],
    ]);
    expect(family.testcase![0]!.error!['#text']).toContain('--> repos/demo/repodata/repomd.xml:7:5');
    expect(family.errors).toBe('2');
  });

  it('uses repositories as the extra suite of repo-check', () => {
    const doc = parse(junitReporter(repoCheckResult()));
    expect(doc.testsuite.map((s) => s.name)).toEqual(['apps', 'base', 'repositories']);
    const apps = doc.testsuite[0]!;
    expect(apps.testcase).toHaveLength(1);
    expect(apps.testcase![0]!.failure!.message).toMatch(/^2 findings: /);
    expect(apps.testcase![0]!.classname).toBe('base+apps.apps');
  });
});
