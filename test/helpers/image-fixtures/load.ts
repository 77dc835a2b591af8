import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuiltImage } from '../../load/redpak/make-image.js';

const OUT = fileURLToPath(new URL('../../fixtures/images/sqlite/', import.meta.url));

export interface FixtureCopy extends BuiltImage {
  /** The `rpm --root <image path> ARGS` answer recorded when the fixture was built. */
  rpmQuery(root: string, args: readonly string[]): string;
}

/**
 * A private copy of a committed image fixture (test/helpers/image-fixtures/build.ts made it with rpmbuild and
 * rpm): tests may write into it, as they do into an image `makeImage` builds.
 */
export function loadImageFixture(name: string): FixtureCopy {
  const src = join(OUT, name);
  if (!existsSync(join(src, 'image')))
    throw new Error(`image fixture \`${name}\` is missing: run npm run fixtures:images (needs Debian's rpm)`);
  const workDir = mkdtempSync(join(tmpdir(), `redproof-fixture-${name}-`));
  const root = join(workDir, 'image');
  mkdirSync(root);
  cpSync(join(src, 'image'), root, { recursive: true, verbatimSymlinks: true });
  const queriesFile = join(src, 'rpm-queries.json');
  const recorded: { root: string; args: string[]; out: string }[] = existsSync(queriesFile)
    ? JSON.parse(readFileSync(queriesFile, 'utf8'))
    : [];
  return {
    root,
    workDir,
    rpms: new Map(),
    pathOf: (imagePath) => (imagePath === '' ? root : join(root, imagePath)),
    cleanup: () => rmSync(workDir, { recursive: true, force: true }),
    rpmQuery(queryRoot, args) {
      const hit = recorded.find((r) => r.root === queryRoot && r.args.join('\0') === args.join('\0'));
      if (hit === undefined)
        throw new Error(
          `no recorded \`rpm -q\` answer for ${JSON.stringify([queryRoot, ...args])} in ${name}: add it to specs.ts and run npm run fixtures:images`,
        );
      return hit.out;
    },
  };
}
