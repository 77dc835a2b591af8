import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { describe, expect, it } from 'vitest';
import { purlNamespace, rpmPurl, spdxExpression, uuidV5 } from '../../src/reporters/sbom/common.js';
import { cyclonedxReporter } from '../../src/reporters/sbom/cyclonedx.js';
import { spdxDocument, spdxId } from '../../src/reporters/sbom/spdx.js';
import { checkDocuments, EXAMPLE_FAMILIES, syntheticResult } from './report-helpers.js';

// CycloneDX is validated here with the library's own strict validator (its schemas ship in the npm
// package); SPDX against the official schema in test/system/reports.test.ts, which reads ../shared/sbom.

interface CdxComponent {
  type: string;
  name: string;
  version?: string;
  'bom-ref': string;
  purl?: string;
  components?: CdxComponent[];
  properties?: { name: string; value: string }[];
  hashes?: { alg: string; content: string }[];
  licenses?: ({ expression: string } | { license: { name: string } })[];
}

/** node id → the NEVRAs nested in its component, and its parent's bom-ref. */
function cdxNodes(bom: {
  components: CdxComponent[];
  dependencies?: { ref: string; dependsOn?: string[] }[];
}) {
  const out = new Map<string, { nevras: string[]; type: string; parentRef?: string }>();
  const walk = (c: CdxComponent, parentRef?: string) => {
    const id = c.properties?.find((p) => p.name === 'redproof:node:id')?.value;
    if (!id) return;
    const nevras = (c.components ?? [])
      .filter((x) => x.type === 'library')
      .map((x) => x.properties!.find((p) => p.name === 'redproof:rpm:nevra')!.value);
    out.set(id, { nevras, type: c.type, ...(parentRef && { parentRef }) });
    for (const child of c.components ?? []) if (child.type !== 'library') walk(child, c['bom-ref']);
  };
  for (const c of bom.components) walk(c);
  return out;
}

describe('SBOMs of the example families', () => {
  const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

  it.each(EXAMPLE_FAMILIES)(
    '%s: CycloneDX 1.6 valid, every installed package under its node',
    async (family) => {
      const { cyclonedx, json } = await checkDocuments(family);
      expect(await validator.validate(cyclonedx)).toBeNull();
      const bom = JSON.parse(cyclonedx);
      const result = JSON.parse(json) as {
        subjects: { id: string; parent?: string; packages: { nevra: string }[] }[];
      };
      const nodes = cdxNodes(bom);
      expect([...nodes.keys()].sort()).toEqual(result.subjects.map((s) => s.id).sort());
      for (const s of result.subjects) {
        const n = nodes.get(s.id)!;
        expect(n.nevras.sort()).toEqual(s.packages.map((p) => p.nevra).sort());
        expect(n.type).toBe(s.id === 'host' ? 'operating-system' : 'container');
        // nested in its parent's component, with a dependency on it
        if (s.parent) {
          expect(n.parentRef).toBe(`node:${s.parent}`);
          const dep = bom.dependencies.find((d: { ref: string }) => d.ref === `node:${s.id}`);
          expect(dep?.dependsOn).toEqual([`node:${s.parent}`]);
        }
      }
      expect(bom.components.map((c: CdxComponent) => c['bom-ref'])).toContain('node:host');
    },
  );

  it.each(EXAMPLE_FAMILIES)('%s: SPDX 2.3 lists every rpm in its node, with unique ids', async (family) => {
    const { spdx, json } = await checkDocuments(family);
    const doc = JSON.parse(spdx);
    const result = JSON.parse(json) as {
      subjects: { id: string; parent?: string; packages: { nevra: string }[] }[];
    };
    const ids = doc.packages.map((p: { SPDXID: string }) => p.SPDXID);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^SPDXRef-[A-Za-z0-9.-]+$/);
    const rel = (a: string, type: string) =>
      doc.relationships
        .filter(
          (r: { spdxElementId: string; relationshipType: string }) =>
            r.spdxElementId === a && r.relationshipType === type,
        )
        .map((r: { relatedSpdxElement: string }) => r.relatedSpdxElement);
    expect(rel('SPDXRef-DOCUMENT', 'DESCRIBES')).toEqual(['SPDXRef-Family']);
    const byId = new Map(doc.packages.map((p: { SPDXID: string }) => [p.SPDXID, p]));
    for (const s of result.subjects) {
      const node = spdxId('Node', s.id);
      expect(rel('SPDXRef-Family', 'CONTAINS')).toContain(node);
      const rpms = rel(node, 'CONTAINS').map(
        (id: string) => byId.get(id) as { externalRefs: { referenceLocator: string }[]; comment: string },
      );
      expect(rpms).toHaveLength(s.packages.length);
      for (const r of rpms)
        expect(r.externalRefs[0]!.referenceLocator).toMatch(/^pkg:rpm\/[a-z0-9.+-]+\/[^@]+@[^?]+\?arch=/);
      if (s.parent) expect(rel(node, 'DEPENDS_ON')).toEqual([spdxId('Node', s.parent)]);
    }
  });

  it('are byte-identical for the same inputs; SOURCE_DATE_EPOCH sets their time', async () => {
    const a = await checkDocuments('coherent.yaml');
    const b = await checkDocuments('coherent.yaml');
    expect(a.cyclonedx).toBe(b.cyclonedx);
    expect(a.spdx).toBe(b.spdx);
    // without SOURCE_DATE_EPOCH: the newest build time of the packages, an input's own date
    expect(JSON.parse(a.spdx).creationInfo.created).toBe('2023-11-14T22:13:20Z');
    const c = await checkDocuments('coherent.yaml', { SOURCE_DATE_EPOCH: '1767225600' });
    expect(JSON.parse(c.cyclonedx).metadata.timestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(JSON.parse(c.spdx).creationInfo.created).toBe('2026-01-01T00:00:00Z');
    // the serial number and namespace follow the content, not the time
    expect(JSON.parse(c.cyclonedx).serialNumber).toBe(JSON.parse(a.cyclonedx).serialNumber);
    const other = await checkDocuments('rp004-shareable-duplicate.yaml');
    expect(JSON.parse(other.cyclonedx).serialNumber).not.toBe(JSON.parse(a.cyclonedx).serialNumber);
  });

  it('reject a bad SOURCE_DATE_EPOCH as a usage error', async () => {
    await expect(checkDocuments('coherent.yaml', { SOURCE_DATE_EPOCH: 'yesterday' })).rejects.toThrow(
      /exited 2.*SOURCE_DATE_EPOCH/s,
    );
  });
});

describe('SBOM fields', () => {
  it('writes rpm purls as the purl spec says: vendor namespace, version-release, arch and epoch qualifiers', () => {
    expect(rpmPurl({ nevra: 'dbus-1:1.12.20-8.el9.x86_64', repo: 'r', vendor: 'CentOS' })).toBe(
      'pkg:rpm/centos/dbus@1.12.20-8.el9?arch=x86_64&epoch=1',
    );
    expect(rpmPurl({ nevra: 'c++-lib-2.0-1.noarch', repo: 'r' })).toBe(
      'pkg:rpm/unknown/c%2B%2B-lib@2.0-1?arch=noarch',
    );
    expect(purlNamespace('Fedora Project')).toBe('fedora');
    expect(purlNamespace('Red Hat, Inc.')).toBe('redhat');
    expect(purlNamespace('IoT.bzh')).toBe('iot.bzh');
  });

  it('keeps SPDX expressions and reads legacy names as --policy does, unless the reading would guess', () => {
    expect(spdxExpression('MIT')).toBe('MIT');
    expect(spdxExpression('GPL-2.0-or-later AND MIT')).toBe('GPL-2.0-or-later AND MIT');
    expect(spdxExpression('GPLv2+')).toBe('GPL-2.0-or-later');
    expect(spdxExpression('ASL 2.0 and zlib')).toBe('Apache-2.0 AND Zlib');
    expect(spdxExpression('Public Domain')).toBe('LicenseRef-Fedora-Public-Domain');
    // `BSD` and `LGPLv2+` name no license in particular: the policy checks every candidate, an SBOM
    // must not pick one
    expect(spdxExpression('BSD')).toBeUndefined();
    expect(spdxExpression('GPLv2+ and LGPLv2+')).toBeUndefined();
    expect(spdxExpression('GPLv3+, GPLv3+ with exceptions')).toBeUndefined();
    expect(spdxExpression('Copyright only, see README')).toBeUndefined();
  });

  it('gives RFC 9562 version-5 UUIDs', () => {
    expect(uuidV5('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV5('x')).toBe(uuidV5('x'));
    expect(uuidV5('x')).not.toBe(uuidV5('y'));
  });

  it('declares non-SPDX license tags as LicenseRefs with their text, and validates at scale', async () => {
    const r = syntheticResult(20, 10);
    const doc = spdxDocument(r) as {
      hasExtractedLicensingInfos: { licenseId: string; extractedText: string }[];
      packages: { licenseDeclared?: string }[];
    };
    const refs = doc.hasExtractedLicensingInfos;
    expect(refs.map((e) => e.extractedText).sort()).toEqual(['BSD', 'LGPLv2+']);
    for (const e of refs) expect(doc.packages.some((p) => p.licenseDeclared === e.licenseId)).toBe(true);
    const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot6);
    expect(await validator.validate(cyclonedxReporter(r))).toBeNull();
  });
});
