// `exposectl list` as a kubectl-style table.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Exposure, ExposurePort, ExposureStatus } from '../model/exposure.js';
import type { RenderContext } from './context.js';
import { type CellInput, renderTable } from './table.js';

const HEADERS = ['NAMESPACE', 'NAME', 'MODE', 'ADDRESSES', 'PORTS', 'ENDPOINTS', 'SOURCE-IP', 'STATUS'];
const WIDE_HEADERS = [...HEADERS, 'STICKY', 'IMPLEMENTATION', 'SERVICE', 'DNS-NAMES', 'REASON'];

export function renderExposureTable(
  items: readonly Exposure[],
  ctx: RenderContext,
  wide = false,
  noHeaders = false,
): string {
  if (items.length === 0) return '';
  const paint = new Chalk({ level: ctx.color ? 1 : 0 });
  const rows = items.map((e): CellInput[] => {
    const row: CellInput[] = [
      e.namespace ?? '<none>',
      exposureName(e),
      e.mode,
      // A terminal is for reading: a long list of addresses is cut as kubectl cuts endpoints.
      formatAddresses(e, ctx.tty ? MAX_ADDRESSES_SHOWN : Infinity),
      formatPorts(e.ports),
      e.endpoints ? `${e.endpoints.ready}/${e.endpoints.total}` : '<unknown>',
      e.sourceIP,
      { text: e.status, paint: statusPaint(paint, e.status) },
    ];
    if (wide) {
      row.push(
        e.sticky ?? '<unknown>',
        e.implementation ?? '<unknown>',
        e.service ? `${e.service.namespace}/${e.service.name}` : '<none>',
        (e.dnsNames ?? []).join(',') || '<none>',
        e.reason ?? '',
      );
    }
    return row;
  });
  // minWidth: kubectl's tabwriter, which matters without headers (`l2` is padded as `MODE` would be).
  return renderTable(wide ? WIDE_HEADERS : HEADERS, rows, { noHeaders, minWidth: 3 });
}

/** `<kind>/<name>` as kubectl's NAME column and `-o name` write it (no namespace, as kubectl). */
export function exposureName(e: Pick<Exposure, 'kind' | 'name'>): string {
  return `${e.kind.toLowerCase()}/${e.name}`;
}

/** Addresses shown on a terminal before "+ N more..." (kubectl shows three endpoints). */
export const MAX_ADDRESSES_SHOWN = 3;

const LOAD_BALANCER_MODES: ReadonlySet<string> = new Set(['l2', 'bgp', 'loadbalancer']);

/** ADDRESSES: all of them, or the first `max` and how many more; `<pending>` while a LoadBalancer waits for one, as kubectl's EXTERNAL-IP. */
export function formatAddresses(e: Pick<Exposure, 'addresses' | 'status' | 'kind' | 'mode'>, max = Infinity): string {
  if (e.addresses.length === 0)
    return e.status === 'pending' || (e.kind === 'Service' && LOAD_BALANCER_MODES.has(e.mode)) ? '<pending>' : '<none>';
  if (e.addresses.length <= max) return e.addresses.join(',');
  return `${e.addresses.slice(0, max).join(',')} + ${e.addresses.length - max} more...`;
}

/** kubectl's PORT(S) notation: 80:30080/TCP,443/TCP. */
export function formatPorts(ports: readonly ExposurePort[]): string {
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',');
}

function statusPaint(paint: ChalkInstance, status: ExposureStatus): (text: string) => string {
  switch (status) {
    case 'ready':
      return paint.green;
    case 'pending':
    case 'degraded':
      return paint.yellow;
    case 'broken':
      return paint.red;
    default:
      return paint.dim;
  }
}
