// One EndpointSlice as typed facts: its ports and each endpoint (Pod reference, addresses,
// conditions as the API defines them, node). The topology draws them and the source-ip
// probe waits on them. Pure.
import { arr, nameOf, rec, str } from './context.js';

export interface SliceEndpointFact {
  /** The Pod it points at (targetRef kind Pod), when it points at one. */
  pod?: { namespace?: string; name: string };
  addresses: string[];
  /** conditions.ready: ready unless false. */
  ready: boolean;
  /** conditions.terminating: only when true. */
  terminating: boolean;
  nodeName?: string;
}

export interface SlicePortFact {
  name?: string;
  port: unknown;
  protocol: string;
}

export interface SliceFact {
  name: string;
  /** IPv4 unless written otherwise. */
  addressType: string;
  ports: SlicePortFact[];
  endpoints: SliceEndpointFact[];
}

/** Reads one EndpointSlice (of the snapshot, or read fresh). */
export function readSlice(sl: { metadata?: unknown; [k: string]: unknown }): SliceFact {
  return {
    name: nameOf(sl),
    addressType: str(sl.addressType) ?? 'IPv4',
    ports: arr(sl.ports)
      .map(rec)
      .map((p) => {
        const name = str(p.name);
        return { ...(name ? { name } : {}), port: p.port, protocol: str(p.protocol) ?? 'TCP' };
      }),
    endpoints: arr(sl.endpoints)
      .map(rec)
      .map((ep) => {
        const ref = rec(ep.targetRef);
        const podName = ref.kind === 'Pod' ? str(ref.name) : undefined;
        const podNs = str(ref.namespace);
        const conditions = rec(ep.conditions);
        const nodeName = str(ep.nodeName);
        return {
          ...(podName ? { pod: { ...(podNs ? { namespace: podNs } : {}), name: podName } } : {}),
          addresses: arr(ep.addresses).filter((a): a is string => typeof a === 'string'),
          ready: conditions.ready !== false,
          terminating: conditions.terminating === true,
          ...(nodeName ? { nodeName } : {}),
        };
      }),
  };
}
