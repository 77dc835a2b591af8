/**
 * The most common real arch among packages (a target for a check that was given none): noarch, src and
 * nosrc never count, so noarch wins only when nothing else is there. Ties go to the smaller name, so the
 * choice is deterministic.
 */
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
export function dominantArch(arches: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const a of arches) {
    if (!a || a === 'noarch' || a === 'src' || a === 'nosrc') continue;
    counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  let best = 'noarch';
  let n = 0;
  for (const [a, c] of [...counts].sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (c > n) {
      best = a;
      n = c;
    }
  }
  return best;
}

/**
 * The arches libsolv 0.7.23 has a policy for (src/poolarch.c), and noarch. Any other name makes a pool
 * that accepts only itself and noarch, so a typo (`--arch bogus`) would silently check nothing.
 */
export const KNOWN_ARCHES: ReadonlySet<string> = new Set(
  (
    'x86_64_v4 x86_64_v3 x86_64_v2 x86_64 i686 i586 i486 i386 athlon pentium4 pentium3 geode ' +
    's390x s390 ia64 ppc64le ppc64p7 ppc64 ppc ppc64iseries ppciseries aarch64 armv8hl armv8l ' +
    'armv7hnl armv7hl armv7l armv6hl armv6l armv5tejl armv5tel armv5tl armv5l armv4tl armv4l armv3l ' +
    'sh3 sh4 sh4a sparc64v sparc64 sparcv9v sparcv9 sparcv8 sparc mips64el mips64 mipsel mips riscv64 ' +
    'loongarch64 m68k alphaev67 alphaev6 alphaev56 alphaev5 alphapca56 alpha noarch'
  ).split(' '),
);

/**
 * Checks a `--arch` value: an arch libsolv knows, or one some package of the repositories has.
 * Returns the problem, or `undefined` when the arch is fine.
 */
export function archProblem(arch: string, packageArches: Iterable<string>): string | undefined {
  const present = new Set(packageArches);
  if (KNOWN_ARCHES.has(arch) || present.has(arch)) return undefined;
  const real = [...present].filter((a) => a !== 'src' && a !== 'nosrc').sort();
  return `--arch \`${clip(arch)}\`: unknown architecture (libsolv has no policy for it and no package has it); the packages are ${real.length ? clip(real.map((a) => `\`${a}\``).join(', '), CLIP_TEXT_LENGTH) : 'none'}`;
}
