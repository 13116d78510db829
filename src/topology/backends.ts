// Which Service an exposectl hostNetwork gateway sends
// traffic to, and how a backend edge is labelled. Pure; tolerant of malformed manifests.
import type { ServiceBackend } from '../discover/backends.js';
import { labelsOf, nsOf } from '../discover/context.js';
import type { Workload } from '../model/snapshot.js';

/** The edge label of a backend: what traffic it gets, and the port. */
export function backendLabel(b: ServiceBackend): string {
  const port = b.port.number ?? b.port.name;
  return `${b.match}${port !== undefined ? ` -> :${port}` : ''}`;
}

/** Routes that carry raw TCP/UDP/TLS streams: the backend sees the proxy's address unless it sends PROXY protocol. */
export function isStreamRoute(kind: string): boolean {
  return kind === 'TCPRoute' || kind === 'TLSRoute' || kind === 'UDPRoute';
}

/**
 * The Service an exposectl hostNetwork/hostPort gateway forwards to: `expose --mode
 * hostnetwork` labels what it creates with exposectl.dev/service (and -namespace).
 * Other hostNetwork proxies' targets are in their configuration, which the snapshot
 * does not carry: undefined.
 */
export function workloadTarget(w: Workload): { namespace: string; name: string } | undefined {
  const l = labelsOf(w);
  const name = l['exposectl.dev/service'];
  if (!name) return undefined;
  return { namespace: l['exposectl.dev/service-namespace'] ?? nsOf(w), name };
}
