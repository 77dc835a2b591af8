import { describe, expect, it } from 'vitest';
import { parseKickstart, resolveIncludePath } from '../../src/load/kickstart.js';

const none = () => undefined;
const files = (map: Record<string, string>) => (path: string) => map[path];

describe('parseKickstart', () => {
  it('reads names, globs, exclusions, groups and comments of %packages only', () => {
    const ks = parseKickstart(
      [
        'network --bootproto=dhcp',
        '%packages --ignoremissing --exclude-weakdeps',
        '@core',
        '@standard --nodefaults',
        'vim*   # editors',
        '/usr/bin/python3',
        '-ipw*',
        '-@multimedia',
        '',
        '%end',
        '%post',
        'echo notapackage',
        '%end',
      ].join('\n'),
      'a.ks',
      none,
    );
    expect(ks.errors).toEqual([]);
    expect(ks.include).toEqual(['vim*', '/usr/bin/python3']);
    expect(ks.exclude).toEqual(['ipw*']);
    expect(ks.groups.map((g) => [g.id, g.nodefaults, g.optional])).toEqual([
      ['core', false, false],
      ['standard', true, false],
    ]);
    expect(ks.excludeGroups).toEqual(['multimedia']);
    expect(ks.ignoreMissing).toBe(true);
    expect(ks.excludeWeakdeps).toBe(true);
    expect(ks.nocore).toBe(false);
    expect(ks.sources.find((s) => s.name === 'vim*')).toMatchObject({ file: 'a.ks', line: 5, column: 1 });
  });

  it('lets the last line naming a package decide, as pykickstart does', () => {
    const ks = parseKickstart('%packages\nfoo\n-bar\n-foo\nbar\n%end\n', 'a.ks', none);
    expect(ks.include).toEqual(['bar']);
    expect(ks.exclude).toEqual(['foo']);
  });

  it('keeps the first @group, drops groups excluded later, keeps one environment', () => {
    const ks = parseKickstart(
      '%packages\n@a --optional\n@a --nodefaults\n@b\n-@b\n@^one\n@^two\n%end\n%packages\n-@^one\n%end\n',
      'a.ks',
      none,
    );
    expect(ks.errors).toEqual([]);
    expect(ks.groups).toEqual([expect.objectContaining({ id: 'a', optional: true, nodefaults: false })]);
    expect(ks.excludeGroups).toEqual(['b']);
    expect(ks.environment?.id).toBe('two');
    const cleared = parseKickstart('%packages\n@^one\n-@^one\n%end\n', 'a.ks', none);
    expect(cleared.environment).toBeUndefined();
  });

  it('follows %include relative to the including file, inside and outside sections', () => {
    const read = files({
      'ks/parts/list.ks': 'b\n-c\n',
      'ks/parts/more.ks': '%packages\nd\n%end\n',
    });
    const ks = parseKickstart(
      '%include parts/more.ks\n%packages\na\n%include ./parts/list.ks\ne\n%end\n',
      'ks/top.ks',
      read,
    );
    expect(ks.errors).toEqual([]);
    expect(ks.include).toEqual(['d', 'a', 'b', 'e']);
    expect(ks.exclude).toEqual(['c']);
    expect(ks.files).toEqual(['ks/top.ks', 'ks/parts/more.ks', 'ks/parts/list.ks']);
    expect(ks.sources.find((s) => s.name === 'c')).toMatchObject({ file: 'ks/parts/list.ks', line: 2 });
  });

  it('reports a missing include as an error, or only lists it in report mode', () => {
    const text = '%include ../gone.ks\n%packages\na\n%end\n';
    const strict = parseKickstart(text, 'ks/top.ks', none);
    expect(strict.errors).toEqual([
      { file: 'ks/top.ks', line: 1, column: 1, message: '%include ../gone.ks: cannot read gone.ks' },
    ]);
    const lax = parseKickstart(text, 'ks/top.ks', none, { missingInclude: 'report' });
    expect(lax.errors).toEqual([]);
    expect(lax.missingIncludes).toEqual([{ file: 'ks/top.ks', line: 1, column: 1, path: 'gone.ks' }]);
    expect(lax.include).toEqual(['a']);
  });

  it('stops include cycles with an error naming the chain', () => {
    const ks = parseKickstart('%include b.ks\n', 'a.ks', files({ 'b.ks': '%include a.ks\n' }));
    expect(ks.errors.map((e) => e.message)).toEqual(['%include cycle: a.ks -> b.ks -> a.ks']);
  });

  it('gives positioned errors for bad headers, options, sections and lines', () => {
    const ks = parseKickstart(
      [
        '%packages --nodefaults --timeout=x',
        '@g --bogus',
        '@h --nodefaults --optional',
        'two names',
        '-',
        '%weird',
        '%end',
        '%frobnicate',
        '%end',
        '%packages',
        'x',
      ].join('\n'),
      'bad.ks',
      none,
    );
    expect(ks.errors.map((e) => `${e.line}:${e.column} ${e.message.split(';')[0]}`)).toEqual([
      '1:1 unknown %packages option `--nodefaults`',
      '1:1 %packages --timeout takes a number of seconds or tries, not `x`',
      '2:1 unknown group option `--bogus`',
      '3:1 group h cannot take both --nodefaults and --optional',
      '4:1 `two names` is not one package name: write one package per line',
      '5:1 an exclusion needs a package name or glob after `-`',
      '6:1 unexpected %weird in %packages',
      '8:1 unknown kickstart section %frobnicate',
      '9:1 %end without an open section',
      '10:1 %packages does not end with %end',
    ]);
    expect(ks.include).toEqual(['x']);
  });

  it('accepts the header options pykickstart knows, the last header winning', () => {
    const ks = parseKickstart(
      '%packages --excludedocs --ignoremissing --inst-langs en:fr --retries 3 --multilib\n%end\n' +
        '%packages --nocore --instLangs=de\n%end\n',
      'a.ks',
      none,
    );
    expect(ks.errors).toEqual([]);
    expect([ks.excludeDocs, ks.ignoreMissing, ks.multilib, ks.nocore, ks.instLangs]).toEqual([
      false,
      false,
      false,
      true,
      'de',
    ]);
  });

  it('ignores %post bodies, %-lines in scripts and CRLF line ends', () => {
    const ks = parseKickstart(
      '%post --log=/tmp/x\n%{_arch}\n%end\r\n%packages\r\nfoo\r\n%end\r\n',
      'a.ks',
      none,
    );
    expect(ks.errors).toEqual([]);
    expect(ks.include).toEqual(['foo']);
  });
});

describe('parseKickstart: module commands', () => {
  it('reads module --name [--stream] [--disable] outside sections, with positions', () => {
    const ks = parseKickstart(
      [
        'module --name=nodejs --stream=20',
        '  module --name ruby --disable # no ruby',
        'module --name=php',
        '%packages',
        'module',
        '%end',
        '%post',
        'module --name=ignored',
        '%end',
      ].join('\n'),
      'a.ks',
      none,
    );
    expect(ks.errors).toEqual([]);
    expect(ks.modules).toEqual([
      { name: 'nodejs', stream: '20', disable: false, file: 'a.ks', line: 1, column: 1 },
      { name: 'ruby', disable: true, file: 'a.ks', line: 2, column: 3 },
      { name: 'php', disable: false, file: 'a.ks', line: 3, column: 1 },
    ]);
    // inside %packages `module` is a package name
    expect(ks.include).toEqual(['module']);
  });

  it('refuses a module line without --name or with an unknown option', () => {
    const ks = parseKickstart(
      'module --stream=20\nmodule --name=a --profile=x\nmodule --name\n',
      'a.ks',
      none,
    );
    expect(ks.errors.map((e) => `${e.line} ${e.message.split(';')[0]}`)).toEqual([
      '1 module needs --name',
      '2 unknown module option `--profile=x`',
      '3 module --name needs a value',
    ]);
  });
});

describe('resolveIncludePath', () => {
  it('resolves against the including file and folds dots', () => {
    expect(resolveIncludePath('images/core.ks', '../distro/x.ks')).toBe('distro/x.ks');
    expect(resolveIncludePath('/abs/images/core.ks', '../distro/x.ks')).toBe('/abs/distro/x.ks');
    expect(resolveIncludePath('top.ks', 'x.ks')).toBe('x.ks');
    expect(resolveIncludePath('a/b.ks', '/tmp/part.ks')).toBe('/tmp/part.ks');
    expect(resolveIncludePath('b.ks', '../up.ks')).toBe('../up.ks');
  });
});
