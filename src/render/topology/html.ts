// `topology -o html`: one self-contained page (no network access when opened): the SVG
// picture inline, plus a little inline script for zoom (wheel, buttons), pan (drag)
// and a filter box that dims everything that does not match.
import type { Topology } from '../../model/topology.js';
import { layoutTopology } from './layout.js';
import { esc, svgMarkup } from './svg.js';

const SCRIPT = `
(function () {
  var svg = document.querySelector('svg.topology');
  var box = document.getElementById('canvas');
  var W = svg.viewBox.baseVal.width, H = svg.viewBox.baseVal.height;
  var view = { x: 0, y: 0, w: W, h: H };
  svg.removeAttribute('width'); svg.removeAttribute('height');
  svg.style.width = '100%'; svg.style.height = '100%';
  function apply() { svg.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + view.w + ' ' + view.h); }
  function zoom(f, cx, cy) {
    var r = svg.getBoundingClientRect();
    var px = view.x + (cx === undefined ? 0.5 : (cx - r.left) / r.width) * view.w;
    var py = view.y + (cy === undefined ? 0.5 : (cy - r.top) / r.height) * view.h;
    view.w *= f; view.h *= f;
    view.x = px - (px - view.x) * f; view.y = py - (py - view.y) * f;
    apply();
  }
  box.addEventListener('wheel', function (e) { e.preventDefault(); zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, e.clientX, e.clientY); }, { passive: false });
  var drag = null;
  box.addEventListener('mousedown', function (e) { drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y }; });
  window.addEventListener('mouseup', function () { drag = null; });
  window.addEventListener('mousemove', function (e) {
    if (!drag) return;
    var r = svg.getBoundingClientRect();
    view.x = drag.vx - (e.clientX - drag.x) * view.w / r.width;
    view.y = drag.vy - (e.clientY - drag.y) * view.h / r.height;
    apply();
  });
  document.getElementById('zoom-in').onclick = function () { zoom(1 / 1.3); };
  document.getElementById('zoom-out').onclick = function () { zoom(1.3); };
  document.getElementById('zoom-reset').onclick = function () { view = { x: 0, y: 0, w: W, h: H }; apply(); };
  var nodes = Array.prototype.slice.call(svg.querySelectorAll('[data-search]'));
  var edges = Array.prototype.slice.call(svg.querySelectorAll('.edge[data-from]'));
  var count = document.getElementById('count');
  document.getElementById('filter').addEventListener('input', function (e) {
    var q = e.target.value.trim().toLowerCase();
    var shown = {}, n = 0;
    nodes.forEach(function (el) {
      var hit = !q || el.getAttribute('data-search').indexOf(q) >= 0;
      el.classList.toggle('dim', !hit);
      if (hit) { shown[el.getAttribute('data-id')] = true; n++; }
    });
    edges.forEach(function (el) {
      el.classList.toggle('dim', !!q && !(shown[el.getAttribute('data-from')] || shown[el.getAttribute('data-to')]));
    });
    count.textContent = q ? n + ' match' + (n === 1 ? '' : 'es') : '';
  });
  apply();
})();
`;

export async function renderHtml(t: Topology): Promise<string> {
  const layout = await layoutTopology(t);
  const title = t.service ? `topology of ${t.service.namespace}/${t.service.name}` : 'topology of every exposure';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>exposectl ${esc(title)}</title>
<style>
  html, body { margin: 0; height: 100%; font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; }
  header { display: flex; gap: 8px; align-items: center; padding: 6px 10px; border-bottom: 1px solid #cfd8dc; background: #fafafa; }
  header input { width: 320px; padding: 4px 6px; }
  header button { min-width: 32px; }
  #canvas { position: absolute; top: 44px; bottom: 0; left: 0; right: 0; overflow: hidden; cursor: grab; }
</style>
</head>
<body>
<header>
  <strong>exposectl ${esc(title)}</strong>
  <input id="filter" type="search" placeholder="filter: name, namespace, node, address…" autocomplete="off">
  <span id="count"></span>
  <button id="zoom-in" title="zoom in">+</button><button id="zoom-out" title="zoom out">−</button><button id="zoom-reset" title="fit">fit</button>
</header>
<div id="canvas">
${svgMarkup(layout, t)}
</div>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
