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
import { parseKickstart, resolveIncludePath } from '../../load/kickstart.js';
import type { Manifest, Request } from '../../load/manifest.js';
import type { RepoSpec } from '../../load/repository.js';
import { clip } from '../../util/clip.js';

export interface KickstartInput {
  requests: Request[];
  excludes: Request[];
  /** Requests that may match nothing (`%packages --ignoremissing`). */
  optional: Set<Request>;
  /** Options of the kickstart's groups, by id. */
  groupOptions: Map<string, { nodefaults: boolean; optional: boolean }>;
  /** `--exclude-weakdeps`. */
  noWeakDeps: boolean;
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
  const parsed = parseKickstart(text, shown, (path) => {
    const t = readSync(toAbs(resolveIncludePath(shown, path)));
    if (t !== undefined) sources.set(resolveIncludePath(shown, path), t);
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
  const span = (kind: string, name: string): Request['span'] => {
    const at = parsed.sources.find((s) => s.kind === kind && s.name === name);
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
  for (const g of parsed.groups) {
    requests.push({ text: `@${g.id}`, span: span('group', g.id) });
    groupOptions.set(g.id, { nodefaults: g.nodefaults, optional: g.optional });
  }
  if (parsed.environment)
    requests.push({ text: `@^${parsed.environment.id}`, span: span('environment', parsed.environment.id) });
  for (const name of parsed.include) requests.push({ text: name, span: span('package', name) });
  const excludes = parsed.exclude.map((name) => ({ text: name, span: span('exclude', name) }));
  return {
    requests,
    excludes,
    optional: new Set(parsed.ignoreMissing ? requests : []),
    groupOptions,
    noWeakDeps: parsed.excludeWeakdeps,
    sources,
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
 * (as dnf takes them), or undefined for a group the comps do not have. Conditional packages are left out:
 * dnf installs them only when their condition package is in the transaction, which a lock cannot know
 * before solving.
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
