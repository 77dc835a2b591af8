import type { CheckResult, Subject } from '../../model/finding.js';
import { type Footprint, familyFootprint } from '../../model/footprint.js';
import { countLevels, type LevelCounts, orderSubjects, subjectDepths, subjectIdOf } from '../common.js';

/** A subject placed in the family tree, with its sizes (from the footprint) and findings. */
export interface NodeView {
  subject: Subject;
  /** Position in tree order (depth-first, children by id). */
  index: number;
  depth: number;
  /** Index of the parent in tree order; -1 for a root. */
  parentIndex: number;
  /** Bytes of the node's own packages of known size, each NEVRA once. */
  ownSize: number;
  /** Bytes of the node's view (its packages and every ancestor's, each NEVRA once), of known size. */
  viewSize: number;
  ownCount: number;
  viewCount: number;
  /** Packages whose installed size is unknown: not in ownSize / viewSize. */
  ownUnknown: number;
  viewUnknown: number;
  findings: LevelCounts;
}

/** The subjects in tree order with sizes and finding counts, and the family's footprint (none for repo-check). */
export function familyView(result: CheckResult): { views: NodeView[]; footprint: Footprint | undefined } {
  const ordered = orderSubjects(result.subjects);
  const depths = subjectDepths(ordered);
  const indexOf = new Map(ordered.map((s, i) => [s.id, i]));
  const footprint = familyFootprint(result.subjects);
  const layers = new Map(footprint?.layers.map((l) => [l.id, l]));
  const views: NodeView[] = [];
  const byFinding = new Map<string, CheckResult['findings']>();
  for (const f of result.findings) {
    const id = subjectIdOf(f);
    if (id === undefined) continue;
    const list = byFinding.get(id) ?? [];
    list.push(f);
    byFinding.set(id, list);
  }
  ordered.forEach((subject, index) => {
    const parentIndex =
      subject.parent !== undefined && subject.parent !== subject.id
        ? (indexOf.get(subject.parent) ?? -1)
        : -1;
    // Parents come before children in tree order (a cycle has no parent here), as in the footprint.
    const parent = parentIndex >= 0 && parentIndex < index ? views[parentIndex] : undefined;
    const layer = layers.get(subject.id);
    // a repository (repo-check) is no layer: its own packages, no view
    const known = subject.packages.filter((p) => p.installSize !== undefined);
    const ownSize = layer?.ownBytes ?? known.reduce((n, p) => n + p.installSize!, 0);
    const ownUnknown = layer?.ownUnknown ?? subject.packages.length - known.length;
    views.push({
      subject,
      index,
      depth: parent ? (depths.get(subject.id) ?? 0) : 0,
      parentIndex: parent ? parentIndex : -1,
      ownSize,
      viewSize: layer?.viewBytes ?? ownSize,
      ownCount: layer?.ownPackages ?? subject.packages.length,
      viewCount: layer?.viewPackages ?? subject.packages.length,
      ownUnknown,
      viewUnknown: layer?.viewUnknown ?? ownUnknown,
      findings: countLevels(byFinding.get(subject.id) ?? []),
    });
  });
  return { views, footprint };
}
