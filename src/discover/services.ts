// Services and their ports, read once per snapshot: the typed facts the analyzers,
// the probes' comparisons and expose's pre-flight read instead of the raw objects. Pure.
import type { Service } from '../model/snapshot.js';
import { isPlainObject } from '../util/data-shape.js';
import {
  annotationsOf,
  arr,
  type DiscoveryContext,
  defineFacts,
  keyOf,
  labelsOf,
  nameOf,
  nsOf,
  portNumber,
  rec,
  str,
  strMap,
  targetPortOf,
} from './context.js';

export interface ServicePortFact {
  name?: string;
  port: number;
  /** TCP unless the manifest says otherwise (the API server's default). */
  protocol: string;
  targetPort?: number | string;
  nodePort?: number;
}

/** One entry of spec.ports as written, valid or not (what the API server validates). */
export interface DeclaredPort {
  index: number;
  /** The port number when it is one. */
  port?: number;
  protocol: string;
  /** spec.ports[].nodePort exactly as written (a manifest may hold 99999, -1 or "30080"). */
  nodePort: unknown;
  name?: string;
  /** A port number or name, when it is one. */
  targetPort?: number | string;
}

/** One entry of status.loadBalancer.ingress. */
export interface PublishedAddress {
  ip?: string;
  hostname?: string;
  /** VIP or Proxy (Kubernetes 1.30+); unset means VIP. */
  ipMode?: string;
}

/** The spec fields that shape how traffic reaches the Pods, as written (absent when unset). */
export interface TrafficFields {
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  loadBalancerClass?: string;
  loadBalancerSourceRanges?: string[];
  ipFamilyPolicy?: string;
  ipFamilies?: string[];
  allocateLoadBalancerNodePorts?: boolean;
  sessionAffinity?: string;
}

export interface ServiceFact {
  object: Service;
  namespace: string;
  name: string;
  /** namespace/name */
  key: string;
  /** spec.type, ClusterIP when unset. */
  type: string;
  /** spec.externalTrafficPolicy, Cluster when unset. */
  externalTrafficPolicy: string;
  /** The ports with a valid port number. */
  ports: ServicePortFact[];
  declaredPorts: DeclaredPort[];
  selector: Record<string, string>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  externalIPs: string[];
  loadBalancerClass?: string;
  healthCheckNodePort?: number;
  clusterIP?: string;
  /** spec.clusterIPs, else [spec.clusterIP], else []. */
  clusterIPs: string[];
  /** spec.loadBalancerIP (deprecated, still honoured by MetalLB and kube-vip). */
  loadBalancerIP?: string;
  /** status.loadBalancer.ingress, in order. */
  published: PublishedAddress[];
  /** The object carries status.loadBalancer (a live Service does; a manifest usually not). */
  hasLoadBalancerStatus: boolean;
  /** The traffic-shaping spec fields as written (a mirror Service copies them). */
  traffic: TrafficFields;
}

const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');

function trafficFields(spec: Record<string, unknown>): TrafficFields {
  const out: TrafficFields = {};
  // In the order of the API's ServiceSpec, so that a copy reads like the original.
  const text = (
    k: 'externalTrafficPolicy' | 'internalTrafficPolicy' | 'loadBalancerClass' | 'ipFamilyPolicy' | 'sessionAffinity',
  ) => {
    const v = str(spec[k]);
    if (v !== undefined) out[k] = v;
  };
  text('externalTrafficPolicy');
  text('internalTrafficPolicy');
  text('loadBalancerClass');
  if (Array.isArray(spec.loadBalancerSourceRanges))
    out.loadBalancerSourceRanges = strings(spec.loadBalancerSourceRanges);
  text('ipFamilyPolicy');
  if (Array.isArray(spec.ipFamilies)) out.ipFamilies = strings(spec.ipFamilies);
  if (typeof spec.allocateLoadBalancerNodePorts === 'boolean')
    out.allocateLoadBalancerNodePorts = spec.allocateLoadBalancerNodePorts;
  text('sessionAffinity');
  return out;
}

function publishedOf(status: Record<string, unknown>): PublishedAddress[] {
  return arr(rec(status.loadBalancer).ingress)
    .map(rec)
    .map((i) => {
      const ip = str(i.ip);
      const hostname = str(i.hostname);
      const ipMode = str(i.ipMode);
      return { ...(ip ? { ip } : {}), ...(hostname ? { hostname } : {}), ...(ipMode ? { ipMode } : {}) };
    });
}

/** Reads one Service. Pure and cheap; analyzers use the memoized serviceFacts(ctx) instead. */
export function readService(svc: Service): ServiceFact {
  const spec = rec(svc.spec);
  const namespace = nsOf(svc);
  const name = nameOf(svc);
  const declaredPorts: DeclaredPort[] = arr(spec.ports)
    .map(rec)
    .map((p, index) => {
      const port = portNumber(p.port);
      const portName = str(p.name);
      const targetPort = targetPortOf(p.targetPort);
      return {
        index,
        ...(port !== undefined ? { port } : {}),
        protocol: str(p.protocol) || 'TCP',
        nodePort: p.nodePort,
        ...(portName ? { name: portName } : {}),
        ...(targetPort !== undefined ? { targetPort } : {}),
      };
    });
  const ports: ServicePortFact[] = [];
  for (const p of arr(spec.ports).map(rec)) {
    const port = portNumber(p.port);
    if (port === undefined) continue;
    const targetPort = targetPortOf(p.targetPort);
    const nodePort = portNumber(p.nodePort);
    const portName = str(p.name);
    ports.push({
      port,
      protocol: str(p.protocol) || 'TCP',
      ...(portName ? { name: portName } : {}),
      ...(targetPort !== undefined ? { targetPort } : {}),
      ...(nodePort !== undefined ? { nodePort } : {}),
    });
  }
  const loadBalancerClass = str(spec.loadBalancerClass);
  const healthCheckNodePort = portNumber(spec.healthCheckNodePort);
  const clusterIP = str(spec.clusterIP);
  const loadBalancerIP = str(spec.loadBalancerIP);
  return {
    object: svc,
    namespace,
    name,
    key: keyOf(namespace, name),
    type: str(spec.type) ?? 'ClusterIP',
    externalTrafficPolicy: str(spec.externalTrafficPolicy) ?? 'Cluster',
    ports,
    declaredPorts,
    selector: strMap(spec.selector),
    labels: labelsOf(svc),
    annotations: annotationsOf(svc),
    externalIPs: arr(spec.externalIPs).filter((a): a is string => typeof a === 'string' && a !== ''),
    ...(loadBalancerClass ? { loadBalancerClass } : {}),
    ...(healthCheckNodePort !== undefined ? { healthCheckNodePort } : {}),
    ...(clusterIP ? { clusterIP } : {}),
    clusterIPs: strings(spec.clusterIPs).length > 0 ? strings(spec.clusterIPs) : clusterIP ? [clusterIP] : [],
    ...(loadBalancerIP ? { loadBalancerIP } : {}),
    published: publishedOf(rec(svc.status)),
    hasLoadBalancerStatus: isPlainObject(svc.status) && 'loadBalancer' in svc.status,
    traffic: trafficFields(spec),
  };
}

/** The published addresses as clients use them: each entry's IP, else its hostname. */
export const publishedAddresses = (s: ServiceFact): string[] =>
  s.published.map((p) => p.ip ?? p.hostname).filter((x): x is string => !!x);

/** A Service that opens a nodePort on every node: NodePort and LoadBalancer. */
export const opensNodePorts = (s: ServiceFact): boolean => s.type === 'NodePort' || s.type === 'LoadBalancer';

export interface ServiceFacts {
  /** Every Service object read, in input order. */
  all: ServiceFact[];
  /** The last version of each Service (files may hold alternatives; kubectl apply leaves the last), in input order. */
  latest: ServiceFact[];
  of(svc: Service): ServiceFact;
}

export const serviceFacts = defineFacts('services', (ctx: DiscoveryContext): ServiceFacts => {
  const byObject = new Map<Service, ServiceFact>();
  const all = ctx.snapshot.services.map((s) => {
    const f = readService(s);
    byObject.set(s, f);
    return f;
  });
  const byKey = new Map<string, ServiceFact>();
  for (const f of all) {
    byKey.delete(f.key);
    byKey.set(f.key, f);
  }
  return {
    all,
    latest: [...byKey.values()],
    // A Service built outside the snapshot (expose's planned Service) is read on the spot.
    of: (svc) => byObject.get(svc) ?? readService(svc),
  };
});

/** The facts of one Service of the snapshot. */
export function serviceFact(ctx: DiscoveryContext, svc: Service): ServiceFact {
  return serviceFacts(ctx).of(svc);
}
