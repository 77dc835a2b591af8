import type { Entry } from '../load/manifest.js';
import type { Finding } from '../model/finding.js';
import { fingerprint } from '../policy/fingerprint.js';
import { ruleHelp, ruleMessage } from '../rules/catalog.js';
import { type PackageSummary, type Pool, SelectionFlag } from '../solver/index.js';
import { clip } from '../util/clip.js';

const NONE: ReadonlySet<number> = new Set();

/**
 * Turns manifest entries into solvable ids; an entry that matches nothing becomes RP006. A name picks
 * among the packages dnf lets the layer see: `hidden` is what its modular filtering hides
 * (transaction/candidates.ts), the one candidate selection of check, lock and update-check.
 */
export class EntryResolver {
  readonly #pool: Pool;
  readonly #byName = new Map<string, PackageSummary[]>();
  readonly #byNevra = new Map<string, PackageSummary>();
  readonly #archRank: Map<string, number>;

  /** `packages` are the repository packages (not installed ones) in the pool. */
  constructor(pool: Pool, packages: readonly PackageSummary[]) {
    this.#pool = pool;
    for (const p of packages) {
      const list = this.#byName.get(p.name) ?? [];
      list.push(p);
      this.#byName.set(p.name, list);
      if (!this.#byNevra.has(p.nevra)) this.#byNevra.set(p.nevra, p);
    }
    // The pool's arch first, then its compatible arches in libsolv's order, noarch last.
    const arches = pool.arches();
    this.#archRank = new Map([pool.arch, ...arches.filter((a) => a !== pool.arch)].map((a, i) => [a, i]));
  }

  /**
   * An exact NEVRA (any arch: a wrong-arch package listed explicitly is the solver's finding, RP007; a
   * NEVRA says which build is there, so modular filtering does not apply), or a name: the highest
   * version built for the target arch or noarch among those not `hidden`, as `dnf install NAME` takes.
   */
  resolve(entry: Entry, hidden: ReadonlySet<number> = NONE): PackageSummary | undefined {
    if (entry.kind === 'nevra')
      return this.#byNevra.get(entry.text) ?? this.#byNevra.get(withoutZeroEpoch(entry.text));
    return this.#best(this.#named(entry.name).filter((p) => !hidden.has(p.id)));
  }

  /** The installable builds of `name` for the target (its arch, compatible arches, noarch). */
  #named(name: string): PackageSummary[] {
    return (this.#byName.get(name) ?? []).filter((p) => p.installable && this.#archRank.has(p.arch));
  }

  #best(all: readonly PackageSummary[]): PackageSummary | undefined {
    // The target arch or noarch, as the manifest format says; a compatible arch (i686 on x86_64) only
    // when the name has no build for those: a newer i686 build must not win over the x86_64 one.
    const native = all.filter((p) => p.arch === this.#pool.arch || p.arch === 'noarch');
    const candidates = native.length > 0 ? native : all;
    let best: PackageSummary | undefined;
    for (const c of candidates) {
      if (!best) {
        best = c;
        continue;
      }
      const cmp = this.#pool.evrcmp(c.evr, best.evr);
      if (
        cmp > 0 ||
        (cmp === 0 && (this.#archRank.get(c.arch) ?? 99) < (this.#archRank.get(best.arch) ?? 99))
      )
        best = c;
    }
    return best;
  }

  /**
   * RP006 for an entry that matched nothing, with the closest names as suggestions; for a name whose
   * every build is `hidden`, the modular builds dnf passes over.
   */
  unknown(entry: Entry, node: string, hidden: ReadonlySet<number> = NONE): Finding {
    const modular =
      entry.kind === 'name'
        ? this.#named(entry.name)
            .filter((p) => hidden.has(p.id))
            .map((p) => p.nevra)
            .sort()
        : [];
    if (modular.length) return this.#modular(entry, node, modular);
    const suggestions = this.#closest(entry.kind === 'nevra' ? entry.name : entry.text);
    const providers =
      entry.kind === 'name'
        ? this.#pool.select(entry.text, SelectionFlag.PROVIDES).map((id) => this.#pool.solvable(id).name)
        : [];
    const data = {
      entry: entry.text,
      node,
      arch: this.#pool.arch,
      suggestions: suggestions.map((s) => `\`${s}\``).join(', '),
    };
    const evidence = suggestions.map((s) => ({
      role: 'suggestion',
      text: `did you mean \`${clip(s)}\`?`,
      package: s,
    }));
    for (const p of [...new Set(providers)].sort().slice(0, 5)) {
      evidence.push({
        role: 'provider',
        text: `\`${clip(p)}\` provides \`${clip(entry.text)}\`: list the package name`,
        package: p,
      });
    }
    return {
      rule: 'RP006',
      slug: 'unknown-package',
      level: 'error',
      node,
      entry: entry.text,
      message: ruleMessage('RP006', suggestions.length ? 'unknownWithSuggestions' : 'unknown', data),
      help: ruleHelp('RP006', data),
      location: entry.span,
      evidence,
      fingerprint: fingerprint({ rule: 'RP006', node, package: entry.text }),
    };
  }

  #modular(entry: Entry, node: string, nevras: readonly string[]): Finding {
    const data = {
      entry: entry.text,
      node,
      arch: this.#pool.arch,
      hidden: nevras
        .slice(0, 3)
        .map((n) => `\`${n}\``)
        .join(', '),
    };
    return {
      rule: 'RP006',
      slug: 'unknown-package',
      level: 'error',
      node,
      entry: entry.text,
      message: ruleMessage('RP006', 'modular', data),
      help: ruleHelp('RP006', data),
      location: entry.span,
      evidence: nevras.map((n) => ({
        role: 'modular',
        text: `\`${n}\` belongs to a module stream that is neither enabled nor a default: enable it under \`modules:\`, or list its NEVRA`,
        package: n,
      })),
      fingerprint: fingerprint({ rule: 'RP006', node, package: entry.text }),
    };
  }

  /** Up to three package names closest to `name` (edit distance), for "did you mean". */
  closest(name: string): string[] {
    return this.#closest(name);
  }

  #closest(name: string): string[] {
    const scored: [number, string][] = [];
    const limit = Math.max(2, Math.floor(name.length / 3));
    for (const candidate of this.#byName.keys()) {
      if (Math.abs(candidate.length - name.length) > limit) continue;
      const d = distance(name.toLowerCase(), candidate.toLowerCase(), limit);
      if (d <= limit) scored.push([d, candidate]);
    }
    scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
    return scored.slice(0, 3).map(([, n]) => n);
  }
}

/** libsolv prints no `0:` epoch; a manifest may. */
function withoutZeroEpoch(nevra: string): string {
  return nevra.replace(/-0:/, '-');
}

/** Levenshtein distance, giving up above `limit`. */
function distance(a: string, b: string, limit: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}
