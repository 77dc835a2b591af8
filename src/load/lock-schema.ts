/**
 * JSON Schema of the lockfile, version 1 (`redproof-lock: 1`). Source of truth; schema/lock-v1.schema.json
 * is the published copy, kept identical by test/engine/lock.test.ts.
 */
const NEVRA = '^.+-([0-9]+:)?[^-:]+-[^-]+\\.[^.-]+$';
const SHA256 = '^sha256:[0-9a-f]{64}$';

const options = {
  type: 'object',
  additionalProperties: false,
  required: ['weak-deps', 'best'],
  properties: { 'weak-deps': { type: 'boolean' }, best: { type: 'boolean' } },
} as const;

export const lockSchemaV1 = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'redproof lockfile, version 1',
  description: 'What `redproof lock` resolved for every layer of a family manifest.',
  type: 'object',
  additionalProperties: false,
  required: ['redproof-lock', 'family', 'arch', 'manifest', 'repos', 'options', 'nodes'],
  properties: {
    'redproof-lock': { const: 1 },
    family: { type: 'string', minLength: 1 },
    arch: { type: 'string', minLength: 1 },
    manifest: {
      description: 'The manifest, relative to the lockfile, and the SHA-256 of its bytes.',
      type: 'object',
      additionalProperties: false,
      required: ['path', 'sha256'],
      properties: {
        path: { type: 'string', minLength: 1 },
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    },
    repos: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'path', 'checksum'],
        properties: {
          id: { type: 'string', minLength: 1 },
          path: { description: 'As the manifest writes it.', type: 'string', minLength: 1 },
          revision: { description: "repomd.xml's <revision>.", type: 'string' },
          checksum: {
            description: 'Of repomd.xml (or of the metadata file).',
            type: 'string',
            pattern: SHA256,
          },
        },
      },
    },
    options: {
      ...options,
      properties: {
        ...options.properties,
        hoist: {
          description: 'The lock was hoisted (`redproof lock --hoist`); absent when it was not.',
          const: true,
        },
      },
    },
    nodes: {
      description: 'Every layer, parents first; the host as alias `host`.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['alias', 'requests', 'packages'],
        properties: {
          alias: { type: 'string', minLength: 1 },
          parent: { type: 'string', minLength: 1 },
          requests: { type: 'array', items: { type: 'string', minLength: 1 } },
          options,
          packages: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: [
                'nevra',
                'repo',
                'location',
                'checksum',
                'size',
                'installedSize',
                'sourcerpm',
                'license',
                'reason',
              ],
              properties: {
                nevra: { type: 'string', pattern: NEVRA },
                repo: { type: 'string', minLength: 1 },
                location: { type: 'string' },
                checksum: { description: 'As primary.xml gives it, `TYPE:hex`.', type: 'string' },
                size: { description: 'Download size.', type: 'integer', minimum: 0 },
                installedSize: { type: 'integer', minimum: 0 },
                buildTime: {
                  description:
                    'Build time, seconds since the epoch (primary.xml `time build`, rpm BUILDTIME); written when known.',
                  type: 'integer',
                  minimum: 1,
                },
                sourcerpm: { type: 'string' },
                license: { type: 'string' },
                reason: {
                  description: '`hoisted`: moved here from the nodes in `from` by `redproof lock --hoist`.',
                  enum: ['requested', 'dependency', 'weak', 'hoisted'],
                },
                from: {
                  description: 'Of a hoisted package: the nodes that held it.',
                  type: 'array',
                  minItems: 1,
                  items: { type: 'string', minLength: 1 },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
