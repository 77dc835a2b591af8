/**
 * Resolution of a family's install requests, top-down, as red-pak's package manager does it: for each
 * layer the installed system is its ancestors' packages (locked) plus its own `packages:`, the requests
 * are install jobs, recommends go in with `weak-deps`, the best candidate is forced with `best`, and
 * excluded packages are out of the pool. What the transaction installs is the layer.
 */
import type { Manifest, Request } from '../../load/manifest.js';
import { HOST, nodeOrder } from '../../load/manifest.js';
import type { EvidenceStep, Finding, Span } from '../../model/finding.js';
import { fingerprint } from '../../policy/fingerprint.js';
import { globMatch } from '../../policy/glob.js';
import { ruleHelp, ruleMessage } from '../../rules/catalog.js';
import {
  type Job,
  JobAction,
  JobFlag,
  job,
  type PackageSummary,
  type Pool,
  type Problem,
  Select,
  SelectionFlag,
} from '../../solver/index.js';
import { clip } from '../../util/clip.js';
import { primaryRule, problemEvidence } from '../explain.js';
import { EntryResolver } from '../resolve-entries.js';
import { excludedBy } from '../transaction/candidates.js';
import { NodeSystem } from '../transaction/node-transaction.js';
import { type ConditionalPackage, ConditionalRequires } from './conditional.js';

/** Why a package is in its layer (`hoisted`: moved there by `lock --hoist`, never by the resolver). */
export type LockReason = 'requested' | 'dependency' | 'weak' | 'hoisted';

export interface ResolvedLayer {
  id: string;
  kind: 'host' | 'node';
  parent: string | undefined;
  location?: Span;
  /** The requests as written (install, then kickstart, then group members are not spelled out). */
  requests: Request[];
  /** Own packages by solvable id, with why each is there. */
  packages: { id: number; reason: LockReason; entry?: { text: string; span: Span } }[];
  /** True when a request of this layer was refused. */
  refused: boolean;
}

export interface ResolveSettings {
  /** CLI overrides (`--no-weak-deps`, `--no-best`); they win over the manifest. */
  weakDeps?: boolean;
  best?: boolean;
  /** Host requests from the kickstart (`host.kickstart`), with spans into the kickstart file. */
  hostExtra?: Request[];
  /** Excludes from the kickstart's `-name` lines. */
  hostExcludes?: Request[];
  /** Requests that may match nothing (kickstart `--ignoremissing`): skipped, as dnf skips them. */
  optional?: ReadonlySet<Request>;
  /** The host's weak-deps when the manifest does not say (kickstart `--exclude-weakdeps`). */
  hostWeakDeps?: boolean;
  /**
   * Packages dnf's modular filtering hides (solvable ids), for every layer or per layer (the layer's
   * module streams: transaction/candidates.ts `manifestHidden`, computed before resolution starts).
   */
  hidden?: ReadonlySet<number> | ((layer: string) => ReadonlySet<number>);
  /** The packages of a comps group (mandatory and default), or undefined for an unknown group. */
  group?: (id: string) => string[] | undefined;
  /** The conditional packages of a comps group (`@id`, `@^environment`), installed as dnf does. */
  conditional?: (id: string) => ConditionalPackage[];
  /**
   * `lock --update`: per layer, the NEVRAs of the previous lock to keep (those no update pattern
   * matches). A kept requested package is installed exactly; a kept dependency is favoured, so it stays
   * while something still needs it and goes when nothing does.
   */
  keep?: ReadonlyMap<string, ReadonlySet<string>>;
  onProgress?: (message: string) => void;
}

export interface Resolution {
  layers: ResolvedLayer[];
  findings: Finding[];
  /** The effective options of each layer. */
  options: Map<string, { weakDeps: boolean; best: boolean }>;
}

const BASE_FLAGS =
  SelectionFlag.NAME |
  SelectionFlag.PROVIDES |
  SelectionFlag.CANON |
  SelectionFlag.DOTARCH |
  SelectionFlag.REL |
  SelectionFlag.GLOB;

/** How dnf reads a spec: a path is a file provide too. */
function requestFlags(text: string): number {
  return text.startsWith('/') ? BASE_FLAGS | SelectionFlag.FILELIST : BASE_FLAGS;
}

export function resolveFamily(
  pool: Pool,
  manifest: Manifest,
  repoPackages: readonly PackageSummary[],
  settings: ResolveSettings = {},
): Resolution {
  return new Resolver(pool, manifest, repoPackages, settings).run();
}

class Resolver {
  readonly findings: Finding[] = [];
  readonly #byId: Map<number, PackageSummary>;
  readonly #entries: EntryResolver;
  readonly #done = new Map<string, ResolvedLayer>();
  readonly #options = new Map<string, { weakDeps: boolean; best: boolean }>();

  constructor(
    readonly pool: Pool,
    readonly manifest: Manifest,
    readonly all: readonly PackageSummary[],
    readonly settings: ResolveSettings,
  ) {
    this.#byId = new Map(all.map((p) => [p.id, p]));
    this.#entries = new EntryResolver(pool, all);
  }

  run(): Resolution {
    const m = this.manifest;
    const host = m.host;
    const layers: ResolvedLayer[] = [];
    const solve = (
      id: string,
      kind: 'host' | 'node',
      parent: string | undefined,
      location: Span | undefined,
      spec: {
        packages: NonNullable<Manifest['host']>['packages'];
        install: Request[];
        exclude: Request[];
        options: Manifest['options'];
      },
    ) => {
      this.settings.onProgress?.(`resolving ${id}`);
      const layer = this.#layer(id, kind, parent, location, spec);
      this.#done.set(id, layer);
      layers.push(layer);
    };
    solve(HOST, 'host', undefined, host?.span, {
      packages: host?.packages ?? [],
      install: [...(host?.install ?? []), ...(this.settings.hostExtra ?? [])],
      exclude: [...(host?.exclude ?? []), ...(this.settings.hostExcludes ?? [])],
      options: host?.options ?? {},
    });
    for (const n of nodeOrder(m)) solve(n.alias, 'node', n.parent, n.span, n);
    this.pool.refresh();
    return { layers, findings: this.findings, options: this.#options };
  }

  #layer(
    id: string,
    kind: 'host' | 'node',
    parent: string | undefined,
    location: Span | undefined,
    spec: {
      packages: NonNullable<Manifest['host']>['packages'];
      install: Request[];
      exclude: Request[];
      options: Manifest['options'];
    },
  ): ResolvedLayer {
    const s = this.settings;
    const weakDeps =
      s.weakDeps ??
      spec.options.weakDeps ??
      (kind === 'host' ? s.hostWeakDeps : undefined) ??
      this.manifest.options.weakDeps ??
      true;
    const best = s.best ?? spec.options.best ?? this.manifest.options.best ?? true;
    this.#options.set(id, { weakDeps, best });
    const layer: ResolvedLayer = {
      id,
      kind,
      parent,
      ...(location && { location }),
      requests: spec.install,
      packages: [],
      refused: false,
    };
    const hidden = typeof s.hidden === 'function' ? s.hidden(id) : s.hidden;
    const ownIds: number[] = [];
    for (const entry of spec.packages) {
      const p = this.#entries.resolve(entry, hidden);
      if (!p) {
        this.findings.push(this.#entries.unknown(entry, id, hidden));
        continue;
      }
      if (ownIds.includes(p.id)) continue;
      ownIds.push(p.id);
      layer.packages.push({ id: p.id, reason: 'requested', entry: { text: entry.text, span: entry.span } });
    }
    if (!spec.install.length) return layer;

    const ancestors: number[] = [];
    const owner = new Map<number, string>();
    let a = parent;
    while (a !== undefined) {
      const l = this.#done.get(a)!;
      for (const p of l.packages) {
        if (!owner.has(p.id)) {
          owner.set(p.id, a);
          ancestors.push(p.id);
        }
      }
      a = l.parent;
    }
    for (const p of ownIds) owner.set(p, id);

    const globs = [...this.manifest.exclude, ...spec.exclude].map((r) => r.text);
    const excluded = excludedBy(globs, this.all);
    for (const x of hidden ?? []) excluded.add(x);
    const pool = this.pool;
    const visible = excluded.size ? this.all.filter((p) => !excluded.has(p.id)).map((p) => p.id) : undefined;
    const conditional = this.#conditionals(spec.install, excluded);
    const cond = conditional.size ? new ConditionalRequires(pool, id, conditional.packages) : undefined;
    let sys: NodeSystem;
    try {
      sys = new NodeSystem(
        pool,
        id,
        ownIds,
        ancestors,
        visible && cond ? [...visible, ...cond.ids.values()] : visible,
      );
    } catch (err) {
      cond?.dispose();
      throw err;
    }
    try {
      const bestFlag = best ? JobFlag.FORCEBEST : 0;
      const keep = this.settings.keep?.get(id);
      const asked: { request: Request; jobs: Job[]; matches: Set<number> }[] = [];
      const refuse = (f: Finding) => {
        this.findings.push(f);
        layer.refused = true;
      };
      const expand = (request: Request): { text: string; request: Request }[] | undefined => {
        if (!request.text.startsWith('@')) return [{ text: request.text, request }];
        const members = this.settings.group?.(request.text.slice(1));
        return members?.map((text) => ({ text, request }));
      };
      for (const request of spec.install) {
        const specs = expand(request);
        const optional = this.settings.optional?.has(request) ?? false;
        if (!specs && optional) continue;
        if (!specs) {
          refuse(this.#noMatch(request, id, []));
          continue;
        }
        const isGroup = request.text.startsWith('@');
        for (const { text } of specs) {
          const flags = requestFlags(text);
          const matched = pool.select(text, flags);
          // a provide or file the view already has (file lists are not copied into the installed system)
          const met =
            matched.find((c) => sys.toOrig(c) !== undefined) ??
            (/[*?[]/.test(text)
              ? undefined
              : pool.whatProvides(text).find((c) => sys.toOrig(c) !== undefined));
          if (met !== undefined) {
            const orig = sys.toOrig(met)!;
            // a group names packages a lower layer usually has: that is no news
            if (!isGroup) this.findings.push(this.#alreadyMet(request, id, orig, owner.get(orig)!));
            continue;
          }
          const candidates = matched.filter((c) => this.#byId.has(c) && !excluded.has(c));
          if (!candidates.length) {
            // a group member that is not there is skipped, as dnf does
            if (!isGroup && !optional) {
              const hiddenOnes = excluded.size
                ? this.all.filter((p) => excluded.has(p.id) && this.#matchesUnfiltered(text, p))
                : [];
              refuse(this.#noMatch(request, id, hiddenOnes));
            }
            continue;
          }
          const kept = keep && candidates.find((c) => keep.has(this.#byId.get(c)!.nevra));
          const jobs = kept
            ? [job.install(kept)]
            : pool
                .selection(text, flags)
                .map((sel) => ({ how: sel.how | JobAction.INSTALL | bestFlag, what: sel.what }));
          asked.push({ request, jobs, matches: new Set(candidates) });
        }
      }
      for (const [key, pseudo] of cond?.ids ?? []) {
        const { request, matches } = conditional.requests.get(key)!;
        asked.push({ request, jobs: [job.install(pseudo)], matches });
      }
      if (!asked.length) return layer;
      const jobs = asked.flatMap((x) => x.jobs);
      if (keep) {
        for (const p of this.all) {
          if (keep.has(p.nevra) && !excluded.has(p.id))
            jobs.push({ how: JobAction.FAVOR | Select.SOLVABLE, what: p.id });
        }
      }
      const ignoreRecommended = !weakDeps;
      const { problems, transaction } = sys.solve(jobs, { ignoreRecommended });
      if (problems.length) {
        layer.refused = true;
        this.#diagnose(layer, sys, asked, problems, owner, ignoreRecommended, best);
        return layer;
      }
      const { entering, leaving } = sys.changes(transaction, (x) => this.#byId.has(x));
      const gone = new Set(leaving.map((l) => l.orig));
      for (const e of entering) if (e.old !== undefined) gone.add(e.old);
      layer.packages = layer.packages.filter((p) => !gone.has(p.id));
      const fresh = entering.map((e) => e.id);
      const reasons = this.#reasons(
        fresh,
        asked,
        layer.packages.map((p) => p.id),
      );
      for (const x of fresh) layer.packages.push({ id: x, reason: reasons.get(x)! });
      return layer;
    } finally {
      sys.dispose();
      cond?.dispose();
    }
  }

  /**
   * The conditional packages of the layer's group requests, per request: only those whose package
   * exists among the packages the layer may take (dnf skips the others: "No match for group package").
   */
  #conditionals(
    install: readonly Request[],
    excluded: ReadonlySet<number>,
  ): {
    size: number;
    packages: Map<string, ConditionalPackage[]>;
    requests: Map<string, { request: Request; matches: Set<number> }>;
  } {
    const packages = new Map<string, ConditionalPackage[]>();
    const requests = new Map<string, { request: Request; matches: Set<number> }>();
    if (!this.settings.conditional) return { size: 0, packages, requests };
    install.forEach((request, i) => {
      if (!request.text.startsWith('@')) return;
      const list: ConditionalPackage[] = [];
      const matches = new Set<number>();
      for (const c of this.settings.conditional!(request.text.slice(1))) {
        const ids = this.all.filter((p) => p.name === c.name && p.installable && !excluded.has(p.id));
        if (!ids.length) continue;
        list.push(c);
        for (const p of ids) matches.add(p.id);
      }
      if (!list.length) return;
      packages.set(String(i), list);
      requests.set(String(i), { request, matches });
    });
    return { size: packages.size, packages, requests };
  }

  /** The excluded package would match the spec were it not excluded (names, NEVRAs, name.arch, globs). */
  #matchesUnfiltered(text: string, p: PackageSummary): boolean {
    return globMatch(text, p.name) || text === p.nevra || text === `${p.name}.${p.arch}`;
  }

  /**
   * requested: a package a request matched; dependency: required (transitively) by a requested or own
   * package; weak: in only through recommends or supplements.
   */
  #reasons(
    fresh: readonly number[],
    asked: readonly { matches: Set<number> }[],
    own: readonly number[],
  ): Map<number, LockReason> {
    const out = new Map<number, LockReason>();
    const pending = new Set(fresh);
    const queue: number[] = [];
    for (const x of fresh) {
      if (asked.some((a) => a.matches.has(x))) {
        out.set(x, 'requested');
        pending.delete(x);
        queue.push(x);
      }
    }
    queue.push(...own);
    while (queue.length && pending.size) {
      const x = queue.pop()!;
      const s = this.pool.solvable(x);
      for (const dep of [...s.requires, ...s.prerequires]) {
        if (dep.startsWith('rpmlib(')) continue;
        for (const prov of this.pool.whatProvides(dep)) {
          if (!pending.has(prov)) continue;
          pending.delete(prov);
          out.set(prov, 'dependency');
          queue.push(prov);
        }
      }
    }
    for (const x of pending) out.set(x, 'weak');
    return out;
  }

  #diagnose(
    layer: ResolvedLayer,
    sys: NodeSystem,
    asked: readonly { request: Request; jobs: Job[]; matches: Set<number> }[],
    problems: Problem[],
    owner: Map<number, string>,
    ignoreRecommended: boolean,
    best: boolean,
  ): void {
    let alone = 0;
    const seen = new Set<Request>();
    for (const a of asked) {
      if (seen.has(a.request)) continue;
      const mine = asked.filter((x) => x.request === a.request).flatMap((x) => x.jobs);
      seen.add(a.request);
      const r = sys.solve(mine, { ignoreRecommended });
      if (!r.problems.length) continue;
      alone++;
      if (best) {
        const relaxed = sys.solve(
          mine.map((j) => ({ how: j.how & ~JobFlag.FORCEBEST, what: j.what })),
          { ignoreRecommended },
        );
        if (!relaxed.problems.length) {
          const matches = new Set(
            asked.filter((x) => x.request === a.request).flatMap((x) => [...x.matches]),
          );
          const taken = relaxed.transaction
            .filter((t) => matches.has(t.id))
            .map((t) => `\`${this.#byId.get(t.id)!.nevra}\``)
            .sort();
          this.#push('RP052', 'request-best-not-installable', 'best', layer.id, a.request, r.problems, {
            other: taken.join(', ') || 'another candidate',
          });
          continue;
        }
      }
      const locked = this.#lockedAncestor(r.problems, sys, owner);
      if (locked) {
        this.#push('RP051', 'request-conflicts-ancestor', 'ancestor', layer.id, a.request, r.problems, {
          other: locked.nevra,
          otherNode: locked.node,
        });
        continue;
      }
      this.#push('RP053', 'request-not-installable', 'problem', layer.id, a.request, r.problems, {
        problem: primaryRule(r.problems)?.text ?? 'no solution',
      });
    }
    if (alone === 0) {
      const data = { node: layer.id, problem: primaryRule(problems)?.text ?? 'no solution' };
      const first = asked[0]!.request;
      this.findings.push({
        rule: 'RP053',
        slug: 'request-not-installable',
        level: 'error',
        node: layer.id,
        message: ruleMessage('RP053', 'together', data),
        help: ruleHelp('RP053', data),
        location: layer.location ?? first.span,
        evidence: problemEvidence(problems),
        fingerprint: fingerprint({ rule: 'RP053', node: layer.id }),
      });
    }
  }

  /** A locked ancestor package that a rule of the problems names, with its node. */
  #lockedAncestor(
    problems: readonly Problem[],
    sys: NodeSystem,
    owner: Map<number, string>,
  ): { nevra: string; node: string } | undefined {
    const found: { nevra: string; node: string }[] = [];
    for (const p of problems) {
      for (const r of p.rules) {
        for (const x of [r.source, r.target]) {
          if (!x || !sys.isAncestorCopy(x)) continue;
          const orig = sys.toOrig(x)!;
          found.push({ nevra: this.#byId.get(orig)!.nevra, node: owner.get(orig)! });
        }
      }
    }
    found.sort((a, b) => (a.nevra < b.nevra ? -1 : a.nevra > b.nevra ? 1 : 0));
    return found[0];
  }

  #push(
    rule: string,
    slug: string,
    message: string,
    node: string,
    request: Request,
    problems: readonly Problem[],
    extra: Record<string, string>,
  ): void {
    const data = { request: request.text, node, ...extra };
    const primary = primaryRule(problems);
    this.findings.push({
      rule,
      slug,
      level: 'error',
      node,
      entry: request.text,
      ...(primary?.sourceNevra && { package: primary.sourceNevra }),
      ...(extra.other !== undefined && rule === 'RP051' && { other: extra.other }),
      ...(extra.otherNode !== undefined && { otherNode: extra.otherNode }),
      message: ruleMessage(rule, message, data),
      help: ruleHelp(rule, data),
      location: request.span,
      evidence: [
        {
          role: 'request',
          text: `\`${clip(request.text)}\` is an install request of \`${clip(node)}\``,
          node,
        },
        ...problemEvidence(problems),
      ],
      fingerprint: fingerprint({ rule, node, package: request.text }),
    });
  }

  #noMatch(request: Request, node: string, excluded: readonly PackageSummary[]): Finding {
    const text = request.text;
    const isGroup = text.startsWith('@');
    const suggestions = isGroup ? [] : this.#entries.closest(text.replace(/\.[^.]*$/, ''));
    const names = [...new Set(excluded.map((p) => p.nevra))].sort();
    const data = {
      request: text,
      node,
      arch: this.pool.arch,
      suggestions: suggestions.map((x) => `\`${x}\``).join(', '),
      excluded: names
        .slice(0, 3)
        .map((x) => `\`${x}\``)
        .join(', '),
    };
    const message = names.length ? 'excluded' : suggestions.length ? 'suggestions' : 'none';
    const evidence: EvidenceStep[] = [];
    if (isGroup)
      evidence.push({ role: 'group', text: `no comps group \`${clip(text.slice(1))}\` in the repositories` });
    for (const x of suggestions)
      evidence.push({ role: 'suggestion', text: `did you mean \`${clip(x)}\`?`, package: x });
    for (const x of names)
      evidence.push({ role: 'excluded', text: `\`${clip(x)}\` is excluded`, package: x });
    return {
      rule: 'RP050',
      slug: 'request-no-match',
      level: 'error',
      node,
      entry: text,
      message: ruleMessage('RP050', message, data),
      help: ruleHelp('RP050', data),
      location: request.span,
      evidence,
      fingerprint: fingerprint({ rule: 'RP050', node, package: text }),
    };
  }

  #alreadyMet(request: Request, node: string, orig: number, where: string): Finding {
    const nevra = this.#byId.get(orig)!.nevra;
    const data = { request: request.text, node, package: nevra, otherNode: where };
    return {
      rule: 'RP054',
      slug: 'request-already-met',
      level: 'note',
      node,
      entry: request.text,
      package: nevra,
      otherNode: where,
      message: ruleMessage('RP054', 'met', data),
      help: ruleHelp('RP054', data),
      location: request.span,
      evidence: [
        {
          role: 'installed',
          text: `\`${clip(nevra)}\` is installed in \`${clip(where)}\`, in the view of \`${clip(node)}\``,
          package: nevra,
          node: where,
        },
      ],
      fingerprint: fingerprint({ rule: 'RP054', node, package: request.text }),
    };
  }
}
