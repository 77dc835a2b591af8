import type { CheckResult } from '../../src/model/finding.js';
import { fingerprint } from '../../src/policy/fingerprint.js';
import { rulesFor, toRuleMeta } from '../../src/rules/catalog.js';

/** What the audit engine returns for an image: every span relative to IMAGE_ROOT. */
export function auditResult(): CheckResult {
  return {
    command: 'audit',
    tool: { name: 'redproof', version: '0.1.0', libsolv: '0.7.35' },
    target: 'ivi',
    arch: 'x86_64',
    subjects: [
      { id: 'host', kind: 'host', packages: [{ nevra: 'bash-5.1-1.x86_64', repo: '@host' }], checked: [] },
      {
        id: 'var/redpak/app',
        kind: 'node',
        alias: 'app',
        parent: 'host',
        location: { file: 'var/redpak/app/.rednode.yaml', line: 1, column: 1 },
        packages: [{ nevra: 'app-1-1.x86_64', repo: '@var/redpak/app' }],
        checked: ['RP001', 'RP003'],
      },
    ],
    findings: [
      {
        rule: 'RP001',
        slug: 'unresolved-dependency',
        level: 'error',
        node: 'var/redpak/app',
        package: 'app-1-1.x86_64',
        dependency: 'libfoo.so.1()(64bit)',
        message:
          '`app-1-1.x86_64` in node `var/redpak/app` requires `libfoo.so.1()(64bit)`, which nothing provides',
        help: 'Install a provider of `libfoo.so.1()(64bit)` in `var/redpak/app`',
        evidence: [
          {
            role: 'declared',
            text: 'node config',
            location: { file: 'var/redpak/app/.rednode.yaml', line: 2, column: 3 },
          },
        ],
        fingerprint: fingerprint({
          rule: 'RP001',
          node: 'var/redpak/app',
          package: 'app-1-1.x86_64',
          dependency: 'libfoo.so.1()(64bit)',
        }),
      },
      {
        rule: 'RP003',
        slug: 'ancestor-duplicate',
        level: 'warning',
        node: 'host',
        package: 'bash-5.1-1.x86_64',
        message: '`bash-5.1-1.x86_64` in `host` has no declaration to point at',
        evidence: [],
        fingerprint: fingerprint({ rule: 'RP003', node: 'host', package: 'bash-5.1-1.x86_64' }),
      },
    ],
    errors: [
      { kind: 'rpmdb-unreadable', message: 'var/lib/rpm: no rpmdb', file: 'var/lib/rpm/rpmdb.sqlite' },
    ],
    rules: rulesFor('audit').map(toRuleMeta),
    stats: { packagesExamined: 2 },
  };
}
