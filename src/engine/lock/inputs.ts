/**
 * The inputs of a lock beyond the manifest: the host's kickstart `%packages` selection and the comps
 * groups of the repositories, turned into the requests and group expansion the resolver takes.
 */
import { type Host, HostError } from '../../host/host.js';
import { DEFAULT_LIMITS } from '../../limits/limits.js';
import {
  type Comps,
  compsJobSpec,
  environmentGroups,
  groupPackages,
  mergeComps,
  readRepoComps,
} from '../../load/comps.js';
import { InputError } from '../../load/errors.js';
import { parseKickstart } from '../../load/kickstart.js';
import type { Manifest, Request } from '../../load/manifest.js';
import type { RepoSpec } from '../../load/repository.js';
import { clip } from '../../util/clip.js';
import type { StreamLevel } from '../transaction/candidates.js';
import type { ConditionalPackage } from './conditional.js';

export interface KickstartInput {
  requests: Request[];
  excludes: Request[];
  /** Requests that may match nothing (`%packages --ignoremissing`). */
  optional: Set<Request>;
  /** Options of the kickstart's groups, by id. */
  groupOptions: Map<string, { nodefaults: boolean; optional: boolean }>;
  /** `-@group` lines (and `core` with `--nocore`): groups no environment request installs either. */
  excludeGroups: string[];
  /** `--exclude-weakdeps`. */
  noWeakDeps: boolean;
  /** The `module` commands, as one level of the host's module streams (spans into the kickstart). */
  modules: StreamLevel;
  /** Kickstart files read (for code frames), shown path → text. */
  sources: Map<string, string>;
}

/**
 * The host requests of `host.kickstart`. `readSync` reads a `%include` (absolute path); the kickstart
 * itself is read through `host`.
 */
export async function kickstartInput(
  host: Host,
  manifest: Manifest,
  manifestFile: string,
  manifestAbsDir: string,
  readSync: (absPath: string) => string | undefined,
): Promise<KickstartInput | undefined> {
  const ks = manifest.host?.kickstart;
  if (!ks) return undefined;
  const abs = ks.text.startsWith('/') ? ks.text : `${manifestAbsDir}/${ks.text}`;
  const slash = manifestFile.lastIndexOf('/');
  const shown = ks.text.startsWith('/')
    ? ks.text
    : `${slash >= 0 ? manifestFile.slice(0, slash + 1) : ''}${ks.text}`;
  let text: string;
  try {
    // a kickstart is a policy-sized text, and never a FIFO or a device (refused by the host)
    text = await host.readText(abs, { maxBytes: (host.limits ?? DEFAULT_LIMITS).policySize });
  } catch (cause) {
    const code = cause instanceof HostError ? cause.code : undefined;
    const why =
      code === 'ENOTREG' || code === 'EFBIG'
        ? `: ${(cause as HostError).message.replace(/^reading `[^`]*`: /, '')}${code === 'EFBIG' ? ' (--limit policy-size)' : ''}`
        : code === 'ENOENT'
          ? ': no such file'
          : code === 'EACCES'
            ? ': permission denied'
            : '';
    throw new InputError('kickstart-unreadable', `cannot read the kickstart \`${clip(ks.text)}\`${why}`, {
      file: ks.span.file,
      line: ks.span.line,
      column: ks.span.column,
      expected: 'a kickstart file, relative to the manifest',
      cause,
    });
  }
  const sources = new Map<string, string>([[shown, text]]);
  // %include paths are resolved against the shown path; map them back onto the disk
  const toAbs = (p: string) =>
    p.startsWith('/') ? p : `${manifestAbsDir}/${p.slice(shown.length - ks.text.length)}`;
  // the parser hands over the include path already resolved against the including file
  const parsed = parseKickstart(text, shown, (path) => {
    const t = readSync(toAbs(path));
    if (t !== undefined) sources.set(path, t);
    return t;
  });
  const e = parsed.errors[0];
  if (e) {
    throw new InputError('kickstart', e.message, {
      file: e.file,
      line: e.line,
      column: e.column,
      expected: 'a kickstart %packages section as pykickstart reads it',
    });
  }
  if (parsed.defaultPackages) {
    const at = parsed.packagesAt!;
    throw new InputError(
      'kickstart-default',
      "%packages --default (the install tree's default environment) is not supported",
      { file: at.file, line: at.line, column: at.column, expected: 'the environment named with `@^id`' },
    );
  }
  // a package or exclusion is decided by the last line naming it, a group by the first (pykickstart)
  const span = (kind: string, name: string): Request['span'] => {
    const lines = parsed.sources.filter((s) => s.kind === kind && s.name === name);
    const at = kind === 'package' || kind === 'exclude' ? lines[lines.length - 1] : lines[0];
    return at
      ? {
          file: at.file,
          line: at.line,
          column: at.column,
          endLine: at.line,
          endColumn: at.column + name.length,
        }
      : ks.span;
  };
  const requests: Request[] = [];
  const groupOptions = new Map<string, { nodefaults: boolean; optional: boolean }>();
  // anaconda (`get_installation_specs`) adds @core unless `--nocore`, which excludes it instead, so
  // `--nocore` also drops an `@core` line; `-@core` excludes it as any `-@group`
  const isCore = (id: string) => id.toLowerCase() === 'core';
  const excludeGroups = [...parsed.excludeGroups, ...(parsed.nocore ? ['core'] : [])];
  const excludedGroup = (id: string) => excludeGroups.some((g) => g.toLowerCase() === id.toLowerCase());
  if (!parsed.nocore && !parsed.groups.some((g) => isCore(g.id)) && !excludedGroup('core')) {
    const at = parsed.packagesAt;
    requests.push({
      text: '@core',
      span: at
        ? { file: at.file, line: at.line, column: at.column, endLine: at.line, endColumn: at.column + 9 }
        : ks.span,
    });
  }
  for (const g of parsed.groups) {
    if (excludedGroup(g.id)) continue;
    requests.push({ text: `@${g.id}`, span: span('group', g.id) });
    groupOptions.set(g.id, { nodefaults: g.nodefaults, optional: g.optional });
  }
  if (parsed.environment)
    requests.push({ text: `@^${parsed.environment.id}`, span: span('environment', parsed.environment.id) });
  for (const name of parsed.include) requests.push({ text: name, span: span('package', name) });
  const excludes = parsed.exclude.map((name) => ({ text: name, span: span('exclude', name) }));
  // anaconda (payload `_process_module_command`) disables the `--disable` modules, then enables the
  // others: an enabled module stays enabled; dnf enables one stream per module
  const moduleSpan = (m: (typeof parsed.modules)[number]): Request['span'] => ({
    file: m.file,
    line: m.line,
    column: m.column,
    endLine: m.line,
    endColumn: m.column + 'module'.length,
  });
  const enable = new Map<string, Request>();
  for (const m of parsed.modules) {
    if (m.disable) continue;
    const text = m.stream ? `${m.name}:${m.stream}` : m.name;
    const had = enable.get(m.name);
    if (had && had.text !== text) {
      throw new InputError(
        'kickstart-module',
        `module \`${m.name}\` is enabled twice: \`${had.text}\` (line ${had.span.line}) and \`${text}\``,
        {
          file: m.file,
          line: m.line,
          column: m.column,
          expected: 'one stream per module (dnf: "Cannot enable multiple streams for module")',
        },
      );
    }
    if (!had) enable.set(m.name, { text, span: moduleSpan(m) });
  }
  const modules: StreamLevel = {
    disable: parsed.modules
      .filter((m) => m.disable && !enable.has(m.name))
      .map((m) => ({ text: m.name, span: moduleSpan(m) })),
    enable: [...enable.values()],
  };
  return {
    requests,
    excludes,
    optional: new Set(parsed.ignoreMissing ? requests : []),
    groupOptions,
    excludeGroups,
    noWeakDeps: parsed.excludeWeakdeps,
    modules,
    sources,
  };
}

/**
 * The kickstart's environment request (`@^id`) as its groups, less the excluded ones, as dnf's
 * `environment_install(exclude_groups=…)` installs it from anaconda's exclude list; each group request
 * keeps the environment line's span. An environment the comps do not have stays as it is (and is
 * refused as a request that matches nothing).
 */
export function expandKickstartEnvironment(ks: KickstartInput, comps: Comps | undefined): KickstartInput {
  const env = ks.requests.find((r) => r.text.startsWith('@^'));
  if (!env || !comps) return ks;
  let groups: string[];
  try {
    groups = environmentGroups(comps, env.text.slice(2));
  } catch (err) {
    if (err instanceof InputError) return ks;
    throw err;
  }
  const excluded = (id: string) => ks.excludeGroups.some((g) => g.toLowerCase() === id.toLowerCase());
  const have = new Set(ks.requests.map((r) => r.text));
  const expanded = groups
    .filter((g) => !excluded(g) && !have.has(`@${g}`))
    .map((g) => ({ text: `@${g}`, span: env.span }));
  const optional = new Set(ks.optional);
  if (optional.has(env)) for (const r of expanded) optional.add(r);
  return {
    ...ks,
    requests: ks.requests.flatMap((r) => (r === env ? expanded : [r])),
    optional,
  };
}

/** The comps of every rpm-md directory repository, merged; undefined when none has comps. */
export async function repoComps(host: Host, specs: readonly RepoSpec[]): Promise<Comps | undefined> {
  const list: Comps[] = [];
  for (const s of specs) {
    const st = await host.stat(s.absPath).catch(() => undefined);
    if (st?.type !== 'dir') continue;
    const c = await readRepoComps(host, s.absPath, s.path);
    if (c) list.push(c.comps);
  }
  return list.length ? mergeComps(list) : undefined;
}

/**
 * The package specs a group request (`@id`, `@^environment`) installs: mandatory and default packages
 * (as dnf takes them), or undefined for a group the comps do not have. Conditional packages are not
 * specs: dnf installs them only when their condition package is installed (`groupConditionals`).
 */
export function groupExpander(
  comps: Comps | undefined,
  arch: string,
  options: Map<string, { nodefaults: boolean; optional: boolean }> = new Map(),
): (id: string) => string[] | undefined {
  return (id) => {
    if (!comps) return undefined;
    try {
      const groups = id.startsWith('^') ? environmentGroups(comps, id.slice(1)) : [id];
      const out: string[] = [];
      for (const g of groups) {
        const o = options.get(g) ?? { nodefaults: false, optional: false };
        for (const p of groupPackages(comps, g, { ...o, arch })) {
          if (p.type === 'conditional') continue;
          const spec = compsJobSpec(p);
          if (!out.includes(spec)) out.push(spec);
        }
      }
      return out;
    } catch (err) {
      if (err instanceof InputError) return undefined;
      throw err;
    }
  };
}

/**
 * The conditional packages of a group request (`@id`, `@^environment`), with the package each needs;
 * none for a group the comps do not have (the group request itself is then refused).
 */
export function groupConditionals(
  comps: Comps | undefined,
  arch: string,
  options: Map<string, { nodefaults: boolean; optional: boolean }> = new Map(),
): (id: string) => ConditionalPackage[] {
  return (id) => {
    if (!comps) return [];
    try {
      const groups = id.startsWith('^') ? environmentGroups(comps, id.slice(1)) : [id];
      const out: ConditionalPackage[] = [];
      for (const g of groups) {
        const o = options.get(g) ?? { nodefaults: false, optional: false };
        for (const p of groupPackages(comps, g, { ...o, arch })) {
          if (p.type !== 'conditional' || !p.requires) continue;
          if (!out.some((c) => c.name === p.name && c.requires === p.requires))
            out.push({ name: p.name, requires: p.requires });
        }
      }
      return out;
    } catch (err) {
      if (err instanceof InputError) return [];
      throw err;
    }
  };
}
