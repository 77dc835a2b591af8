import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import {
  type BuiltImage,
  buildRpms,
  leafNormalYaml,
  makeImage,
  type PackageSpec,
  rootAdminYaml,
  rootNormalYaml,
} from '../load/redpak/make-image.js';
import { makeSigningKey, rpmPgpsig, type SigningKey } from './signing.js';

// `audit IMAGE --policy P` on a real image: rpms built with rpmbuild, some signed with rpmsign by a
// throwaway gpg key, some shipping setuid/setgid files (%attr), installed with rpm into red-pak nodes
// whose etc/redpak.yaml differ in share_net. One signed rpm has its signature packet garbled.

const T = 1700000000;
const pkg = (name: string, more: Partial<PackageSpec> = {}): PackageSpec => ({
  name,
  version: '1.0',
  release: '1',
  buildTime: T,
  files: [{ path: `/usr/share/${name}/readme`, content: `${name}\n` }],
  ...more,
});
const SIGNED: PackageSpec[] = [
  pkg('libbase'),
  pkg('basetools', { files: [{ path: '/usr/bin/basetool', content: '#!/bin/sh\n', mode: '0755' }] }),
  pkg('suidtool', {
    files: [
      { path: '/usr/bin/suidtool', content: 'root me\n', mode: '4755' },
      { path: '/usr/bin/sgidtool', content: 'group me\n', mode: '2755' },
      { path: '/usr/share/suidtool/readme', content: 'plain\n' },
    ],
  }),
  pkg('gpltool', { license: 'GPL-3.0-or-later' }),
  pkg('mediaplayer', { files: [{ path: '/usr/share/mediaplayer/blob', content: 'x'.repeat(4096) }] }),
  pkg('navtool'),
];
const UNSIGNED: PackageSpec[] = [
  pkg('homebrew'),
  pkg('localbuild'),
  // setgid too, but in a node whose policy allows it
  pkg('mailer', { files: [{ path: '/usr/bin/mailer', content: 'mail\n', mode: '2711' }] }),
  pkg('hostextra'),
];

const noShareNet = (alias: string) =>
  leafNormalYaml(alias).replace('share_net: enabled', 'share_net: disabled');

let work: string;
let key: SigningKey;
/** A second signer, EdDSA, whose header signature rpm stores as DSAHEADER. */
let edKey: SigningKey;
let img: BuiltImage;
let rpms: Map<string, string>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'redproof-audit-policy-'));
  key = makeSigningKey(join(work, 'rsa'));
  edKey = makeSigningKey(join(work, 'ed25519'), 'ed25519');
  const signed = buildRpms(join(work, 'signed'), SIGNED);
  key.sign([...signed].filter(([n]) => n !== 'navtool').map(([, f]) => f));
  edKey.sign([signed.get('navtool')!]);
  const garbled = buildRpms(join(work, 'garbled'), [pkg('garbled')]).get('garbled')!;
  key.sign([garbled]);
  garbleSignature(garbled);
  rpms = new Map([...signed, ...buildRpms(join(work, 'unsigned'), UNSIGNED), ['garbled', garbled]]);
  img = makeImage({
    rpms,
    host: ['libbase', 'basetools', 'hostextra'],
    nodes: [
      { path: 'var/redpak', config: rootNormalYaml(), admin: rootAdminYaml() },
      // share_net: enabled (leafNormalYaml's default) here and in media; disabled in nav
      { path: 'var/redpak/platform', install: ['suidtool', 'gpltool'] },
      {
        path: 'var/redpak/platform/nav',
        config: noShareNet('nav'),
        install: ['navtool', 'homebrew', 'mailer'],
      },
      { path: 'var/redpak/platform/media', install: ['mediaplayer', 'localbuild'] },
      // rpm refuses a bad signature unless told not to look
      {
        path: 'var/redpak/platform/odd',
        config: noShareNet('odd'),
        install: ['garbled'],
        installFlags: ['--nosignature'],
      },
    ],
  });
}, 300_000);
/**
 * Turn the signature packet of a signed rpm into a public-key packet (its first byte, 0x89 -> 0x99):
 * the RSAHEADER tag stays, its OpenPGP packet no longer is a signature.
 */
function garbleSignature(rpm: string): void {
  const packet = Buffer.from(
    execFileSync('rpm', ['-qp', '--qf', '%{RSAHEADER}', rpm], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
    'hex',
  );
  const bytes = readFileSync(rpm);
  const at = bytes.indexOf(packet);
  if (packet[0] !== 0x89 || at < 0 || bytes.indexOf(packet, at + 1) >= 0)
    throw new Error('signature packet not found once');
  bytes[at] = 0x99;
  writeFileSync(rpm, bytes);
}

afterAll(() => {
  img?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface JsonFinding {
  rule: string;
  level: string;
  node: string;
  package?: string;
  message: string;
  evidence: { role: string; text: string }[];
}

async function audit(policy: string) {
  const file = join(work, `policy-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, policy);
  const r = await runCli(['audit', img.root, '--policy', file, '--format', 'json', '-q'], {
    cwd: work,
    cacheHome: join(work, 'cache'),
  });
  const result = r.out === '' ? undefined : JSON.parse(r.out);
  const findings: JsonFinding[] = result?.findings ?? [];
  return { ...r, result, findings };
}

const keys = (fs: JsonFinding[], rule?: string) =>
  fs
    .filter((f) => rule === undefined || f.rule === rule)
    .map((f) => `${f.rule} ${f.level} ${f.node} ${f.package ?? ''}`.trim())
    .sort();

const POLICY = `redproof-policy: 1
rules:
  - name: no-suid-platform
    nodes: [var/redpak/platform]
    deny-setuid: true
    allow-licenses: [MIT]
    require-packages: [ca-certificates, libbase]
  - name: signed-leaves
    nodes: ['var/redpak/platform', 'var/redpak/platform/*']
    require-signed: true
  - name: no-net
    nodes: ['var/redpak/platform/*']
    deny-config: { share_net: enabled }
  - name: nav-lean
    nodes: [var/redpak/platform/nav]
    deny-packages: ['home*']
    require-packages: [basetools]
  - name: media-budget
    nodes: [var/redpak/platform/media]
    max-installed-size: 1 KiB
`;

describe('audit --policy on a real image', () => {
  it('the fixtures are what the test says: rpm sees the signer, the modes and the configs', () => {
    expect(rpmPgpsig(rpms.get('suidtool')!)).toContain(`Key ID ${key.keyId}`);
    expect(rpmPgpsig(rpms.get('homebrew')!)).toBe('(none)');
  });

  it('fires RP040-RP046 exactly where the image breaks the policy, and exits 1', async () => {
    const r = await audit(POLICY);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    // the image is coherent: every finding comes from the policy
    expect(r.findings.every((f) => /^RP04[0-6]$/.test(f.rule))).toBe(true);
    expect(keys(r.findings)).toEqual(
      [
        'RP040 error var/redpak/platform/nav homebrew-1.0-1.noarch',
        'RP041 error var/redpak/platform gpltool-1.0-1.noarch',
        'RP042 error var/redpak/platform/media',
        'RP043 error var/redpak/platform',
        'RP044 error var/redpak/platform suidtool-1.0-1.noarch',
        'RP044 error var/redpak/platform suidtool-1.0-1.noarch',
        'RP045 error var/redpak/platform/media localbuild-1.0-1.noarch',
        'RP045 error var/redpak/platform/nav homebrew-1.0-1.noarch',
        'RP045 error var/redpak/platform/nav mailer-1.0-1.noarch',
        'RP045 error var/redpak/platform/odd garbled-1.0-1.noarch',
        'RP046 error var/redpak/platform/media',
      ].sort(),
    );
    const suid = r.findings.filter((f) => f.rule === 'RP044').map((f) => f.message);
    expect(suid.some((m) => m.includes('/usr/bin/suidtool') && m.includes('setuid'))).toBe(true);
    expect(suid.some((m) => m.includes('/usr/bin/sgidtool') && m.includes('setgid'))).toBe(true);
    expect(r.findings.find((f) => f.rule === 'RP043')!.message).toContain('ca-certificates');
    const unsigned = r.findings.filter((f) => f.rule === 'RP045' && f.node !== 'var/redpak/platform/odd');
    expect(unsigned.every((f) => f.message.includes('carries no header signature'))).toBe(true);
    const garbled = r.findings.find((f) => f.package === 'garbled-1.0-1.noarch')!;
    expect(garbled.message).toContain(
      'carries a header signature that cannot be read (unparsable signature (RSAHEADER: packet tag 6, not a signature (2)))',
    );
    const net = r.findings.find((f) => f.rule === 'RP046')!;
    expect(net.evidence.map((e) => e.text).join('\n')).toMatch(
      /share_net: enabled` set in node `var\/redpak\/platform\/media`/,
    );
  });

  it('RP044 follows the policy, not the image: the same setgid file passes where it is allowed', async () => {
    const r = await audit(`redproof-policy: 1
rules:
  - nodes: [var/redpak/platform/media]
    deny-setuid: true
`);
    expect(r.code).toBe(0);
    expect(keys(r.findings, 'RP044')).toEqual([]);
    const nav = await audit(`redproof-policy: 1
rules:
  - nodes: [var/redpak/platform/nav]
    deny-setuid: true
`);
    expect(nav.code).toBe(1);
    expect(keys(nav.findings)).toEqual(['RP044 error var/redpak/platform/nav mailer-1.0-1.noarch']);
  });

  it('RP045 with signed-by: the evidence names the key rpm and gpg report', async () => {
    const r = await audit(`redproof-policy: 1
rules:
  - name: distro-key
    nodes: [host]
    require-signed: true
    signed-by: ['0123456789abcdef']
`);
    expect(r.code).toBe(1);
    expect(keys(r.findings)).toEqual([
      'RP045 error host basetools-1.0-1.noarch',
      'RP045 error host hostextra-1.0-1.noarch',
      'RP045 error host libbase-1.0-1.noarch',
    ]);
    const wrong = r.findings.find((f) => f.package === 'libbase-1.0-1.noarch')!;
    expect(wrong.evidence.map((e) => e.text).join('\n')).toContain(key.keyId);
    expect(rpmPgpsig(rpms.get('libbase')!)).toContain(`Key ID ${key.keyId}`);
    const ok = await audit(`redproof-policy: 1
rules:
  - nodes: [var/redpak/platform]
    require-signed: true
    signed-by: ['${key.keyId.toUpperCase()}']
`);
    expect(ok.code).toBe(0);
    expect(ok.findings).toEqual([]);
    // navtool is signed by the EdDSA key (DSAHEADER): a list without it names that key
    expect(rpmPgpsig(rpms.get('navtool')!, 'DSAHEADER')).toContain(`Key ID ${edKey.keyId}`);
    const nav = await audit(`redproof-policy: 1
rules:
  - nodes: [var/redpak/platform/nav]
    signed-by: ['${key.keyId}']
`);
    expect(keys(nav.findings)).toEqual([
      'RP045 error var/redpak/platform/nav homebrew-1.0-1.noarch',
      'RP045 error var/redpak/platform/nav mailer-1.0-1.noarch',
      'RP045 error var/redpak/platform/nav navtool-1.0-1.noarch',
    ]);
    const ed = nav.findings.find((f) => f.package === 'navtool-1.0-1.noarch')!;
    expect(ed.evidence[0]?.text).toBe(`DSAHEADER by key id ${edKey.keyId}`);
    const both = await audit(`redproof-policy: 1
rules:
  - nodes: [var/redpak/platform/nav]
    signed-by: ['${key.keyId}', '${edKey.keyId}']
`);
    expect(keys(both.findings)).toEqual([
      'RP045 error var/redpak/platform/nav homebrew-1.0-1.noarch',
      'RP045 error var/redpak/platform/nav mailer-1.0-1.noarch',
    ]);
  });

  it('exits 0 when the policy allows everything the image holds', async () => {
    const r = await audit(`redproof-policy: 1
rules:
  - nodes: [var/redpak/platform]
    require-signed: true
    deny-packages: [telnet]
    require-packages: [libbase]
  - nodes: [var/redpak/platform/nav]
    deny-config: { share_net: enabled }
    allow-licenses: [MIT]
  - nodes: [var/redpak/platform/media]
    max-installed-size: 1 MiB
`);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([]);
    expect(r.result.stats.policyRules).toBe(3);
  });

  it('exits 3 for a bad policy file, naming file:line:column', async () => {
    const r = await audit('redproof-policy: 1\nrules:\n  - nodes: [host]\n    require-signed: yes please\n');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/policy-[a-z0-9]+\.yaml:4:\d+: rules\[0\]\.require-signed/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
