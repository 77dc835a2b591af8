/**
 * The package selection of a kickstart file (`%packages` sections), read the way pykickstart reads it,
 * so `redproof lock` can take a team's image kickstart as its request list. Pure: included files come
 * through the `readInclude` callback, and nothing here touches the file system.
 *
 * API: `parseKickstart(text, file, readInclude, options?) → KickstartPackages`.
 *
 * Semantics (pykickstart `parser.py` `Packages.add` / `_processGroup`, `sections.py` `PackageSection`,
 * at pykickstart 435ebbe):
 * - Only `%packages … %end` and the `module` command count. Other commands (`network`, `firewall`, …) and the known other sections
 *   (`%pre`, `%pre-install`, `%post`, `%onerror`, `%traceback`, `%certificate`, `%addon`, `%anaconda`)
 *   are skipped; any other `%word` section is an error, as in pykickstart by default.
 * - In `%packages`, `#` starts a comment anywhere on a line. A line is `name-or-glob-or-provide`,
 *   `-name` (exclusion, globs too), `@group [--nodefaults|--optional]`, `-@group`, `@^environment`,
 *   `-@^environment`.
 * - The last line naming a package decides: a later `foo` cancels an earlier `-foo` and the other way
 *   round, so a name is never in both `include` and `exclude` (each list is ordered by those lines).
 * - Groups: the first `@g` wins over later ones (its options stay); `-@g` drops the groups seen so far
 *   and goes to `excludeGroups` (anaconda passes it to dnf as an excluded `@g`).
 * - Environments: there is at most one (`environment`): a later `@^e` replaces an earlier one and
 *   `-@^e` clears it when it names it. Expand it with the environment's groups from comps.
 * - Header options are pykickstart's current ones; a later `%packages` header sets them again (as in
 *   pykickstart: the last header wins). There is no `%packages --nodefaults` (that is a group option).
 *   `nocore` false means anaconda adds `@core` on its own (the lock does too: engine/lock/inputs.ts).
 * - `%include PATH` (anywhere, in or out of a section) is resolved against the including file's
 *   directory; inside `%packages` the included lines continue the section. Cycles and depth > 32 are
 *   errors. A file `readInclude` cannot give (undefined) is an error, or only listed in
 *   `missingIncludes` with `missingInclude: 'report'` (pykickstart's `missingIncludeIsFatal=False`,
 *   for a tree copied in part or `%include /tmp/…` files written by `%pre`).
 * - Stricter than pykickstart: unknown group options, a package line with spaces, `%ksappend` (needs
 *   the network) and an unterminated section at the end of the top file are errors with a position.
 */
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';

/** A place in a kickstart file: 1-based line and column (UTF-16 units). */
export interface KickstartPosition {
  file: string;
  line: number;
  column: number;
}

export interface KickstartError extends KickstartPosition {
  message: string;
}

export interface KickstartGroup {
  id: string;
  /** `--nodefaults`: mandatory packages only. */
  nodefaults: boolean;
  /** `--optional`: mandatory, default and optional packages. */
  optional: boolean;
  at: KickstartPosition;
}

/** One selection line, as written, for code frames. */
export interface KickstartEntry extends KickstartPosition {
  kind: 'package' | 'exclude' | 'group' | 'exclude-group' | 'environment' | 'exclude-environment';
  /** The name, glob, group or environment id, without its `-`, `@`, `@^` prefix and options. */
  name: string;
}

/**
 * A `module` command (pykickstart F31_Module, `--disable` since RHEL8): `module --name=N [--stream=S]`
 * enables, `module --name=N --disable` disables the module as a whole (a `--stream` is then ignored, as
 * `dnf module disable` ignores it).
 */
export interface KickstartModule extends KickstartPosition {
  name: string;
  stream?: string;
  disable: boolean;
}

export interface KickstartPackages {
  /** Names, globs or provides to install, as written. */
  include: string[];
  /** `-name` / `-glob` entries. */
  exclude: string[];
  groups: KickstartGroup[];
  excludeGroups: string[];
  environment?: { id: string; at: KickstartPosition };
  /** `--ignoremissing`. */
  ignoreMissing: boolean;
  /** `--nocore`. */
  nocore: boolean;
  /** The last `%packages` header (whose options count), when there is one. */
  packagesAt?: KickstartPosition;
  /** `--default`: the default environment of the install tree, instead of the selection. */
  defaultPackages: boolean;
  /** `--exclude-weakdeps` (or `--excludeWeakdeps`). */
  excludeWeakdeps: boolean;
  excludeDocs: boolean;
  /** `--ignorebroken`: dnf's strict=False (conflicting packages skipped). */
  ignoreBroken: boolean;
  multilib: boolean;
  instLangs?: string;
  /** Every selection line in reading order (includes flattened). */
  sources: KickstartEntry[];
  /** `module` commands in reading order (anaconda enables and disables them before the selection). */
  modules: KickstartModule[];
  /** Files read, the top file first, each once. */
  files: string[];
  missingIncludes: (KickstartPosition & { path: string })[];
  /** Sorted by file, line, column; empty when the selection can be used. */
  errors: KickstartError[];
}

export interface KickstartOptions {
  /** `error` (default): a missing `%include` is an error; `report`: only listed in `missingIncludes`. */
  missingInclude?: 'error' | 'report';
}

const OTHER_SECTIONS = new Set([
  '%pre',
  '%pre-install',
  '%post',
  '%onerror',
  '%traceback',
  '%certificate',
  '%addon',
  '%anaconda',
]);
const MAX_DEPTH = 32;

type Flag =
  | 'excludeDocs'
  | 'ignoreMissing'
  | 'ignoreBroken'
  | 'nocore'
  | 'defaultPackages'
  | 'excludeWeakdeps'
  | 'multilib';
const FLAG_OPTIONS: Record<string, Flag> = {
  '--excludedocs': 'excludeDocs',
  '--ignoremissing': 'ignoreMissing',
  '--nocore': 'nocore',
  '--default': 'defaultPackages',
  '--excludeWeakdeps': 'excludeWeakdeps',
  '--exclude-weakdeps': 'excludeWeakdeps',
  '--multilib': 'multilib',
  '--ignorebroken': 'ignoreBroken',
};
const VALUE_OPTIONS = new Set(['--instLangs', '--inst-langs', '--timeout', '--retries']);

/**
 * Reads the package selection of `text` (named `file`) and of the files it includes. `readInclude`
 * returns undefined for a file that is not there, and throws (an Error saying why) for one it refuses
 * to read: both become an error at the `%include` line.
 */
export function parseKickstart(
  text: string,
  file: string,
  readInclude: (path: string) => string | undefined,
  options: KickstartOptions = {},
): KickstartPackages {
  const p = new Parser(readInclude, options.missingInclude ?? 'error');
  p.readFile(text, file, []);
  if (p.section) {
    p.error(p.section.at, `${clip(p.section.name)} does not end with %end`);
  }
  return p.result();
}

/** `path` resolved against the directory of `from` (POSIX), `.` and `..` folded. */
export function resolveIncludePath(from: string, path: string): string {
  const base = path.startsWith('/') ? '' : from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : '';
  const joined = base ? `${base}/${path}` : path;
  const abs = joined.startsWith('/');
  const out: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !abs) out.push(part);
  }
  return (abs ? '/' : '') + (out.join('/') || (abs ? '' : '.'));
}

class Parser {
  section: { name: string; packages: boolean; at: KickstartPosition } | undefined;
  private readonly state = new Map<string, { include: boolean }>();
  private readonly groups: KickstartGroup[] = [];
  private readonly excludeGroups: string[] = [];
  private environment: { id: string; at: KickstartPosition } | undefined;
  private flags: Record<Flag, boolean> = emptyFlags();
  private instLangs: string | undefined;
  private packagesAt: KickstartPosition | undefined;
  private readonly sources: KickstartEntry[] = [];
  private readonly modules: KickstartModule[] = [];
  private readonly files: string[] = [];
  private readonly missing: (KickstartPosition & { path: string })[] = [];
  private readonly errors: KickstartError[] = [];

  constructor(
    private readonly readInclude: (path: string) => string | undefined,
    private readonly missingInclude: 'error' | 'report',
  ) {}

  error(at: KickstartPosition, message: string): void {
    this.errors.push({ ...at, message });
  }

  readFile(text: string, file: string, stack: string[]): void {
    if (!this.files.includes(file)) this.files.push(file);
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) this.line(lines[i]!, file, i + 1, [...stack, file]);
  }

  private line(raw: string, file: string, line: number, stack: string[]): void {
    const indent = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    const at = { file, line, column: indent + 1 };
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (trimmed.startsWith('%')) {
      const words = splitWords(stripComment(trimmed));
      const head = words[0] ?? '';
      if (head === '%include') {
        this.include(words[1], at, stack);
        return;
      }
      if (head === '%ksappend') {
        this.error(at, '%ksappend is not supported (it fetches a URL)');
        return;
      }
      if (head === '%end') {
        if (!this.section) this.error(at, '%end without an open section');
        this.section = undefined;
        return;
      }
      if (head === '%packages' || OTHER_SECTIONS.has(head)) {
        if (this.section)
          this.error(at, `${clip(this.section.name)} does not end with %end before ${clip(head)}`);
        this.section = { name: head, packages: head === '%packages', at };
        if (head === '%packages') {
          this.packagesAt = at;
          this.header(words.slice(1), at);
        }
        return;
      }
      if (!this.section) {
        this.error(
          at,
          `unknown kickstart section ${clip(head)}; expected %packages, %end, %include or one of ${[...OTHER_SECTIONS].join(', ')}`,
        );
        return;
      }
      // `%{…}` and the like inside a script are the script's business
      if (!this.section.packages) return;
      this.error(at, `unexpected ${clip(head)} in %packages; expected a package, @group or %end`);
      return;
    }
    if (this.section?.packages) this.selection(stripComment(trimmed), at);
    else if (!this.section && /^module(\s|$)/.test(trimmed))
      this.module(splitWords(stripComment(trimmed)), at);
  }

  /** `module --name=N [--stream=S] [--disable]`, options also as `--name N`. */
  private module(words: string[], at: KickstartPosition): void {
    let name: string | undefined;
    let stream: string | undefined;
    let disable = false;
    for (let i = 1; i < words.length; i++) {
      const w = words[i]!;
      const eq = w.indexOf('=');
      const key = eq > 0 ? w.slice(0, eq) : w;
      if (key === '--disable' && eq < 0) {
        disable = true;
        continue;
      }
      if (key !== '--name' && key !== '--stream') {
        this.error(at, `unknown module option \`${w}\`; expected --name, --stream or --disable`);
        return;
      }
      const value = eq > 0 ? w.slice(eq + 1) : words[++i];
      if (!value) {
        this.error(at, `module ${key} needs a value`);
        return;
      }
      if (key === '--name') name = value;
      else stream = value;
    }
    if (!name) {
      this.error(at, 'module needs --name');
      return;
    }
    this.modules.push({ name, ...(stream !== undefined && { stream }), disable, ...at });
  }

  private include(arg: string | undefined, at: KickstartPosition, stack: string[]): void {
    if (!arg) {
      this.error(at, '%include needs a file name');
      return;
    }
    const path = resolveIncludePath(at.file, arg);
    if (stack.includes(path)) {
      this.error(
        at,
        `%include cycle: ${clip([...stack.slice(stack.indexOf(path)), path].join(' -> '), CLIP_TEXT_LENGTH)}`,
      );
      return;
    }
    if (stack.length >= MAX_DEPTH) {
      this.error(at, `%include nested deeper than ${MAX_DEPTH} files`);
      return;
    }
    let text: string | undefined;
    try {
      text = this.readInclude(path);
    } catch (err) {
      // the reader refuses what it must not read (a FIFO, a device, a file over the limit)
      this.error(at, `%include ${clip(arg)}: cannot read ${clip(path)}: ${(err as Error).message}`);
      return;
    }
    if (text === undefined) {
      this.missing.push({ ...at, path });
      if (this.missingInclude === 'error') this.error(at, `%include ${clip(arg)}: cannot read ${clip(path)}`);
      return;
    }
    this.readFile(text, path, stack);
  }

  private header(args: string[], at: KickstartPosition): void {
    this.flags = emptyFlags();
    this.instLangs = undefined;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(0, eq) : arg;
      const flag = FLAG_OPTIONS[name];
      if (flag && eq < 0) {
        this.flags[flag] = true;
      } else if (VALUE_OPTIONS.has(name)) {
        const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
        if (value === undefined) {
          this.error(at, `%packages ${clip(name)} needs a value`);
        } else if ((name === '--timeout' || name === '--retries') && !/^\d+$/.test(value)) {
          this.error(
            at,
            `%packages ${clip(name)} takes a number of seconds or tries, not \`${clip(value)}\``,
          );
        } else if (name === '--instLangs' || name === '--inst-langs') {
          this.instLangs = value;
        }
      } else {
        this.error(
          at,
          `unknown %packages option \`${clip(arg)}\`; expected ${[...Object.keys(FLAG_OPTIONS), ...VALUE_OPTIONS].join(', ')}`,
        );
      }
    }
    if (this.flags.defaultPackages && this.flags.nocore) {
      this.error(at, '%packages --default and --nocore cannot be used together');
    }
  }

  private selection(text: string, at: KickstartPosition): void {
    const entry = (kind: KickstartEntry['kind'], name: string) => this.sources.push({ kind, name, ...at });
    if (text.startsWith('@^') || text.startsWith('-@^')) {
      const id = text.slice(text.indexOf('^') + 1).trim();
      if (!id) {
        this.error(at, 'an environment line needs an environment id after `@^`');
        return;
      }
      if (text.startsWith('-')) {
        entry('exclude-environment', id);
        if (this.environment?.id === id) this.environment = undefined;
      } else {
        entry('environment', id);
        this.environment = { id, at };
      }
      return;
    }
    if (text.startsWith('@')) {
      this.group(text.slice(1), at);
      return;
    }
    if (text.startsWith('-@')) {
      const id = text.slice(2).trim();
      if (!id) {
        this.error(at, 'a group exclusion needs a group id after `-@`');
        return;
      }
      entry('exclude-group', id);
      const kept = this.groups.filter((g) => g.id !== id);
      this.groups.splice(0, this.groups.length, ...kept);
      if (!this.excludeGroups.includes(id)) this.excludeGroups.push(id);
      return;
    }
    const exclude = text.startsWith('-');
    const name = (exclude ? text.slice(1) : text).trim();
    if (!name) {
      this.error(at, 'an exclusion needs a package name or glob after `-`');
      return;
    }
    if (/\s/.test(name)) {
      this.error(at, `\`${clip(name)}\` is not one package name: write one package per line`);
      return;
    }
    entry(exclude ? 'exclude' : 'package', name);
    // re-inserted, so each list is ordered by the line that decided
    this.state.delete(name);
    this.state.set(name, { include: !exclude });
  }

  private group(text: string, at: KickstartPosition): void {
    let nodefaults = false;
    let optional = false;
    const words: string[] = [];
    for (const w of text.split(/\s+/).filter(Boolean)) {
      if (w === '--nodefaults') nodefaults = true;
      else if (w === '--optional') optional = true;
      else if (w.startsWith('--')) {
        this.error(at, `unknown group option \`${clip(w)}\`; expected --nodefaults or --optional`);
        return;
      } else words.push(w);
    }
    // a group may be named by its (spaced) display name, as pykickstart allows
    const id = words.join(' ');
    if (!id) {
      this.error(at, 'a group line needs a group id after `@`');
      return;
    }
    if (nodefaults && optional) {
      this.error(at, `group ${clip(id)} cannot take both --nodefaults and --optional`);
      return;
    }
    this.sources.push({ kind: 'group', name: id, ...at });
    if (!this.groups.some((g) => g.id === id)) this.groups.push({ id, nodefaults, optional, at });
  }

  result(): KickstartPackages {
    const include: string[] = [];
    const exclude: string[] = [];
    for (const [name, s] of this.state) (s.include ? include : exclude).push(name);
    const errors = [...this.errors].sort(
      (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column,
    );
    return {
      include,
      exclude,
      groups: this.groups,
      excludeGroups: this.excludeGroups,
      ...(this.environment && { environment: this.environment }),
      ...this.flags,
      ...(this.packagesAt && { packagesAt: this.packagesAt }),
      ...(this.instLangs !== undefined && { instLangs: this.instLangs }),
      sources: this.sources,
      modules: this.modules,
      files: this.files,
      missingIncludes: this.missing,
      errors,
    };
  }
}

function emptyFlags(): Record<Flag, boolean> {
  return {
    excludeDocs: false,
    ignoreMissing: false,
    ignoreBroken: false,
    nocore: false,
    defaultPackages: false,
    excludeWeakdeps: false,
    multilib: false,
  };
}

function stripComment(text: string): string {
  const i = text.indexOf('#');
  return (i < 0 ? text : text.slice(0, i)).trimEnd();
}

/** Whitespace-separated words; a word in single or double quotes keeps its spaces (like shlex). */
function splitWords(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}
