// --sticky where a proxy, not kube-proxy, picks the Pod (ingress, gateway): the proxy's
// own stickiness. Service sessionAffinity has no effect there, because ingress
// controllers and Gateway API implementations send to the endpoints directly (the
// finding affinity/bypassed-by-proxy). Pure functions.
import type { KubeObject } from '../model/kube-object.js';
import { stickyTimeoutOf, svcName, svcNamespace } from './common.js';
import { IN_PLACE_ANNOTATION } from './ownership.js';
import type { ExposeFacts, ExposeSpec, Problem } from './spec.js';

/** The cookie that carries the session: one per Service, so two apps never share one. */
export function stickyCookieName(spec: ExposeSpec): string {
  return `${svcName(spec)}-session`;
}

interface ControllerSticky {
  /** Human name for messages. */
  name: string;
  /** The annotations belong on the Ingress, or on the backend Service (Traefik reads them there). */
  on: 'ingress' | 'service';
  annotations: (cookie: string, timeoutSeconds: number) => Record<string, string>;
}

/** Cookie affinity of the ingress controllers exposectl knows, by IngressClass spec.controller. */
export const INGRESS_STICKY: Record<string, ControllerSticky> = {
  'k8s.io/ingress-nginx': {
    name: 'ingress-nginx',
    on: 'ingress',
    annotations: (cookie, t) => ({
      'nginx.ingress.kubernetes.io/affinity': 'cookie',
      // persistent: scaling does not move clients that already have a Pod.
      'nginx.ingress.kubernetes.io/affinity-mode': 'persistent',
      'nginx.ingress.kubernetes.io/session-cookie-name': cookie,
      'nginx.ingress.kubernetes.io/session-cookie-max-age': String(t),
    }),
  },
  'traefik.io/ingress-controller': {
    name: 'Traefik',
    on: 'service',
    annotations: (cookie, t) => ({
      'traefik.ingress.kubernetes.io/service.sticky.cookie': 'true',
      'traefik.ingress.kubernetes.io/service.sticky.cookie.name': cookie,
      'traefik.ingress.kubernetes.io/service.sticky.cookie.maxage': String(t),
    }),
  },
};

/** The controller of the IngressClass the Ingress will use, when the facts tell. */
export function ingressController(
  _spec: ExposeSpec,
  facts: ExposeFacts,
  className: string | undefined,
): string | undefined {
  if (className === undefined) return undefined;
  const cls = (facts.ingressClasses ?? []).find((c) => c.metadata.name === className);
  return cls?.spec?.controller;
}

export type IngressStickyPlan =
  | { ok: true; controller: ControllerSticky; annotations: Record<string, string> }
  | { ok: false; problem: Problem };

/** How the Ingress's controller keeps a client on one Pod: its cookie annotations. */
export function ingressSticky(spec: ExposeSpec, facts: ExposeFacts, className: string | undefined): IngressStickyPlan {
  const known = Object.entries(INGRESS_STICKY)
    .map(([k, v]) => `${v.name} (${k})`)
    .join(', ');
  const controller = ingressController(spec, facts, className);
  if (controller === undefined) {
    return {
      ok: false,
      problem: {
        field: 'sticky',
        message: `--sticky needs the ingress controller's own cookie affinity, and the controller of ${className === undefined ? 'the IngressClass' : `IngressClass ${className}`} is not known here (exposectl knows ${known}): run against the cluster`,
      },
    };
  }
  const c = INGRESS_STICKY[controller];
  if (!c) {
    return {
      ok: false,
      problem: {
        field: 'sticky',
        message: `--sticky: exposectl does not know the cookie affinity of ingress controller ${controller} (it knows ${known}); Service sessionAffinity would be bypassed by the controller`,
      },
    };
  }
  if (c.on === 'service' && !spec.inPlace) {
    return {
      ok: false,
      problem: {
        field: 'sticky',
        message: `--sticky with ${c.name} sets its cookie annotations on Service ${svcName(spec)} itself (${c.name} reads them there): add --in-place`,
      },
    };
  }
  if (c.on === 'ingress' && spec.inPlace) {
    return {
      ok: false,
      problem: {
        field: 'inPlace',
        message: `--sticky with ${c.name} is set on the Ingress; the Service is not touched: drop --in-place`,
      },
    };
  }
  return { ok: true, controller: c, annotations: c.annotations(stickyCookieName(spec), stickyTimeoutOf(spec)) };
}

/** With a controller that reads the Service: the apply patch that puts its annotations there. */
export function serviceAnnotationPatch(spec: ExposeSpec, annotations: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: svcName(spec),
      namespace: svcNamespace(spec),
      annotations: { ...annotations, [IN_PLACE_ANNOTATION]: spec.mode },
    },
  };
}

/**
 * Gateway API session persistence (GEP-1619, HTTPRoute rule `sessionPersistence`): a
 * permanent cookie that lives --sticky-timeout (a permanent cookie requires absoluteTimeout).
 */
export function sessionPersistence(spec: ExposeSpec): Record<string, unknown> {
  return {
    sessionName: stickyCookieName(spec),
    type: 'Cookie',
    absoluteTimeout: `${stickyTimeoutOf(spec)}s`,
    cookieConfig: { lifetimeType: 'Permanent' },
  };
}

/**
 * --sticky where kube-proxy picks the Pod (nodeport, l2, bgp): sessionAffinity ClientIP
 * keys on the real client address on the entry node (kube-proxy's affinity match runs
 * before the Cluster policy's SNAT), but every node keeps its own table. So it holds
 * only while a client keeps entering through the same node; the policy does not change
 * that (with Local each node picks among its own Pods, so another node means another
 * Pod anyway). What the mode can promise, and what it needs from outside:
 */
export function kubeProxyStickyNote(spec: ExposeSpec): string | undefined {
  if (!spec.sticky) return undefined;
  const t = stickyTimeoutOf(spec);
  switch (spec.mode) {
    case 'l2':
      return `sticky: one node announces the address, so every client enters there and keeps its Pod for ${t}s after its last connection; a failover to another node starts fresh`;
    case 'bgp':
      return `sticky: each node keeps its own ClientIP table, so a client keeps its Pod only while the router sends it to the same node: the router's ECMP must hash on addresses only (Linux fib_multipath_hash_policy 0, the default), not on ports`;
    case 'nodeport':
      return `sticky: each node keeps its own ClientIP table: a client keeps its Pod for ${t}s while it uses the same node's address`;
    default:
      return undefined;
  }
}

/**
 * The user's Service already has ClientIP affinity and the mode puts a proxy in front of
 * it: the affinity check will report it (exposectl does not change the user's Service
 * outside --in-place), so say so now, with what keeps clients instead.
 */
export function userAffinityNote(spec: ExposeSpec): string | undefined {
  if (spec.service.spec?.sessionAffinity !== 'ClientIP') return undefined;
  const svc = `Service ${svcNamespace(spec)}/${svcName(spec)} has sessionAffinity ClientIP`;
  switch (spec.mode) {
    case 'ingress':
    case 'gateway':
      return `${svc}, which the ${spec.mode === 'ingress' ? 'ingress controller' : 'Gateway implementation'} bypasses (it sends to the endpoints directly: affinity/bypassed-by-proxy); ${spec.sticky ? 'the cookie of --sticky keeps clients' : '--sticky gives it a cookie that keeps clients'}, and sessionAffinity None on the Service removes the finding`;
    case 'hostnetwork':
      return spec.sticky
        ? undefined
        : `${svc}, but the gateway connects to it from its node, so every client of one gateway node sticks to one Pod (affinity/client-ip-hidden): --sticky makes the gateway key on the client over the Pods`;
    default:
      return undefined;
  }
}
