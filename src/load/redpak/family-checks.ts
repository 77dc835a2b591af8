import type { Finding, Span } from '../../model/index.js';
import { clip } from '../../util/clip.js';
import type { NodeConfig } from './config.js';
import { redpakFinding } from './finding.js';
import { SHARE_KEYS, type ShareKey } from './schema.js';

/** What the family checks need of a node. */
export interface FamilyNode {
  path: string;
  /** Image path of the parent node, or `host`. */
  parentPath: string;
  config?: NodeConfig | undefined;
  adminConfig?: NodeConfig | undefined;
}

/** Ancestors of `node`, nearest first. */
function ancestors(node: FamilyNode, byPath: ReadonlyMap<string, FamilyNode>): FamilyNode[] {
  const out: FamilyNode[] = [];
  const seen = new Set<string>([node.path]);
  let p = byPath.get(node.parentPath);
  while (p !== undefined && !seen.has(p.path)) {
    out.push(p);
    seen.add(p.path);
    p = byPath.get(p.parentPath);
  }
  return out;
}

/**
 * RP012 for an alias already used by another node of the image: the alias names the `/nodes/<alias>/…`
 * mount points and the cgroups, so an ancestor with the same alias collides in every run of the node,
 * and any other node of the image with it collides as soon as both run (red-pak mounts both on
 * `/nodes/<alias>`). FORMATS.md §3.1: red-pak itself checks nothing; the 2020 README says an alias
 * "should be unique within your Redpath". Reported at the later node (path order), pointing at the first.
 */
export function checkDuplicateAliases(nodes: readonly FamilyNode[]): Finding[] {
  const byPath = new Map(nodes.map((n) => [n.path, n]));
  const findings: Finding[] = [];
  const firstWith = new Map<string, FamilyNode>();
  for (const n of [...nodes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const alias = n.config?.headers.alias;
    if (alias === undefined) continue;
    const ancestor = ancestors(n, byPath).find((a) => a.config?.headers.alias === alias);
    const first = firstWith.get(alias);
    if (first === undefined) firstWith.set(alias, n);
    const clash = ancestor ?? first;
    if (clash === undefined) continue;
    const where = ancestor
      ? `its ancestor \`${clash.path}\``
      : `\`${clash.path}\` (both would be mounted on \`/nodes/${alias}\`)`;
    findings.push(
      redpakFinding('RP012', {
        node: n.path,
        subject: `duplicate:${alias}`,
        message: `alias \`${clip(alias)}\` of node \`${n.path}\` is already used by ${where}`,
        help: `Give \`${n.path}\` an alias unique within the image (mount points \`/nodes/<alias>\` and cgroups collide)`,
        location: locationOf(n.config!, 'headers.alias'),
        evidence: [
          {
            role: 'first',
            text: `alias \`${alias}\` of \`${clash.path}\``,
            location: locationOf(clash.config!, 'headers.alias'),
          },
        ],
      }),
    );
  }
  return findings;
}

function locationOf(cfg: NodeConfig, path: string): Span {
  return cfg.locations.get(path) ?? { file: cfg.file, line: 1, column: 1 };
}

/** Namespace kinds covered by `share_all`. */
const NAMESPACES = SHARE_KEYS.filter((k) => k !== 'share_all');

type ShareValue = 'enabled' | 'disabled' | 'unset' | 'join';

/** `enabled|disabled|unset` (any case), anything else is a namespace path to join (since 2.4.0). */
function shareValue(raw: string): ShareValue {
  const v = raw.toLowerCase();
  if (v === 'enabled' || v === 'disabled' || v === 'unset') return v;
  return 'join';
}

interface Origin {
  node: string;
  file: string;
}

interface PrivilegeState {
  /** Namespace key (share_net...) → node that disabled it. */
  unshared: Map<ShareKey, Origin>;
  /** Lower-case capability name, or `all` → node that dropped it. */
  dropped: Map<string, Origin>;
}

/**
 * RP013: a child re-enables a capability or a namespace sharing that an ancestor disabled.
 * FORMATS.md §3.8 ("Merge matrix", QA/REDPAK.DSG.md, `redconf-mix.c`): "Capabilities and
 * `share_*`: a child cannot enable what a parent disabled. The matrix marks that case as ERROR."
 * Within one node the admin config is applied after the normal one (admin wins over normal).
 * `share_all: disabled` disables every namespace; joining a namespace path counts as sharing.
 * `cap: ALL, add: 0` drops every capability; a later `add: 1` in the same node restores one.
 */
export function checkPrivileges(nodes: readonly FamilyNode[]): Finding[] {
  const byPath = new Map(nodes.map((n) => [n.path, n]));
  const findings: Finding[] = [];
  for (const n of nodes) {
    // State inherited from the ancestors, applied from the top down.
    const chain = ancestors(n, byPath).reverse();
    const state: PrivilegeState = { unshared: new Map(), dropped: new Map() };
    for (const a of chain) applyNode(a, state, undefined);
    applyNode(n, state, findings);
  }
  return findings;
}

function configsOf(n: FamilyNode): NodeConfig[] {
  return [n.config, n.adminConfig].filter((c): c is NodeConfig => c !== undefined);
}

function applyNode(n: FamilyNode, state: PrivilegeState, findings: Finding[] | undefined): void {
  const inherited: PrivilegeState = { unshared: new Map(state.unshared), dropped: new Map(state.dropped) };
  for (const cfg of configsOf(n)) {
    const origin = { node: n.path, file: cfg.file };
    for (const key of SHARE_KEYS) {
      const raw = cfg.config.scalars[key];
      if (raw === undefined) continue;
      const v = shareValue(raw);
      const covers: ShareKey[] = key === 'share_all' ? [...NAMESPACES] : [key];
      if (v === 'disabled') {
        for (const k of covers) if (!state.unshared.has(k)) state.unshared.set(k, origin);
      } else if (v === 'enabled' || v === 'join') {
        const blocked = covers
          .map((k) => [k, inherited.unshared.get(k)] as const)
          .filter((e): e is readonly [ShareKey, Origin] => e[1] !== undefined);
        if (blocked.length > 0) {
          const first = blocked[0]!;
          findings?.push(
            redpakFinding('RP013', {
              node: n.path,
              subject: key,
              message:
                `\`${key}: ${clip(raw)}\` in node \`${n.path}\` re-enables ${blocked.map((b) => `\`${b[0]}\``).join(', ')}, ` +
                `disabled by ancestor \`${first[1].node}\``,
              help: `Remove \`${key}\` from \`${cfg.file}\`, or change the ancestor's \`${first[1].file}\`; red-pak refuses the merge`,
              location: locationOf(cfg, `config.${key}`),
            }),
          );
        } else {
          // Re-enabling what this same node disabled in its normal config: admin wins.
          for (const k of covers) if (state.unshared.get(k)?.node === n.path) state.unshared.delete(k);
        }
      }
    }
    cfg.config.capabilities.forEach((c, i) => {
      const cap = c.cap.toLowerCase();
      const add = isNonZero(c.add);
      if (!add) {
        if (cap === 'all') {
          for (const k of [...state.dropped.keys()])
            if (state.dropped.get(k)?.node === n.path) state.dropped.delete(k);
        }
        if (!state.dropped.has(cap)) state.dropped.set(cap, origin);
        return;
      }
      const by =
        cap === 'all'
          ? [...inherited.dropped].find(([k]) => !k.startsWith('!'))?.[1]
          : (inherited.dropped.get(cap) ??
            (inherited.dropped.has(`!${cap}`) ? undefined : inherited.dropped.get('all')));
      if (by !== undefined) {
        findings?.push(
          redpakFinding('RP013', {
            node: n.path,
            subject: `cap:${cap}`,
            message: `capability \`${clip(c.cap)}\` added in node \`${n.path}\` was dropped by ancestor \`${by.node}\``,
            help: `Remove the \`${clip(c.cap)}\` entry from \`${cfg.file}\`, or stop dropping it in \`${by.file}\`; red-pak refuses the merge`,
            location: locationOf(cfg, `config.capabilities[${i}]`),
          }),
        );
        return;
      }
      // Same-node restore after a local drop (`ALL` dropped, then one added back).
      if (state.dropped.get(cap)?.node === n.path) state.dropped.delete(cap);
      if (cap === 'all') {
        for (const k of [...state.dropped.keys()])
          if (state.dropped.get(k)?.node === n.path) state.dropped.delete(k);
      } else if (state.dropped.get('all')?.node === n.path) {
        // ALL dropped here, one cap added back: remember it as an exception of this node.
        state.dropped.set(`!${cap}`, origin);
      }
    });
  }
}

function isNonZero(s: string): boolean {
  const n = Number.parseInt(s.trim(), s.trim().toLowerCase().startsWith('0x') ? 16 : 10);
  return Number.isFinite(n) && n !== 0;
}
