// The lab's cluster DNS records, as the Kubernetes DNS specification has them
// (https://github.com/kubernetes/dns/blob/master/docs/specification.md, section 2.3/2.4) for
// what exposectl's configs resolve: A records for every Service (its ClusterIP; a headless
// Service's ready endpoints, each also under a name of its own), and SRV records
// `_PORT._PROTO.SVC.NS.svc.cluster.local` for every named port: a ClusterIP Service's point at
// the Service's name and port, a headless Service's at each ready endpoint's name and its
// EndpointSlice port (what HAProxy's sticky `server-template ... _http._tcp.NAME` reads).
// The lab kubelet writes the zone as JSON; scripts/lab/dns.ts answers from it. Pure.

export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  /** The target's name, itself an A record of the zone. */
  target: string;
}

export interface Zone {
  /** Name (lower case, no trailing dot) to addresses. */
  a: Record<string, string[]>;
  srv: Record<string, SrvRecord[]>;
}

export interface ZonePort {
  name?: string;
  port: number;
  protocol?: string;
}

export interface ZoneService {
  namespace: string;
  name: string;
  clusterIP?: string;
  ports?: ZonePort[];
  /** A headless Service's EndpointSlices: their ports and READY endpoints. */
  slices?: Array<{ ports: ZonePort[]; endpoints: Array<{ address: string; hostname?: string }> }>;
}

const DOMAIN = 'svc.cluster.local';

/** The name of an endpoint without a hostname: its address with dashes, as CoreDNS does. */
export const endpointLabel = (e: { address: string; hostname?: string }) =>
  e.hostname ?? e.address.replace(/[.:]/g, '-');

const srvName = (p: ZonePort, fqdn: string) => `_${p.name}._${p.protocol ?? 'TCP'}.${fqdn}`.toLowerCase();

export function clusterZone(services: readonly ZoneService[]): Zone {
  const zone: Zone = { a: { localhost: ['127.0.0.1'] }, srv: {} };
  const addA = (name: string, address: string) => {
    const list = (zone.a[name] ??= []);
    if (!list.includes(address)) list.push(address);
  };
  const addSrv = (name: string, r: Omit<SrvRecord, 'weight' | 'priority'>) => {
    (zone.srv[name] ??= []).push({ priority: 0, weight: 100, ...r });
  };
  for (const s of services) {
    const fqdn = `${s.name}.${s.namespace}.${DOMAIN}`.toLowerCase();
    // The short forms a Pod's search path would complete (NAME.NS, NAME.NS.svc).
    const names = [fqdn, `${s.name}.${s.namespace}.svc`, `${s.name}.${s.namespace}`].map((n) => n.toLowerCase());
    if (s.clusterIP === 'None') {
      for (const slice of s.slices ?? [])
        for (const e of slice.endpoints) {
          for (const n of names) addA(n, e.address);
          const target = `${endpointLabel(e)}.${fqdn}`.toLowerCase();
          addA(target, e.address);
          for (const p of slice.ports) if (p.name) addSrv(srvName(p, fqdn), { port: p.port, target });
        }
    } else if (s.clusterIP) {
      for (const n of names) addA(n, s.clusterIP);
      for (const p of s.ports ?? []) if (p.name) addSrv(srvName(p, fqdn), { port: p.port, target: fqdn });
    }
  }
  // CoreDNS spreads the weight over a name's records (100 / count): equal shares.
  for (const records of Object.values(zone.srv)) {
    const w = Math.max(1, Math.floor(100 / records.length));
    for (const r of records) r.weight = w;
  }
  return zone;
}
