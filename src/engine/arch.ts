/**
 * The most common real arch among packages (a target for a check that was given none): noarch, src and
 * nosrc never count, so noarch wins only when nothing else is there. Ties go to the smaller name, so the
 * choice is deterministic.
 */
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
