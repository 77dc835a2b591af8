import type { LoadWarning } from '../load/redpak/config.js';
import type { NodeTree } from '../load/redpak/discover.js';
import type { CheckResult, ToolErrorInfo } from '../model/finding.js';

/**
 * What discovering an image's nodes and reading their rpm databases reported besides the packages:
 * the same for every command that reads an image (`audit`, `update-check IMAGE_ROOT`).
 */
export interface ImageNotices {
  /** Symlinks not followed, a shadowed system-node database, a node without rpm database, ...: shown, never the verdict. */
  warnings: ToolErrorInfo[];
  /** Nodes that cannot be examined (a symlinked node leading out of the image): the run fails, exit 3. */
  errors: ToolErrorInfo[];
}

/** A discovery or loader warning as a report shows it. */
export function loadWarningInfo(kind: string, w: LoadWarning): ToolErrorInfo {
  return {
    kind,
    message: w.message,
    file: w.location?.file ?? w.node,
    ...(w.location && { line: w.location.line, column: w.location.column }),
  };
}

/** The notices of a discovered tree and of its databases' loader (`rpmdb-missing`: an empty layer). */
export function imageNotices(tree: NodeTree, dbWarnings: readonly LoadWarning[]): ImageNotices {
  return {
    warnings: [
      ...tree.warnings.map((w) => loadWarningInfo('discovery', w)),
      ...dbWarnings.map((w) => loadWarningInfo('rpmdb-missing', w)),
    ],
    errors: tree.errors.map((e) => loadWarningInfo('node-outside-image', e)),
  };
}

/** `result` with `notices` added in front of its own warnings and errors. */
export function withNotices(result: CheckResult, notices: ImageNotices): CheckResult {
  const warnings = [...notices.warnings, ...(result.warnings ?? [])];
  return {
    ...result,
    errors: [...notices.errors, ...result.errors],
    ...(warnings.length > 0 && { warnings }),
  };
}
