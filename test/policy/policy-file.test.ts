import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError, inputErrorList } from '../../src/load/errors.js';
import { parseProjectConfig } from '../../src/load/project-config.js';
import { parsePolicy, parseSize } from '../../src/policy/rules-file/parse.js';
import { POLICY_V1_SCHEMA } from '../../src/policy/rules-file/schema.js';

const FILE = 'policy.yaml';

function errorsOf(text: string): string[] {
  try {
    parsePolicy(text, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return inputErrorList(err as InputError).map((e) => e.message);
  }
  throw new Error('expected the policy to be refused');
}

describe('policy file', () => {
  it('reads every key, with the text of deny-config values as written', () => {
    const policy = parsePolicy(
      [
        'redproof-policy: 1',
        'rules:',
        '  - name: apps',
        "    nodes: ['apps/*', host]",
        '    level: warning',
        '    allow-packages: [bash, "lib*"]',
        '    deny-packages: [telnet]',
        '    allow-licenses: MIT OR Apache-2.0',
        '    deny-licenses: [GPL-3.0-only]',
        '    max-installed-size: 1.5 GiB',
        '    require-packages: [systemd]',
        '    deny-setuid: true',
        '    require-signed: true',
        '    deny-config: { share_net: enabled, unsafe: true, umask: 027, capabilities: [CAP_SYS_ADMIN] }',
        '',
      ].join('\n'),
      FILE,
    );
    const [rule] = policy.rules;
    expect(rule).toMatchObject({
      name: 'apps',
      nodes: ['apps/*', 'host'],
      level: 'warning',
      allowPackages: ['bash', 'lib*'],
      denyPackages: ['telnet'],
      allowLicenses: ['MIT', 'Apache-2.0'],
      denyLicenses: ['GPL-3.0-only'],
      maxInstalledSize: { bytes: 1610612736, text: '1.5 GiB' },
      requirePackages: ['systemd'],
      denySetuid: true,
      requireSigned: true,
      denyConfig: [
        { key: 'share_net', values: ['enabled'] },
        { key: 'unsafe', values: ['true'] },
        { key: 'umask', values: ['027'] },
        { key: 'capabilities', values: ['CAP_SYS_ADMIN'] },
      ],
    });
    expect(rule?.location).toMatchObject({ file: FILE, line: 3, column: 5 });
    expect(rule?.keys['deny-packages']).toMatchObject({ line: 7, column: 5 });
    expect(rule?.keys['deny-config.umask']).toMatchObject({ line: 14 });
  });

  it('signed-by: key ids and fingerprints, as long key ids; a malformed one is an error at its position', () => {
    const policy = parsePolicy(
      "redproof-policy: 1\nrules:\n  - nodes: [n]\n    signed-by: ['0x2E6754E61F8ED1F4', 41FEE332FDFB3F1AFD620D542E6754E61F8ED1F4]\n",
      FILE,
    );
    expect(policy.rules[0]).toMatchObject({
      requireSigned: true,
      signedBy: ['2e6754e61f8ed1f4', '2e6754e61f8ed1f4'],
    });
    const errors = errorsOf('redproof-policy: 1\nrules:\n  - nodes: [n]\n    signed-by: [1F8ED1F4]\n');
    expect(errors).toEqual([
      `${FILE}:4:17: rules[0].signed-by[0]: \`1F8ED1F4\` is not an OpenPGP key id; expected a long key id (16 hex digits) or a fingerprint (40 or 64 hex digits)`,
    ]);
  });

  it('defaults: level error, name from the position', () => {
    const policy = parsePolicy(
      'redproof-policy: 1\nrules:\n  - nodes: ["**"]\n    deny-setuid: true\n',
      FILE,
    );
    expect(policy.rules[0]).toMatchObject({ name: 'rules[0]', level: 'error' });
  });

  it('gives every problem of a bad file at once, each at its line and column', () => {
    const errors = errorsOf(
      [
        'redproof-policy: 1',
        'rules:',
        '  - nodes: [x]',
        '    colour: red',
        '    max-installed-size: 20 MB',
        '    allow-licenses: [MIT AND BSD-2-Clause, NotALicense]',
        '    deny-config: { foo: 1 }',
        '    level: fatal',
        '  - nodes: x',
        '',
      ].join('\n'),
    );
    expect(errors).toEqual([
      expect.stringMatching(
        /^policy\.yaml:4:5: rules\[0\]\.colour: unknown key `colour`; expected one of `name`/,
      ),
      expect.stringMatching(/^policy\.yaml:5:25: rules\[0\]\.max-installed-size: `20 MB` is not a size/),
      expect.stringMatching(
        /^policy\.yaml:6:22: rules\[0\]\.allow-licenses\[0\]: `MIT AND BSD-2-Clause` uses AND/,
      ),
      expect.stringMatching(
        /^policy\.yaml:6:44: rules\[0\]\.allow-licenses\[1\]: `NotALicense` is not an SPDX/,
      ),
      expect.stringMatching(/^policy\.yaml:7:20: rules\[0\]\.deny-config: unknown red-pak config key `foo`/),
      expect.stringMatching(
        /^policy\.yaml:8:12: rules\[0\]\.level: must be one of error, warning, note, not "fatal"/,
      ),
      expect.stringMatching(/^policy\.yaml:9:5: rules\[1\]: the rule checks nothing/),
      expect.stringMatching(/^policy\.yaml:9:12: rules\[1\]\.nodes: must be a list, not "x"/),
    ]);
  });

  it('refuses a wrong version, a missing rules list, YAML errors and duplicate keys', () => {
    expect(errorsOf('redproof-policy: 2\nrules: []\n')).toEqual([
      expect.stringMatching(/^policy\.yaml:1:18: redproof-policy: must be 1, not 2/),
      expect.stringMatching(/^policy\.yaml:2:8: rules: must not be empty/),
    ]);
    expect(errorsOf('rules:\n  - nodes: [a]\n    deny-setuid: yes\n')).toEqual([
      expect.stringMatching(/^policy\.yaml:1:1: missing required key `redproof-policy`/),
      expect.stringMatching(
        /^policy\.yaml:3:18: rules\[0\]\.deny-setuid: must be `true` or `false`, not "yes"/,
      ),
    ]);
    expect(errorsOf('redproof-policy: 1\nredproof-policy: 1\n')[0]).toMatch(
      /^policy\.yaml:2:1: duplicate key/,
    );
    expect(errorsOf('redproof-policy: [1\n')[0]).toMatch(/^policy\.yaml:\d+:\d+: invalid YAML/);
  });

  it('reads sizes in bytes and binary units only', () => {
    expect(parseSize('100')).toBe(100);
    expect(parseSize(100)).toBe(100);
    expect(parseSize('2KiB')).toBe(2048);
    expect(parseSize('1.5 MiB')).toBe(1572864);
    expect(parseSize('3 GiB')).toBe(3 * 1024 ** 3);
    expect(parseSize('20 MB')).toBeUndefined();
    expect(parseSize(-1)).toBeUndefined();
  });

  it('keeps the published schema identical to the one the code validates with', () => {
    const path = fileURLToPath(new URL('../../schema/policy-v1.schema.json', import.meta.url));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(POLICY_V1_SCHEMA);
  });
});

describe('.redproof.yaml', () => {
  it('reads the policy key and refuses unknown keys with their position', () => {
    expect(parseProjectConfig('policy: policy.yaml\n', '.redproof.yaml')).toEqual({ policy: 'policy.yaml' });
    expect(parseProjectConfig('', '.redproof.yaml')).toEqual({});
    expect(() => parseProjectConfig('policy: p.yaml\npolicies: x\n', '.redproof.yaml')).toThrow(
      /^\.redproof\.yaml:2:1: unknown key `policies`; expected `policy`$/,
    );
    expect(() => parseProjectConfig('policy: [a]\n', '.redproof.yaml')).toThrow(/1:1: `policy` must be/);
  });
});
