#!/usr/bin/env node
// The logic of the redproof GitHub Action (action.yml), in plain Node.js so it runs on every runner OS
// and can be tested without a runner: inputs come from RP_* variables, results go to GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY. Three phases, each one step of action.yml:
//   prepare  check the inputs; the cache key (repomd.xml checksums) and paths for actions/cache
//   run      run redproof, write the outputs, the job summary and the annotations; never fails the step,
//            so the uploads that follow still run
//   finish   fail the step with redproof's exit code, last
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const COMMANDS = ['check', 'audit', 'update-check', 'repo-check', 'lock'];
const TARGET_REQUIRED = ['check', 'audit', 'update-check'];
const FAIL_ON = ['error', 'warning', 'note', 'never'];
const SOURCES = ['npm', 'action', 'local'];
/** Commands that take redproof's report options (--json, --sarif, ...); `lock` gets its arguments only. */
const REPORTING = ['check', 'audit', 'update-check', 'repo-check'];

export class InputProblem extends Error {}

/**
 * Splits the `args` input like a POSIX shell splits words, without expansions: blanks and newlines separate
 * arguments, '…' is literal, "…" keeps blanks (\" \\ \$ \` escape), a backslash escapes the next character
 * (and joins lines), `#` at the start of a word comments out the rest of the line.
 */
export function splitArgs(text) {
  const out = [];
  let word = null;
  let line = 1;
  const push = () => {
    if (word !== null) out.push(word);
    word = null;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      push();
    } else if (c === '#' && word === null) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new InputProblem(`args: unterminated ' opened on line ${line}`);
      word = (word ?? '') + text.slice(i + 1, end);
      line += text.slice(i + 1, end).split('\n').length - 1;
      i = end;
    } else if (c === '"') {
      const opened = line;
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && '"\\$`\n'.includes(text[j + 1] ?? '')) {
          j++;
          if (text[j] === '\n') {
            line++;
            continue;
          }
        } else if (text[j] === '\n') line++;
        value += text[j];
      }
      if (j >= text.length) throw new InputProblem(`args: unterminated " opened on line ${opened}`);
      word = (word ?? '') + value;
      i = j;
    } else if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) throw new InputProblem(`args: trailing backslash on line ${line}`);
      i++;
      if (next === '\n') line++;
      else word = (word ?? '') + next;
    } else {
      word = (word ?? '') + c;
    }
  }
  push();
  return out;
}

/** The action's inputs from the environment, checked. Throws InputProblem (exit 2) on a bad one. */
export function readInputs(env) {
  const get = (name, fallback = '') => (env[name] ?? fallback).trim();
  const inputs = {
    command: get('RP_COMMAND', 'check'),
    target: get('RP_TARGET'),
    args: splitArgs(env.RP_ARGS ?? ''),
    failOn: get('RP_FAIL_ON', 'error'),
    waivers: get('RP_WAIVERS'),
    baseline: get('RP_BASELINE'),
    version: get('RP_VERSION'),
    source: get('RP_SOURCE', 'npm'),
    cli: get('RP_CLI', 'node_modules/.bin/redproof'),
    annotations: get('RP_ANNOTATIONS', 'true') === 'true',
    cache: get('RP_CACHE', 'true') === 'true',
  };
  if (!COMMANDS.includes(inputs.command)) {
    throw new InputProblem(`command must be one of ${COMMANDS.join(', ')}, not '${inputs.command}'`);
  }
  if (!FAIL_ON.includes(inputs.failOn)) {
    throw new InputProblem(`fail-on must be error, warning, note or never, not '${inputs.failOn}'`);
  }
  if (!SOURCES.includes(inputs.source)) {
    throw new InputProblem(`source must be npm, action or local, not '${inputs.source}'`);
  }
  if (TARGET_REQUIRED.includes(inputs.command) && !inputs.target) {
    throw new InputProblem(
      `command ${inputs.command} needs a target (the family manifest or the image root)`,
    );
  }
  if (inputs.command === 'repo-check' && inputs.target) {
    throw new InputProblem('command repo-check takes no target: give the repositories in args (--repo PATH)');
  }
  if (inputs.source === 'npm' && !/^[0-9A-Za-z.+-]+$/.test(inputs.version)) {
    throw new InputProblem(
      `version must be a redproof version from the npm registry, not '${inputs.version}'`,
    );
  }
  return inputs;
}

/** Writes a step output, with a heredoc delimiter when the value spans lines (GitHub's file command syntax). */
export function setOutput(env, name, value) {
  const text = String(value);
  if (!env.GITHUB_OUTPUT) return;
  if (text.includes('\n')) {
    const delimiter = `rp_${randomUUID()}`;
    appendFileSync(env.GITHUB_OUTPUT, `${name}<<${delimiter}\n${text}\n${delimiter}\n`);
  } else {
    appendFileSync(env.GITHUB_OUTPUT, `${name}=${text}\n`);
  }
}

const escapeData = (s) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const error = (log, message) => log(`::error title=redproof::${escapeData(message)}`);

const workspaceOf = (env) => env.GITHUB_WORKSPACE || process.cwd();
const outDirOf = (env) => join(env.RUNNER_TEMP || join(workspaceOf(env), '.redproof-tmp'), 'redproof');

/** Repository paths named in args (`--repo [ID=]PATH`, `--against`, `--to`), from the workspace. */
function repoArgs(args, workspace) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^(--repo|-r|--against|--to)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    const value = m[2] ?? args[++i];
    if (!value) continue;
    const eq = value.indexOf('=');
    const path = eq > 0 && !value.slice(0, eq).includes('/') ? value.slice(eq + 1) : value;
    out.push(resolve(workspace, path));
  }
  return out;
}

/** Every `repodata/repomd.xml` under `dir`, a few levels deep, skipping VCS and dependency trees. */
function findRepomd(dir, depth, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.isDirectory() || e.name === '.git' || e.name === 'node_modules') continue;
    const sub = join(dir, e.name);
    if (e.name === 'repodata') {
      if (existsSync(join(sub, 'repomd.xml'))) out.add(join(sub, 'repomd.xml'));
    } else if (depth > 0) findRepomd(sub, depth - 1, out);
  }
}

/**
 * The cache key: a digest of every repository's repomd.xml (it lists the checksum of each metadata file),
 * those under the workspace and those named in args. Parsed repositories are cached by content, so an
 * older cache (restore key) is still valid for the repositories that did not change.
 */
export function cacheKey(inputs, env) {
  const workspace = workspaceOf(env);
  const files = new Set();
  findRepomd(workspace, 6, files);
  for (const repo of repoArgs(inputs.args, workspace)) {
    const file = join(repo, 'repodata', 'repomd.xml');
    if (existsSync(file)) files.add(file);
    else findRepomd(repo, 2, files);
  }
  const digest = createHash('sha256');
  const listed = [...files].map((f) => [relative(workspace, f).split('\\').join('/'), f]).sort();
  for (const [name, file] of listed) {
    digest.update(`${name}\0${createHash('sha256').update(readFileSync(file)).digest('hex')}\n`);
  }
  const prefix = `redproof-v1-${env.RUNNER_OS || process.platform}-${inputs.source}-${inputs.version || 'local'}-`;
  return { key: `${prefix}${digest.digest('hex').slice(0, 32)}`, restore: prefix, files: listed.length };
}

function cacheDirOf(inputs, env) {
  const i = inputs.args.findIndex((a) => a === '--cache-dir' || a.startsWith('--cache-dir='));
  if (i >= 0) {
    const value = inputs.args[i].includes('=') ? inputs.args[i].slice(12) : inputs.args[i + 1];
    return resolve(workspaceOf(env), value ?? '');
  }
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'redproof');
}

/** `prepare`: checks the inputs (`valid`) and writes the cache outputs; never fails, `run` reports bad inputs. */
export function prepare(env, log = console.log) {
  setOutput(env, 'dir', outDirOf(env));
  let inputs;
  try {
    inputs = readInputs(env);
  } catch (err) {
    // `run` reports the problem (once), in the log and the job summary.
    if (!(err instanceof InputProblem)) throw err;
    setOutput(env, 'valid', 'false');
    setOutput(env, 'cache', 'false');
    return 0;
  }
  setOutput(env, 'valid', 'true');
  const useCache = inputs.cache && !inputs.args.includes('--no-cache');
  setOutput(env, 'cache', String(useCache));
  if (!useCache) return 0;
  const { key, restore, files } = cacheKey(inputs, env);
  const paths = [cacheDirOf(inputs, env)];
  if (inputs.source === 'npm') paths.push(join(env.HOME || homedir(), '.npm', '_npx'));
  setOutput(env, 'cache-key', key);
  setOutput(env, 'cache-restore-key', restore);
  setOutput(env, 'cache-paths', paths.join('\n'));
  log(`redproof: cache key ${key} (${files} repomd.xml)`);
  return 0;
}

/** The program and its leading arguments that run redproof, or an InputProblem naming what is missing. */
export function launcher(inputs, env) {
  if (inputs.source === 'npm') {
    return {
      file: process.platform === 'win32' ? 'npx.cmd' : 'npx',
      args: ['--yes', `redproof@${inputs.version}`],
    };
  }
  if (inputs.source === 'action') {
    const root = env.RP_ACTION_PATH || env.GITHUB_ACTION_PATH;
    const cli = root ? join(root, 'dist', 'bin', 'redproof.js') : '';
    if (!root || !existsSync(cli) || !existsSync(join(root, 'node_modules'))) {
      throw new InputProblem(
        `source: action needs the action's checkout built (dist/bin/redproof.js and node_modules in ${root || 'GITHUB_ACTION_PATH'}); ` +
          'use a release ref of the action that ships them, or run `npm ci --omit=dev` there from your registry mirror',
      );
    }
    return { file: process.execPath, args: [cli] };
  }
  const cli = resolve(workspaceOf(env), inputs.cli);
  if (!existsSync(cli)) {
    throw new InputProblem(`source: local: no redproof CLI at ${inputs.cli} (the redproof-cli input)`);
  }
  return /\.[cm]?js$/.test(cli) ? { file: process.execPath, args: [cli] } : { file: cli, args: [] };
}

/** Reads the JSON report's verdict; undefined when redproof wrote none (it did not run). */
function verdictOf(file) {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')).verdict;
    return ['pass', 'fail', 'error'].includes(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `run`: runs redproof, then writes the outputs (exit-code, verdict, tool-failure, report paths), the job
 * summary and, with `annotations`, the workflow commands that annotate the files. Returns 0: the exit code
 * travels in the `exit-code` output to `finish`, so the uploads in between always see the reports.
 */
export function run(env, log = console.log, spawn = spawnSync) {
  const dir = outDirOf(env);
  const files = {
    sarif: join(dir, 'redproof.sarif'),
    junit: join(dir, 'redproof.junit.xml'),
    json: join(dir, 'redproof.json'),
    markdown: join(dir, 'redproof.md'),
    github: join(dir, 'redproof.github'),
  };
  const summary = (text) => env.GITHUB_STEP_SUMMARY && appendFileSync(env.GITHUB_STEP_SUMMARY, `${text}\n`);
  const finish = (code, verdict, toolFailure, reason) => {
    setOutput(env, 'exit-code', code);
    setOutput(env, 'verdict', verdict);
    setOutput(env, 'tool-failure', String(toolFailure));
    setOutput(env, 'sarif', String(existsSync(files.sarif) && statSync(files.sarif).size > 0));
    if (existsSync(files.markdown) && statSync(files.markdown).size > 0) {
      summary(readFileSync(files.markdown, 'utf8'));
    } else {
      summary(`### redproof: ${verdict}\n\n${reason ?? `redproof exited with ${code}; see the step log.`}`);
    }
    return 0;
  };

  mkdirSync(dir, { recursive: true });
  for (const f of Object.values(files)) rmSync(f, { force: true });
  setOutput(env, 'dir', dir);
  let inputs;
  let program;
  try {
    inputs = readInputs(env);
    program = launcher(inputs, env);
  } catch (err) {
    if (!(err instanceof InputProblem)) throw err;
    error(log, err.message);
    return finish(inputs ? 3 : 2, 'error', inputs !== undefined, err.message);
  }

  const argv = [inputs.command];
  if (inputs.target) argv.push(inputs.target);
  if (REPORTING.includes(inputs.command)) {
    argv.push('--format', 'text', '--sarif', files.sarif, '--junit', files.junit, '--json', files.json);
    argv.push('--markdown', files.markdown, '--fail-on', inputs.failOn);
    if (inputs.annotations) argv.push('--github', files.github);
    if (inputs.waivers) argv.push('--waivers', inputs.waivers);
    if (inputs.baseline) argv.push('--baseline', inputs.baseline);
    if (!inputs.args.some((a) => /^--(no-cache|cache-dir)(=|$)/.test(a)) && inputs.cache) {
      argv.push('--cache-dir', cacheDirOf(inputs, env));
    }
  }
  argv.push(...inputs.args);

  log(`redproof: ${[program.file, ...program.args, ...argv].map((a) => JSON.stringify(a)).join(' ')}`);
  const child = spawn(program.file, [...program.args, ...argv], {
    cwd: workspaceOf(env),
    stdio: 'inherit',
    env: { ...env, NO_COLOR: '1' },
  });
  if (child.error) {
    const reason = `could not start ${program.file}: ${child.error.message}`;
    error(log, reason);
    return finish(3, 'error', true, reason);
  }
  const code = child.status ?? 128;
  if (inputs.annotations && existsSync(files.github)) log(readFileSync(files.github, 'utf8').trimEnd());

  if (!REPORTING.includes(inputs.command)) {
    const verdict = code === 0 ? 'pass' : code === 1 ? 'fail' : 'error';
    return finish(code, verdict, false);
  }
  const verdict = verdictOf(files.json);
  // redproof writes its JSON report whenever it exits 0 or 1 (and on most input errors, exit 3); exit 0 or 1
  // without it, or any other code, is the launcher failing (npx: package not found, no registry access).
  if ((code === 0 || code === 1) && verdict === undefined) {
    const reason =
      inputs.source === 'npm'
        ? `npx could not run redproof@${inputs.version} (exit ${code}, no report written): is the version published and the registry reachable? Offline runners can use source: action or source: local`
        : `redproof exited with ${code} without writing its report: the CLI at ${program.args[0] ?? program.file} is not a working redproof`;
    error(log, reason);
    return finish(3, 'error', true, reason);
  }
  if (code > 3 || code < 0) {
    const reason = `redproof did not complete (exit ${code}${child.signal ? `, ${child.signal}` : ''})`;
    error(log, reason);
    return finish(3, 'error', true, reason);
  }
  return finish(code, verdict ?? 'error', false);
}

/** `finish`: the step result, last. */
export function finish(env, log = console.log) {
  const code = Number.parseInt(env.RP_EXIT ?? '', 10);
  if (env.RP_TOOL_FAILURE === 'true') {
    error(log, 'redproof could not be run; see the step above (tool failure, not findings)');
    return 3;
  }
  switch (Number.isNaN(code) ? -1 : code) {
    case 0:
      log('redproof: pass');
      return 0;
    case 1:
      error(log, 'findings at or above the fail-on level (see the job summary)');
      return 1;
    case 2:
      error(log, 'usage error (exit 2): check the inputs and args; see the step log');
      return 2;
    default:
      error(
        log,
        `redproof could not complete (exit ${env.RP_EXIT || 'unknown'}); the reports are incomplete`,
      );
      return 3;
  }
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const phase = process.argv[2];
  const phases = { prepare, run, finish };
  if (!Object.hasOwn(phases, phase)) {
    console.error(`usage: run.mjs prepare|run|finish (got ${phase ?? 'nothing'})`);
    process.exit(2);
  }
  process.exitCode = phases[phase](process.env);
}
