import { parse as parseYaml } from 'yaml';
import { splitFrontMatter } from './explain.js';

/** A rule doc page split into its YAML front matter and Markdown body. */
export interface RuleDoc {
  frontMatter: Record<string, unknown>;
  body: string;
  /** `## Heading` → section text (without the heading line), in page order. */
  sections: Map<string, string>;
}

/** Splits `---\n<yaml>\n---\n<markdown>`; a page without front matter has `{}` and the whole text as body. */
export function parseRuleDoc(text: string): RuleDoc {
  const split = splitFrontMatter(text);
  const frontMatter =
    split.frontMatter === undefined
      ? {}
      : ((parseYaml(split.frontMatter) as Record<string, unknown> | null) ?? {});
  const body = split.body;
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
