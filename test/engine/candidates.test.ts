import { describe, expect, it } from 'vitest';
import { CandidateView, mergeStreams } from '../../src/engine/transaction/candidates.js';
import { loadEngine } from '../../src/solver/index.js';

const mod = (name: string, stream: string, rpms: string[]) => `---
document: modulemd
version: 2
data:
  name: ${name}
  stream: "${stream}"
  version: 1
  context: c1
  arch: x86_64
  summary: s
  description: d
  license: {module: [MIT]}
  artifacts:
    rpms:
${rpms.map((r) => `    - ${r}`).join('\n')}
...
`;
const DEFAULTS = `---
document: modulemd-defaults
version: 1
data:
  module: php
  stream: "8.1"
...
`;
const YAML = [
  mod('nodejs', '18', ['nodejs-1:18.19.1-1.module_el9.x86_64']),
  mod('nodejs', '20', ['nodejs-1:20.18.1-1.module_el9.x86_64', 'npm-1:10.8.2-1.module_el9.x86_64']),
  mod('php', '8.1', ['php-8.1.1-1.module_el9.x86_64']),
  DEFAULTS,
].join('');

const at = (line: number) => ({ file: 'f.yaml', line, column: 5, endLine: line, endColumn: 9 });

describe('mergeStreams', () => {
  it('lets a later level override what an earlier one set for the same module', () => {
    expect(
      mergeStreams([
        { enable: [{ text: 'nodejs:18' }] },
        { enable: [{ text: 'ruby:3.3' }], disable: [{ text: 'php' }] },
        undefined,
        { enable: [{ text: 'nodejs:20' }, { text: 'php' }], disable: [{ text: 'ruby' }] },
      ]),
    ).toEqual({ enable: ['nodejs:20', 'php'], disable: ['ruby'] });
    expect(mergeStreams([])).toEqual({ enable: [], disable: [] });
  });
});

describe('CandidateView', () => {
  it('checks written streams against modules.yaml, at their spans', async () => {
    const engine = await loadEngine();
    const pool = engine.createPool('x86_64');
    try {
      const view = new CandidateView(pool, [], { docs: [YAML], files: ['modules.yaml'] });
      const errors = view.check([
        {
          enable: [
            { text: 'nodejs:20', span: at(1) },
            { text: 'php', span: at(2) },
            { text: 'nodejs', span: at(3) },
            { text: 'nodejs:99', span: at(4) },
            { text: 'perl:5.32', span: at(5) },
          ],
          disable: [{ text: 'ruby', span: at(6) }],
        },
      ]);
      expect(errors.map((e) => `${e.line} ${e.reason}; ${e.expected}`)).toEqual([
        '3 module `nodejs` has no default stream: name the stream to enable; one of `nodejs:18`, `nodejs:20`',
        '4 no stream `99` of module `nodejs` in the repositories; one of `nodejs:18`, `nodejs:20`',
        "5 no module `perl` in the repositories; a module of the repositories' modules.yaml (2 modules, e.g. `nodejs`, `php`)",
        "6 no module `ruby` in the repositories; a module of the repositories' modules.yaml (2 modules, e.g. `nodejs`, `php`)",
      ]);
      const none = new CandidateView(pool, [], undefined);
      expect(none.check([{ enable: [{ text: 'nodejs:20', span: at(1) }] }])[0]?.expected).toBe(
        'a repository with modules.yaml (none of the repositories has module metadata)',
      );
      expect(none.hidden().size).toBe(0);
    } finally {
      pool.dispose();
    }
  });

  it("gives the streams whose artifacts a layer's packages are, one per module", async () => {
    const engine = await loadEngine();
    const pool = engine.createPool('x86_64');
    try {
      const pkgs = [
        { id: 10, name: 'nodejs', evr: '1:20.18.1-1.module_el9', arch: 'x86_64' },
        { id: 11, name: 'npm', evr: '1:10.8.2-1.module_el9', arch: 'x86_64' },
        { id: 12, name: 'nodejs', evr: '1:16.20.2-8.el9', arch: 'x86_64' },
        { id: 13, name: 'php', evr: '8.1.1-1.module_el9', arch: 'x86_64' },
      ].map((p) => ({ ...p, nevra: `${p.name}-${p.evr}.${p.arch}`, repo: 'r', installable: true }));
      const view = new CandidateView(pool, pkgs as never, { docs: [YAML], files: ['modules.yaml'] });
      expect(view.installedStreams([10, 11, 12, 13])).toEqual({
        enable: [{ text: 'nodejs:20' }, { text: 'php:8.1' }],
      });
      expect(view.installedStreams([12])).toEqual({ enable: [] });
    } finally {
      pool.dispose();
    }
  });
});
