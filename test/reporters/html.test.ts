import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/model/finding.js';
import { escapeAttr, escapeHtml, jsonForScript } from '../../src/reporters/html/escape.js';
import { familyView } from '../../src/reporters/html/family-view.js';
import { htmlReporter } from '../../src/reporters/html/index.js';
import { FRAME_WIDTH, FULL_FINDINGS } from '../../src/reporters/html/sections.js';
import { familyResult, toolErrorResult } from './fixtures.js';
import { checkDocuments, EXAMPLE_FAMILIES, syntheticResult, withFindings } from './report-helpers.js';

// The HTML report without a browser: what it carries, that it carries nothing from outside, escaping,
// determinism and size. test/system/html-report.test.ts renders it in Chromium.

describe('HTML report of the example families', () => {
  it.each(EXAMPLE_FAMILIES)(
    '%s: one self-contained page with every node and every finding',
    async (family) => {
      const { html, json } = await checkDocuments(family);
      const doc = JSON.parse(json) as {
        subjects: { id: string }[];
        findings: { rule: string }[];
      };
      for (const s of doc.subjects) expect(html).toContain(`data-node="${escapeAttr(s.id)}"`);
      const rules = [...html.matchAll(/<article class="finding[^"]*" data-rule="([^"]+)"/g)].map((m) => m[1]);
      expect(rules.sort()).toEqual(doc.findings.map((f) => f.rule).sort());
      // nothing from outside: no external resource, and a policy that forbids any
      expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
      expect(html).not.toMatch(/<link\b/);
      expect(html).toContain(`content="default-src 'none';`);
      expect(html).toMatch(/@media print/);
    },
  );

  it('is byte-identical for the same inputs, and prints SOURCE_DATE_EPOCH as its only date', async () => {
    const a = await checkDocuments('rp001-unresolved.yaml');
    const b = await checkDocuments('rp001-unresolved.yaml');
    expect(a.html).toBe(b.html);
    expect(a.html).not.toMatch(/generated/);
    const c = await checkDocuments('rp001-unresolved.yaml', { SOURCE_DATE_EPOCH: '1700000000' });
    expect(c.html).toContain('<dt>generated</dt><dd>2023-11-14T22:13:20Z</dd>');
  });

  it('shows the code frame, evidence, fix and rule page of a finding', async () => {
    const { html } = await checkDocuments('rp001-unresolved.yaml');
    const article =
      /<article class="finding error" data-rule="RP001"[\s\S]*?<\/article>/.exec(html)?.[0] ?? '';
    expect(article).toContain('<pre class="frame">');
    expect(article).toMatch(/22 \|\s+packages: \[gstreamer1, media-player\]/);
    expect(article).toContain('<b>requires</b>');
    expect(article).toContain('<b>fix</b>: Install a provider');
    expect(article).toContain('href="#rule-RP001"');
    expect(html).toMatch(/<details class="rule" id="rule-RP001">[\s\S]*?<pre>[\s\S]*?<\/pre><\/details>/);
  });
});

describe('HTML escaping', () => {
  it('escapes markup, and shows control and bidi characters instead of obeying them', () => {
    expect(escapeHtml('<b>&')).toBe('&lt;b&gt;&amp;');
    expect(escapeAttr('"x\'')).toBe('&quot;x&#39;');
    expect(escapeHtml('a\u202eb\u0007c')).toBe('a\\u{202e}b\\u{0007}c');
    expect(jsonForScript({ a: '</script><!--\u2028' })).toBe(
      '{"a":"\\u003c/script\\u003e\\u003c!--\\u2028"}',
    );
  });

  it('lets no input text become markup, in the tree, the findings or the inventory data', () => {
    const hostile = '<script>alert(1)</script>';
    const r: CheckResult = syntheticResult(2, 2);
    r.target = hostile;
    r.subjects[1]!.id = `x${hostile}`;
    r.subjects[1]!.packages[0]!.license = hostile;
    r.findings.push({
      rule: 'RP001',
      slug: 'unresolved-dependency',
      level: 'error',
      node: `x${hostile}`,
      message: `${hostile}\u202e`,
      evidence: [{ role: 'requires', text: hostile }],
      fingerprint: '0'.repeat(32),
    });
    const html = htmlReporter(r);
    expect(html).not.toContain(hostile);
    expect(html).not.toContain('\u202e');
    expect(html.match(/<script\b/g)).toHaveLength(2); // the inventory data and the page script
  });
});

describe('HTML size and footprint', () => {
  it('computes the footprint: each layer once against each node carrying its view', () => {
    const r = syntheticResult(3, 2);
    const { footprint: fp } = familyView(r);
    const own = r.subjects.map((s) => s.installedSize ?? 0);
    expect(fp!.familyBytes).toBe(own.reduce((a, b) => a + b, 0));
    // the three nodes sit on the host: each view is the node plus the host
    expect(fp!.standaloneBytes).toBe(own[1]! + own[2]! + own[3]! + 3 * own[0]!);
    expect(fp!.containers).toBe(3);
  });

  it('shows the footprint figures and every node own and view bytes (the demo family, by hand)', () => {
    const html = htmlReporter(familyResult());
    const section = /<section id="footprint"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(section).toContain('data-footprint-family="35062000" data-footprint-standalone="71286000"');
    expect(section).toContain('<td class="num">33.4 MiB</td>');
    expect(section).toContain('<td class="num">68.0 MiB</td>');
    expect(section).toContain('<td class="num">2.03×</td>');
    expect(section).not.toContain('of unknown');
    // navigation: own 9.4 MB; its view is platform's (21,462,000) plus its own minus openssl-libs
    expect(html).toMatch(
      /data-node="navigation"[^>]*aria-label="node navigation: 3 packages · own 9\.0 MiB · view 23\.0 MiB \(7\)/,
    );
  });

  it('says which sizes are unknown instead of counting them as 0', () => {
    const r = familyResult();
    delete r.subjects[1]!.packages[0]!.installSize; // platform's zlib
    const html = htmlReporter(r);
    const section = /<section id="footprint"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(section).toContain('data-footprint-unknown="1"');
    expect(section).toContain('1 package of unknown installed size not counted');
    expect(section).toContain('<td class="num">≥ 33.2 MiB</td>');
    expect(html).toMatch(
      /data-node="platform"[^>]*aria-label="node platform: 2 packages · own ≥ 6\.4 MiB · view ≥ 20\.3 MiB \(5\); 1 package of unknown size in the view/,
    );
  });

  it('stays under 5 MB for 1,000 nodes with 100,000 package entries and 15,000 findings', () => {
    const base = syntheticResult(1000, 100);
    expect(base.subjects.reduce((n, s) => n + s.packages.length, 0)).toBe(100_100);
    const bare = Buffer.byteLength(htmlReporter(base));
    // as a generated 1,000-node family reports them: RP004 at entries of 4 KB manifest lines
    const { result, sources } = withFindings(base, 15_000);
    const html = htmlReporter(result, { sources });
    const bytes = Buffer.byteLength(html);
    console.info(
      `HTML report, 1,001 layers, 100,100 package entries: ${bare} bytes; with 15,000 findings: ${bytes} bytes`,
    );
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
    expect(html).toContain('data-inventory data-encoding="gzip-base64"');
    expect(html.match(/data-node="/g)).toHaveLength(1001);
    // the first findings are articles (frames cut to a window), the others data for the script
    expect(html.match(/<article class="finding/g)).toHaveLength(FULL_FINDINGS);
    expect(html).toContain('data-findings data-encoding="gzip-base64"');
    const frame = /<pre class="frame">([\s\S]*?)<\/pre>/.exec(html)![1]!;
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(FRAME_WIDTH + 12);
    expect(html).toContain(`${FULL_FINDINGS} of 15000 findings shown`);
  });

  it('keeps every finding beyond the first ones, in order, with what its article shows', () => {
    const { result, sources } = withFindings(syntheticResult(20, 5), FULL_FINDINGS + 40);
    const html = htmlReporter(result, { sources });
    const data = JSON.parse(
      /<script type="application\/json" id="findings-data" data-findings data-encoding="json">(.*?)<\/script>/.exec(
        html,
      )![1]!,
    );
    expect(data.total).toBe(FULL_FINDINGS + 40);
    expect(data.rows).toHaveLength(40);
    expect(data.rows.map((r: unknown[]) => r[0])).toEqual(
      Array.from({ length: 40 }, (_, i) => FULL_FINDINGS + 1 + i),
    );
    const row = data.rows[0];
    expect(row.slice(1, 4)).toEqual(['warning', 'RP004', 0]);
    expect(row[6]).toMatch(/^ +\|\n\d+ \| .*\n\d+ \| .*\n +\| +\^+\n +\|$/);
    expect(row[11]).toBe('rule-RP004');
    // under FULL_FINDINGS, every finding is an article and there is no data
    expect(htmlReporter(withFindings(syntheticResult(20, 5), 10).result)).not.toMatch(
      /<script[^>]*data-findings/,
    );
  });
});

describe('HTML report of a run with tool errors', () => {
  it('puts the errors first and proves nothing when the run read its input only in part', () => {
    const html = htmlReporter(toolErrorResult());
    const errors = /<section id="errors"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(html.indexOf('<section id="errors"')).toBeLessThan(html.indexOf('<section id="tree"'));
    expect(errors).toContain('<h2>Tool errors</h2>');
    expect(errors).toContain('<b>input</b>: reading `repos/demo/repodata/repomd.xml`: checksum mismatch');
    expect(errors).toContain('<code>repos/demo/repodata/repomd.xml:7:5</code>');
    expect(html).toContain('No finding, but the run had tool errors');
    expect(html).not.toContain('every rule listed below holds');
    expect(html).toContain('<a href="#errors">Tool errors</a>');
  });

  it('says the run failed, and shows nothing else, when no subject was read', () => {
    const r = { ...toolErrorResult(), subjects: [], rules: [], arch: 'unknown' };
    const html = htmlReporter(r);
    expect(html).toContain('<h2>The run failed</h2>');
    expect(html).not.toMatch(/data-node=|id="(tree|inventory|rules|findings)"/);
    expect(html).toMatch(
      /<nav class="toc" aria-label="sections"><a href="#errors">The run failed<\/a><\/nav>/,
    );
  });
});
