import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import type { CheckResult, PackageRef, Subject } from '../../model/finding.js';
import { boundResult } from '../bound.js';
import {
  contentDigest,
  documentTime,
  evr,
  fileChecksum,
  rpmId,
  rpmPurl,
  type SbomOptions,
  sbomSubjects,
  spdxExpression,
  uuidV5,
} from './common.js';

const HASHES: Record<string, Enums.HashAlgorithm> = {
  SHA1: Enums.HashAlgorithm['SHA-1'],
  SHA256: Enums.HashAlgorithm['SHA-256'],
  SHA384: Enums.HashAlgorithm['SHA-384'],
  SHA512: Enums.HashAlgorithm['SHA-512'],
  MD5: Enums.HashAlgorithm.MD5,
};

/** `node:<subject id>`: the bom-ref of a layer (the host is `node:host`). */
export function nodeRef(subject: Subject): string {
  return `node:${subject.id}`;
}

function packageComponent(p: PackageRef, ref: string): Models.Component {
  const id = rpmId(p.nevra);
  const c = new Models.Component(Enums.ComponentType.Library, id.name, {
    bomRef: ref,
    version: evr(id),
    purl: rpmPurl(p) as unknown as Models.Component['purl'],
  });
  const sum = fileChecksum(p.checksum);
  const algorithm = sum && HASHES[sum.algorithm];
  if (sum && algorithm) c.hashes.set(algorithm, sum.value);
  const expression = spdxExpression(p.license);
  if (expression) c.licenses.add(new Models.LicenseExpression(expression));
  else if (p.license) c.licenses.add(new Models.NamedLicense(p.license));
  if (p.vendor) c.supplier = new Models.OrganizationalEntity({ name: p.vendor });
  const prop = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') c.properties.add(new Models.Property(name, String(value)));
  };
  prop('redproof:rpm:nevra', p.nevra);
  prop('redproof:rpm:sourceRpm', p.sourceRpm);
  if (p.license && expression !== p.license) prop('redproof:rpm:license', p.license);
  prop('redproof:rpm:repository', p.repo);
  prop('redproof:rpm:location', p.location);
  prop('redproof:rpm:buildTime', p.buildTime);
  prop('redproof:rpm:installSize', p.installSize);
  if (p.checksum?.startsWith('hdrid:')) prop('redproof:rpm:headerDigest', p.checksum);
  prop('redproof:reason', p.reason);
  return c;
}

/**
 * The family as a CycloneDX 1.6 BOM: the host an `operating-system` component (`node:host`), each node a
 * `container` nested in its parent's, each installed package a `library` in its node, and a dependency
 * from each node to its parent. Deterministic: the serial number derives from the content, the time from
 * SOURCE_DATE_EPOCH or the inputs.
 */
export function cyclonedxBom(raw: CheckResult, options: SbomOptions = {}): Models.Bom {
  const result = boundResult(raw);
  const bom = new Models.Bom({ serialNumber: `urn:uuid:${uuidV5(`cyclonedx/${contentDigest(result)}`)}` });
  bom.metadata.timestamp = documentTime(result, options);
  bom.metadata.tools.components.add(
    new Models.Component(Enums.ComponentType.Application, result.tool.name, {
      version: result.tool.version,
      description: `libsolv ${result.tool.libsolv}`,
    }),
  );
  const family = new Models.Component(Enums.ComponentType.Platform, result.target, {
    bomRef: 'family',
    description: `red-pak node family (${result.arch}), redproof ${result.command}`,
  });
  bom.metadata.component = family;
  for (const r of result.repositories ?? []) {
    const snapshot = [r.revision && `revision ${r.revision}`, r.repomdChecksum].filter(Boolean).join(', ');
    bom.metadata.properties.add(new Models.Property(`redproof:repository:${r.id}`, snapshot || r.kind));
  }
  const subjects = sbomSubjects(result);
  const components = new Map<string, Models.Component>();
  const used = new Set<string>(['family']);
  for (const s of subjects) {
    const type = s.kind === 'host' ? Enums.ComponentType.OperatingSystem : Enums.ComponentType.Container;
    const c = new Models.Component(type, s.alias ?? s.id, {
      bomRef: nodeRef(s),
      description:
        s.kind === 'host' ? 'the host: the image layer every node sits on' : `red-pak node ${s.id}`,
    });
    c.properties.add(new Models.Property('redproof:node:id', s.id));
    used.add(nodeRef(s));
    for (const p of s.packages) {
      let ref = `${nodeRef(s)}/${p.nevra}`;
      for (let n = 2; used.has(ref); n++) ref = `${nodeRef(s)}/${p.nevra}#${n}`;
      used.add(ref);
      c.components.add(packageComponent(p, ref));
    }
    const parent = s.parent !== undefined ? components.get(s.parent) : undefined;
    if (parent) {
      parent.components.add(c);
      c.dependencies.add(parent.bomRef);
    } else {
      bom.components.add(c);
      family.dependencies.add(c.bomRef);
    }
    components.set(s.id, c);
  }
  return bom;
}

/** CycloneDX 1.6 JSON text of the family's BOM. */
export function cyclonedxReporter(result: CheckResult, options: SbomOptions = {}): string {
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  // sortLists would order with localeCompare (machine-dependent): the insertion order is already stable.
  return `${serializer.serialize(cyclonedxBom(result, options), { sortLists: false, space: 2 })}\n`;
}
