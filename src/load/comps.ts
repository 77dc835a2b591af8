/**
 * comps (repomd `group` / `group_gz`) groups and environments, so a kickstart's `@group` and
 * `@^environment` become package requests the way dnf makes them.
 *
 * API:
 * - `parseComps(text, file) → Comps` (pure; throws InputError on malformed XML or a group without id);
 * - `mergeComps(list) → Comps`: several repositories' comps as one (libcomps `+=`: groups of the same id
 *   merge their package lists, the first repository's entry of a package winning);
 * - `groupPackages(comps, id, {nodefaults?, optional?, arch?}) → CompsPackage[]`;
 * - `environmentGroups(comps, id) → string[]`;
 * - `readRepoComps(host, repoDir, shown?) → {comps, file} | undefined` (the one function with I/O).
 *
 * What dnf 4 installs for a group (dnf/comps.py `Solver._group_install` and `_pkgs_of_type`, dnf/base.py
 * `_finalize_comps_trans`): the package types of `group_package_types`, by default mandatory, default
 * and conditional. `nodefaults` leaves out default, `optional` adds optional. A conditional package
 * `<packagereq type="conditional" requires="gtk2">ibus-gtk2</packagereq>` is not a plain install: dnf
 * installs the rich provide `(ibus-gtk2 if gtk2)`, so it comes only when gtk2 is in the transaction; the
 * caller must turn `requires` into that job (see `compsJobSpec`). A group is found by id, then by
 * exact name (kickstarts may name a group by its display name, e.g. `@Core`), case-insensitively.
 * With `arch`, a packagereq whose `arch="…"` list does not hold it is left out (libcomps
 * `arch_filter`, which dnf applies with the base arch).
 * An environment installs its `<grouplist>` groups and the `<optionlist>` groups marked
 * `default="true"` (dnf `_environment_install`).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Host } from '../host/host.js';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
import { InputError } from './errors.js';
import { readRepoMetadata } from './repo-metadata.js';

export type CompsPackageType = 'mandatory' | 'default' | 'optional' | 'conditional';

export interface CompsPackage {
  name: string;
  type: CompsPackageType;
  /** For `conditional`: the package whose presence brings this one. */
  requires?: string;
  /** `arch="x86_64,aarch64"` as a list, when given. */
  arch?: string[];
}

export interface CompsGroup {
  id: string;
  name: string;
  /** `<default>`: selected by default in installers. */
  default: boolean;
  uservisible: boolean;
  packages: CompsPackage[];
}

export interface CompsEnvironment {
  id: string;
  name: string;
  groups: string[];
  options: { id: string; default: boolean }[];
}

export interface Comps {
  groups: CompsGroup[];
  environments: CompsEnvironment[];
}

const TYPES = new Set<CompsPackageType>(['mandatory', 'default', 'optional', 'conditional']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['group', 'environment', 'packagereq', 'groupid', 'category'].includes(name),
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/** Parses comps XML text (pure). */
export function parseComps(text: string, file: string): Comps {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new InputError('comps-xml', `malformed XML: ${clip(valid.err.msg, CLIP_TEXT_LENGTH)}`, {
      file,
      line: valid.err.line,
      column: valid.err.col,
      expected: 'comps XML as repositories ship it (repomd type `group`)',
    });
  }
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    // the validator accepts what the parser refuses: tags nested thousands deep
    throw new InputError('comps-xml', `malformed XML: ${clip((err as Error).message, CLIP_TEXT_LENGTH)}`, {
      file,
      expected: 'comps XML as repositories ship it (repomd type `group`)',
    });
  }
  const root = doc.comps as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') {
    throw new InputError('comps-root', 'root element is not <comps>', { file, expected: '<comps>' });
  }
  const groups = asList(root.group).map((g) => readGroup(g, file));
  const environments = asList(root.environment).map((e) => readEnvironment(e, file));
  return { groups, environments };
}

function readGroup(g: Record<string, unknown>, file: string): CompsGroup {
  const id = text(g.id);
  if (!id)
    throw new InputError('comps-group', 'a <group> has no <id>', { file, expected: '<id>group-id</id>' });
  const list = (g.packagelist ?? {}) as Record<string, unknown>;
  const packages: CompsPackage[] = [];
  for (const p of asList(list.packagereq)) {
    const name = text(p);
    const type = String(p['@type'] ?? 'mandatory') as CompsPackageType;
    if (!name) continue;
    if (!TYPES.has(type)) {
      throw new InputError(
        'comps-packagereq',
        `group ${clip(id)}: package ${clip(name)} has type \`${clip(type)}\``,
        {
          file,
          expected: 'mandatory, default, optional or conditional',
        },
      );
    }
    const requires = p['@requires'] === undefined ? undefined : String(p['@requires']);
    const arch =
      p['@arch'] === undefined
        ? undefined
        : String(p['@arch'])
            .split(',')
            .map((a) => a.trim());
    packages.push({ name, type, ...(requires && { requires }), ...(arch && { arch }) });
  }
  return {
    id,
    name: untranslated(g.name) || id,
    default: text(g.default) === 'true',
    uservisible: text(g.uservisible) !== 'false',
    packages,
  };
}

function readEnvironment(e: Record<string, unknown>, file: string): CompsEnvironment {
  const id = text(e.id);
  if (!id) {
    throw new InputError('comps-environment', 'an <environment> has no <id>', {
      file,
      expected: '<id>env-id</id>',
    });
  }
  const ids = (x: unknown) => asList((x as Record<string, unknown> | undefined)?.groupid);
  return {
    id,
    name: untranslated(e.name) || id,
    groups: ids(e.grouplist).map(text).filter(Boolean),
    options: ids(e.optionlist)
      .map((o) => ({ id: text(o), default: o['@default'] === 'true' }))
      .filter((o) => o.id),
  };
}

/** One comps for several repositories, in repository order. */
export function mergeComps(list: readonly Comps[]): Comps {
  const groups = new Map<string, CompsGroup>();
  const envs = new Map<string, CompsEnvironment>();
  for (const c of list) {
    for (const g of c.groups) {
      const had = groups.get(g.id);
      if (!had) {
        groups.set(g.id, { ...g, packages: [...g.packages] });
        continue;
      }
      for (const p of g.packages) if (!had.packages.some((q) => q.name === p.name)) had.packages.push(p);
    }
    for (const e of c.environments) {
      const had = envs.get(e.id);
      if (!had) {
        envs.set(e.id, { ...e, groups: [...e.groups], options: [...e.options] });
        continue;
      }
      for (const id of e.groups) if (!had.groups.includes(id)) had.groups.push(id);
      for (const o of e.options) if (!had.options.some((q) => q.id === o.id)) had.options.push(o);
    }
  }
  return { groups: [...groups.values()], environments: [...envs.values()] };
}

export interface GroupOptions {
  /** Mandatory (and conditional) packages only: kickstart `@g --nodefaults`. */
  nodefaults?: boolean;
  /** Optional ones too: kickstart `@g --optional`. */
  optional?: boolean;
  /** Leave out packagereqs whose `arch` list does not hold this arch. */
  arch?: string;
}

/** The group `id` (or exact name), or an InputError naming the known groups. */
export function findGroup(comps: Comps, id: string): CompsGroup {
  const lower = id.toLowerCase();
  const g =
    comps.groups.find((x) => x.id === id) ??
    comps.groups.find((x) => x.id.toLowerCase() === lower || x.name.toLowerCase() === lower);
  if (!g) {
    throw new InputError('comps-unknown-group', `no group \`${clip(id)}\` in the repositories' comps`, {
      expected: known(
        comps.groups.map((x) => x.id),
        id,
      ),
    });
  }
  return g;
}

/** The packages dnf installs for group `id`, in comps order. */
export function groupPackages(comps: Comps, id: string, options: GroupOptions = {}): CompsPackage[] {
  const types = new Set<CompsPackageType>(['mandatory', 'conditional']);
  if (!options.nodefaults) types.add('default');
  if (options.optional) types.add('optional');
  return findGroup(comps, id).packages.filter(
    (p) => types.has(p.type) && (!options.arch || !p.arch || p.arch.includes(options.arch)),
  );
}

/** The groups dnf installs for environment `id` (or exact name). */
export function environmentGroups(comps: Comps, id: string): string[] {
  const lower = id.toLowerCase();
  const e =
    comps.environments.find((x) => x.id === id) ??
    comps.environments.find((x) => x.id.toLowerCase() === lower || x.name.toLowerCase() === lower);
  if (!e) {
    throw new InputError(
      'comps-unknown-environment',
      `no environment \`${clip(id)}\` in the repositories' comps`,
      {
        expected: known(
          comps.environments.map((x) => x.id),
          id,
          'environments',
        ),
      },
    );
  }
  return [...e.groups, ...e.options.filter((o) => o.default && !e.groups.includes(o.id)).map((o) => o.id)];
}

/** The job spec dnf installs for a comps package: a name, or `(name if requires)` for a conditional one. */
export function compsJobSpec(p: CompsPackage): string {
  return p.type === 'conditional' && p.requires ? `(${p.name} if ${p.requires})` : p.name;
}

/** Comps entries in the order they are tried. */
const COMPS_TYPES = ['group_gz', 'group', 'group_xz', 'group_zck'];

/**
 * The comps of the rpm-md repository in directory `repoDir`, or undefined when its repomd.xml lists
 * none: the first listed comps file that is present (see `readRepoMetadata`), plain, gzip or xz.
 */
export async function readRepoComps(
  host: Host,
  repoDir: string,
  shown = repoDir,
): Promise<{ comps: Comps; file: string } | undefined> {
  const got = await readRepoMetadata(host, repoDir, COMPS_TYPES, shown);
  return got && { comps: parseComps(got.text, got.file), file: got.file };
}

function asList(x: unknown): Record<string, unknown>[] {
  if (x === undefined || x === null || x === '') return [];
  return (Array.isArray(x) ? x : [x]) as Record<string, unknown>[];
}

function text(x: unknown): string {
  if (x === undefined || x === null) return '';
  if (typeof x === 'object') return String((x as Record<string, unknown>)['#text'] ?? '').trim();
  return String(x).trim();
}

/** `<name>` without `xml:lang`: the translations come as more `<name xml:lang="…">` elements. */
function untranslated(x: unknown): string {
  const list = Array.isArray(x) ? x : [x];
  const plain = list.find((n) => typeof n !== 'object' || n === null || !('@xml:lang' in n));
  return text(plain);
}

function known(ids: string[], wanted: string, noun = 'groups'): string {
  const near = ids.filter((i) => i.includes(wanted) || wanted.includes(i)).slice(0, 5);
  const shown = (near.length ? near : ids.slice(0, 8)).map((i) => `\`${clip(i)}\``).join(', ');
  return ids.length ? `one of ${ids.length} ${noun}, e.g. ${shown}` : 'a repository that ships comps';
}
