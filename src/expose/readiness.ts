// When does an exposure really serve? Pure checks over freshly read objects: an address
// assigned, node ports allocated, endpoints ready, gateway pods ready, routes accepted.
// `expose --wait` polls these until all hold or the timeout ends.
import type { KubeObject } from '../model/kube-object.js';
import type { EndpointSlice } from '../model/snapshot.js';

export interface ReadinessCheck {
  /** What is checked, e.g. "service/web-lb address". */
  what: string;
  ready: boolean;
  /** The current state in a few words: "198.51.100.10", "0/3 pods ready", "not created yet". */
  detail: string;
}

export interface ReadinessInput {
  /** What expose applied, in apply order. */
  manifests: KubeObject[];
  /** The same objects as the API server has them now (undefined: not there). */
  observed: ReadonlyMap<string, KubeObject | undefined>;
  /** EndpointSlices of the Service that carries the traffic. */
  endpointSlices: EndpointSlice[];
  /** That Service: the published one (nodeport, l2, bgp) or the user's (other modes). */
  trafficService: { namespace: string; name: string };
}

export function objectId(o: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

const ref = (o: KubeObject) => `${o.kind.toLowerCase()}/${o.metadata.name}`;

function conditionTrue(conditions: unknown, type: string): boolean {
  return (
    Array.isArray(conditions) &&
    conditions.some((c: { type?: string; status?: string }) => c?.type === type && c.status === 'True')
  );
}

function checkObject(manifest: KubeObject, live: KubeObject | undefined): ReadinessCheck[] {
  const what = ref(manifest);
  if (!live) return [{ what, ready: false, detail: 'not created yet' }];
  const spec = (live.spec ?? {}) as Record<string, unknown>;
  const status = (live.status ?? {}) as { loadBalancer?: { ingress?: unknown } } & Record<string, unknown>;
  switch (manifest.kind) {
    case 'Service': {
      const checks: ReadinessCheck[] = [];
      if (spec.type === 'LoadBalancer') {
        const ingress = (status.loadBalancer?.ingress ?? []) as Array<{ ip?: string; hostname?: string }>;
        const addresses = ingress.map((i) => i.ip ?? i.hostname).filter(Boolean);
        checks.push({
          what: `${what} address`,
          ready: addresses.length > 0,
          detail: addresses.length > 0 ? addresses.join(',') : '<pending>',
        });
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        const ports = (spec.ports ?? []) as Array<{ nodePort?: number }>;
        const allocated = ports.filter((p) => p.nodePort);
        checks.push({
          what: `${what} node ports`,
          ready: ports.length > 0 && allocated.length === ports.length,
          detail: allocated.map((p) => p.nodePort).join(',') || '<none>',
        });
      }
      return checks;
    }
    case 'DaemonSet': {
      const desired = Number(status.desiredNumberScheduled ?? 0);
      const ready = Number(status.numberReady ?? 0);
      const updated = Number(status.updatedNumberScheduled ?? 0);
      const ok = desired > 0 && ready === desired && updated === desired;
      return [
        {
          what: `${what} pods`,
          ready: ok,
          detail: desired === 0 ? 'no node selected yet' : `${ready}/${desired} ready`,
        },
      ];
    }
    case 'Ingress': {
      const ingress = (status.loadBalancer?.ingress ?? []) as Array<{ ip?: string; hostname?: string }>;
      const addresses = ingress.map((i) => i.ip ?? i.hostname).filter(Boolean);
      return [
        {
          what: `${what} address`,
          ready: addresses.length > 0,
          detail: addresses.length > 0 ? addresses.join(',') : 'no address from the ingress controller yet',
        },
      ];
    }
    case 'Gateway': {
      const programmed = conditionTrue(status.conditions, 'Programmed');
      const addresses = ((status.addresses ?? []) as Array<{ value?: string }>).map((a) => a.value).filter(Boolean);
      return [
        {
          what,
          ready: programmed,
          detail: programmed ? addresses.join(',') || 'programmed' : 'not programmed by its controller yet',
        },
      ];
    }
    case 'HTTPRoute':
    case 'GRPCRoute':
    case 'TCPRoute':
    case 'TLSRoute':
    case 'UDPRoute': {
      const parents = (status.parents ?? []) as Array<{ conditions?: unknown }>;
      const accepted = parents.length > 0 && parents.every((p) => conditionTrue(p.conditions, 'Accepted'));
      return [{ what, ready: accepted, detail: accepted ? 'accepted' : 'not accepted by its Gateway yet' }];
    }
    default:
      return [{ what, ready: true, detail: 'present' }];
  }
}

function endpointCheck(input: ReadinessInput): ReadinessCheck {
  let ready = 0;
  let total = 0;
  for (const slice of input.endpointSlices) {
    for (const ep of slice.endpoints ?? []) {
      total++;
      if (ep.conditions?.ready !== false) ready++;
    }
  }
  return {
    what: `service/${input.trafficService.name} endpoints`,
    ready: ready > 0,
    detail: total === 0 ? 'no endpoints' : `${ready}/${total} ready`,
  };
}

/** Every check of an exposure, in a stable order (objects in apply order, endpoints last). */
export function assessReadiness(input: ReadinessInput): ReadinessCheck[] {
  const checks = input.manifests.flatMap((m) => checkObject(m, input.observed.get(objectId(m))));
  return [...checks, endpointCheck(input)];
}
