// HTML escaping of this reporter. Every text that reaches the page comes from inputs (package names,
// manifest text, rpm headers), so all of it goes through these, and control or bidi characters are
// shown as visible escapes instead of being able to reorder or hide what an auditor reads.

const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Control and bidi characters as visible escapes (for text the page's script puts in the DOM). */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16).padStart(4, '0')}}`);
}

/** Text content: `&`, `<`, `>` escaped, control and bidi characters made visible. */
export function escapeHtml(text: string): string {
  return visible(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes. */
export function escapeAttr(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON safe inside `<script type="application/json">`: no `</script`, `<!--`, nor line separators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A fragment id from any text: stable, unique per distinct text, valid in `#...` and `id=`. */
export function fragmentId(prefix: string, text: string): string {
  return `${prefix}-${[...text].map((c) => (/[A-Za-z0-9_-]/.test(c) ? c : `.${c.codePointAt(0)!.toString(16)}.`)).join('')}`;
}
