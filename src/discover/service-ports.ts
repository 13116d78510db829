// A Service's ports and external IPs as typed facts, for discovery code that follows a
// path through a Service (paths.ts) and for the analyzers (re-exported by analyzers/util.ts). Pure.
import type { Service } from '../model/snapshot.js';
import { arr, portNumber, rec, specOf, str } from './context.js';

export interface PortSpec { name?: string; port: number; protocol: string; targetPort?: number | string; nodePort?: number }

export function portsOf(svc: Service): PortSpec[] {
  const out: PortSpec[] = [];
  for (const p of arr(specOf(svc)['ports']).map(rec)) {
    const port = portNumber(p['port']);
    if (port === undefined) continue;
    const tp = portNumber(p['targetPort']) ?? (typeof p['targetPort'] === 'string' && p['targetPort'] !== '' ? p['targetPort'] as string : undefined);
    const np = portNumber(p['nodePort']);
    out.push({ port, protocol: str(p['protocol']) || 'TCP', ...(str(p['name']) ? { name: str(p['name'])! } : {}), ...(tp !== undefined ? { targetPort: tp } : {}), ...(np !== undefined ? { nodePort: np } : {}) });
  }
  return out;
}

export const externalIPsOf = (svc: Service): string[] =>
  arr(specOf(svc)['externalIPs']).filter((a): a is string => typeof a === 'string' && a !== '');
