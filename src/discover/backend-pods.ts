// The Pods behind a Service and the ports they declare: its selected Pods, else the pod
// templates of the workloads whose Pods it selects. Pure; memoized per snapshot.
import type { Pod, Service, Workload } from '../model/snapshot.js';
import { arr, type DiscoveryContext, defineFacts, labelsOf, nameOf, nsOf, rec, str } from './context.js';
import { type EndpointFacts, serviceEndpoints } from './endpoints.js';
import { mapSelects } from './selectors.js';
import { serviceFact } from './services.js';

export interface DeclaredContainerPort {
  name?: string;
  port: number;
  protocol: string;
}

/** One Pod, or one workload's pod template, and the container ports it declares. */
export interface PodPortsSource {
  what: string;
  ports: DeclaredContainerPort[];
}

interface Memo {
  endpoints: Map<Service, EndpointFacts>;
  pods: Map<Service, Pod[]>;
  podLabels: Map<Pod, Record<string, string>>;
}

const memo = defineFacts('backend-pods', (): Memo => ({ endpoints: new Map(), pods: new Map(), podLabels: new Map() }));

function remember<K, V>(map: Map<K, V>, key: K, build: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = build();
    map.set(key, v);
  }
  return v;
}

/** serviceEndpoints, memoized per snapshot (several analyzers ask for the same Service). */
export function endpointsOf(ctx: DiscoveryContext, svc: Service): EndpointFacts {
  return remember(memo(ctx).endpoints, svc, () => serviceEndpoints(ctx, svc));
}

/** The Pods of the snapshot a Service's selector matches (none without a selector). */
export function selectedPods(ctx: DiscoveryContext, svc: Service): Pod[] {
  const m = memo(ctx);
  return remember(m.pods, svc, () => {
    const selector = serviceFact(ctx, svc).selector;
    if (Object.keys(selector).length === 0) return [];
    return (ctx.podsByNamespace.get(nsOf(svc)) ?? []).filter((p) =>
      mapSelects(
        selector,
        remember(m.podLabels, p, () => labelsOf(p)),
      ),
    );
  });
}

function containerPorts(podSpec: Record<string, unknown>): DeclaredContainerPort[] {
  return arr(podSpec.containers)
    .map(rec)
    .flatMap((c) => arr(c.ports).map(rec))
    .filter((p) => typeof p.containerPort === 'number')
    .map((p) => ({
      ...(str(p.name) ? { name: str(p.name)! } : {}),
      port: p.containerPort as number,
      protocol: str(p.protocol) || 'TCP',
    }));
}

/** The Pods behind a Service with their declared ports: its live Pods, else the templates of workloads whose Pods it selects. */
export function backendPodPorts(ctx: DiscoveryContext, svc: Service): PodPortsSource[] {
  const selector = serviceFact(ctx, svc).selector;
  if (Object.keys(selector).length === 0) return [];
  const pods = selectedPods(ctx, svc);
  if (pods.length > 0) return pods.map((p) => ({ what: `Pod ${nameOf(p)}`, ports: containerPorts(rec(p.spec)) }));
  const ns = nsOf(svc);
  return ctx.snapshot.workloads
    .filter((w: Workload) => {
      const template = rec(rec(w.spec).template);
      return nsOf(w) === ns && mapSelects(selector, labelsOf(template)) && Object.keys(labelsOf(template)).length > 0;
    })
    .map((w) => ({ what: `${w.kind} ${nameOf(w)}`, ports: containerPorts(rec(rec(rec(w.spec).template).spec)) }));
}
