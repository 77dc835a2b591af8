/**
 * The command line: the only module that touches process.argv, env, exit codes, stdout and stderr.
 * Exit codes: 0 proven clean, 1 findings at or above --fail-on, 2 usage error, 3 input or engine error.
 */
import { HELP, VERSION_TEXT } from './cli/help.js';
import { runCommand } from './cli/run.js';
import { InputError, inputErrorList, UsageError } from './load/errors.js';
import { EngineError } from './solver/errors.js';
import { CLIP_MESSAGE_LENGTH, clip } from './util/clip.js';

export interface CliIO {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/**
 * Runs the CLI and returns its exit code. A reader that goes away (`| head`, EPIPE) ends the run
 * quietly with the code it had; any other failure to write standard output (a full disk,
 * `/dev/full`) is exit 3 with a message, never an unhandled 'error' event.
 */
export async function main(io: CliIO): Promise<number> {
  let writeError: NodeJS.ErrnoException | undefined;
  const onError = (err: NodeJS.ErrnoException) => {
    writeError ??= err;
  };
  io.stdout.on('error', onError);
  try {
    const code = await run(io);
    await flushed(io.stdout);
    if (writeError === undefined || writeError.code === 'EPIPE') return code;
    io.stderr.write(`redproof: cannot write to standard output: ${writeError.code ?? writeError.message}\n`);
    return 3;
  } finally {
    // Late errors (after the last write was flushed) must not become unhandled either.
    io.stdout.removeListener('error', onError);
    io.stdout.on('error', () => {});
  }
}

/** Resolves once everything written so far has been handed to the OS (or failed). */
function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const s = stream as NodeJS.WriteStream;
    if (s.destroyed || s.writableEnded) {
      resolve();
      return;
    }
    s.write('', () => resolve());
  });
}

async function run(io: CliIO): Promise<number> {
  const [command, ...rest] = io.argv;
  const debug = io.argv.includes('--debug');
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' ? rest[0] : undefined;
      io.stdout.write(`${topic && HELP[topic] ? HELP[topic] : HELP.main}\n`);
      return command ? 0 : 2;
    }
    if (command === '--version' || command === '-V' || command === 'version') {
      io.stdout.write(`${await VERSION_TEXT()}\n`);
      return 0;
    }
    if (!HELP[command]) {
      throw new UsageError(`unknown command \`${clip(command)}\`\n\n${HELP.main}`);
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${HELP[command]}\n`);
      return 0;
    }
    return await runCommand(command, rest, io);
  } catch (err) {
    return reportError(err, io, debug);
  }
}

function reportError(err: unknown, io: CliIO, debug: boolean): number {
  const color = io.stderr.isTTY && !io.env.NO_COLOR;
  const label = (t: string) => (color ? `\u001b[1;31m${t}\u001b[0m` : t);
  let code = 3;
  // Every message is bounded (values in it are clipped where they are written; this is the backstop).
  if (err instanceof UsageError) {
    io.stderr.write(`${label('redproof: usage error:')} ${clip(err.message, CLIP_MESSAGE_LENGTH)}\n`);
    code = 2;
  } else if (err instanceof InputError) {
    io.stderr.write(`${label('redproof: input error:')} ${shortMessage(err)}\n`);
  } else if (err instanceof EngineError) {
    io.stderr.write(`${label('redproof: engine error:')} ${clip(err.message, CLIP_MESSAGE_LENGTH)}\n`);
  } else if (
    err instanceof Error &&
    /^(RpmdbError|DiscoveryError|ImageRootError|HeaderError|HostError)$/.test(err.name)
  ) {
    io.stderr.write(`${label('redproof: input error:')} ${clip(err.message, CLIP_MESSAGE_LENGTH)}\n`);
  } else {
    const message = clip((err as Error)?.message ?? String(err), CLIP_MESSAGE_LENGTH);
    io.stderr.write(`${label('redproof: internal error:')} ${message}\n`);
    io.stderr.write(
      'This is a bug in redproof; please report it with the command line (use --debug for details).\n',
    );
  }
  if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return code;
}

/** Input errors printed in full; past this, the rest are counted (a mutated file can hold thousands). */
const MAX_ERRORS_SHOWN = 50;

function shortMessage(err: InputError): string {
  const list = inputErrorList(err);
  if (list.length <= MAX_ERRORS_SHOWN) return clip(err.message, CLIP_MESSAGE_LENGTH);
  const shown = list.slice(0, MAX_ERRORS_SHOWN).map((e) => clip(e.message, 1000));
  return `${shown.join('\n')}\n… and ${list.length - MAX_ERRORS_SHOWN} more errors`;
}

/**
 * Runs the CLI as the program: process.argv, the real streams, the exit code. The bundled program
 * (dist/bin/redproof.js) and its unbundled source (dist/bin.js) call it: src/bin.ts.
 */
export function runProgram(): void {
  // A closed stderr (EPIPE) must not crash the run either; the exit code still tells the outcome.
  process.stderr.on('error', () => {});
  main({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`redproof: internal error: ${String(err)}\n`);
      process.exitCode = 3;
    },
  );
}
