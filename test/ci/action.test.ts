import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { splitArgs } from '../../ci/action/run.mjs';
import { requireFreshBuild } from '../helpers/built.js';

// The action's logic (ci/action/run.mjs) run as action.yml runs it, one phase per process, in a fake
// runner: GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP and GITHUB_WORKSPACE are files and directories
// of a temporary directory. redproof is either a fake CLI that records its arguments and exits as told,
// or the real one (this checkout's dist/, as `source: action` runs it).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'ci/action/run.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'redproof-action-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Writes the reports it is asked for (when FAKE_REPORTS=1), logs its argv, exits with FAKE_CODE.
const FAKE_CLI = `#!/usr/bin/env node
import { appendFileSync, writeFileSync } from 'node:fs';
const argv = process.argv.slice(2);
appendFileSync(process.env.FAKE_LOG, JSON.stringify({ argv, cwd: process.cwd() }) + '\\n');
const code = Number(process.env.FAKE_CODE ?? '0');
const value = (flag) => { const i = argv.indexOf(flag); return i < 0 ? undefined : argv[i + 1]; };
if (process.env.FAKE_REPORTS === '1') {
  const verdict = code === 0 ? 'pass' : code === 1 ? 'fail' : 'error';
  if (value('--json')) writeFileSync(value('--json'), JSON.stringify({ schemaVersion: 1, verdict }));
  if (value('--markdown')) writeFileSync(value('--markdown'), '## redproof: ' + verdict + ' (fake)\\n');
  if (value('--sarif')) writeFileSync(value('--sarif'), '{"version":"2.1.0","runs":[]}');
  if (value('--github')) writeFileSync(value('--github'), '::error file=f.yaml,line=3,title=RP001 x::fake finding\\n');
}
process.exit(code);
`;

interface Runner {
  dir: string;
  workspace: string;
  temp: string;
  output: string;
  summary: string;
  log: string;
  bin: string;
}

let count = 0;
function fakeRunner(): Runner {
  const dir = join(tmp, `runner-${++count}`);
  const r: Runner = {
    dir,
    workspace: join(dir, 'workspace'),
    temp: join(dir, 'temp'),
    output: join(dir, 'github_output'),
    summary: join(dir, 'step_summary'),
    log: join(dir, 'fake.log'),
    bin: join(dir, 'bin'),
  };
  for (const d of [r.workspace, r.temp, r.bin, join(dir, 'home')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(r.workspace, 'fake-redproof.mjs'), FAKE_CLI);
  return r;
}

/** GITHUB_OUTPUT parsed as the runner does: `name=value` lines and `name<<DELIM` blocks. */
function outputsOf(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(file)) return out;
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([\w-]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      while (lines[++i] !== heredoc[2]) body.push(lines[i]!);
      out[heredoc[1]!] = body.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

interface Phase {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  calls: { argv: string[]; cwd: string }[];
}

function phase(r: Runner, name: string, env: Record<string, string>): Phase {
  rmSync(r.output, { force: true });
  const res = spawnSync(process.execPath, [SCRIPT, name], {
    encoding: 'utf8',
    env: {
      PATH: `${r.bin}:${process.env.PATH}`,
      HOME: join(r.dir, 'home'),
      XDG_CACHE_HOME: join(r.dir, 'home', '.cache'),
      GITHUB_OUTPUT: r.output,
      GITHUB_STEP_SUMMARY: r.summary,
      RUNNER_TEMP: r.temp,
      RUNNER_OS: 'Linux',
      GITHUB_WORKSPACE: r.workspace,
      FAKE_LOG: r.log,
      RP_ACTION_PATH: ROOT,
      ...env,
    },
  });
  return {
    code: res.status ?? -1,
    stdout: res.stdout,
    stderr: res.stderr,
    outputs: outputsOf(r.output),
    summary: existsSync(r.summary) ? readFileSync(r.summary, 'utf8') : '',
    calls: existsSync(r.log)
      ? readFileSync(r.log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [],
  };
}

const FAKE = { RP_SOURCE: 'local', RP_CLI: 'fake-redproof.mjs', FAKE_REPORTS: '1' };

/** prepare, run and finish in a row, as action.yml runs them; `finish` gets run's outputs. */
function action(r: Runner, env: Record<string, string>) {
  const prepare = phase(r, 'prepare', env);
  const run = phase(r, 'run', env);
  const finish = phase(r, 'finish', {
    RP_EXIT: run.outputs['exit-code'] ?? '',
    RP_TOOL_FAILURE: run.outputs['tool-failure'] ?? '',
  });
  return { prepare, run, finish };
}

describe('args input', () => {
  it('splits on blanks and newlines, one argument or several per line', () => {
    expect(splitArgs('--fail-on never\n--baseline /nonexistent.json')).toEqual([
      '--fail-on',
      'never',
      '--baseline',
      '/nonexistent.json',
    ]);
    expect(splitArgs('  --repo\n\tbase=repos/base  \r\n\n--arch x86_64\n')).toEqual([
      '--repo',
      'base=repos/base',
      '--arch',
      'x86_64',
    ]);
    expect(splitArgs('')).toEqual([]);
  });

  it('keeps quoted blanks, escapes, and drops comments, like a shell without expansions', () => {
    expect(splitArgs(`--repo "base=my repos/base" --to 'up=a b' x\\ y`)).toEqual([
      '--repo',
      'base=my repos/base',
      '--to',
      'up=a b',
      'x y',
    ]);
    expect(splitArgs(`"a \\"q\\" \\\\ \\$HOME" '$HOME' "" b""c`)).toEqual([
      'a "q" \\ $HOME',
      '$HOME',
      '',
      'bc',
    ]);
    expect(splitArgs('--arch x86_64 # the target\n# a whole line\n--strict-arch a#b')).toEqual([
      '--arch',
      'x86_64',
      '--strict-arch',
      'a#b',
    ]);
    expect(splitArgs('--repo \\\nbase')).toEqual(['--repo', 'base']);
    expect(() => splitArgs('--repo "base\n--x')).toThrow(/unterminated " opened on line 1/);
    expect(() => splitArgs("a\nb 'c")).toThrow(/unterminated ' opened on line 2/);
  });
});

describe('the action, phase by phase, in a fake runner', () => {
  for (const [code, verdict] of [
    [0, 'pass'],
    [1, 'fail'],
    [2, 'error'],
    [3, 'error'],
  ] as const) {
    it(`redproof exit ${code}: outputs, summary and the step result ${code}`, () => {
      const r = fakeRunner();
      const { run, finish } = action(r, { ...FAKE, RP_TARGET: 'f.yaml', FAKE_CODE: String(code) });
      expect(run.code).toBe(0); // the run step never fails: the uploads after it must run
      expect(run.outputs).toMatchObject({
        'exit-code': String(code),
        verdict,
        'tool-failure': 'false',
        sarif: 'true',
        dir: join(r.temp, 'redproof'),
      });
      expect(run.summary).toContain(`## redproof: ${verdict} (fake)`);
      expect(finish.code).toBe(code);
      if (code === 1) expect(finish.stdout).toMatch(/^::error title=redproof::findings at or above/m);
      if (code === 2) expect(finish.stdout).toMatch(/usage error/);
      if (code === 3) expect(finish.stdout).toMatch(/could not complete \(exit 3\)/);
    });
  }

  it('builds the command line from the inputs, in the workspace', () => {
    const r = fakeRunner();
    const { run } = action(r, {
      ...FAKE,
      RP_COMMAND: 'check',
      RP_TARGET: 'families/ivi.yaml',
      RP_FAIL_ON: 'warning',
      RP_WAIVERS: 'redproof-waivers.yaml',
      RP_BASELINE: 'base line.json',
      RP_ARGS: '--repo "base=my repos/base"\n--arch x86_64',
    });
    const out = join(r.temp, 'redproof');
    expect(run.calls).toEqual([
      {
        cwd: r.workspace,
        argv: [
          'check',
          'families/ivi.yaml',
          '--format',
          'text',
          '--sarif',
          join(out, 'redproof.sarif'),
          '--junit',
          join(out, 'redproof.junit.xml'),
          '--json',
          join(out, 'redproof.json'),
          '--markdown',
          join(out, 'redproof.md'),
          '--fail-on',
          'warning',
          '--github',
          join(out, 'redproof.github'),
          '--waivers',
          'redproof-waivers.yaml',
          '--baseline',
          'base line.json',
          '--cache-dir',
          join(r.dir, 'home', '.cache', 'redproof'),
          '--repo',
          'base=my repos/base',
          '--arch',
          'x86_64',
        ],
      },
    ]);
  });

  it('accepts every command: check, audit, update-check, repo-check, and lock passed through', () => {
    const argvOf = (env: Record<string, string>) => {
      const r = fakeRunner();
      const { run } = action(r, { ...FAKE, ...env });
      expect(run.outputs['exit-code']).toBe('0');
      return run.calls[0]!.argv;
    };
    expect(argvOf({ RP_COMMAND: 'audit', RP_TARGET: 'image' }).slice(0, 3)).toEqual([
      'audit',
      'image',
      '--format',
    ]);
    expect(
      argvOf({ RP_COMMAND: 'update-check', RP_TARGET: 'f.yaml', RP_ARGS: '--upgrade-all' }).slice(-1),
    ).toEqual(['--upgrade-all']);
    const repo = argvOf({ RP_COMMAND: 'repo-check', RP_ARGS: '--repo repos/base' });
    expect(repo.slice(0, 2)).toEqual(['repo-check', '--format']);
    expect(repo.slice(-2)).toEqual(['--repo', 'repos/base']);
    // lock is another command's work in progress: its name and arguments go through untouched.
    expect(argvOf({ RP_COMMAND: 'lock', RP_TARGET: 'f.yaml', RP_ARGS: '--output f.lock' })).toEqual([
      'lock',
      'f.yaml',
      '--output',
      'f.lock',
    ]);
  });

  it('rejects bad inputs with exit 2, before running anything', () => {
    for (const [env, message] of [
      [
        { RP_COMMAND: 'explain', RP_TARGET: 'x' },
        /command must be one of check, audit, update-check, repo-check, lock/,
      ],
      [{ RP_TARGET: 'f.yaml', RP_FAIL_ON: 'fatal' }, /fail-on must be error, warning, note or never/],
      [{ RP_COMMAND: 'check' }, /command check needs a target/],
      [{ RP_COMMAND: 'repo-check', RP_TARGET: 'f.yaml' }, /repo-check takes no target/],
      [{ RP_TARGET: 'f.yaml', RP_ARGS: '--repo "unclosed' }, /args: unterminated "/],
      [{ RP_TARGET: 'f.yaml', RP_SOURCE: 'pypi' }, /source must be npm, action or local/],
      [
        { RP_TARGET: 'f.yaml', RP_SOURCE: 'npm', RP_VERSION: '1.0 && curl' },
        /version must be a redproof version/,
      ],
    ] as const) {
      const r = fakeRunner();
      const { prepare, run, finish } = action(r, { ...FAKE, ...env });
      expect(prepare.code).toBe(0);
      expect(prepare.outputs).toMatchObject({ valid: 'false', cache: 'false' });
      expect(run.stdout).toMatch(message);
      expect(run.outputs).toMatchObject({ 'exit-code': '2', verdict: 'error', 'tool-failure': 'false' });
      expect(run.calls).toEqual([]);
      expect(run.summary).toMatch(message);
      expect(finish.code).toBe(2);
    }
  });

  it('a tool failure is an error (exit 3, tool-failure), never findings: npx failing, no CLI, no build', () => {
    const r = fakeRunner();
    // npx itself fails as it does for an unpublished version or an offline runner: exit 1, no report.
    writeFileSync(
      join(r.bin, 'npx'),
      '#!/bin/sh\necho "npm error 404 Not Found - redproof@9.9.9" >&2\nexit 1\n',
    );
    chmodSync(join(r.bin, 'npx'), 0o755);
    const npx = action(r, { RP_SOURCE: 'npm', RP_VERSION: '9.9.9', RP_TARGET: 'f.yaml' });
    expect(npx.run.stderr).toMatch(/npm error 404/);
    expect(npx.run.stdout).toMatch(/npx could not run redproof@9\.9\.9 \(exit 1, no report written\)/);
    expect(npx.run.outputs).toMatchObject({
      'exit-code': '3',
      verdict: 'error',
      'tool-failure': 'true',
      sarif: 'false',
    });
    expect(npx.run.summary).toMatch(/npx could not run redproof@9\.9\.9/);
    expect(npx.finish.code).toBe(3);
    expect(npx.finish.stdout).toMatch(/tool failure, not findings/);

    const noReport = action(fakeRunner(), {
      ...FAKE,
      FAKE_REPORTS: '0',
      FAKE_CODE: '1',
      RP_TARGET: 'f.yaml',
    });
    expect(noReport.run.outputs).toMatchObject({ 'exit-code': '3', 'tool-failure': 'true' });
    expect(noReport.finish.code).toBe(3);

    const crash = action(fakeRunner(), { ...FAKE, FAKE_CODE: '134', RP_TARGET: 'f.yaml' });
    expect(crash.run.outputs).toMatchObject({ 'exit-code': '3', 'tool-failure': 'true' });
    expect(crash.run.stdout).toMatch(/did not complete \(exit 134\)/);

    const noCli = action(fakeRunner(), {
      RP_SOURCE: 'local',
      RP_CLI: 'node_modules/.bin/redproof',
      RP_TARGET: 'f.yaml',
    });
    expect(noCli.run.stdout).toMatch(/no redproof CLI at node_modules\/\.bin\/redproof/);
    expect(noCli.run.outputs).toMatchObject({ 'exit-code': '3', 'tool-failure': 'true' });

    const unbuilt = action(fakeRunner(), {
      RP_SOURCE: 'action',
      RP_ACTION_PATH: join(tmp, 'no-build'),
      RP_TARGET: 'f',
    });
    expect(unbuilt.run.stdout).toMatch(/source: action needs the action's checkout built/);
    expect(unbuilt.finish.code).toBe(3);
  });

  it('annotations: the workflow commands are printed for the runner, or --github is left out', () => {
    const on = action(fakeRunner(), { ...FAKE, RP_TARGET: 'f.yaml', FAKE_CODE: '1' });
    expect(on.run.stdout).toMatch(/^::error file=f\.yaml,line=3,title=RP001 x::fake finding$/m);
    const off = action(fakeRunner(), {
      ...FAKE,
      RP_TARGET: 'f.yaml',
      FAKE_CODE: '1',
      RP_ANNOTATIONS: 'false',
    });
    expect(off.run.calls[0]!.argv).not.toContain('--github');
    expect(off.run.stdout).not.toMatch(/^::error file=/m);
  });

  it('sarif output: true only when a SARIF file was written', () => {
    expect(action(fakeRunner(), { ...FAKE, RP_TARGET: 'f' }).run.outputs.sarif).toBe('true');
    expect(action(fakeRunner(), { ...FAKE, RP_TARGET: 'f', FAKE_REPORTS: '0' }).run.outputs.sarif).toBe(
      'false',
    );
  });

  it('a summary is written even without the Markdown report', () => {
    const { run } = action(fakeRunner(), { ...FAKE, RP_TARGET: 'f', FAKE_REPORTS: '0', FAKE_CODE: '3' });
    expect(run.summary).toMatch(/### redproof: error\n\nredproof exited with 3; see the step log\./);
  });
});

describe('cache', () => {
  const repomd = (dir: string, sum: string) => {
    mkdirSync(join(dir, 'repodata'), { recursive: true });
    writeFileSync(
      join(dir, 'repodata', 'repomd.xml'),
      `<repomd><data type="primary"><checksum>${sum}</checksum></data></repomd>\n`,
    );
  };

  it('keys on every repomd.xml of the workspace and of --repo paths outside it', () => {
    const r = fakeRunner();
    repomd(join(r.workspace, 'repos/base'), 'aaa');
    const outside = join(r.dir, 'mirror/apps');
    repomd(outside, 'bbb');
    const env = { ...FAKE, RP_TARGET: 'f.yaml', RP_ARGS: `--repo apps=${outside}` };
    const first = phase(r, 'prepare', env).outputs;
    expect(first.cache).toBe('true');
    expect(first['cache-key']).toMatch(/^redproof-v1-Linux-local-local-[0-9a-f]{32}$/);
    expect(first['cache-restore-key']).toBe('redproof-v1-Linux-local-local-');
    expect(first['cache-paths']).toBe(join(r.dir, 'home', '.cache', 'redproof'));
    writeFileSync(join(r.workspace, 'unrelated.txt'), 'x');
    expect(phase(r, 'prepare', env).outputs['cache-key']).toBe(first['cache-key']);
    repomd(outside, 'ccc');
    const changed = phase(r, 'prepare', env).outputs['cache-key'];
    expect(changed).not.toBe(first['cache-key']);
    repomd(join(r.workspace, 'repos/base'), 'ddd');
    expect(phase(r, 'prepare', env).outputs['cache-key']).not.toBe(changed);
  });

  it('npm: npx downloads are cached too, keyed by the version; --cache-dir, --no-cache and cache: false are honoured', () => {
    const r = fakeRunner();
    const npm = phase(r, 'prepare', { RP_SOURCE: 'npm', RP_VERSION: '0.1.0', RP_TARGET: 'f' }).outputs;
    expect(npm['cache-paths']!.split('\n')).toEqual([
      join(r.dir, 'home', '.cache', 'redproof'),
      join(r.dir, 'home', '.npm', '_npx'),
    ]);
    expect(npm['cache-key']).toMatch(/^redproof-v1-Linux-npm-0\.1\.0-/);
    const own = phase(r, 'prepare', { ...FAKE, RP_TARGET: 'f', RP_ARGS: '--cache-dir .rp-cache' }).outputs;
    expect(own['cache-paths']).toBe(join(r.workspace, '.rp-cache'));
    const run = action(r, { ...FAKE, RP_TARGET: 'f', RP_ARGS: '--cache-dir .rp-cache' }).run;
    expect(run.calls.at(-1)!.argv.filter((a) => a === '--cache-dir')).toHaveLength(1);
    for (const env of [{ RP_ARGS: '--no-cache' }, { RP_CACHE: 'false' }] as Record<string, string>[]) {
      const out = phase(r, 'prepare', { ...FAKE, RP_TARGET: 'f', ...env }).outputs;
      expect(out.cache).toBe('false');
      expect(out['cache-key']).toBeUndefined();
    }
    const off = action(fakeRunner(), { ...FAKE, RP_TARGET: 'f', RP_CACHE: 'false' }).run;
    expect(off.calls[0]!.argv).not.toContain('--cache-dir');
  });
});

/** `${{ expr }}` as action.yml writes it. */
const gh = (expr: string) => `$${'{'}{ ${expr} }}`;

describe('action.yml', () => {
  const yml = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, { value: string }>;
    runs: {
      using: string;
      steps: {
        id?: string;
        name: string;
        if?: string;
        uses?: string;
        env?: Record<string, string>;
        run?: string;
        with?: Record<string, string>;
      }[];
    };
  };
  const steps = yml.runs.steps;
  const step = (name: RegExp) => steps.find((s) => name.test(s.name))!;

  // The subset of GitHub's expression language action.yml uses: always(), &&, ==, !=, '…', contexts.
  function evaluate(expr: string, ctx: Record<string, string | undefined>): boolean {
    const value = (term: string) => {
      const t = term.trim();
      if (t === 'always()') return 'true';
      if (/^'.*'$/.test(t)) return t.slice(1, -1);
      if (!/^[\w.-]+$/.test(t)) throw new Error(`unsupported expression: ${t}`);
      return ctx[t] ?? '';
    };
    return expr.split('&&').every((part) => {
      const m = /^(.*?)(==|!=)(.*)$/.exec(part);
      if (!m) return value(part) === 'true';
      return (value(m[1]!) === value(m[3]!)) === (m[2] === '==');
    });
  }

  it('runs every phase from ci/action/run.mjs with the inputs in the environment only', () => {
    expect(yml.runs.using).toBe('composite');
    const scripted = steps.filter((s) => s.run);
    expect(scripted.map((s) => s.run)).toEqual([
      'node "$RP_ACTION_PATH/ci/action/run.mjs" prepare',
      'node "$RP_ACTION_PATH/ci/action/run.mjs" run',
      'node "$RP_ACTION_PATH/ci/action/run.mjs" finish',
    ]);
    for (const s of scripted) expect(s.run).not.toContain('${{');
    const env = step(/^Run redproof/).env!;
    const wanted = [
      'command',
      'target',
      'args',
      'fail-on',
      'waivers',
      'baseline',
      'source',
      'version',
      'redproof-cli',
      'cache',
      'annotations',
    ];
    for (const input of wanted) {
      expect(Object.values(env), input).toContain(gh(`inputs.${input}`));
      expect(yml.inputs[input], input).toBeDefined();
    }
    expect(step(/^Prepare/).env).toEqual(env);
  });

  it('uses the current majors (Node 24 runtime) and no hashFiles() on RUNNER_TEMP', () => {
    expect(steps.map((s) => s.uses).filter(Boolean)).toEqual([
      'actions/setup-node@v6',
      'actions/cache/restore@v6',
      'actions/cache/save@v6',
      'github/codeql-action/upload-sarif@v4',
      'actions/upload-artifact@v7',
    ]);
    expect(yml.inputs['node-version']!.default).toBe('24');
    expect(JSON.stringify(yml)).not.toContain('hashFiles');
  });

  it('uploads SARIF when asked and a SARIF file exists, whatever the exit code', () => {
    const cond = step(/Upload SARIF/).if!;
    const ctx = (upload: string, sarif: string) => ({
      'inputs.upload-sarif': upload,
      'steps.run.outputs.sarif': sarif,
    });
    expect(evaluate(cond, ctx('true', 'true'))).toBe(true);
    expect(evaluate(cond, ctx('false', 'true'))).toBe(false);
    expect(evaluate(cond, ctx('true', 'false'))).toBe(false);
    // end to end: a run that wrote SARIF (exit 1) sets the output the condition reads
    const run = action(fakeRunner(), { ...FAKE, RP_TARGET: 'f', FAKE_CODE: '1' }).run;
    expect(evaluate(cond, ctx('true', run.outputs.sarif ?? ''))).toBe(true);
    expect(step(/Upload SARIF/).with!.sarif_file).toBe(`${gh('steps.prepare.outputs.dir')}/redproof.sarif`);
  });

  it('restores the cache when prepare says so, and saves it unless the key was hit exactly', () => {
    const restore = step(/Restore/);
    const save = step(/Save/);
    expect(evaluate(restore.if!, { 'steps.prepare.outputs.cache': 'true' })).toBe(true);
    expect(evaluate(restore.if!, { 'steps.prepare.outputs.cache': 'false' })).toBe(false);
    const saveCtx = (cache: string, hit: string) => ({
      'steps.prepare.outputs.cache': cache,
      'steps.restore.outputs.cache-hit': hit,
    });
    expect(evaluate(save.if!, saveCtx('true', 'false'))).toBe(true);
    expect(evaluate(save.if!, saveCtx('true', ''))).toBe(true);
    expect(evaluate(save.if!, saveCtx('true', 'true'))).toBe(false);
    expect(evaluate(save.if!, saveCtx('false', 'false'))).toBe(false);
    for (const s of [restore, save]) {
      expect(s.with!.key).toBe(gh('steps.prepare.outputs.cache-key'));
      expect(s.with!.path).toBe(gh('steps.prepare.outputs.cache-paths'));
    }
    expect(restore.with!['restore-keys']).toBe(gh('steps.prepare.outputs.cache-restore-key'));
    expect(step(/^Fail/).if).toBe('always()');
  });
});

describe('the action with the real redproof (source: action, this checkout)', () => {
  const real = (env: Record<string, string>) => {
    const r = fakeRunner();
    return action(r, { RP_SOURCE: 'action', GITHUB_WORKSPACE: ROOT, RUNNER_TEMP: r.temp, ...env });
  };
  // `source: action` runs the built CLI
  requireFreshBuild();

  it('exit 0 on a coherent family, exit 1 with annotations on findings', () => {
    const pass = real({ RP_TARGET: 'corpus/families/coherent.yaml' });
    expect(pass.run.outputs).toMatchObject({ 'exit-code': '0', verdict: 'pass', sarif: 'true' });
    expect(pass.finish.code).toBe(0);
    const fail = real({ RP_TARGET: 'corpus/families/rp003-ancestor-duplicate.yaml' });
    expect(fail.run.outputs).toMatchObject({ 'exit-code': '1', verdict: 'fail', 'tool-failure': 'false' });
    expect(fail.run.stdout).toMatch(
      /^::error file=corpus\/families\/rp003-ancestor-duplicate\.yaml,line=\d+,.*title=RP003 /m,
    );
    expect(fail.run.summary).toMatch(/RP003/);
    expect(fail.finish.code).toBe(1);
    const dir = fail.run.outputs.dir!;
    expect(JSON.parse(readFileSync(join(dir, 'redproof.json'), 'utf8')).verdict).toBe('fail');
  });

  it('multi-line args all reach redproof: a missing baseline is exit 3, not a pass', () => {
    const r = real({
      RP_TARGET: 'corpus/families/rp003-ancestor-duplicate.yaml',
      RP_ARGS: '--fail-on never\n--baseline /nonexistent.json',
    });
    expect(r.run.stderr).toMatch(/\/nonexistent\.json: cannot read: ENOENT/);
    expect(r.run.outputs).toMatchObject({ 'exit-code': '3', 'tool-failure': 'false' });
    expect(r.finish.code).toBe(3);
  });

  it('exit 2 on a usage error from redproof', () => {
    const r = real({ RP_TARGET: 'corpus/families/coherent.yaml', RP_ARGS: '--frobnicate' });
    expect(r.run.outputs).toMatchObject({ 'exit-code': '2', verdict: 'error', 'tool-failure': 'false' });
    expect(r.finish.code).toBe(2);
  });
});
