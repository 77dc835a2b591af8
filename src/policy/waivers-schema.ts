/**
 * JSON Schema of the waivers file, version 1. `schema/waivers-v1.schema.json` is the published copy; a test
 * keeps the two identical (the schema lives in `src/` too because the build's rootDir is `src`).
 */
export const WAIVERS_V1_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'redproof waivers file, version 1',
  description:
    'Accepted findings: each entry suppresses the findings of one rule whose node and package match its glob patterns, until it expires.',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'waivers'],
  properties: {
    version: { const: 1, description: 'Format version of this file.' },
    waivers: {
      type: 'array',
      items: { $ref: '#/definitions/waiver' },
    },
  },
  definitions: {
    waiver: {
      type: 'object',
      additionalProperties: false,
      required: ['rule', 'reason'],
      properties: {
        rule: {
          type: 'string',
          pattern: '^RP[0-9]{3}$',
          description: 'Rule code, e.g. RP004.',
        },
        node: {
          type: 'string',
          minLength: 1,
          description:
            'Glob on the node id (alias or path; repository id for repo-check). `*` stops at `/`, `**` does not. Default: every node.',
        },
        package: {
          type: 'string',
          minLength: 1,
          description: 'Glob matched against the NEVRA and against the package name. Default: every package.',
        },
        fingerprint: {
          type: 'string',
          pattern: '^[0-9a-f]{32}$',
          description: 'Waive exactly one finding, identified by its fingerprint.',
        },
        reason: {
          type: 'string',
          minLength: 1,
          description: 'Why the finding is accepted; shown as the suppression justification.',
        },
        owner: { type: 'string', minLength: 1, description: 'Who answers for the waiver.' },
        expires: {
          type: 'string',
          pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
          description:
            'Last day (YYYY-MM-DD, inclusive) on which the waiver applies; from the next day on it is reported as RP090 and suppresses nothing.',
        },
      },
    },
  },
} as const;
