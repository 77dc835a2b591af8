import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { CliIO } from '../cli.js';
import { UsageError } from '../load/errors.js';
import type { MergedInput } from '../merge/merge.js';
import { type ResultValidator, readResultDocument } from '../merge/read.js';
import { loadRuleDocs } from '../reporters/explain.js';
import { clip } from '../util/clip.js';
import { checkFailOn, parse } from './args.js';
import { sourceDateEpoch } from './documents.js';
import { readInput, writeOut } from './run.js';

const packageRoot = new URL('../../', import.meta.url);

const MERGE_OPTIONS = {
  html: { type: 'string' },
  sarif: { type: 'string' },
  junit: { type: 'string' },
  markdown: { type: 'string' },
  json: { type: 'string' },
  'fail-on': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** result-v1, compiled once from the schema file shipped in the package (draft 2020-12). */
async function resultValidator(): Promise<ResultValidator> {
  const require = createRequire(import.meta.url);
  const Ajv2020 = (require('ajv/dist/2020') as { default: typeof import('ajv').Ajv }).default;
  const schema = JSON.parse(await readFile(new URL('schema/result-v1.schema.json', packageRoot), 'utf8'));
  const validate = new Ajv2020({ allErrors: false, strict: false }).compile(schema);
  return (data) => {
    if (validate(data)) return { ok: true };
    const e = validate.errors?.[0];
    return { ok: false, problem: `${clip(e?.instancePath || '/')} ${e?.message ?? 'is invalid'}` };
  };
}

/** `redproof merge A.json B.json ...`: one report from several runs (a CI matrix). */
export async function mergeCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv, MERGE_OPTIONS, 'merge');
  if (positionals.length === 0) {
    throw new UsageError('merge: expected JSON reports (written by --json) to merge; see --help');
  }
  const seen = new Set<string>();
  for (const file of positionals) {
    if (seen.has(file)) throw new UsageError(`merge: \`${clip(file)}\` is given twice; each run counts once`);
    seen.add(file);
  }
  const failOn = checkFailOn(values['fail-on'], 'merge');
  const validate = await resultValidator();
  const { inputLabels } = await import('../merge/merge.js');
  const labels = inputLabels(positionals);
  const inputs: MergedInput[] = [];
  for (const [i, file] of positionals.entries()) {
    const text = await readInput(io, file, 'a JSON report written by redproof --json', undefined, 'fileSize');
    inputs.push({ label: labels[i]!, result: readResultDocument(text, file, validate) });
  }
  const ids = [
    ...new Set(
      inputs.flatMap((i) => [...i.result.rules.map((r) => r.id), ...i.result.findings.map((f) => f.rule)]),
    ),
  ];
  const ruleDocs = await loadRuleDocs(ids, (p) => readFile(new URL(p, packageRoot), 'utf8')).catch(
    () => new Map<string, string>(),
  );
  const m = await import('../merge/merge.js');
  const options = { failOn, ruleDocs };
  if (values.sarif) await writeOut(io, values.sarif, m.mergedSarif(inputs, options));
  if (values.junit) await writeOut(io, values.junit, m.mergedJunit(inputs, options));
  if (values.markdown) await writeOut(io, values.markdown, m.mergedMarkdown(inputs, options));
  if (values.json) await writeOut(io, values.json, m.mergedJson(inputs, options));
  if (values.html) {
    const { htmlMergedReporter } = await import('../reporters/html/index.js');
    const epoch = sourceDateEpoch(io.env);
    await writeOut(
      io,
      values.html,
      htmlMergedReporter(inputs, {
        ...options,
        ...(epoch !== undefined && { generated: new Date(epoch * 1000).toISOString().replace('.000Z', 'Z') }),
      }),
    );
  }
  const s = m.mergedSummary(inputs, failOn);
  if (!values.quiet) {
    io.stdout.write(
      `merged ${s.runs} runs: ${s.errors} errors, ${s.warnings} warnings, ${s.notes} notes, ${s.suppressed} suppressed, ${s.toolErrors} tool errors; verdict ${m.mergedVerdict(inputs, failOn)} (fail-on ${failOn})\n`,
    );
  }
  return m.mergedExitCode(inputs, failOn);
}
