import { spawnSync } from 'node:child_process';

/**
 * Fail loudly (never skip) when a Debian tool the system suite spawns is missing, naming the package
 * that ships it; `.ci/run` installs every one of them.
 */
export function requireTool(
  tool: string,
  debianPackage: string,
  versionArgs: readonly string[] = ['--version'],
): void {
  const r = spawnSync(tool, versionArgs, { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(
      `\`${tool}\` is required by the system suite and was not found (install Debian's \`${debianPackage}\` package: apt-get install ${debianPackage})`,
    );
  }
}
