/**
 * Control characters from an image or a repository (an alias `"\e[2J…\r"`, a newline in a directory
 * name) must not reach a terminal or a Markdown page raw: they are shown escaped (`\e`, `\n`, `\x07`,
 * `\u{202e}`). Tabs stay. Reporters that emit structured formats (JSON, SARIF, JUnit XML) escape by
 * their own syntax instead; an HTML reporter can reuse `escapeControl` before its HTML escaping.
 */

// C0 except tab, DEL, C1, the line/paragraph separators and the bidi embedding/override/isolate marks.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\u001b': '\\e', '\u0000': '\\0' };

/** `text` with every control character replaced by a visible escape; idempotent. */
export function escapeControl(text: string): string {
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROL, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/** A deep copy of `value` with `escapeControl` applied to every string (keys included). */
export function escapeStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeControl(value) as T;
  if (Array.isArray(value)) return value.map((v) => escapeStrings(v)) as T;
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [escapeStrings(k), escapeStrings(v)])) as T;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[escapeControl(k)] = escapeStrings(v);
    return out as T;
  }
  return value;
}
