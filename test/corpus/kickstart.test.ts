import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseKickstart } from '../../src/load/kickstart.js';
import { corpus } from './corpus.js';

// rp-kickstarts was copied in part (see its SOURCE.md): boards/, arch/ and most of features/ are not
// there, so missing includes are read in `report` mode and must be exactly those files.
const ROOTDIR = corpus('redpesk-kickstarts');
const read = (path: string) => {
  const abs = `${ROOTDIR}/${path}`;
  return existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
};
const kickstarts = ['distro', 'features', 'images', 'packages'].flatMap((d) =>
  readdirSync(`${ROOTDIR}/${d}`)
    .filter((f) => f.endsWith('.ks'))
    .map((f) => `${d}/${f}`),
);

describe('redpesk kickstarts (rp-kickstarts 91c7afb)', () => {
  it('finds the 29 kickstart files', () => {
    expect(kickstarts.length).toBe(29);
  });

  it.each(kickstarts)('%s parses with no error', (file) => {
    const ks = parseKickstart(read(file)!, file, read, { missingInclude: 'report' });
    expect(ks.errors).toEqual([]);
    for (const m of ks.missingIncludes) expect(existsSync(`${ROOTDIR}/${m.path}`)).toBe(false);
  });

  it('reads distro/redpesk-core.ks as the file plainly says', () => {
    const file = 'distro/redpesk-core.ks';
    const ks = parseKickstart(read(file)!, file, read, { missingInclude: 'report' });
    expect(ks.groups.map((g) => g.id)).toEqual(['core']);
    expect(ks.excludeGroups).toEqual(['standard']);
    expect(ks.include).toEqual([
      'NetworkManager-wifi',
      'chkconfig',
      'chrony',
      'dracut-config-generic',
      'dracut-live',
      'glibc-langpack-en',
      'redpesk-repos',
      'redhat-rpm-config',
      'platform-firstboot',
      'wget',
      'dnf',
      'dracut-redpesk-common',
      'libgomp',
      'sssd-client',
      // packages/tools.ks, included after the section
      'can-tests',
      'can-utils',
      'dnf-utils',
      'i2c-tools',
      'iw',
      'picocom',
      'platform-runtime-tools',
      'rng-tools',
      'tar',
      'tree',
      'usbutils',
      'vim',
    ]);
    expect(ks.exclude).toEqual([
      'glibc-all-langpacks',
      'fedora-repos',
      'fedora-repos-modular',
      'dracut-config-rescue',
      'generic-release*',
      'initial-setup',
      'initial-setup-gui',
      'iproute-tc',
      'ipw*',
      'iwl*',
      'lvm2',
      'trousers',
      'usb_modeswitch',
      'xkeyboard-config',
    ]);
    expect(ks.missingIncludes.map((m) => m.path)).toEqual([
      'features/redpesk-partitioning.ks',
      'features/password.ks',
      'features/regional.ks',
    ]);
  });

  it('follows a whole image: minimal-x86_64 = core + reduce_size + minimal', () => {
    const file = 'images/minimal-x86_64.ks';
    const ks = parseKickstart(read(file)!, file, read, { missingInclude: 'report' });
    expect(ks.errors).toEqual([]);
    expect(ks.include).toEqual(
      expect.arrayContaining(['afb-binder', 'afb-app-manager-rpm', 'chrony', 'vim']),
    );
    expect(ks.exclude).toEqual(expect.arrayContaining(['langpacks-en', 'sssd-kcm', 'lvm2']));
    expect(ks.files).toEqual(
      expect.arrayContaining(['images/core-x86_64.ks', 'distro/redpesk-core.ks', 'features/reduce_size.ks']),
    );
  });
});
