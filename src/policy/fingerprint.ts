import { createHash } from 'node:crypto';

/** What identifies a finding across runs: never a version, a line number or a message wording. */
export interface FingerprintParts {
  rule: string;
  node?: string;
  /** NEVRA or `name.arch` or plain name; reduced to `name.arch` so an upgrade keeps the fingerprint. */
  package?: string;
  /** Requirement text as libsolv prints it (RP001, RP020); whitespace is normalised. */
  dependency?: string;
  /** The other package (RP002, RP005, RP020), reduced like `package`, so two conflicts of one package differ. */
  other?: string;
}

/** A NEVRA split into its parts; `epoch` is absent when the NEVRA has none. */
export interface Nevra {
  name: string;
  epoch?: string;
  version: string;
  release: string;
  arch: string;
}

const NEVRA = /^(.+)-(?:(\d+):)?([^-:]+)-([^-]+)\.([^.-]+)$/;

/** Parses `name-[epoch:]version-release.arch`; `undefined` when the text is not a full NEVRA. */
export function parseNevra(text: string): Nevra | undefined {
  const match = NEVRA.exec(text);
  if (!match) {
    return undefined;
  }
  const [, name, epoch, version, release, arch] = match;
  if (!name || !version || !release || !arch) {
    return undefined;
  }
  return epoch === undefined ? { name, version, release, arch } : { name, epoch, version, release, arch };
}

/** `name.arch` of a NEVRA; any other text (a name, `name.arch`) is returned unchanged. */
export function nameArch(pkg: string): string {
  const nevra = parseNevra(pkg);
  return nevra ? `${nevra.name}.${nevra.arch}` : pkg;
}

/** Package name of a NEVRA, or the text itself when it is not a NEVRA. */
export function packageName(pkg: string): string {
  return parseNevra(pkg)?.name ?? pkg;
}

/**
 * Stable finding identity: hex sha256 (first 32 digits) of rule, node, package `name.arch`, normalised
 * dependency and other package. Used as SARIF `partialFingerprints["redproof/v1"]` and by baselines.
 */
export function fingerprint(parts: FingerprintParts): string {
  const fields = [
    'redproof/v1',
    parts.rule,
    parts.node ?? '',
    parts.package === undefined ? '' : nameArch(parts.package),
    parts.dependency === undefined ? '' : parts.dependency.trim().replace(/\s+/g, ' '),
    parts.other === undefined ? '' : nameArch(parts.other),
  ];
  // JSON keeps field boundaries unambiguous (no separator can be forged by a value).
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32);
}
