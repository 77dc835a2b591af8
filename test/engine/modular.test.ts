import { describe, expect, it } from 'vitest';
import { modularExcludes, parseNevra } from '../../src/engine/modular.js';
import { InputError } from '../../src/load/errors.js';

const mod = (
  name: string,
  stream: string,
  version: string,
  context: string,
  rpms: string[],
  extra = '',
) => `---
document: modulemd
version: 2
data:
  name: ${name}
  stream: "${stream}"
  version: ${version}
  context: ${context}
  arch: x86_64
  summary: s
  description: d
  license: {module: [MIT]}
${extra}  artifacts:
    rpms:
${rpms.map((r) => `    - ${r}`).join('\n')}
...
`;

const YAML = [
  mod('nodejs', '18', '920230327152102', 'rhel9', [
    'nodejs-1:18.14.2-2.module_el9.x86_64',
    'nodejs-1:18.14.2-2.module_el9.src',
  ]),
  mod('nodejs', '18', '920240311154052', 'rhel9', [
    'nodejs-1:18.19.1-1.module_el9.x86_64',
    'npm-1:10.2.4-1.18.19.1.module_el9.x86_64',
  ]),
  mod('nodejs', '20', '920241205131105', 'rhel9', ['nodejs-1:20.18.1-1.module_el9.x86_64']),
  mod(
    'app',
    '1',
    '1',
    'c1',
    ['app-0:1.0-1.x86_64'],
    '  dependencies:\n  - requires:\n      platform: [el9]\n      nodejs: ["20"]\n',
  ),
  `---
document: modulemd-defaults
version: 1
data:
  module: nodejs
  profiles:
    "18": [common]
...
`,
].join('');

const pkgs = [
  { id: 1, name: 'nodejs', evr: '1:16.20.2-8.el9', arch: 'x86_64' },
  { id: 2, name: 'nodejs', evr: '1:18.14.2-2.module_el9', arch: 'x86_64' },
  { id: 3, name: 'nodejs', evr: '1:18.19.1-1.module_el9', arch: 'x86_64' },
  { id: 4, name: 'nodejs', evr: '1:20.18.1-1.module_el9', arch: 'x86_64' },
  { id: 5, name: 'npm', evr: '1:8.19.4-1.16.20.2.8.el9', arch: 'x86_64' },
  { id: 6, name: 'nodejs-compat', evr: '1.0-1', arch: 'noarch' },
  { id: 7, name: 'nodejs', evr: '1:18.14.2-2.module_el9', arch: 'src' },
  { id: 8, name: 'app', evr: '1.0-1', arch: 'x86_64' },
  { id: 9, name: 'bash', evr: '5.1-1', arch: 'x86_64' },
];
const hidden = (r: { hidden: Set<number> }) => [...r.hidden].sort((a, b) => a - b);

describe('modularExcludes', () => {
  it('hides every modular artifact when no stream is default or enabled (CentOS Stream 9)', () => {
    const r = modularExcludes([YAML], pkgs);
    expect(r.active).toEqual([]);
    expect(hidden(r)).toEqual([2, 3, 4, 7, 8]);
  });

  it('with a stream enabled, keeps all versions of its context and hides same-named packages', () => {
    const whatProvides = (n: string) => (n === 'npm' ? [5, 6] : []);
    const r = modularExcludes([YAML], pkgs, { enable: ['nodejs:18'], whatProvides });
    expect(r.active).toEqual([
      {
        module: 'nodejs',
        stream: '18',
        context: 'rhel9',
        versions: ['920240311154052', '920230327152102'],
        why: 'enabled',
      },
    ]);
    // 1 (non-modular nodejs) and 5 (npm) share names of active artifacts; 6 provides npm; 4, 8 inactive
    expect(hidden(r)).toEqual([1, 4, 5, 6, 8]);
    expect(hidden(modularExcludes([YAML], pkgs, { enable: ['nodejs:18'] }))).toEqual([1, 4, 5, 8]);
  });

  it('follows a module requirement to the stream it names', () => {
    const r = modularExcludes([YAML], pkgs, { enable: ['app:1'] });
    expect(r.active.map((a) => `${a.module}:${a.stream}:${a.why}`)).toEqual([
      'app:1:enabled',
      'nodejs:20:required',
    ]);
    expect(hidden(r)).toEqual([1, 2, 3, 7]);
  });

  it('uses a default stream, and a disabled module turns it off', () => {
    const withDefault = YAML.replace('  profiles:\n    "18"', '  stream: "20"\n  profiles:\n    "18"');
    expect(
      modularExcludes([withDefault], pkgs).active.map((a) => `${a.module}:${a.stream}:${a.why}`),
    ).toEqual(['nodejs:20:default']);
    expect(modularExcludes([withDefault], pkgs, { disable: ['nodejs'] }).active).toEqual([]);
    expect(modularExcludes([withDefault], pkgs, { enable: ['nodejs'] }).active[0]?.why).toBe('enabled');
  });

  it('names the streams there are when an enabled one is not', () => {
    expect(() => modularExcludes([YAML], pkgs, { enable: ['nodejs:99'] })).toThrow(
      /no module stream `nodejs:99`.*expected one of `nodejs:18`, `nodejs:20`/,
    );
    expect(() => modularExcludes([YAML], pkgs, { enable: ['nodejs'] })).toThrow(InputError);
  });

  it('reports malformed YAML with its file and line', () => {
    expect(() => modularExcludes(['document: modulemd\n  bad: [\n'], [], { files: ['m.yaml'] })).toThrow(
      /^m\.yaml:\d+:\d+: /,
    );
  });
});

describe('parseNevra', () => {
  it('writes the epoch always, as libdnf compares artifacts', () => {
    expect(parseNevra('nodejs-1:16.20.2-8.el9.x86_64')?.key).toBe('nodejs-1:16.20.2-8.el9.x86_64');
    expect(parseNevra('galera-26.4.16-1.module_el9+853+7b957b9b.src')).toEqual({
      name: 'galera',
      arch: 'src',
      key: 'galera-0:26.4.16-1.module_el9+853+7b957b9b.src',
    });
    expect(parseNevra('nonsense')).toBeUndefined();
  });
});
