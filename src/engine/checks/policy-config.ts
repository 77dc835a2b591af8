import type { NodeConfig } from '../../load/redpak/config.js';
import type { Span } from '../../model/finding.js';
import type { MergedConfig } from '../../policy/rules-file/model.js';

/** What the merge needs of a node: its path and both configuration files. */
export interface ConfigNode {
  path: string;
  config?: NodeConfig | undefined;
  adminConfig?: NodeConfig | undefined;
}

/**
 * A node's configuration merged down its chain (FORMATS.md §3.8): scalars from the top down, the child
 * winning and, within a node, admin over normal; capabilities added or dropped in that same order.
 * `chain` lists the node's ancestors from the top, then the node itself.
 */
export function mergeConfig(chain: readonly ConfigNode[]): MergedConfig {
  const scalars = new Map<string, { value: string; node: string; location?: Span }>();
  const capabilities = new Map<string, { node: string; location?: Span }>();
  for (const n of chain) {
    for (const cfg of [n.config, n.adminConfig]) {
      if (!cfg) continue;
      for (const [key, value] of Object.entries(cfg.config.scalars)) {
        const location = cfg.locations.get(`config.${key}`);
        scalars.set(key, { value, node: n.path, ...(location && { location }) });
      }
      cfg.config.capabilities.forEach((c, i) => {
        const cap = c.cap.toUpperCase();
        const add = Number.parseInt(c.add, c.add.trim().toLowerCase().startsWith('0x') ? 16 : 10);
        if (Number.isFinite(add) && add !== 0) {
          const location = cfg.locations.get(`config.capabilities[${i}]`);
          capabilities.set(cap, { node: n.path, ...(location && { location }) });
        } else if (cap === 'ALL') capabilities.clear();
        else capabilities.delete(cap);
      });
    }
  }
  return { scalars, capabilities };
}
