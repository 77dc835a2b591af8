/**
 * Every report is bounded, whatever the input held: a 50 MB scalar from an image or a repository must
 * not become a 50 MB line of text, JSON or SARIF. Values are clipped where messages are written
 * (`clip`, `formatTemplate`); this is the reporters' backstop, applied to the whole result before it
 * is formatted, so no string of any output is longer than its bound. Clipping keeps a prefix and says
 * how long the value was (`… (N characters)`), so outputs stay deterministic.
 */
import type { CheckResult } from '../model/finding.js';
import { CLIP_FIELD_LENGTH, CLIP_MESSAGE_LENGTH, CLIP_TEXT_LENGTH, clip } from '../util/clip.js';

/** How long a string may be, by its key: messages, evidence texts, and data fields. */
export interface Bounds {
  /** `message`, `help`, a suppression's `justification`. */
  message: number;
  /** An evidence step's `text`. */
  text: number;
  /** Everything else: ids, NEVRAs, dependencies, paths, keys. */
  field: number;
}

/** For JSON, SARIF and JUnit, read by programs: a data field is cut only past PATH_MAX. */
export const MACHINE_BOUNDS: Bounds = {
  message: CLIP_MESSAGE_LENGTH,
  text: CLIP_TEXT_LENGTH,
  field: CLIP_FIELD_LENGTH,
};

/** For text, Markdown, HTML and CI annotations, read by people. */
export const HUMAN_BOUNDS: Bounds = {
  message: CLIP_MESSAGE_LENGTH,
  text: CLIP_TEXT_LENGTH,
  field: CLIP_TEXT_LENGTH,
};

const MESSAGE_KEYS = new Set(['message', 'help', 'justification']);

/** `result` with every string (keys of maps included) cut to `bounds`; the same object when nothing is too long. */
export function boundResult(result: CheckResult, bounds: Bounds = MACHINE_BOUNDS): CheckResult {
  if (!hasLongString(result, Math.min(bounds.message, bounds.text, bounds.field))) return result;
  return bound(result, undefined, bounds) as CheckResult;
}

function limitOf(key: string | undefined, bounds: Bounds): number {
  if (key !== undefined && MESSAGE_KEYS.has(key)) return bounds.message;
  if (key === 'text') return bounds.text;
  return bounds.field;
}

function bound(value: unknown, key: string | undefined, bounds: Bounds): unknown {
  if (typeof value === 'string') return clip(value, limitOf(key, bounds));
  if (Array.isArray(value)) return value.map((v) => bound(v, key, bounds));
  if (value instanceof Map) {
    return new Map([...value].map(([k, v]) => [bound(k, undefined, bounds), bound(v, key, bounds)]));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[clip(k, bounds.field)] = bound(v, k, bounds);
    return out;
  }
  return value;
}

/** Whether any string in `value` is longer than `max` (a cheap walk: most results need no copy). */
function hasLongString(value: unknown, max: number): boolean {
  if (typeof value === 'string') return value.length > max;
  if (Array.isArray(value)) return value.some((v) => hasLongString(v, max));
  if (value instanceof Map) {
    for (const [k, v] of value) if (hasLongString(k, max) || hasLongString(v, max)) return true;
    return false;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k.length > max || hasLongString(v, max)) return true;
  }
  return false;
}
