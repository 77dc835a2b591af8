import type { Field, Schema } from './cyaml.js';

// The schemas below re-state FORMATS.md §3.4-3.5 (red-pak 2.5.1 `redconf-schema.c`, QA/REDPAK.CNF.md).

const str: Schema = { kind: 'string' };
const opt = (schema: Schema): Field => ({ schema });
const req = (schema: Schema): Field => ({ schema, required: true });
const map = (fields: Record<string, Field>): Schema => ({ kind: 'map', fields });

/** `.rednode.yaml` states; the enum is parsed case-sensitively (FORMATS.md §3.4). */
export const NODE_STATES = ['Disable', 'Enable', 'Unknown', 'Error'] as const;

/** `exports[].mode` values (FORMATS.md §3.5). */
export const EXPORT_MODES = [
  'Restricted',
  'Public',
  'Private',
  'PrivateRestricted',
  'RestrictedFile',
  'PublicFile',
  'PrivateFile',
  'Anonymous',
  'Symlink',
  'Execfd',
  'Internal',
  'Tmpfs',
  'Procfs',
  'Mqueue',
  'Devfs',
  'Lock',
] as const;

/** `environ[].mode` values; `Default` when absent (FORMATS.md §3.5). */
export const ENV_MODES = ['Default', 'Static', 'Execfd', 'Remove', 'Inherit'] as const;

/** `die-with-parent` / `new-session` values. */
export const CONF_OPTS = ['Enabled', 'Disabled', 'Unset'] as const;

/** Namespace sharing keys; values are `enabled|disabled|unset` or a namespace path (since 2.4.0). */
export const SHARE_KEYS = [
  'share_all',
  'share_user',
  'share_cgroup',
  'share_net',
  'share_pid',
  'share_ipc',
  'share_time',
] as const;
export type ShareKey = (typeof SHARE_KEYS)[number];

/** Top-level schema of `.rednode.yaml` (`StatusEntry`). */
export const STATUS_SCHEMA: Field = req(
  map({
    realpath: req(str),
    info: opt(str),
    timestamp: req({ kind: 'uint' }),
    state: req({ kind: 'enum', values: NODE_STATES, caseSensitive: true, strict: true }),
  }),
);

const cgroups = map({
  cpuset: opt(map({ cpus: opt(str), mems: opt(str), cpus_partition: opt(str) })),
  mem: opt(
    map({
      min: opt(str),
      max: opt(str),
      high: opt(str),
      low: opt(str),
      oom_group: opt(str),
      swap_high: opt(str),
      swap_max: opt(str),
    }),
  ),
  cpu: opt(map({ weight: opt(str), max: opt(str), weight_nice: opt(str) })),
  io: opt(map({ weight: opt(str), max: opt(str), cost_qos: opt(str), cost_model: opt(str) })),
  pids: opt(map({ max: opt(str) })),
});

const confOpt: Schema = { kind: 'enum', values: CONF_OPTS };

const configTags: Record<string, Field> = {
  rpmdir: opt(str),
  persistdir: opt(str),
  cachedir: opt(str),
  path: opt(str),
  ldpath: opt(str),
  umask: opt(str),
  'set-user': opt(str),
  'set-group': opt(str),
  smack: opt(str),
  verbose: opt({ kind: 'int' }),
  'map-root-user': opt({ kind: 'int' }),
  gpgcheck: opt({ kind: 'bool' }),
  unsafe: opt({ kind: 'bool' }),
  'inherit-env': opt({ kind: 'bool' }),
  'die-with-parent': opt(confOpt),
  'new-session': opt(confOpt),
  hostname: opt(str),
  chdir: opt(str),
  cgrouproot: opt(str),
  capabilities: opt({
    kind: 'seq',
    item: map({ cap: req(str), add: req({ kind: 'int' }), info: opt(str), warn: opt(str) }),
  }),
  cgroups: opt(cgroups),
  // Legacy keys accepted and ignored (FORMATS.md §3.5, §3.9).
  maxage: { schema: { kind: 'int' }, ignored: true },
  inherit: { schema: { kind: 'bool' }, ignored: true },
};
for (const k of SHARE_KEYS) configTags[k] = opt(str);

/** Top-level schema of `etc/redpak.yaml` and `etc/redpak-admin.yaml` (`RedConfigSchema`). */
export const CONFIG_SCHEMA: Field = req(
  map({
    headers: req(map({ alias: req(str), name: opt(str), info: opt(str) })),
    exports: opt({
      kind: 'seq',
      item: map({
        mode: req({ kind: 'enum', values: EXPORT_MODES, strict: true }),
        mount: req(str),
        path: opt(str),
        info: opt(str),
        warn: opt(str),
      }),
    }),
    environ: opt({
      kind: 'seq',
      item: map({
        mode: opt({ kind: 'enum', values: ENV_MODES, strict: true }),
        key: req(str),
        value: opt(str),
        info: opt(str),
        warn: opt(str),
      }),
    }),
    config: opt(map(configTags)),
    relocations: {
      schema: { kind: 'seq', item: map({ old: req(str), new: req(str) }) },
      legacy:
        '`relocations` is a legacy key (removed in red-pak 2024-09, `9057283`); current red-pak rejects it as unknown',
    },
  }),
);

/** Valid alias characters (`redconf-valid.c`, FORMATS.md §3.5). */
export const ALIAS_RE = /^[A-Za-z0-9+\-_@:]+$/;
