import { parse as parseYaml } from 'yaml';
import { findRule, type RuleSpec, ruleDocPath } from '../rules/catalog.js';

/** A rule doc page split into its YAML front matter and Markdown body. */
export interface RuleDoc {
  frontMatter: Record<string, unknown>;
  body: string;
  /** `## Heading` → section text (without the heading line), in page order. */
  sections: Map<string, string>;
}

/** Reads a file of the installed package by its package-relative path (the CLI passes fs). */
export type DocReader = (path: string) => string | Promise<string>;

/** Splits `---\n<yaml>\n---\n<markdown>`; a page without front matter has `{}` and the whole text as body. */
export function parseRuleDoc(text: string): RuleDoc {
  const normalized = text.replace(/\r\n/g, '\n');
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(normalized);
  const frontMatter = match ? ((parseYaml(match[1] ?? '') as Record<string, unknown> | null) ?? {}) : {};
  const body = match ? normalized.slice(match[0].length) : normalized;
  const sections = new Map<string, string>();
  let current: string | undefined;
  let buffer: string[] = [];
  const flush = () => {
    if (current !== undefined) sections.set(current, buffer.join('\n').trim());
  };
  let fence = false;
  for (const line of body.split('\n')) {
    if (line.startsWith('```')) fence = !fence;
    const heading = fence ? null : /^## (.+)$/.exec(line);
    if (heading) {
      flush();
      current = heading[1]?.trim();
      buffer = [];
    } else {
      buffer.push(line);
    }
  }
  flush();
  return { frontMatter, body, sections };
}

/**
 * Text for `redproof explain RP001`: a header line from the catalog, then the page body without its front
 * matter. Throws on an unknown code (the CLI turns it into a usage error).
 */
export function explainRule(code: string, docsText: string): string {
  const rule = findRule(code);
  if (!rule) {
    throw new Error(`unknown rule \`${code}\``);
  }
  const { body } = parseRuleDoc(docsText);
  const header = `${rule.id} ${rule.slug} (${rule.level}, ${rule.status} since ${rule.since})`;
  return `${header}\n${rule.summary}\n\n${body.trim()}\n`;
}

/** Loads the doc page of a rule through `read`; throws on an unknown code. */
export async function loadRuleDoc(code: string, read: DocReader): Promise<{ rule: RuleSpec; text: string }> {
  const rule = findRule(code);
  if (!rule) {
    throw new Error(`unknown rule \`${code}\``);
  }
  return { rule, text: await read(ruleDocPath(rule)) };
}

/** Loads every listed rule's page into the `ruleDocs` map the SARIF reporter takes. */
export async function loadRuleDocs(codes: readonly string[], read: DocReader): Promise<Map<string, string>> {
  const docs = new Map<string, string>();
  for (const code of codes) {
    const { rule, text } = await loadRuleDoc(code, read);
    docs.set(rule.id, text);
  }
  return docs;
}
