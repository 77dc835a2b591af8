import { describe, expect, it } from 'vitest';
import { fingerprint, nameArch, packageName, parseNevra } from '../../src/policy/fingerprint.js';
import { globMatch } from '../../src/policy/glob.js';

describe('parseNevra', () => {
  it('splits name, epoch, version, release and arch', () => {
    expect(parseNevra('openssl-libs-1:3.0.7-27.el9.x86_64')).toEqual({
      name: 'openssl-libs',
      epoch: '1',
      version: '3.0.7',
      release: '27.el9',
      arch: 'x86_64',
    });
    expect(parseNevra('python3-urllib3-1.26.5-3.el9.noarch')).toEqual({
      name: 'python3-urllib3',
      version: '1.26.5',
      release: '3.el9',
      arch: 'noarch',
    });
    expect(parseNevra('libxml2')).toBeUndefined();
    expect(parseNevra('libxml2.x86_64')).toBeUndefined();
    expect(nameArch('zlib-1.2.11-40.el9.x86_64')).toBe('zlib.x86_64');
    expect(nameArch('zlib')).toBe('zlib');
    expect(packageName('zlib-1.2.11-40.el9.x86_64')).toBe('zlib');
  });
});

describe('fingerprint', () => {
  const base = {
    rule: 'RP001',
    node: 'media',
    package: 'media-player-3.0-1.x86_64',
    dependency: 'libx.so.1()(64bit)',
  };

  it('is a 32-digit hex digest, stable for the same parts', () => {
    const value = fingerprint(base);
    expect(value).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint({ ...base })).toBe(value);
    // pinned: a change here silently invalidates every stored baseline and SARIF alert history
    expect(fingerprint({ rule: 'RP003', node: 'app', package: 'zlib-1.2-1.x86_64' })).toBe(
      '25e83aae57154fcf34b6591275d421ad',
    );
    expect(fingerprint({ rule: 'RP003', node: 'app', package: 'zlib.x86_64' })).toBe(
      '25e83aae57154fcf34b6591275d421ad',
    );
  });

  it('ignores version, release, epoch and whitespace in the dependency', () => {
    expect(fingerprint({ ...base, package: 'media-player-1:4.0-7.el9.x86_64' })).toBe(fingerprint(base));
    expect(fingerprint({ ...base, dependency: '  libx.so.1()(64bit) ' })).toBe(fingerprint(base));
  });

  it('changes with rule, node, name, arch, dependency and other package', () => {
    const value = fingerprint(base);
    expect(fingerprint({ ...base, rule: 'RP002' })).not.toBe(value);
    expect(fingerprint({ ...base, node: 'navigation' })).not.toBe(value);
    expect(fingerprint({ ...base, package: 'media-player-3.0-1.aarch64' })).not.toBe(value);
    expect(fingerprint({ ...base, package: 'media-tools-3.0-1.x86_64' })).not.toBe(value);
    expect(fingerprint({ ...base, dependency: 'liby.so.1()(64bit)' })).not.toBe(value);
    expect(fingerprint({ ...base, other: 'foo-1-1.noarch' })).not.toBe(value);
  });

  it('cannot be forged by moving text between fields', () => {
    expect(fingerprint({ rule: 'RP001', node: 'a', package: 'b' })).not.toBe(
      fingerprint({ rule: 'RP001', node: 'a","b' }),
    );
  });
});

describe('globMatch', () => {
  it('implements *, **, ? and classes', () => {
    expect(globMatch('apps/*', 'apps/nav')).toBe(true);
    expect(globMatch('apps/*', 'apps/nav/x')).toBe(false);
    expect(globMatch('apps/**', 'apps/nav/x')).toBe(true);
    expect(globMatch('lib?ml2', 'libxml2')).toBe(true);
    expect(globMatch('lib[xy]ml2', 'libyml2')).toBe(true);
    expect(globMatch('lib[!xy]ml2', 'libxml2')).toBe(false);
    expect(globMatch('a.b', 'axb')).toBe(false);
    expect(globMatch('openssl-libs-1:3.0.7-*', 'openssl-libs-1:3.0.7-27.el9.x86_64')).toBe(true);
    expect(globMatch('c++*', 'c++-libs')).toBe(true);
  });
});
