import type { Host } from '../host/host.js';
import { ImageRoot } from '../host/image-root.js';
import { discoverNodes } from '../load/redpak/discover.js';
import { loadPackageLayers } from '../load/redpak/layers.js';
import type { PackageFile } from '../load/rpmdb/types.js';
import type { CheckResult, Finding, Subject, ToolErrorInfo } from '../model/finding.js';
import { rulesFor, toRuleMeta } from '../rules/catalog.js';
import { type Engine, loadEngine, type PackageSummary } from '../solver/index.js';
import { ancestorDuplicates, shareableDuplicates } from './checks/duplicates.js';
import { fileConflicts } from './checks/file-conflicts.js';
import { installabilityFindings } from './checks/installability.js';
import { Family, type Layer } from './family.js';
import { TOOL_VERSION } from './version.js';

export interface AuditOptions {
  /** Host path of the image root; nothing outside it is ever read. */
  imageRoot: string;
  /** Image path of the redroot (default var/redpak). */
  redroot?: string;
  /** Extra node paths (image paths). */
  nodes?: string[];
  /** Target arch (default: the most common arch of the installed packages). */
  arch?: string;
  onProgress?: (message: string) => void;
}

const AUDIT_RULES = [
  'RP001',
  'RP002',
  'RP003',
  'RP004',
  'RP005',
  'RP007',
  'RP010',
  'RP011',
  'RP012',
  'RP013',
];

/** `redproof audit`: proves what is really installed in a red-pak image tree. */
export async function audit(host: Host, options: AuditOptions, engine?: Engine): Promise<CheckResult> {
  const image = new ImageRoot(host, options.imageRoot);
  options.onProgress?.('discovering nodes');
  const tree = await discoverNodes(image, {
    ...(options.redroot && { redroot: options.redroot }),
    ...(options.nodes && { nodes: options.nodes }),
  });
  options.onProgress?.('reading rpm databases');
  const { layers: pkgLayers, errors: dbErrors } = await loadPackageLayers(image, tree);
  const e = engine ?? (await loadEngine());
  const pool = e.createPool(options.arch ?? 'noarch');
  try {
    const fileInfo = new Map<number, PackageFile[]>();
    const layers: Layer[] = [];
    for (const pl of pkgLayers) {
      const repo = pool.addRepo(`@${pl.id}`);
      const layer: Layer = {
        id: pl.id,
        kind: pl.id === 'host' ? 'host' : 'node',
        parent: pl.id === 'host' ? undefined : (pl.parent ?? 'host'),
        packages: [],
      };
      const node = tree.nodes.find((n) => n.path === pl.id);
      if (node) layer.location = { file: `${node.path}/.rednode.yaml`, line: 1, column: 1 };
      pl.blobs.forEach((blob, i) => {
        const id = repo.addRpmHeader(blob, `${pl.file ?? pl.rpmdbPath} (${pl.id})`);
        layer.packages.push({ id });
        fileInfo.set(id, pl.packages[i]?.files ?? []);
      });
      layers.push(layer);
    }
    const arch = options.arch ?? dominantArch(pkgLayers.flatMap((l) => l.packages.map((p) => p.arch)));
    pool.setArch(arch);
    pool.prepare();
    const byId = new Map(pool.list().map((p) => [p.id, p]));
    const info = (id: number): PackageSummary => byId.get(id)!;
    const family = new Family(orderLayers(layers));
    const findings: Finding[] = [...tree.findings];
    findings.push(...ancestorDuplicates(family, info));
    findings.push(...shareableDuplicates(family, info));
    findings.push(...installabilityFindings(pool, family, info));
    const files = (id: number) =>
      (fileInfo.get(id) ?? []).filter((f) => (f.mode & 0o170000) !== 0o040000).map((f) => f.path);
    const content = (id: number, path: string) => {
      const f = fileInfo.get(id)?.find((x) => x.path === path);
      return f && { digest: f.digest, mode: f.mode };
    };
    findings.push(...fileConflicts(family, info, files, content));
    const aliasOf = new Map(tree.nodes.map((n) => [n.path, n.alias]));
    const subjects: Subject[] = family.layers.map((l) => ({
      id: l.id,
      kind: l.kind,
      ...(aliasOf.has(l.id) && { alias: aliasOf.get(l.id)! }),
      ...(l.parent !== undefined && { parent: l.parent }),
      ...(l.location && { location: l.location }),
      packages: l.packages
        .map((p) => ({ nevra: info(p.id).nevra, repo: info(p.id).repo }))
        .sort((a, b) => (a.nevra < b.nevra ? -1 : a.nevra > b.nevra ? 1 : 0)),
      installedSize: l.packages.reduce((n, p) => n + info(p.id).installSize, 0),
      checked: AUDIT_RULES,
    }));
    for (const f of findings) if (f.location && !f.location.file) delete f.location;
    const errors: ToolErrorInfo[] = dbErrors.map((err) => ({
      kind: `rpmdb-${err.kind}`,
      message: err.message,
      ...(err.file && { file: err.file }),
    }));
    const examined = family.layers.reduce((n, l) => n + l.packages.length, 0);
    if (examined === 0 && errors.length === 0) {
      errors.push({
        kind: 'nothing-examined',
        message: `no installed package found in ${options.imageRoot}: nothing was proven`,
        file: 'var/lib/rpm',
      });
    }
    return {
      command: 'audit',
      tool: { name: 'redproof', version: TOOL_VERSION, libsolv: e.libsolvVersion },
      target: tree.nodes.find((n) => n.parentPath === 'host')?.alias ?? 'image',
      arch,
      subjects,
      findings,
      errors,
      rules: rulesFor('audit')
        .filter((r) => AUDIT_RULES.includes(r.id))
        .map(toRuleMeta),
      stats: { packagesExamined: examined, nodes: tree.nodes.length },
    };
  } finally {
    pool.dispose();
  }
}

/** Parents before children. */
function orderLayers(layers: Layer[]): Layer[] {
  const out: Layer[] = [];
  const placed = new Set<string>();
  let rest = [...layers].sort((a, b) => (a.id === 'host' ? -1 : b.id === 'host' ? 1 : a.id < b.id ? -1 : 1));
  while (rest.length) {
    const next = rest.filter((l) => l.parent === undefined || placed.has(l.parent));
    if (next.length === 0) break;
    for (const l of next) {
      out.push(l);
      placed.add(l.id);
    }
    rest = rest.filter((l) => !placed.has(l.id));
  }
  return out;
}

function dominantArch(arches: string[]): string {
  const counts = new Map<string, number>();
  for (const a of arches) if (a && a !== 'noarch') counts.set(a, (counts.get(a) ?? 0) + 1);
  let best = 'noarch';
  let n = 0;
  for (const [a, c] of [...counts].sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (c > n) {
      best = a;
      n = c;
    }
  }
  return best;
}
