import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDiskCache } from '../../src/cli/cache.js';
import { tempDir } from './repo-helpers.js';

const tmp = tempDir('cache');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the disk cache never follows a link', () => {
  it('a symlink planted at an entry or its checksum sidecar is replaced, not written through', async () => {
    const victim = join(tmp, 'victim');
    writeFileSync(victim, 'precious\n');
    const dir = join(tmp, 'c1');
    const cache = createDiskCache(dir);
    await cache.put('k0', new Uint8Array([1])); // creates the directory
    symlinkSync(victim, join(dir, 'k1.solv.sha256'));
    symlinkSync(victim, join(dir, 'k1.solv'));
    await cache.put('k1', new Uint8Array([1, 2, 3]));
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(join(dir, 'k1.solv.sha256')).isSymbolicLink()).toBe(false);
    expect(lstatSync(join(dir, 'k1.solv')).isSymbolicLink()).toBe(false);
    expect(await cache.get('k1')).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('an entry that is a symlink is not read', async () => {
    const dir = join(tmp, 'c2');
    const cache = createDiskCache(dir);
    await cache.put('k', new Uint8Array([9]));
    const outside = join(tmp, 'outside.solv');
    writeFileSync(outside, new Uint8Array([7]));
    rmSync(join(dir, 'k.solv'));
    symlinkSync(outside, join(dir, 'k.solv'));
    writeFileSync(
      join(dir, 'k.solv.sha256'),
      `${createHash('sha256')
        .update(new Uint8Array([7]))
        .digest('hex')}\n`,
    );
    expect(await cache.get('k')).toBeUndefined();
  });
});
