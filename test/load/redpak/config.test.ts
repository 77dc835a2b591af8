import { describe, expect, it } from 'vitest';
import { parseConfigFile, parseStatusFile } from '../../../src/load/redpak/config.js';
import { cyamlBool } from '../../../src/load/redpak/cyaml.js';
import {
  leafAdminYaml,
  leafNormalYaml,
  libcyamlYaml,
  rootAdminYaml,
  rootNormalYaml,
  statusYaml,
} from './make-image.js';

const FILE = 'var/redpak/n/etc/redpak.yaml';
const parse = (text: string) => parseConfigFile(text, FILE, 'var/redpak/n', 'normal');
const rules = (r: { findings: { rule: string }[] }) => r.findings.map((f) => f.rule);

describe('status file (.rednode.yaml)', () => {
  it('reads the file do-conf-tests.sh writes, keeping scalars as strings', () => {
    const r = parseStatusFile(statusYaml({ realpath: '/tmp/rpak-conftest' }), 'n/.rednode.yaml', 'n');
    expect(r.findings).toEqual([]);
    expect(r.status).toMatchObject({
      realpath: '/tmp/rpak-conftest',
      info: 'created by do-conf-tests.sh the Wed Jan  1 07:00:00 UTC 2020',
      timestamp: '1577862000000',
      state: 'Enable',
    });
  });

  it('keys are case-insensitive, the state enum is not (FORMATS.md §3.4)', () => {
    const ok = parseStatusFile('RealPath: /x\nTIMESTAMP: 1\nstate: Disable\n', 's', 'n');
    expect(ok.status?.state).toBe('Disable');
    const bad = parseStatusFile('realpath: /x\ntimestamp: 1\nstate: enable\n', 's', 'n');
    expect(rules(bad)).toEqual(['RP010']);
    expect(bad.findings[0]).toMatchObject({ location: { file: 's', line: 3, column: 8 } });
    expect(bad.findings[0]?.help).toContain('`Enable`');
  });

  it('rejects a missing timestamp, a negative one and unknown keys', () => {
    expect(rules(parseStatusFile('realpath: /x\nstate: Enable\n', 's', 'n'))).toEqual(['RP010']);
    expect(rules(parseStatusFile('realpath: /x\ntimestamp: -5\nstate: Enable\n', 's', 'n'))).toEqual([
      'RP010',
    ]);
    const unknown = parseStatusFile('realpath: /x\ntimestamp: 1\nstate: Enable\nowner: me\n', 's', 'n');
    expect(unknown.findings[0]?.message).toContain('unknown key `owner`');
    expect(unknown.findings[0]?.location).toMatchObject({ line: 4, column: 1 });
  });
});

describe('node config (etc/redpak.yaml), libcyaml semantics', () => {
  it('accepts every template FORMATS.md §3.6 shows', () => {
    for (const text of [leafNormalYaml('nav'), leafAdminYaml('nav'), rootNormalYaml(), rootAdminYaml()]) {
      const r = parse(text);
      expect(r.findings, text).toEqual([]);
      expect(r.config).toBeDefined();
    }
  });

  it('keeps every scalar a string and never expands variables', () => {
    const r = parse(rootNormalYaml());
    const s = r.config!.config.scalars;
    expect(s.umask).toBe('027');
    expect(s.verbose).toBe('0');
    expect(s.gpgcheck).toBe('true');
    expect(s.path).toBe('/bin');
    expect(s.hostname).toBe('$LEAF_ALIAS');
    expect(s['die-with-parent']).toBe('Enabled');
    const leaf = parse(leafNormalYaml('nav')).config!;
    expect(leaf.environ[1]).toEqual({ mode: 'Default', key: 'LISTEN_PID', value: '2' });
    expect(leaf.exports[0]).toEqual({ mode: 'Private', mount: '/var/local', path: '$NODE_PATH/var/local' });
    const exec = parse(rootNormalYaml()).config!.exports.find((e) => e.mode === 'Execfd');
    expect(exec?.path).toBe('getent passwd $UID 65534');
  });

  it('reads what redconf writes through libcyaml, `!` tags included', () => {
    const text = libcyamlYaml({
      alias: 'nav',
      info: 'Node created by root(host) the today',
      exports: [{ mode: 'Execfd', mount: '/etc/group', path: 'getent group 1000\n 65534' }],
      environ: [{ key: 'PS1', value: 'Rednode($LEAF_ALIAS)> ' }],
      config: { umask: '027' },
    });
    expect(text).toContain("value: ! 'Rednode($LEAF_ALIAS)> '");
    expect(text).toContain('path: ! "getent group 1000\\n 65534"');
    const r = parse(text);
    expect(r.findings).toEqual([]);
    expect(r.config!.environ[0]?.value).toBe('Rednode($LEAF_ALIAS)> ');
    expect(r.config!.exports[0]?.path).toBe('getent group 1000\n 65534');
    expect(r.config!.config.scalars).toMatchObject({
      gpgcheck: 'false',
      'new-session': 'Unset',
      umask: '027',
    });
  });

  it('accepts the minimal file and mixed-case keys and enums', () => {
    expect(parse('headers: {alias: x}\n').findings).toEqual([]);
    const r = parse(
      'Headers:\n  ALIAS: x\nExports:\n  - MODE: public\n    Mount: /a\nConfig:\n  Die-With-Parent: ENABLED\n',
    );
    expect(r.findings).toEqual([]);
    expect(r.config!.exports[0]?.mode).toBe('Public');
    expect(r.config!.config.scalars['die-with-parent']).toBe('Enabled');
  });

  it('accepts and ignores legacy config.maxage / config.inherit', () => {
    const r = parse('headers: {alias: x}\nconfig:\n  maxage: 3600\n  inherit: true\n  verbose: 2\n');
    expect(r.findings).toEqual([]);
    expect(r.config!.config.scalars).toEqual({ verbose: '2' });
  });

  it('warns about legacy relocations', () => {
    const r = parse('headers: {alias: x}\nrelocations:\n  - old: /a\n    new: /b\n');
    expect(r.findings).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]?.message).toContain('relocations');
    expect(r.warnings[0]?.location).toMatchObject({ file: FILE, line: 2, column: 1 });
  });

  it.each([
    ['unknown top-level key', 'headers: {alias: x}\nsecurity: {}\n', 'unknown key `security`', 2, 1],
    [
      'unknown config key',
      'headers: {alias: x}\nconfig:\n  rpm_dir: /x\n',
      'unknown key `config.rpm_dir`',
      3,
      3,
    ],
    ['missing headers', 'config: {verbose: 1}\n', 'mandatory key `headers`', 1, 1],
    ['missing alias', 'headers:\n  name: x\n', 'mandatory key `headers.alias`', 2, 3],
    ['bad int', 'headers: {alias: x}\nconfig:\n  verbose: loud\n', '`config.verbose` is `loud`', 3, 12],
    [
      'bad enum',
      'headers: {alias: x}\nexports:\n  - mode: Shared\n    mount: /a\n',
      '`exports[0].mode` is `Shared`',
      3,
      11,
    ],
    [
      'strict enum refuses ints',
      'headers: {alias: x}\nenviron:\n  - mode: 1\n    key: A\n',
      '`environ[0].mode` is `1`',
      3,
      11,
    ],
    [
      'mapping instead of string',
      'headers: {alias: x}\nconfig:\n  path: {a: b}\n',
      '`config.path` is a mapping',
      3,
      9,
    ],
    ['empty config section', 'headers: {alias: x}\nconfig:\n', '`config` is a scalar', 2, 8],
    [
      'duplicate key (case-insensitive)',
      'headers: {alias: x}\nconfig:\n  umask: 022\n  UMASK: 027\n',
      'appears twice',
      4,
      3,
    ],
    ['yaml syntax', 'headers: {alias: x\n', 'YAML syntax error', 2, 1],
    [
      'missing mount',
      'headers: {alias: x}\nexports:\n  - mode: Public\n',
      'mandatory key `exports[0].mount`',
      3,
      5,
    ],
  ])('RP010 for %s, with file, line and column', (_name, text, msg, line, column) => {
    const r = parse(text);
    expect(rules(r)).toContain('RP010');
    expect(r.config).toBeUndefined();
    const f = r.findings.find((x) => x.message.includes(msg));
    expect(f, JSON.stringify(r.findings)).toBeDefined();
    expect(f).toMatchObject({
      rule: 'RP010',
      slug: 'node-config-invalid',
      level: 'error',
      node: 'var/redpak/n',
      evidence: [],
      location: { file: FILE, line, column },
    });
    expect(f!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('int and non-strict enums follow strtoll(…, 0) like libcyaml', () => {
    expect(parse('headers: {alias: x}\nconfig:\n  verbose: 0x10\n  map-root-user: 12abc\n').findings).toEqual(
      [],
    );
    expect(parse('headers: {alias: x}\nconfig:\n  new-session: 2\n').findings).toEqual([]);
    expect(cyamlBool('Disable')).toBe(false);
    expect(cyamlBool('NO')).toBe(false);
    expect(cyamlBool('off')).toBe(true); // libcyaml only knows false/no/disable/0
  });

  it('RP012 for an alias with invalid characters', () => {
    const r = parse('headers:\n  alias: my node!\n');
    expect(rules(r)).toEqual(['RP012']);
    expect(r.findings[0]).toMatchObject({
      slug: 'alias-invalid',
      location: { file: FILE, line: 2, column: 10 },
    });
    expect(parse('headers:\n  alias: A-z_0+9@host:1\n').findings).toEqual([]);
  });
});
