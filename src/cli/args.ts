import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../load/errors.js';
import { clip } from '../util/clip.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every checking command takes (outputs, thresholds, policy). */
export const OUTPUT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  json: { type: 'string' },
  sarif: { type: 'string' },
  junit: { type: 'string' },
  markdown: { type: 'string' },
  github: { type: 'string' },
  gitlab: { type: 'string' },
  'fail-on': { type: 'string' },
  waivers: { type: 'string' },
  baseline: { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  /** `NAME=SIZE`, repeatable: the bounds of docs/limits.md. */
  limit: { type: 'string', multiple: true },
} as const satisfies OptionSpec;

/** Audit documents of commands that prove a family (check, audit, update-check, lock). */
export const DOCUMENT_OPTIONS = {
  html: { type: 'string' },
  cyclonedx: { type: 'string' },
  spdx: { type: 'string' },
} as const satisfies OptionSpec;

/** Options of commands that read repositories. */
export const REPO_OPTIONS = {
  repo: { type: 'string', multiple: true, short: 'r' },
  arch: { type: 'string' },
  'strict-arch': { type: 'boolean' },
  'no-filelists': { type: 'boolean' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
} as const satisfies OptionSpec;

/** parseArgs with strict checking; unknown or malformed options become a UsageError (exit 2). */
// Values are typed by each command's option table; parseArgs' inferred type cannot be exported by name.
// biome-ignore lint/suspicious/noExplicitAny: narrowed at each use by the option table of the command
export type ParsedValues = Record<string, any>;

export function parse(
  argv: string[],
  options: OptionSpec,
  command: string,
): { values: ParsedValues; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as {
      values: ParsedValues;
      positionals: string[];
    };
  } catch (err) {
    // node:util quotes the offending option (`Unknown option '--…'`): an argument may be 128 KiB long
    const msg = (err as Error).message
      .replace(/\. To specify a positional argument.*$/s, '')
      .replace(/'([^']*)'/g, (_, v: string) => `'${clip(v)}'`);
    throw new UsageError(`${command}: ${msg}\nRun \`redproof ${command} --help\` for the options.`);
  }
}

/** `id=path` or a bare path. */
export function splitRepoArg(arg: string): { id?: string; path: string } {
  const eq = arg.indexOf('=');
  if (eq > 0 && !arg.slice(0, eq).includes('/')) return { id: arg.slice(0, eq), path: arg.slice(eq + 1) };
  return { path: arg };
}

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'markdown', 'github', 'gitlab'] as const;
export type FormatName = (typeof FORMATS)[number];

export function checkFormat(value: string | undefined, command: string): FormatName {
  const f = value ?? 'text';
  if (!(FORMATS as readonly string[]).includes(f)) {
    throw new UsageError(
      `${command}: unknown --format \`${clip(f)}\`; expected one of ${FORMATS.join(', ')}`,
    );
  }
  return f as FormatName;
}

export function checkFailOn(
  value: string | undefined,
  command: string,
): 'error' | 'warning' | 'note' | 'never' {
  const v = value ?? 'error';
  if (!['error', 'warning', 'note', 'never'].includes(v)) {
    throw new UsageError(
      `${command}: unknown --fail-on \`${clip(v)}\`; expected error, warning, note or never`,
    );
  }
  return v as 'error' | 'warning' | 'note' | 'never';
}
