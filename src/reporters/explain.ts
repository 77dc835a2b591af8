import { findRule, type RuleSpec, ruleDocPath } from '../rules/catalog.js';

/** Reads a file of the installed package by its package-relative path (the CLI passes fs). */
export type DocReader = (path: string) => string | Promise<string>;

/**
 * Splits `---\n<yaml>\n---\n<markdown>` into the front matter's text and the body, without parsing the
 * YAML: a run that only prints rule pages need not load a YAML parser (see rule-doc.ts for the parse).
 */
export function splitFrontMatter(text: string): { frontMatter: string | undefined; body: string } {
  const normalized = text.replace(/\r\n/g, '\n');
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(normalized);
  return match
    ? { frontMatter: match[1] ?? '', body: normalized.slice(match[0].length) }
    : { frontMatter: undefined, body: normalized };
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
  const { body } = splitFrontMatter(docsText);
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
