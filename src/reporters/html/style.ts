/** The page's only stylesheet (inline: the report is one file). Print rules make it an archivable PDF. */
export const CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--bg:#fff;--soft:#f6f8fa;--err:#b3261e;--warn:#8a5a00;--note:#0b5cad;--ok:#1a7f37;--focus:#0969da}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--note)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:2}
header.top{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--soft)}
header.top h1{margin:0 0 8px;font-size:20px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
nav.toc{padding:8px 24px;border-bottom:1px solid var(--line)}nav.toc a{margin-right:16px}
main{padding:0 24px 48px}
section{margin-top:24px}
h2{font-size:17px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:0 0 6px}
.verdict{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;color:#fff}
.verdict.pass{background:var(--ok)}.verdict.fail{background:var(--err)}.verdict.error{background:#6e2b00}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
th{background:var(--soft);position:sticky;top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code,pre,.mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:12.5px}
pre{background:var(--soft);padding:8px;overflow-x:auto;margin:6px 0}
.scroll{overflow:auto;max-width:100%}
svg.tree .edge{fill:none;stroke:#8c959f;stroke-width:1.2}
svg.tree .node{cursor:pointer}
svg.tree .node rect{fill:#fff;stroke:#8c959f;stroke-width:1.2}
svg.tree .node.error rect{stroke:var(--err);stroke-width:2;fill:#fff5f5}
svg.tree .node.warning rect{stroke:var(--warn);stroke-width:2;fill:#fffbeb}
svg.tree .node.note rect{stroke:var(--note);fill:#f3f8ff}
svg.tree .node.ok rect{stroke:var(--ok)}
svg.tree .node:focus{outline:none}svg.tree .node:focus rect,svg.tree .node[aria-pressed=true] rect{stroke:var(--focus);stroke-width:3}
svg.tree text{font:12px system-ui,sans-serif;fill:var(--fg)}
svg.tree .name{font-weight:600}svg.tree .kind,svg.tree .sizes{fill:var(--muted);font-weight:400}
svg.tree .node.error .count{fill:var(--err)}svg.tree .node.warning .count{fill:var(--warn)}
table.footprint-figures,table.hoist-figures{width:auto;min-width:420px;margin:6px 0 10px}table.footprint-figures th,table.hoist-figures th{position:static;font-weight:400}
ul.hoist-with,ul.hoist-blockers{margin:2px 0;padding-left:18px}ul.hoist-left>li{margin:4px 0}
.run-errors{border:1px solid var(--err);border-left:4px solid var(--err);padding:4px 12px;background:#fff5f5}
svg.footprint text{font:12px system-ui,sans-serif;fill:var(--fg)}
svg.footprint .family rect{fill:var(--ok)}svg.footprint .standalone rect{fill:#8c959f}
.finding{border:1px solid var(--line);border-left:4px solid var(--note);padding:8px 12px;margin:10px 0;break-inside:avoid}
.finding.error{border-left-color:var(--err)}.finding.warning{border-left-color:var(--warn)}
.finding.suppressed{opacity:.75}
.level{font-weight:700;text-transform:uppercase;font-size:12px}
.level.error{color:var(--err)}.level.warning{color:var(--warn)}.level.note{color:var(--note)}
ul.evidence{margin:4px 0;padding-left:20px}
.controls{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:8px 0}
.controls label{display:flex;gap:6px;align-items:center}
th button{all:unset;cursor:pointer;font-weight:600}th button:focus-visible{outline:3px solid var(--focus)}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
.muted{color:var(--muted)}
details.rule{border:1px solid var(--line);margin:6px 0;padding:4px 8px}
details.rule pre{white-space:pre-wrap}
.run{border-top:3px double var(--line);margin-top:32px}
@media print{
 nav.toc,.controls,.skip,#inv-more,.noprint{display:none!important}
 body{font-size:11px}main{padding:0}header.top{background:none}
 th{position:static}a{color:inherit;text-decoration:none}
 pre{white-space:pre-wrap;border:1px solid var(--line)}
 section{break-inside:auto}h2{break-after:avoid}
 svg{max-width:100%;height:auto}
}
`;
