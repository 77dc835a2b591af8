import type { CheckResult, Finding, Span } from '../model/finding.js';

/**
 * Where an audited image lies. `audit` reports paths relative to IMAGE_ROOT (what a user reads next to the
 * image); CI systems resolve paths from the checkout root, so reporters that feed them need the image root.
 */
export interface ImageRoot {
  /** The image root relative to the working directory (the checkout root), `/`-separated, no trailing `/`; `.` when it is the checkout; absolute when it lies outside. */
  path: string;
  /** Span files relative to the image root (those of the audit result); any other file (a waivers file) is relative to the working directory. */
  files: ReadonlySet<string>;
}

/** Every file a result's spans and errors name: for `audit`, the files relative to IMAGE_ROOT. */
export function spanFiles(result: CheckResult): Set<string> {
  const files = new Set<string>();
  for (const f of result.findings) {
    if (f.location) files.add(f.location.file);
    for (const step of f.evidence) if (step.location) files.add(step.location.file);
  }
  for (const s of result.subjects) if (s.location) files.add(s.location.file);
  for (const e of result.errors) if (e.file !== undefined) files.add(e.file);
  return files;
}

/** `file` as a path from the working directory (checkout root): image files get the image root in front. */
export function checkoutPath(file: string, imageRoot: ImageRoot | undefined): string {
  const clean = file.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!imageRoot?.files.has(file) || clean.startsWith('/')) return clean;
  return imageRoot.path === '.' ? clean : `${imageRoot.path.replace(/\/+$/, '')}/${clean}`;
}

/**
 * The span a finding is shown at: its own, else the declaration of its node or repository, else line 1 of
 * the file `declarations` names for that subject (repo-check: the repository's `repomd.xml`).
 */
export function primarySpan(
  finding: Finding,
  result: CheckResult,
  declarations?: ReadonlyMap<string, string>,
): Span | undefined {
  if (finding.location) return finding.location;
  const id = finding.node ?? finding.repo;
  const declared = result.subjects.find((s) => s.id === id)?.location;
  if (declared) return declared;
  const file = id === undefined ? undefined : declarations?.get(id);
  return file === undefined ? undefined : { file, line: 1, column: 1 };
}

/** The message with its fix, as one line of text. */
export function messageWithFix(finding: Finding): string {
  return finding.help ? `${finding.message}. Fix: ${finding.help}` : finding.message;
}
