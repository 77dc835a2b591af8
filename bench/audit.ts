/**
 * Audit benchmark: `redproof audit` (the built CLI, `node dist/bin/redproof.js`; run `npm run build` first) on a
 * generated image of 20 nodes holding about 2,000 installed packages in all.
 *
 *   npx tsx bench/audit.ts                         20 nodes, 2,000 packages, --runs 3
 *   npx tsx bench/audit.ts --nodes 20 --packages 2000 --runs 3 --keep DIR --cli dist/bin/redproof.js
 *
 * The image is real: one spec with N subpackages (each with 3 files, a soname provide, a requirement on
 * a host capability, a file dependency on the host and on the previous package of its node) built once
 * with rpmbuild, then installed with Debian's rpm (`rpm --root NODE --dbpath /var/lib/rpm -i --nodeps
 * --noscripts --justdb`, which writes the same sqlite rpmdb headers as a full install) into the image's
 * own /var/lib/rpm (the host, 5% of the packages) and 20 nodes in no-system-node mode (4 top nodes with 4
 * children each), red-pak node files from the test templates. The family is coherent: a clean audit is
 * the common case and proves everything (every rule runs on every node).
 *
 * Measured under /usr/bin/time: wall, CPU, peak RSS (median of --runs). Prints a markdown table;
 * bench/RESULTS.md is appended by hand from it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { leafAdminYaml, leafNormalYaml, statusYaml } from '../test/load/redpak/make-image.js';
import { loadBenchLib, ROOT } from './lib/bench.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '20' },
    packages: { type: 'string', default: '2000' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'string' },
    cli: { type: 'string', default: join(ROOT, 'dist/bin/redproof.js') },
  },
});
const NODES = Number(values.nodes);
const PACKAGES = Number(values.packages);
const RUNS = Number(values.runs);

/** Packages per node (the last node also takes the remainder). */
function perNode(): number {
  return Math.floor((PACKAGES - Math.max(1, Math.round(PACKAGES * 0.05))) / NODES);
}

/** One spec, PACKAGES subpackages `p<i>`: built by a single rpmbuild run. */
function specText(): string {
  const lines = [
    'Name: benchset',
    'Version: 1.0',
    'Release: 1',
    'Summary: audit benchmark packages',
    'License: MIT',
    'BuildArch: noarch',
    'AutoReqProv: no',
    '%description',
    'audit benchmark',
  ];
  const hostCount = Math.max(1, Math.round(PACKAGES * 0.05));
  for (let i = 0; i < PACKAGES; i++) {
    const isHost = i < hostCount;
    lines.push(`%package -n p${i}`, `Summary: package ${i}`, `Provides: libp${i}.so.1()(64bit)`);
    // every package needs the host: a soname and a file; node packages also need their predecessor
    if (i > 0)
      lines.push(
        `Requires: libp${i % hostCount}.so.1()(64bit)`,
        `Requires: /usr/share/p${i % hostCount}/data`,
      );
    // ...and the previous package of the same node (the family is coherent: a clean audit)
    if (!isHost && (i - hostCount) % perNode() !== 0 && i - hostCount < perNode() * NODES) {
      lines.push(`Requires: p${i - 1}`);
    }
    lines.push(`%description -n p${i}`, `package ${i}`);
  }
  lines.push('%install');
  for (let i = 0; i < PACKAGES; i++) {
    lines.push(
      `mkdir -p %{buildroot}/usr/share/p${i} %{buildroot}/usr/lib64`,
      `echo ${i} > %{buildroot}/usr/share/p${i}/data`,
      `echo ${i} > %{buildroot}/usr/share/p${i}/README`,
      `echo ${i} > %{buildroot}/usr/lib64/libp${i}.so.1`,
    );
  }
  for (let i = 0; i < PACKAGES; i++) {
    lines.push(
      `%files -n p${i}`,
      `/usr/share/p${i}/data`,
      `/usr/share/p${i}/README`,
      `/usr/lib64/libp${i}.so.1`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function rpmInstall(root: string, rpms: string[]): void {
  execFileSync(
    'rpm',
    ['--root', root, '--dbpath', '/var/lib/rpm', '-i', '--nodeps', '--noscripts', '--justdb', ...rpms],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

function write(path: string, text: string): void {
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

function buildImage(work: string): { root: string; installed: number; paths: string[] } {
  const top = join(work, 'rpmbuild');
  mkdirSync(join(top, 'SPECS'), { recursive: true });
  const spec = join(top, 'SPECS/benchset.spec');
  writeFileSync(spec, specText());
  const t0 = performance.now();
  execFileSync(
    'rpmbuild',
    ['--quiet', '--define', `_topdir ${top}`, '--define', '_build_id_links none', '-bb', spec],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const rpmDir = join(top, 'RPMS/noarch');
  const byIndex = new Map<number, string>();
  for (const f of readdirSync(rpmDir)) {
    const m = /^p(\d+)-/.exec(f);
    if (m) byIndex.set(Number(m[1]), join(rpmDir, f));
  }
  process.stderr.write(`built ${byIndex.size} rpms in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const root = join(work, 'image');
  const hostCount = Math.max(1, Math.round(PACKAGES * 0.05));
  const rpmsOf = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => byIndex.get(from + k)!);
  rpmInstall(root, rpmsOf(0, hostCount));
  // 4 top nodes with 4 children each (no-system-node mode); packages split evenly, in order
  const tops = Math.max(1, Math.round(NODES / 5));
  const paths: string[] = [];
  for (let t = 0; t < tops && paths.length < NODES; t++) {
    paths.push(`var/redpak/top${t}`);
    for (let c = 0; c < 4 && paths.length < NODES; c++) paths.push(`var/redpak/top${t}/child${c}`);
  }
  const per = perNode();
  paths.forEach((p, k) => {
    const dir = join(root, p);
    const alias = p.slice(p.lastIndexOf('/') + 1) + (p.includes('child') ? `-${k}` : '');
    write(join(dir, '.rednode.yaml'), statusYaml({ realpath: `/${p}` }));
    write(join(dir, 'etc/redpak.yaml'), leafNormalYaml(alias));
    write(join(dir, 'etc/redpak-admin.yaml'), leafAdminYaml(alias));
    const from = hostCount + k * per;
    const to = k === paths.length - 1 ? PACKAGES : from + per;
    rpmInstall(dir, rpmsOf(from, to));
  });
  process.stderr.write(`image ready in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return { root, installed: PACKAGES, paths };
}

const lib = await loadBenchLib();
const work = values.keep ? resolve(values.keep) : mkdtempSync(join(tmpdir(), 'redproof-bench-audit-'));
mkdirSync(work, { recursive: true });
try {
  const img = buildImage(work);
  const m = await lib.measure('node', [values.cli, 'audit', img.root, '--format', 'json', '-q'], {
    runs: RUNS,
    okCodes: [0, 1],
  });
  const report = JSON.parse(m.stdout) as {
    findings: { rule: string }[];
    errors: unknown[];
    stats: { packagesExamined: number; nodes: number };
  };
  const counts = new Map<string, number>();
  for (const f of report.findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  const findings = [...counts].map(([r, n]) => `${r} ${n}`).join(', ') || 'none';
  console.log(
    lib.markdownTable(
      [
        'nodes',
        'installed packages',
        'runs',
        'wall (median)',
        'CPU (median)',
        'peak RSS (median)',
        'exit',
        'findings',
      ],
      [
        [
          report.stats.nodes,
          report.stats.packagesExamined.toLocaleString('en'),
          m.runs.length,
          `${m.medianWallS.toFixed(2)} s`,
          `${m.medianCpuS.toFixed(2)} s`,
          `${(m.medianRssKb / 1024).toFixed(1)} MiB`,
          m.runs.map((r) => r.exitCode).join('/'),
          findings,
        ],
      ],
    ),
  );
  console.log(
    `\nruns: ${m.runs.map((r) => `${r.wallS}s/${(r.maxRssKb / 1024).toFixed(0)}MiB`).join(', ')}; ` +
      `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}${lib.benchEnvNote()}; errors: ${report.errors.length}`,
  );
} finally {
  if (!values.keep) rmSync(work, { recursive: true, force: true });
}
