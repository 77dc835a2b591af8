import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  modularExcludes,
  modulesFromBytes,
  modulesToBytes,
  parseModulesYaml,
} from '../../src/engine/modular.js';
import { CandidateView, readModularSource } from '../../src/engine/transaction/candidates.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { InputError } from '../../src/load/errors.js';
import type { SolvCache } from '../../src/load/repository.js';
import { loadEngine } from '../../src/solver/index.js';
import { tempDir, writeRepo } from '../hostile/repo-helpers.js';

const PRIMARY =
  '<?xml version="1.0"?><metadata xmlns="http://linux.duke.edu/metadata/common" packages="0"></metadata>';
const MODULES = `---
document: modulemd
version: 2
data:
  name: nodejs
  stream: "18"
  version: 1
  context: c1
  arch: x86_64
  artifacts:
    rpms:
    - nodejs-1:18.1-1.module_el9.x86_64
...
---
document: modulemd-defaults
version: 1
data:
  module: nodejs
  stream: "18"
...
`;
const PKGS = [
  { id: 1, name: 'nodejs', evr: '1:16.0-1.el9', arch: 'x86_64' },
  { id: 2, name: 'nodejs', evr: '1:18.1-1.module_el9', arch: 'x86_64' },
];

function memoryCache(): SolvCache & { entries: Map<string, Uint8Array> } {
  const entries = new Map<string, Uint8Array>();
  return {
    entries,
    get: async (k) => entries.get(k),
    put: async (k, b) => void entries.set(k, b),
    drop: async (k) => void entries.delete(k),
  };
}

function repo(modules: string): { dir: string; spec: { id: string; path: string; absPath: string } } {
  const dir = writeRepo(join(tempDir('rp-modcache-'), 'r'), [
    { type: 'primary', name: 'p-primary.xml.gz', bytes: gzipSync(PRIMARY) },
    { type: 'modules', name: 'm-modules.yaml.gz', bytes: gzipSync(modules) },
  ]);
  return { dir, spec: { id: 'r', path: 'r', absPath: dir } };
}

describe('the parse of modules.yaml kept in the cache', () => {
  it('round-trips through cache bytes, and refuses bytes that are not a parse', () => {
    const p = parseModulesYaml([MODULES]);
    expect(modulesFromBytes(modulesToBytes(p))).toEqual(p);
    expect(
      modulesFromBytes(new TextEncoder().encode('{"format":1,"modules":[{"name":1}],"defaults":[]}')),
    ).toBe(undefined);
    expect(modulesFromBytes(new TextEncoder().encode('not json'))).toBe(undefined);
    expect(modulesFromBytes(new TextEncoder().encode('{"format":0,"modules":[],"defaults":[]}'))).toBe(
      undefined,
    );
  });

  it('a warm read takes the parse from the cache, without the text, and hides the same packages', async () => {
    const host = createNodeHost();
    const cache = memoryCache();
    const { spec } = repo(MODULES);
    const cold = await readModularSource(host, [spec], { cache, cacheVersion: 'v' });
    expect(cold?.docs).toHaveLength(1);
    expect(cache.entries.size).toBe(1);
    const warm = await readModularSource(host, [spec], { cache, cacheVersion: 'v' });
    expect(warm?.docs).toBeUndefined();
    expect(warm?.files).toEqual(cold?.files);
    const hiddenBy = (s: typeof warm) => [...modularExcludes(s!.parsed!, PKGS).hidden];
    expect(hiddenBy(warm)).toEqual(hiddenBy(cold));
    expect(hiddenBy(warm)).toEqual([1]); // the default stream's artifact wins over the non-modular build
    // another engine version does not take that entry
    expect((await readModularSource(host, [spec], { cache, cacheVersion: 'w' }))?.docs).toHaveLength(1);
  });

  it('a changed modules.yaml is a new key; a bad entry is parsed again', async () => {
    const host = createNodeHost();
    const cache = memoryCache();
    const { spec } = repo(MODULES);
    await readModularSource(host, [spec], { cache });
    const [key] = [...cache.entries.keys()];
    cache.entries.set(key!, new TextEncoder().encode('garbage'));
    const again = await readModularSource(host, [spec], { cache });
    expect(again?.docs).toHaveLength(1);
    expect(modulesFromBytes(cache.entries.get(key!)!)).toBeDefined();
    const other = repo(MODULES.replace('18.1-1', '18.2-1'));
    await readModularSource(host, [other.spec], { cache });
    expect(cache.entries.size).toBe(2);
  });

  it('a malformed modules.yaml is never cached: its error comes at use, on every run', async () => {
    const host = createNodeHost();
    const cache = memoryCache();
    const { spec } = repo(`${MODULES}---\ndocument: modulemd\nversion: 2\ndata: [unclosed\n`);
    const e = await loadEngine();
    for (let run = 0; run < 2; run++) {
      const source = await readModularSource(host, [spec], { cache });
      expect(cache.entries.size).toBe(0);
      const pool = e.createPool('x86_64');
      try {
        const view = new CandidateView(pool, [], source);
        expect(() => view.hidden()).toThrow(InputError);
      } finally {
        pool.dispose();
      }
    }
  });
});
