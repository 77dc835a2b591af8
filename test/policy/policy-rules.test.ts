import { describe, expect, it } from 'vitest';
import { mergeConfig } from '../../src/engine/checks/policy-config.js';
import type { NodeConfig } from '../../src/load/redpak/config.js';
import { policyFindings } from '../../src/policy/rules-file/evaluate.js';
import type { MergedConfig, PolicyNode, PolicyPackage } from '../../src/policy/rules-file/model.js';
import { parsePolicy } from '../../src/policy/rules-file/parse.js';

const pkg = (name: string, extra: Partial<PolicyPackage> = {}): PolicyPackage => ({
  nevra: `${name}-1.0-1.x86_64`,
  name,
  license: 'MIT',
  installSize: 1000,
  provides: [name],
  files: [],
  signature: { tags: ['RSAHEADER'], keyId: '0123456789abcdef' },
  ...extra,
});

const noConfig: MergedConfig = { scalars: new Map(), capabilities: new Map() };

function node(id: string, own: PolicyPackage[], extra: Partial<PolicyNode> = {}): PolicyNode {
  return { id, kind: id === 'host' ? 'host' : 'node', own, view: own, config: noConfig, ...extra };
}

function run(rules: string, nodes: PolicyNode[]) {
  const policy = parsePolicy(`redproof-policy: 1\nrules:\n${rules}`, 'policy.yaml');
  return policyFindings(policy, nodes);
}

const short = (o: ReturnType<typeof run>) =>
  o.findings.map((f) => `${f.rule} ${f.level} ${f.node}${f.package ? ` ${f.package}` : ''}`);

describe('policy rules', () => {
  const host = node('host', [pkg('glibc'), pkg('bash')]);
  const app = node('apps/media', [pkg('telnet'), pkg('vlc')], { alias: 'media' });

  it('RP040: denied and not-allowed packages, only in selected nodes', () => {
    const o = run(
      '  - nodes: [media]\n    deny-packages: [teln*]\n  - nodes: [host]\n    allow-packages: [glibc]\n',
      [host, app],
    );
    // In rule order, then node order.
    expect(short(o)).toEqual([
      'RP040 error apps/media telnet-1.0-1.x86_64',
      'RP040 error host bash-1.0-1.x86_64',
    ]);
    expect(o.findings[0]?.evidence.at(-1)).toMatchObject({
      role: 'policy',
      location: { file: 'policy.yaml', line: 4, column: 5 },
    });
    expect(o.checked.get('host')).toEqual(['RP040']);
  });

  it('every matching rule applies, each with its own level', () => {
    const o = run(
      '  - nodes: ["**"]\n    deny-packages: [telnet]\n  - nodes: ["apps/*"]\n    level: warning\n    deny-packages: [tel*]\n',
      [host, app],
    );
    expect(short(o)).toEqual([
      'RP040 error apps/media telnet-1.0-1.x86_64',
      'RP040 warning apps/media telnet-1.0-1.x86_64',
    ]);
    expect(new Set(o.findings.map((f) => f.fingerprint)).size).toBe(2);
  });

  it('RP041: legacy tags are normalized; denied, not allowed and unmapped', () => {
    const n = node('n', [
      pkg('a', { license: 'GPLv3+' }),
      pkg('b', { license: 'GPLv2+ or MIT' }),
      pkg('c', { license: 'ASL 2.0' }),
      pkg('d', { license: 'Samsung Proprietary' }),
      pkg('e', { license: 'GPLv2+' }),
    ]);
    const deny = run('  - nodes: [n]\n    deny-licenses: [GPL-3.0-or-later]\n', [n]);
    // b can be taken under MIT; e (GPL-2.0-or-later) starts below the denied version.
    expect(short(deny)).toEqual(['RP041 error n a-1.0-1.x86_64', 'RP041 error n d-1.0-1.x86_64']);
    expect(deny.findings[1]?.message).toMatch(/`Samsung Proprietary` map to no SPDX license/);
    const allow = run('  - nodes: [n]\n    allow-licenses: [MIT, Apache-2.0]\n', [n]);
    expect(short(allow)).toEqual([
      'RP041 error n a-1.0-1.x86_64',
      'RP041 error n d-1.0-1.x86_64',
      'RP041 error n e-1.0-1.x86_64',
    ]);
    expect(allow.findings[0]?.evidence[0]?.text).toBe('`GPLv3+` reads as SPDX `GPL-3.0-or-later`');
  });

  it('RP042: the own packages over the budget, with the largest in the evidence', () => {
    const n = node('n', [pkg('big', { installSize: 3000 }), pkg('small', { installSize: 10 })]);
    expect(short(run('  - nodes: [n]\n    max-installed-size: 3010\n', [n]))).toEqual([]);
    const o = run('  - nodes: [n]\n    max-installed-size: 2KiB\n', [n]);
    expect(short(o)).toEqual(['RP042 error n']);
    expect(o.findings[0]?.evidence[0]?.text).toMatch(/`big-1.0-1.x86_64` installs 2.9 KiB/);
  });

  it('RP043: names or provides of the whole view', () => {
    const n = node('n', [pkg('vlc')], {
      view: [pkg('vlc'), pkg('glibc', { provides: ['libc.so.6()(64bit)'] })],
    });
    const o = run('  - nodes: [n]\n    require-packages: [glibc, "libc.so.6()(64bit)", systemd]\n', [n]);
    expect(o.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/requires `systemd` in node `n`/),
    ]);
  });

  it('RP044: setuid and setgid regular files; a note when modes are unknown', () => {
    const n = node('n', [
      pkg('su', {
        files: [
          { path: '/usr/bin/su', mode: 0o104755 },
          { path: '/tmp', mode: 0o41777 },
        ],
      }),
      pkg('wall', { files: [{ path: '/usr/bin/wall', mode: 0o102555 }] }),
      pkg('ls', { files: [{ path: '/usr/bin/ls', mode: 0o100755 }] }),
    ]);
    const o = run('  - nodes: [n]\n    deny-setuid: true\n', [n]);
    expect(o.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/`\/usr\/bin\/su` of `su-1.0-1.x86_64` .* is setuid \(mode 04755\)/),
      expect.stringMatching(/`\/usr\/bin\/wall` .* is setgid \(mode 02555\)/),
    ]);
    const unknown = run('  - nodes: [n]\n    deny-setuid: true\n', [
      node('n', [pkg('x', { files: undefined })]),
    ]);
    expect(short(unknown)).toEqual(['RP044 note n']);
  });

  it('RP045: unsigned packages; gpg-pubkey skipped; a note when signatures are unknown', () => {
    const n = node('n', [
      pkg('signed'),
      pkg('plain', { signature: { tags: [] } }),
      pkg('gpg-pubkey', { signature: { tags: [] } }),
    ]);
    expect(short(run('  - nodes: [n]\n    require-signed: true\n', [n]))).toEqual([
      'RP045 error n plain-1.0-1.x86_64',
    ]);
    const rpmmd = node('n', [pkg('x', { signature: undefined })]);
    expect(short(run('  - nodes: [n]\n    require-signed: true\n', [rpmmd]))).toEqual(['RP045 note n']);
  });

  it('RP045 signed-by: the key must be one of the list; the evidence names the signer', () => {
    const n = node('n', [
      pkg('ours'),
      pkg('theirs', { signature: { tags: ['RSAHEADER'], keyId: 'fedcba9876543210' } }),
      pkg('plain', { signature: { tags: [] } }),
    ]);
    // a v4 fingerprint stands for its low 64 bits
    const o = run("  - nodes: [n]\n    signed-by: ['0000 0000 0000 0000 0000  0000 0123 4567 89AB CDEF']\n", [
      n,
    ]);
    expect(short(o)).toEqual(['RP045 error n theirs-1.0-1.x86_64', 'RP045 error n plain-1.0-1.x86_64']);
    const [wrong, plain] = o.findings;
    expect(wrong?.message).toBe(
      '`theirs-1.0-1.x86_64` in node `n` is signed by key fedcba9876543210, none of the keys policy rule `rules[0]` requires (0123456789abcdef)',
    );
    expect(wrong?.evidence[0]).toEqual({ role: 'signature', text: 'RSAHEADER by key id fedcba9876543210' });
    expect(plain?.message).toContain('carries no header signature');
    expect(plain?.evidence.at(-1)).toMatchObject({ role: 'policy', location: { line: 4, column: 5 } });
    expect(o.checked.get('n')).toEqual(['RP045']);
  });

  it('RP045: a signature that cannot be read is not accepted as one', () => {
    const n = node('n', [
      pkg('garbled', {
        signature: { tags: ['RSAHEADER'], unparsable: 'unparsable signature (RSAHEADER: truncated packet)' },
      }),
    ]);
    const o = run('  - nodes: [n]\n    require-signed: true\n', [n]);
    expect(short(o)).toEqual(['RP045 error n garbled-1.0-1.x86_64']);
    expect(o.findings[0]?.message).toBe(
      '`garbled-1.0-1.x86_64` in node `n` carries a header signature that cannot be read (unparsable signature (RSAHEADER: truncated packet)), which policy rule `rules[0]` does not accept',
    );
  });

  it('RP046: merged configuration, child over parent, admin over normal, capabilities', () => {
    const cfg = (
      path: string,
      scalars: Record<string, string>,
      caps: [string, string][] = [],
      kind: 'normal' | 'admin' = 'normal',
    ) =>
      ({
        file: `${path}/etc/redpak.yaml`,
        kind,
        isLegacyName: false,
        headers: { alias: path },
        exports: [],
        environ: [],
        config: { scalars, capabilities: caps.map(([cap, add]) => ({ cap, add })), cgroups: {} },
        locations: new Map(),
      }) as NodeConfig;
    const merged = mergeConfig([
      { path: 'top', config: cfg('top', { share_net: 'disabled', unsafe: 'no' }, [['CAP_SYS_ADMIN', '1']]) },
      {
        path: 'top/app',
        config: cfg('top/app', { share_net: 'Enabled' }, [
          ['CAP_SYS_ADMIN', '0'],
          ['CAP_NET_RAW', '1'],
        ]),
        adminConfig: cfg('top/app', { unsafe: 'yes' }, [], 'admin'),
      },
    ]);
    const n = node('top/app', [], { config: merged });
    const o = run(
      '  - nodes: ["**"]\n    deny-config: { share_net: enabled, unsafe: true, capabilities: [CAP_SYS_ADMIN, cap_net_raw] }\n',
      [n],
    );
    expect(o.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^`share_net: Enabled` in the merged configuration of node `top\/app` \(set in `top\/app`\)/,
      ),
      expect.stringMatching(/^`unsafe: yes`/),
      expect.stringMatching(/^capability `cap_net_raw` is added to node `top\/app`/),
    ]);
    expect(
      short(
        run('  - nodes: [x]\n    deny-config: { unsafe: "*" }\n', [node('x', [], { config: undefined })]),
      ),
    ).toEqual(['RP046 note x']);
  });
});
