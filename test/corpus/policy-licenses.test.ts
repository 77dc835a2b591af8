import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import parse from 'spdx-expression-parse';
import { describe, expect, it } from 'vitest';
import { normalizeLicense } from '../../src/policy/licenses/normalize.js';
import { corpus } from './corpus.js';

/** Every distinct `<rpm:license>` of a corpus repository's primary.xml.gz, unescaped. */
function licenseTags(name: string): string[] {
  const dir = join(corpus(name), 'repodata');
  const file = readdirSync(dir).find((f) => f.endsWith('primary.xml.gz'))!;
  const xml = gunzipSync(readFileSync(join(dir, file))).toString('utf8');
  const tags = new Set<string>();
  for (const m of xml.matchAll(/<rpm:license>([^<]*)<\/rpm:license>/g)) {
    tags.add(m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>'));
  }
  return [...tags].sort();
}

describe.each([
  // Measured with the current table: a new table entry moves a tag from reported to normalized.
  ['cs9-baseos-2024-04', 108, 104],
  ['tizen-serranove', 90, 66],
])('License tags of %s', (name, distinct, mapped) => {
  it('every tag normalizes to valid SPDX or is reported with the terms that map to nothing', () => {
    const tags = licenseTags(name);
    let normalized = 0;
    const unmapped: string[] = [];
    for (const tag of tags) {
      const n = normalizeLicense(tag);
      if (n.expression !== undefined) {
        expect(() => parse(n.expression!), tag).not.toThrow();
        expect(n.unmapped).toEqual([]);
        normalized++;
      } else {
        expect(n.unmapped.length, tag).toBeGreaterThan(0);
        unmapped.push(...n.unmapped);
      }
    }
    expect(tags.length).toBe(distinct);
    expect(normalized).toBe(mapped);
  });
});
