import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createMemoryHost } from '../../src/host/memory-host.js';
import {
  compsJobSpec,
  environmentGroups,
  groupPackages,
  mergeComps,
  parseComps,
  readRepoComps,
} from '../../src/load/comps.js';
import { InputError } from '../../src/load/errors.js';

const COMPS = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
<comps>
  <group>
    <id>core</id>
    <name>Core</name>
    <name xml:lang="de">Kern</name>
    <default>true</default>
    <uservisible>false</uservisible>
    <packagelist>
      <packagereq type="mandatory">bash</packagereq>
      <packagereq type="default">vim-minimal</packagereq>
      <packagereq type="optional">tmux</packagereq>
      <packagereq type="conditional" requires="gtk2">ibus-gtk2</packagereq>
      <packagereq type="mandatory" arch="aarch64">uboot-tools</packagereq>
      <packagereq>implicit-mandatory</packagereq>
    </packagelist>
  </group>
  <group>
    <id>web</id>
    <name>Web Server</name>
    <packagelist><packagereq type="mandatory">httpd</packagereq></packagelist>
  </group>
  <environment>
    <id>server</id>
    <name>Server</name>
    <grouplist><groupid>core</groupid></grouplist>
    <optionlist><groupid default="true">web</groupid><groupid>debugging</groupid></optionlist>
  </environment>
</comps>
`;

describe('parseComps and groupPackages', () => {
  const comps = parseComps(COMPS, 'comps.xml');

  it('reads groups (untranslated name), package types and environments', () => {
    expect(comps.groups.map((g) => [g.id, g.name, g.default, g.uservisible])).toEqual([
      ['core', 'Core', true, false],
      ['web', 'Web Server', false, true],
    ]);
    expect(comps.groups[0]!.packages[3]).toEqual({
      name: 'ibus-gtk2',
      type: 'conditional',
      requires: 'gtk2',
    });
    expect(comps.groups[0]!.packages[5]).toEqual({ name: 'implicit-mandatory', type: 'mandatory' });
    expect(comps.environments).toEqual([
      {
        id: 'server',
        name: 'Server',
        groups: ['core'],
        options: [
          { id: 'web', default: true },
          { id: 'debugging', default: false },
        ],
      },
    ]);
  });

  it('gives mandatory, default and conditional packages, as dnf does by default', () => {
    const names = (o = {}) => groupPackages(comps, 'core', o).map((p) => p.name);
    expect(names()).toEqual(['bash', 'vim-minimal', 'ibus-gtk2', 'uboot-tools', 'implicit-mandatory']);
    expect(names({ nodefaults: true })).toEqual(['bash', 'ibus-gtk2', 'uboot-tools', 'implicit-mandatory']);
    expect(names({ optional: true, arch: 'x86_64' })).toEqual([
      'bash',
      'vim-minimal',
      'tmux',
      'ibus-gtk2',
      'implicit-mandatory',
    ]);
    expect(groupPackages(comps, 'Web Server').map((p) => p.name)).toEqual(['httpd']);
    expect(groupPackages(comps, 'CORE').length).toBe(5);
  });

  it('turns a conditional package into the rich job dnf installs', () => {
    const [cond] = groupPackages(comps, 'core').filter((p) => p.type === 'conditional');
    expect(compsJobSpec(cond!)).toBe('(ibus-gtk2 if gtk2)');
    expect(compsJobSpec({ name: 'bash', type: 'mandatory' })).toBe('bash');
  });

  it('expands an environment to its groups and its default options', () => {
    expect(environmentGroups(comps, 'server')).toEqual(['core', 'web']);
  });

  it('names the known groups when one is unknown', () => {
    expect(() => groupPackages(comps, 'cor')).toThrow(
      /no group `cor`.*expected one of 2 groups, e.g. `core`/,
    );
    expect(() => environmentGroups(comps, 'desktop')).toThrow(InputError);
  });

  it('rejects malformed XML, a foreign root and a bad package type with the file', () => {
    expect(() => parseComps('<comps><group>', 'c.xml')).toThrow(/^c\.xml:1:\d+: malformed XML/);
    expect(() => parseComps('<metadata/>', 'c.xml')).toThrow(/root element is not <comps>/);
    expect(() =>
      parseComps(
        '<comps><group><id>g</id><packagelist><packagereq type="maybe">x</packagereq></packagelist></group></comps>',
        'c.xml',
      ),
    ).toThrow(/group g: package x has type `maybe`/);
  });

  it('merges several repositories, the first entry of a package winning', () => {
    const other = parseComps(
      '<comps><group><id>core</id><name>Core</name><packagelist><packagereq type="optional">bash</packagereq><packagereq>zsh</packagereq></packagelist></group></comps>',
      'b.xml',
    );
    const merged = mergeComps([comps, other]);
    const core = merged.groups.find((g) => g.id === 'core')!;
    expect(core.packages.find((p) => p.name === 'bash')!.type).toBe('mandatory');
    expect(core.packages.at(-1)!.name).toBe('zsh');
    expect(comps.groups[0]!.packages.length).toBe(6);
  });
});

function repomd(entries: { type: string; href: string; bytes?: Uint8Array }[]): string {
  const data = entries
    .map(
      (e) =>
        `<data type="${e.type}">${e.bytes ? `<checksum type="sha256">${createHash('sha256').update(e.bytes).digest('hex')}</checksum>` : ''}<location href="${e.href}"/></data>`,
    )
    .join('');
  return `<?xml version="1.0"?><repomd xmlns="http://linux.duke.edu/metadata/repo">${data}</repomd>`;
}

describe('hostile comps', () => {
  it('tags nested 100,000 deep are an input error, not a crash of the XML parser', () => {
    const deep = `<?xml version="1.0"?><comps>${'<group>'.repeat(100_000)}${'</group>'.repeat(100_000)}</comps>`;
    expect(() => parseComps(deep, 'deep.xml')).toThrow(InputError);
    expect(() => parseComps(deep, 'deep.xml')).toThrow(
      /^deep\.xml: malformed XML: Maximum nested tags exceeded/,
    );
  });
});

describe('readRepoComps', () => {
  const gz = gzipSync(Buffer.from(COMPS));

  it('reads the first listed comps file that is present (group_gz before group)', async () => {
    const host = createMemoryHost({
      '/r/repodata/repomd.xml': repomd([
        { type: 'group', href: 'repodata/comps.xml' },
        { type: 'group_gz', href: 'repodata/comps.xml.gz', bytes: gz },
      ]),
      '/r/repodata/comps.xml.gz': new Uint8Array(gz),
    });
    const got = await readRepoComps(host, '/r', 'repo');
    expect(got?.file).toBe('repo/repodata/comps.xml.gz');
    expect(got?.comps.groups.length).toBe(2);
  });

  it('refuses a comps file whose checksum is not the one repomd.xml gives', async () => {
    const host = createMemoryHost({
      '/r/repodata/repomd.xml': repomd([
        { type: 'group', href: 'repodata/c.xml', bytes: Buffer.from('<comps/>') },
      ]),
      '/r/repodata/c.xml': COMPS,
    });
    await expect(readRepoComps(host, '/r', 'repo')).rejects.toThrow(
      /^repo\/repodata\/c\.xml: checksum mismatch/,
    );
  });

  it('returns undefined without comps and says why when the comps cannot be read', async () => {
    const none = createMemoryHost({
      '/r/repodata/repomd.xml': repomd([{ type: 'primary', href: 'repodata/p.xml' }]),
    });
    expect(await readRepoComps(none, '/r')).toBeUndefined();
    const zstd = createMemoryHost({
      '/r/repodata/repomd.xml': repomd([
        { type: 'group', href: 'repodata/gone.xml' },
        { type: 'group_zck', href: 'repodata/c.xml.zst' },
      ]),
      '/r/repodata/c.xml.zst': new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0, 0]),
    });
    await expect(readRepoComps(zstd, '/r', 'repo')).rejects.toThrow(
      /^repo\/repodata\/c\.xml\.zst: cannot decompress zstd data: .*; expected intact compressed data/,
    );
    const badXz = createMemoryHost({
      '/r/repodata/repomd.xml': repomd([{ type: 'group_xz', href: 'repodata/c.xml.xz' }]),
      '/r/repodata/c.xml.xz': new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 0, 0]),
    });
    await expect(readRepoComps(badXz, '/r', 'repo')).rejects.toThrow(
      /^repo\/repodata\/c\.xml\.xz: cannot decompress xz data: stream header CRC32 mismatch/,
    );
  });
});
