import type { CheckResult, Level, RuleMeta } from '../model/finding.js';
import { CLIP_LENGTH, CLIP_TEXT_LENGTH, clip } from '../util/clip.js';

/** Lifecycle of a rule code (Ruff's RuleGroup): a code is never reused, a retired rule stays as `removed`. */
export type RuleStatus = 'preview' | 'stable' | 'deprecated' | 'removed';

/**
 * Which command family evaluates a rule; `policy` rules come from a policy input (waivers, `--policy`
 * files), not from the engine alone, so a run lists them only when that input is given.
 */
export type RuleCommand = CheckResult['command'] | 'policy';

/** Catalog entry: the shared `RuleMeta` plus lifecycle, message templates and the fix template. */
export interface RuleSpec extends RuleMeta {
  status: RuleStatus;
  /** redproof version that first shipped the code. */
  since: string;
  /** Commands whose runs evaluate this rule. */
  commands: readonly RuleCommand[];
  /** Message templates keyed by message id; `{name}` placeholders are filled by `formatTemplate`. */
  messages: Readonly<Record<string, string>>;
  /** One-line fix template, starting with a verb. */
  help: string;
}

const CHECKS: readonly RuleCommand[] = ['check', 'audit'];
const UPDATES: readonly RuleCommand[] = ['update-check'];
/** `--policy` rules: check, audit and update-check (and lock) evaluate them when a policy file is given. */
const POLICY_CHECKS: readonly RuleCommand[] = ['policy'];
const LOCKS: readonly RuleCommand[] = ['lock'];

/**
 * The stable code table. Order is by code; SARIF `ruleIndex` values follow this order, so append only.
 * Wording may change; the meaning of a code never does.
 */
export const RULES: readonly RuleSpec[] = [
  {
    id: 'RP001',
    slug: 'unresolved-dependency',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: CHECKS,
    tags: ['closure', 'dependency'],
    summary:
      "A requirement of a package in a node has no provider in the node's view (node, ancestors, host)",
    messages: {
      elsewhereInFamily:
        '`{package}` in node `{node}` requires `{dependency}`, which only `{providerNode}` provides, outside the view of `{node}`',
      inRepositories:
        '`{package}` in node `{node}` requires `{dependency}`, which no node of its family provides but `{provider}` in repository `{repo}` does',
      nowhere: '`{package}` in node `{node}` requires `{dependency}`, which nothing provides',
    },
    help: 'Install a provider of `{dependency}` in `{target}`, or drop `{package}`',
  },
  {
    id: 'RP002',
    slug: 'conflict',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: CHECKS,
    tags: ['installability', 'conflict'],
    summary: "A package of a node conflicts with or obsoletes a package of the node's view",
    messages: {
      conflicts: '`{package}` in node `{node}` conflicts with `{other}` installed in `{otherNode}`',
      obsoletes: '`{package}` in node `{node}` obsoletes `{other}` installed in `{otherNode}`',
    },
    help: 'Remove `{package}` from `{node}` or `{other}` from `{otherNode}`, or move one of them to a sibling node',
  },
  {
    id: 'RP003',
    slug: 'ancestor-duplicate',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: CHECKS,
    tags: ['duplication', 'red-pak'],
    summary: 'A package name installed in a node is also installed in one of its ancestors',
    messages: {
      duplicate:
        '`{package}` in node `{node}` duplicates `{other}` already installed in ancestor `{otherNode}`',
    },
    help: 'Remove `{name}` from `{node}`: it already sees `{other}` from `{otherNode}`',
  },
  {
    id: 'RP004',
    slug: 'shareable-duplicate',
    level: 'warning',
    status: 'stable',
    since: '0.1.0',
    commands: CHECKS,
    tags: ['duplication', 'size'],
    summary: 'The same NEVRA is installed in several nodes none of which is an ancestor of another',
    messages: {
      shareable:
        '`{package}` is installed in {count} nodes ({nodes}); one copy in their common ancestor `{ancestor}` would save {saved}',
    },
    help: 'Install `{package}` once in `{ancestor}` and remove it from {nodes}',
  },
  {
    id: 'RP005',
    slug: 'file-conflict',
    level: 'warning',
    status: 'stable',
    since: '0.1.0',
    commands: CHECKS,
    tags: ['conflict', 'files'],
    summary: "One file path is owned by two different packages of a node's view",
    messages: {
      file: '`{path}` is owned by `{package}` in node `{node}` and by `{other}` in `{otherNode}`',
    },
    help: 'Keep only one owner of `{path}` in the view of `{node}`',
  },
  {
    id: 'RP006',
    slug: 'unknown-package',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: CHECKS,
    tags: ['manifest'],
    summary: 'A manifest entry matches no package available for the architecture',
    messages: {
      unknown: 'entry `{entry}` of node `{node}` matches no package for `{arch}`',
      unknownWithSuggestions:
        'entry `{entry}` of node `{node}` matches no package for `{arch}`; closest names: {suggestions}',
      modular:
        'entry `{entry}` of node `{node}` matches only modular builds that dnf hides for `{arch}` ({hidden}): no enabled or default module stream ships them',
    },
    help: 'Fix the spelling of `{entry}` or add the repository that ships it',
  },
  {
    id: 'RP007',
    slug: 'uninstallable',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: CHECKS,
    tags: ['installability'],
    summary: "A node's view cannot be installed as one set for a reason not covered by RP001-RP003",
    messages: {
      problem: 'the packages of node `{node}` and its ancestors cannot be installed together: {problem}',
    },
    help: 'Apply one of the solutions listed in the evidence to `{node}`',
  },
  {
    id: 'RP010',
    slug: 'node-config-invalid',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: CHECKS,
    tags: ['red-pak', 'config'],
    summary: 'A node configuration file would be rejected by red-pak',
    messages: {
      invalid: '`{file}` of node `{node}` is invalid: {reason}',
    },
    help: 'Fix `{file}` so that red-pak accepts it',
  },
  {
    id: 'RP011',
    slug: 'node-not-enabled',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: CHECKS,
    tags: ['red-pak', 'config'],
    summary:
      'A node of the family has a state other than `Enable`, so red-pak refuses to run or install in it',
    messages: {
      state: 'node `{node}` has state `{state}`; redwrap refuses every node of its family',
    },
    help: 'Set `state: Enable` in `{node}/.rednode.yaml`, or remove the node',
  },
  {
    id: 'RP012',
    slug: 'alias-invalid',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: CHECKS,
    tags: ['red-pak', 'config'],
    summary: 'A node alias is not a valid red-pak alias, or two nodes of one tree share an alias',
    messages: {
      invalid: 'alias `{alias}` of node `{node}` has characters outside `[A-Za-z0-9+-_@:]`',
      duplicate: 'alias `{alias}` of node `{node}` is also the alias of `{otherNode}`',
    },
    help: 'Give `{node}` a unique alias made of `[A-Za-z0-9+-_@:]`',
  },
  {
    id: 'RP013',
    slug: 'privilege-reenabled',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: CHECKS,
    tags: ['red-pak', 'config', 'security'],
    summary: 'A node enables a capability or namespace sharing that an ancestor disabled',
    messages: {
      reenabled: 'node `{node}` enables `{setting}`, which ancestor `{otherNode}` disabled',
    },
    help: 'Remove `{setting}` from the config of `{node}`',
  },
  {
    id: 'RP014',
    slug: 'not-from-repositories',
    level: 'warning',
    status: 'stable',
    since: '0.1.0',
    commands: ['audit'],
    tags: ['provenance'],
    summary: 'An installed package matches no package of the given repositories by NEVRA and header digest',
    messages: {
      unknown: '`{package}` installed in node `{node}` is in none of the given repositories',
      digest: '`{package}` installed in node `{node}` has a header digest that differs from `{repo}`',
    },
    help: 'Reinstall `{package}` from a known repository, or add the repository it came from',
  },
  {
    id: 'RP020',
    slug: 'update-breaks-descendant',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: UPDATES,
    tags: ['update', 'closure'],
    summary: 'An update in a node removes or changes a capability that a descendant requires',
    messages: {
      breaks:
        'updating `{package}` in node `{node}` removes `{dependency}`, required by `{other}` in descendant `{otherNode}`',
    },
    help: 'Update `{other}` in `{otherNode}` in the same change, or keep a provider of `{dependency}`',
  },
  {
    id: 'RP021',
    slug: 'update-creates-duplicate',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: UPDATES,
    tags: ['update', 'duplication', 'red-pak'],
    summary: 'After an update an ancestor holds a package name that a descendant also has',
    messages: {
      duplicate: 'installing `{package}` in node `{node}` duplicates `{other}` in descendant `{otherNode}`',
    },
    help: 'Remove `{other}` from `{otherNode}` in the same change',
  },
  {
    id: 'RP022',
    slug: 'update-not-installable',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: UPDATES,
    tags: ['update', 'installability'],
    summary: "libsolv finds no solution for a node's update transaction",
    messages: {
      problem: 'the update of node `{node}` has no solution: {problem}',
    },
    help: 'Apply one of the solutions listed in the evidence to the update of `{node}`',
  },
  {
    id: 'RP023',
    slug: 'update-held-back',
    level: 'note',
    status: 'stable',
    since: '0.1.0',
    commands: UPDATES,
    tags: ['update'],
    summary: 'An available upgrade cannot be taken by a node because of its ancestors',
    messages: {
      held: '`{package}` in node `{node}` cannot be upgraded to `{other}` because of ancestor `{otherNode}`',
    },
    help: 'Upgrade `{otherNode}` first, then `{node}`',
  },
  {
    id: 'RP024',
    slug: 'update-best-not-installable',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: UPDATES,
    tags: ['update', 'installability'],
    summary:
      "With `best`, the best candidate of an upgrade or install in a node's update cannot be installed, while `--no-best` would go through",
    messages: {
      upgrade:
        'the best upgrade of `{package}` in node `{node}`, `{other}`, cannot be installed: {problem}; with --no-best it takes {taken}',
      upgradeStays:
        'the best upgrade of `{package}` in node `{node}`, `{other}`, cannot be installed: {problem}; with --no-best `{package}` stays',
      install:
        'the best candidate of `{request}` for node `{node}`, `{other}`, cannot be installed: {problem}; with --no-best it takes {taken}',
    },
    help: 'Fix what keeps `{other}` out of `{node}` (see the evidence), or set `best: false` for `{node}` (or pass --no-best)',
  },
  {
    id: 'RP030',
    slug: 'repo-uninstallable',
    level: 'error',
    status: 'stable',
    since: '0.1.0',
    commands: ['repo-check'],
    tags: ['installability', 'repository'],
    summary: 'A package of a checked repository cannot be installed',
    messages: {
      problem: '`{package}` of repository `{repo}` cannot be installed: {problem}',
    },
    help: 'Apply one of the solutions listed in the evidence, or remove `{package}` from `{repo}`',
  },
  {
    id: 'RP040',
    slug: 'package-not-allowed',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: POLICY_CHECKS,
    tags: ['policy', 'packages'],
    summary: 'A package of a node is denied by the policy, or not among the packages it allows',
    messages: {
      denied: '`{package}` in node `{node}` is denied by policy rule `{policyRule}` (`{pattern}`)',
      notAllowed: '`{package}` in node `{node}` is not among the packages policy rule `{policyRule}` allows',
    },
    help: 'Remove `{name}` from `{node}`, or change policy rule `{policyRule}`',
  },
  {
    id: 'RP041',
    slug: 'license-not-allowed',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: POLICY_CHECKS,
    tags: ['policy', 'license'],
    summary:
      "A package's license is denied or not allowed by the policy, or its License tag maps to no SPDX license",
    messages: {
      denied:
        '`{package}` in node `{node}` is under `{license}`, which cannot be met without {denied}, denied by policy rule `{policyRule}`',
      notAllowed:
        '`{package}` in node `{node}` is under `{license}`, which policy rule `{policyRule}` does not allow',
      unmapped:
        '`{package}` in node `{node}` has License tag `{license}`, in which {terms} map to no SPDX license: policy rule `{policyRule}` cannot pass it',
    },
    help: 'Replace `{name}` in `{node}` by a package under an allowed license, or change policy rule `{policyRule}`',
  },
  {
    id: 'RP042',
    slug: 'size-budget-exceeded',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: POLICY_CHECKS,
    tags: ['policy', 'size'],
    summary: "The installed size of a node's own packages is over the policy's budget",
    messages: {
      exceeded:
        'the packages of node `{node}` install {size}, over the {budget} budget of policy rule `{policyRule}`',
    },
    help: 'Remove packages from `{node}` (the largest are listed), or raise the budget of policy rule `{policyRule}`',
  },
  {
    id: 'RP043',
    slug: 'required-package-missing',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: POLICY_CHECKS,
    tags: ['policy', 'packages'],
    summary: "A package or capability the policy requires is not in the node's view",
    messages: {
      missing:
        'policy rule `{policyRule}` requires `{required}` in node `{node}`, but no package of its view (node, ancestors, host) is or provides it',
    },
    help: 'Install a package providing `{required}` in `{node}` or one of its ancestors',
  },
  {
    id: 'RP044',
    slug: 'setuid-file',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: POLICY_CHECKS,
    tags: ['policy', 'security', 'files'],
    summary: 'A package of a node ships a setuid or setgid file that the policy denies',
    messages: {
      setuid:
        '`{path}` of `{package}` in node `{node}` is {bits} (mode {mode}), denied by policy rule `{policyRule}`',
      unknown: 'setuid files of node `{node}` cannot be checked: {reason}',
    },
    help: 'Remove `{name}` from `{node}`, or move it to a node whose policy allows setuid files',
  },
  {
    id: 'RP045',
    slug: 'unsigned-package',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: POLICY_CHECKS,
    tags: ['policy', 'security', 'signature'],
    summary: 'A package of a node carries no header signature, which the policy requires',
    messages: {
      unsigned:
        '`{package}` in node `{node}` carries no header signature, which policy rule `{policyRule}` requires',
      wrongKey:
        '`{package}` in node `{node}` is signed by key {keyId}, none of the keys policy rule `{policyRule}` requires ({keys})',
      unparsable:
        '`{package}` in node `{node}` carries a header signature that cannot be read ({reason}), which policy rule `{policyRule}` does not accept',
      unknown: 'signatures of node `{node}` cannot be checked: {reason}',
    },
    help: 'Install a signed build of `{name}` in `{node}` (sign it with rpmsign), or change policy rule `{policyRule}`',
  },
  {
    id: 'RP046',
    slug: 'config-not-allowed',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: POLICY_CHECKS,
    tags: ['policy', 'red-pak', 'config'],
    summary: 'The merged red-pak configuration of a node has a key or value the policy denies',
    messages: {
      scalar:
        '`{key}: {value}` in the merged configuration of node `{node}` (set in `{from}`) is denied by policy rule `{policyRule}`',
      capability:
        'capability `{value}` is added to node `{node}` (in `{from}`), denied by policy rule `{policyRule}`',
      unknown: 'the red-pak configuration of node `{node}` cannot be checked: {reason}',
    },
    help: 'Change the configuration of `{node}` (or of the ancestor that sets it), or policy rule `{policyRule}`',
  },
  {
    id: 'RP050',
    slug: 'request-no-match',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: LOCKS,
    tags: ['lock', 'manifest'],
    summary: 'An install request of a node matches no package the node may take',
    messages: {
      none: 'request `{request}` of node `{node}` matches no package for {arch}',
      suggestions:
        'request `{request}` of node `{node}` matches no package for {arch}; did you mean {suggestions}?',
      excluded: 'request `{request}` of node `{node}` matches only excluded packages ({excluded})',
    },
    help: 'Fix the spelling of `{request}`, or give the repository that has it',
  },
  {
    id: 'RP051',
    slug: 'request-conflicts-ancestor',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: LOCKS,
    tags: ['lock', 'red-pak'],
    summary: 'An install request needs a change of a package locked in an ancestor node',
    messages: {
      ancestor:
        'request `{request}` of node `{node}` needs a change of `{other}`, locked in ancestor `{otherNode}`',
    },
    help: 'Install `{request}` in `{otherNode}` instead, or change `{otherNode}` first',
  },
  {
    id: 'RP052',
    slug: 'request-best-not-installable',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: LOCKS,
    tags: ['lock', 'installability'],
    summary: 'The best candidate of an install request cannot be installed (best: true)',
    messages: {
      best: 'the best candidate of request `{request}` of node `{node}` cannot be installed; with --no-best it takes {other}',
    },
    help: 'Fix what keeps the best candidate out (see the evidence), or set `best: false` for `{node}`',
  },
  {
    id: 'RP053',
    slug: 'request-not-installable',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: LOCKS,
    tags: ['lock', 'installability'],
    summary: "libsolv finds no solution for a node's install requests",
    messages: {
      problem: 'request `{request}` of node `{node}` cannot be installed: {problem}',
      together: 'the requests of node `{node}` cannot be installed together: {problem}',
    },
    help: 'Apply one of the solutions listed in the evidence to the requests of `{node}`',
  },
  {
    id: 'RP054',
    slug: 'request-already-met',
    level: 'note',
    status: 'preview',
    since: '0.1.0',
    commands: LOCKS,
    tags: ['lock'],
    summary: "An install request is already met by the node's view and installs nothing",
    messages: {
      met: 'request `{request}` of node `{node}` is already met by `{package}` in `{otherNode}`: it installs nothing',
    },
    help: 'Drop `{request}` from `{node}`, or keep it as documentation',
  },
  {
    id: 'RP055',
    slug: 'lock-package-missing',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: ['audit'],
    tags: ['lock', 'audit'],
    summary: 'A locked package is not installed in its node of the image',
    messages: { missing: 'locked package `{package}` is not installed in node `{node}` of the image' },
    help: 'Install `{package}` in `{node}`, or lock again if the lock is what is wrong',
  },
  {
    id: 'RP056',
    slug: 'lock-package-extra',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: ['audit'],
    tags: ['lock', 'audit'],
    summary: 'A package installed in a node of the image is not in the lock for that node',
    messages: {
      extra: '`{package}` is installed in node `{node}` of the image but the lock does not hold it there',
    },
    help: 'Erase `{package}` from `{node}`, or add its request to the manifest and lock again',
  },
  {
    id: 'RP057',
    slug: 'lock-identity-mismatch',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: ['audit'],
    tags: ['lock', 'audit'],
    summary: 'An installed package has the locked NEVRA but not the locked identity',
    messages: { identity: '`{package}` in node `{node}` is not the locked build: {differences}' },
    help: 'Install `{package}` from the locked repository in `{node}`',
  },
  {
    id: 'RP058',
    slug: 'lock-node-mismatch',
    level: 'error',
    status: 'preview',
    since: '0.1.0',
    commands: ['audit'],
    tags: ['lock', 'audit'],
    summary: 'A node of the image is not in the lock, or a node of the lock is not in the image',
    messages: {
      missingNode: 'node `{node}` of the lock is not in the image',
      extraNode: 'node `{node}` of the image is not in the lock (of `{file}`)',
    },
    help: 'Create or remove node `{node}` so that the image has the locked nodes, or lock again',
  },
  {
    id: 'RP090',
    slug: 'waiver-expired',
    level: 'warning',
    status: 'stable',
    since: '0.1.0',
    commands: ['policy'],
    tags: ['policy'],
    summary: 'A waiver has passed its expiry date and no longer suppresses findings',
    messages: {
      expired: 'waiver for `{rule}` on `{scope}` expired on {expires} and no longer applies',
    },
    help: 'Fix the findings it covered, or extend `expires` after review',
  },
  {
    id: 'RP091',
    slug: 'waiver-unused',
    level: 'note',
    status: 'stable',
    since: '0.1.0',
    commands: ['policy'],
    tags: ['policy'],
    summary: 'A waiver matches no finding of the run',
    messages: {
      unused: 'waiver for `{rule}` on `{scope}` matches no finding',
    },
    help: 'Delete the waiver, or fix its `node`/`package` patterns',
  },
];

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));
const BY_SLUG = new Map(RULES.map((rule) => [rule.slug, rule]));

/** The catalog entry for a code (`RP001`) or slug (`unresolved-dependency`), case-insensitive on codes. */
export function findRule(codeOrSlug: string): RuleSpec | undefined {
  return BY_ID.get(codeOrSlug.toUpperCase()) ?? BY_SLUG.get(codeOrSlug.toLowerCase());
}

/** Repository-relative path of the rule's doc page, e.g. `rules/RP001-unresolved-dependency.md`. */
export function ruleDocPath(rule: Pick<RuleMeta, 'id' | 'slug'>): string {
  return `rules/${rule.id}-${rule.slug}.md`;
}

/** The shared `RuleMeta` view of a catalog entry, as stored in `CheckResult.rules`. */
export function toRuleMeta(rule: RuleSpec): RuleMeta {
  return { id: rule.id, slug: rule.slug, level: rule.level, summary: rule.summary, tags: [...rule.tags] };
}

/** Rules evaluated by a command, in code order. */
export function rulesFor(command: RuleCommand): RuleSpec[] {
  return RULES.filter((rule) => rule.commands.includes(command) && rule.status !== 'removed');
}

/** Numeric rank of a level: note 1, warning 2, error 3. */
export function levelRank(level: Level): number {
  return level === 'error' ? 3 : level === 'warning' ? 2 : 1;
}

/**
 * Placeholders filled with a text made of several values (libsolv's problem text, a reason, a list):
 * cut at CLIP_TEXT_LENGTH; every other placeholder holds one value, cut at CLIP_LENGTH.
 */
const TEXT_PLACEHOLDERS = new Set([
  'problem',
  'reason',
  'suggestions',
  'nodes',
  'differences',
  'terms',
  'keys',
  'denied',
  'excluded',
]);

/**
 * Fills `{name}` placeholders of a message or help template; unknown placeholders stay verbatim so a
 * missing datum is visible instead of silently empty. Values come from the input: each is clipped
 * (`… (N characters)`), so a 50 MB dependency never makes a 50 MB message.
 */
export function formatTemplate(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (whole, key: string) => {
    const value = data[key];
    if (value === undefined) return whole;
    return clip(String(value), TEXT_PLACEHOLDERS.has(key) ? CLIP_TEXT_LENGTH : CLIP_LENGTH);
  });
}

/** Formats message `messageId` of rule `code`; throws when either is unknown (a programming error). */
export function ruleMessage(
  code: string,
  messageId: string,
  data: Readonly<Record<string, string | number>>,
): string {
  const rule = BY_ID.get(code);
  const template = rule?.messages[messageId];
  if (template === undefined) {
    throw new Error(`unknown message \`${messageId}\` of rule \`${code}\``);
  }
  return formatTemplate(template, data);
}

/** Formats the help template of rule `code`. */
export function ruleHelp(code: string, data: Readonly<Record<string, string | number>>): string {
  const rule = BY_ID.get(code);
  if (rule === undefined) {
    throw new Error(`unknown rule \`${code}\``);
  }
  return formatTemplate(rule.help, data);
}
