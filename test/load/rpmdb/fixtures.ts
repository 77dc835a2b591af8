import type { PackageSpec } from '../redpak/make-image.js';

/** Tiny packages covering every header field the loader extracts. */
export const TEST_PACKAGES: PackageSpec[] = [
  {
    name: 'libfoo',
    version: '1.2',
    release: '3',
    epoch: 1,
    license: 'MIT',
    vendor: 'Redproof Tests',
    provides: ['libfoo.so.1()(64bit)'],
    files: [
      { path: '/usr/lib64/libfoo.so.1', content: 'ELF-ish library\n' },
      { path: '/usr/lib64/libfoo.so', symlinkTo: 'libfoo.so.1' },
      { path: '/etc/foo.conf', content: 'answer=42\n', config: 'noreplace' },
    ],
  },
  {
    name: 'app',
    version: '0.1',
    release: '1',
    license: 'GPL-2.0-or-later',
    requires: ['libfoo.so.1()(64bit)', '/usr/bin/helper', 'libfoo >= 1:1.2', '(libfoo if app-extra)'],
    requiresPre: ['shadow-utils'],
    requiresPost: ['/bin/sh'],
    conflicts: ['oldapp < 2'],
    obsoletes: ['app-legacy <= 0.9'],
    recommends: ['app-doc'],
    suggests: ['app-extras > 1'],
    supplements: ['(app-plugin and libfoo)'],
    enhances: ['libfoo'],
    files: [
      { path: '/usr/bin/app', content: '#!/bin/sh\necho app\n', mode: '0755' },
      { path: '/var/log/app.log', ghost: true },
      { path: '/etc/app.conf', content: 'x=1\n', config: true },
    ],
  },
  {
    name: 'helper',
    version: '1.0',
    release: '1',
    files: [
      { path: '/usr/bin/helper', content: 'helper\n', mode: '0755' },
      { path: '/usr/share/common/data.txt', content: 'version A\n' },
    ],
  },
  {
    name: 'archlib',
    version: '3.0',
    release: '2',
    arch: 'x86_64',
    provides: ['libarch.so.3()(64bit)'],
    files: [{ path: '/usr/lib64/libarch.so.3', content: 'x86_64 build\n' }],
  },
  {
    name: 'other',
    version: '2.0',
    release: '1',
    files: [{ path: '/usr/share/common/data.txt', content: 'version B, longer\n' }],
  },
];
