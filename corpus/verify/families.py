#!/usr/bin/env python3
"""Cross-check the expected findings of corpus/families/*.yaml with rpm itself (not with redproof).

usage: corpus/build.sh --rpms-out /tmp/corpus-rpms
       python3 corpus/verify/families.py /tmp/corpus-rpms/demo/Packages corpus/families/*.yaml

For every node (and host) the view is host + ancestors + the node's own packages. The view is given to
`rpm -i --test` in an empty root: rpm 4.18 checks requires (RP001), Conflicts (RP002), file conflicts
(RP005) and architecture (RP007) across the whole set, as one transaction. A message is attributed to
the first node, going down the tree, whose view shows it. RP003 (same name in a node and an ancestor),
RP004 (same NEVRA in sibling nodes), RP006 (entry matching no package) and manifest errors are plain
set logic. Needs PyYAML and rpm.
"""
import glob, os, re, subprocess, sys, tempfile
import yaml

COMPAT = {"x86_64", "noarch"}

def load_rpms(pkgdir):
    rpms = {}
    for f in sorted(glob.glob(os.path.join(pkgdir, "*.rpm"))):
        q = "%{name} %{epochnum} %{version} %{release} %{arch}"
        n, e, v, r, a = subprocess.run(["rpm", "-qp", "--nosignature", "--qf", q, f],
                                       capture_output=True, text=True, check=True).stdout.split()
        rpms[f"{n}-{'' if e == '0' else e + ':'}{v}-{r}.{a}"] = (n, a, f)
    return rpms

def resolve(rpms, entry):
    if entry in rpms:
        return entry
    cands = [k for k, (n, a, _) in rpms.items() if n == entry and a in COMPAT]
    return cands[0] if len(cands) == 1 else None  # ambiguous names are not used by the manifests

def check(rpms, path):
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    if not isinstance(doc, dict) or not doc.get("nodes"):
        return ["INPUT-ERROR empty manifest"]
    nodes, out = {"host": {"packages": doc["host"]["packages"]}}, []
    for n in doc["nodes"]:
        if n["alias"] in nodes:
            out.append(f"INPUT-ERROR duplicate alias {n['alias']}")
        nodes[n["alias"]] = n
    if out:
        return out
    def chain(a, seen=()):
        if a in seen:
            raise ValueError("parent cycle " + " -> ".join(seen + (a,)))
        if a not in nodes:
            raise ValueError(f"unknown parent {a} of {seen[-1]}")
        p = nodes[a].get("parent")
        return [a] + (chain(p, seen + (a,)) if p else [])
    try:
        chains = {a: chain(a) for a in nodes}
    except ValueError as ex:
        return [f"INPUT-ERROR {ex}"]
    content = {}
    for a, n in nodes.items():
        content[a] = []
        for e in n["packages"]:
            r = resolve(rpms, str(e))
            if r is None:
                out.append(f"RP006 node={a} entry={e}")
            else:
                content[a].append(r)
    for a in nodes:
        for anc in chains[a][1:]:
            for p in content[a]:
                for q in content[anc]:
                    if rpms[p][0] == rpms[q][0]:
                        out.append(f"RP003 node={a} package={p} other={q} otherNode={anc}")
    children = {}
    for a in nodes:
        if a != "host":
            children.setdefault(nodes[a]["parent"], []).append(a)
    for kids in children.values():
        for i, x in enumerate(kids):
            for y in kids[i + 1:]:
                for p in sorted(set(content[x]) & set(content[y])):
                    out.append(f"RP004 package={p} nodes={x},{y}")
    seen = set()
    for a in sorted(nodes, key=lambda a: len(chains[a])):
        view = sorted({p for x in chains[a] for p in content[x]})
        root = tempfile.mkdtemp(prefix="verify-families.")
        try:
            subprocess.run(["rpm", "--root", root, "--initdb"], check=True)
            r = subprocess.run(["rpm", "--root", root, "-i", "--test", "--nosignature"]
                               + [rpms[p][2] for p in view], capture_output=True, text=True)
        finally:
            subprocess.run(["rm", "-rf", root], check=True)
        for line in (r.stdout + r.stderr).splitlines():
            line = line.strip()
            if not line or "Alien" in line or "assuming you know" in line or line.endswith("dependencies:"):
                continue
            if line in seen:
                continue
            seen.add(line)
            rule = ("RP001" if "is needed by" in line else "RP002" if " conflicts with " in line
                    else "RP005" if "conflicts between attempted installs" in line
                    else "RP007" if "different architecture" in line else "RPM")
            out.append(f"{rule} node={a} rpm: {line}")
    return out

def main():
    rpms = load_rpms(sys.argv[1])
    for path in sys.argv[2:]:
        res = check(rpms, path)
        print(f"{os.path.basename(path)}: " + ("no findings" if not res else ""))
        for line in res:
            print("  " + line)

if __name__ == "__main__":
    main()
