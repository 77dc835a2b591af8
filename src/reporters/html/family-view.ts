import type { CheckResult, Subject } from '../../model/finding.js';
import { countLevels, type LevelCounts, orderSubjects, subjectDepths, subjectIdOf } from '../common.js';

/** A subject placed in the family tree, with its sizes and findings. */
export interface NodeView {
  subject: Subject;
  /** Position in tree order (depth-first, children by id). */
  index: number;
  depth: number;
  /** Index of the parent in tree order; -1 for a root. */
  parentIndex: number;
  /** Bytes of the node's own packages. */
  ownSize: number;
  /** Bytes of the node's view: its packages and every ancestor's. */
  viewSize: number;
  ownCount: number;
  viewCount: number;
  findings: LevelCounts;
}

/**
 * What a red-pak family saves over standalone containers: the family installs each layer's own packages
 * once, a container per node would carry its whole view.
 */
export interface Footprint {
  familyBytes: number;
  standaloneBytes: number;
  /** Nodes counted as containers (every subject but the host). */
  containers: number;
}

/** The subjects in tree order with sizes and finding counts. */
export function familyView(result: CheckResult): NodeView[] {
  const ordered = orderSubjects(result.subjects);
  const depths = subjectDepths(ordered);
  const indexOf = new Map(ordered.map((s, i) => [s.id, i]));
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
    const ownSize = subject.installedSize ?? subject.packages.reduce((n, p) => n + (p.installSize ?? 0), 0);
    const parentIndex =
      subject.parent !== undefined && subject.parent !== subject.id
        ? (indexOf.get(subject.parent) ?? -1)
        : -1;
    // Parents come before children in tree order, so their view is already known (a cycle has no parent here).
    const parent = parentIndex >= 0 && parentIndex < index ? views[parentIndex] : undefined;
    views.push({
      subject,
      index,
      depth: parent ? (depths.get(subject.id) ?? 0) : 0,
      parentIndex: parent ? parentIndex : -1,
      ownSize,
      viewSize: ownSize + (parent?.viewSize ?? 0),
      ownCount: subject.packages.length,
      viewCount: subject.packages.length + (parent?.viewCount ?? 0),
      findings: countLevels(byFinding.get(subject.id) ?? []),
    });
  });
  return views;
}

/** The family's footprint against one standalone container per node. */
export function footprint(views: readonly NodeView[]): Footprint {
  let familyBytes = 0;
  let standaloneBytes = 0;
  let containers = 0;
  for (const v of views) {
    familyBytes += v.ownSize;
    if (v.subject.kind === 'node') {
      standaloneBytes += v.viewSize;
      containers++;
    }
  }
  return { familyBytes, standaloneBytes, containers };
}
