// `describe SERVICE` as kubectl prints a description: "Field:  value" lines, sections
// indented by two spaces, <none> for empty values. Colour only when allowed.
import { Chalk } from 'chalk';
import type { ServiceDescription } from '../../model/service-description.js';
import { appendAll } from '../../util/arrays.js';
import { terminalSafe } from '../../util/terminal-text.js';
import type { RenderContext } from '../context.js';
import { formatAddresses, formatPorts } from '../exposure-table.js';
import { renderTable } from '../table.js';

const LABEL_WIDTH = 26;

export function renderDescription(
  unsafe: ServiceDescription,
  ctx: Pick<RenderContext, 'color'> = { color: false },
): string {
  const d = terminalSafe(unsafe);
  const paint = new Chalk({ level: ctx.color ? 1 : 0 });
  const out: string[] = [];
  const field = (label: string, value: string) => out.push(`${`${label}:`.padEnd(LABEL_WIDTH)}${value}`);
  const section = (label: string) => out.push(`${label}:`);
  const indent = (text: string, n = 2) =>
    text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => `${' '.repeat(n)}${l}`);

  field('Name', d.service.name);
  field('Namespace', d.service.namespace);
  field('Type', d.type);
  field(
    'Selector',
    Object.entries(d.selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(',') || '<none>',
  );
  field('IPs', d.clusterIPs.join(',') || '<none>');
  if (d.ports.length === 0) field('Ports', '<none>');
  for (const [i, p] of d.ports.entries()) {
    const text = `${p.name ?? '<unset>'}  ${p.port ?? '?'}/${p.protocol}${p.targetPort !== undefined ? ` -> ${p.targetPort}` : ''}${p.nodePort ? `  (nodePort ${p.nodePort})` : ''}`;
    if (i === 0) field('Ports', text);
    else out.push(`${' '.repeat(LABEL_WIDTH)}${text}`);
  }
  if (d.externalTrafficPolicy !== null) {
    const kept = d.externalTrafficPolicy === 'Local';
    field(
      'External Traffic Policy',
      `${d.externalTrafficPolicy} (${kept ? paint.green('client source IP kept') : paint.yellow('nodes SNAT: client source IP lost')})`,
    );
  }
  field('Session Affinity', d.sessionAffinity);

  section('Exposures');
  if (d.exposures.length === 0) out.push('  <none> (not exposed outside the cluster)');
  else {
    const rows = d.exposures.map((e) => [
      `${e.kind.toLowerCase()}/${e.name}`,
      e.mode,
      e.implementation ?? '<unknown>',
      formatAddresses(e),
      formatPorts(e.ports),
      e.sourceIP,
      {
        text: e.status,
        paint:
          e.status === 'ready'
            ? paint.green
            : e.status === 'broken'
              ? paint.red
              : e.status === 'unknown'
                ? paint.dim
                : paint.yellow,
      },
    ]);
    appendAll(
      out,
      indent(renderTable(['OBJECT', 'MODE', 'IMPLEMENTATION', 'ADDRESSES', 'PORTS', 'SOURCE-IP', 'STATUS'], rows)),
    );
    for (const e of d.exposures) if (e.reason) out.push(`  ${e.kind.toLowerCase()}/${e.name}: ${e.reason}`);
  }

  if (d.dnsNames && d.dnsNames.length > 0) {
    section('DNS Names');
    for (const n of d.dnsNames) out.push(`  ${n.name} -> ${n.addresses.join(', ') || '<none>'}  (from ${n.from})`);
  }

  section('Announcer');
  if (d.hops.length === 0) out.push('  <none>');
  for (const h of d.hops) {
    const who = h.node
      ? `${h.node}${h.addresses.length > 0 ? ` (${h.addresses.join(', ')})` : ''}${h.interface ? ` on ${h.interface}` : ''}${h.mac ? ` MAC ${h.mac}` : ''}`
      : `<unknown>: ${h.detail ?? 'not in the input'}`;
    out.push(`  ${h.address}  ${h.kind === 'announcer' ? 'answered (ARP/NDP) by' : 'BGP next hop'} ${who}`);
  }

  section('Gateways');
  if (d.gateways.length === 0) out.push('  <none>');
  for (const g of d.gateways) {
    out.push(
      `  ${g.kind} ${g.namespace ? `${g.namespace}/` : ''}${g.name}${g.implementation ? ` (${g.implementation})` : ''}${g.status ? `  ${g.status}` : ''}`,
    );
    for (const v of g.via) out.push(`    via ${v}`);
    for (const r of g.rules) out.push(`    ${r}`);
  }

  section('Affinity');
  if (d.affinity.length === 0) out.push('  <not exposed>');
  for (const a of d.affinity)
    out.push(`  ${a.via}: ${a.sticky === 'broken' ? paint.yellow('broken') : a.sticky}, ${a.detail}`);

  section('Source IP');
  if (d.exposures.length === 0) out.push('  <not exposed>');
  else if (d.sourceIpLost.length === 0) out.push(`  ${paint.green('kept on every hop exposectl can see')}`);
  for (const l of d.sourceIpLost) out.push(`  ${paint.yellow('lost')} at ${l.hop}: ${l.reason}`);

  const ep = d.endpoints;
  field(
    'Endpoints',
    ep ? `${ep.ready}/${ep.total} ready` : d.endpointsByNode.length > 0 ? 'readiness not in the input' : '<none>',
  );
  for (const n of d.endpointsByNode) {
    const ready = n.endpoints.filter((e) => e.ready === true).length;
    out.push(`  ${n.node}  (${ready}/${n.endpoints.length} ready)`);
    for (const e of n.endpoints) {
      const state =
        e.ready === true
          ? paint.green('ready')
          : e.ready === false
            ? paint.red('NOT READY')
            : paint.dim('readiness unknown');
      out.push(
        `    ${e.name}${e.addresses.length > 0 && e.addresses.join(',') !== e.name ? `  ${e.addresses.join(',')}` : ''}  ${state}`,
      );
    }
  }

  section('Findings');
  if (d.findings === null) out.push(`  <not available: ${d.findingsNote ?? 'analyzers not run'}>`);
  else if (d.findings.length === 0) out.push('  <none>');
  else {
    for (const f of d.findings) {
      const sev =
        f.severity === 'error'
          ? paint.red(f.severity)
          : f.severity === 'warning'
            ? paint.yellow(f.severity)
            : f.severity;
      out.push(`  ${sev}  ${f.code}  ${f.subject.kind}/${f.subject.name}: ${f.message}`);
      if (f.fix) out.push(`    fix: ${f.fix}`);
    }
  }
  if (d.findings !== null && d.findingsNote) out.push(`  (${d.findingsNote})`);
  return `${out.join('\n')}\n`;
}
