/**
 * JSON Schema of the family manifest, format version 1. This object is the source of truth;
 * `schema/family-v1.schema.json` is the published copy (for editors and other tools), and
 * test/load/manifest-schema.test.ts keeps the two identical. It lives in TS so the pure core needs
 * neither fs nor a JSON import from outside `src/`.
 */
/** red-pak alias syntax (redconf-valid.c). */
export const ALIAS_PATTERN = '^[A-Za-z0-9+\\-_@:]+$';
/** Repository ids, as dnf allows them. */
export const REPO_ID_PATTERN = '^[A-Za-z0-9._:-]+$';
/** Characters of a package entry (name or NEVRA); the finer NEVRA-versus-name rule is in manifest-nevra.ts. */
export const ENTRY_PATTERN = '^[A-Za-z0-9_+][A-Za-z0-9._+~^:-]*$';
/** Shape of an arch name; known arches are checked in manifest-check.ts. */
export const ARCH_PATTERN = '^[A-Za-z0-9_]+$';
/** An install request as `dnf install` takes it (name, name.arch, NEVRA, provide, file, glob, @group). */
export const REQUEST_PATTERN = '^[^\\s]+$';
/** A module stream to enable, as `dnf module enable` takes it: `name:stream`, or `name` for its default stream. */
export const MODULE_STREAM_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9._+-]*(:[A-Za-z0-9_][A-Za-z0-9._+-]*)?$';
/** A module name, as `dnf module disable` takes it. */
export const MODULE_NAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9._+-]*$';
/** One line without leading or trailing blanks. */
export const SINGLE_LINE_PATTERN = '^\\S(.*\\S)?$';

/** Format versions this build reads. */
export const SUPPORTED_VERSIONS: readonly number[] = [1];

/** The JSON Schema (draft-07) of format version 1, as published in schema/family-v1.schema.json. */
export const familySchemaV1 = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'redproof family manifest, format version 1',
  description: 'A red-pak node family to prove coherent: the repositories, the host layer and the node tree.',
  type: 'object',
  additionalProperties: false,
  required: ['redproof', 'family', 'arch', 'repos'],
  properties: {
    redproof: { description: 'Manifest format version.', const: 1 },
    family: {
      description: 'Name of the family, used in reports.',
      type: 'string',
      minLength: 1,
      pattern: SINGLE_LINE_PATTERN,
    },
    arch: {
      description: 'Target architecture (e.g. x86_64, aarch64); noarch packages are always accepted.',
      type: 'string',
      minLength: 1,
      pattern: ARCH_PATTERN,
    },
    repos: {
      description: 'Repositories packages are taken from; paths are relative to the manifest file.',
      type: 'array',
      minItems: 1,
      items: { $ref: '#/definitions/repo' },
    },
    host: {
      description: "The image's own rpm database: the bottom layer every node sits on.",
      type: 'object',
      additionalProperties: false,
      properties: {
        packages: { $ref: '#/definitions/packages' },
        install: { $ref: '#/definitions/install' },
        exclude: { $ref: '#/definitions/exclude' },
        kickstart: {
          description:
            'A kickstart file whose %packages section gives the host requests (relative to the manifest).',
          type: 'string',
          minLength: 1,
        },
        'weak-deps': { $ref: '#/definitions/weakDeps' },
        best: { $ref: '#/definitions/best' },
        modules: { $ref: '#/definitions/modules' },
        hoist: { $ref: '#/definitions/layerHoist' },
      },
    },
    exclude: { $ref: '#/definitions/exclude' },
    modules: { $ref: '#/definitions/modules' },
    hoist: {
      description:
        '`redproof lock --hoist`: packages several nodes hold moved to their lowest common ancestor.',
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: {
          description: '`redproof lock` hoists without `--hoist` (`--no-hoist` overrides); default false.',
          type: 'boolean',
        },
        never: {
          description: 'Globs of package names (or NEVRAs) never hoisted, from any node.',
          type: 'array',
          items: { type: 'string', minLength: 1, pattern: REQUEST_PATTERN },
        },
      },
    },
    'weak-deps': { $ref: '#/definitions/weakDeps' },
    best: { $ref: '#/definitions/best' },
    nodes: {
      description: 'The red-pak nodes of the family, each on top of its parent.',
      type: 'array',
      items: { $ref: '#/definitions/node' },
    },
  },
  definitions: {
    alias: {
      description: 'red-pak node alias (redconf-valid.c).',
      type: 'string',
      minLength: 1,
      pattern: ALIAS_PATTERN,
    },
    repo: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'path'],
      properties: {
        id: {
          description: 'Repository id, unique in the manifest.',
          type: 'string',
          pattern: REPO_ID_PATTERN,
        },
        path: {
          description: 'A directory with repodata/, a primary.xml[.gz|.xz|.zst|.bz2] file, or a .solv file.',
          type: 'string',
          minLength: 1,
        },
      },
    },
    packages: {
      type: 'array',
      items: {
        description: 'A NEVRA `name-[epoch:]version-release.arch` or a plain package name.',
        type: 'string',
        minLength: 1,
        pattern: ENTRY_PATTERN,
      },
    },
    install: {
      description: 'Install requests resolved by `redproof lock`, as `dnf install` takes them.',
      type: 'array',
      items: {
        description:
          'A name, `name.arch`, NEVRA, provide (`/usr/bin/python3`, `libfoo.so.1()(64bit)`), glob or `@group`.',
        type: 'string',
        minLength: 1,
        pattern: REQUEST_PATTERN,
      },
    },
    exclude: {
      description: "Globs of packages never chosen (dnf's excludepkgs).",
      type: 'array',
      items: { type: 'string', minLength: 1, pattern: REQUEST_PATTERN },
    },
    weakDeps: {
      description: "Install recommended packages (dnf's install_weak_deps); default true.",
      type: 'boolean',
    },
    best: {
      description: "Only the best candidate of a request may be installed (dnf's best); default true.",
      type: 'boolean',
    },
    modules: {
      description:
        "Module streams (the repositories' modules.yaml), as `dnf module enable` / `dnf module disable` set them; a level below overrides a module named above.",
      type: 'object',
      additionalProperties: false,
      properties: {
        enable: {
          description: 'Streams to enable: `name:stream`, or `name` for its default stream.',
          type: 'array',
          items: { type: 'string', minLength: 1, pattern: MODULE_STREAM_PATTERN },
        },
        disable: {
          description: 'Modules to disable: none of their streams is active.',
          type: 'array',
          items: { type: 'string', minLength: 1, pattern: MODULE_NAME_PATTERN },
        },
      },
    },
    layerHoist: {
      description: 'How hoisting treats this layer.',
      type: 'object',
      additionalProperties: false,
      properties: {
        receive: {
          description:
            'false: isolation, the view of this layer must not grow, so nothing is hoisted into it or above it that it does not already see; default true.',
          type: 'boolean',
        },
        never: {
          description: 'Globs of package names (or NEVRAs) of this layer never hoisted out of it.',
          type: 'array',
          items: { type: 'string', minLength: 1, pattern: REQUEST_PATTERN },
        },
      },
    },
    node: {
      type: 'object',
      additionalProperties: false,
      required: ['alias'],
      properties: {
        alias: { $ref: '#/definitions/alias' },
        parent: {
          description: '`host` (the default) or the alias of another node of the manifest.',
          $ref: '#/definitions/alias',
        },
        packages: { $ref: '#/definitions/packages' },
        install: { $ref: '#/definitions/install' },
        exclude: { $ref: '#/definitions/exclude' },
        'weak-deps': { $ref: '#/definitions/weakDeps' },
        best: { $ref: '#/definitions/best' },
        modules: { $ref: '#/definitions/modules' },
        hoist: { $ref: '#/definitions/layerHoist' },
      },
    },
  },
} as const;
