import type { Subject } from './finding.js';
import { orderSubjects } from './subjects.js';

/** Installed bytes of one layer (host or node) and of its view. */
export interface LayerFootprint {
  /** Subject id. */
  id: string;
  kind: 'host' | 'node';
  /** Id of the parent layer among the subjects; absent for a root (the host). */
  parent?: string;
  /** Bytes of the layer's own packages, each NEVRA once, over those whose size is known. */
  ownBytes: number;
  /** The layer's own packages, each NEVRA once. */
  ownPackages: number;
  /** Own packages whose installed size the sources do not give: not in `ownBytes`. */
  ownUnknown: number;
  /** Bytes of the view (the layer and its ancestors), each NEVRA once: what a standalone container of it holds. */
  viewBytes: number;
  viewPackages: number;
  /** Packages of the view whose installed size is unknown: not in `viewBytes`. */
  viewUnknown: number;
}

/**
 * What a red-pak family installs against the same nodes as standalone containers: the family installs
 * each layer's own packages once (the host's included), a container per node carries its whole view.
 */
export interface Footprint {
  /** Sum of every layer's `ownBytes`. */
  familyBytes: number;
  /** Sum of every node's `viewBytes` (the host is not a container; it is in every view). */
  standaloneBytes: number;
  /** `standaloneBytes - familyBytes`: what sharing the layers saves (negative only for a family without a shared host). */
  savedBytes: number;
  /** `standaloneBytes / familyBytes`, rounded to 3 decimals; absent when the family has no known byte. */
  sharingRatio?: number;
  /** Nodes counted as containers: every layer but the host. */
  containers: number;
  /** Package entries of the family, each layer's own once. */
  packages: number;
  /** Of those, the ones of unknown installed size (not counted in any byte total). */
  unknownSizePackages: number;
  /** Per layer, in family-tree order (depth-first, children by id). */
  layers: LayerFootprint[];
}

interface Own {
  /** NEVRA → installed size (undefined: unknown), each NEVRA once. */
  sizes: Map<string, number | undefined>;
  bytes: number;
  unknown: number;
}

function own(subject: Subject): Own {
  const sizes = new Map<string, number | undefined>();
  for (const p of subject.packages) {
    if (sizes.has(p.nevra) && sizes.get(p.nevra) !== undefined) continue;
    sizes.set(p.nevra, p.installSize);
  }
  let bytes = 0;
  let unknown = 0;
  for (const size of sizes.values()) {
    if (size === undefined) unknown++;
    else bytes += size;
  }
  return { sizes, bytes, unknown };
}

/**
 * The footprint of the family formed by the host and node subjects of a result; undefined when there is
 * none (repo-check). A package counts by its `installSize`; one without is counted apart, never as 0.
 * A NEVRA that a layer and one of its ancestors both hold (RP003) is one package of the view.
 */
export function familyFootprint(subjects: readonly Subject[]): Footprint | undefined {
  const layers = orderSubjects(subjects.filter((s) => s.kind === 'host' || s.kind === 'node'));
  if (layers.length === 0) return undefined;
  const index = new Map(layers.map((s, i) => [s.id, i]));
  // A parent counts when it comes first in tree order; a cycle thus ends in a root (as the HTML tree draws it).
  const parentOf = layers.map((s, i) => {
    const p = s.parent !== undefined && s.parent !== s.id ? index.get(s.parent) : undefined;
    return p !== undefined && p < i ? p : -1;
  });
  // Preorder intervals: a is a proper ancestor of b when enter[a] < enter[b] <= leave[a].
  const children: number[][] = layers.map(() => []);
  parentOf.forEach((p, i) => {
    if (p >= 0) children[p]!.push(i);
  });
  const enter = new Array<number>(layers.length).fill(0);
  const leave = new Array<number>(layers.length).fill(0);
  let clock = 0;
  for (let root = 0; root < layers.length; root++) {
    if (parentOf[root]! >= 0) continue;
    const stack: [number, number][] = [[root, 0]];
    enter[root] = clock++;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const child = children[top[0]]![top[1]++];
      if (child === undefined) {
        leave[top[0]] = clock - 1;
        stack.pop();
      } else {
        enter[child] = clock++;
        stack.push([child, 0]);
      }
    }
  }
  const isAncestor = (a: number, b: number) => enter[a]! < enter[b]! && enter[b]! <= leave[a]!;
  const owns = layers.map(own);
  const holders = new Map<string, number[]>();
  owns.forEach((o, i) => {
    for (const nevra of o.sizes.keys()) {
      const list = holders.get(nevra);
      if (list) list.push(i);
      else holders.set(nevra, [i]);
    }
  });
  const out: LayerFootprint[] = [];
  let familyBytes = 0;
  let standaloneBytes = 0;
  let containers = 0;
  let packages = 0;
  let unknownSizePackages = 0;
  layers.forEach((subject, i) => {
    const o = owns[i]!;
    const parent = parentOf[i]! >= 0 ? out[parentOf[i]!] : undefined;
    // the view adds the layer's packages its ancestors do not already hold
    let addBytes = 0;
    let addCount = 0;
    let addUnknown = 0;
    for (const [nevra, size] of o.sizes) {
      if (parent && holders.get(nevra)!.some((h) => isAncestor(h, i))) continue;
      addCount++;
      if (size === undefined) addUnknown++;
      else addBytes += size;
    }
    const layer: LayerFootprint = {
      id: subject.id,
      kind: subject.kind as 'host' | 'node',
      ...(parent && { parent: parent.id }),
      ownBytes: o.bytes,
      ownPackages: o.sizes.size,
      ownUnknown: o.unknown,
      viewBytes: (parent?.viewBytes ?? 0) + addBytes,
      viewPackages: (parent?.viewPackages ?? 0) + addCount,
      viewUnknown: (parent?.viewUnknown ?? 0) + addUnknown,
    };
    out.push(layer);
    familyBytes += layer.ownBytes;
    packages += layer.ownPackages;
    unknownSizePackages += layer.ownUnknown;
    if (layer.kind === 'node') {
      standaloneBytes += layer.viewBytes;
      containers++;
    }
  });
  return {
    familyBytes,
    standaloneBytes,
    savedBytes: standaloneBytes - familyBytes,
    ...(familyBytes > 0 && { sharingRatio: Math.round((standaloneBytes / familyBytes) * 1000) / 1000 }),
    containers,
    packages,
    unknownSizePackages,
    layers: out,
  };
}
