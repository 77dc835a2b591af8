import { TOOL_VERSION } from '../engine/version.js';
import { loadEngine } from '../solver/index.js';

const OUTPUT_HELP = `Output:
  -f, --format FORMAT     text (default), json, sarif, junit, markdown, github or gitlab, on stdout or
                          --output
  -o, --output FILE       write the --format output to FILE instead of stdout
      --json FILE         also write the JSON report (schema/result-v1.schema.json) to FILE; its
                          stats.footprint, like the text and Markdown summaries, gives the family's
                          installed bytes against standalone containers (docs/reports.md#footprint)
      --sarif FILE        also write SARIF 2.1.0 (GitHub code scanning) to FILE
      --junit FILE        also write JUnit XML (GitLab, Jenkins) to FILE
      --markdown FILE     also write a Markdown summary (e.g. $GITHUB_STEP_SUMMARY) to FILE
      --github FILE       also write GitHub workflow commands (annotations, when printed in a step) to FILE
      --gitlab FILE       also write a GitLab Code Quality report (artifacts:reports:codequality) to FILE
      --fail-on LEVEL     error (default), warning, note or never: findings at or above LEVEL exit 1
      --waivers FILE      waivers (YAML, schema/waivers-v1.schema.json): accepted findings never fail
      --baseline FILE     a previous --json report: only findings absent from it fail the run
      --color, --no-color colour text output (default: on a TTY unless NO_COLOR is set)
  -q, --quiet             no progress on stderr
      --debug             stack traces for internal errors
      --limit NAME=SIZE   raise or lower a bound on hostile input (repeatable): file-size,
                          decompressed-size, ratio, ratio-floor, config-size, policy-size,
                          pipe-size, rpmdb-amplification (docs/limits.md)

Exit codes: 0 proven clean, 1 findings at or above --fail-on, 2 usage error, 3 input or engine error.`;

const DOCUMENT_HELP = `Audit documents (docs/reports.md; dates from SOURCE_DATE_EPOCH or the inputs, never the clock):
      --html FILE         a self-contained HTML report: family tree, footprint, findings, inventory
      --cyclonedx FILE    a CycloneDX 1.6 JSON SBOM: the host, each node, each installed rpm
      --spdx FILE         an SPDX 2.3 JSON SBOM of the same
                          After an input error (exit 3) the HTML report says why the run failed; no SBOM
                          is written, and an old file at its path is removed`;

/** `--arch` defaults to the manifest's arch where there is one, to the packages' most common arch elsewhere. */
const repoHelp = (archDefault: string) => `Repositories:
  -r, --repo [ID=]PATH    a directory with repodata/repomd.xml, a primary.xml[.gz|.xz|.zst|.bz2] or a
                          .solv file; the id defaults to the directory name (repeatable)
      --arch ARCH         target arch (default: ${archDefault});
                          compatible arches (x86_64 takes i686) and noarch are accepted; an arch
                          libsolv does not know and no package has is a usage error
      --strict-arch       accept only ARCH itself and noarch
      --no-filelists      skip filelists.xml (faster; file dependencies then resolve only through
                          the paths primary.xml lists)
      --cache-dir DIR     where parsed repositories are cached (default: $XDG_CACHE_HOME/redproof)
      --no-cache          neither read nor write the cache`;

const POLICY_HELP = `Policy:
      --policy FILE       a policy file (YAML, schema/policy-v1.schema.json, docs/policy.md): rules
                          RP040-RP046 on the nodes its rules select; default: the \`policy\` key of a
                          .redproof.yaml beside the manifest (the working directory for an image)`;

/** Help texts per command; `main` is the overview. */
export const HELP: Record<string, string> = {
  main: `redproof ${TOOL_VERSION}: prove offline that a red-pak node family is coherent before the image ships

Usage: redproof <command> [options]

Commands:
  check FAMILY.yaml       prove every node of a family manifest: closure, conflicts, no duplication
  audit IMAGE_ROOT        prove what is really installed in a red-pak image tree
  update-check STATE      prove an install, upgrade or removal safe for every node of a family
  lock FAMILY.yaml        resolve the install requests of every node into FAMILY.lock.yaml
  repo-check              prove every package of repositories installable
  merge A.json B.json ... one report (SARIF, JUnit, Markdown, HTML, JSON) from several runs' --json
  explain CODE            show the documentation of a rule (RP001, unresolved-dependency, ...)
  version                 tool and libsolv versions

Run \`redproof <command> --help\` for the options of a command.
Documentation: README.md, docs/, rules/.`,

  'repo-check': `Usage: redproof repo-check --repo [ID=]PATH [--repo ...] [--against [ID=]PATH ...] [options]

Proves that every package of the checked repositories can be installed from all given repositories
(requirements, versioned, rich and file dependencies, conflicts, obsoletes, arch), with libsolv's
complete explanation for each package that cannot. Repositories after --against resolve only.

${repoHelp('the most common arch of the checked packages')}
      --against [ID=]PATH resolve with this repository but do not check its packages (repeatable)
      --html FILE         a self-contained HTML report: each checked repository, findings, packages
                          (docs/reports.md)
  -j, --jobs N            worker threads for --full-explanations's solves (default: available cores)
      --full-explanations solve each uninstallable package on its own and report libsolv's problem
                          for it, as native installcheck does (slower). By default a package whose
                          requirement only uninstallable packages provide is explained by the chain of
                          libsolv rules down to the root cause, found once and shared

${OUTPUT_HELP}

Examples:
  redproof repo-check --repo corpus/repos/clean
  redproof repo-check --repo app=repos/apps --against base=repos/baseos --format json -o report.json
  redproof repo-check -r baseos=mirror/BaseOS -r appstream=mirror/AppStream --sarif repo.sarif`,

  check: `Usage: redproof check FAMILY.yaml [options]

Proves, for every node of a red-pak family described by a manifest (docs/manifest.md), that its
packages' requirements are met within its view (the node, its ancestors and the host), that nothing
in the view conflicts, and that no package is installed twice across the family (rules RP001-RP007).

${repoHelp("the manifest's `arch`; another one is warned about")}

Hoisting (docs/lock.md#hoisting):
      --suggest-hoist     also report the hoists \`lock --hoist\` would make (on a manifest or a lock):
                          each package several nodes hold moved to their lowest common ancestor where
                          every view stays coherent, the bytes saved, and every duplicate left with
                          what blocks it; nothing is written
      --hoist-never GLOB  with --suggest-hoist: never hoist the packages GLOB matches (repeatable)
      --hoist-isolate NODE
                          with --suggest-hoist: NODE receives no hoisted package (repeatable)

${POLICY_HELP}

${OUTPUT_HELP}

${DOCUMENT_HELP}

Examples:
  redproof check corpus/families/coherent.yaml
  redproof check family.yaml --sarif redproof.sarif --junit redproof.xml --markdown summary.md
  redproof check family.lock.yaml --suggest-hoist --hoist-isolate secure`,

  audit: `Usage: redproof audit IMAGE_ROOT [--redroot var/redpak] [--node PATH ...] [options]

Reads the red-pak node tree of an image (nodes are directories holding .rednode.yaml; paths and symlinks
are resolved inside IMAGE_ROOT, nothing outside it is read), every node's rpm database (rpmdb.sqlite,
BerkeleyDB Packages) and the image's own /var/lib/rpm (the host), and proves the family with the checks
of \`check\` on what is installed, plus the node configuration rules RP010-RP013 (docs/audit.md).

Options:
      --redroot PATH      image path of the node tree (default var/redpak)
      --node PATH         an extra node directory (image path), repeatable
      --arch ARCH         target arch (default: the most common arch of the installed packages)
  -r, --repo [ID=]PATH    a repository the installed packages must come from (RP014), repeatable
      --node-solv ALIAS=FILE
                          load an rpmdb2solv export in place of a node's rpm database (ALIAS: the
                          node's alias or image path, or \`host\`), repeatable; FILE may be a
                          pipe, \`host=<(rpmdb2solv -r IMAGE)\`, read up to --limit pipe-size
      --lock FILE         the image must be what this lockfile holds (RP055-RP058): nodes by alias,
                          packages by NEVRA, installed size, source rpm and license
      --no-filelists      do not read the repositories' filelists.xml
      --cache-dir DIR     cache of parsed repositories; --no-cache disables it

${POLICY_HELP}

${OUTPUT_HELP}

${DOCUMENT_HELP}

Examples:
  redproof audit build/rootfs
  redproof audit build/rootfs --repo base=mirror/base --repo apps=mirror/apps
  redproof audit build/rootfs --node-solv nav=nav.solv
  redproof audit build/rootfs --redroot var/redpak --sarif audit.sarif --junit audit.xml`,

  'update-check': `Usage: redproof update-check FAMILY.yaml|IMAGE_ROOT --to ID=PATH [--to ...] CHANGE... [options]

STATE is a family manifest, or an image tree read as \`audit\` reads it (--redroot), whose installed
packages must come from the repositories given with --repo (a NEVRA in none of them is RP006).

Computes, top-down (host first, each parent before its children), the transaction red-pak's package
manager would make in every node the change touches: the node's ancestors installed and locked, its own
packages installed and free to change, the state's repositories and the candidates (--to) available.
Then proves the resulting family with every rule of \`check\` (RP001-RP007) and adds RP020 (an update
breaks a descendant), RP021 (it creates a duplicate), RP022 (no solution), RP023 (held back by an
ancestor), RP024 (\`best\` refuses a best candidate that cannot go in). See docs/update-check.md.

Change (combinable):
      --upgrade-all       upgrade every node's own packages (and the host's)
      --upgrade NODE[=PATTERN]
                          upgrade NODE's own packages (those whose name matches the glob PATTERN)
      --install NODE=PKG  install PKG (name, name.arch, NEVRA or provide) in NODE
      --remove NODE=PKG   erase NODE's own package PKG (name, glob or NEVRA)
      --security-only     upgrade only to packages of security advisories (like dnf upgrade --security);
                          alone, it applies to every node
      --advisory ID       upgrade only to the packages of advisory ID (repeatable)

Resolution:
      --no-weak-deps      install no recommended package with the changes (dnf's install_weak_deps=False),
                          whatever a node's \`weak-deps\` says
      --no-best           let upgrades and installs take an older candidate when the best cannot go in
                          (dnf's best=False); by default a node's \`best\` (true) refuses them (RP024)

Repositories and plan:
      --to ID=PATH        a candidate repository (rpm-md, with updateinfo for advisories), repeatable;
                          without one, the newest versions of the state's own repositories are used
      --plan FILE         write the per-node plan as JSON (schema/plan-v1.schema.json)
      --write-lock FILE   when the plan is proven, write the lock of the family after it
                          (schema/lock-v1.schema.json; a family manifest only)
${repoHelp("the manifest's `arch`, or the image's")}

${POLICY_HELP}

${OUTPUT_HELP}

${DOCUMENT_HELP}

Examples:
  redproof update-check corpus/families/coherent.yaml --to updates=corpus/repos/demo-updates --upgrade-all
  redproof update-check family.yaml --to updates=mirror/updates --security-only --plan plan.json
  redproof update-check family.yaml --to u=mirror/updates --upgrade platform=libxml2 --remove media=foo`,

  merge: `Usage: redproof merge A.json B.json ... [--sarif FILE] [--junit FILE] [--markdown FILE] [--html FILE] [--json FILE] [--fail-on LEVEL]

Merges the --json reports of several runs (a CI matrix over images, boards or arches) into one report:
SARIF with one run per input, each with its own automationDetails.id (GitHub keeps each category);
JUnit with every suite of every input; Markdown and HTML with a table across the inputs; JSON with the
summary and each input's result (docs/reports.md). Every finding counts once, in the run that found it.

      --sarif FILE        SARIF 2.1.0, one run per input
      --junit FILE        JUnit XML, every input's suites named \`INPUT: SUITE\`
      --markdown FILE     a Markdown summary with a table across the inputs
      --html FILE         one self-contained HTML page with every run
      --json FILE         the merged summary and every input's result
      --fail-on LEVEL     error (default), warning, note or never
  -q, --quiet             no summary line on stdout

Exit codes: 0 every run clean, 1 findings at or above --fail-on in a run, 2 usage error, 3 an input
that is not a result-v1 report (unknown schema version included) or a run with tool errors.

Example:
  redproof merge x86_64/redproof.json aarch64/redproof.json --sarif merged.sarif --html report.html`,

  lock: `Usage: redproof lock FAMILY.yaml [options]

Resolves the install requests (\`install:\`, \`host.kickstart\`) of every layer of a family, top-down
as red-pak's package manager does it: each layer on top of its ancestors' packages, which stay locked;
recommends with weak-deps, the best candidate forced with best, excludes and what dnf's modular
filtering hides (the layer's module streams, \`modules:\`) out of the pool. Proves the
result with the rules of \`check\` and writes FAMILY.lock.yaml (schema/lock-v1.schema.json). A refused
request (RP050-RP053) is a finding at the request and no lock is written. See docs/lock.md.

Lock:
      --lockfile FILE     where the lock goes (default: FAMILY.lock.yaml beside the manifest)
      --check             write nothing; exit 1 with what differs when the lock is not exactly what
                          \`lock\` would write now (the pre-merge gate)
      --update [NODE=]PATTERN ...
                          resolve again only the locked packages whose name matches a glob PATTERN
                          (in NODE only, with NODE=), keeping every other locked package; no pattern:
                          everything. Prints the per-node diff (added, removed, upgraded)
      --diff-markdown FILE
                          with --check or --update, also write the difference as Markdown (for a
                          pull-request description)
      --no-weak-deps      do not install recommended packages (dnf's install_weak_deps=False)
      --no-best           let a request take an older candidate when the best cannot go in
      --hoist             after resolving, move each package several nodes hold to their lowest
                          common ancestor, with the part of its closure that ancestor lacks, wherever
                          every view stays coherent (no new RP001/RP002/RP003/RP005); the hoisted
                          family is proven again and the lock records \`hoist: true\`, so --check and
                          --update hoist again (default: the manifest's \`hoist.enabled\`)
      --no-hoist          do not hoist, whatever the manifest or the lock says
      --hoist-never GLOB  never hoist the packages GLOB matches (repeatable; adds to \`hoist.never\`)
      --hoist-isolate NODE
                          NODE receives no hoisted package: its view must not grow (repeatable)
${repoHelp("the manifest's `arch`")}

${OUTPUT_HELP}

Report:
      --html FILE         a self-contained HTML report: family tree, footprint, findings, inventory,
                          and what the run changes in the lock file (docs/reports.md)

Examples:
  redproof lock family.yaml
  redproof lock family.yaml --check --markdown "$GITHUB_STEP_SUMMARY"
  redproof lock family.yaml --no-weak-deps --lockfile minimal.lock.yaml
  redproof lock family.yaml --update 'openssl*' platform=systemd --diff-markdown pr.md
  redproof lock family.yaml --hoist --hoist-never 'kernel*' --markdown hoist.md`,

  explain: `Usage: redproof explain CODE

Prints the documentation page of a rule: what it checks, why it matters on a red-pak device, an
example and how to fix it. CODE is a code (RP001) or a slug (unresolved-dependency).

Examples:
  redproof explain RP003
  redproof explain ancestor-duplicate`,

  version: 'Usage: redproof version\n\nPrints the versions of redproof and of the libsolv engine.',
};

export async function VERSION_TEXT(): Promise<string> {
  const e = await loadEngine();
  return `redproof ${TOOL_VERSION} (libsolv ${e.libsolvVersion}, WebAssembly, rpm semantics)`;
}
