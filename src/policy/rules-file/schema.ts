/**
 * JSON Schema of the policy file, version 1. `schema/policy-v1.schema.json` is the published copy; a test
 * keeps the two identical (the schema lives in `src/` because the build's rootDir is `src`).
 */
/** Sizes: bytes, or a number with a binary unit. */
export const SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)? ?(B|KiB|MiB|GiB|TiB)?$';

const globs = {
  type: 'array',
  minItems: 1,
  items: { type: 'string', minLength: 1 },
} as const;

export const POLICY_V1_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'redproof policy file, version 1',
  description:
    'Rules every selected node of a family must keep: allowed and denied packages and licenses, a size budget, required packages, setuid files, signatures and red-pak configuration.',
  type: 'object',
  additionalProperties: false,
  required: ['redproof-policy', 'rules'],
  properties: {
    'redproof-policy': { const: 1, description: 'Format version of this file.' },
    rules: {
      type: 'array',
      minItems: 1,
      items: { $ref: '#/definitions/rule' },
      description: 'Every rule whose `nodes` match a node applies to it.',
    },
  },
  definitions: {
    rule: {
      type: 'object',
      additionalProperties: false,
      required: ['nodes'],
      properties: {
        name: {
          type: 'string',
          minLength: 1,
          description: 'Name of the rule in messages (default: its position, `rules[0]`).',
        },
        description: { type: 'string', description: 'Why the rule exists (shown in the evidence).' },
        nodes: {
          ...globs,
          description:
            'Globs on the node alias or path; `host` is the host layer. `*` stops at `/`, `**` does not.',
        },
        level: {
          enum: ['error', 'warning', 'note'],
          description: 'Level of the findings of this rule (default: error).',
        },
        'allow-packages': {
          ...globs,
          description:
            "Globs on package names (or NEVRAs): any other package of the node's own breaks the rule (RP040).",
        },
        'deny-packages': {
          ...globs,
          description: 'Globs on package names (or NEVRAs) that must not be installed in the node (RP040).',
        },
        'allow-licenses': {
          type: ['string', 'array'],
          minLength: 1,
          minItems: 1,
          items: { type: 'string', minLength: 1 },
          description:
            "SPDX licenses the node's own packages may use: a list, or one expression joined with OR (RP041).",
        },
        'deny-licenses': {
          type: ['string', 'array'],
          minLength: 1,
          minItems: 1,
          items: { type: 'string', minLength: 1 },
          description: 'SPDX licenses no package of the node may need (RP041).',
        },
        'max-installed-size': {
          type: ['integer', 'string'],
          minimum: 0,
          pattern: SIZE_PATTERN,
          description:
            "Budget for the installed size of the node's own packages: bytes, or KiB/MiB/GiB (RP042).",
        },
        'require-packages': {
          ...globs,
          description: "Names or provides the node's view (node, ancestors, host) must hold (RP043).",
        },
        'deny-setuid': {
          type: 'boolean',
          description: "No setuid or setgid file among the node's own packages (RP044).",
        },
        'require-signed': {
          type: 'boolean',
          description: "Every package of the node's own carries a header signature (RP045).",
        },
        'signed-by': {
          type: 'array',
          minItems: 1,
          items: {
            type: 'string',
            pattern:
              '^\\s*(0[xX])?([0-9A-Fa-f]{16}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64}|([0-9A-Fa-f]{4}\\s*){10})\\s*$',
          },
          description:
            "Keys one of which must have signed every package of the node's own: long key ids (16 hex digits) or fingerprints; implies `require-signed` (RP045).",
        },
        'deny-config': {
          type: 'object',
          minProperties: 1,
          additionalProperties: {
            type: ['string', 'boolean', 'integer', 'array'],
            items: { type: ['string', 'boolean', 'integer'] },
          },
          description:
            "red-pak configuration keys and values the node's merged configuration must not have, e.g. `share_net: enabled`, `unsafe: true`, `capabilities: [CAP_SYS_ADMIN]`; `'*'` denies any value (RP046).",
        },
      },
    },
  },
} as const;
