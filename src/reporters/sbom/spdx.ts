import { createHash } from 'node:crypto';
import type { CheckResult, PackageRef, Subject } from '../../model/finding.js';
import { boundResult } from '../bound.js';
import {
  contentDigest,
  documentTime,
  evr,
  fileChecksum,
  isoSeconds,
  licenseRefs,
  rpmId,
  rpmPurl,
  type SbomOptions,
  sbomSubjects,
  spdxExpression,
  uuidV5,
} from './common.js';

type Json = Record<string, unknown>;

/**
 * An SPDXID from any text: `SPDXRef-` then the text with every character outside `[A-Za-z0-9.-]` replaced
 * by `-`; when that changed the text, a digest of the original follows, so two ids never collide.
 */
export function spdxId(kind: string, text: string): string {
  const clean = text.replace(/[^A-Za-z0-9.-]/g, '-');
  const suffix = clean === text ? '' : `-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
  return `SPDXRef-${kind}-${clean}${suffix}`;
}

function supplier(vendor: string | undefined): string {
  return vendor ? `Organization: ${vendor.replace(/[\r\n]+/g, ' ')}` : 'NOASSERTION';
}

/**
 * The family as an SPDX 2.3 document: it DESCRIBES the family package, which CONTAINS one package per node
 * (the host too); each node CONTAINS a package per rpm installed in it and DEPENDS_ON its parent. Purls are
 * external references, the License tag is `licenseDeclared` (an SPDX expression, or a LicenseRef with the
 * text extracted), checksums come from the repository metadata.
 */
export function spdxDocument(raw: CheckResult, options: SbomOptions = {}): Json {
  const result = boundResult(raw);
  const digest = contentDigest(result);
  const created = isoSeconds(documentTime(result, options));
  const packages: Json[] = [];
  const relationships: Json[] = [];
  const extracted = new Map<string, string>();
  const used = new Set<string>();
  const unique = (id: string) => {
    let out = id;
    for (let n = 2; used.has(out); n++) out = `${id}-${n}`;
    used.add(out);
    return out;
  };
  const familyId = unique('SPDXRef-Family');
  packages.push({
    name: result.target,
    SPDXID: familyId,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: 'OTHER',
    description: `red-pak node family (${result.arch}), proven by redproof ${result.command}`,
  });
  relationships.push({
    spdxElementId: 'SPDXRef-DOCUMENT',
    relationshipType: 'DESCRIBES',
    relatedSpdxElement: familyId,
  });
  const nodeIds = new Map<string, string>();
  const subjects: Subject[] = sbomSubjects(result);
  for (const s of subjects) {
    const id = unique(spdxId('Node', s.id));
    nodeIds.set(s.id, id);
  }
  for (const s of subjects) {
    const id = nodeIds.get(s.id)!;
    packages.push({
      name: s.alias ?? s.id,
      SPDXID: id,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      copyrightText: 'NOASSERTION',
      primaryPackagePurpose: s.kind === 'host' ? 'OPERATING_SYSTEM' : 'CONTAINER',
      description:
        s.kind === 'host' ? 'the host: the image layer every node sits on' : `red-pak node ${s.id}`,
    });
    relationships.push({ spdxElementId: familyId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
    const parent = s.parent !== undefined ? nodeIds.get(s.parent) : undefined;
    if (parent)
      relationships.push({ spdxElementId: id, relationshipType: 'DEPENDS_ON', relatedSpdxElement: parent });
    for (const p of s.packages) {
      const pid = unique(spdxId('Rpm', `${s.id}/${p.nevra}`));
      packages.push(rpmPackage(p, pid, extracted));
      relationships.push({ spdxElementId: id, relationshipType: 'CONTAINS', relatedSpdxElement: pid });
    }
  }
  const doc: Json = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${result.target} (redproof ${result.command})`,
    documentNamespace: `https://redproof.invalid/spdx/${encodeURIComponent(result.target)}-${uuidV5(`spdx/${digest}`)}`,
    creationInfo: {
      created,
      creators: [`Tool: ${result.tool.name}-${result.tool.version}`],
      comment: `libsolv ${result.tool.libsolv}; repositories: ${
        (result.repositories ?? [])
          .map(
            (r) =>
              `${r.id}${r.revision ? ` revision ${r.revision}` : ''}${r.repomdChecksum ? ` ${r.repomdChecksum}` : ''}`,
          )
          .join('; ') || 'none recorded'
      }`,
    },
    documentDescribes: [familyId],
    packages,
    relationships,
  };
  if (extracted.size > 0) {
    doc.hasExtractedLicensingInfos = [...extracted].map(([licenseId, text]) => ({
      licenseId,
      extractedText: text,
      name: text,
      comment: 'from the rpm License tag',
    }));
  }
  return doc;
}

function rpmPackage(p: PackageRef, id: string, extracted: Map<string, string>): Json {
  const rid = rpmId(p.nevra);
  let license = 'NOASSERTION';
  const expression = spdxExpression(p.license);
  if (expression) {
    license = expression;
    for (const ref of licenseRefs(expression)) {
      if (!extracted.has(ref))
        extracted.set(ref, `the license the rpm License tag \`${p.license}\` names (${ref})`);
    }
  } else if (p.license) {
    const ref = `LicenseRef-${p.license.replace(/[^A-Za-z0-9.-]/g, '-')}-${createHash('sha256').update(p.license).digest('hex').slice(0, 8)}`;
    extracted.set(ref, p.license);
    license = ref;
  }
  const out: Json = {
    name: rid.name,
    SPDXID: id,
    ...(rid.version && { versionInfo: evr(rid) }),
    packageFileName: p.location ? p.location.slice(p.location.lastIndexOf('/') + 1) : `${p.nevra}.rpm`,
    supplier: supplier(p.vendor),
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: license,
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: 'LIBRARY',
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: rpmPurl(p) },
    ],
  };
  if (p.license && expression !== p.license) out.licenseComments = `the rpm License tag: ${p.license}`;
  const sum = fileChecksum(p.checksum);
  if (sum) out.checksums = [{ algorithm: sum.algorithm, checksumValue: sum.value }];
  if (p.sourceRpm) out.sourceInfo = `built from the source rpm ${p.sourceRpm}`;
  if (p.buildTime) out.builtDate = isoSeconds(new Date(p.buildTime * 1000));
  const notes = [
    `repository ${p.repo}`,
    p.reason,
    p.checksum?.startsWith('hdrid:') && `header digest ${p.checksum}`,
  ]
    .filter(Boolean)
    .join('; ');
  if (notes) out.comment = notes;
  return out;
}

/** SPDX 2.3 JSON text of the family. */
export function spdxReporter(result: CheckResult, options: SbomOptions = {}): string {
  return `${JSON.stringify(spdxDocument(result, options), null, 2)}\n`;
}
