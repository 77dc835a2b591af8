import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { familySchemaV1, SUPPORTED_VERSIONS } from '../../src/load/manifest-schema.js';

const published = JSON.parse(
  readFileSync(new URL('../../schema/family-v1.schema.json', import.meta.url), 'utf8'),
) as unknown;

describe('schema/family-v1.schema.json', () => {
  it('is the same schema the loader uses', () => {
    expect(published).toEqual(familySchemaV1);
  });

  it('compiles in ajv strict mode and accepts the documented example', () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(published as object);
    const example = {
      redproof: 1,
      family: 'ivi-demo',
      arch: 'x86_64',
      repos: [{ id: 'baseos', path: 'repos/baseos' }],
      host: { packages: ['bash', 'glibc'] },
      nodes: [
        { alias: 'platform', parent: 'host', packages: ['systemd', 'openssl-libs-1:3.0.7-27.el9.x86_64'] },
        { alias: 'navigation', parent: 'platform', packages: ['python3', 'python3-requests'] },
      ],
    };
    expect(validate(example)).toBe(true);
    expect(validate({ ...example, redproof: 2 })).toBe(false);
    expect(validate({ ...example, extra: true })).toBe(false);
  });

  it('pins the format version to the supported one', () => {
    expect(familySchemaV1.properties.redproof.const).toBe(1);
    expect(SUPPORTED_VERSIONS).toEqual([1]);
  });
});
