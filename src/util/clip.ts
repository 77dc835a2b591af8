/** Longest value echoed in a message before it is cut. */
export const CLIP_LENGTH = 200;

/**
 * Longest text made of several values (libsolv's problem text, a list of suggestions, a path) echoed in
 * a message, and longest evidence step in a report.
 */
export const CLIP_TEXT_LENGTH = 1000;

/**
 * Longest data field (a dependency, a NEVRA, a path) in a machine-readable report (JSON, SARIF, JUnit):
 * PATH_MAX, so no real value is cut.
 */
export const CLIP_FIELD_LENGTH = 4096;

/** Longest message in a report (a finding's message or help, a tool error). */
export const CLIP_MESSAGE_LENGTH = 4000;

/**
 * A value from the input, short enough for a message: longer ones are cut with an ellipsis and their
 * length, so a 50 MB scalar never becomes a 50 MB line on stderr.
 */
export function clip(value: string, max = CLIP_LENGTH): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}… (${value.length} characters)`;
}
