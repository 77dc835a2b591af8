/**
 * Fedora's legacy ("Callaway") short license names, as CentOS Stream 9, RHEL 9 and older Fedora write
 * them in rpm `License:` tags, mapped to SPDX identifiers.
 *
 * Source: the Fedora Legal team's fedora-license-data project (gitlab.com/fedora/legal/fedora-license-data,
 * `data/*.toml`, keys `[fedora] abbreviation` / `legacy-abbreviation` against `[license] expression`),
 * read at the versions mirrored in github.com/maxhbr/LDBcollector `data/` (2024). Where that data gives
 * one legacy name to several SPDX licenses (`BSD`: BSD-2-Clause and BSD-3-Clause, ...), the name is
 * ambiguous and every candidate is listed: a policy then has to allow them all (see normalize.ts).
 * `... with exceptions` names no exception (Fedora's data maps each to several); they map to the base
 * license, which the exception only widens, so a policy that allows the base license allows them.
 * Names whose mapping could not be confirmed are left out on purpose: such a tag is reported as
 * unmapped (RP041), never guessed.
 *
 * A few spellings outside Fedora's list that rpm packagers of other distributions (Tizen, openSUSE)
 * write are in `OTHER_NAMES`, kept apart so the Fedora table stays a faithful copy.
 */
export const FEDORA_LEGACY: Readonly<Record<string, readonly string[]>> = {
  AFL: ['AFL-1.1', 'AFL-1.2', 'AFL-2.0', 'AFL-2.1', 'AFL-3.0'],
  AGPLv1: ['AGPL-1.0-only'],
  AGPLv3: ['AGPL-3.0-only'],
  'AGPLv3+': ['AGPL-3.0-or-later'],
  'Artistic clarified': ['ClArtistic'],
  'Artistic 2.0': ['Artistic-2.0'],
  'ASL 1.0': ['Apache-1.0'],
  'ASL 1.1': ['Apache-1.1'],
  'ASL 2.0': ['Apache-2.0'],
  'Bitstream Vera': ['Bitstream-Vera'],
  Boost: ['BSL-1.0'],
  BSD: ['BSD-2-Clause', 'BSD-3-Clause'],
  'BSD with advertising': ['BSD-4-Clause'],
  CC0: ['CC0-1.0'],
  CDDL: ['CDDL-1.0'],
  'CDDL-1.0': ['CDDL-1.0'],
  'CDDL-1.1': ['CDDL-1.1'],
  CPL: ['CPL-1.0'],
  EPL: ['EPL-1.0'],
  'EPL-2.0': ['EPL-2.0'],
  'Freely redistributable without restrictions': ['LicenseRef-Fedora-Firmware'],
  FTL: ['FTL'],
  GFDL: ['GFDL-1.1-or-later', 'GFDL-1.2-or-later', 'GFDL-1.3-or-later'],
  'GPL+': ['GPL-1.0-or-later'],
  GPLv1: ['GPL-1.0-only'],
  GPLv2: ['GPL-2.0-only'],
  'GPLv2+': ['GPL-2.0-or-later'],
  'GPLv2 with exceptions': ['GPL-2.0-only'],
  'GPLv2+ with exceptions': ['GPL-2.0-or-later'],
  GPLv3: ['GPL-3.0-only'],
  'GPLv3+': ['GPL-3.0-or-later'],
  'GPLv3 with exceptions': ['GPL-3.0-only'],
  'GPLv3+ with exceptions': ['GPL-3.0-or-later'],
  'Inner-Net': ['Inner-Net-2.0'],
  ISC: ['ISC'],
  LGPLv2: ['LGPL-2.0-only', 'LGPL-2.1-only'],
  'LGPLv2+': ['LGPL-2.0-or-later', 'LGPL-2.1-or-later'],
  'LGPLv2 with exceptions': ['LGPL-2.0-only', 'LGPL-2.1-only'],
  'LGPLv2+ with exceptions': ['LGPL-2.0-or-later', 'LGPL-2.1-or-later'],
  'LGPLv2.1': ['LGPL-2.1-only'],
  'LGPLv2.1+': ['LGPL-2.1-or-later'],
  LGPLv3: ['LGPL-3.0-only'],
  'LGPLv3+': ['LGPL-3.0-or-later'],
  MirOS: ['MirOS'],
  MIT: ['MIT'],
  'MIT with advertising': ['MIT-advertising'],
  'MPLv1.0': ['MPL-1.0'],
  'MPLv1.1': ['MPL-1.1'],
  'MPLv2.0': ['MPL-2.0'],
  Netscape: ['NPL-1.0', 'NPL-1.1'],
  OFL: ['OFL-1.1'],
  OpenSSL: ['OpenSSL'],
  'OSL 1.0': ['OSL-1.0'],
  'OSL 2.0': ['OSL-2.0'],
  'OSL 2.1': ['OSL-2.1'],
  'OSL 3.0': ['OSL-3.0'],
  'Public Domain': ['LicenseRef-Fedora-Public-Domain'],
  Python: ['Python-2.0.1'],
  'Redistributable, no modification permitted': ['LicenseRef-Fedora-Firmware'],
  Ruby: ['Ruby'],
  Sendmail: ['Sendmail'],
  SISSL: ['SISSL'],
  Sleepycat: ['Sleepycat'],
  TCL: ['TCL'],
  UCD: ['Unicode-DFS-2015', 'Unicode-DFS-2016'],
  Unicode: ['Unicode-DFS-2015', 'Unicode-DFS-2016'],
  Vim: ['Vim'],
  W3C: ['W3C'],
  WTFPL: ['WTFPL'],
  X11: ['X11'],
  zlib: ['Zlib'],
  'zlib with acknowledgement': ['zlib-acknowledgement'],
  'ZPLv2.1': ['ZPL-2.1'],
};

/** Spellings outside Fedora's list, seen in Tizen and openSUSE `License:` tags. */
export const OTHER_NAMES: Readonly<Record<string, readonly string[]>> = {
  Apache: ['Apache-2.0', 'Apache-1.1', 'Apache-1.0'],
  'Apache 2.0': ['Apache-2.0'],
  'Apache License, Version 2.0': ['Apache-2.0'],
  'Apache License Version 2.0': ['Apache-2.0'],
  Artistic: ['Artistic-1.0'],
  'BSD 2-clause': ['BSD-2-Clause'],
  BSD3c: ['BSD-3-Clause'],
  'GNU General Public License version 2': ['GPL-2.0-only'],
  // An unversioned GPL/LGPL lets the recipient pick any version ever published (GPL §9, LGPL §13).
  GPL: ['GPL-1.0-or-later'],
  LGPL: ['LGPL-2.0-or-later'],
  'GPL v2': ['GPL-2.0-only'],
  'LGPL v2': ['LGPL-2.0-only', 'LGPL-2.1-only'],
  'MIT License': ['MIT'],
  'MIT/X11': ['MIT'],
  'X11/MIT': ['MIT'],
  PD: ['LicenseRef-Fedora-Public-Domain'],
};
