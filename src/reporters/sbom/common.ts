import { createHash } from 'node:crypto';
import { PackageURL } from 'packageurl-js';
import { parseNevra } from '../../load/manifest-nevra.js';
import type { CheckResult, PackageRef, Subject } from '../../model/finding.js';
import { normalizeLicense } from '../../policy/licenses/normalize.js';
import { orderSubjects } from '../common.js';

/** Options both SBOM writers take. */
export interface SbomOptions {
  /** Seconds since the epoch for the document's creation time (the CLI passes SOURCE_DATE_EPOCH). */
  sourceDateEpoch?: number;
}

/** A package's rpm identity, from its NEVRA. */
export interface RpmId {
  name: string;
  epoch?: number;
  version: string;
  release: string;
  arch: string;
}

/** Parses a NEVRA; a text that is not one (a broken rpmdb entry) keeps its whole text as the name. */
export function rpmId(nevra: string): RpmId {
  const n = parseNevra(nevra);
  if (n) return n;
  return { name: nevra, version: '', release: '', arch: '' };
}

/** `[epoch:]version-release`, as rpm prints it. */
export function evr(id: RpmId): string {
  if (!id.version) return '';
  return `${id.epoch === undefined ? '' : `${id.epoch}:`}${id.version}-${id.release}`;
}

/**
 * The purl namespace of an rpm: its vendor, lowercased to one token as the purl spec's rpm type wants
 * (`Fedora Project` → `fedora`, `Red Hat, Inc.` → `redhat`). Without a vendor the namespace is `unknown`:
 * guessing a distribution from the release tag would put a false claim in an audit document.
 */
export function purlNamespace(vendor: string | undefined): string {
  if (!vendor) return 'unknown';
  const v = vendor.toLowerCase();
  if (v.startsWith('red hat')) return 'redhat';
  if (v.startsWith('fedora')) return 'fedora';
  const word = v.split(/[\s,]+/).find((w) => /[a-z0-9]/.test(w)) ?? 'unknown';
  return word.replace(/[^a-z0-9.+-]/g, '') || 'unknown';
}

/** `pkg:rpm/<namespace>/<name>@<version>-<release>?arch=…&epoch=…` (purl spec, rpm type). */
export function rpmPurl(p: PackageRef): string {
  const id = rpmId(p.nevra);
  const qualifiers: Record<string, string> = {};
  if (id.arch) qualifiers.arch = id.arch;
  if (id.epoch !== undefined) qualifiers.epoch = String(id.epoch);
  return new PackageURL(
    'rpm',
    purlNamespace(p.vendor),
    id.name,
    id.version ? `${id.version}-${id.release}` : undefined,
    qualifiers,
    undefined,
  ).toString();
}

/**
 * The rpm License tag as an SPDX expression, read the way `--policy` reads it (src/policy/licenses: SPDX
 * as written, Fedora's legacy names, spelling fixes by spdx-correct), but only where that reading states no
 * more than the tag: an ambiguous legacy name (`BSD`: which one?) or a list without operator, which the
 * policy reads as all candidates together, stays a license name here. An SBOM must not claim a license the
 * packager did not write.
 */
export function spdxExpression(license: string | undefined): string | undefined {
  if (!license?.trim()) return undefined;
  const n = normalizeLicense(license);
  if (n.expression === undefined) return undefined;
  if (n.notes.some((note) => /is ambiguous|has no operator/.test(note))) return undefined;
  return n.expression;
}

/** The `LicenseRef-…` ids an expression uses (each needs its text in an SPDX document). */
export function licenseRefs(expression: string): string[] {
  return [...new Set(expression.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? [])];
}

/** The creation time: SOURCE_DATE_EPOCH, else the newest build time of the packages, else repomd revisions. */
export function documentTime(result: CheckResult, options: SbomOptions): Date {
  if (options.sourceDateEpoch !== undefined) return new Date(options.sourceDateEpoch * 1000);
  let newest = 0;
  for (const s of result.subjects) for (const p of s.packages) newest = Math.max(newest, p.buildTime ?? 0);
  if (newest === 0) {
    for (const r of result.repositories ?? []) {
      if (r.revision && /^[0-9]{9,11}$/.test(r.revision)) newest = Math.max(newest, Number(r.revision));
    }
  }
  return new Date(newest * 1000);
}

/** ISO 8601 to the second, `Z` (what SPDX's `created` wants). */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** A digest of everything the SBOM says: identical inputs give the identical serial number and namespace. */
export function contentDigest(result: CheckResult): string {
  const h = createHash('sha256');
  h.update(
    `${result.command}\0${result.target}\0${result.arch}\0${result.tool.version}\0${result.tool.libsolv}\0`,
  );
  for (const r of [...(result.repositories ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    h.update(`repo\0${r.id}\0${r.revision ?? ''}\0${r.repomdChecksum ?? ''}\0`);
  }
  for (const s of orderSubjects(result.subjects)) {
    h.update(`subject\0${s.id}\0${s.parent ?? ''}\0`);
    for (const p of s.packages) h.update(`${p.nevra}\0${p.repo}\0${p.checksum ?? ''}\0`);
  }
  return h.digest('hex');
}

/** An RFC 9562 version-5 UUID (SHA-1, name-based) of `name` in redproof's namespace. */
export function uuidV5(name: string): string {
  // The URL namespace of RFC 9562 (6ba7b811-...), for the name `https://redproof.invalid/sbom/<name>`.
  const ns = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const bytes = createHash('sha1')
    .update(ns)
    .update(`https://redproof.invalid/sbom/${name}`)
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Subjects in tree order that belong in an SBOM (the host and nodes; repositories of repo-check too). */
export function sbomSubjects(result: CheckResult): Subject[] {
  return orderSubjects(result.subjects);
}

/** `sha256:HEX` → algorithm and value; undefined for header digests (`hdrid:`), which hash no file. */
export function fileChecksum(checksum: string | undefined): { algorithm: string; value: string } | undefined {
  if (!checksum) return undefined;
  const colon = checksum.indexOf(':');
  const type = checksum.slice(0, colon).toLowerCase();
  const value = checksum.slice(colon + 1);
  const algorithm = {
    sha: 'SHA1',
    sha1: 'SHA1',
    sha224: 'SHA224',
    sha256: 'SHA256',
    sha384: 'SHA384',
    sha512: 'SHA512',
    md5: 'MD5',
  }[type];
  return algorithm ? { algorithm, value } : undefined;
}
