// Text rendering of `probe endpoints`. Pure.

import type { EndpointsProbeReport } from '../model/endpoints-report.js';
import type { Finding } from '../model/finding.js';
import { probeFindingsText } from './probe-findings.js';
import { renderTable } from './table.js';

export function renderEndpointsReport(r: EndpointsProbeReport, findings: Finding[]): string {
  const out: string[] = [];
  out.push(
    `Service ${r.service.namespace}/${r.service.name}: ${r.type}${r.externalTrafficPolicy ? `, externalTrafficPolicy ${r.externalTrafficPolicy}` : ''}${r.healthCheckNodePort ? `, healthCheckNodePort ${r.healthCheckNodePort}` : ''}\n`,
  );
  out.push(
    `Endpoints: ${r.endpoints.ready}/${r.endpoints.total} ready (from ${r.from === 'none' ? 'nothing: no EndpointSlices or Pods in the input' : r.from})${r.unassigned.ready + r.unassigned.notReady > 0 ? `, ${r.unassigned.ready + r.unassigned.notReady} without a node` : ''}\n\n`,
  );
  const hz = r.healthzProbed;
  const headers = ['NODE', 'ADDRESS', 'READY', 'NOT-READY', 'TRAFFIC', ...(hz ? ['HEALTHZ', 'LOCAL-ENDPOINTS'] : [])];
  const rows = r.nodes.map((n) => [
    n.node + (n.nodeReady === false ? ' (NotReady)' : ''),
    n.address ?? '<none>',
    String(n.ready),
    String(n.notReady),
    !n.receivesTraffic
      ? '-'
      : n.dropsTraffic
        ? 'DROPPED'
        : r.externalTrafficPolicy === 'Local'
          ? 'served locally'
          : 'forwarded',
    ...(hz
      ? [
          n.healthz
            ? n.healthz.status !== null
              ? String(n.healthz.status)
              : `<${n.healthz.error ?? 'no answer'}>`
            : '-',
          n.healthz?.localEndpoints !== null && n.healthz?.localEndpoints !== undefined
            ? `${n.healthz.localEndpoints}${n.healthz.agrees === false ? ` (slices say ${n.ready})` : ''}`
            : '-',
        ]
      : []),
  ]);
  out.push(
    rows.length > 0 ? renderTable(headers, rows) : 'No nodes known (give Node objects with -f, or read the cluster).\n',
  );
  if (r.externalTrafficPolicy === 'Local' && r.blackholeNodes.length > 0)
    out.push(
      `\nNodes that drop external traffic (Local policy, no local ready endpoint): ${r.blackholeNodes.join(', ')}\n`,
    );
  const unannounced = r.receivers?.known === false && !r.healthzProbed;
  if (r.externalTrafficPolicy === 'Local' && unannounced) {
    const without = r.nodes.filter((n) => n.ready === 0).map((n) => n.node);
    out.push(
      `\nWho receives the address is not known (${r.receivers?.rule}).${without.length > 0 ? ` Nodes without a local ready endpoint drop what reaches them: ${without.join(', ')}.` : ''} Run with --healthz to ask kube-proxy on each node.\n`,
    );
  }
  if (r.healthzMismatches.length > 0)
    out.push(`Healthz disagrees with the EndpointSlices on: ${r.healthzMismatches.join(', ')}\n`);
  out.push('\n');
  out.push(probeFindingsText(findings));
  return out.join('');
}
