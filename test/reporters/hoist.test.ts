import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/model/finding.js';
import type { HoistReport } from '../../src/model/hoist.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { markdownReporter } from '../../src/reporters/markdown.js';
import { textReporter } from '../../src/reporters/text.js';
import { cleanResult } from './fixtures.js';

/* The hoist section of the text, Markdown and JSON reports: every hoist and every duplicate left. */

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
