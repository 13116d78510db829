// Stickiness along every way to a Service, as facts: for each way in (the Service's own
// NodePort/LoadBalancer, an Ingress, a Gateway API route, a hostNetwork HAProxy/nginx
// gateway), the hops in order, what each keys stickiness on, which hop picks the Pod,
// and where the path undoes the stickiness it was given. Read from the raw objects (and
// the gateways' mounted configs); the analyzer (src/analyzers/affinity.ts) turns the
// problems into findings, `list` shows `stickinessOf`. Pure; memoised per context.
//
// What the implementations do (checked in their docs and threads):
// - kube-proxy (iptables `-m recent`, IPVS persistence, nftables sets) keeps ClientIP
//   affinity in a table per node, keyed on the source address the node sees, before the
//   Cluster policy's SNAT: right per entry node, wrong across entry nodes, whatever the
//   policy. A proxy that connects to the ClusterIP is the "client" of that table.
// - Ingress controllers (ingress-nginx, Traefik, HAProxy ingress) and Gateway API
//   implementations send to the endpoints directly, so Service sessionAffinity has no
//   effect there; ingress-nginx with `service-upstream: "true"` sends to the ClusterIP
//   instead, and then its own cookie has a single upstream to pin.
// - ingress-nginx reads `affinity: cookie` (the only value) on the Ingress; the cookie
//   names the endpoint, so every controller replica honours it. Traefik reads
//   `traefik.ingress.kubernetes.io/service.sticky.cookie` (v2+) or
//   `traefik.backend.loadbalancer.sticky`/`stickiness` (v1) on the Service, never on the
//   Ingress. HAProxy ingress: `haproxy.org/cookie-persistence` (haproxytech),
//   `haproxy-ingress.github.io/affinity: cookie` (jcmoraisjr).
// - Gateway API: HTTPRoute/GRPCRoute rule `sessionPersistence` (GEP-1619), cookie or header;
//   some implementations accept it and do not apply it (src/discover/session-persistence.ts).
// - HAProxy keeps `stick-table` entries per process unless a `peers` section syncs them;
//   `balance source` (hash of the address) and `cookie NAME insert` agree across replicas
//   that list the same servers. nginx `ip_hash`/`hash $remote_addr` likewise.
// - MetalLB/kube-vip/Cilium L2: one node announces, so every client enters there; a
//   failover moves the address to a node whose affinity table is empty (clients start fresh).

import type { Exposure, Sticky } from '../model/exposure.js';
import type { ObjectRef } from '../model/kube-object.js';
import type { Custom, Ingress, Service, Workload } from '../model/snapshot.js';
import { ingressBackends, routeBackends } from './backends.js';
import {
  annotationsOf,
  arr,
  type DiscoveryContext,
  findService,
  int,
  nameOf,
  nsOf,
  podSpecOf,
  rec,
  specOf,
  str,
  strMap,
} from './context.js';
import { routeFactOf } from './gateway-api.js';
import { gatewayImplementation } from './gateway-exposures.js';
import { schedulableNodes } from './host-exposures.js';
import { classifyLoadBalancer } from './implementation.js';
import { ingressExposure } from './ingress-exposures.js';
import { ingressNginxControllers, type ProxyGateway, proxyGateways, resolveTarget } from './paths.js';
import { parseNginxDirectives } from './proxy-config.js';
import { sessionPersistenceIgnoredBy } from './session-persistence.js';

/** What a hop keys stickiness on. `hash`: a hash of something that is not the client (a URI, a header). */
export type StickyKey = 'client-ip' | 'cookie' | 'header' | 'hash' | 'none';

export interface AffinityHop {
  /** For humans: `Service shop/web (kube-proxy)`, `ingress-nginx (Ingress shop/web)`. */
  label: string;
  subject: ObjectRef;
  key: StickyKey;
  /** The setting as written: `sessionAffinity: ClientIP (timeout 10800s)`, `nginx.ingress.kubernetes.io/affinity: cookie`. */
  setting: string;
  /** This hop picks the Pod (the others pass the connection on). */
  picksPod: boolean;
  /** The address this hop sees as the client's: the client's own, or a proxy's/node's. */
  sees: 'client' | 'replaced';
  /** Why `sees` is `replaced`: `the gateway node's address`. */
  seesWhy?: string;
}

export type AffinityProblemKind =
  | 'client-ip-hidden'
  | 'bypassed-by-proxy'
  | 'per-entry-node'
  | 'annotation-ignored'
  | 'proxy-sticks-to-service'
  | 'session-persistence-ignored';

export interface AffinityProblem {
  kind: AffinityProblemKind;
  subject: ObjectRef;
  /** What is so, one clause: the analyzer adds the consequence and the fix. */
  detail: string;
  /** The stickiness that would work on this way, concretely (for the fix). */
  remedy: string;
}

export interface AffinityWay {
  /** The Service traffic ends at. */
  service: { namespace: string; name: string };
  /** The object that makes this way (the exposure's object). */
  via: ObjectRef;
  /** The way in, for humans: `NodePort 30080 on 3 nodes`, `Ingress shop/web (ingress-nginx)`. */
  entry: string;
  hops: AffinityHop[];
  /** Things worth knowing that are no fault: failover behaviour, ECMP hashing. */
  notes: string[];
  problems: AffinityProblem[];
}

const ref = (o: { kind: string; metadata?: unknown }): ObjectRef => ({
  kind: o.kind,
  namespace: nsOf(o),
  name: nameOf(o),
});
const nsName = (o: { metadata?: unknown }) => `${nsOf(o)}/${nameOf(o)}`;

// ---- the Service's own setting -------------------------------------------------------------

export interface ServiceAffinity {
  clientIP: boolean;
  timeoutSeconds: number;
  setting: string;
}

export function serviceAffinity(svc: Service): ServiceAffinity {
  const spec = specOf(svc);
  const clientIP = str(spec.sessionAffinity) === 'ClientIP';
  const timeoutSeconds = int(rec(rec(spec.sessionAffinityConfig).clientIP).timeoutSeconds) ?? 10800;
  return {
    clientIP,
    timeoutSeconds,
    setting: clientIP ? `sessionAffinity: ClientIP (timeout ${timeoutSeconds}s)` : 'sessionAffinity: None',
  };
}

const isHeadless = (svc: Service) => str(specOf(svc).clusterIP) === 'None';

/** The hop where kube-proxy picks the Pod (or is passed by). */
function serviceHop(svc: Service, picksPod: boolean, sees: 'client' | 'replaced', seesWhy?: string): AffinityHop {
  const a = serviceAffinity(svc);
  return {
    label: `Service ${nsName(svc)} (kube-proxy)`,
    subject: ref(svc),
    key: a.clientIP ? 'client-ip' : 'none',
    setting: a.setting,
    picksPod,
    sees,
    ...(seesWhy ? { seesWhy } : {}),
  };
}

// ---- ways through the Service's own NodePort / LoadBalancer ---------------------------------

function directWay(ctx: DiscoveryContext, svc: Service): AffinityWay | undefined {
  const spec = specOf(svc);
  const type = str(spec.type) ?? 'ClusterIP';
  const externalIPs = arr(spec.externalIPs).filter((x): x is string => typeof x === 'string');
  if (type !== 'NodePort' && type !== 'LoadBalancer' && externalIPs.length === 0) return undefined;
  const a = serviceAffinity(svc);
  const policy = str(spec.externalTrafficPolicy) ?? 'Cluster';
  const way: AffinityWay = {
    service: { namespace: nsOf(svc), name: nameOf(svc) },
    via: ref(svc),
    entry: '',
    hops: [],
    notes: [],
    problems: [],
  };
  const remedy =
    'keep each client on one entry node (one announcing node: an L2 LoadBalancer address; or an external load balancer that hashes on the client address onto one node), or make the stickiness independent of the entry node: a cookie set by an L7 proxy (exposectl expose SERVICE --mode ingress|gateway --sticky)';
  if (type === 'NodePort') {
    const nodePorts = arr(spec.ports)
      .map(rec)
      .map((p) => int(p.nodePort))
      .filter((n): n is number => n !== undefined);
    const nodes = ctx.nodes.length;
    way.entry = `NodePort ${nodePorts.join(', ') || '<auto>'} on ${ctx.nodesKnown ? `${nodes} node${nodes === 1 ? '' : 's'}` : 'every node'}`;
    if (a.clientIP && nodes > 1) {
      way.problems.push({
        kind: 'per-entry-node',
        subject: ref(svc),
        detail: `Service ${nsName(svc)} has ${a.setting} and is reached through NodePort on ${nodes} nodes (${ctx.nodes
          .slice(0, 4)
          .map((n) => nameOf(n))
          .join(
            ', ',
          )}${nodes > 4 ? ', ...' : ''}; externalTrafficPolicy ${policy}): each node's kube-proxy keeps its own affinity table`,
        remedy,
      });
    }
  } else if (type === 'LoadBalancer') {
    const lb = classifyLoadBalancer(ctx, svc);
    way.entry = `LoadBalancer (${lb.implementation ? `${lb.implementation} ${lb.mode}` : 'implementation unknown'})`;
    if (lb.mode === 'l2') {
      way.notes.push(
        `${lb.implementation ?? 'the implementation'} announces the address from one node, so every client enters there${a.clientIP ? `; after a failover the new node's affinity table is empty: existing clients are balanced afresh (their Pod changes once)` : ''}`,
      );
    } else if (lb.mode === 'bgp') {
      way.notes.push(
        `every announcing node is an entry${a.clientIP ? ': a client keeps its Pod only while the router sends it to the same node (ECMP hashing on addresses only, Linux fib_multipath_hash_policy 0; a next-hop change moves clients)' : ''}`,
      );
    }
  } else {
    way.entry = `externalIPs ${externalIPs.join(', ')}`;
  }
  // kube-proxy matches affinity on the entry node before the Cluster policy's SNAT: it sees the client.
  way.hops.push(serviceHop(svc, true, 'client'));
  return way;
}

// ---- ways through an Ingress --------------------------------------------------------------------

const NGINX = 'nginx.ingress.kubernetes.io/';
const TRAEFIK_V2 = 'traefik.ingress.kubernetes.io/service.sticky.cookie';
const TRAEFIK_V1 = ['traefik.backend.loadbalancer.sticky', 'traefik.backend.loadbalancer.stickiness'];
const HAPROXY_TECH = 'haproxy.org/cookie-persistence';
const HAPROXY_INGRESS = ['haproxy-ingress.github.io/affinity', 'ingress.kubernetes.io/affinity'];

const truthy = (v: string | undefined) => v !== undefined && /^(true|1|yes)$/i.test(v.trim());

/** The remedy named for a controller: its own cookie stickiness, where it is written. */
export function controllerCookie(impl: string | null | undefined): string {
  switch (impl) {
    case 'ingress-nginx':
      return `the controller's cookie affinity on the Ingress: ${NGINX}affinity: cookie, ${NGINX}affinity-mode: persistent, ${NGINX}session-cookie-name (exposectl expose SERVICE --mode ingress --sticky)`;
    case 'traefik':
      return `Traefik's sticky cookie on the backend Service (not the Ingress): ${TRAEFIK_V2}: "true" (and .name, .maxage)`;
    case 'haproxy':
      return `the controller's cookie: ${HAPROXY_TECH}: NAME (HAProxy Technologies' controller) or haproxy-ingress.github.io/affinity: cookie (HAProxy Ingress)`;
    default:
      return `the controller's own cookie stickiness${impl ? ` (${impl})` : ''}`;
  }
}

interface ControllerStickiness {
  key: StickyKey;
  setting: string;
  problems: AffinityProblem[];
  sendsToService: boolean;
}

function nginxSticky(ctx: DiscoveryContext, ing: Ingress, svc: Service): ControllerStickiness {
  const ann = annotationsOf(ing);
  const problems: AffinityProblem[] = [];
  const serviceUpstream = truthy(ann[`${NGINX}service-upstream`]);
  let key: StickyKey = 'none';
  let setting = 'no affinity annotation (round robin over the endpoints)';
  const affinity = ann[`${NGINX}affinity`];
  const hashBy = ann[`${NGINX}upstream-hash-by`];
  if (affinity !== undefined) {
    if (affinity === 'cookie') {
      key = 'cookie';
      setting = `${NGINX}affinity: cookie (cookie ${ann[`${NGINX}session-cookie-name`] ?? 'INGRESSCOOKIE'}, mode ${ann[`${NGINX}affinity-mode`] ?? 'balanced'})`;
    } else {
      problems.push({
        kind: 'annotation-ignored',
        subject: ref(ing),
        detail: `Ingress ${nsName(ing)} has ${NGINX}affinity: "${affinity}", which ingress-nginx does not know (its only affinity is "cookie"): no stickiness is configured`,
        remedy: controllerCookie('ingress-nginx'),
      });
    }
  } else if (hashBy !== undefined) {
    const onAddress = /\$(binary_)?remote_addr/.test(hashBy);
    const onCookie = /\$cookie_/.test(hashBy);
    key = onAddress ? 'client-ip' : onCookie ? 'cookie' : 'hash';
    setting = `${NGINX}upstream-hash-by: "${hashBy}"`;
    if (onAddress) {
      const hidden = nginxSeesNodeAddress(ctx);
      if (hidden) {
        problems.push({
          kind: 'client-ip-hidden',
          subject: ref(ing),
          detail: `Ingress ${nsName(ing)} hashes on the client address (${setting}), but ${hidden}`,
          remedy: controllerCookie('ingress-nginx'),
        });
      }
    }
  }
  if (serviceUpstream && key !== 'none') {
    problems.push({
      kind: 'annotation-ignored',
      subject: ref(ing),
      detail: `Ingress ${nsName(ing)} asks for ${setting}, but also ${NGINX}service-upstream: "true": nginx sends to the ClusterIP of Service ${nsName(svc)}, a single upstream, so its stickiness pins nothing and kube-proxy picks the Pod per connection`,
      remedy: `remove ${NGINX}service-upstream so that nginx picks the endpoints itself (its ${key} stickiness then holds)`,
    });
  }
  return {
    key,
    setting: serviceUpstream ? `${setting}; ${NGINX}service-upstream: "true" (sends to the ClusterIP)` : setting,
    problems,
    sendsToService: serviceUpstream,
  };
}

/** Why ingress-nginx's $remote_addr is a node's address (Cluster policy, no PROXY protocol, no trusted forwarded headers), if the input says so. */
function nginxSeesNodeAddress(ctx: DiscoveryContext): string | undefined {
  for (const c of ingressNginxControllers(ctx)) {
    if (c.settings['use-proxy-protocol'] === 'true' || c.settings['use-forwarded-headers'] === 'true') continue;
    for (const s of c.services) {
      const spec = specOf(s);
      const t = str(spec.type);
      if ((t === 'NodePort' || t === 'LoadBalancer') && (str(spec.externalTrafficPolicy) ?? 'Cluster') === 'Cluster') {
        return `the controller's Service ${nsName(s)} has externalTrafficPolicy Cluster and neither PROXY protocol nor trusted forwarded headers are on: nginx's $remote_addr is the address of the node that forwarded the connection`;
      }
    }
  }
  return undefined;
}

function traefikSticky(ing: Ingress, svc: Service): ControllerStickiness {
  const onIngress = annotationsOf(ing);
  const onService = annotationsOf(svc);
  const problems: AffinityProblem[] = [];
  const misplaced = Object.keys(onIngress).filter(
    (k) => k.startsWith('traefik.ingress.kubernetes.io/service.sticky') || TRAEFIK_V1.includes(k),
  );
  if (misplaced.length > 0) {
    problems.push({
      kind: 'annotation-ignored',
      subject: ref(ing),
      detail: `Ingress ${nsName(ing)} carries ${misplaced.join(', ')}, but Traefik reads sticky settings on the backend Service ${nsName(svc)}, not on the Ingress`,
      remedy: controllerCookie('traefik'),
    });
  }
  if (onService['traefik.ingress.kubernetes.io/service.sticky'] !== undefined && onService[TRAEFIK_V2] === undefined) {
    problems.push({
      kind: 'annotation-ignored',
      subject: ref(svc),
      detail: `Service ${nsName(svc)} carries traefik.ingress.kubernetes.io/service.sticky, a key Traefik does not read (its key is ${TRAEFIK_V2})`,
      remedy: controllerCookie('traefik'),
    });
  }
  if (truthy(onService[TRAEFIK_V2])) {
    return {
      key: 'cookie',
      setting: `${TRAEFIK_V2}: "true" on Service ${nsName(svc)}${onService[`${TRAEFIK_V2}.name`] ? ` (cookie ${onService[`${TRAEFIK_V2}.name`]})` : ''}`,
      problems,
      sendsToService: false,
    };
  }
  const v1 = TRAEFIK_V1.find((k) => truthy(onService[k]));
  if (v1)
    return {
      key: 'cookie',
      setting: `${v1}: "true" on Service ${nsName(svc)} (Traefik 1.x)`,
      problems,
      sendsToService: false,
    };
  return {
    key: 'none',
    setting: 'no sticky cookie on the Service (Traefik balances over the endpoints)',
    problems,
    sendsToService: false,
  };
}

function haproxySticky(ing: Ingress, svc: Service): ControllerStickiness {
  const anns = [annotationsOf(ing), annotationsOf(svc)];
  const cookie = anns.map((a) => a[HAPROXY_TECH]).find((v) => v !== undefined && v !== '');
  if (cookie) return { key: 'cookie', setting: `${HAPROXY_TECH}: ${cookie}`, problems: [], sendsToService: false };
  const k = HAPROXY_INGRESS.find((x) => anns.some((a) => a[x] === 'cookie'));
  if (k) return { key: 'cookie', setting: `${k}: cookie`, problems: [], sendsToService: false };
  return {
    key: 'none',
    setting: 'no cookie annotation (HAProxy balances over the endpoints)',
    problems: [],
    sendsToService: false,
  };
}

/** Controllers known to send to the endpoints directly (by default). */
const DIRECT_TO_ENDPOINTS = new Set([
  'ingress-nginx',
  'traefik',
  'haproxy',
  'contour',
  'kong',
  'istio',
  'cilium',
  'envoy-gateway',
  'nginx-gateway-fabric',
]);

function ingressWays(ctx: DiscoveryContext, ing: Ingress): AffinityWay[] {
  const impl = ingressExposure(ctx, ing).implementation;
  const out: AffinityWay[] = [];
  const seen = new Set<string>();
  for (const b of ingressBackends(ing)) {
    const svc = findService(ctx, b.namespace, b.service);
    if (!svc || seen.has(nsName(svc))) continue;
    seen.add(nsName(svc));
    const sticky =
      impl === 'ingress-nginx'
        ? nginxSticky(ctx, ing, svc)
        : impl === 'traefik'
          ? traefikSticky(ing, svc)
          : impl === 'haproxy'
            ? haproxySticky(ing, svc)
            : undefined;
    const way: AffinityWay = {
      service: { namespace: nsOf(svc), name: nameOf(svc) },
      via: ref(ing),
      entry: `Ingress ${nsName(ing)} (${impl ?? 'controller unknown'})`,
      hops: [],
      notes: [],
      problems: [],
    };
    const a = serviceAffinity(svc);
    if (!sticky) {
      way.hops.push({
        label: `${impl ?? 'unknown controller'} (Ingress ${nsName(ing)})`,
        subject: ref(ing),
        key: 'none',
        setting: 'not known for this controller',
        picksPod: false,
        sees: 'client',
      });
      way.hops.push(serviceHop(svc, !DIRECT_TO_ENDPOINTS.has(impl ?? ''), 'replaced', "the controller's address"));
      if (a.clientIP && impl && DIRECT_TO_ENDPOINTS.has(impl))
        way.problems.push(bypassed(svc, a, `${impl} (Ingress ${nsName(ing)})`, controllerCookie(impl)));
      out.push(way);
      continue;
    }
    way.hops.push({
      label: `${impl} (Ingress ${nsName(ing)})`,
      subject: ref(ing),
      key: sticky.key,
      setting: sticky.setting,
      picksPod: !sticky.sendsToService,
      sees: 'client',
    });
    way.problems.push(...sticky.problems);
    if (sticky.sendsToService) {
      way.hops.push(serviceHop(svc, true, 'replaced', "the controller Pod's address"));
      if (a.clientIP) {
        way.problems.push({
          kind: 'client-ip-hidden',
          subject: ref(svc),
          detail: `Service ${nsName(svc)} has ${a.setting}, but ${impl} reaches it through its ClusterIP (${NGINX}service-upstream: "true" on Ingress ${nsName(ing)}): kube-proxy keys the affinity on the controller Pod's address`,
          remedy: `${controllerCookie(impl)}, and remove ${NGINX}service-upstream`,
        });
      }
    } else {
      way.hops.push(serviceHop(svc, false, 'replaced', "the controller's address"));
      if (a.clientIP) way.problems.push(bypassed(svc, a, `${impl} (Ingress ${nsName(ing)})`, controllerCookie(impl)));
    }
    out.push(way);
  }
  return out;
}

function bypassed(svc: Service, a: ServiceAffinity, who: string, remedy: string): AffinityProblem {
  return {
    kind: 'bypassed-by-proxy',
    subject: ref(svc),
    detail: `Service ${nsName(svc)} has ${a.setting}, but ${who} sends to its endpoints directly, past kube-proxy`,
    remedy,
  };
}

// ---- ways through a Gateway API route -----------------------------------------------------------

function routeWays(ctx: DiscoveryContext, r: Custom): AffinityWay[] {
  const out: AffinityWay[] = [];
  const rules = arr(specOf(r).rules).map(rec);
  // Only Gateways' proxies (a mesh route's parent is a Service: east-west, not a way in).
  const gatewayParents = arr(specOf(r).parentRefs)
    .map(rec)
    .filter((p) => (str(p.kind) ?? 'Gateway') === 'Gateway');
  if (gatewayParents.length === 0) return [];
  const parents = gatewayParents.map((p) => `${str(p.namespace) ?? nsOf(r)}/${str(p.name) ?? '?'}`);
  const impl = gatewayImplementationOf(ctx, r);
  const seen = new Set<string>();
  for (const b of routeBackends(routeFactOf(ctx, r))) {
    const svc = findService(ctx, b.namespace, b.service);
    if (!svc || seen.has(nsName(svc))) continue;
    seen.add(nsName(svc));
    const rule =
      rules.find((x) =>
        arr(x.backendRefs)
          .map(rec)
          .some((br) => str(br.name) === b.service && (str(br.namespace) ?? nsOf(r)) === b.namespace),
      ) ?? {};
    const sp = rec(rule.sessionPersistence);
    const spType = Object.keys(sp).length > 0 ? (str(sp.type) ?? 'Cookie') : undefined;
    const key: StickyKey = spType === 'Header' ? 'header' : spType ? 'cookie' : 'none';
    const setting = spType
      ? `sessionPersistence ${spType}${str(sp.sessionName) ? ` ${str(sp.sessionName)}` : ''}`
      : `no sessionPersistence on the rule${r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute' ? '' : ` (${r.kind} has none)`}`;
    const who = `Gateway ${parents.join(', ') || '?'}${impl ? ` (${impl})` : ''} for ${r.kind} ${nsName(r)}`;
    const way: AffinityWay = {
      service: { namespace: nsOf(svc), name: nameOf(svc) },
      via: ref(r),
      entry: `${r.kind} ${nsName(r)} via Gateway ${parents.join(', ') || '?'}`,
      hops: [],
      notes: [],
      problems: [],
    };
    way.hops.push({ label: who, subject: ref(r), key, setting, picksPod: true, sees: 'client' });
    const ignoredBy = spType ? ignoringImplementation(ctx, r) : undefined;
    if (ignoredBy) {
      way.problems.push({
        kind: 'session-persistence-ignored',
        subject: ref(r),
        detail: `${r.kind} ${nsName(r)} asks for ${setting}, but its Gateway ${ignoredBy.gateway} is served by ${ignoredBy.implementation} (GatewayClass ${ignoredBy.className}, controllerName ${ignoredBy.controllerName}), which accepts the field and does not apply it (${ignoredBy.thread})`,
        remedy: ignoredBy.remedy,
      });
    }
    way.hops.push(serviceHop(svc, false, 'replaced', "the proxy's address"));
    const a = serviceAffinity(svc);
    if (a.clientIP) {
      way.problems.push(
        bypassed(
          svc,
          a,
          who,
          r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute'
            ? `Gateway API session persistence on the ${r.kind} rule: sessionPersistence: {type: Cookie, sessionName: NAME, absoluteTimeout: Ns} (GEP-1619; exposectl expose SERVICE --mode gateway --sticky)`
            : `${r.kind} has no session persistence in Gateway API: use the implementation's own policy${impl ? ` (${impl})` : ''}, or expose the Service by itself (an L2 LoadBalancer address keeps ClientIP affinity)`,
        ),
      );
    }
    out.push(way);
  }
  return out;
}

/** A parent Gateway of a route with its GatewayClass's controllerName, when the input has both. */
function parentController(
  ctx: DiscoveryContext,
  r: Custom,
  parent: Record<string, unknown>,
): { gateway: string; className: string; controllerName: string } | undefined {
  const gw = ctx.snapshot.gateways.find(
    (g) => nsOf(g) === (str(parent.namespace) ?? nsOf(r)) && nameOf(g) === str(parent.name),
  );
  const className = gw ? str(specOf(gw).gatewayClassName) : undefined;
  const cls = className ? ctx.snapshot.gatewayClasses.find((c) => nameOf(c) === className) : undefined;
  const controllerName = str(specOf(cls ?? {}).controllerName);
  return gw && className && controllerName ? { gateway: nsName(gw), className, controllerName } : undefined;
}

function gatewayImplementationOf(ctx: DiscoveryContext, r: Custom): string | undefined {
  const parent = arr(specOf(r).parentRefs).map(rec)[0];
  const controller = parent ? parentController(ctx, r, parent)?.controllerName : undefined;
  return controller ? gatewayImplementation(controller) : undefined;
}

/** The first parent Gateway of a route whose implementation is known to ignore sessionPersistence. */
function ignoringImplementation(ctx: DiscoveryContext, r: Custom) {
  for (const p of arr(specOf(r).parentRefs).map(rec)) {
    if ((str(p.kind) ?? 'Gateway') !== 'Gateway') continue;
    const c = parentController(ctx, r, p);
    const ignored = sessionPersistenceIgnoredBy(c?.controllerName);
    if (c && ignored) return { ...c, ...ignored };
  }
  return undefined;
}

// ---- ways through a hostNetwork HAProxy/nginx gateway ------------------------------------------

/** A gateway's stickiness for the backend (HAProxy) or upstream (nginx) that holds a server line. */
export interface ProxyStickiness {
  key: StickyKey;
  setting: string;
  /** Relies on a per-process table (HAProxy stick-table) rather than a hash or cookie every replica computes alike. */
  perProcessTable: boolean;
  /** A `peers` section shares the tables between replicas. */
  peers: boolean;
}

/** HAProxy: the balance/stick/cookie lines of the backend or listen section that holds `line`. */
export function haproxyStickiness(text: string, line: number): ProxyStickiness {
  const lines = text.split(/\r?\n/);
  let start = 0;
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    if (/^(backend|listen|frontend|defaults)\s/.test(lines[i]!)) {
      start = i;
      break;
    }
  }
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++)
    if (/^\S/.test(lines[i]!) && !/^\s*#/.test(lines[i]!)) {
      end = i;
      break;
    }
  const body = lines
    .slice(start + 1, end)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '');
  const peers = /^peers\s/m.test(text) && body.some((l) => /^stick-table\b.*\bpeers\s/.test(l));
  const balance = body
    .find((l) => l.startsWith('balance '))
    ?.split(/\s+/)
    .slice(1)
    .join(' ');
  const stick = body.find((l) => /^stick (on|match)\b/.test(l));
  const cookie = body.find((l) => /^cookie\s/.test(l));
  if (cookie) return { key: 'cookie', setting: cookie, perProcessTable: false, peers };
  if (stick) {
    const onSrc = /\bsrc\b/.test(stick);
    return {
      key: onSrc ? 'client-ip' : /cook/.test(stick) ? 'cookie' : 'hash',
      setting: [balance ? `balance ${balance}` : undefined, stick].filter(Boolean).join(', '),
      perProcessTable: !(balance && /^(source|hdr|uri|url_param)/.test(balance)),
      peers,
    };
  }
  if (balance && /^source\b/.test(balance))
    return { key: 'client-ip', setting: `balance ${balance}`, perProcessTable: false, peers };
  if (balance && /^(hdr|uri|url_param|rdp-cookie)/.test(balance))
    return {
      key: /cookie/.test(balance) ? 'cookie' : 'hash',
      setting: `balance ${balance}`,
      perProcessTable: false,
      peers,
    };
  return {
    key: 'none',
    setting: balance ? `balance ${balance}` : 'balance roundrobin (default)',
    perProcessTable: false,
    peers,
  };
}

/** nginx: the upstream whose server line is `line` (or none: proxy_pass to a single address). */
export function nginxStickiness(text: string, line: number): ProxyStickiness {
  const none: ProxyStickiness = {
    key: 'none',
    setting: 'round robin (no ip_hash/hash)',
    perProcessTable: false,
    peers: false,
  };
  const walk = (ds: ReturnType<typeof parseNginxDirectives>): ProxyStickiness | undefined => {
    for (const d of ds) {
      if (d.name === 'upstream' && d.block?.some((s) => s.name === 'server' && s.line === line)) {
        const b = d.block;
        if (b.some((s) => s.name === 'ip_hash'))
          return { key: 'client-ip', setting: 'ip_hash', perProcessTable: false, peers: false };
        const h = b.find((s) => s.name === 'hash');
        if (h) {
          const k = h.args[0] ?? '';
          return {
            key: /\$(binary_)?remote_addr/.test(k) ? 'client-ip' : /\$cookie_/.test(k) ? 'cookie' : 'hash',
            setting: `hash ${h.args.join(' ')}`,
            perProcessTable: false,
            peers: false,
          };
        }
        const sticky = b.find((s) => s.name === 'sticky');
        if (sticky)
          return {
            key: 'cookie',
            setting: `sticky ${sticky.args.join(' ')}`,
            perProcessTable: sticky.args[0] === 'learn',
            peers: false,
          };
        return none;
      }
      const inner = d.block ? walk(d.block) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };
  return walk(parseNginxDirectives(text)) ?? none;
}

/** How many copies of the gateway run, each with its own state: the nodes a DaemonSet runs on, a Deployment's replicas. */
function replicasOf(ctx: DiscoveryContext, w: Workload): number | undefined {
  if (w.kind === 'DaemonSet')
    return ctx.nodesKnown ? schedulableNodes(ctx.nodes, podSpecOf(w), true).nodes.length : undefined;
  return int(specOf(w).replicas) ?? 1;
}

function gatewayWays(ctx: DiscoveryContext, g: ProxyGateway): AffinityWay[] {
  const out: AffinityWay[] = [];
  const text = str(rec(g.configMap.data)[g.file]) ?? '';
  const who = `${g.implementation} ${g.workload.kind} ${nsName(g.workload)}`;
  const seen = new Set<string>();
  const replicas = replicasOf(ctx, g.workload);
  for (const f of g.config.forwards) {
    const t = resolveTarget(ctx, f.host, f.port, nsOf(g.workload));
    if (!t) continue;
    const key = `${nsName(t.service)}|${f.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const svc = t.service;
    const toPods = isHeadless(svc);
    const st = g.implementation === 'haproxy' ? haproxyStickiness(text, f.line) : nginxStickiness(text, f.line);
    const where = `ConfigMap ${nsName(g.configMap)} ${g.file} line ${f.line}`;
    const way: AffinityWay = {
      service: { namespace: nsOf(svc), name: nameOf(svc) },
      via: ref(g.workload),
      entry: `${who} on ${replicas === undefined ? 'its nodes' : `${replicas} ${g.workload.kind === 'DaemonSet' ? 'node' : 'replica'}${replicas === 1 ? '' : 's'}`} (hostNetwork), ${f.mode.toUpperCase()} to ${f.host}${f.port ? `:${f.port}` : ''}`,
      hops: [],
      notes: [],
      problems: [],
    };
    way.hops.push({
      label: `${who} (${where})`,
      subject: ref(g.workload),
      key: st.key,
      setting: st.setting,
      picksPod: toPods,
      sees: 'client',
    });
    const a = serviceAffinity(svc);
    if (toPods) {
      way.hops.push(serviceHop(svc, false, 'replaced', "the gateway node's address"));
      if (a.clientIP)
        way.problems.push(
          bypassed(
            svc,
            a,
            `${who} (headless Service: it connects to the Pods)`,
            `the gateway's own stickiness (${g.implementation === 'haproxy' ? 'balance source + hash-type consistent, or stick on src with a stick-table shared through peers' : 'hash $remote_addr consistent in the upstream'}; exposectl expose SERVICE --mode hostnetwork --sticky)`,
          ),
        );
      if (st.perProcessTable && !st.peers && (replicas === undefined || replicas > 1)) {
        way.problems.push({
          kind: 'per-entry-node',
          subject: ref(g.workload),
          detail: `${who} keeps its stickiness in a per-process table (${st.setting}, ${where}) without a peers section, and runs on ${replicas === undefined ? 'several nodes' : `${replicas} ${g.workload.kind === 'DaemonSet' ? 'nodes' : 'replicas'}`}: each copy learns its own choices`,
          remedy:
            g.implementation === 'haproxy'
              ? 'share the table between the gateway copies (a peers section listing every gateway node, and "peers NAME" on the stick-table line), or pick by a hash every copy computes alike: balance source with hash-type consistent'
              : 'pick by a hash every copy computes alike: hash $remote_addr consistent',
        });
      }
    } else {
      way.hops.push(
        serviceHop(
          svc,
          true,
          'replaced',
          `the gateway node's address (${who} opens its own connection to the ${t.via === 'dns' ? 'ClusterIP' : t.via === 'nodePort' ? 'NodePort' : t.via}${f.sendProxy ? '; the PROXY header does not change the TCP source kube-proxy reads' : ''})`,
        ),
      );
      if (a.clientIP) {
        way.problems.push({
          kind: 'client-ip-hidden',
          subject: ref(svc),
          detail: `Service ${nsName(svc)} has ${a.setting}, but ${who} connects to it from the gateway node (${where}: ${f.host}${f.port ? `:${f.port}` : ''} is the Service address): kube-proxy keys the affinity on the gateway node's address`,
          remedy: `let the gateway pick the Pods and key on the client: point it at a headless Service (clusterIP: None) with ${g.implementation === 'haproxy' ? 'server-template over its DNS name, balance source / stick on src' : 'hash $remote_addr consistent'} (exposectl expose SERVICE --mode hostnetwork --sticky generates this)`,
        });
      }
      if (st.key !== 'none') {
        way.problems.push({
          kind: 'proxy-sticks-to-service',
          subject: ref(g.workload),
          detail: `${who} is sticky (${st.setting}, ${where}), but its server is the address of Service ${nsName(svc)}: it pins every client to that one address, and kube-proxy on the gateway node picks the Pod per connection`,
          remedy: `send to the Pods: a headless Service (clusterIP: None) resolved by the gateway (${g.implementation === 'haproxy' ? 'server-template NAME N _PORT._tcp.SVC.NS.svc.cluster.local resolvers ...' : 'the headless name in the upstream'}) so its stickiness chooses among Pods`,
        });
      }
    }
    out.push(way);
  }
  return out;
}

// ---- all ways -----------------------------------------------------------------------------------

const cache = new WeakMap<DiscoveryContext, AffinityWay[]>();

/** Every way in to every Service the input shows, with its stickiness facts. */
export function affinityWays(ctx: DiscoveryContext): AffinityWay[] {
  const cached = cache.get(ctx);
  if (cached) return cached;
  const out: AffinityWay[] = [];
  const seen = new Set<string>();
  for (const svc of [...ctx.snapshot.services].reverse()) {
    // Files may hold a Service twice: the last one read counts.
    if (seen.has(nsName(svc))) continue;
    seen.add(nsName(svc));
    const w = directWay(ctx, svc);
    if (w) out.push(w);
  }
  out.reverse();
  for (const ing of ctx.snapshot.ingresses) out.push(...ingressWays(ctx, ing));
  for (const r of ctx.snapshot.routes) out.push(...routeWays(ctx, r));
  for (const g of proxyGateways(ctx)) out.push(...gatewayWays(ctx, g));
  cache.set(ctx, out);
  return out;
}

const selectorKey = (svc: Service) =>
  Object.entries(strMap(specOf(svc).selector))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/**
 * The ways that end at one Service's Pods: at the Service itself, or at another Service of
 * its namespace with the same selector (the same Pods): what `expose` creates next to the
 * user's Service (`web-lb`, `web-nodeport`, the hostnetwork gateway's headless `web-hostnet`).
 */
export function waysTo(ctx: DiscoveryContext, namespace: string, name: string): AffinityWay[] {
  const target = findService(ctx, namespace, name);
  const selector = target ? selectorKey(target) : '';
  const samePods = (w: AffinityWay) => {
    if (selector === '' || w.service.namespace !== namespace) return false;
    const other = findService(ctx, namespace, w.service.name);
    return other !== undefined && selectorKey(other) === selector;
  };
  return affinityWays(ctx).filter((w) => w.service.namespace === namespace && (w.service.name === name || samePods(w)));
}

/** The STICKY value of one way: broken when it undoes stickiness, else what the Pod-picking hop keys on. */
export function stickinessOf(way: AffinityWay): Sticky {
  if (way.problems.length > 0) return 'broken';
  const picker = way.hops.find((h) => h.picksPod);
  if (!picker) return 'none';
  if (picker.key === 'cookie' || picker.key === 'header') return 'cookie';
  if (picker.key === 'client-ip') return 'client-ip';
  return 'none';
}

const viaKey = (kind: string, namespace: string | null, name: string) => `${kind}|${namespace ?? ''}|${name}`;
const byVia = new WeakMap<DiscoveryContext, Map<string, AffinityWay[]>>();

/** The ways made by one object (an exposure's): indexed once per context, since `list` asks for every row. */
function waysVia(ctx: DiscoveryContext, kind: string, namespace: string | null, name: string): AffinityWay[] {
  let index = byVia.get(ctx);
  if (!index) {
    index = new Map();
    const routes = new Map(ctx.snapshot.routes.map((r) => [viaKey(r.kind, nsOf(r), nameOf(r)), r]));
    for (const w of affinityWays(ctx)) {
      const keys = [viaKey(w.via.kind, w.via.namespace, w.via.name)];
      // A Gateway's exposure: the ways of the routes attached to it.
      const r = routes.get(keys[0]!);
      if (r)
        for (const p of arr(specOf(r).parentRefs).map(rec))
          keys.push(viaKey('Gateway', str(p.namespace) ?? nsOf(r), str(p.name) ?? ''));
      for (const k of keys) {
        const l = index.get(k);
        if (l) l.push(w);
        else index.set(k, [w]);
      }
    }
    byVia.set(ctx, index);
  }
  return index.get(viaKey(kind, namespace, name)) ?? [];
}

/** STICKY of an exposure (list): its ways combined; broken if one is, the shared value if they agree, else none. */
export function exposureSticky(ctx: DiscoveryContext, e: Pick<Exposure, 'kind' | 'namespace' | 'name'>): Sticky {
  const ways = waysVia(ctx, e.kind, e.namespace, e.name);
  if (ways.length === 0) return 'none';
  const values = ways.map(stickinessOf);
  if (values.includes('broken')) return 'broken';
  return values.every((v) => v === values[0]) ? values[0]! : 'none';
}
