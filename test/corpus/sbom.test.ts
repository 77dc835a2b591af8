/**
 * SBOMs and the HTML report of the families over real distributions (test/corpus/families/*.yaml, CentOS
 * Stream 9 and Tizen packages in ../shared/corpus): real License tags, vendors and checksums, validated with
 * the CycloneDX strict validator and the official SPDX 2.3 schema in ../shared/sbom.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { Ajv } from 'ajv';
import * as formatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './corpus.js';

const SPDX_SCHEMA = `${ROOT}../shared/sbom/spdx-2.3.schema.json`;
const families = readdirSync(`${ROOT}test/corpus/families`)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

function spdxValidator() {
  if (!existsSync(SPDX_SCHEMA)) {
    throw new Error(
      `${SPDX_SCHEMA} is missing: the official SPDX 2.3 schema lives in ../shared/sbom (not copied here)`,
    );
  }
  type Plugin = (ajv: Ajv) => Ajv;
  const root = (formatsModule as unknown as { default: Plugin & { default?: Plugin } }).default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  (root.default ?? root)(ajv);
  return ajv.compile(JSON.parse(readFileSync(SPDX_SCHEMA, 'utf8')) as object);
}

describe('SBOMs of families over real distributions', () => {
  const spdx = spdxValidator();
  const cdx = new Validation.JsonStrictValidator(Spec.Version.v1dot6);

  it.each(families)(
    '%s: both SBOMs valid, every package under its node, licenses as SPDX where safe',
    async (family) => {
      const dir = mkdtempSync(join(tmpdir(), 'redproof-corpus-sbom-'));
      const files = {
        cdx: join(dir, 'bom.cdx.json'),
        spdx: join(dir, 'bom.spdx.json'),
        json: join(dir, 'r.json'),
        html: join(dir, 'r.html'),
      };
      const run = cli([
        'check',
        `${ROOT}test/corpus/families/${family}`,
        '-q',
        '--no-cache',
        '--cyclonedx',
        files.cdx,
        '--spdx',
        files.spdx,
        '--json',
        files.json,
        '--html',
        files.html,
      ]);
      expect(run.code, run.stderr).toBeLessThanOrEqual(1);
      const bomText = readFileSync(files.cdx, 'utf8');
      expect(await cdx.validate(bomText)).toBeNull();
      const doc = JSON.parse(readFileSync(files.spdx, 'utf8'));
      expect(spdx(doc), JSON.stringify(spdx.errors?.slice(0, 3))).toBe(true);
      const result = JSON.parse(readFileSync(files.json, 'utf8')) as {
        subjects: { id: string; packages: { nevra: string; license?: string; checksum?: string }[] }[];
      };
      const bom = JSON.parse(bomText);
      const byRef = new Map<
        string,
        {
          components?: {
            type: string;
            properties: { name: string; value: string }[];
            licenses?: unknown[];
            hashes?: unknown[];
          }[];
        }
      >();
      const walk = (list: { 'bom-ref': string; components?: never[] }[]) => {
        for (const x of list) {
          byRef.set(x['bom-ref'], x);
          walk(x.components ?? []);
        }
      };
      walk(bom.components);
      let expressions = 0;
      let total = 0;
      for (const s of result.subjects) {
        const libs = (byRef.get(`node:${s.id}`)?.components ?? []).filter((x) => x.type === 'library');
        expect(
          libs.map((x) => x.properties.find((p) => p.name === 'redproof:rpm:nevra')!.value).sort(),
        ).toEqual(s.packages.map((p) => p.nevra).sort());
        for (const l of libs) {
          total++;
          if ((l.licenses as { expression?: string }[] | undefined)?.[0]?.expression) expressions++;
          expect(l.hashes?.length ?? 0).toBe(1);
        }
      }
      expect(total).toBeGreaterThan(0);
      console.info(`${family}: ${total} packages, ${expressions} licenses as SPDX expressions`);
      expect(readFileSync(files.html, 'utf8')).toContain('data-node="host"');
    },
  );
});
