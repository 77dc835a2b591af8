/**
 * The policy rules RP040-RP046 on in-memory nodes. Pure: the engines (check, audit, update-check, lock)
 * build `PolicyNode`s from what they loaded and call `policyFindings`.
 */
import satisfies from 'spdx-satisfies';
import type { EvidenceStep, Finding, Level, Span } from '../../model/finding.js';
import { findRule, ruleHelp, ruleMessage } from '../../rules/catalog.js';
import { CLIP_TEXT_LENGTH, clip } from '../../util/clip.js';
import { fingerprint } from '../fingerprint.js';
import { globMatch } from '../glob.js';
import { licenseLeaves, normalizeLicense } from '../licenses/normalize.js';
import type { Policy, PolicyNode, PolicyPackage, PolicyRule } from './model.js';

/** Codes of the policy rules, in catalog order. */
export const POLICY_RULES = ['RP040', 'RP041', 'RP042', 'RP043', 'RP044', 'RP045', 'RP046'] as const;
export type PolicyRuleCode = (typeof POLICY_RULES)[number];

export interface PolicyOutcome {
  findings: Finding[];
  /** Rule codes evaluated per node id (a node no rule selects is absent). */
  checked: Map<string, PolicyRuleCode[]>;
  /** Every code some rule of the policy evaluates, in code order. */
  rules: PolicyRuleCode[];
}

/** Which codes a policy rule evaluates. */
export function codesOf(rule: PolicyRule): PolicyRuleCode[] {
  const codes: PolicyRuleCode[] = [];
  if (rule.allowPackages || rule.denyPackages) codes.push('RP040');
  if (rule.allowLicenses || rule.denyLicenses) codes.push('RP041');
  if (rule.maxInstalledSize) codes.push('RP042');
  if (rule.requirePackages) codes.push('RP043');
  if (rule.denySetuid) codes.push('RP044');
  if (rule.requireSigned) codes.push('RP045');
  if (rule.denyConfig) codes.push('RP046');
  return codes;
}

/** True when one of the rule's `nodes` globs matches the node's id or alias. */
export function selects(rule: PolicyRule, node: Pick<PolicyNode, 'id' | 'alias'>): boolean {
  return rule.nodes.some(
    (g) => globMatch(g, node.id) || (node.alias !== undefined && globMatch(g, node.alias)),
  );
}

const packageMatches = (glob: string, p: Pick<PolicyPackage, 'name' | 'nevra'>) =>
  globMatch(glob, p.name) || globMatch(glob, p.nevra);

/**
 * Every finding of the policy on the nodes. Each matching rule applies on its own, so two rules that a
 * package breaks give two findings. The hook for `lock`: call it on the locked family and refuse the lock
 * when a finding at error level comes back (see docs/policy.md).
 */
export function policyFindings(policy: Policy, nodes: readonly PolicyNode[]): PolicyOutcome {
  const findings: Finding[] = [];
  const checked = new Map<string, PolicyRuleCode[]>();
  const used = new Set<PolicyRuleCode>();
  for (const rule of policy.rules) {
    const codes = codesOf(rule);
    for (const c of codes) used.add(c);
    for (const node of nodes) {
      if (!selects(rule, node)) continue;
      const had = checked.get(node.id) ?? [];
      checked.set(node.id, [...new Set([...had, ...codes])].sort() as PolicyRuleCode[]);
      const ctx = new Ctx(policy, rule, node, findings);
      packagesRule(ctx);
      licensesRule(ctx);
      sizeRule(ctx);
      requireRule(ctx);
      setuidRule(ctx);
      signedRule(ctx);
      configRule(ctx);
    }
  }
  return { findings, checked, rules: POLICY_RULES.filter((c) => used.has(c)) };
}

/** One rule on one node: builds findings with the policy location as related evidence. */
class Ctx {
  constructor(
    readonly policy: Policy,
    readonly rule: PolicyRule,
    readonly node: PolicyNode,
    readonly out: Finding[],
  ) {}

  policyStep(key: string, text: string): EvidenceStep {
    const location: Span = this.rule.keys[key] ?? this.rule.location;
    const why = this.rule.description ? ` (${this.rule.description})` : '';
    return {
      role: 'policy',
      text: `rule \`${clip(this.rule.name)}\`: ${clip(text, CLIP_TEXT_LENGTH)}${clip(why, CLIP_TEXT_LENGTH)}`,
      location,
    };
  }

  add(
    code: PolicyRuleCode,
    messageId: string,
    data: Record<string, string | number>,
    opts: {
      pkg?: PolicyPackage;
      key: string;
      policyText: string;
      evidence?: EvidenceStep[];
      level?: Level;
      subject?: string;
      help?: string;
    },
  ): void {
    const meta = findRule(code)!;
    const all = { node: this.node.id, policyRule: this.rule.name, ...data };
    if (opts.pkg) Object.assign(all, { package: opts.pkg.nevra, name: opts.pkg.name });
    const finding: Finding = {
      rule: code,
      slug: meta.slug,
      level: opts.level ?? this.rule.level,
      node: this.node.id,
      message: ruleMessage(code, messageId, all),
      help: opts.help ?? ruleHelp(code, all),
      evidence: [...(opts.evidence ?? []), this.policyStep(opts.key, opts.policyText)],
      fingerprint: fingerprint({
        rule: code,
        node: this.node.id,
        ...(opts.pkg && { package: opts.pkg.nevra }),
        dependency: `${this.rule.name}\0${opts.subject ?? messageId}`,
      }),
    };
    if (opts.pkg) finding.package = opts.pkg.nevra;
    const location = opts.pkg?.location ?? this.node.location;
    if (location) finding.location = location;
    this.out.push(finding);
  }

  /** The note for a check the input cannot decide (rpm-md has no file modes, no signatures). */
  unknown(code: PolicyRuleCode, key: string, policyText: string, reason: string): void {
    this.add(
      code,
      'unknown',
      { reason },
      {
        key,
        policyText,
        level: 'note',
        subject: 'unknown',
        help: `Run \`redproof audit\` with this policy on the built image, whose rpm databases and node files tell`,
      },
    );
  }
}

function packagesRule(ctx: Ctx): void {
  const { allowPackages: allow, denyPackages: deny } = ctx.rule;
  for (const p of ctx.node.own) {
    const denied = deny?.find((g) => packageMatches(g, p));
    if (denied !== undefined) {
      ctx.add(
        'RP040',
        'denied',
        { pattern: denied },
        { pkg: p, key: 'deny-packages', policyText: `deny-packages: \`${denied}\``, subject: 'denied' },
      );
    } else if (allow && !allow.some((g) => packageMatches(g, p))) {
      ctx.add(
        'RP040',
        'notAllowed',
        {},
        {
          pkg: p,
          key: 'allow-packages',
          policyText: `allow-packages: ${allow.map((g) => `\`${g}\``).join(', ')}`,
          subject: 'notAllowed',
        },
      );
    }
  }
}

/** True when a license id is denied; a plus-range (`GPL-2.0-or-later`) is denied when its first version is. */
function isDenied(leaf: string, deny: readonly string[]): boolean {
  if (!safeSatisfies(leaf, [...deny])) return false;
  const base = leaf.replace(/-or-later(?= WITH |$)/, '-only').replace(/\+(?= WITH |$)/, '');
  return base === leaf || safeSatisfies(base, [...deny]);
}

function safeSatisfies(expression: string, allowed: string[]): boolean {
  try {
    return satisfies(expression, allowed);
  } catch {
    return false; // an id spdx-satisfies does not know (LicenseRef-...): matches nothing but itself
  }
}

function licensesRule(ctx: Ctx): void {
  const { allowLicenses: allow, denyLicenses: deny } = ctx.rule;
  if (!allow && !deny) return;
  const key = allow ? 'allow-licenses' : 'deny-licenses';
  for (const p of ctx.node.own) {
    const tag = p.license ?? '';
    const n = normalizeLicense(tag);
    const notes: EvidenceStep[] = n.notes.map((text) => ({ role: 'license', text }));
    if (n.expression === undefined) {
      ctx.add(
        'RP041',
        'unmapped',
        { license: tag, terms: n.unmapped.map((t) => `\`${t}\``).join(', ') || '`(empty)`' },
        {
          pkg: p,
          key,
          policyText: `${key} needs every license tag to map to SPDX`,
          evidence: notes,
          subject: 'unmapped',
        },
      );
      continue;
    }
    notes.unshift({ role: 'license', text: `\`${clip(tag)}\` reads as SPDX \`${clip(n.expression)}\`` });
    const leaves = licenseLeaves(n.expression);
    if (deny) {
      const denied = leaves.filter((l) => isDenied(l, deny));
      // Denied when no way of meeting the expression avoids every denied license.
      const rest = leaves.filter((l) => !denied.includes(l));
      if (denied.length > 0 && (rest.length === 0 || !safeSatisfies(n.expression, rest))) {
        ctx.add(
          'RP041',
          'denied',
          { license: n.expression, denied: denied.map((d) => `\`${d}\``).join(', ') },
          {
            pkg: p,
            key: 'deny-licenses',
            policyText: `deny-licenses: ${deny.join(', ')}`,
            evidence: notes,
            subject: 'denied',
          },
        );
        continue;
      }
    }
    if (allow && !exprAllowed(n.expression, leaves, allow)) {
      ctx.add(
        'RP041',
        'notAllowed',
        { license: n.expression },
        {
          pkg: p,
          key: 'allow-licenses',
          policyText: `allow-licenses: ${allow.join(', ')}`,
          evidence: notes,
          subject: 'notAllowed',
        },
      );
    }
  }
}

function exprAllowed(expression: string, leaves: readonly string[], allow: readonly string[]): boolean {
  if (safeSatisfies(expression, [...allow])) return true;
  // LicenseRef ids are unknown to spdx-satisfies: an expression of them only passes by exact ids.
  return leaves.every((l) => allow.includes(l));
}

function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${bytes} B` : `${v.toFixed(1)} ${units[u]} (${bytes} bytes)`;
}

function sizeRule(ctx: Ctx): void {
  const budget = ctx.rule.maxInstalledSize;
  if (!budget) return;
  const total = ctx.node.own.reduce((n, p) => n + p.installSize, 0);
  if (total <= budget.bytes) return;
  const largest = [...ctx.node.own]
    .sort((a, b) => b.installSize - a.installSize || (a.nevra < b.nevra ? -1 : 1))
    .slice(0, 3);
  ctx.add(
    'RP042',
    'exceeded',
    { size: formatSize(total), budget: formatSize(budget.bytes) },
    {
      key: 'max-installed-size',
      policyText: `max-installed-size: ${budget.text}`,
      evidence: largest.map((p) => ({
        role: 'largest',
        text: `\`${clip(p.nevra)}\` installs ${formatSize(p.installSize)}`,
        package: p.nevra,
        node: ctx.node.id,
      })),
    },
  );
}

function requireRule(ctx: Ctx): void {
  for (const req of ctx.rule.requirePackages ?? []) {
    const found = ctx.node.view.some((p) => packageMatches(req, p) || p.provides.includes(req));
    if (!found) {
      ctx.add(
        'RP043',
        'missing',
        { required: req },
        { key: 'require-packages', policyText: `require-packages: \`${req}\``, subject: req },
      );
    }
  }
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

function setuidRule(ctx: Ctx): void {
  if (!ctx.rule.denySetuid) return;
  const unknown = ctx.node.own.filter((p) => p.files === undefined);
  if (unknown.length > 0) {
    ctx.unknown(
      'RP044',
      'deny-setuid',
      'deny-setuid: true',
      `${unknown.length} of its ${ctx.node.own.length} packages come with no file modes (rpm-md filelists list paths only); not checkable before the image is built`,
    );
  }
  for (const p of ctx.node.own) {
    for (const f of p.files ?? []) {
      if ((f.mode & S_IFMT) !== S_IFREG || (f.mode & 0o6000) === 0) continue;
      const bits = [f.mode & 0o4000 ? 'setuid' : '', f.mode & 0o2000 ? 'setgid' : '']
        .filter(Boolean)
        .join(' and ');
      ctx.add(
        'RP044',
        'setuid',
        { path: f.path, bits, mode: `0${(f.mode & 0o7777).toString(8)}` },
        {
          pkg: p,
          key: 'deny-setuid',
          policyText: 'deny-setuid: true',
          subject: f.path,
        },
      );
    }
  }
}

function signedRule(ctx: Ctx): void {
  if (!ctx.rule.requireSigned) return;
  const signedBy = ctx.rule.signedBy;
  // `signed-by` alone implies require-signed: findings point at whichever key the rule has.
  const key = signedBy && !('require-signed' in ctx.rule.keys) ? 'signed-by' : 'require-signed';
  const policyText = key === 'signed-by' ? `signed-by: ${signedBy!.join(', ')}` : 'require-signed: true';
  // gpg-pubkey entries of an rpm database are imported keys, not packages.
  const pkgs = ctx.node.own.filter((p) => p.name !== 'gpg-pubkey');
  const unknown = pkgs.filter((p) => p.signature === undefined);
  if (unknown.length > 0) {
    ctx.unknown(
      'RP045',
      key,
      policyText,
      `${unknown.length} of its ${pkgs.length} packages come from metadata that does not say whether they are signed (rpm-md); not checkable before the image is built`,
    );
  }
  for (const p of pkgs) {
    const sig = p.signature;
    if (sig === undefined) continue;
    if (sig.tags.length === 0) {
      ctx.add('RP045', 'unsigned', {}, { pkg: p, key, policyText, subject: 'unsigned' });
    } else if (sig.unparsable !== undefined) {
      // A signature nobody can read proves nothing: rpm's gpgcheck would refuse it too.
      ctx.add(
        'RP045',
        'unparsable',
        { reason: sig.unparsable },
        { pkg: p, key, policyText, subject: 'unparsable' },
      );
    } else if (signedBy && (sig.keyId === undefined || !signedBy.includes(sig.keyId))) {
      ctx.add(
        'RP045',
        'wrongKey',
        { keyId: sig.keyId ?? 'unknown', keys: signedBy.join(', ') },
        {
          pkg: p,
          key: 'signed-by',
          policyText: `signed-by: ${signedBy.join(', ')}`,
          subject: `key:${sig.keyId ?? ''}`,
          evidence: [{ role: 'signature', text: `${sig.tags.join(', ')} by key id ${sig.keyId}` }],
          help: `Install a build of \`${p.name}\` signed by one of the keys of \`signed-by\`, or change policy rule \`${ctx.rule.name}\``,
        },
      );
    }
  }
}

const BOOL_KEYS = new Set(['gpgcheck', 'unsafe', 'inherit-env']);

function configValue(key: string, v: string): string {
  const s = v.trim().toLowerCase();
  if (BOOL_KEYS.has(key)) {
    if (['true', 'yes', 'on', '1'].includes(s)) return 'true';
    if (['false', 'no', 'off', '0'].includes(s)) return 'false';
  }
  return s;
}

function configRule(ctx: Ctx): void {
  const denied = ctx.rule.denyConfig;
  if (!denied) return;
  const cfg = ctx.node.config;
  if (cfg === undefined) {
    ctx.unknown(
      'RP046',
      'deny-config',
      `deny-config: ${denied.map((d) => d.key).join(', ')}`,
      'a family manifest carries no red-pak configuration; audit the image to check it',
    );
    return;
  }
  for (const { key, values } of denied) {
    const policyKey = `deny-config.${key}`;
    const policyText = `deny-config: ${key}: ${values.join(', ')}`;
    if (key === 'capabilities') {
      for (const v of values) {
        const cap = v.toUpperCase();
        const got =
          cfg.capabilities.get(cap) ??
          (cap === '*' ? [...cfg.capabilities.values()][0] : cfg.capabilities.get('ALL'));
        if (!got) continue;
        ctx.add(
          'RP046',
          'capability',
          { value: v, from: got.node },
          {
            key: policyKey,
            policyText,
            subject: `cap:${cap}`,
            evidence: [
              {
                role: 'config',
                text: `added in node \`${clip(got.node)}\``,
                ...(got.location && { location: got.location }),
              },
            ],
          },
        );
      }
      continue;
    }
    const got = cfg.scalars.get(key);
    if (!got) continue;
    const have = configValue(key, got.value);
    if (!values.some((v) => v === '*' || configValue(key, v) === have)) continue;
    ctx.add(
      'RP046',
      'scalar',
      { key, value: got.value, from: got.node },
      {
        key: policyKey,
        policyText,
        subject: key,
        evidence: [
          {
            role: 'config',
            text: `\`${clip(key)}: ${clip(got.value)}\` set in node \`${clip(got.node)}\``,
            ...(got.location && { location: got.location }),
          },
        ],
      },
    );
  }
}
