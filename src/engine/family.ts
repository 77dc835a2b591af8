import type { PackageFacts, PackageRef, Span, Subject } from '../model/finding.js';
import type { PackageSummary } from '../solver/index.js';

/** A layer of a family: the host (bottom) or a node. Packages are solvable ids of one shared pool. */
export interface Layer {
  /** `host`, a node alias (manifest) or a node path (image). */
  id: string;
  kind: 'host' | 'node';
  /** Parent layer id; undefined for the host. */
  parent: string | undefined;
  /** Where the layer is declared. */
  location?: Span;
  /** Own packages, by solvable id, with where each was asked for. */
  packages: { id: number; entry?: { text: string; span: Span } }[];
}

/** A family resolved to solvables, with the ancestry helpers every check needs. */
export class Family {
  readonly layers: Layer[];
  readonly #byId = new Map<string, Layer>();
  readonly #ancestors = new Map<string, string[]>();
  /** Layers holding each solvable id. */
  readonly holders = new Map<number, string[]>();
  readonly #own = new Map<string, Set<number>>();

  /** `layers` must list parents before children. */
  constructor(layers: Layer[]) {
    this.layers = layers;
    for (const l of layers) {
      this.#byId.set(l.id, l);
      const chain: string[] = [];
      let p = l.parent;
      while (p !== undefined) {
        chain.push(p);
        p = this.#byId.get(p)?.parent;
      }
      this.#ancestors.set(l.id, chain);
      this.#own.set(l.id, new Set(l.packages.map((p) => p.id)));
      for (const pkg of l.packages) {
        const h = this.holders.get(pkg.id) ?? [];
        // a layer's entries are added together, so it is already listed only if it is the last one
        if (h[h.length - 1] !== l.id) h.push(l.id);
        this.holders.set(pkg.id, h);
      }
    }
  }

  layer(id: string): Layer {
    const l = this.#byId.get(id);
    if (!l) throw new Error(`unknown layer ${id}`);
    return l;
  }

  /** Ancestors of a layer, nearest first, ending with the host. */
  ancestors(id: string): string[] {
    return this.#ancestors.get(id) ?? [];
  }

  isAncestor(a: string, of: string): boolean {
    return this.ancestors(of).includes(a);
  }

  /** True when one of the two layers sees the other's packages. */
  related(a: string, b: string): boolean {
    return a === b || this.isAncestor(a, b) || this.isAncestor(b, a);
  }

  /** The layer's own packages plus those of all its ancestors (solvable ids, deduplicated). */
  view(id: string): number[] {
    const ids = new Set<number>();
    for (const l of [id, ...this.ancestors(id)]) for (const p of this.layer(l).packages) ids.add(p.id);
    return [...ids];
  }

  /** Which layer of `id`'s view holds solvable `pkg` (the nearest one), if any. */
  ownerInView(id: string, pkg: number): string | undefined {
    for (const l of [id, ...this.ancestors(id)])
      if (this.layer(l).packages.some((p) => p.id === pkg)) return l;
    return undefined;
  }

  /** Lowest common ancestor of layers (a layer counts as its own ancestor). */
  lowestCommonAncestor(ids: readonly string[]): string {
    const [first, ...rest] = ids;
    if (first === undefined) throw new Error('no layers');
    for (const cand of [first, ...this.ancestors(first)]) {
      if (rest.every((r) => r === cand || this.isAncestor(cand, r))) return cand;
    }
    return this.layers[0]!.id;
  }
}

/** The layers as report subjects: their packages by NEVRA (sorted) with their facts, installed size and the rules proven. */
export function layerSubjects(
  layers: readonly Layer[],
  info: (id: number) => PackageSummary,
  checked: string[],
  aliasOf: (layer: Layer) => string | undefined,
  facts?: (id: number) => PackageFacts,
  reasonOf: (layer: Layer, pkg: Layer['packages'][number]) => string | undefined = entryReason,
): Subject[] {
  return layers.map((l) => {
    const alias = aliasOf(l);
    return {
      id: l.id,
      kind: l.kind,
      ...(alias !== undefined && { alias }),
      ...(l.parent !== undefined && { parent: l.parent }),
      ...(l.location && { location: l.location }),
      packages: l.packages
        .map((p): PackageRef => {
          const reason = reasonOf(l, p);
          return {
            nevra: info(p.id).nevra,
            repo: info(p.id).repo,
            // the size even without the other facts (lock): every report's footprint counts it
            ...(info(p.id).hasInstallSize && { installSize: info(p.id).installSize }),
            ...facts?.(p.id),
            ...(reason !== undefined && { reason }),
          };
        })
        .sort((a, b) => (a.nevra < b.nevra ? -1 : a.nevra > b.nevra ? 1 : 0)),
      installedSize: l.packages.reduce((n, p) => n + info(p.id).installSize, 0),
      checked,
    };
  });
}

/** `manifest entry `bash` at family.yaml:12:5`: why a manifest layer holds a package. */
export function entryReason(_layer: Layer, pkg: Layer['packages'][number]): string | undefined {
  const e = pkg.entry;
  return e && `manifest entry \`${e.text}\` at ${e.span.file}:${e.span.line}:${e.span.column}`;
}
