import { createHash } from 'node:crypto';
import type { Finding, Level, Span } from '../../model/index.js';

/** Rule codes produced by the red-pak loaders; metadata lives in `src/rules/catalog.ts`. */
export const REDPAK_RULES = {
  RP010: { slug: 'node-config-invalid', level: 'error' },
  RP011: { slug: 'node-not-enabled', level: 'error' },
  RP012: { slug: 'alias-invalid', level: 'error' },
  RP013: { slug: 'privilege-reenabled', level: 'error' },
} as const satisfies Record<string, { slug: string; level: Level }>;

export type RedpakRule = keyof typeof REDPAK_RULES;

/**
 * Stable fingerprint: sha256 of `rule \0 node \0 subject`, first 16 hex digits.
 * @internal Local stand-in, to be swapped for the shared helper.
 */
export function fingerprintOf(rule: string, node: string, subject: string): string {
  return createHash('sha256').update([rule, node, subject].join('\0')).digest('hex').slice(0, 16);
}

/** Build a finding of one of the red-pak loader rules. */
export function redpakFinding(
  rule: RedpakRule,
  args: {
    node: string;
    subject: string;
    message: string;
    help: string;
    location?: Span | undefined;
    evidence?: Finding['evidence'];
  },
): Finding {
  const meta = REDPAK_RULES[rule];
  const f: Finding = {
    rule,
    slug: meta.slug,
    level: meta.level,
    node: args.node,
    message: args.message,
    help: args.help,
    evidence: args.evidence ?? [],
    fingerprint: fingerprintOf(rule, args.node, args.subject),
  };
  if (args.location !== undefined) f.location = args.location;
  return f;
}
