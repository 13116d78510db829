// The document `probe arp` returns (-o json) and its text rendering. Pure. Here, not in
// probes/arp/: it holds the analyzers' findings, and a probe returns facts only.
import type { Finding } from '../model/finding.js';
import type { Announcer, NodeMac } from '../probes/arp/nodes.js';
import type { ArpProbeResult } from '../probes/arp/run.js';
import type { ArpWatchEvent, ArpWatchSummary } from '../probes/arp/watch.js';
import { probeFindingsText } from '../render/probe-findings.js';
import { renderTable } from '../render/table.js';

export interface ArpProbeReport {
  apiVersion: 'exposectl.dev/v1alpha1';
  kind: 'ArpProbe';
  ip: string;
  interface: string;
  netns?: string;
  service: { namespace: string; name: string } | null;
  requests: number;
  timeoutMs: number;
  durationMs: number;
  startedAt: string;
  tool: string;
  /** Every MAC that answered, with the node it belongs to (null: no known node). */
  replies: Array<{ mac: string; node: string | null; count: number; firstMs: number; lastMs: number }>;
  /** Who the implementation reports as announcer; null for a bare --ip without a matching Service. */
  announcer: Announcer | null;
  /** The nodes' addresses and the MACs that answered for them (how MACs were mapped to nodes). */
  nodes: NodeMac[];
  findings: Finding[];
}

export function buildArpReport(
  r: ArpProbeResult,
  m: {
    service: { namespace: string; name: string } | null;
    announcer: Announcer | null;
    nodes: NodeMac[];
    nodeOfMac: Record<string, string>;
    findings: Finding[];
  },
): ArpProbeReport {
  return {
    apiVersion: 'exposectl.dev/v1alpha1',
    kind: 'ArpProbe',
    ip: r.ip,
    interface: r.interface,
    ...(r.netns ? { netns: r.netns } : {}),
    service: m.service,
    requests: r.requests,
    timeoutMs: r.timeoutMs,
    durationMs: r.durationMs,
    startedAt: r.startedAt,
    tool: r.tool,
    replies: r.replies.map((x) => ({
      mac: x.mac,
      node: m.nodeOfMac[x.mac] ?? null,
      count: x.count,
      firstMs: x.firstMs,
      lastMs: x.lastMs,
    })),
    announcer: m.announcer,
    nodes: m.nodes,
    findings: m.findings,
  };
}

export function renderArpReport(r: ArpProbeReport): string {
  const out: string[] = [];
  const subject = r.service ? `Service ${r.service.namespace}/${r.service.name} (${r.ip})` : r.ip;
  out.push(
    `ARP for ${subject} on ${r.interface}${r.netns ? ` (netns ${r.netns})` : ''}: ${r.requests} request(s), ${r.durationMs} ms, ${r.replies.length === 0 ? 'no reply' : `${r.replies.length} MAC(s) answered`}\n`,
  );
  if (r.announcer && (r.announcer.node || r.announcer.mac)) {
    out.push(
      `Announcer reported by ${r.announcer.implementation ?? 'the cluster'}: ${r.announcer.node ? `node ${r.announcer.node}` : ''}${r.announcer.mac ? ` MAC ${r.announcer.mac}` : ''} (${r.announcer.source})\n`,
    );
  } else if (r.service) {
    out.push(`Announcer: ${r.announcer?.implementation ?? 'unknown implementation'}, no holder reported\n`);
  }
  if (r.replies.length > 0) {
    out.push('\n');
    out.push(
      renderTable(
        ['MAC', 'NODE', 'REPLIES', 'FIRST', 'LAST'],
        r.replies.map((x) => [x.mac, x.node ?? '<unknown>', String(x.count), `${x.firstMs}ms`, `${x.lastMs}ms`]),
      ),
    );
  }
  const asked = r.nodes.filter((n) => r.replies.some((x) => x.node === null) || n.macs.length > 0);
  if (asked.length > 0) {
    out.push(
      `\nNode MACs (ARP for each node's address): ${asked.map((n) => `${n.node} ${n.address} ${n.macs.length > 0 ? n.macs.join('+') : 'no reply'}`).join(', ')}\n`,
    );
  }
  out.push('\n');
  out.push(probeFindingsText(r.findings));
  return out.join('');
}

/** One line per watch event, for a terminal or a log. */
export function renderWatchEvent(e: ArpWatchEvent, nodeOfMac: Record<string, string>): string {
  const who = (m: string) => (nodeOfMac[m] ? `${m} (node ${nodeOfMac[m]})` : m);
  const many = (ms: string[]) => (ms.length === 0 ? 'nobody' : ms.map(who).join(' + '));
  switch (e.type) {
    case 'holder':
      if (e.from.length === 0)
        return `${e.at}  answered by ${many(e.to)}${e.to.length > 1 ? '  [multiple replies]' : ''}`;
      return `${e.at}  holder changed: ${many(e.from)} -> ${many(e.to)}${e.failoverMs !== null ? `  failover ${e.failoverMs} ms (last reply of the old holder ${e.lastFromAt}, first of the new ${e.firstToAt})` : ''}${e.gratuitousAt ? `, gratuitous ARP at ${e.gratuitousAt}` : ''}${e.to.length > 1 ? '  [multiple replies]' : ''}`;
    case 'no-reply':
      return `${e.at}  no reply (last reply from ${many(e.from)} at ${e.lastReplyAt ?? '?'})`;
    case 'gratuitous':
      return `${e.at}  gratuitous ARP ${e.op} from ${who(e.mac)}`;
  }
}

export interface ArpWatchReport extends ArpWatchSummary {
  apiVersion: 'exposectl.dev/v1alpha1';
  kind: 'ArpWatch';
  service: { namespace: string; name: string } | null;
  nodeOfMac: Record<string, string>;
}

export function renderWatchSummary(s: ArpWatchReport): string {
  const who = (m: string) => (s.nodeOfMac[m] ? `${m} (node ${s.nodeOfMac[m]})` : m);
  const lines = [
    `Watched ${s.ip} on ${s.interface} from ${s.startedAt} to ${s.endedAt}: ${s.rounds} request(s), ${s.answeredRounds} answered.`,
    `Holder at the end: ${s.holders.length > 0 ? s.holders.map(who).join(' + ') : 'nobody'}.`,
    `Failovers: ${s.failovers.length === 0 ? 'none' : s.failovers.map((f) => `${f.from.map(who).join(' + ') || 'nobody'} -> ${f.to.map(who).join(' + ')} in ${f.failoverMs} ms`).join('; ')}.`,
    s.gratuitousListened
      ? `Gratuitous ARP: ${
          s.gratuitous.length === 0
            ? 'none'
            : s.gratuitous
                .slice(0, 10)
                .map((g) => `${g.op} from ${who(g.mac)} at ${g.at}`)
                .join('; ')
        }${s.gratuitous.length > 10 ? `; and ${s.gratuitous.length - 10} more` : ''}.`
      : 'Gratuitous ARP: not listened for (tcpdump missing or not permitted).',
  ];
  return `${lines.join('\n')}\n`;
}
