import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, InputErrors, inputErrorList } from '../../src/load/errors.js';
import { ancestors, hasRequests, type Manifest, nodeOrder, parseManifest } from '../../src/load/manifest.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/manifest/${name}`, import.meta.url), 'utf8');

/** Parses `text` expecting failure; returns every problem as `line:column kind`. */
function problems(text: string, file = 'family.yaml'): string[] {
  try {
    parseManifest(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return inputErrorList(error as InputError).map((e) => `${e.line}:${e.column} ${e.kind}`);
  }
  throw new Error('expected parseManifest to throw');
}

/** Parses `text` expecting failure; returns the error. */
function failure(text: string, file = 'family.yaml'): InputError {
  try {
    parseManifest(text, file);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected parseManifest to throw');
}

const HEAD = 'redproof: 1\nfamily: f\narch: x86_64\nrepos:\n  - id: base\n    path: repos/base\n';

describe('parseManifest: install requests, excludes and options', () => {
  it('reads install, exclude, kickstart, weak-deps and best at every level, with spans', () => {
    const m = parseManifest(
      `${HEAD}exclude: ['*-devel']\nweak-deps: false\nhost:\n  install: [bash, '@core']\n  kickstart: host.ks\n  best: false\nnodes:\n  - alias: a\n    install: [/usr/bin/python3, 'libfoo.so.1()(64bit)']\n    exclude: [foo*]\n    weak-deps: true\n`,
      'f.yaml',
    );
    expect(m.exclude.map((r) => r.text)).toEqual(['*-devel']);
    expect(m.options).toEqual({ weakDeps: false });
    expect(m.host?.install.map((r) => r.text)).toEqual(['bash', '@core']);
    expect(m.host?.install[1]?.span).toMatchObject({ line: 10, column: 19 });
    expect(m.host?.kickstart?.text).toBe('host.ks');
    expect(m.host?.options).toEqual({ best: false });
    expect(m.host?.packages).toEqual([]);
    expect(m.nodes[0]?.install.map((r) => r.text)).toEqual(['/usr/bin/python3', 'libfoo.so.1()(64bit)']);
    expect(m.nodes[0]?.exclude.map((r) => r.text)).toEqual(['foo*']);
    expect(m.nodes[0]?.options).toEqual({ weakDeps: true });
    expect(hasRequests(m)).toBe(true);
  });

  it('refuses a request with a blank and a non-boolean option', () => {
    expect(() => parseManifest(`${HEAD}nodes:\n  - alias: a\n    install: ['foo bar']\n`, 'f.yaml')).toThrow(
      /install spec without blanks/,
    );
    expect(() => parseManifest(`${HEAD}best: yes please\nnodes:\n  - alias: a\n`, 'f.yaml')).toThrow(/best/);
  });

  it('reads the hoist keys: enabled and never family-wide, receive and never on the host and the nodes', () => {
    const m = parseManifest(
      `${HEAD}hoist:\n  enabled: true\n  never: ['kernel*']\nhost:\n  install: [bash]\n  hoist: {receive: false}\nnodes:\n  - alias: a\n    hoist:\n      never: [openssl*]\n  - alias: b\n`,
      'f.yaml',
    );
    expect(m.hoist?.enabled).toBe(true);
    expect(m.hoist?.never.map((r) => r.text)).toEqual(['kernel*']);
    expect(m.hoist?.never[0]?.span).toMatchObject({ line: 9, column: 11 });
    expect(m.host?.hoist).toEqual({ receive: false, never: [] });
    expect(m.nodes[0]?.hoist?.never.map((r) => r.text)).toEqual(['openssl*']);
    expect(m.nodes[0]?.hoist?.receive).toBeUndefined();
    expect(m.nodes[1]?.hoist).toBeUndefined();
    expect(() =>
      parseManifest(`${HEAD}nodes:\n  - alias: a\n    hoist: {receive: maybe}\n`, 'f.yaml'),
    ).toThrow(/receive/);
    expect(() => parseManifest(`${HEAD}hoist: {receive: false}\n`, 'f.yaml')).toThrow(
      /unknown key `receive`/,
    );
    expect(() =>
      parseManifest(`${HEAD}nodes:\n  - alias: a\n    hoist: {enabled: true}\n`, 'f.yaml'),
    ).toThrow(/unknown key `enabled`/);
  });

  it('a family with only host requests is not empty', () => {
    const m = parseManifest(`${HEAD}host:\n  install: [bash]\n`, 'f.yaml');
    expect(hasRequests(m)).toBe(true);
    expect(hasRequests(parseManifest(`${HEAD}host:\n  packages: [bash]\n`, 'f.yaml'))).toBe(false);
  });
});

describe('parseManifest: module streams', () => {
  it('reads modules at every level, with spans', () => {
    const m = parseManifest(
      `${HEAD}modules:\n  enable: [ruby:3.3]\nhost:\n  modules: {disable: [nodejs]}\nnodes:\n  - alias: a\n    modules:\n      enable: [nodejs:20, php]\n      disable: [ruby]\n`,
      'f.yaml',
    );
    expect(m.modules?.enable.map((r) => r.text)).toEqual(['ruby:3.3']);
    expect(m.modules?.disable).toEqual([]);
    expect(m.host?.modules?.disable.map((r) => r.text)).toEqual(['nodejs']);
    expect(m.nodes[0]?.modules?.enable.map((r) => r.text)).toEqual(['nodejs:20', 'php']);
    expect(m.nodes[0]?.modules?.enable[0]?.span).toMatchObject({ line: 14, column: 16 });
    expect(m.nodes[0]?.modules?.disable.map((r) => r.text)).toEqual(['ruby']);
    expect(parseManifest(`${HEAD}nodes:\n  - alias: a\n`, 'f.yaml').nodes[0]?.modules).toBeUndefined();
  });

  it('refuses two streams of a module, a module enabled and disabled, and a stream to disable', () => {
    expect(
      problems(
        `${HEAD}modules:\n  enable: [nodejs:18, nodejs:20]\nnodes:\n  - alias: a\n    modules: {enable: [ruby], disable: [ruby]}\n  - alias: b\n    modules: {disable: ['php:8.2']}\n  - alias: c\n    modules: {enable: ['a b']}\n`,
      ),
    ).toEqual([
      '8:23 module-stream-twice',
      '11:41 module-enabled-and-disabled',
      '13:25 invalid-value',
      '15:24 invalid-value',
    ]);
    expect(failure(`${HEAD}modules: {disable: ['php:8.2']}\n`).message).toMatch(
      /a module name \(as `dnf module disable` takes it; no stream\)/,
    );
  });
});

describe('parseManifest: valid manifests', () => {
  it('reads the minimal manifest', () => {
    const m = parseManifest(fixture('minimal.yaml'), 'minimal.yaml');
    expect(m).toEqual<Manifest>({
      file: 'minimal.yaml',
      family: 'tiny',
      arch: 'aarch64',
      repos: [
        {
          id: 'base',
          path: 'repos/base',
          span: { file: 'minimal.yaml', line: 5, column: 9, endLine: 5, endColumn: 13 },
        },
      ],
      nodes: [
        {
          alias: 'app',
          parent: 'host',
          packages: [],
          install: [],
          exclude: [],
          options: {},
          span: { file: 'minimal.yaml', line: 8, column: 12, endLine: 8, endColumn: 15 },
        },
      ],
      exclude: [],
      options: {},
    });
    expect(m.host).toBeUndefined();
  });

  it('reads the full example with host, parents, NEVRAs and names', () => {
    const m = parseManifest(fixture('full.yaml'), 'fam/full.yaml');
    expect(m.family).toBe('ivi-demo');
    expect(m.arch).toBe('x86_64');
    expect(m.repos.map((r) => [r.id, r.path])).toEqual([
      ['baseos', 'repos/baseos'],
      ['apps', 'repos/apps/primary.xml.gz'],
    ]);
    expect(m.host?.packages.map((e) => e.text)).toEqual(['bash', 'glibc']);
    expect(m.host?.span).toEqual({ file: 'fam/full.yaml', line: 9, column: 1, endLine: 9, endColumn: 5 });
    expect(m.nodes.map((n) => [n.alias, n.parent])).toEqual([
      ['platform', 'host'],
      ['navigation', 'platform'],
      ['maps', 'navigation'],
    ]);
    const platform = m.nodes[0]?.packages ?? [];
    expect(platform[1]).toEqual({
      text: 'openssl-libs-1:3.0.7-27.el9.x86_64',
      span: { file: 'fam/full.yaml', line: 16, column: 9, endLine: 16, endColumn: 43 },
      kind: 'nevra',
      name: 'openssl-libs',
      epoch: 1,
      version: '3.0.7',
      release: '27.el9',
      arch: 'x86_64',
    });
    // flow sequence: the span covers just the scalar
    expect(m.nodes[1]?.packages[1]?.span).toEqual({
      file: 'fam/full.yaml',
      line: 19,
      column: 25,
      endLine: 19,
      endColumn: 41,
    });
  });

  it('classifies NEVRA without epoch, dashed names, and numeric-looking names', () => {
    const m = parseManifest(fixture('full.yaml'), 'full.yaml');
    const maps = m.nodes[2]?.packages ?? [];
    expect(maps.map((e) => ({ ...e, span: undefined }))).toEqual([
      {
        text: 'python3-requests-2.25.1-1.el9.noarch',
        span: undefined,
        kind: 'nevra',
        name: 'python3-requests',
        version: '2.25.1',
        release: '1.el9',
        arch: 'noarch',
      },
      { text: '389-ds-base', span: undefined, kind: 'name', name: '389-ds-base' },
      // an unquoted number keeps its text: every scalar is read as a string
      { text: '2048', span: undefined, kind: 'name', name: '2048' },
      { text: '1.0', span: undefined, kind: 'name', name: '1.0' },
    ]);
    expect(maps[0]).not.toHaveProperty('epoch');
    // the quoted scalar's span includes its quotes
    expect(maps[3]?.span).toMatchObject({ line: 26, column: 9, endColumn: 14 });
  });

  it('reads names with dots and dashes that are not NEVRAs', () => {
    const m = parseManifest(
      `${HEAD}nodes:\n  - alias: n\n    packages: [foo-1.0, python3.11-pip, glibc-langpack-en, foo-1.0-1, kernel-core]\n`,
      'f.yaml',
    );
    expect(m.nodes[0]?.packages.map((e) => [e.text, e.kind])).toEqual([
      ['foo-1.0', 'name'],
      ['python3.11-pip', 'name'],
      ['glibc-langpack-en', 'name'],
      ['foo-1.0-1', 'name'],
      ['kernel-core', 'name'],
    ]);
  });

  it('accepts a family of host packages only, and numeric aliases', () => {
    const m = parseManifest(`${HEAD}host:\n  packages: [bash]\n`, 'f.yaml');
    expect(m.nodes).toEqual([]);
    expect(m.host?.packages[0]?.name).toBe('bash');
    const n = parseManifest(`${HEAD}nodes:\n  - alias: 2024\n  - alias: x\n    parent: 2024\n`, 'f.yaml');
    expect(n.nodes.map((x) => [x.alias, x.parent])).toEqual([
      ['2024', 'host'],
      ['x', '2024'],
    ]);
  });

  it('follows YAML anchors and aliases', () => {
    const m = parseManifest(
      `${HEAD}nodes:\n  - alias: a\n    packages: &common [bash, zlib]\n  - alias: b\n    packages: *common\n`,
      'f.yaml',
    );
    expect(m.nodes[1]?.packages.map((e) => e.text)).toEqual(['bash', 'zlib']);
    // positions point at the anchored text
    expect(m.nodes[1]?.packages[0]?.span.line).toBe(9);
  });

  it('does not count a byte-order mark as a column', () => {
    expect(problems('\uFEFFredproof: 3\n')).toEqual(['1:11 unsupported-version']);
  });

  it('keeps spans right with CRLF line ends', () => {
    const m = parseManifest(fixture('minimal.yaml').replace(/\n/g, '\r\n'), 'crlf.yaml');
    expect(m.nodes[0]?.span).toEqual({ file: 'crlf.yaml', line: 8, column: 12, endLine: 8, endColumn: 15 });
  });
});

describe('parseManifest: YAML syntax errors', () => {
  it('reports a duplicate key at the second key', () => {
    const e = failure('redproof: 1\nfamily: a\nfamily: b\n');
    expect(e.kind).toBe('yaml-syntax');
    expect([e.file, e.line, e.column]).toEqual(['family.yaml', 3, 1]);
    expect(e.message).toBe('family.yaml:3:1: duplicate key (each key may appear once in a mapping)');
  });

  it('reports a tab used as indentation', () => {
    expect(problems('redproof: 1\nrepos:\n\t- id: a\n')).toEqual(['3:1 yaml-syntax']);
  });

  it('reports bad indentation and unclosed flow collections with a position', () => {
    const e = failure('redproof: 1\nnodes: [a,\n');
    expect(e.kind).toBe('yaml-syntax');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^family\.yaml:3:1: invalid YAML: /);
  });

  it('refuses several documents in one file', () => {
    expect(problems(`${HEAD}---\nfamily: g\n`)).toEqual(['7:1 yaml-syntax']);
  });

  it('refuses an empty file', () => {
    const e = failure('# nothing here\n');
    expect(e.kind).toBe('empty-manifest');
    expect(e.message).toBe(
      'family.yaml:1:1: the manifest is empty; expected a mapping with `redproof: 1`, `family`, `arch` and `repos`',
    );
  });

  it('refuses an alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]'];
    bomb.push(
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    );
    expect(failure(`${bomb.join('\n')}\n`).kind).toBe('yaml-syntax');
  });
});

describe('parseManifest: schema errors', () => {
  it('reports a wrong type at the value', () => {
    const e = failure(`${HEAD}nodes:\n  alias: a\n`);
    expect(e.kind).toBe('wrong-type');
    expect(e.message).toBe('family.yaml:8:3: nodes: must be a sequence, not a mapping');
  });

  it('reports an unknown key at the key and lists the known ones', () => {
    const e = failure(`${HEAD}nodes:\n  - alias: a\n    pakages: [bash]\n`);
    expect(e.kind).toBe('unknown-key');
    expect(e.message).toBe(
      'family.yaml:9:5: nodes[0].pakages: unknown key `pakages`; expected one of `alias`, `parent`, `packages`, `install`, `exclude`, `weak-deps`, `best`, `modules`, `hoist`',
    );
  });

  it('reports missing required keys at the mapping', () => {
    expect(problems('redproof: 1\nfamily: f\nnodes: [{alias: a}]\n')).toEqual([
      '1:1 missing-key',
      '1:1 missing-key',
    ]);
    expect(failure('redproof: 1\nfamily: f\nnodes: [{alias: a}]\n').message.split('\n')).toEqual([
      'family.yaml:1:1: missing required key `arch`',
      'family.yaml:1:1: missing required key `repos`',
    ]);
    const e = failure(`${HEAD}nodes:\n  - parent: host\n`);
    expect(e.message).toBe('family.yaml:8:5: nodes[0]: missing required key `alias`');
  });

  it('reports an invalid alias with the pattern and the value', () => {
    const e = failure(`${HEAD}nodes:\n  - alias: nav igation\n`);
    expect(e.message).toBe(
      'family.yaml:8:12: nodes[0].alias: must match [A-Za-z0-9+\\-_@:]+ ("nav igation")',
    );
    expect([e.endLine, e.endColumn]).toEqual([8, 23]);
  });

  it('reports empty values and lists once per value', () => {
    expect(problems('redproof: 1\nfamily:\narch: x86_64\nrepos: []\n')).toEqual([
      '2:8 invalid-value',
      '4:8 invalid-value',
    ]);
    expect(failure('redproof: 1\nfamily: f\narch: x86_64\nrepos: []\nhost: {packages: [a]}\n').message).toBe(
      'family.yaml:4:8: repos: must list at least one item',
    );
  });

  it('explains a quoted version', () => {
    const e = failure(`${HEAD.replace('redproof: 1', "redproof: '1'")}nodes: [{alias: a}]\n`);
    expect(e.message).toBe('family.yaml:1:11: redproof: must be 1, not "1"; expected `1` without quotes');
  });

  it('reports a package entry that is not a name', () => {
    expect(failure(`${HEAD}host:\n  packages: ['-x']\n`).message).toMatch(
      /^family\.yaml:8:14: host\.packages\[0\]: must match a package name or NEVRA/,
    );
  });
});

describe('parseManifest: semantic errors', () => {
  it('refuses an unsupported format version alone, naming the supported ones', () => {
    const e = failure('redproof: 2\nfamily: f\nsomething: new\n');
    expect(e).not.toBeInstanceOf(InputErrors);
    expect(e.kind).toBe('unsupported-version');
    expect(e.message).toBe(
      'family.yaml:1:11: redproof: unsupported manifest format version 2; expected version 1 (this redproof reads no other)',
    );
  });

  it('reports a duplicate alias at the second one', () => {
    const e = failure(`${HEAD}nodes:\n  - alias: a\n  - alias: a\n`);
    expect(e.kind).toBe('duplicate-alias');
    expect(e.message).toBe(
      'family.yaml:9:12: nodes[1].alias: duplicate alias `a` (first at 8:12); expected a unique alias per node',
    );
  });

  it('reports an unknown parent with a suggestion', () => {
    const e = failure(`${HEAD}nodes:\n  - alias: platform\n  - alias: b\n    parent: platfrom\n`);
    expect(e.kind).toBe('unknown-parent');
    expect([e.line, e.column]).toEqual([10, 13]);
    expect(e.reason).toBe('nodes[1].parent: unknown parent `platfrom` (did you mean `platform`?)');
    expect(e.expected).toBe('`host` or the alias of a node of this manifest (`platform`, `b`)');
  });

  it('reports a parent cycle once, at the first node of the cycle', () => {
    const text = `${HEAD}nodes:\n  - alias: a\n    parent: c\n  - alias: b\n    parent: a\n  - alias: c\n    parent: b\n  - alias: d\n    parent: c\n`;
    const e = failure(text);
    expect(e.kind).toBe('parent-cycle');
    expect([e.line, e.column]).toEqual([9, 13]);
    expect(e.reason).toBe('nodes[0].parent: parent cycle `a` → `c` → `b` → `a`');
  });

  it('reports a node that is its own parent', () => {
    expect(problems(`${HEAD}nodes:\n  - alias: a\n    parent: a\n`)).toEqual(['9:13 parent-cycle']);
  });

  it('reserves the alias host', () => {
    const e = failure(`${HEAD}nodes:\n  - alias: host\n`);
    expect(e.kind).toBe('reserved-alias');
    expect([e.line, e.column]).toEqual([8, 12]);
  });

  it('refuses an empty family at its name', () => {
    const e = failure(`${HEAD}nodes: []\nhost:\n  packages: []\n`);
    expect(e.kind).toBe('empty-family');
    expect(e.message).toBe(
      'family.yaml:2:9: family `f` is empty: it has no nodes and no host packages; expected at least one entry under `nodes` or `host.packages`',
    );
    expect(problems(HEAD)).toEqual(['2:9 empty-family']);
  });

  it('reports a duplicate repository id at the second one', () => {
    const e = failure(`${HEAD}  - id: base\n    path: other\nnodes: [{alias: a}]\n`);
    expect(e.kind).toBe('duplicate-repo-id');
    expect(e.reason).toBe('repos[1].id: duplicate repository id `base` (first at 5:9)');
    expect([e.line, e.column]).toEqual([7, 9]);
  });

  it('refuses noarch and unknown arches as the target', () => {
    const text = (arch: string): string => `${HEAD.replace('x86_64', arch)}nodes: [{alias: a}]\n`;
    expect(failure(text('noarch')).reason).toBe('arch: `noarch` is not a target arch');
    expect(failure(text('x86-64')).kind).toBe('invalid-value');
    const e = failure(text('amd46'));
    expect([e.kind, e.line, e.column, e.reason]).toEqual([
      'unknown-arch',
      3,
      7,
      'arch: unknown arch `amd46`',
    ]);
  });

  it('refuses name.arch entries and names with a colon', () => {
    const text = `${HEAD}nodes:\n  - alias: a\n    packages:\n      - bash.x86_64\n      - bash-5.1.x86_64\n      - bash:5\n`;
    expect(problems(text)).toEqual([
      '10:9 invalid-package-entry',
      '11:9 invalid-package-entry',
      '12:9 invalid-package-entry',
    ]);
    expect(failure(`${HEAD}host: {packages: [bash.x86_64]}\n`).reason).toBe(
      'host.packages[0]: `bash.x86_64` ends with the arch `.x86_64` but is not a full NEVRA',
    );
  });
});

describe('parseManifest: several errors at once', () => {
  it('reports every problem, sorted by position, in one InputErrors', () => {
    const e = failure(fixture('many-errors.yaml'), 'many-errors.yaml');
    expect(e).toBeInstanceOf(InputErrors);
    expect(e.kind).toBe('multiple');
    expect([e.file, e.line, e.column]).toEqual(['many-errors.yaml', 7, 9]);
    const list = inputErrorList(e);
    expect(list.map((x) => `${x.line}:${x.column} ${x.kind}`)).toEqual([
      '7:9 duplicate-repo-id',
      '11:12 invalid-value',
      '13:12 duplicate-alias',
      '14:13 unknown-parent',
      '15:12 reserved-alias',
      '17:13 parent-cycle',
    ]);
    expect(e.message.split('\n')).toEqual(list.map((x) => x.message));
    expect(e.message.split('\n')[0]).toBe(
      'many-errors.yaml:7:9: repos[1].id: duplicate repository id `base` (first at 5:9); expected a unique id per repository',
    );
  });

  it('matches the example printed in docs/manifest.md', () => {
    const docs = readFileSync(new URL('../../docs/manifest.md', import.meta.url), 'utf8');
    const block = /A multi-problem example[^\n]*\n\n```text\n([\s\S]*?)\n```/.exec(docs)?.[1];
    expect(block?.trimEnd()).toBe(failure(fixture('many-errors.yaml'), 'many-errors.yaml').message);
  });

  it('mixes schema and semantic errors', () => {
    const text =
      'redproof: 1\nfamily: f\narch: noarch\nrepos:\n  - id: r\nnodes:\n  - alias: a\n  - alias: a\n';
    expect(problems(text)).toEqual(['3:7 unknown-arch', '5:5 missing-key', '8:12 duplicate-alias']);
  });
});

describe('nodeOrder and ancestors', () => {
  const m = parseManifest(
    `${HEAD}nodes:\n  - alias: leaf\n    parent: mid\n  - alias: other\n  - alias: mid\n    parent: root\n  - alias: root\n`,
    'f.yaml',
  );

  it('puts parents first and keeps declaration order otherwise', () => {
    expect(nodeOrder(m).map((n) => n.alias)).toEqual(['root', 'mid', 'leaf', 'other']);
    const full = parseManifest(fixture('full.yaml'), 'full.yaml');
    expect(nodeOrder(full).map((n) => n.alias)).toEqual(['platform', 'navigation', 'maps']);
  });

  it('lists ancestors nearest first, ending with host', () => {
    expect(ancestors(m, 'leaf')).toEqual(['mid', 'root', 'host']);
    expect(ancestors(m, 'other')).toEqual(['host']);
    expect(ancestors(m, 'host')).toEqual([]);
    expect(() => ancestors(m, 'nope')).toThrow(/no node `nope`/);
  });

  it('refuses a hand-built manifest with a cycle', () => {
    const span = { file: 'x', line: 1, column: 1 };
    const bad: Manifest = {
      file: 'x',
      family: 'x',
      arch: 'x86_64',
      repos: [],
      nodes: [
        { alias: 'a', parent: 'b', packages: [], install: [], exclude: [], options: {}, span },
        { alias: 'b', parent: 'a', packages: [], install: [], exclude: [], options: {}, span },
      ],
      exclude: [],
      options: {},
    };
    expect(() => nodeOrder(bad)).toThrow(/parent cycle/);
    expect(() => ancestors(bad, 'a')).toThrow(/parent cycle/);
  });
});
