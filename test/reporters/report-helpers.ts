import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { main } from '../../src/cli.js';
import type { CheckResult, Finding, PackageRef, Subject } from '../../src/model/finding.js';
import { sink } from '../helpers/run-cli.js';
import { repoPath } from './schema-helpers.js';

/** The valid example families of corpus/families (the `bad-*` ones are input errors). */
export const EXAMPLE_FAMILIES = readdirSync(repoPath('corpus/families'))
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('bad-'))
  .sort();

/** Runs the CLI in the repository root with the given env; returns the exit code and stderr. */
export async function cli(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; err: string }> {
  const stderr = sink();
  const code = await main({
    argv,
    env: { NO_COLOR: '1', XDG_CACHE_HOME: join(tmpdir(), 'redproof-report-tests-cache'), ...env },
    cwd: repoPath(''),
    stdout: sink(),
    stderr,
  });
  return { code, err: stderr.text };
}

// the directories checkDocuments made: a file's tests may read them until its end, then they go
const documentDirs: string[] = [];
afterAll(() => {
  for (const d of documentDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * `redproof check` of an example family writing every audit document into a fresh directory, removed
 * when the test file ends.
 */
export async function checkDocuments(
  family: string,
  env: Record<string, string> = {},
): Promise<{ code: number; dir: string; html: string; cyclonedx: string; spdx: string; json: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'redproof-docs-'));
  documentDirs.push(dir);
  const { code, err } = await cli(
    [
      'check',
      `corpus/families/${family}`,
      '-q',
      '--html',
      join(dir, 'report.html'),
      '--cyclonedx',
      join(dir, 'bom.cdx.json'),
      '--spdx',
      join(dir, 'bom.spdx.json'),
      '--json',
      join(dir, 'result.json'),
    ],
    env,
  );
  if (code > 1) throw new Error(`check ${family} exited ${code}: ${err}`);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return {
    code,
    dir,
    html: read('report.html'),
    cyclonedx: read('bom.cdx.json'),
    spdx: read('bom.spdx.json'),
    json: read('result.json'),
  };
}

/** A synthetic family result: `nodes` nodes in a tree of fan-out 10 under the host, `perNode` packages each. */
export function syntheticResult(nodes: number, perNode: number): CheckResult {
  const licenses = ['MIT', 'GPL-2.0-or-later', 'LGPLv2+', 'ASL 2.0', 'BSD'];
  const subjects: Subject[] = [];
  const pkgs = (owner: string, n: number): PackageRef[] =>
    Array.from({ length: n }, (_, i) => ({
      nevra: `${owner}-pkg${i}-1.${i % 7}-${i % 3}.el9.x86_64`,
      repo: i % 2 ? 'baseos' : 'appstream',
      license: licenses[i % licenses.length]!,
      sourceRpm: `${owner}-src${Math.floor(i / 4)}-1.${i % 7}-${i % 3}.el9.src.rpm`,
      installSize: 1000 + i * 37,
      checksum: `sha256:${(i * 2654435761).toString(16).padStart(64, '0').slice(-64)}`,
      reason: `manifest entry \`${owner}-pkg${i}\` at family.yaml:${i + 10}:7`,
    }));
  subjects.push({ id: 'host', kind: 'host', packages: pkgs('host', perNode), checked: ['RP001'] });
  for (let n = 0; n < nodes; n++) {
    const parent = n < 10 ? 'host' : `n${Math.floor(n / 10) - 1}`;
    const id = `n${n}`;
    subjects.push({ id, kind: 'node', alias: id, parent, packages: pkgs(id, perNode), checked: ['RP001'] });
  }
  for (const s of subjects) s.installedSize = s.packages.reduce((a, p) => a + (p.installSize ?? 0), 0);
  return {
    command: 'check',
    tool: { name: 'redproof', version: '0.1.0', libsolv: '0.7.23' },
    target: 'synthetic',
    arch: 'x86_64',
    subjects,
    findings: [],
    errors: [],
    rules: [{ id: 'RP001', slug: 'unresolved-dependency', level: 'error', summary: 's', tags: [] }],
    stats: { packagesExamined: subjects.length * perNode },
    repositories: [
      {
        id: 'appstream',
        kind: 'repomd',
        revision: '1700000000',
        repomdChecksum: `sha256:${'a'.repeat(64)}`,
        packages: 1,
      },
      {
        id: 'baseos',
        kind: 'repomd',
        revision: '1700000000',
        repomdChecksum: `sha256:${'b'.repeat(64)}`,
        packages: 1,
      },
    ],
  };
}

/**
 * The synthetic family as a generated manifest would declare it (one long `packages:` line per node, as
 * bench/family.ts writes them) and `count` RP004 findings at its entries, each with its code frame source:
 * what a real 1,000-node family reports (bench/family.ts, closed kind: thousands of RP004).
 */
export function withFindings(
  result: CheckResult,
  count: number,
): { result: CheckResult; sources: Map<string, string> } {
  const file = 'families/synthetic.yaml';
  const lines = ['redproof: 1', 'family: synthetic', 'nodes:'];
  const at = new Map<string, { line: number; columns: number[] }>();
  for (const s of result.subjects) {
    lines.push(`  - alias: ${s.id}`);
    let text = '    packages: [';
    const columns: number[] = [];
    for (const p of s.packages) {
      if (columns.length) text += ', ';
      columns.push(text.length + 1);
      text += p.nevra;
    }
    lines.push(`${text}]`);
    at.set(s.id, { line: lines.length, columns });
  }
  const nodes = result.subjects.filter((s) => s.kind === 'node');
  const findings: Finding[] = Array.from({ length: count }, (_, i) => {
    const a = nodes[i % nodes.length]!;
    const b = nodes[(i + 1) % nodes.length]!;
    const k = Math.floor(i / nodes.length) % a.packages.length;
    const nevra = a.packages[k]!.nevra;
    const where = at.get(a.id)!;
    return {
      rule: 'RP004',
      slug: 'shareable-duplicate',
      level: 'warning',
      node: a.id,
      package: nevra,
      repo: a.packages[k]!.repo,
      nodes: [a.id, b.id],
      message: `\`${nevra}\` is installed in 2 nodes (\`${a.id}\`, \`${b.id}\`); one copy in their common ancestor \`host\` would save 1.2 KiB`,
      help: `Install \`${nevra}\` once in \`host\` and remove it from \`${a.id}\`, \`${b.id}\``,
      location: { file, line: where.line, column: where.columns[k]! },
      evidence: [
        { role: 'holder', text: `installed in \`${a.id}\``, node: a.id, package: nevra },
        { role: 'holder', text: `installed in \`${b.id}\``, node: b.id, package: nevra },
      ],
      fingerprint: createHash('sha256').update(`${i}`).digest('hex').slice(0, 32),
    };
  });
  return {
    result: { ...result, findings: [...result.findings, ...findings] },
    sources: new Map([[file, `${lines.join('\n')}\n`]]),
  };
}
