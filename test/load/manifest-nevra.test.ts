import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNevra, type Nevra, parseNevra, RPM_ARCHES, TARGET_ARCHES } from '../../src/load/manifest.js';
import { entryNameProblem, isPackageName } from '../../src/load/manifest-nevra.js';

describe('parseNevra', () => {
  it.each<[string, Nevra]>([
    [
      'openssl-libs-1:3.0.7-27.el9.x86_64',
      { name: 'openssl-libs', epoch: 1, version: '3.0.7', release: '27.el9', arch: 'x86_64' },
    ],
    [
      'python3-requests-2.25.1-1.el9.noarch',
      { name: 'python3-requests', version: '2.25.1', release: '1.el9', arch: 'noarch' },
    ],
    ['bash-5.1.8-6.el9_1.aarch64', { name: 'bash', version: '5.1.8', release: '6.el9_1', arch: 'aarch64' }],
    [
      '389-ds-base-2.3.4-3.el9.x86_64',
      { name: '389-ds-base', version: '2.3.4', release: '3.el9', arch: 'x86_64' },
    ],
    [
      'kernel-0:5.14.0-1.rpbatz.x86_64',
      { name: 'kernel', epoch: 0, version: '5.14.0', release: '1.rpbatz', arch: 'x86_64' },
    ],
    [
      'foo-1.0~rc1^git3-1.fc39.i686',
      { name: 'foo', version: '1.0~rc1^git3', release: '1.fc39', arch: 'i686' },
    ],
    ['foo-bar-baz.x86_64', { name: 'foo', version: 'bar', release: 'baz', arch: 'x86_64' }],
  ])('parses %s', (text, expected) => {
    const parsed = parseNevra(text);
    expect(parsed).toEqual(expected);
    expect(formatNevra(parsed as Nevra)).toBe(text);
  });

  it.each([
    'bash',
    'python3-requests',
    'foo-1.0',
    'foo-1.0-1',
    'python3.11',
    'bash.x86_64',
    'foo-1.x86_64',
    'foo-1-2.notanarch',
    'foo--1.x86_64',
    'foo-1-.x86_64',
    '-1-2.x86_64',
    'foo-a:1-2.x86_64',
    'foo-1:2:3-4.x86_64',
    'foo-1:-4.x86_64',
  ])('does not take %s for a NEVRA', (text) => {
    expect(parseNevra(text)).toBeUndefined();
  });

  it('knows the usual arches and keeps noarch out of the targets', () => {
    for (const a of ['x86_64', 'aarch64', 'armv7hl', 'ppc64le', 's390x', 'riscv64', 'i686']) {
      expect(TARGET_ARCHES.has(a)).toBe(true);
    }
    expect(RPM_ARCHES.has('noarch')).toBe(true);
    expect(TARGET_ARCHES.has('noarch')).toBe(false);
    expect(TARGET_ARCHES.has('src')).toBe(false);
  });
});

describe('entry names', () => {
  it('accepts dashed and dotted names and refuses colons and name.arch', () => {
    expect(isPackageName('glibc-langpack-en')).toBe(true);
    expect(isPackageName('python3.11-pip')).toBe(true);
    expect(isPackageName('foo:bar')).toBe(false);
    expect(entryNameProblem('python3.11')).toBeUndefined();
    expect(entryNameProblem('bash.x86_64')?.reason).toMatch(/ends with the arch `\.x86_64`/);
    expect(entryNameProblem('a:b')?.reason).toMatch(/neither a package name nor a NEVRA/);
  });
});

const nameArb = fc.stringMatching(/^[A-Za-z0-9_+][A-Za-z0-9._+-]{0,15}$/);
const versionArb = fc.stringMatching(/^[A-Za-z0-9._+~^]{1,10}$/);
const nevraArb: fc.Arbitrary<Nevra> = fc
  .record({
    name: nameArb,
    epoch: fc.option(fc.nat(2 ** 31), { nil: undefined }),
    version: versionArb,
    release: versionArb,
    arch: fc.constantFrom(...RPM_ARCHES),
  })
  .map(({ epoch, ...rest }) => (epoch === undefined ? rest : { ...rest, epoch }));

describe('NEVRA properties', () => {
  it('parse(format(n)) returns n', () => {
    fc.assert(
      fc.property(nevraArb, (n) => {
        expect(parseNevra(formatNevra(n))).toEqual(n);
      }),
      { numRuns: 500 },
    );
  });

  it('format(parse(text)) returns text for every formatted NEVRA', () => {
    fc.assert(
      fc.property(nevraArb, (n) => {
        const text = formatNevra(n);
        const parsed = parseNevra(text);
        expect(parsed && formatNevra(parsed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('a text whose last dot is not followed by a known arch is never a NEVRA', () => {
    fc.assert(
      fc.property(
        fc
          .stringMatching(/^[A-Za-z0-9._+:-]{1,30}$/)
          .filter((t) => !RPM_ARCHES.has(t.slice(t.lastIndexOf('.') + 1))),
        (text) => {
          expect(parseNevra(text)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});
