/**
 * The records the C glue writes into its transfer buffer: one record a line, fields separated by tabs,
 * every value escaped by `out_val` in wasm/src/glue.c (`\\`, `\t`, `\n` for a backslash, a tab and a
 * newline), so a value from the input never splits a field or a record.
 * @internal
 */

/** A value as the glue escaped it, back to its text. */
export function unescapeValue(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\([\\tn])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : '\\'));
}

/** The fields of one record, unescaped. */
export function fields(line: string): string[] {
  const f = line.split('\t');
  for (let i = 0; i < f.length; i++) f[i] = unescapeValue(f[i]!);
  return f;
}

/** The records of an output, empty lines left out. */
export function records(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}
