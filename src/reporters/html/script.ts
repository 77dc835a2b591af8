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
    if (n < 0) return '';
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
      all = [];
      d.rows.forEach(function (rows, i) {
        rows.forEach(function (r) {
          all.push({ node: i, nodeId: d.nodes[i][0], nevra: r[0], repo: str(r[1]), size: r[2], license: str(r[3]), srpm: str(r[4]), reason: str(r[5]) });
        });
      });
      d.nodes.forEach(function (node, i) {
        var o = document.createElement('option');
        o.value = String(i); o.textContent = node[0] + ' (' + d.rows[i].length + ')';
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
  document.querySelectorAll('.report-body').forEach(setup);
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
})();
`;
