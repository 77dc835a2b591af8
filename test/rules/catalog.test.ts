import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { explainRule, loadRuleDoc, loadRuleDocs } from '../../src/reporters/explain.js';
import { parseRuleDoc } from '../../src/reporters/rule-doc.js';
import {
  findRule,
  formatTemplate,
  RULES,
  ruleDocPath,
  ruleHelp,
  ruleMessage,
  rulesFor,
  toRuleMeta,
} from '../../src/rules/catalog.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
const PAGES = readdirSync(`${ROOT}rules`).filter((name) => name.endsWith('.md'));
const HEADINGS = [
  'What it checks',
  'Why it matters',
  'Example',
  'How to fix',
  'Evidence shown',
  'Related rules',
];

describe('rule catalog', () => {
  it('has unique, well-formed codes and slugs in code order', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(RULES.map((r) => r.slug)).size).toBe(RULES.length);
    expect([...ids].sort()).toEqual(ids);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^RP\d{3}$/);
      expect(rule.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.help).toMatch(/^[A-Z][a-z]+ /); // starts with a verb
      expect(rule.summary.endsWith('.')).toBe(false);
      expect(Object.keys(rule.messages).length).toBeGreaterThan(0);
    }
  });

  it('keeps the codes and levels the issues fixed', () => {
    const table = Object.fromEntries(RULES.map((r) => [r.id, `${r.slug}/${r.level}`]));
    expect(table).toMatchObject({
      RP001: 'unresolved-dependency/error',
      RP002: 'conflict/error',
      RP003: 'ancestor-duplicate/error',
      RP004: 'shareable-duplicate/warning',
      RP005: 'file-conflict/warning',
      RP006: 'unknown-package/error',
      RP007: 'uninstallable/error',
      RP010: 'node-config-invalid/error',
      RP011: 'node-not-enabled/error',
      RP012: 'alias-invalid/error',
      RP013: 'privilege-reenabled/error',
      RP014: 'not-from-repositories/warning',
      RP020: 'update-breaks-descendant/error',
      RP021: 'update-creates-duplicate/error',
      RP022: 'update-not-installable/error',
      RP023: 'update-held-back/note',
      RP030: 'repo-uninstallable/error',
      RP040: 'package-not-allowed/error',
      RP041: 'license-not-allowed/error',
      RP042: 'size-budget-exceeded/error',
      RP043: 'required-package-missing/error',
      RP044: 'setuid-file/error',
      RP045: 'unsigned-package/error',
      RP046: 'config-not-allowed/error',
    });
  });

  it('finds rules by code or slug and selects them per command', () => {
    expect(findRule('rp003')?.slug).toBe('ancestor-duplicate');
    expect(findRule('shareable-duplicate')?.id).toBe('RP004');
    expect(findRule('RP999')).toBeUndefined();
    expect(rulesFor('repo-check').map((r) => r.id)).toEqual(['RP030']);
    const policy = ['RP040', 'RP041', 'RP042', 'RP043', 'RP044', 'RP045', 'RP046'];
    expect(rulesFor('update-check').map((r) => r.id)).toEqual(['RP020', 'RP021', 'RP022', 'RP023', 'RP024']);
    // Policy-file rules join a run only with --policy.
    expect(rulesFor('policy').map((r) => r.id)).toEqual(expect.arrayContaining(policy));
    expect(rulesFor('check').map((r) => r.id)).not.toContain('RP040');
    expect(rulesFor('check').map((r) => r.id)).not.toContain('RP014');
    expect(rulesFor('audit').map((r) => r.id)).toContain('RP014');
    expect(toRuleMeta(findRule('RP004')!)).toEqual({
      id: 'RP004',
      slug: 'shareable-duplicate',
      level: 'warning',
      summary: findRule('RP004')!.summary,
      tags: ['duplication', 'size'],
    });
  });

  it('fills message and help templates, keeping unknown placeholders visible', () => {
    expect(formatTemplate('`{a}` and `{b}`', { a: 'x' })).toBe('`x` and `{b}`');
    expect(
      ruleMessage('RP003', 'duplicate', {
        package: 'zlib-1.2-1.x86_64',
        node: 'app',
        other: 'zlib-1.2-1.x86_64',
        otherNode: 'platform',
      }),
    ).toBe(
      '`zlib-1.2-1.x86_64` in node `app` duplicates `zlib-1.2-1.x86_64` already installed in ancestor `platform`',
    );
    expect(
      ruleHelp('RP003', { name: 'zlib', node: 'app', other: 'zlib-1.2-1.x86_64', otherNode: 'platform' }),
    ).toBe('Remove `zlib` from `app`: it already sees `zlib-1.2-1.x86_64` from `platform`');
    expect(() => ruleMessage('RP003', 'nope', {})).toThrow(/unknown message/);
    expect(() => ruleHelp('RP999', {})).toThrow(/unknown rule/);
  });
});

describe('rule doc pages', () => {
  it('exist for every catalog entry, and every page belongs to one', () => {
    expect(PAGES.sort()).toEqual(RULES.map((r) => ruleDocPath(r).slice('rules/'.length)).sort());
  });

  for (const rule of RULES) {
    it(`${rule.id} has matching front matter and the standard headings`, () => {
      const doc = parseRuleDoc(read(ruleDocPath(rule)));
      expect(doc.frontMatter).toEqual({
        id: rule.id,
        name: rule.slug,
        status: rule.status,
        since: rule.since,
        level: rule.level,
        tags: [...rule.tags],
      });
      expect([...doc.sections.keys()]).toEqual(HEADINGS);
      for (const heading of HEADINGS) expect(doc.sections.get(heading)?.length ?? 0).toBeGreaterThan(20);
      expect(doc.body.trimStart().startsWith(`# ${rule.id} ${rule.slug}\n`)).toBe(true);
    });

    it(`${rule.id} example prints the finding as the text reporter would`, () => {
      const example = parseRuleDoc(read(ruleDocPath(rule))).sections.get('Example') ?? '';
      const yaml = /```yaml\n([\s\S]*?)```/.exec(example)?.[1] ?? '';
      const printed = /```text\n([\s\S]*?)```/.exec(example)?.[1] ?? '';
      const lines = printed.trimEnd().split('\n');
      expect(lines[0]).toMatch(new RegExp(`^${rule.id} ${rule.level}: `));
      expect(lines.at(-1)?.trim()).toBe(`= docs: ${ruleDocPath(rule)}`);
      // When the frame quotes the example file, the quoted line must be that line of the YAML block.
      const arrow = /^ *--> ([^:]+):(\d+):(\d+)$/.exec(lines[1] ?? '');
      if (arrow && !arrow[1]!.endsWith('.xml')) {
        const line = Number(arrow[2]);
        const column = Number(arrow[3]);
        const quoted = lines.find((l) => l.startsWith(`${line} |`));
        const source = yaml.split('\n')[line - 1] ?? '';
        expect(quoted).toBe(`${line} | ${source}`);
        const caret = lines[lines.indexOf(quoted!) + 1]!;
        expect(caret.indexOf('^') - `${line} | `.length + 1).toBe(column);
      }
    });
  }

  it('explains a rule from its page without the front matter', () => {
    const text = read('rules/RP001-unresolved-dependency.md');
    const out = explainRule('rp001', text);
    expect(out.split('\n')[0]).toBe('RP001 unresolved-dependency (error, stable since 0.1.0)');
    expect(out).toContain('## How to fix');
    expect(out).not.toContain('since: 0.1.0');
    expect(() => explainRule('RP999', text)).toThrow(/unknown rule/);
  });

  it('loads pages through the reader it is given', async () => {
    const asked: string[] = [];
    const reader = (path: string) => {
      asked.push(path);
      return read(path);
    };
    const { rule, text } = await loadRuleDoc('unresolved-dependency', reader);
    expect(rule.id).toBe('RP001');
    expect(asked).toEqual(['rules/RP001-unresolved-dependency.md']);
    expect(text).toContain('id: RP001');
    const all = await loadRuleDocs(
      RULES.map((r) => r.id),
      async (path) => read(path),
    );
    expect([...all.keys()]).toEqual(RULES.map((r) => r.id));
    await expect(loadRuleDoc('RP999', reader)).rejects.toThrow(/unknown rule/);
  });
});
