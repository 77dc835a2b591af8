import { describe, expect, it } from 'vitest';
import { applyBaseline } from '../../src/policy/baseline.js';
import { applyWaivers } from '../../src/policy/waivers.js';
import { escapeData, escapeProperty, githubReporter } from '../../src/reporters/github.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { spanFiles } from '../../src/reporters/paths.js';
import { auditResult } from './ci-fixtures.js';
import { familyResult, reordered, toolErrorResult } from './fixtures.js';

interface Command {
  name: string;
  props: Record<string, string>;
  message: string;
}

// Decoding as the runner does (actions/runner ActionCommand.Unescape): `%3A` and `%2C` in properties,
// then `%0D`, `%0A` and `%25` (last) in both.
const decodeCommand = (s: string, property: boolean) => {
  let out = s.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  if (property) out = out.replace(/%3A/g, ':').replace(/%2C/g, ',');
  return out.replace(/%25/g, '%');
};

function parse(text: string): Command[] {
  const lines = text.split('\n').filter((l) => l !== '');
  return lines.map((line) => {
    const m = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) throw new Error(`not a workflow command: ${line}`);
    const props: Record<string, string> = {};
    for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = pair.indexOf('=');
      props[pair.slice(0, eq)] = decodeCommand(pair.slice(eq + 1), true);
    }
    return { name: m[1]!, props, message: decodeCommand(m[3]!, false) };
  });
}

describe('github reporter', () => {
  it('writes one annotation per finding with file, line, end, column and title', () => {
    const commands = parse(githubReporter(familyResult()));
    const result = familyResult();
    expect(commands).toHaveLength(result.findings.length);
    for (const finding of result.findings) {
      const span = finding.location!;
      const c = commands.find((x) => x.props.title?.startsWith(`${finding.rule} `))!;
      expect(c.name).toBe({ error: 'error', warning: 'warning', note: 'notice' }[finding.level]);
      expect(c.props).toEqual({
        file: span.file,
        line: String(span.line),
        endLine: String(span.endLine ?? span.line),
        col: String(span.column),
        ...(span.endColumn !== undefined && { endColumn: String(span.endColumn) }),
        title: `${finding.rule} ${finding.slug} (${finding.node})`,
      });
      expect(c.message).toBe(`${finding.message}. Fix: ${finding.help}`);
    }
  });

  it('escapes %, CR, LF in data and also : and , in properties, and the runner reads them back', () => {
    expect(escapeData('100% a\r\nb: c, d')).toBe('100%25 a%0D%0Ab: c, d');
    expect(escapeProperty('100% a\r\nb: c, d')).toBe('100%25 a%0D%0Ab%3A c%2C d');
    const result = familyResult();
    const f = result.findings[0]!;
    f.message = 'line one\nline two: 50%, done\r';
    f.help = undefined;
    f.location = { ...f.location!, file: 'odd, dir/x:y%.yaml' };
    const text = githubReporter(result);
    expect(text.split('\n').filter(Boolean)).toHaveLength(result.findings.length);
    const c = parse(text).find((x) => x.props.file === 'odd, dir/x:y%.yaml')!;
    expect(c.message).toBe('line one\nline two: 50%, done\r');
  });

  it('reports findings without any location without a file, and tool errors as errors', () => {
    const result = familyResult();
    result.findings = result.findings.map(({ location: _l, ...f }) => f);
    result.subjects = result.subjects.map(({ location: _l, ...s }) => s);
    const bare = parse(githubReporter(result));
    expect(bare).toHaveLength(3);
    for (const c of bare) expect(Object.keys(c.props)).toEqual(['title']);
    const filed = parse(githubReporter(result, { targetFile: 'families/demo.yaml' }));
    for (const c of filed) expect(c.props.file).toBe('families/demo.yaml');

    const errors = parse(githubReporter(toolErrorResult()));
    expect(errors).toEqual([
      {
        name: 'error',
        props: { title: 'redproof solver' },
        message: 'libsolv: out of memory while creating the pool',
      },
      {
        name: 'error',
        props: {
          file: 'repos/demo/repodata/repomd.xml',
          line: '7',
          endLine: '7',
          col: '5',
          title: 'redproof input',
        },
        message: 'reading `repos/demo/repodata/repomd.xml`: checksum mismatch for primary.xml.gz',
      },
    ]);
  });

  it('leaves waived and baselined findings out', () => {
    const waived = applyWaivers(familyResult(), [{ rule: 'RP004', reason: 'on purpose' }], '2026-01-01');
    const rp001 = familyResult().findings.filter((f) => f.rule === 'RP001');
    const both = applyBaseline(waived, jsonReporter({ ...familyResult(), findings: rp001 }));
    expect(parse(githubReporter(both)).map((c) => c.props.title?.split(' ')[0])).toEqual(['RP003']);
  });

  it('puts audit paths under the image root, other files (waivers) stay as given', () => {
    const engine = auditResult();
    const result = applyWaivers(
      engine,
      [{ rule: 'RP999', reason: 'unused', location: { file: 'redproof-waivers.yaml', line: 3, column: 5 } }],
      '2026-01-01',
    );
    const imageRoot = { path: 'images/ivi', files: spanFiles(engine) };
    const files = parse(githubReporter(result, { imageRoot })).map((c) => c.props.file);
    expect(files).toEqual([
      'images/ivi/var/lib/rpm/rpmdb.sqlite', // the tool error
      'redproof-waivers.yaml', // RP091 waiver-unused, located in the waivers file
      'images/ivi/var/redpak/app/.rednode.yaml', // RP001, at its node's declaration
      undefined, // RP003 in the host, which has no declaration
    ]);
  });

  it('is byte-identical across input orders, and empty when nothing is found', () => {
    const first = githubReporter(familyResult());
    for (const seed of [1, 2, 3]) expect(githubReporter(reordered(familyResult(), seed))).toBe(first);
    expect(githubReporter({ ...familyResult(), findings: [] })).toBe('');
  });
});
