import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/model/finding.js';
import type { HoistReport } from '../../src/model/hoist.js';
import {
  HOIST_NAMES_SHOWN,
  HOIST_ROWS_SHOWN,
  WITH_NAMES_SHOWN,
} from '../../src/reporters/html/hoist-section.js';
import { htmlReporter } from '../../src/reporters/html/index.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { markdownReporter } from '../../src/reporters/markdown.js';
import { textReporter } from '../../src/reporters/text.js';
import { cleanResult } from './fixtures.js';

/* The hoist section of the text, Markdown, JSON and HTML reports: every hoist and every duplicate left. */

const report: HoistReport = {
  mode: 'applied',
  bytesBefore: 3 * 1024 * 1024,
  bytesAfter: 2 * 1024 * 1024,
  hoists: [
    {
      package: 'python3-3.9.18-1.el9.x86_64',
      to: 'platform',
      from: ['navigation', 'tools'],
      savedBytes: 1024 * 1024 - 10,
      with: [{ package: 'python3-libs-3.9.18-1.el9.x86_64', from: ['navigation', 'tools'] }],
    },
    {
      package: 'libxml2-2.9.13-6.el9.x86_64',
      to: 'platform',
      from: ['navigation', 'media'],
      savedBytes: 10,
      with: [],
    },
  ],
  left: [
    {
      package: 'zlib-1.2.11-40.el9.x86_64',
      nodes: ['a|b', 'c'],
      ancestor: 'host',
      savedBytes: 90,
      blockers: [
        {
          kind: 'isolation',
          text: '`secure` does not receive hoisted packages: `zlib-1.2.11-40.el9.x86_64` would enter its view',
          package: 'zlib-1.2.11-40.el9.x86_64',
          node: 'secure',
        },
      ],
    },
  ],
};
const result = (r: HoistReport): CheckResult => ({ ...cleanResult(), command: 'lock', hoist: r });

describe('hoist section', () => {
  it('text: the headline, every hoist with what moved with it, every duplicate left with its blockers', () => {
    const out = textReporter(result(report));
    expect(out).toContain(
      [
        'hoisted: 2 hoists save 1.0 MiB (family 3.0 MiB → 2.0 MiB), 1 duplicate left',
        '  python3-3.9.18-1.el9.x86_64: navigation, tools → platform, 1024.0 KiB saved',
        '    with python3-libs-3.9.18-1.el9.x86_64 (from navigation, tools)',
        '  libxml2-2.9.13-6.el9.x86_64: navigation, media → platform, 10 B saved',
        '  left: zlib-1.2.11-40.el9.x86_64 in a|b, c (→ host would save 90 B)',
        '    blocked by isolation: `secure` does not receive hoisted packages: `zlib-1.2.11-40.el9.x86_64` would enter its view',
      ].join('\n'),
    );
    expect(textReporter(result({ ...report, mode: 'plan' }))).toContain(
      'hoist plan (nothing written): 2 hoists would save',
    );
  });

  it('Markdown: a table of hoists and the duplicates left, cells escaped', () => {
    const out = markdownReporter(result(report));
    expect(out).toContain('### Hoisting');
    expect(out).toContain(
      '| `python3-3.9.18-1.el9.x86_64`<br>with `python3-libs-3.9.18-1.el9.x86_64` | `navigation`, `tools` | `platform` | 1024.0 KiB |',
    );
    expect(out).toContain(
      '- `zlib-1.2.11-40.el9.x86_64` in `a\\|b`, `c` (hoisting to `host` would save 90 B)',
    );
    expect(out).toContain('  - isolation: `secure` does not receive hoisted packages');
  });

  it('JSON: the hoist object, valid against result-v1, byte-identical run to run', () => {
    const text = jsonReporter(result(report));
    const doc = JSON.parse(text);
    expect(doc.hoist.savedBytes).toBe(1024 * 1024);
    expect(Object.keys(doc.hoist.hoists[0])).toEqual(['package', 'from', 'to', 'savedBytes', 'with']);
    const schema = JSON.parse(
      readFileSync(new URL('../../schema/result-v1.schema.json', import.meta.url), 'utf8'),
    );
    const validate = addFormats.default(new Ajv2020({ strict: false })).compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(jsonReporter(result(report))).toBe(text);
    // no hoist, no key
    expect('hoist' in JSON.parse(jsonReporter(cleanResult()))).toBe(false);
  });
});

/** The hoist section of a page, from its `<section>` to the next. */
const section = (html: string, id = 'hoist') =>
  new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';

describe('HTML hoist section', () => {
  it('applied: the figures, every hoist with what moved with it, every duplicate left with its blockers', () => {
    const html = htmlReporter(result(report));
    const s = section(html);
    expect(s).toMatch(
      /^<section id="hoist" data-hoist-mode="applied" data-bytes-before="3145728" data-bytes-after="2097152" data-saved-bytes="1048576"><h2>Hoisting<\/h2>/,
    );
    expect(s).toContain('the family above is the hoisted one');
    expect(s).toContain('<p>2 hoists save 1.0 MiB (family 3.0 MiB → 2.0 MiB), 1 duplicate left.</p>');
    expect(s).toContain(
      '<tr><th scope="row">family before hoisting</th><td class="num">3.0 MiB</td></tr><tr><th scope="row">family after hoisting</th><td class="num">2.0 MiB</td></tr><tr><th scope="row">saved</th><td class="num">1.0 MiB</td></tr>',
    );
    const rows = [
      ...s.matchAll(/<tr data-hoist-package="([^"]+)" data-hoist-to="([^"]+)" data-saved-bytes="(\d+)"/g),
    ];
    expect(rows.map((m) => [m[1], m[2], Number(m[3])])).toEqual([
      ['python3-3.9.18-1.el9.x86_64', 'platform', 1024 * 1024 - 10],
      ['libxml2-2.9.13-6.el9.x86_64', 'platform', 10],
    ]);
    expect(s).toContain(
      '<td><code>python3-3.9.18-1.el9.x86_64</code><ul class="hoist-with"><li>with <code>python3-libs-3.9.18-1.el9.x86_64</code> <span class="muted">(from the same nodes)</span></li></ul></td><td><code>navigation</code>, <code>tools</code></td><td><code>platform</code></td><td class="num">1024.0 KiB</td></tr>',
    );
    expect(s).toContain(
      '<li data-left-package="zlib-1.2.11-40.el9.x86_64" data-ancestor="host" data-saved-bytes="90"><code>zlib-1.2.11-40.el9.x86_64</code> in <code>a|b</code>, <code>c</code> (hoisting to <code>host</code> would save 90 B)<ul class="hoist-blockers"><li data-blocker="isolation"><b>isolation</b>: `secure` does not receive hoisted packages: `zlib-1.2.11-40.el9.x86_64` would enter its view</li></ul></li>',
    );
    // after the family tree, before the findings, and in the navigation in that order
    expect(html.indexOf('<section id="tree"')).toBeLessThan(html.indexOf('<section id="hoist"'));
    expect(html.indexOf('<section id="hoist"')).toBeLessThan(html.indexOf('<section id="findings"'));
    expect(html).toContain(
      '<a href="#tree">Family tree</a><a href="#hoist">Hoisting</a><a href="#findings">',
    );
    expect(htmlReporter(result(report))).toBe(html);
  });

  it('plan: says nothing was written and what the plan would save; no hoist, no section', () => {
    const html = htmlReporter(result({ ...report, mode: 'plan' }));
    const s = section(html);
    expect(s).toContain('data-hoist-mode="plan"');
    expect(s).toContain('<h2>Hoist plan</h2>');
    expect(s).toContain('nothing was written');
    expect(s).toContain('<p>2 hoists would save 1.0 MiB');
    expect(s).toContain('<th scope="row">would save</th>');
    expect(s).toContain('<h3>Hoists planned</h3>');
    expect(html).toContain('<a href="#hoist">Hoist plan</a>');
    const none = htmlReporter(cleanResult());
    expect(none).not.toMatch(/id="hoist"|href="#hoist"/);
    // nothing hoisted and nothing left: the headline alone
    const empty = section(
      htmlReporter(result({ ...report, hoists: [], left: [], bytesAfter: report.bytesBefore })),
    );
    expect(empty).toContain('<p>nothing to hoist (family 3.0 MiB → 3.0 MiB), 0 duplicates left.</p>');
    expect(empty).not.toMatch(/<table class="hoists"|hoist-left/);
  });

  it('lets no package, node or blocker text become markup, nor obeys control or bidi characters', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const quote = '"><script>alert(2)</script>';
    const r: HoistReport = {
      ...report,
      hoists: [
        {
          package: `${evil}-1-1.x86_64`,
          to: quote,
          from: [`n\u202eode`, evil],
          savedBytes: 5,
          with: [{ package: `${quote}-lib`, from: ['\u0007bell'] }],
        },
      ],
      left: [
        {
          package: `${evil}-2-1.x86_64`,
          nodes: [quote],
          ancestor: evil,
          savedBytes: 1,
          blockers: [{ kind: 'opt-out', text: `matches ${quote} \u2066`, pattern: evil }],
        },
      ],
    };
    const html = htmlReporter(result(r));
    const s = section(html);
    expect(s).toContain('<p>1 hoist saves 1.0 MiB');
    for (const raw of [evil, quote, '\u202e', '\u0007', '\u2066']) expect(html).not.toContain(raw);
    expect(s).toContain('data-hoist-package="&lt;img src=x onerror=alert(1)&gt;-1-1.x86_64"');
    expect(s).toContain('data-hoist-to="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
    expect(s).toContain('<code>n\\u{202e}ode</code>, <code>&lt;img src=x onerror=alert(1)&gt;</code>');
    expect(s).toContain('(from <code>\\u{0007}bell</code>)');
    expect(s).toContain('<b>opt-out</b>: matches "&gt;&lt;script&gt;alert(2)&lt;/script&gt; \\u{2066}');
    expect(html.match(/<script\b/g)).toHaveLength(2); // the inventory data and the page script
    expect(html.match(/<img\b/g)).toBeNull();
  });

  it('stays bounded: long names clipped, long node lists and long tables cut with what is left out', () => {
    const holders = Array.from({ length: 900 }, (_, i) => `n${i}`);
    const long = `p${'x'.repeat(5000)}-1-1.x86_64`;
    const r: HoistReport = {
      ...report,
      hoists: Array.from({ length: HOIST_ROWS_SHOWN + 100 }, (_, i) => ({
        package: i === 0 ? long : `pkg${i}-1-1.x86_64`,
        to: 'host',
        from: holders,
        savedBytes: 1000 - i,
        // one of them from other nodes than the hoist: those names are cut shorter
        with: Array.from({ length: HOIST_NAMES_SHOWN + 5 }, (_, j) => ({
          package: `dep${j}`,
          from: j === 0 ? holders.slice(1) : holders,
        })),
      })),
      left: Array.from({ length: HOIST_ROWS_SHOWN + 1 }, (_, i) => ({
        package: `left${i}-1-1.x86_64`,
        nodes: holders,
        ancestor: 'host',
        savedBytes: 0,
        blockers: [],
      })),
    };
    const s = section(htmlReporter(result(r)));
    expect(s.match(/<tr data-hoist-package=/g)).toHaveLength(HOIST_ROWS_SHOWN);
    expect(s.match(/<li data-left-package=/g)).toHaveLength(HOIST_ROWS_SHOWN);
    expect(s).toContain(
      `${HOIST_ROWS_SHOWN} of 600 hoists shown; the JSON report (<code>--json</code>) lists them all.`,
    );
    expect(s).toContain(`${HOIST_ROWS_SHOWN} of 501 duplicates shown`);
    expect(s).toContain(`<code>n${HOIST_NAMES_SHOWN - 1}</code> and ${900 - HOIST_NAMES_SHOWN} more</td>`);
    expect(s).not.toContain(`<code>n${HOIST_NAMES_SHOWN}</code>`);
    expect(s).toContain('<li class="muted">and 5 more</li>');
    expect(s).toContain(
      `<li>with <code>dep0</code> <span class="muted">(from <code>n1</code>, <code>n2</code>, <code>n3</code>, <code>n4</code>, <code>n5</code> and ${899 - WITH_NAMES_SHOWN} more)</span></li><li>with <code>dep1</code> <span class="muted">(from the same nodes)</span></li>`,
    );
    expect(s).toContain('<li class="muted">nothing to save</li>');
    // a value longer than people read is clipped as every other one (src/reporters/bound.ts)
    expect(s).not.toContain(long);
    expect(s).toContain('… (5012 characters)');
    expect(Buffer.byteLength(s)).toBeLessThan(2 * 1024 * 1024);
  });
});
