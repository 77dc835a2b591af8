/**
 * Typed errors for input the tool cannot use (exit 3) and for bad command lines (exit 2).
 * The CLI prints `message` as is, without a stack trace: it is already written for the user.
 */
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';

/** Where an input problem is and what was expected there. */
export interface InputErrorOptions {
  file?: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column, in UTF-16 units. */
  column?: number;
  /** End of the offending text (exclusive column), when known. */
  endLine?: number;
  endColumn?: number;
  /** What would have been valid here, e.g. "one of `id`, `path`". Appended to the message after `; expected`. */
  expected?: string;
  cause?: unknown;
}

/**
 * Input the tool cannot read or accept: malformed YAML or XML, a manifest that breaks its schema,
 * a missing file. The message reads `file:line:column: reason; expected ...`. Maps to exit code 3.
 */
export class InputError extends Error {
  override name = 'InputError';
  /** Stable machine-readable kind, e.g. `yaml-syntax`, `schema`, `duplicate-alias`. */
  readonly kind: string;
  /** The message without location and `expected` part. */
  readonly reason: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly expected?: string;
  /** Exit code the CLI uses for this error. */
  readonly exitCode: number = 3;

  constructor(kind: string, reason: string, options: InputErrorOptions = {}) {
    super(
      InputError.format(reason, options),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.kind = kind;
    this.reason = reason;
    if (options.file !== undefined) this.file = options.file;
    if (options.line !== undefined) this.line = options.line;
    if (options.column !== undefined) this.column = options.column;
    if (options.endLine !== undefined) this.endLine = options.endLine;
    if (options.endColumn !== undefined) this.endColumn = options.endColumn;
    if (options.expected !== undefined) this.expected = options.expected;
  }

  /** Builds `file:line:column: reason; expected ...`, leaving out the parts that are unknown. */
  static format(reason: string, at: InputErrorOptions): string {
    // the file may come from the command line, the expectation may list values of the input
    let where = at.file === undefined ? '' : clip(at.file, CLIP_TEXT_LENGTH);
    if (at.line !== undefined) {
      where += `${where ? ':' : ''}${at.line}`;
      if (at.column !== undefined) where += `:${at.column}`;
    }
    const text =
      at.expected === undefined ? reason : `${reason}; expected ${clip(at.expected, CLIP_TEXT_LENGTH)}`;
    return where ? `${where}: ${text}` : text;
  }
}

/**
 * Several input problems found in one pass (e.g. every error of a manifest). `errors` is sorted by
 * position and never empty; the message has one line per error. Position fields are the first error's.
 */
export class InputErrors extends InputError {
  override name = 'InputErrors';
  readonly errors: readonly InputError[];

  constructor(errors: readonly InputError[], options: { cause?: unknown } = {}) {
    const first = errors[0];
    if (first === undefined) throw new RangeError('InputErrors needs at least one error');
    super('multiple', `${errors.length} errors`, {
      ...(first.file !== undefined && { file: first.file }),
      ...(first.line !== undefined && { line: first.line }),
      ...(first.column !== undefined && { column: first.column }),
      ...(options.cause !== undefined && { cause: options.cause }),
    });
    this.errors = errors;
    // Every line already carries its own position.
    this.message = errors.map((e) => e.message).join('\n');
  }
}

/**
 * One error when there is one, else an `InputErrors` holding all of them (sorted by line, column).
 * Throws RangeError on an empty list.
 */
export function combineInputErrors(errors: readonly InputError[]): InputError {
  const sorted = [...errors].sort(compareInputErrors);
  const [first] = sorted;
  if (first === undefined) throw new RangeError('combineInputErrors needs at least one error');
  return sorted.length === 1 ? first : new InputErrors(sorted);
}

/** The individual errors behind `error` (itself, or the list of an `InputErrors`). */
export function inputErrorList(error: InputError): readonly InputError[] {
  return error instanceof InputErrors ? error.errors : [error];
}

/** Orders by file, line, column, then message, so output is deterministic. */
export function compareInputErrors(a: InputError, b: InputError): number {
  return (
    cmp(a.file ?? '', b.file ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A bad command line: unknown option, missing argument, conflicting flags. Maps to exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  /** Exit code the CLI uses for this error. */
  readonly exitCode: number = 2;

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}
