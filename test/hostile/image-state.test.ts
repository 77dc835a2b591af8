import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { imageStateManifest } from '../../src/engine/image-state.js';
import { createMemoryHost } from '../../src/host/memory-host.js';
import { InputError } from '../../src/load/errors.js';

// The BerkeleyDB fixture: real headers rpm installed, every package noarch.
const BDB = readFileSync(
  fileURLToPath(new URL('../fixtures/images/bdb/var/lib/rpm/Packages', import.meta.url)),
);
const host = createMemoryHost({
  '/img/var/lib/rpm/Packages': new Uint8Array(BDB),
  '/img/var/redpak': { dir: true },
});
const repos = [{ id: 'base', path: 'repo', absPath: '/r/repo' }];

describe('update-check IMAGE_ROOT: the state is data, not YAML text', () => {
  it('an all-noarch image asks for --arch instead of failing on an invisible line', async () => {
    const err = await imageStateManifest(host, '/img', repos).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe(
      '/img: the image has no arch-specific package, so its arch is unknown (noarch); expected --arch ARCH (e.g. --arch x86_64)',
    );
  });

  it('values from the image stay strings: an arch `a\\nb: c` is not a YAML key', async () => {
    const { text } = await imageStateManifest(host, '/img', [{ id: 'x: y', path: 'r', absPath: '/r\n- z' }], {
      arch: 'a\nb: c',
    });
    const data = parse(text) as Record<string, unknown>;
    expect(data.arch).toBe('a\nb: c');
    expect(data).not.toHaveProperty('b');
    expect(data.repos).toEqual([{ id: 'x: y', path: '/r\n- z' }]);
    expect((data.host as { packages: string[] }).packages).toContain('app-0.1-1.noarch');
  });
});
