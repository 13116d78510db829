// The source-IP proof against a live cluster: create the echo plan's objects (server-side
// apply, exposectl's field manager), wait until the mirror exposure is reachable (echo Pod
// ready, endpoint ready, address assigned), ask the echo through it which address it saw,
// and ALWAYS delete the objects again: on success, on failure, on timeout and when the
// signal aborts (Ctrl-C). The user's objects are only read.

import { nodeAddresses } from '../../discover/context.js';
import { gatewayStatusAddresses, loadBalancerIngress } from '../../discover/object-status.js';
import { readPod } from '../../discover/pod-facts.js';
import { readService } from '../../discover/services.js';
import { readSlice } from '../../discover/slice-facts.js';
import type { KubeClient } from '../../kube/client.js';
import { applyObject, deleteObject, getObject, keyOf, objectPath } from '../../kube/objects.js';
import { type KubeObject, refOf } from '../../model/kube-object.js';
import type { SourceIpProbe } from '../../model/probe-facts.js';
import { FIELD_MANAGER } from '../../modes/ownership.js';
import { sleep } from '../../util/sleep.js';
import { forwardedClient, parseClientIp } from './compare.js';
import { getEcho } from './echo.js';
import { CLIENT_IP_PATH, type EchoPlan, HEADER_PATH } from './mirror.js';

export interface EchoRunOptions {
  /** How long to wait for the mirror to become reachable and answer. */
  timeoutMs: number;
  /** Each HTTP request's timeout. */
  requestTimeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

export interface EchoRunResult {
  /** The fact for the analyzers; seenAddress null when the echo never answered. */
  probe: SourceIpProbe;
  /** The objects created and deleted (kubectl references), and those that could not be deleted. */
  created: string[];
  leftover: string[];
}

export type Reach =
  | { address: string; port: number; host?: string; headers?: Record<string, string> }
  | { waiting: string };
export type Plan = Exclude<EchoPlan, { via: 'none' }>;

/** Where to send the request, or what is still missing (also probe reach --count's way to its echo Pods). */
export async function reach(client: KubeClient, plan: Plan): Promise<Reach> {
  const ns = plan.pod.namespace;
  const podObject = await getObject(client, { apiVersion: 'v1', kind: 'Pod', namespace: ns, name: plan.pod.name });
  const pod = podObject ? readPod(podObject) : undefined;
  if (!pod?.ready)
    return {
      waiting: `echo Pod ${ns}/${plan.pod.name} is not ready (${pod?.phase ?? 'not created'})`,
    };
  const backend =
    plan.via === 'service' ? plan.mirror.name : plan.objects.find((o) => o.kind === 'Service')!.metadata.name!;
  const slices = await client.request<{ items: KubeObject[] }>(
    `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/endpointslices`,
    { query: { labelSelector: `kubernetes.io/service-name=${backend}` } },
  );
  const ready = slices.items.some((s) => readSlice(s).endpoints.some((e) => e.ready));
  if (!ready) return { waiting: `Service ${ns}/${backend} has no ready endpoint yet` };
  if (plan.via === 'service') {
    const svc = await getObject(client, { apiVersion: 'v1', kind: 'Service', namespace: ns, name: plan.mirror.name });
    if (plan.mirror.type === 'LoadBalancer') {
      const address = loadBalancerIngress(svc)[0];
      return address
        ? { address, port: plan.mirror.port }
        : {
            waiting: `mirror Service ${ns}/${plan.mirror.name} has no LoadBalancer address yet (it needs a free address of the same pool)`,
          };
    }
    // NodePort: the echo Pod's node, which takes the traffic under either policy.
    const nodePort = svc ? readService(svc).declaredPorts[0]?.nodePort : undefined;
    const nodeName = pod.nodeName;
    const node = nodeName ? await getObject(client, { apiVersion: 'v1', kind: 'Node', name: nodeName }) : undefined;
    const address = node ? nodeAddresses(node)[0] : undefined;
    return address && typeof nodePort === 'number'
      ? { address, port: nodePort }
      : { waiting: `no address for node ${nodeName ?? '?'} of the echo Pod, or no nodePort yet` };
  }
  if (plan.via === 'ingress') {
    const ing = await getObject(client, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      namespace: ns,
      name: plan.front.name,
    });
    const address = loadBalancerIngress(ing)[0];
    return address
      ? { address, port: plan.port, host: plan.host }
      : { waiting: `Ingress ${ns}/${plan.front.name} has no address yet (its controller sets status.loadBalancer)` };
  }
  const gw = await getObject(client, {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    namespace: plan.gateway!.namespace,
    name: plan.gateway!.name,
  });
  const address = gatewayStatusAddresses(gw)[0];
  return address
    ? { address, port: plan.port, host: plan.host, ...(plan.headers ? { headers: plan.headers } : {}) }
    : { waiting: `Gateway ${plan.gateway!.namespace}/${plan.gateway!.name} has no address in its status` };
}

/** Deletes what was created, newest first; the Pod without grace. Returns what could not be deleted. */
export async function cleanup(client: KubeClient, created: KubeObject[]): Promise<string[]> {
  const left: string[] = [];
  for (const o of [...created].reverse()) {
    try {
      if (o.kind === 'Pod')
        await client
          .request(objectPath(keyOf(o)), { method: 'DELETE', query: { gracePeriodSeconds: 0 } })
          .catch((e: { status?: number }) => {
            if (e.status !== 404) throw e;
          });
      else await deleteObject(client, keyOf(o));
    } catch (e) {
      left.push(`${refOf(keyOf(o))} -n ${o.metadata.namespace} (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return left;
}

export async function runSourceIpEcho(client: KubeClient, plan: Plan, o: EchoRunOptions): Promise<EchoRunResult> {
  const created: KubeObject[] = [];
  let probe: SourceIpProbe;
  let leftover: string[] = [];
  try {
    probe = await attempt(client, plan, o, created);
  } finally {
    leftover = await cleanup(client, created);
    if (leftover.length > 0) o.onProgress?.(`source-ip probe: could not delete ${leftover.join('; ')}`);
    else if (created.length > 0)
      o.onProgress?.(`source-ip probe: deleted ${created.map((c) => refOf(keyOf(c))).join(', ')}`);
  }
  return { probe, created: created.map((c) => refOf(keyOf(c))), leftover };
}

/** The value of one request header as the echo received it (netexec's /header?key=K; null when absent), or why it did not answer. */
async function echoHeader(
  r: { address: string; port: number; host?: string; headers?: Record<string, string> },
  key: string,
  timeoutMs: number,
): Promise<{ value: string | null } | { error: string }> {
  const path = `${HEADER_PATH}?key=${encodeURIComponent(key)}`;
  const h = await getEcho({
    address: r.address,
    port: r.port,
    path,
    ...(r.host ? { host: r.host } : {}),
    ...(r.headers ? { headers: r.headers } : {}),
    timeoutMs,
  });
  if (h.status !== 200)
    return {
      error: `GET http://${r.address}:${r.port}${path}${r.host ? ` (Host ${r.host})` : ''}: ${h.error ?? `HTTP ${h.status}: ${h.body.slice(0, 80).trim()}`}`,
    };
  return { value: h.body.trim() === '' ? null : h.body };
}

async function attempt(
  client: KubeClient,
  plan: Plan,
  o: EchoRunOptions,
  created: KubeObject[],
): Promise<SourceIpProbe> {
  const deadline = Date.now() + o.timeoutMs;
  const requestTimeoutMs = o.requestTimeoutMs ?? 3000;
  const base = { service: plan.service, at: new Date().toISOString() };
  let probe: SourceIpProbe = { ...base, target: '?', clientAddress: '?', seenAddress: null, error: 'not started' };
  for (const obj of plan.objects) {
    if (o.signal?.aborted) break;
    await applyObject(client, obj, { fieldManager: FIELD_MANAGER });
    created.push(obj);
  }
  o.onProgress?.(
    `source-ip probe: created ${created.map((c) => refOf(keyOf(c))).join(', ')} in ${plan.pod.namespace} (mirroring ${plan.mirrors})`,
  );
  let why = 'timed out';
  // Stop when too little time is left for a meaningful request, keeping the last real reason.
  while (!o.signal?.aborted && deadline - Date.now() > 200) {
    const r = await reach(client, plan);
    if ('waiting' in r) {
      why = r.waiting;
    } else {
      const target = `${r.address.includes(':') ? `[${r.address}]` : r.address}:${r.port}`;
      const answer = await getEcho({
        address: r.address,
        port: r.port,
        path: CLIENT_IP_PATH,
        ...(r.host ? { host: r.host } : {}),
        ...(r.headers ? { headers: r.headers } : {}),
        timeoutMs: Math.min(requestTimeoutMs, Math.max(1, deadline - Date.now())),
      });
      const seen = answer.status === 200 ? parseClientIp(answer.body) : null;
      if (seen && answer.localAddress) {
        // On an L7 path the echo's TCP peer is the proxy: ask it what the proxy forwarded.
        const headers =
          plan.via === 'service'
            ? undefined
            : {
                xForwardedFor: await echoHeader(r, 'X-Forwarded-For', requestTimeoutMs),
                xRealIp: await echoHeader(r, 'X-Real-IP', requestTimeoutMs),
              };
        const unanswered = headers && [headers.xForwardedFor, headers.xRealIp].find((h) => 'error' in h);
        if (unanswered && 'error' in unanswered) {
          why = unanswered.error;
          probe = { ...base, target, clientAddress: answer.localAddress, seenAddress: null, error: why };
          await sleep(o.pollMs ?? 500, o.signal);
          continue;
        }
        const forwarded = headers
          ? forwardedClient({
              xForwardedFor: 'value' in headers.xForwardedFor ? headers.xForwardedFor.value : null,
              xRealIp: 'value' in headers.xRealIp ? headers.xRealIp.value : null,
            })
          : undefined;
        return {
          ...base,
          target,
          clientAddress: parseClientIp(answer.localAddress) ?? answer.localAddress,
          seenAddress: seen,
          ...(forwarded
            ? { forwardedFor: forwarded.address, ...(forwarded.header ? { forwardedHeader: forwarded.header } : {}) }
            : {}),
          at: new Date().toISOString(),
        };
      }
      why = `GET http://${target}${CLIENT_IP_PATH}${r.host ? ` (Host ${r.host})` : ''}: ${answer.error ?? `HTTP ${answer.status}: ${answer.body.slice(0, 80).trim()}`}`;
      probe = { ...base, target, clientAddress: answer.localAddress ?? '?', seenAddress: null, error: why };
    }
    await sleep(o.pollMs ?? 500, o.signal);
  }
  const error = o.signal?.aborted ? 'interrupted' : `not reachable within ${Math.round(o.timeoutMs / 1000)} s: ${why}`;
  return { ...probe, error, at: new Date().toISOString() };
}
