import type { Level, Span } from '../../model/finding.js';

/** One rule of a policy file, with where each of its keys is written (for findings and errors). */
export interface PolicyRule {
  /** `name:`, else `rules[N]`. */
  name: string;
  description?: string;
  nodes: string[];
  level: Level;
  allowPackages?: string[];
  denyPackages?: string[];
  allowLicenses?: string[];
  denyLicenses?: string[];
  maxInstalledSize?: { bytes: number; text: string };
  requirePackages?: string[];
  denySetuid?: boolean;
  requireSigned?: boolean;
  /** `signed-by`: long key ids (16 hex digits, lower case) one of which must have signed each package. */
  signedBy?: string[];
  /** Denied values by red-pak config key; `*` is any value; `capabilities` lists capability names. */
  denyConfig?: { key: string; values: string[] }[];
  /** The rule item (`- nodes: ...`). */
  location: Span;
  /** Each policy key of the rule, e.g. `deny-packages`, and `deny-config.share_net`. */
  keys: Readonly<Record<string, Span>>;
}

/** A parsed, valid policy file. */
export interface Policy {
  file: string;
  rules: PolicyRule[];
}

/** A package of a node, as the policy rules see it. Fields a source cannot give are undefined. */
export interface PolicyPackage {
  nevra: string;
  name: string;
  license: string | undefined;
  installSize: number;
  /** Capability names it provides (without versions). */
  provides: readonly string[];
  /** Files with their st_mode; undefined when the source has no modes (rpm-md filelists). */
  files: readonly { path: string; mode: number }[] | undefined;
  /** Header signature; undefined when the source cannot tell (rpm-md). */
  signature: PackageSignature | undefined;
  /** Where the package was asked for (manifest entry). */
  location?: Span;
}

export interface PackageSignature {
  /** Signature header tags present, e.g. `RSAHEADER`. */
  tags: string[];
  /** Issuer key id (16 hex digits, lower case) of the first OpenPGP signature, when readable. */
  keyId?: string;
  /** Set when signature tags are present but none of their OpenPGP packets is readable: why. */
  unparsable?: string;
}

/** A red-pak node configuration merged down its ancestors (child wins, admin wins over normal). */
export interface MergedConfig {
  /** Scalar keys by canonical name, with the value and where it was set. */
  scalars: ReadonlyMap<string, { value: string; node: string; location?: Span }>;
  /** Capabilities added and not dropped again, by upper-case name (`ALL` too). */
  capabilities: ReadonlyMap<string, { node: string; location?: Span }>;
}

/** A layer of the family as the policy sees it. */
export interface PolicyNode {
  /** Subject id: `host`, a node alias (manifest) or path (image). */
  id: string;
  alias?: string;
  kind: 'host' | 'node';
  location?: Span;
  own: readonly PolicyPackage[];
  /** Own packages and those of every ancestor. */
  view: readonly PolicyPackage[];
  /** undefined when the input has no node configuration (a manifest). */
  config: MergedConfig | undefined;
}
