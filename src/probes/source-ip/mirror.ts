// The source-IP proof's temporary objects: an echo Pod (agnhost netexec, whose /clientip
// answers with the "ip:port" it saw) exposed the SAME way as the target exposure, without
// touching the user's objects: a Service mirroring the target Service's type, traffic
// policy, load-balancer class and pool annotations; or, for a Service reached through an
// Ingress or an HTTPRoute, a temporary Ingress/HTTPRoute on the same class or parents with
// a host of its own. Everything is labelled as exposectl's. Pure.

import { ingressBackends, routeBackends, sendsTo } from '../../discover/backends.js';
import { annotationsOf, type DiscoveryContext, keyOf, nameOf, nsOf } from '../../discover/context.js';
import { gatewayApiFacts } from '../../discover/gateway-api.js';
import { ingressFactOf } from '../../discover/ingress-facts.js';
import { proxyGateways, resolveTarget } from '../../discover/paths.js';
import { readService } from '../../discover/services.js';
import type { KubeObject } from '../../model/kube-object.js';
import type { Service } from '../../model/snapshot.js';
import { MANAGED_BY, MANAGED_BY_LABEL, SERVICE_LABEL, SERVICE_NAMESPACE_LABEL } from '../../modes/ownership.js';
import { ECHO_IMAGE } from '../names.js';

export { ECHO_IMAGE } from '../names.js';
export const ECHO_PORT = 8080;
/** Marks the objects of one probe run; the echo Service selects its Pod by it. */
export const PROBE_LABEL = 'exposectl.dev/probe';
/** The path agnhost netexec answers with the peer address ("ip:port") it saw. */
export const CLIENT_IP_PATH = '/clientip';
/** netexec's /header?key=K answers the value of request header K: what an L7 proxy forwarded. */
export const HEADER_PATH = '/header';
/** netexec's /hostname answers the Pod's hostname (its name): which echo answered (probe reach --count). */
export const HOSTNAME_PATH = '/hostname';
/** The paths the temporary Ingress/HTTPRoute routes to the echo (Exact: the host is the probe's own anyway). */
const MIRROR_PATHS = [CLIENT_IP_PATH, HEADER_PATH, HOSTNAME_PATH];

export interface EchoOptions {
  /** Unique per run, DNS-label safe (e.g. 6 hex characters). */
  id: string;
  image?: string;
}

interface PlanBase {
  /** The user's Service the proof is about. */
  service: { namespace: string; name: string };
  /** What the mirror reproduces, for the report ("LoadBalancer Service, externalTrafficPolicy Cluster, MetalLB pool lan"). */
  mirrors: string;
  /** Created in this order, deleted in the reverse one. */
  objects: KubeObject[];
  pod: { namespace: string; name: string };
  /** Differences from the target that the user should know (e.g. another address of the same pool). */
  notes: string[];
}

/** Through a Service of the target's type: its LoadBalancer address, or a node's nodePort. */
export interface ServiceMirrorPlan extends PlanBase {
  via: 'service';
  mirror: { name: string; type: 'LoadBalancer' | 'NodePort'; port: number };
}

/** Through the Ingress controller or Gateway of the target's Ingress/HTTPRoute, with a Host of its own. */
export interface L7MirrorPlan extends PlanBase {
  via: 'ingress' | 'httproute';
  /** The temporary Ingress or HTTPRoute whose status (or Gateway's) gives the address. */
  front: { kind: 'Ingress' | 'HTTPRoute'; name: string };
  host: string;
  /** For an HTTPRoute: the Gateway (first parent) and the listener port; for an Ingress, port 80. */
  gateway?: { namespace: string; name: string };
  port: number;
  /** Request headers the front matches on (an HTTPRoute sharing the user's host): the probe sends them. */
  headers?: Record<string, string>;
}

export type EchoPlan =
  | ServiceMirrorPlan
  | L7MirrorPlan
  | { via: 'none'; service: { namespace: string; name: string }; reason: string };

function labels(svc: Service, id: string): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [SERVICE_LABEL]: nameOf(svc),
    [SERVICE_NAMESPACE_LABEL]: nsOf(svc),
    [PROBE_LABEL]: id,
  };
}

/** The echo Pod: agnhost netexec on port 8080, ready once it listens. */
export function echoPod(svc: Service, o: EchoOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `exposectl-echo-${o.id}`, namespace: nsOf(svc), labels: labels(svc, o.id) },
    spec: {
      containers: [
        {
          name: 'echo',
          image: o.image ?? ECHO_IMAGE,
          args: ['netexec', `--http-port=${ECHO_PORT}`],
          ports: [{ name: 'http', containerPort: ECHO_PORT, protocol: 'TCP' }],
          readinessProbe: { tcpSocket: { port: ECHO_PORT }, periodSeconds: 1 },
        },
      ],
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 1,
    },
  } as KubeObject;
}

// Annotations that choose how the address is allocated and announced (kept), except those
// that ask for the target's own address or share it (the mirror needs an address of its own).
const MIRRORED_ANNOTATION_PREFIXES = [
  'metallb.universe.tf/',
  'metallb.io/',
  'kube-vip.io/',
  'io.cilium/',
  'lbipam.cilium.io/',
];
const NOT_MIRRORED =
  /(loadBalancerIPs|allow-shared-ip|ip-allocated-from-pool|vipHost|hwaddr|lb-ipam-ips|lb-ipam-sharing-key|sharing-key|ips)$/i;

/** The target's annotations that the mirror Service carries. */
export function mirroredAnnotations(svc: Service): Record<string, string> {
  return Object.fromEntries(
    Object.entries(annotationsOf(svc)).filter(
      ([k]) => MIRRORED_ANNOTATION_PREFIXES.some((p) => k.startsWith(p)) && !NOT_MIRRORED.test(k),
    ),
  );
}

function tcpPorts(svc: Service): Array<{ name?: string; port: number }> {
  return readService(svc)
    .ports.filter((p) => p.protocol === 'TCP')
    .map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port }));
}

/** A Service like the target (type, policies, class, pool annotations, TCP ports) that selects only the echo Pod. */
export function mirrorService(svc: Service, o: EchoOptions): KubeObject {
  const fact = readService(svc);
  const type = fact.type === 'NodePort' ? 'NodePort' : 'LoadBalancer';
  const annotations = mirroredAnnotations(svc);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: `exposectl-echo-${o.id}`,
      namespace: nsOf(svc),
      labels: labels(svc, o.id),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      type,
      // Type, policies, class, source ranges, families and affinity as the target has them.
      ...fact.traffic,
      selector: { [PROBE_LABEL]: o.id },
      // Same port numbers; nodePorts are left to the API server (the target holds its own).
      ports: tcpPorts(svc).map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        port: p.port,
        targetPort: ECHO_PORT,
        protocol: 'TCP',
      })),
    },
  } as KubeObject;
}

/** A ClusterIP Service in front of the echo Pod, the backend of a temporary Ingress or HTTPRoute. */
export function echoClusterService(svc: Service, o: EchoOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `exposectl-echo-${o.id}`, namespace: nsOf(svc), labels: labels(svc, o.id) },
    spec: {
      type: 'ClusterIP',
      selector: { [PROBE_LABEL]: o.id },
      ports: [{ name: 'http', port: ECHO_PORT, targetPort: ECHO_PORT, protocol: 'TCP' }],
    },
  } as KubeObject;
}

/** The Host the temporary Ingress/HTTPRoute answers for: never one of the user's. */
export function echoHost(o: EchoOptions): string {
  return `exposectl-echo-${o.id}.probe.invalid`;
}

/** The request header that singles out the probe's own requests on a host it shares with the user. */
export const PROBE_HEADER = 'X-Exposectl-Probe';

/**
 * The Host a mirror HTTPRoute can use on a listener: a route attaches only where its
 * hostnames intersect the listener's. No listener hostname: the probe's own; a wildcard
 * (*.example.com): a name of the probe's under it; an exact one: that host itself, shared
 * with the user's routes, so the route also matches the probe's header (`shared`).
 */
export function mirrorRouteHost(
  listenerHostname: string | undefined,
  o: EchoOptions,
): { host: string; shared: boolean } {
  if (!listenerHostname) return { host: echoHost(o), shared: false };
  if (listenerHostname.startsWith('*.'))
    return { host: `exposectl-echo-${o.id}${listenerHostname.slice(1)}`, shared: false };
  return { host: listenerHostname, shared: true };
}

function describeService(svc: Service): string {
  const fact = readService(svc);
  const parts = [`${fact.type} Service`, `externalTrafficPolicy ${fact.externalTrafficPolicy}`];
  if (fact.loadBalancerClass) parts.push(`loadBalancerClass ${fact.loadBalancerClass}`);
  const pools = Object.entries(annotationsOf(svc))
    .filter(([k]) => /address-pool$/.test(k))
    .map(([, v]) => v);
  if (pools.length > 0) parts.push(`pool ${pools.join(', ')}`);
  return parts.join(', ');
}

/**
 * How to prove the target's source-IP behaviour: which mirror to create, or why it cannot
 * be mirrored. The target's own exposure comes first (a LoadBalancer or NodePort Service),
 * then an Ingress or HTTPRoute that sends to it.
 */
export function planSourceIpEcho(ctx: DiscoveryContext, svc: Service, o: EchoOptions): EchoPlan {
  const service = { namespace: nsOf(svc), name: nameOf(svc) };
  const fact = readService(svc);
  const type = fact.type;
  const pod = echoPod(svc, o);
  const podRef = { namespace: nsOf(svc), name: pod.metadata.name! };
  if (type === 'LoadBalancer' || type === 'NodePort') {
    const ports = tcpPorts(svc);
    if (ports.length === 0)
      return {
        via: 'none',
        service,
        reason: `Service ${service.namespace}/${service.name} has no TCP port: the HTTP echo cannot be reached through it`,
      };
    const notes: string[] = [];
    const requested =
      fact.loadBalancerIP ?? Object.entries(annotationsOf(svc)).find(([k]) => /loadBalancerIPs$/.test(k))?.[1];
    if (type === 'LoadBalancer' && requested)
      notes.push(
        `the target asks for ${requested}; the mirror gets another address the same way (same class and pool)`,
      );
    return {
      via: 'service',
      service,
      mirrors: describeService(svc),
      objects: [pod, mirrorService(svc, o)],
      pod: podRef,
      notes,
      mirror: { name: `exposectl-echo-${o.id}`, type, port: ports[0]!.port },
    };
  }
  // A hostNetwork gateway's config (HAProxy, nginx) is the user's: exposectl cannot add a forward to it.
  const gateway = proxyGateways(ctx).find((g) =>
    g.config.forwards.some((f) => resolveTarget(ctx, f.host, f.port, nsOf(g.workload))?.service === svc),
  );
  const ing = ctx.snapshot.ingresses.find((i) => ingressBackends(i).some((b) => sendsTo(b, service)));
  if (ing) {
    const cls = ingressFactOf(ctx, ing).cls;
    const className = cls.via === 'ingressClassName' ? cls.className : null;
    const classAnn = annotationsOf(ing)['kubernetes.io/ingress.class'];
    const host = echoHost(o);
    const backend = echoClusterService(svc, o);
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: `exposectl-echo-${o.id}`,
        namespace: service.namespace,
        labels: labels(svc, o.id),
        ...(classAnn ? { annotations: { 'kubernetes.io/ingress.class': classAnn } } : {}),
      },
      spec: {
        ...(className ? { ingressClassName: className } : {}),
        rules: [
          {
            host,
            http: {
              paths: MIRROR_PATHS.map((path) => ({
                path,
                pathType: 'Exact',
                backend: { service: { name: backend.metadata.name, port: { number: ECHO_PORT } } },
              })),
            },
          },
        ],
      },
    } as KubeObject;
    return {
      via: 'ingress',
      service,
      mirrors: `Ingress class ${className ?? classAnn ?? '(default)'} of Ingress ${service.namespace}/${nameOf(ing)}`,
      objects: [pod, backend, ingress],
      pod: podRef,
      notes: [],
      front: { kind: 'Ingress', name: ingress.metadata.name! },
      host,
      port: 80,
    };
  }
  const route = gatewayApiFacts(ctx).routes.find(
    (r) => r.kind === 'HTTPRoute' && routeBackends(r).some((b) => sendsTo(b, service)),
  );
  if (route) {
    const first = route.parentRefs[0];
    if (!first)
      return {
        via: 'none',
        service,
        reason: `HTTPRoute ${route.namespace}/${route.name} has no Gateway parent to attach a mirror route to`,
      };
    const gwRef = { namespace: first.namespace, name: first.name };
    const listeners = gatewayApiFacts(ctx).gateways.get(keyOf(first.namespace, first.name))?.[0]?.listeners ?? [];
    const listener = listeners.find((l) => (first.sectionName ? l.name === first.sectionName : l.protocol === 'HTTP'));
    const port = first.port ?? listener?.port ?? 80;
    const { host, shared } = mirrorRouteHost(listener?.hostname, o);
    const headers = shared ? { [PROBE_HEADER]: o.id } : undefined;
    const backend = echoClusterService(svc, o);
    const httpRoute = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `exposectl-echo-${o.id}`, namespace: service.namespace, labels: labels(svc, o.id) },
      spec: {
        parentRefs: [{ ...first }],
        hostnames: [host],
        rules: [
          {
            matches: MIRROR_PATHS.map((value) => ({
              path: { type: 'Exact', value },
              ...(headers
                ? { headers: Object.entries(headers).map(([name, v]) => ({ type: 'Exact', name, value: v })) }
                : {}),
            })),
            backendRefs: [{ name: backend.metadata.name, port: ECHO_PORT }],
          },
        ],
      },
    } as KubeObject;
    return {
      via: 'httproute',
      service,
      mirrors: `Gateway ${gwRef.namespace}/${gwRef.name} of HTTPRoute ${route.namespace}/${route.name}`,
      objects: [pod, backend, httpRoute],
      pod: podRef,
      notes: shared
        ? [
            `the listener serves only ${host}: the mirror route shares it, matching only the probe's requests (header ${PROBE_HEADER}: ${o.id})`,
          ]
        : [],
      front: { kind: 'HTTPRoute', name: httpRoute.metadata.name! },
      host,
      gateway: gwRef,
      port,
      ...(headers ? { headers } : {}),
    };
  }
  if (gateway) {
    return {
      via: 'none',
      service,
      reason: `it is reached through the hostNetwork ${gateway.implementation} ${gateway.workload.kind} ${nsOf(gateway.workload)}/${nameOf(gateway.workload)}, whose config (ConfigMap ${nsOf(gateway.configMap)}/${nameOf(gateway.configMap)}) exposectl does not own: a mirror would need a forward of its own there`,
    };
  }
  if (fact.externalIPs.length > 0) {
    return {
      via: 'none',
      service,
      reason: 'it is exposed with externalIPs: a mirror Service on the same address and ports would take its traffic',
    };
  }
  return {
    via: 'none',
    service,
    reason: `Service ${service.namespace}/${service.name} (${type}) is not reached from outside the cluster: no LoadBalancer or NodePort, Ingress or HTTPRoute leads to it`,
  };
}
