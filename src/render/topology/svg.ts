// `topology -o svg`: a self-contained SVG picture (inline styles, no fonts, scripts or
// links to fetch) of the ELK layout (layout.ts), with a legend. Every node carries a
// <title> (its details: the browser tooltip) and data-search (the html filter box).
import { lostReason, type Topology, type TopologyNode } from '../../model/topology.js';
import {
  FONT,
  type LaidNode,
  type Layout,
  LINE_HEIGHT,
  layoutTopology,
  OVERVIEW_HEADER,
  OVERVIEW_ROW_HEIGHT,
  PADDING,
  rowText,
} from './layout.js';

export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
  svg.topology { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: ${FONT}px; }
  .legend rect.frame { fill: #ffffff; stroke: #b0bec5; }
  .legend text.h { font-weight: bold; }
  .group rect { fill: none; stroke: #90a4ae; stroke-width: 1.2; rx: 8; }
  .group.host rect { fill: #f7f9fa; stroke: #b0bec5; stroke-dasharray: 3 2; }
  .group text { fill: #455a64; font-weight: bold; }
  .node rect, .node ellipse, .node polygon { stroke: #546e7a; stroke-width: 1; fill: #ffffff; }
  .node text.t { font-weight: bold; fill: #263238; }
  .node text.f { fill: #546e7a; }
  .s-ok rect, .s-ok ellipse, .s-ok polygon { fill: #e8f5e9; stroke: #2e7d32; }
  .s-warn rect, .s-warn ellipse, .s-warn polygon { fill: #fff8e1; stroke: #f9a825; }
  .s-bad rect, .s-bad ellipse, .s-bad polygon { fill: #ffebee; stroke: #c62828; }
  .s-unknown rect, .s-unknown ellipse, .s-unknown polygon { fill: #f5f5f5; stroke: #9e9e9e; stroke-dasharray: 4 3; }
  .edge path { fill: none; stroke: #607d8b; stroke-width: 1.2; }
  .edge.lost path { stroke: #c62828; stroke-width: 2.6; }
  .edge.notready path { stroke: #9e9e9e; stroke-dasharray: 5 4; }
  .edge text { fill: #37474f; font-size: ${FONT - 1}px; }
  .edge.lost text { fill: #c62828; font-weight: bold; }
  .card rect.frame { fill: #ffffff; stroke: #90a4ae; rx: 8; }
  .card text { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: ${FONT - 1}px; fill: #263238; white-space: pre; }
  .card text.ns { font-family: "DejaVu Sans", Arial, sans-serif; font-weight: bold; font-size: ${FONT + 1}px; }
  .card text.hdr { fill: #78909c; }
  .row.lost text { fill: #c62828; }
  .row.s-bad text { fill: #c62828; font-weight: bold; }
  .row.s-warn text { fill: #8d6e00; }
  .dim { opacity: 0.15; }
`;

export function statusClass(n: TopologyNode): string {
  if (n.kind === 'pod') return n.ready === true ? 's-ok' : n.ready === false ? 's-bad' : 's-unknown';
  if (n.unknown) return 's-unknown';
  switch (n.status) {
    case 'ready':
      return 's-ok';
    case 'pending':
    case 'degraded':
      return 's-warn';
    case 'broken':
      return 's-bad';
    case 'unknown':
      return 's-unknown';
    default:
      return '';
  }
}

function shape(l: LaidNode): string {
  const { x, y, width: w, height: h } = l;
  switch (l.node.kind) {
    case 'client':
    case 'address':
      return `<ellipse cx="${x + w / 2}" cy="${y + h / 2}" rx="${w / 2}" ry="${h / 2}"/>`;
    case 'gateway': {
      const d = Math.min(10, h / 2);
      return `<polygon points="${x + d},${y} ${x + w - d},${y} ${x + w},${y + h / 2} ${x + w - d},${y + h} ${x + d},${y + h} ${x},${y + h / 2}"/>`;
    }
    case 'pod':
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="10"/>`;
    default:
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3"/>`;
  }
}

function searchText(n: TopologyNode): string {
  return [n.label, n.name, n.namespace, n.objectKind, n.node, n.implementation, ...(n.addresses ?? [])]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

function detailedBody(layout: Layout, top: number): string[] {
  const out: string[] = [`<g transform="translate(0,${top})">`];
  for (const g of layout.groups) {
    out.push(
      `<g class="group ${g.kind}" data-group="${esc(g.id)}"><rect x="${g.x}" y="${g.y}" width="${g.width}" height="${g.height}"/><text x="${g.x + 8}" y="${g.y + LINE_HEIGHT}">${esc(g.label)}</text></g>`,
    );
  }
  for (const e of layout.edges) {
    const cls = ['edge', e.edge.sourceIpLost ? 'lost' : '', e.edge.notReady ? 'notready' : '']
      .filter(Boolean)
      .join(' ');
    const marker = e.edge.sourceIpLost ? 'arrow-lost' : e.edge.notReady ? 'arrow-grey' : 'arrow';
    const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    const title = [e.edge.label, e.edge.sourceIpLost ? `source IP lost: ${lostReason(e.edge)}` : '', e.edge.note]
      .filter(Boolean)
      .join(' — ');
    out.push(
      `<g class="${cls}" data-from="${esc(e.edge.from)}" data-to="${esc(e.edge.to)}">${title ? `<title>${esc(title)}</title>` : ''}<path d="${d}" marker-end="url(#${marker})"/>${e.label ? `<text x="${(e.label.x).toFixed(1)}" y="${(e.label.y + e.label.height - 3).toFixed(1)}">${esc(e.label.text)}</text>` : ''}</g>`,
    );
  }
  for (const l of layout.nodes) {
    const n = l.node;
    const details = [l.lines[0]!, ...(n.details ?? []), ...(n.node && n.kind === 'pod' ? [`node ${n.node}`] : [])];
    const texts = l.lines.map(
      (line, i) =>
        `<text class="${i === 0 ? 't' : 'f'}" x="${l.x + PADDING.x}" y="${l.y + PADDING.y + (i + 1) * LINE_HEIGHT - 4}">${esc(line)}</text>`,
    );
    out.push(
      `<g class="node k-${n.kind} ${statusClass(n)}" data-id="${esc(n.id)}" data-search="${esc(searchText(n))}"><title>${esc(details.join('\n'))}</title>${shape(l)}${texts.join('')}</g>`,
    );
  }
  out.push('</g>');
  return out;
}

function overviewBody(layout: Layout, top: number): string[] {
  const out: string[] = [`<g transform="translate(0,${top})">`];
  for (const c of layout.cards) {
    out.push(
      `<g class="card" data-group="${esc(c.id)}"><rect class="frame" x="${c.x}" y="${c.y}" width="${c.width}" height="${c.height}"/>`,
    );
    out.push(
      `<text class="ns" x="${c.x + PADDING.x}" y="${c.y + PADDING.y + OVERVIEW_ROW_HEIGHT - 2}">namespace ${esc(c.namespace)} (${c.rows.length})</text>`,
    );
    out.push(
      `<text class="hdr" x="${c.x + PADDING.x}" y="${c.y + PADDING.y + 2 * OVERVIEW_ROW_HEIGHT}">${esc(OVERVIEW_HEADER)}</text>`,
    );
    c.rows.forEach((r, i) => {
      const y = c.y + PADDING.y + (i + 3) * OVERVIEW_ROW_HEIGHT;
      const cls = [
        'row',
        r.sourceIpLost ? 'lost' : '',
        r.status === 'broken' ? 's-bad' : r.status === 'degraded' || r.status === 'pending' ? 's-warn' : '',
      ]
        .filter(Boolean)
        .join(' ');
      const title = [
        `${r.kind} ${c.namespace}/${r.name}${r.status ? ` (${r.status})` : ''}`,
        ...(r.sourceIpLost ? ['source IP lost on the way in'] : []),
        ...r.pods,
      ].join('\n');
      const search = `${r.kind} ${c.namespace}/${r.name} ${r.columns.join(' ')}`.toLowerCase();
      out.push(
        `<g class="${cls} node" data-id="${esc(r.id)}" data-search="${esc(search)}"><title>${esc(title)}</title><text x="${c.x + PADDING.x}" y="${y}">${esc(rowText(r))}${r.sourceIpLost ? ' ⚠' : ''}</text></g>`,
      );
    });
    out.push('</g>');
  }
  out.push('</g>');
  return out;
}

const LEGEND_HEIGHT = 74;

function legend(layout: Layout, t: Topology): string {
  const items: string[] = [];
  const swatch = (x: number, cls: string, text: string) =>
    `<g class="node ${cls}"><rect x="${x}" y="28" width="14" height="12" rx="2"/></g><text x="${x + 20}" y="38">${esc(text)}</text>`;
  items.push(
    swatch(12, 's-ok', 'ready'),
    swatch(80, 's-warn', 'degraded / pending'),
    swatch(220, 's-bad', 'broken / Pod not ready'),
    swatch(390, 's-unknown', 'unknown (not in the input)'),
  );
  items.push(
    '<g class="edge lost"><path d="M560,34 L610,34" marker-end="url(#arrow-lost)"/></g><text x="618" y="38">source IP lost on this hop</text>',
  );
  items.push(
    '<g class="edge notready"><path d="M790,34 L840,34" marker-end="url(#arrow-grey)"/></g><text x="848" y="38">endpoint not ready</text>',
  );
  const scope = t.service ? `Service ${t.service.namespace}/${t.service.name}` : 'every exposure';
  const counts = `${t.nodes.filter((n) => n.kind === 'service').length} Services, ${t.nodes.filter((n) => n.kind === 'pod').length} Pods`;
  const how =
    layout.view === 'detailed'
      ? 'client → address → announcer / BGP next hops → gateway → Service → EndpointSlice → Pods (boxes: namespaces; dashed boxes: Nodes)'
      : 'overview: one card per namespace, one row per Service or gateway; Pods collapsed per Node (hover a row for its Pods); ⚠ = source IP lost';
  return (
    `<g class="legend"><rect class="frame" x="4" y="4" width="${Math.max(980, layout.width - 8)}" height="${LEGEND_HEIGHT - 10}" rx="6"/>` +
    `<text class="h" x="12" y="20">exposectl topology: ${esc(scope)} (${counts})</text>${items.join('')}<text x="12" y="58">${esc(how)}</text></g>`
  );
}

export function svgMarkup(layout: Layout, t: Topology, attrs = ''): string {
  const width = Math.ceil(Math.max(layout.width, 990));
  const height = Math.ceil(layout.height + LEGEND_HEIGHT);
  const marker = (id: string, color: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`;
  const body = layout.view === 'detailed' ? detailedBody(layout, LEGEND_HEIGHT) : overviewBody(layout, LEGEND_HEIGHT);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="topology" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"${attrs}>`,
    `<style>${STYLE}</style>`,
    `<defs>${marker('arrow', '#607d8b')}${marker('arrow-lost', '#c62828')}${marker('arrow-grey', '#9e9e9e')}</defs>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    legend(layout, t),
    ...body,
    '</svg>',
  ].join('\n');
}

export async function renderSvg(t: Topology): Promise<string> {
  const layout = await layoutTopology(t);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svgMarkup(layout, t)}\n`;
}
