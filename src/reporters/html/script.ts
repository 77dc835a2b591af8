/**
 * The page's only script: renders the inventory from the embedded data on demand (sort, filter, pages of
 * rows), links tree nodes to it, opens every <details> before printing. ES2017, no dependency, no network.
 * Written as a string: it runs in the browser, not in Node.
 */
export const SCRIPT = String.raw`
(function () {
  'use strict';
  var PAGE = 500;
  function fmtBytes(n) {
    if (n < 0) return 'unknown';
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0, v = n;
    while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
    return i === 0 ? v + ' B' : v.toFixed(1) + ' ' + u[i];
  }
  function decode(el) {
    var text = el.textContent || '';
    if (el.getAttribute('data-encoding') !== 'gzip-base64') return Promise.resolve(JSON.parse(text));
    var bin = atob(text), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text().then(JSON.parse);
  }
  function setup(root) {
    var dataEl = root.querySelector('script[data-inventory]');
    var table = root.querySelector('table.inventory');
    if (!dataEl || !table) return;
    var tbody = table.querySelector('tbody');
    var repos = table.hasAttribute('data-repositories');
    var select = root.querySelector('select.inv-node');
    var filter = root.querySelector('input.inv-filter');
    var more = root.querySelector('button.inv-more');
    var status = root.querySelector('.inv-status');
    var state = { node: -1, text: '', key: 'node', dir: 1, limit: PAGE };
    var data = null, all = null, seen = null;
    function str(i) { return i < 0 ? '' : data.strings[i]; }
    function prepare(d) {
      data = d;
      var n = d.nodes.length, children = [];
      for (var i = 0; i < n; i++) children.push([]);
      d.nodes.forEach(function (node, i) { if (node[1] >= 0) children[node[1]].push(i); });
      seen = d.nodes.map(function (_, i) {
        var out = [], stack = [i];
        while (stack.length) { var j = stack.pop(); out.push(j); for (var k = children[j].length - 1; k >= 0; k--) stack.push(children[j][k]); }
        return out;
      });
      // inventory-data.ts: a package table, and one column value per entry, nodes in order
      all = [];
      var k = 0, line = 0, col = 0, fresh = 0;
      d.nodes.forEach(function (node, i) {
        for (var j = 0; j < node[2]; j++, k++) {
          var p = d.packages[d.pkg[k] < 0 ? fresh++ : d.pkg[k]], e = d.entry[k], f = d.file[k];
          line += d.line[k]; col += d.col[k];
          var entry = e === -2 ? p[0] : e === -3 ? p[0].replace(/-[^-]*-[^-]*$/, '') : str(e);
          var reason = f < 0 ? str(e) : 'manifest entry \u0060' + entry + '\u0060 at ' + str(f) + ':' + line + ':' + col;
          all.push({ node: i, nodeId: node[0], nevra: p[0], repo: str(p[1]), size: p[2], license: str(p[3]), srpm: str(p[4]), reason: reason });
        }
        var o = document.createElement('option');
        o.value = String(i); o.textContent = node[0] + ' (' + node[2] + ')';
        select.appendChild(o);
      });
      render();
    }
    function seenText(i) {
      var ids = seen[i].map(function (j) { return data.nodes[j][0]; });
      return { short: ids.length <= 4 ? ids.join(', ') : ids.slice(0, 3).join(', ') + ' and ' + (ids.length - 3) + ' more', full: ids.join(', ') };
    }
    function cell(tr, text, cls, title) {
      var td = document.createElement('td'); td.textContent = text;
      if (cls) td.className = cls; if (title) td.title = title;
      tr.appendChild(td);
    }
    function render() {
      if (!data) return;
      var q = state.text.toLowerCase();
      var rows = all.filter(function (r) {
        if (state.node >= 0 && r.node !== state.node) return false;
        if (!q) return true;
        return (r.nevra + '\u0000' + r.repo + '\u0000' + r.license + '\u0000' + r.srpm + '\u0000' + r.nodeId + '\u0000' + r.reason).toLowerCase().indexOf(q) >= 0;
      });
      var key = state.key, dir = state.dir;
      rows.sort(function (a, b) {
        var x = a[key], y = b[key];
        if (key === 'node') { x = a.node; y = b.node; }
        var c = typeof x === 'number' ? x - y : (x < y ? -1 : x > y ? 1 : 0);
        if (c === 0) c = a.nevra < b.nevra ? -1 : a.nevra > b.nevra ? 1 : a.node - b.node;
        return c * dir;
      });
      var frag = document.createDocumentFragment();
      rows.slice(0, state.limit).forEach(function (r) {
        var tr = document.createElement('tr');
        var s = seenText(r.node);
        cell(tr, r.nevra, 'mono'); if (!repos) cell(tr, r.nodeId); cell(tr, r.repo); cell(tr, fmtBytes(r.size), 'num');
        cell(tr, r.license); cell(tr, r.srpm, 'mono'); if (!repos) { cell(tr, r.reason); cell(tr, s.short, '', s.full); }
        frag.appendChild(tr);
      });
      tbody.textContent = '';
      tbody.appendChild(frag);
      var shown = Math.min(rows.length, state.limit);
      status.textContent = 'Showing ' + shown + ' of ' + rows.length + ' packages' + (rows.length < all.length ? ' (' + all.length + ' in all)' : '');
      more.hidden = shown >= rows.length;
      table.querySelectorAll('th[data-key]').forEach(function (th) {
        th.setAttribute('aria-sort', th.getAttribute('data-key') === key ? (dir > 0 ? 'ascending' : 'descending') : 'none');
      });
    }
    select.addEventListener('change', function () { state.node = Number(select.value); state.limit = PAGE; render(); });
    filter.addEventListener('input', function () { state.text = filter.value; state.limit = PAGE; render(); });
    more.addEventListener('click', function () { state.limit += PAGE * 4; render(); });
    table.querySelectorAll('th[data-key] button').forEach(function (b) {
      b.addEventListener('click', function () {
        var k = b.parentNode.getAttribute('data-key');
        if (state.key === k) state.dir = -state.dir; else { state.key = k; state.dir = 1; }
        render();
      });
    });
    function selectNode(id) {
      if (!data) return;
      var i = data.nodes.findIndex(function (n) { return n[0] === id; });
      if (i < 0) return;
      state.node = i; state.limit = PAGE; select.value = String(i); render();
      root.querySelectorAll('svg.tree .node').forEach(function (g) { g.setAttribute('aria-pressed', String(g.getAttribute('data-node') === id)); });
    }
    root.querySelectorAll('svg.tree .node').forEach(function (g) {
      g.setAttribute('aria-pressed', 'false');
      g.addEventListener('click', function () { selectNode(g.getAttribute('data-node')); });
      g.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); selectNode(g.getAttribute('data-node')); }
      });
    });
    decode(dataEl).then(prepare, function (err) { status.textContent = 'The inventory could not be read: ' + err; });
  }
  // The findings after the first ones the page holds as articles: the same article, built from a row of
  // src/reporters/html/sections.ts findingRow, a page at a time, and all of them before printing.
  function setupFindings(root) {
    var dataEl = root.querySelector('script[data-findings]');
    if (!dataEl) return;
    var list = root.querySelector('.findings-rest');
    var more = root.querySelector('button.findings-more');
    var status = root.querySelector('.findings-status');
    var prefix = dataEl.id.slice(0, -'findings-data'.length);
    var rows = null, shown = 0, total = 0;
    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    }
    function article(r) {
      var a = el('article', 'finding ' + r[1] + (r[3] ? ' suppressed' : ''));
      a.setAttribute('data-rule', r[2]); a.id = prefix + 'finding-' + r[0];
      var h3 = el('h3'); h3.appendChild(el('span', 'level ' + r[1], r[2] + ' ' + r[1])); h3.appendChild(document.createTextNode(' ' + r[4]));
      a.appendChild(h3);
      var dl = el('dl', 'facts');
      for (var i = 0; i < r[5].length; i += 2) { dl.appendChild(el('dt', '', r[5][i])); var dd = el('dd'); dd.appendChild(el('code', '', r[5][i + 1])); dl.appendChild(dd); }
      a.appendChild(dl);
      if (r[6] !== null) a.appendChild(el('pre', 'frame', r[6]));
      if (r[7].length) {
        var ul = el('ul', 'evidence');
        for (var j = 0; j < r[7].length; j += 3) {
          var li = el('li'); li.appendChild(el('b', '', r[7][j])); li.appendChild(document.createTextNode(': ' + r[7][j + 1]));
          if (r[7][j + 2]) { li.appendChild(document.createTextNode(' ')); li.appendChild(el('span', 'muted', '(' + r[7][j + 2] + ')')); }
          ul.appendChild(li);
        }
        a.appendChild(ul);
      }
      if (r[8]) { var ps = el('p'); ps.appendChild(el('b', '', r[8][0])); ps.appendChild(document.createTextNode(': ' + r[8][1])); a.appendChild(ps); }
      if (r[9] !== null) { var pf = el('p'); pf.appendChild(el('b', '', 'fix')); pf.appendChild(document.createTextNode(': ' + r[9])); a.appendChild(pf); }
      var pr = el('p', 'muted'); pr.appendChild(document.createTextNode('rule '));
      var link = el('a', '', r[10]); link.href = '#' + r[11]; pr.appendChild(link);
      pr.appendChild(document.createTextNode(' (' + r[12] + ') · fingerprint ')); pr.appendChild(el('code', '', r[13]));
      a.appendChild(pr);
      return a;
    }
    function render(n) {
      if (!rows) return;
      var end = Math.min(rows.length, shown + n), frag = document.createDocumentFragment();
      for (var i = shown; i < end; i++) frag.appendChild(article(rows[i]));
      list.appendChild(frag);
      shown = end;
      status.textContent = (total - rows.length + shown) + ' of ' + total + ' findings shown';
      more.hidden = shown >= rows.length;
    }
    more.addEventListener('click', function () { render(PAGE); });
    window.addEventListener('beforeprint', function () { render(rows ? rows.length : 0); });
    decode(dataEl).then(function (d) { rows = d.rows; total = d.total; render(0); },
      function (err) { status.textContent = 'The other findings could not be read: ' + err; });
  }
  document.querySelectorAll('.report-body').forEach(function (root) { setup(root); setupFindings(root); });
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
})();
`;
