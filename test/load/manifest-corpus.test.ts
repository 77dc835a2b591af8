import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, inputErrorList } from '../../src/load/errors.js';
import { nodeOrder, parseManifest } from '../../src/load/manifest.js';

const dir = new URL('../../corpus/families/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** The error kind each `bad-*` example must produce. */
const EXPECTED_KIND: Record<string, string> = {
  'bad-cycle.yaml': 'parent-cycle',
  'bad-duplicate-alias.yaml': 'duplicate-alias',
  'bad-empty.yaml': 'empty-manifest',
  'bad-unknown-parent.yaml': 'unknown-parent',
};

describe('corpus/families manifests', () => {
  it('has example manifests', () => {
    expect(files.length).toBeGreaterThan(4);
  });

  it.each(files.filter((f) => !f.startsWith('bad-')))('%s is valid', (file) => {
    const m = parseManifest(readFileSync(new URL(file, dir), 'utf8'), `corpus/families/${file}`);
    expect(m.nodes.length + (m.host?.packages.length ?? 0)).toBeGreaterThan(0);
    expect(nodeOrder(m)).toHaveLength(m.nodes.length);
  });

  it.each(files.filter((f) => f.startsWith('bad-')))('%s is refused', (file) => {
    let error: unknown;
    try {
      parseManifest(readFileSync(new URL(file, dir), 'utf8'), `corpus/families/${file}`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const kinds = inputErrorList(error as InputError).map((e) => e.kind);
    if (EXPECTED_KIND[file]) expect(kinds).toEqual([EXPECTED_KIND[file]]);
  });
});
