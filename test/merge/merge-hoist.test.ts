import { describe, expect, it } from 'vitest';
import { mergedJson, mergedMarkdown } from '../../src/merge/merge.js';
import { readResultDocument } from '../../src/merge/read.js';
import type { CheckResult } from '../../src/model/finding.js';
import type { HoistReport } from '../../src/model/hoist.js';
import { htmlMergedReporter, type MergedInput } from '../../src/reporters/html/index.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { cleanResult, familyResult } from '../reporters/fixtures.js';
import { compileSchema, errorsOf, repoPath } from '../reporters/schema-helpers.js';

/*
 * `redproof merge` keeps each run's hoist report: read back from its JSON report, written again in the
 * run's result, shown per run in the Markdown and HTML (a column of the table across runs, and the run's
 * own section), never summed across runs, whose families differ.
 */

const applied: HoistReport = {
  mode: 'applied',
  bytesBefore: 4000,
  bytesAfter: 2500,
  hoists: [
    {
      package: 'python3-3.9.18-1.el9.x86_64',
      to: 'platform',
      from: ['navigation', 'tools'],
      savedBytes: 1500,
      with: [{ package: 'python3-libs-3.9.18-1.el9.x86_64', from: ['navigation', 'tools'] }],
    },
  ],
  left: [
    {
      package: 'zlib-1.2.11-40.el9.x86_64',
      nodes: ['a', 'b'],
      ancestor: 'host',
      savedBytes: 90,
      blockers: [
        {
          kind: 'missing-provider',
          text: '`libz.so.1()(64bit)` has no provider `host` sees',
          package: 'zlib-1.2.11-40.el9.x86_64',
          dependency: 'libz.so.1()(64bit)',
        },
        { kind: 'opt-out', text: 'matches `zlib*` of `hoist.never`', pattern: 'zlib*' },
      ],
    },
  ],
};
const plan: HoistReport = {
  mode: 'plan',
  bytesBefore: 9000,
  bytesAfter: 8000,
  hoists: [
    {
      package: 'libxml2-2.9.13-6.el9.x86_64',
      to: 'platform',
      from: ['media', 'navigation'],
      savedBytes: 1000,
      with: [],
    },
  ],
  left: [],
};

const validateResult = compileSchema(repoPath('schema/result-v1.schema.json'));
const validateMerge = compileSchema(repoPath('schema/merge-v1.schema.json'));
const validator = (data: unknown) =>
  validateResult(data)
    ? ({ ok: true } as const)
    : { ok: false as const, problem: errorsOf(validateResult)[0]! };

/** A run as merge reads it: written as JSON by its own run, read back through the schema. */
function roundTrip(result: CheckResult, file: string): CheckResult {
  return readResultDocument(jsonReporter(result), file, validator);
}

const inputs = (): MergedInput[] => [
  {
    label: 'x86_64',
    result: roundTrip({ ...familyResult(), command: 'lock', hoist: applied }, 'x86_64.json'),
  },
  {
    label: 'aarch64',
    result: roundTrip({ ...familyResult(), arch: 'aarch64', hoist: plan }, 'aarch64.json'),
  },
  { label: 'plain', result: roundTrip(cleanResult(), 'plain.json') },
];

describe('merge of runs with hoist reports', () => {
  it('reads a report hoist back as the run had it, and writes it again byte for byte', () => {
    const run = { ...familyResult(), command: 'lock' as const, hoist: applied };
    const back = roundTrip(run, 'x.json');
    expect(back.hoist).toEqual(applied);
    expect(JSON.parse(jsonReporter(back)).hoist).toEqual(JSON.parse(jsonReporter(run)).hoist);
    // a report without one (before hoisting, or a run that did not hoist) gets none
    expect('hoist' in roundTrip(cleanResult(), 'c.json')).toBe(false);
  });

  it('JSON: each run keeps its own hoist in its result; the summary sums no bytes', () => {
    const doc = JSON.parse(mergedJson(inputs()));
    expect(validateMerge(doc) ? [] : errorsOf(validateMerge)).toEqual([]);
    for (const r of doc.runs) expect(validateResult(r.result) ? [] : errorsOf(validateResult)).toEqual([]);
    expect(doc.runs[0].result.hoist).toEqual(
      JSON.parse(jsonReporter({ ...cleanResult(), hoist: applied })).hoist,
    );
    expect(doc.runs[0].result.hoist.savedBytes).toBe(1500);
    expect(doc.runs[1].result.hoist.mode).toBe('plan');
    expect(doc.runs[1].result.hoist.savedBytes).toBe(1000);
    expect('hoist' in doc.runs[2].result).toBe(false);
    expect(Object.keys(doc.summary)).toEqual([
      'runs',
      'errors',
      'warnings',
      'notes',
      'suppressed',
      'toolErrors',
      'failingRuns',
    ]);
    expect(mergedJson(inputs())).toBe(mergedJson(inputs()));
  });

  it('Markdown: a hoisting column per run, and each run its own hoist section', () => {
    const md = mergedMarkdown(inputs());
    expect(md).toMatch(/^\| Input \|.*\| Footprint \| Hoisting \|$/m);
    expect(md).toMatch(/^\| x86_64 \| lock \|.*\| applied: 1 hoist saved 1.5 KiB, 1 duplicate left \|$/m);
    expect(md).toMatch(/^\| aarch64 \| check \|.*\| plan: 1 hoist would save 1000 B, 0 duplicates left \|$/m);
    expect(md).toMatch(/^\| plain \| check \|.*\| - \|$/m);
    const x86 = md.slice(md.indexOf('### x86_64:'), md.indexOf('### aarch64:'));
    expect(x86).toContain('#### Hoisting');
    expect(x86).toContain('1 hoist saves 1.5 KiB (family 3.9 KiB → 2.4 KiB), 1 duplicate left.');
    expect(x86).toContain('  - opt-out: matches `zlib*` of `hoist.never`');
    const arm = md.slice(md.indexOf('### aarch64:'), md.indexOf('### plain:'));
    expect(arm).toContain('#### Hoist plan');
    expect(arm).toContain('| `libxml2-2.9.13-6.el9.x86_64` | `media`, `navigation` | `platform` | 1000 B |');
    expect(md.slice(md.indexOf('### plain:'))).not.toMatch(/Hoist/);
  });

  it('HTML: a hoisting column linking to each run own hoist section', () => {
    const html = htmlMergedReporter(inputs());
    expect(html).toContain('<th>hoisting</th></tr></thead>');
    expect(html).toContain(
      '<td><a href="#run1-hoist">applied: 1 hoist saved 1.5 KiB, 1 duplicate left</a></td></tr>',
    );
    expect(html).toContain(
      '<td><a href="#run2-hoist">plan: 1 hoist would save 1000 B, 0 duplicates left</a></td></tr>',
    );
    expect(html).toMatch(/<td>-<\/td><\/tr><\/tbody>/);
    const sections = [
      ...html.matchAll(/<section id="(run\d-hoist)" data-hoist-mode="(\w+)" data-bytes-before="(\d+)"/g),
    ];
    expect(sections.map((m) => [m[1], m[2], Number(m[3])])).toEqual([
      ['run1-hoist', 'applied', 4000],
      ['run2-hoist', 'plan', 9000],
    ]);
    // each section inside its own run
    expect(html.indexOf('id="run1-hoist"')).toBeLessThan(html.indexOf('<section class="run" id="run2"'));
    expect(html.indexOf('id="run2-hoist"')).toBeGreaterThan(html.indexOf('<section class="run" id="run2"'));
    expect(htmlMergedReporter(inputs())).toBe(html);
  });

  it('HTML: a run read back is bounded for people, as a single run report is', () => {
    // a JSON report keeps a field up to PATH_MAX; a page for people clips it like htmlReporter does
    const name = `p${'x'.repeat(2000)}-1-1.x86_64`;
    const hoist: HoistReport = { ...plan, hoists: [{ ...plan.hoists[0]!, package: name }] };
    const back = roundTrip({ ...familyResult(), hoist }, 'long.json');
    expect(back.hoist!.hoists[0]!.package).toBe(name);
    const html = htmlMergedReporter([{ label: 'long', result: back }]);
    expect(html).not.toContain(name);
    expect(html).toContain('… (2012 characters)');
  });
});

describe('merge keeps what else a run reported', () => {
  it("a run's tool warnings survive the round trip and are in the merged JSON", () => {
    const warnings = [
      { kind: 'rpmdb-missing', message: 'node `media` has no rpm database', file: 'nodes/media' },
    ];
    const read = roundTrip({ ...familyResult(), warnings }, 'w.json');
    expect(read.warnings).toEqual(warnings);
    const merged = JSON.parse(mergedJson([{ label: 'w', result: read }])) as {
      runs: { result: { warnings?: unknown } }[];
    };
    expect(merged.runs[0]!.result.warnings).toEqual(warnings);
    expect(roundTrip(familyResult(), 'none.json').warnings).toBeUndefined();
  });
});
