// Judgement over what `probe reach` saw (the probe only observes): reach/* for each way in
// that refused, timed out, reset, had no route, answered nothing, showed a certificate that
// does not name the host, is out of its validity or untrusted, answered 5xx, failed only
// some of its tries, or spread a ClientIP-sticky client over several Pods (its own answers, or
// the echo Pods of the mirror that --count sends through). Pure; the clock
// is passed in (certificate validity).
import type { Finding } from '../model/finding.js';
import type { ObjectRef } from '../model/kube-object.js';
import type { ReachProbe, ReachResult } from '../model/reach.js';
import { type Code, finding } from './codes.js';
import type { Analyzer, Clock } from './types.js';

const where = (r: ReachResult) => {
  const t = r.target;
  const url = t.scheme === 'tcp' ? `${t.address.includes(':') ? `[${t.address}]` : t.address}:${t.port}` : undefined;
  return `${t.label}${url && !t.label.includes(url) ? ` (${url})` : ''}`;
};

function subjectOf(p: ReachProbe, r: ReachResult): ObjectRef {
  const o = r.target.object;
  if (o) return { kind: o.kind, namespace: o.namespace, name: o.name };
  // A target given by address is about that address, even next to a Service.
  if (p.service && r.target.via !== 'explicit') return { kind: 'Service', ...p.service };
  return { kind: 'Address', namespace: null, name: `${r.target.address}:${r.target.port}` };
}

const tries = (r: ReachResult, n: number) => {
  const total = Object.values(r.outcomes).reduce((a, b) => a + (b ?? 0), 0);
  return total > 1 ? ` in ${n} of ${total} tries` : '';
};

/** Why a node port of a Local-policy Service does not answer, when the snapshot says so. */
function localHint(r: ReachResult): string {
  const t = r.target;
  return t.localEndpoints === 0 && t.node
    ? `; node ${t.node} has no ready endpoint of the Service and externalTrafficPolicy is Local, so kube-proxy drops traffic there (endpoints/local-policy-blackhole)`
    : '';
}

const FIX_LOCAL =
  'Send clients only to nodes with a ready Pod (a load balancer in front that health-checks them), run a Pod on every node, or set spec.externalTrafficPolicy: Cluster (the client IP is then lost).';

export function reachFindings(p: ReachProbe, clock: Clock): Finding[] {
  const out: Finding[] = [];
  const now = clock.now().getTime();
  for (const r of p.results) {
    const add = (code: Code, message: string, fix?: string) => out.push(finding(code, subjectOf(p, r), message, fix));
    const o = r.outcomes;
    const total = Object.values(o).reduce((a, b) => a + (b ?? 0), 0);
    const failed = (o.refused ?? 0) + (o['timed-out'] ?? 0) + (o.reset ?? 0) + (o.unreachable ?? 0) + (o.error ?? 0);
    const connected = o.connected ?? 0;
    // A way in that works some of the time is its own problem; one that never works is named by how it fails.
    if (connected > 0 && failed > 0) {
      add(
        'reach/intermittent',
        `${where(r)} failed in ${failed} of ${total} tries (${Object.entries(o)
          .filter(([k]) => k !== 'connected')
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}) and connected in ${connected}${localHint(r)}.`,
      );
    } else if (connected === 0) {
      const e = r.first.error ? `: ${r.first.error}` : '';
      if (o.refused)
        add(
          'reach/refused',
          p.readyEndpoints === 0 && r.target.via !== 'explicit' && r.target.object?.kind === 'Service'
            ? `${where(r)} refused the connection${tries(r, o.refused)}: the Service has no ready endpoint, and kube-proxy rejects connections to such a Service (endpoints/none-ready).`
            : `${where(r)} refused the connection${tries(r, o.refused)}: nothing listens there, or a firewall rejects it.`,
          p.readyEndpoints === 0 && r.target.via !== 'explicit' && r.target.object?.kind === 'Service'
            ? 'Make a Pod of the Service ready (kubectl get pods -l SELECTOR; kubectl describe pod POD says why not: readiness probe, crash loop, image, scheduling), and check the selector matches the Pods.'
            : undefined,
        );
      else if (o['timed-out'])
        add(
          'reach/timed-out',
          `${where(r)}: no connection within ${p.timeoutMs} ms${tries(r, o['timed-out'])}${localHint(r)}.`,
          localHint(r) ? FIX_LOCAL : undefined,
        );
      else if (o.reset) add('reach/reset', `${where(r)} reset the connection${tries(r, o.reset)}${e}.`);
      else if (o.unreachable) add('reach/unreachable', `${where(r)}: no route to the address from here${e}.`);
      // Anything else before a connection (a host name that does not resolve): it cannot be reached from here either.
      else if (o.error) add('reach/unreachable', `${where(r)}: could not connect${e}.`);
    }
    if (connected > 0 && r.target.scheme !== 'tcp' && Object.keys(r.statuses).length === 0) {
      add(
        'reach/no-answer',
        `${where(r)} accepted the connection but gave no ${r.target.scheme === 'https' && !r.first.tls ? 'TLS handshake' : 'HTTP answer'}${r.first.error ? ` (${r.first.error})` : ''}.`,
      );
    }
    const tls = r.first.tls;
    if (tls) {
      const host = r.target.host?.replace(/:\d+$/, '');
      if (tls.nameMatches === false)
        add(
          'reach/tls-name-mismatch',
          `${where(r)} presents a certificate for ${[tls.subject, ...tls.altNames].filter((n, i, a) => n && a.indexOf(n) === i).join(', ') || 'no name'}, not for ${host}: clients refuse it.`,
        );
      const from = tls.validFrom ? Date.parse(tls.validFrom) : Number.NaN;
      const to = tls.validTo ? Date.parse(tls.validTo) : Number.NaN;
      const outOfDate = to < now || from > now;
      if (outOfDate)
        add(
          'reach/tls-expired',
          `${where(r)} presents a certificate ${to < now ? `that expired on ${tls.validTo}` : `not valid before ${tls.validFrom}`}: clients refuse it.`,
        );
      if (!tls.trusted && !outOfDate && tls.nameMatches !== false)
        add(
          'reach/tls-untrusted',
          `${where(r)} presents a certificate that does not chain to a trusted CA (${tls.trustError ?? 'unknown reason'}; issuer ${tls.issuer ?? 'unknown'}).`,
        );
    }
    const errors = Object.entries(r.statuses).filter(([s]) => Number(s) >= 500);
    if (errors.length > 0)
      add(
        'reach/http-error',
        `${where(r)} answered ${errors.map(([s, n]) => (total > 1 ? `${s} (${n} of ${total})` : s)).join(', ')}: the way in works, the request fails behind it.`,
      );
    const pods = Object.keys(r.pods);
    if (p.sticky && pods.length > 1)
      add(
        'reach/not-sticky',
        `${where(r)}: the Service has sessionAffinity ClientIP, yet ${pods.length} Pods answered one client (${pods.map((x) => `${x} ${r.pods[x]}`).join(', ')}).`,
      );
  }
  // The mirror exposes echo Pods the same way (sessionAffinity copied): a spread there is the exposure's.
  const m = p.mirror;
  const mirrored = m && m.error === null ? Object.keys(m.pods) : [];
  if (p.sticky && p.service && mirrored.length > 1)
    out.push(
      finding(
        'reach/not-sticky',
        { kind: 'Service', ...p.service },
        `the Service has sessionAffinity ClientIP, yet through an echo mirror of its exposure (${m!.mirrors}) ${mirrored.length} Pods answered one client (${mirrored.map((x) => `${x} ${m!.pods[x]}`).join(', ')}).`,
      ),
    );
  return out;
}

export const reachAnalyzer: Analyzer = {
  name: 'reach-probe',
  check: 'reach',
  codes: [
    'reach/refused',
    'reach/timed-out',
    'reach/reset',
    'reach/unreachable',
    'reach/no-answer',
    'reach/intermittent',
    'reach/tls-name-mismatch',
    'reach/tls-expired',
    'reach/tls-untrusted',
    'reach/http-error',
    'reach/not-sticky',
  ],
  inputs: ['reachProbe'],
  description:
    'Every way in that `probe reach` tried connects, answers, shows a valid certificate for its host, and keeps a sticky client on one Pod.',
  analyze(facts, clock) {
    return (facts.probes.reachProbe ?? []).flatMap((p) => reachFindings(p, clock));
  },
};
