import type { EvidenceStep, Finding } from '../../model/finding.js';
import { fingerprint } from '../../policy/fingerprint.js';
import { ruleHelp, ruleMessage } from '../../rules/catalog.js';
import type { PackageSummary, Pool, Solvable } from '../../solver/index.js';
import { CLIP_TEXT_LENGTH, clip } from '../../util/clip.js';
import type { Family } from '../family.js';

/** Header digests as hex (empty when unknown): SHA256HEADER (tag 273) and SHA1HEADER (tag 269). */
export interface HeaderDigests {
  sha256: string;
  sha1: string;
}

export interface ProvenanceInput {
  pool: Pool;
  family: Family;
  info: (id: number) => PackageSummary;
  /** Solvable ids of the packages of the given repositories. */
  repoPackages: readonly number[];
  /** Header digests of an installed package (from its rpmdb header, or libsolv's `hdrid` for a .solv). */
  installedDigests: (id: number) => HeaderDigests;
  /**
   * Header digests of a repository package, read from its rpm file's signature header when the file
   * is at hand next to the metadata; `undefined` when it is not (remote repositories, metadata only).
   */
  repoDigests: (id: number) => Promise<HeaderDigests | undefined>;
}

/** What both primary.xml and an installed header carry besides the NEVRA (all inside the signed header). */
const METADATA_FIELDS = [
  ['buildTime', 'build time'],
  ['sourceRpm', 'source rpm'],
  ['installSize', 'installed size'],
] as const satisfies ReadonlyArray<readonly [keyof Solvable, string]>;

type Verdict = { same: true; how: string } | { same: false; why: string[] };

/**
 * Compare an installed package with a repository package of the same NEVRA. The strongest identity
 * available wins: the header digest when the rpm file is readable (SHA-256, else SHA-1), otherwise
 * the fields primary.xml repeats from the header. Every one of those fields lies inside the header's
 * immutable region, so any difference proves the header digests differ too; equal fields are the
 * best rpm-md alone can say (its `pkgid` is the digest of the whole rpm file, which no rpmdb keeps).
 */
function compare(
  inst: Solvable,
  repo: Solvable,
  idig: HeaderDigests,
  rdig: HeaderDigests | undefined,
): Verdict {
  if (rdig !== undefined) {
    if (idig.sha256 && rdig.sha256) {
      return idig.sha256 === rdig.sha256
        ? { same: true, how: `header SHA-256 ${idig.sha256}` }
        : { same: false, why: [`header SHA-256 ${idig.sha256} installed, ${rdig.sha256} in the rpm file`] };
    }
    if (idig.sha1 && rdig.sha1) {
      return idig.sha1 === rdig.sha1
        ? { same: true, how: `header SHA-1 ${idig.sha1}` }
        : { same: false, why: [`header SHA-1 ${idig.sha1} installed, ${rdig.sha1} in the rpm file`] };
    }
  }
  const why: string[] = [];
  for (const [key, label] of METADATA_FIELDS) {
    const a = inst[key] ?? '';
    const b = repo[key] ?? '';
    if (a !== b) why.push(`${label} ${show(key, a)} installed, ${show(key, b)} in the repository`);
  }
  return why.length === 0
    ? { same: true, how: 'build time, source rpm and installed size' }
    : { same: false, why };
}

function show(key: string, v: string | number): string {
  if (key === 'buildTime' && typeof v === 'number' && v > 0)
    return `${v} (${new Date(v * 1000).toISOString()})`;
  return `\`${v}\``;
}

/**
 * RP014 not-from-repositories: every installed package (every layer, the host included) must match a
 * package of the given repositories by NEVRA and header identity; otherwise it came from somewhere
 * that was not audited. Reported at the layer holding the package.
 */
export async function notFromRepositories(input: ProvenanceInput): Promise<Finding[]> {
  const { pool, family, info } = input;
  const byNevra = new Map<string, number[]>();
  for (const id of input.repoPackages) {
    const n = info(id).nevra;
    const list = byNevra.get(n);
    if (list) list.push(id);
    else byNevra.set(n, [id]);
  }
  const solvables = new Map<number, Solvable>();
  const solvable = (id: number): Solvable => {
    let s = solvables.get(id);
    if (!s) {
      s = pool.solvable(id);
      solvables.set(id, s);
    }
    return s;
  };
  const findings: Finding[] = [];
  for (const layer of family.layers) {
    for (const { id } of layer.packages) {
      const s = info(id);
      if (s.name === 'gpg-pubkey') continue; // keys imported with `rpm --import`: never in a repository
      const idig = input.installedDigests(id);
      const candidates = byNevra.get(s.nevra) ?? [];
      const evidence: EvidenceStep[] = [
        {
          role: 'installed',
          text: `header digest ${idig.sha256 ? `sha256:${idig.sha256}` : idig.sha1 ? `sha1:${idig.sha1}` : 'unknown'}`,
          package: s.nevra,
          node: layer.id,
        },
      ];
      const data = { package: s.nevra, node: layer.id };
      if (candidates.length === 0) {
        findings.push(finding('unknown', s, layer.id, data, evidence));
        continue;
      }
      let matched = false;
      for (const c of candidates) {
        const v = compare(solvable(id), solvable(c), idig, await input.repoDigests(c));
        if (v.same) {
          matched = true;
          break;
        }
        const r = info(c);
        for (const why of v.why) {
          evidence.push({
            role: 'differs',
            text: `\`${clip(r.nevra)}\` in \`${clip(r.repo)}\`: ${clip(why, CLIP_TEXT_LENGTH)}`,
            package: r.nevra,
            repo: r.repo,
          });
        }
      }
      if (matched) continue;
      const first = info(candidates[0]!);
      findings.push(finding('digest', s, layer.id, { ...data, repo: first.repo }, evidence, first.nevra));
    }
  }
  return findings;
}

function finding(
  kind: 'unknown' | 'digest',
  s: PackageSummary,
  node: string,
  data: Record<string, string>,
  evidence: EvidenceStep[],
  other?: string,
): Finding {
  return {
    rule: 'RP014',
    slug: 'not-from-repositories',
    level: 'warning',
    node,
    package: s.nevra,
    ...(data.repo !== undefined && { repo: data.repo }),
    ...(other !== undefined && { other }),
    message: ruleMessage('RP014', kind, data),
    help: ruleHelp('RP014', data),
    evidence,
    fingerprint: fingerprint({ rule: 'RP014', node, package: s.nevra }),
  };
}
