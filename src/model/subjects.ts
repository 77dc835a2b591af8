import type { Subject } from './finding.js';

/** Plain code-point comparison: `localeCompare` depends on the machine's ICU data and would break determinism. */
export function compareText(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Subjects sorted by id. */
export function sortSubjects(subjects: readonly Subject[]): Subject[] {
  return [...subjects].sort((a, b) => compareText(a.id, b.id));
}

/**
 * Subjects in family-tree order: roots (no parent, or a parent that is not a subject) by id, each followed
 * depth-first by its children sorted by id. Cycles cannot hide a subject: leftovers come last, by id.
 */
export function orderSubjects(subjects: readonly Subject[]): Subject[] {
  const sorted = sortSubjects(subjects);
  const ids = new Set(sorted.map((s) => s.id));
  const children = new Map<string, Subject[]>();
  const roots: Subject[] = [];
  for (const subject of sorted) {
    if (subject.parent !== undefined && subject.parent !== subject.id && ids.has(subject.parent)) {
      children.set(subject.parent, [...(children.get(subject.parent) ?? []), subject]);
    } else {
      roots.push(subject);
    }
  }
  const out: Subject[] = [];
  const seen = new Set<Subject>();
  const walk = (subject: Subject) => {
    if (seen.has(subject)) return;
    seen.add(subject);
    out.push(subject);
    for (const child of children.get(subject.id) ?? []) walk(child);
  };
  for (const root of roots) walk(root);
  for (const subject of sorted) walk(subject);
  return out;
}

/** Depth of each subject in the family tree (roots 0), following `parent` links among the subjects. */
export function subjectDepths(subjects: readonly Subject[]): Map<string, number> {
  const byId = new Map(subjects.map((s) => [s.id, s]));
  const depths = new Map<string, number>();
  for (const subject of subjects) {
    let depth = 0;
    let current = subject;
    const seen = new Set<string>([subject.id]);
    while (current.parent !== undefined && byId.has(current.parent) && !seen.has(current.parent)) {
      seen.add(current.parent);
      current = byId.get(current.parent)!;
      depth++;
    }
    depths.set(subject.id, depth);
  }
  return depths;
}
