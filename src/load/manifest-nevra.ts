/**
 * NEVRA (`name-[epoch:]version-release.arch`) parsing for manifest package entries, and the rule that
 * tells a NEVRA from a plain package name. See docs/manifest.md, "Package entries".
 */

/**
 * Architectures that may end a NEVRA: libsolv's arch policy table (src/poolarch.c, rpm flavour) plus
 * newer rpm arches (riscv64, loongarch64, x86_64_v2..v4) and the pseudo-arches noarch, src, nosrc.
 */
export const RPM_ARCHES: ReadonlySet<string> = new Set([
  'noarch',
  'src',
  'nosrc',
  'x86_64',
  'x86_64_v2',
  'x86_64_v3',
  'x86_64_v4',
  'amd64',
  'ia32e',
  'athlon',
  'geode',
  'i686',
  'i586',
  'i486',
  'i386',
  'ia64',
  'aarch64',
  'armv3l',
  'armv4l',
  'armv4tl',
  'armv5l',
  'armv5tl',
  'armv5tel',
  'armv5tejl',
  'armv6l',
  'armv6hl',
  'armv7l',
  'armv7hl',
  'armv7hnl',
  'armv8l',
  'ppc',
  'ppc64',
  'ppc64le',
  'ppc64p7',
  'ppc64iseries',
  'ppc64pseries',
  's390',
  's390x',
  'riscv64',
  'loongarch64',
  'mips',
  'mipsel',
  'mips64',
  'mips64el',
  'm68k',
  'sh3',
  'sh4',
  'sh4a',
  'sparc',
  'sparcv8',
  'sparcv9',
  'sparcv9v',
  'sparc64',
  'sparc64v',
]);

/** Arches that make sense as a family's target `arch` (every RPM arch except noarch, src, nosrc). */
export const TARGET_ARCHES: ReadonlySet<string> = new Set(
  [...RPM_ARCHES].filter((a) => a !== 'noarch' && a !== 'src' && a !== 'nosrc'),
);

/** The parts of an exact package identity. `epoch` is absent when the text has none (rpm reads that as 0). */
export interface Nevra {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  arch: string;
}

const NAME = /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/;
const VERSION = /^[A-Za-z0-9._+~^]+$/;
const EPOCH = /^[0-9]{1,10}$/;

/**
 * Parses `name-[epoch:]version-release.arch`, or returns undefined when `text` is not a NEVRA.
 *
 * The rule: the text after the last `.` is a known arch (RPM_ARCHES), and the rest has at least two
 * `-`; the last `-` starts the release, the one before it the `[epoch:]version`, and everything before
 * that is the name (which may itself contain `-` and `.`). Version and release may not be empty and use
 * rpm's version characters; an epoch is decimal digits.
 */
export function parseNevra(text: string): Nevra | undefined {
  const dot = text.lastIndexOf('.');
  if (dot < 0) return undefined;
  const arch = text.slice(dot + 1);
  if (!RPM_ARCHES.has(arch)) return undefined;
  const nevr = text.slice(0, dot);
  const relDash = nevr.lastIndexOf('-');
  if (relDash < 0) return undefined;
  const release = nevr.slice(relDash + 1);
  const nev = nevr.slice(0, relDash);
  const verDash = nev.lastIndexOf('-');
  if (verDash < 0) return undefined;
  const name = nev.slice(0, verDash);
  let version = nev.slice(verDash + 1);
  let epoch: number | undefined;
  const colon = version.indexOf(':');
  if (colon >= 0) {
    const epochText = version.slice(0, colon);
    if (!EPOCH.test(epochText)) return undefined;
    epoch = Number(epochText);
    version = version.slice(colon + 1);
  }
  if (!NAME.test(name) || !VERSION.test(version) || !VERSION.test(release)) return undefined;
  return epoch === undefined ? { name, version, release, arch } : { name, epoch, version, release, arch };
}

/** Formats a NEVRA as `name-[epoch:]version-release.arch`; the epoch is written only when present. */
export function formatNevra(n: Nevra): string {
  const e = n.epoch === undefined ? '' : `${n.epoch}:`;
  return `${n.name}-${e}${n.version}-${n.release}.${n.arch}`;
}

/** True when `text` is a valid plain package name (rpm name characters, no `:`). */
export function isPackageName(text: string): boolean {
  return NAME.test(text);
}

/**
 * For a text that is neither a NEVRA nor a valid name, or a name that is probably a mistake, says why;
 * undefined when `text` is fine as a plain name.
 * @internal
 */
export function entryNameProblem(text: string): { reason: string; expected: string } | undefined {
  if (!isPackageName(text)) {
    return {
      reason: `\`${text}\` is neither a package name nor a NEVRA`,
      expected: 'a name (letters, digits, `._+-`) or `name-[epoch:]version-release.arch`',
    };
  }
  const dot = text.lastIndexOf('.');
  const suffix = dot < 0 ? '' : text.slice(dot + 1);
  if (RPM_ARCHES.has(suffix)) {
    // `bash.x86_64` (dnf's name.arch) or a NEVRA missing its version or release: never a real name.
    return {
      reason: `\`${text}\` ends with the arch \`.${suffix}\` but is not a full NEVRA`,
      expected: 'a plain name, or `name-[epoch:]version-release.arch`',
    };
  }
  return undefined;
}
