/**
 * Where the launcher keeps the program's V8 code cache (src/launch/code-cache.ts): read from the command
 * line before the program's own parser runs, so it must agree with what `--cache-dir` and `--no-cache`
 * mean there.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeCacheFile, isStaleCodeCache } from '../../src/launch/code-cache.js';

const id = { programSha256: 'ab'.repeat(32), node: 'v20.20.2', arch: 'x64' };
const env = { XDG_CACHE_HOME: '/xdg' };

describe('codeCacheFile', () => {
  it('lives in the repository cache, one file per command, named by build, Node and arch', () => {
    expect(codeCacheFile(['check', 'family.yaml'], env, '/w', id)).toBe(
      '/xdg/redproof/code/check-abababababababab-v20.20.2-x64.v8',
    );
    expect(codeCacheFile(['repo-check', '--repo', 'r'], env, '/w', id)).toMatch(
      /\/code\/repo-check-abababababababab-/,
    );
    const other = codeCacheFile(['check'], env, '/w', { ...id, programSha256: 'cd'.repeat(32) });
    expect(other).not.toBe(codeCacheFile(['check'], env, '/w', id));
    expect(codeCacheFile(['check'], env, '/w', { ...id, node: 'v20.1.0' })).toContain('-v20.1.0-');
  });

  it('follows --cache-dir in both spellings, relative to the working directory', () => {
    expect(codeCacheFile(['lock', 'f.yaml', '--cache-dir', 'c'], env, '/w', id)).toBe(
      join('/w/c/code', 'lock-abababababababab-v20.20.2-x64.v8'),
    );
    expect(codeCacheFile(['lock', '--cache-dir=/abs'], env, '/w', id)).toMatch(/^\/abs\/code\/lock-/);
  });

  it('is none with --no-cache, wherever it stands before `--`', () => {
    expect(codeCacheFile(['check', 'f.yaml', '--no-cache'], env, '/w', id)).toBeUndefined();
    expect(codeCacheFile(['--no-cache', 'check'], env, '/w', id)).toBeUndefined();
    expect(codeCacheFile(['check', '--', '--no-cache'], env, '/w', id)).toBeDefined();
  });

  it('names anything that is not a command word `other` (no path from argv reaches the file name)', () => {
    for (const first of ['--version', '../../etc/passwd', 'Check', '', 'a'.repeat(40)]) {
      expect(codeCacheFile([first], env, '/w', id)).toMatch(/\/xdg\/redproof\/code\/other-/);
    }
    expect(codeCacheFile([], env, '/w', id)).toMatch(/\/code\/other-/);
  });

  it('falls back to ~/.cache/redproof without XDG_CACHE_HOME', () => {
    expect(codeCacheFile(['check'], {}, '/w', id)).toMatch(/\/\.cache\/redproof\/code\/check-/);
  });

  it("prunes only the same command's caches of other builds, Node versions or arches", () => {
    const current = 'repo-check-abababababababab-v20.20.2-x64.v8';
    expect(isStaleCodeCache(current, 'repo-check-0123456789abcdef-v20.20.2-x64.v8')).toBe(true);
    expect(isStaleCodeCache(current, 'repo-check-abababababababab-v22.1.0-x64.v8')).toBe(true);
    expect(isStaleCodeCache(current, current)).toBe(false);
    for (const other of [
      'check-0123456789abcdef-v20.20.2-x64.v8',
      'repo-0123456789abcdef-v20.20.2-x64.v8',
      'update-check-0123456789abcdef-v20.20.2-x64.v8',
      'repo-check-notabuild-v20.20.2-x64.v8',
      '.tmp-123-456',
      'eb5c54ee9d0b004f.solv',
    ])
      expect(isStaleCodeCache(current, other)).toBe(false);
    expect(
      isStaleCodeCache(
        'check-abababababababab-v20.20.2-x64.v8',
        'repo-check-0123456789abcdef-v20.20.2-x64.v8',
      ),
    ).toBe(false);
  });
});
