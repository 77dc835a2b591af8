/** The hoist opt-outs of a family: the manifest's `hoist:` keys and the command line's. */
import { UsageError } from '../../load/errors.js';
import { HOST, type Manifest } from '../../load/manifest.js';
import type { HoistOptOuts } from './plan.js';

export interface HoistFlags {
  /** `--hoist-never GLOB`: never hoisted, family-wide. */
  never?: readonly string[];
  /** `--hoist-isolate NODE`: receives no hoisted package. */
  isolate?: readonly string[];
}

/** Family-wide and per-layer patterns never hoisted, and the isolated layers (`receive: false`). */
export function hoistOptOuts(manifest: Manifest, flags: HoistFlags = {}): HoistOptOuts {
  const layers = [HOST, ...manifest.nodes.map((n) => n.alias)];
  for (const n of flags.isolate ?? []) {
    if (!layers.includes(n))
      throw new UsageError(
        `--hoist-isolate: unknown node \`${n}\`; nodes of the family: ${layers.join(', ')}`,
      );
  }
  const nodeNever = new Map<string, string[]>();
  const isolated = new Set<string>(flags.isolate ?? []);
  const layer = (id: string, h: Manifest['nodes'][number]['hoist']) => {
    if (!h) return;
    if (h.never.length)
      nodeNever.set(
        id,
        h.never.map((r) => r.text),
      );
    if (h.receive === false) isolated.add(id);
  };
  layer(HOST, manifest.host?.hoist);
  for (const n of manifest.nodes) layer(n.alias, n.hoist);
  return {
    never: [...(manifest.hoist?.never.map((r) => r.text) ?? []), ...(flags.never ?? [])],
    nodeNever,
    isolated,
  };
}
