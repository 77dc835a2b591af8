/** Longest value echoed in a message before it is cut. */
export const CLIP_LENGTH = 200;

/**
 * A value from the input, short enough for a message: longer ones are cut with an ellipsis and their
 * length, so a 50 MB scalar never becomes a 50 MB line on stderr.
 */
export function clip(value: string, max = CLIP_LENGTH): string {
  if (value.length <= max) return value;
  return `${value.slice(0, max)}… (${value.length} characters)`;
}
