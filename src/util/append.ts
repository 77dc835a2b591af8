/**
 * Appends every item to `to`. Not `to.push(...items)`: a spread passes each item as an argument, and
 * the ≈ 200k findings of a large unclosed family exceeded the call stack ("Maximum call stack size
 * exceeded", exit 3).
 */
export function appendAll<T>(to: T[], items: Iterable<T>): T[] {
  for (const item of items) to.push(item);
  return to;
}
