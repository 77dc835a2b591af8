import { execFileSync } from 'node:child_process';
import {
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeImage, requireRpmTools } from '../../load/redpak/make-image.js';
import { FIXTURE_IMAGES } from './specs.js';

/*
 * Builds the committed image fixtures in test/fixtures/images/sqlite/ (run: npm run fixtures:images):
 * each image of specs.ts is made with rpmbuild and rpm --root (Debian's `rpm` package), its tree
 * copied to sqlite/NAME/image, and the `rpm -q` answers its tests compare with saved to
 * sqlite/NAME/rpm-queries.json.
 *
 * `--check` rebuilds every image in a temporary directory and compares it with the committed one
 * (CI runs it). Every file and symlink is compared byte for byte except rpmdb.sqlite: rpm writes the
 * install time (INSTALLTIME, INSTALLTID) into each header and sqlite's page layout follows, so a
 * database is compared through `rpm -qa --xml` (every tag of every header, in hnum order) minus
 * those two tags, and the recorded INSTALLTIME answers are left out. The rpms themselves are
 * reproducible (fixed BUILDTIME and BUILDHOST). Git keeps no empty directories, so only files and
 * symlinks are compared.
 */

const OUT = fileURLToPath(new URL('../../fixtures/images/sqlite/', import.meta.url));

interface Recorded {
  root: string;
  args: string[];
  out: string;
}

function build(name: string, dest: string): void {
  const fixture = FIXTURE_IMAGES[name]!;
  const img = makeImage(fixture.spec);
  try {
    rmSync(dest, { recursive: true, force: true });
    mkdirSync(dest, { recursive: true });
    cpSync(img.root, join(dest, 'image'), { recursive: true, verbatimSymlinks: true });
    if (fixture.queries !== undefined) {
      const recorded: Recorded[] = fixture.queries.map(({ root, args }) => ({
        root,
        args,
        out: execFileSync('rpm', ['--root', img.pathOf(root), '--dbpath', '/var/lib/rpm', ...args], {
          encoding: 'utf8',
        }),
      }));
      writeFileSync(join(dest, 'rpm-queries.json'), `${JSON.stringify(recorded, null, 1)}\n`);
    }
  } finally {
    img.cleanup();
  }
}

/** Files and symlinks under `dir`, relative, sorted. */
function entries(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const INSTALL_TIME_TAGS = /<rpmTag name="(Installtime|Installtid)">[\s\S]*?<\/rpmTag>\n?/g;

function headersOf(dbDir: string): string {
  return execFileSync('rpm', ['--dbpath', dbDir, '-qa', '--xml'], { encoding: 'utf8' }).replace(
    INSTALL_TIME_TAGS,
    '',
  );
}

function compare(name: string, committed: string, rebuilt: string): string[] {
  const diffs: string[] = [];
  const a = entries(committed);
  const b = entries(rebuilt);
  if (a.join('\n') !== b.join('\n')) {
    const only = (x: string[], y: string[]) => x.filter((e) => !y.includes(e));
    return [`${name}: file lists differ: committed only [${only(a, b)}], rebuilt only [${only(b, a)}]`];
  }
  for (const rel of a) {
    const p = join(committed, rel);
    const q = join(rebuilt, rel);
    const sp = lstatSync(p);
    const sq = lstatSync(q);
    if (sp.isSymbolicLink() || sq.isSymbolicLink()) {
      if (!sp.isSymbolicLink() || !sq.isSymbolicLink() || readlinkSync(p) !== readlinkSync(q))
        diffs.push(`${name}/${rel}: symlinks differ`);
    } else if (rel.endsWith('rpmdb.sqlite')) {
      if (headersOf(join(p, '..')) !== headersOf(join(q, '..')))
        diffs.push(`${name}/${rel}: headers differ (rpm -qa --xml, install times left out)`);
    } else if (rel === 'rpm-queries.json') {
      const keep = (f: string) =>
        JSON.stringify(
          (JSON.parse(readFileSync(f, 'utf8')) as Recorded[]).filter(
            (r) => !r.args.join(' ').includes('INSTALLTIME'),
          ),
        );
      if (keep(p) !== keep(q)) diffs.push(`${name}/${rel}: recorded rpm answers differ`);
    } else if (!readFileSync(p).equals(readFileSync(q)) || (sp.mode & 0o100) !== (sq.mode & 0o100)) {
      diffs.push(`${name}/${rel}: differs`);
    }
  }
  return diffs;
}

requireRpmTools();
const check = process.argv.includes('--check');
if (!check) {
  for (const name of Object.keys(FIXTURE_IMAGES)) build(name, join(OUT, name));
  console.log(`built ${Object.keys(FIXTURE_IMAGES).length} images in ${relative(process.cwd(), OUT)}`);
} else {
  const tmp = mkdtempSync(join(tmpdir(), 'redproof-fixture-check-'));
  const diffs: string[] = [];
  try {
    for (const name of Object.keys(FIXTURE_IMAGES)) {
      build(name, join(tmp, name));
      diffs.push(...compare(name, join(OUT, name), join(tmp, name)));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (diffs.length > 0) {
    console.error(
      `image fixtures do not match a rebuild (run npm run fixtures:images):\n${diffs.join('\n')}`,
    );
    process.exit(1);
  }
  console.log(`image fixtures: ${Object.keys(FIXTURE_IMAGES).length} images match a rebuild`);
}
