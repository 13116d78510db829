// Values in the Service fields exposectl reads (ports, protocols, addresses) that the API
// server would reject. From a live cluster they cannot occur; in a manifest they mean the
// Service is never created, so they are reported rather than skipped. Pure.
import { isIP } from 'node:net';
import type { Service } from '../model/snapshot.js';
import { arr, rec, specOf } from './context.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** One rejected value: where it is, the raw value as written, and what it should be. */
export interface InvalidValue {
  /** The field path, e.g. `spec.ports[0].protocol`. */
  field: string;
  /** The raw value, strings quoted so "80" differs from 80. */
  value: string;
  /** Why the API server rejects it (`is not a port number (1-65535)`). */
  problem: string;
  /** What an accepted value looks like. */
  expected: string;
}

/** How a value from a manifest is shown: strings quoted, so "30080" differs from 30080. */
function shownValue(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

function isPort(v: unknown, min = 1): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 65535;
}

/** IANA_SVC_NAME as the API server validates a named targetPort: 1-15 of [a-z0-9-], a letter, no "--", no hyphen at either end. */
export function isPortName(v: unknown): boolean {
  return (
    typeof v === 'string' && /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(v) && /[a-z]/.test(v) && !v.includes('--')
  );
}

/** A nodePort value given but not a port number (99999, -1, 0, "30080", 1.5); in-range checks are the analyzer's. */
export function invalidNodePort(v: unknown): boolean {
  return v !== undefined && v !== null && !isPort(v);
}

const PORT = { problem: 'is not a port number (1-65535)', expected: 'an integer from 1 to 65535, not a string' };
const IP = {
  problem: 'is not an IP address',
  expected: 'an IPv4 or IPv6 address (e.g. 192.0.2.10 or 2001:db8::10), or no value',
};

/** What the API server would reject in the Service's ports, protocols and addresses, in field order. */
export function invalidServiceFields(svc: Service): InvalidValue[] {
  const spec = specOf(svc);
  const out: InvalidValue[] = [];
  const add = (field: string, v: unknown, what: { problem: string; expected: string }) =>
    out.push({ field, value: shownValue(v), ...what });
  arr(spec.ports)
    .map(rec)
    .forEach((p, i) => {
      const at = `spec.ports[${i}]`;
      if (!isPort(p.port)) add(`${at}.port`, p.port, PORT);
      if (invalidNodePort(p.nodePort)) add(`${at}.nodePort`, p.nodePort, PORT);
      const tp = p.targetPort;
      if (tp !== undefined && tp !== null && !isPort(tp) && !isPortName(tp)) {
        add(`${at}.targetPort`, tp, {
          problem: 'is neither a port number nor a port name',
          expected:
            'a port number (1-65535) or the name of a container port (IANA_SVC_NAME: up to 15 lowercase letters, digits and single hyphens, with a letter)',
        });
      }
      if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol as string)) {
        add(`${at}.protocol`, p.protocol, {
          problem: 'is not TCP, UDP or SCTP',
          expected: 'TCP, UDP or SCTP (upper case), or no value for TCP',
        });
      }
    });
  const ip = (field: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '' && !(typeof v === 'string' && isIP(v) !== 0)) add(field, v, IP);
  };
  ip('spec.loadBalancerIP', spec.loadBalancerIP);
  for (const [i, v] of arr(spec.externalIPs).entries()) ip(`spec.externalIPs[${i}]`, v);
  if (spec.clusterIP !== 'None') ip('spec.clusterIP', spec.clusterIP);
  return out;
}

/** The same, one line each (`spec.ports[0].port "80" is not a port number (1-65535)`). */
export function invalidServiceValues(svc: Service): string[] {
  return invalidServiceFields(svc).map((v) => `${v.field} ${v.value} ${v.problem}`);
}
