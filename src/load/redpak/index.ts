export {
  type CapabilityEntry,
  checkNodeState,
  type EnvironEntry,
  type ExportEntry,
  type LoadWarning,
  loadNodeFiles,
  type NodeConfig,
  type NodeConfigTags,
  type NodeFiles,
  type NodeState,
  type NodeStatus,
  parseConfigFile,
  parseStatusFile,
} from './config.js';
export {
  cyamlBool,
  type Field,
  type LoadResult,
  loadWithSchema,
  type Schema,
  type SchemaIssue,
} from './cyaml.js';
export {
  type AttachMode,
  DEFAULT_REDROOT,
  type DiscoveredNode,
  type DiscoverOptions,
  DiscoveryError,
  discoverNodes,
  HOST_RPMDB_PATH,
  isNodeDir,
  type NodeTree,
} from './discover.js';
export { checkDuplicateAliases, checkPrivileges, type FamilyNode } from './family-checks.js';
export { fingerprintOf, REDPAK_RULES, type RedpakRule, redpakFinding } from './finding.js';
export { loadPackageLayers, type PackageLayer } from './layers.js';
export {
  ALIAS_RE,
  CONF_OPTS,
  CONFIG_SCHEMA,
  ENV_MODES,
  EXPORT_MODES,
  NODE_STATES,
  SHARE_KEYS,
  STATUS_SCHEMA,
} from './schema.js';
