// Values in the Service fields exposectl reads (ports, protocols, addresses) that the API
// server would reject. From a live cluster they cannot occur; in a manifest they mean the
// Service is never created, so they are reported rather than skipped. Pure.
import { isIP } from 'node:net';
import type { Service } from '../model/snapshot.js';
import { arr, rec, specOf } from './context.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** How a value from a manifest is shown: strings quoted, so "30080" differs from 30080. */
function shownValue(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function isPort(v: unknown, min = 1): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 65535;
}

/** A nodePort value given but not a port number (99999, -1, 0, "30080", 1.5); in-range checks are the analyzer's. */
export function invalidNodePort(v: unknown): boolean {
  return v !== undefined && v !== null && !isPort(v);
}

/** What the API server would reject in the Service's ports, protocols and addresses, one line each. */
export function invalidServiceValues(svc: Service): string[] {
  const spec = specOf(svc);
  const out: string[] = [];
  arr(spec['ports']).map(rec).forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    if (!isPort(p['port'])) out.push(`${at}.port ${shownValue(p['port'])} is not a port number (1-65535)`);
    if (invalidNodePort(p['nodePort'])) out.push(`${at}.nodePort ${shownValue(p['nodePort'])} is not a port number (1-65535)`);
    const tp = p['targetPort'];
    if (tp !== undefined && tp !== null && !isPort(tp) && !(typeof tp === 'string' && /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(tp) && /[a-z]/.test(tp))) {
      out.push(`${at}.targetPort ${shownValue(tp)} is neither a port number nor a port name`);
    }
    if (p['protocol'] !== undefined && !PROTOCOLS.includes(p['protocol'] as string)) out.push(`${at}.protocol ${shownValue(p['protocol'])} is not TCP, UDP or SCTP`);
  });
  const ip = (field: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '' && !(typeof v === 'string' && isIP(v) !== 0)) out.push(`${field} ${shownValue(v)} is not an IP address`);
  };
  ip('spec.loadBalancerIP', spec['loadBalancerIP']);
  arr(spec['externalIPs']).forEach((v, i) => ip(`spec.externalIPs[${i}]`, v));
  if (spec['clusterIP'] !== 'None') ip('spec.clusterIP', spec['clusterIP']);
  return out;
}
