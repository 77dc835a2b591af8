import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

/*
 * Writes small random repositories as createrepo_c writes them (primary.xml, repodata/repomd.xml with
 * checksums and sizes), for property tests that read them back through the real loader.
 */

/** One package of a generated repository: version 1.0 (or `ver`), release 1. */
export interface Pkg {
  name: string;
  /** `1.0` by default; another version for a second build of a name (then listed by NEVRA in the manifest). */
  ver?: string;
  arch: 'x86_64' | 'noarch';
  provides: string[];
  requires: string[];
  /** Weak requirements (`Recommends:`), when a test asks for them. */
  recommends?: string[];
  conflicts: string[];
  /** Paths shipped (primary.xml `<file>`); a path that is the parent of another one is a directory. */
  files?: string[];
  /** `%ghost` paths (`<file type="ghost">`). */
  ghosts?: string[];
  /** Directory entries (`<file type="dir">`). */
  dirs?: string[];
  /** Name of the source rpm (default: the package's own name); its EVR is the package's. */
  source?: string;
  /** Installed size (default 100). */
  installed?: number;
}

export const nevra = (p: Pkg) => `${p.name}-${p.ver ?? '1.0'}-1.${p.arch}`;

/**
 * A random package `pk<i>` for property tests: x86_64 twice as often as noarch, up to two provided
 * capabilities, up to three requirements, and, when asked, one conflict and up to two of `paths`.
 */
export function pkgArb(
  i: number,
  deps: { cap: fc.Arbitrary<string>; depName: fc.Arbitrary<string> },
  options: {
    conflicts: boolean;
    paths?: readonly string[];
    /** Also ghost entries among `paths`, directory entries among `dirs`, and a shared source rpm. */
    fileTypes?: { dirs: readonly string[] };
  },
): fc.Arbitrary<Pkg> {
  const base = pkgBaseArb(i, deps, options);
  const types = options.fileTypes;
  if (!types || !options.paths?.length) return base;
  const paths = options.paths;
  return base.chain((p) =>
    fc
      .record({
        ghosts: fc.uniqueArray(fc.constantFrom(...paths), { maxLength: 2 }),
        dirs: fc.uniqueArray(fc.constantFrom(...types.dirs), { maxLength: 2 }),
        source: fc.constantFrom(p.name, 'srcA'),
      })
      .map((t) => ({ ...p, ...t, ghosts: t.ghosts.filter((g) => !(p.files ?? []).includes(g)) })),
  );
}

function pkgBaseArb(
  i: number,
  deps: { cap: fc.Arbitrary<string>; depName: fc.Arbitrary<string> },
  options: { conflicts: boolean; paths?: readonly string[] },
): fc.Arbitrary<Pkg> {
  return fc.record({
    name: fc.constant(`pk${i}`),
    arch: fc.constantFrom<Pkg['arch']>('x86_64', 'x86_64', 'noarch'),
    provides: fc.uniqueArray(deps.cap, { maxLength: 2 }),
    requires: fc.uniqueArray(deps.depName, { maxLength: 3 }),
    conflicts: options.conflicts ? fc.uniqueArray(deps.depName, { maxLength: 1 }) : fc.constant<string[]>([]),
    files: options.paths?.length
      ? fc.uniqueArray(fc.constantFrom(...options.paths), { maxLength: 2 })
      : fc.constant<string[]>([]),
  });
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function primaryXml(pkgs: Pkg[]): string {
  const entries = (tag: string, names: string[]) =>
    names.length === 0
      ? ''
      : `      <rpm:${tag}>\n${names.map((d) => `        <rpm:entry name="${xmlEscape(d)}"/>\n`).join('')}      </rpm:${tag}>\n`;
  const body = pkgs
    .map((p) => {
      const ver = p.ver ?? '1.0';
      const sum = createHash('sha256').update(nevra(p)).digest('hex');
      return `<package type="rpm">
  <name>${p.name}</name>
  <arch>${p.arch}</arch>
  <version epoch="0" ver="${ver}" rel="1"/>
  <checksum type="sha256" pkgid="YES">${sum}</checksum>
  <summary>${p.name}</summary>
  <description>${p.name} (property test)</description>
  <packager></packager>
  <url></url>
  <time file="1700000000" build="1700000000"/>
  <size package="1000" installed="${p.installed ?? 100}" archive="200"/>
  <location href="Packages/${nevra(p)}.rpm"/>
  <format>
    <rpm:license>MIT</rpm:license>
    <rpm:vendor></rpm:vendor>
    <rpm:group>Unspecified</rpm:group>
    <rpm:buildhost>build.redproof.invalid</rpm:buildhost>
    <rpm:sourcerpm>${p.source ?? p.name}-${ver}-1.src.rpm</rpm:sourcerpm>
    <rpm:header-range start="4504" end="6000"/>
      <rpm:provides>
        <rpm:entry name="${p.name}" flags="EQ" epoch="0" ver="${ver}" rel="1"/>
${p.provides.map((c) => `        <rpm:entry name="${c}"/>\n`).join('')}      </rpm:provides>
${entries('requires', p.requires)}${entries('recommends', p.recommends ?? [])}${entries('conflicts', p.conflicts)}${(p.files ?? []).map((f) => `    <file>${f}</file>\n`).join('')}${(p.ghosts ?? []).map((f) => `    <file type="ghost">${f}</file>\n`).join('')}${(p.dirs ?? []).map((f) => `    <file type="dir">${f}</file>\n`).join('')}  </format>
</package>
`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="${pkgs.length}">
${body}</metadata>
`;
}

/** repomd.xml for a primary.xml and, when given, an updateinfo.xml (both uncompressed). */
export function repomdXml(primary: Buffer, updateinfo?: Buffer): string {
  const data = (type: string, bytes: Buffer) => {
    const sum = createHash('sha256').update(bytes).digest('hex');
    return `  <data type="${type}">
    <checksum type="sha256">${sum}</checksum>
    <open-checksum type="sha256">${sum}</open-checksum>
    <location href="repodata/${sum}-${type}.xml"/>
    <timestamp>1700000000</timestamp>
    <size>${bytes.length}</size>
    <open-size>${bytes.length}</open-size>
  </data>
`;
  };
  return `<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>1700000000</revision>
${data('primary', primary)}${updateinfo ? data('updateinfo', updateinfo) : ''}</repomd>
`;
}

/** One advisory of a generated updateinfo.xml: its packages as `Pkg`s of the repository. */
export interface Advisory {
  id: string;
  type: 'security' | 'bugfix' | 'enhancement';
  packages: Pkg[];
}

export function updateinfoXml(advisories: Advisory[]): string {
  const body = advisories
    .map(
      (a) => `  <update from="test@redproof.invalid" status="stable" type="${a.type}" version="1">
    <id>${a.id}</id>
    <title>${a.id}</title>
    <issued date="2024-01-01"/>
    <severity>Important</severity>
    <description>${a.id} (generated)</description>
    <pkglist>
      <collection short="c">
        <name>c</name>
${a.packages
  .map(
    (
      p,
    ) => `        <package name="${p.name}" version="${p.ver ?? '1.0'}" release="1" epoch="0" arch="${p.arch}"><filename>${nevra(p)}.rpm</filename></package>
`,
  )
  .join('')}      </collection>
    </pkglist>
  </update>
`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<updates>
${body}</updates>
`;
}

/** Writes DIR/repodata (primary.xml, updateinfo.xml when advisories are given, repomd.xml). */
export function writeRpmMd(dir: string, pkgs: Pkg[], advisories?: Advisory[]): void {
  mkdirSync(join(dir, 'repodata'), { recursive: true });
  const primary = Buffer.from(primaryXml(pkgs));
  const write = (type: string, bytes: Buffer) =>
    writeFileSync(
      join(dir, 'repodata', `${createHash('sha256').update(bytes).digest('hex')}-${type}.xml`),
      bytes,
    );
  write('primary', primary);
  const ui = advisories ? Buffer.from(updateinfoXml(advisories)) : undefined;
  if (ui) write('updateinfo', ui);
  writeFileSync(join(dir, 'repodata', 'repomd.xml'), repomdXml(primary, ui));
}
