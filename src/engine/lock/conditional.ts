/**
 * comps conditional packages (`<packagereq type="conditional" requires="B">A</packagereq>`) as dnf
 * installs them: one install job of the rich dependency `(A if B)` per package (dnf 4.14 `base.py`
 * `_finalize_comps_trans`, `sltr.set(provides="(A if B)")`), so A goes in exactly when B is installed
 * after the transaction (already in the view, or brought by this one). The engine's jobs take
 * solvables, names and provides but no rich dependency, so a pseudo package that requires every
 * `(A if B)` stands in for them: installing it adds the same rules to the same solve. It lives in its
 * own repository for one layer's solve and never enters a layer (it is no repository package).
 * Difference: dnf also forces the best A with `best`; the requirement takes libsolv's choice of A.
 */
import { Format, type Pool, type Repo } from '../../solver/index.js';

export interface ConditionalPackage {
  name: string;
  /** The package whose presence brings `name`. */
  requires: string;
}

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One pseudo package per group request of a layer; dispose() after the layer's solve. */
export class ConditionalRequires {
  readonly #repo: Repo;
  /** The pseudo package of each group: install it to ask for that group's conditional packages. */
  readonly ids = new Map<string, number>();

  /** Adds the pseudo packages; call before the layer's node system (which refreshes the pool). */
  constructor(pool: Pool, layer: string, groups: ReadonlyMap<string, readonly ConditionalPackage[]>) {
    this.#repo = pool.addRepo(`@comps-conditional:${layer}`);
    const keys = [...groups.keys()];
    const body = keys
      .map((key, i) => {
        const requires = [...new Set(groups.get(key)!.map((p) => `(${p.name} if ${p.requires})`))]
          .sort()
          .map((d) => `        <rpm:entry name="${xml(d)}"/>\n`)
          .join('');
        return `<package type="rpm">
  <name>redproof-comps-conditional-${i}</name>
  <arch>noarch</arch>
  <version epoch="0" ver="1" rel="1"/>
  <format>
      <rpm:requires>
${requires}      </rpm:requires>
  </format>
</package>
`;
      })
      .join('');
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="${keys.length}">
${body}</metadata>
`;
    try {
      this.#repo.add(Format.RPMMD, new TextEncoder().encode(text), `comps conditional packages of ${layer}`);
    } catch (err) {
      this.#repo.dispose();
      throw err;
    }
    const start = this.#repo.start;
    keys.forEach((key, i) => {
      this.ids.set(key, start + i);
    });
  }

  dispose(): void {
    this.#repo.dispose();
  }
}
