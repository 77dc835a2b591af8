import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;
interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/**
 * Every `artifactLocation` of a SARIF log as a file-system path, resolved as SARIF §3.4.4 says: through
 * `run.originalUriBaseIds` (chained), `%SRCROOT%` without a URI being the checkout.
 */
export function sarifPaths(log: { runs: Json[] }, checkout: string): string[] {
  const out: string[] = [];
  for (const run of log.runs) {
    const bases = (run.originalUriBaseIds ?? {}) as Record<string, Partial<ArtifactLocation>>;
    const baseUri = (id: string, depth = 0): string => {
      const base = bases[id];
      if (depth > 8) throw new Error(`uriBaseId cycle at ${id}`);
      if (!base?.uri) {
        if (id === '%SRCROOT%') return `file://${checkout.endsWith('/') ? checkout : `${checkout}/`}`;
        throw new Error(`uriBaseId ${id} is not declared in originalUriBaseIds`);
      }
      return base.uriBaseId ? new URL(base.uri, baseUri(base.uriBaseId, depth + 1)).href : base.uri;
    };
    const visit = (node: unknown) => {
      if (Array.isArray(node)) for (const x of node) visit(x);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node as Json)) {
          if (key === 'artifactLocation') {
            const loc = value as ArtifactLocation;
            const href = loc.uriBaseId ? new URL(loc.uri, baseUri(loc.uriBaseId)).href : loc.uri;
            if (!href.startsWith('file:')) throw new Error(`unresolvable uri ${loc.uri}`);
            out.push(fileURLToPath(href));
          } else if (key !== 'originalUriBaseIds') visit(value);
        }
      }
    };
    visit(run.results);
    visit(run.invocations);
  }
  return out;
}

/** `file=` of GitHub workflow commands, from the checkout root. */
export function githubPaths(text: string, checkout: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^::\w+ (?:[^:]*,)?file=([^,:]*)/.exec(line);
    if (!m) continue;
    const file = decodeURIComponent(m[1]!.replace(/%0D|%0A/g, ''));
    out.push(isAbsolute(file) ? file : join(checkout, file));
  }
  return out;
}

/** `location.path` of a GitLab Code Quality report, from the checkout root. */
export function gitlabPaths(text: string, checkout: string): string[] {
  return (JSON.parse(text) as { location: { path: string } }[]).map((i) => join(checkout, i.location.path));
}
