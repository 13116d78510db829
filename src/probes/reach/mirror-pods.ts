// `probe reach SERVICE --count N`: which Pods answer, and whether one client stays on one,
// learned through the source-ip probe's echo mirror, because the Service's own Pods seldom
// say who they are. The mirror (src/probes/source-ip/mirror.ts: a Service of the same type,
// policies, sessionAffinity and pool, or an Ingress/HTTPRoute on the same class or Gateway)
// gets several echo Pods instead of one; once every one is a ready endpoint and has answered
// (or a settle time passed: a sticky exposure keeps answering from one), N requests go to
// netexec's /hostname through it, one connection each, and the answers are counted by Pod. The temporary objects are ALWAYS deleted (also on failure and Ctrl-C).
import type { DiscoveryContext } from '../../discover/context.js';
import { readSlice } from '../../discover/slice-facts.js';
import type { KubeClient } from '../../kube/client.js';
import { applyObject } from '../../kube/objects.js';
import type { KubeObject } from '../../model/kube-object.js';
import type { ReachMirror } from '../../model/reach.js';
import type { Service } from '../../model/snapshot.js';
import { FIELD_MANAGER } from '../../modes/ownership.js';
import { sleep } from '../../util/sleep.js';
import { deleteMirror, getEcho, HOSTNAME_PATH, mirrorEntry, planSourceIpEcho } from '../source-ip/index.js';

export interface MirrorPodsOptions {
  id: string;
  count: number;
  /** Echo Pods behind the mirror (at least 2: one Pod shows neither spread nor stickiness). */
  replicas: number;
  image?: string;
  /** How long the mirror may take to be reachable with every echo Pod ready. */
  waitMs: number;
  requestTimeoutMs: number;
  pollMs?: number;
  /** How long to wait, once one echo answered, for the others to answer before counting (default 5 s). */
  settleMs?: number;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

/** The plan's echo Pod and N-1 copies (NAME-2, NAME-3 ...), all selected by the mirror through the probe's label. */
export function withReplicas(objects: readonly KubeObject[], replicas: number): KubeObject[] {
  const i = objects.findIndex((o) => o.kind === 'Pod');
  if (i < 0) return [...objects];
  const pod = objects[i]!;
  const copies = Array.from({ length: Math.max(0, replicas - 1) }, (_, k) => ({
    ...pod,
    metadata: { ...pod.metadata, name: `${pod.metadata.name}-${k + 2}` },
  }));
  return [...objects.slice(0, i + 1), ...copies, ...objects.slice(i + 1)];
}

/** No requests through a mirror, and why (explicit targets, -f files). */
export const noMirror = (error: string): ReachMirror => ({
  mirrors: null,
  target: null,
  replicas: 0,
  requests: 0,
  pods: {},
  unanswered: 0,
  error,
  leftover: [],
});

const empty = (o: MirrorPodsOptions, error: string, rest: Partial<ReachMirror> = {}): ReachMirror => ({
  mirrors: null,
  target: null,
  replicas: o.replicas,
  requests: 0,
  pods: {},
  unanswered: 0,
  error,
  leftover: [],
  ...rest,
});

/** Ready endpoints of the mirror's backend Service (every echo Pod must be one before counting). */
async function readyEchoes(client: KubeClient, namespace: string, service: string): Promise<number> {
  const slices = await client.request<{ items: KubeObject[] }>(
    `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/endpointslices`,
    { query: { labelSelector: `kubernetes.io/service-name=${service}` } },
  );
  return slices.items.flatMap((s) => readSlice(s).endpoints).filter((e) => e.ready).length;
}

export async function mirrorPods(
  client: KubeClient,
  ctx: DiscoveryContext,
  svc: Service,
  o: MirrorPodsOptions,
): Promise<ReachMirror> {
  const planned = planSourceIpEcho(ctx, svc, { id: o.id, ...(o.image ? { image: o.image } : {}) });
  if (planned.via === 'none') return empty(o, `no echo mirror: ${planned.reason}`);
  const plan = { ...planned, objects: withReplicas(planned.objects, o.replicas) };
  const names = new Set(plan.objects.filter((x) => x.kind === 'Pod').map((x) => x.metadata.name!));
  const backend = plan.objects.find((x) => x.kind === 'Service')!.metadata.name!;
  const created: KubeObject[] = [];
  let result: ReachMirror;
  let leftover: string[] = [];
  try {
    for (const obj of plan.objects) {
      if (o.signal?.aborted) break;
      await applyObject(client, obj, { fieldManager: FIELD_MANAGER });
      created.push(obj);
    }
    o.onProgress?.(
      `reach probe: created ${names.size} echo Pods and their ${plan.via === 'service' ? 'mirror Service' : `mirror ${plan.front.kind}`} in ${plan.pod.namespace} (mirroring ${plan.mirrors})`,
    );
    result = await ask(client, plan, backend, names, o);
  } catch (e) {
    result = empty(o, `echo mirror failed: ${(e as Error).message}`, { mirrors: plan.mirrors });
  } finally {
    leftover = await deleteMirror(client, created);
    if (leftover.length > 0) o.onProgress?.(`reach probe: could not delete ${leftover.join('; ')}`);
  }
  return { ...result, leftover };
}

async function ask(
  client: KubeClient,
  plan: Parameters<typeof mirrorEntry>[1],
  backend: string,
  names: Set<string>,
  o: MirrorPodsOptions,
): Promise<ReachMirror> {
  const deadline = Date.now() + o.waitMs;
  let why = 'timed out';
  while (!o.signal?.aborted && Date.now() < deadline) {
    const r = await mirrorEntry(client, plan);
    const ready = 'waiting' in r ? 0 : await readyEchoes(client, plan.pod.namespace, backend);
    if ('waiting' in r) why = r.waiting;
    else if (ready < names.size) why = `${ready} of ${names.size} echo Pods are ready endpoints`;
    else {
      const target = `${r.address.includes(':') ? `[${r.address}]` : r.address}:${r.port}${r.host ? ` (Host ${r.host})` : ''}`;
      const get = async (): Promise<{ pod: string } | { why: string }> => {
        const a = await getEcho({
          address: r.address,
          port: r.port,
          path: HOSTNAME_PATH,
          ...(r.host ? { host: r.host } : {}),
          ...(r.headers ? { headers: r.headers } : {}),
          timeoutMs: o.requestTimeoutMs,
        });
        const pod = a.status === 200 ? a.body.trim() : '';
        return names.has(pod)
          ? { pod }
          : { why: `GET ${target}${HOSTNAME_PATH}: ${a.error ?? `HTTP ${a.status}: ${a.body.slice(0, 80).trim()}`}` };
      };
      // An address or route is published before every hop serves it (the speaker's ARP, the
      // proxies' sync, the controller's router): count only once one echo has answered.
      const first = await get();
      if ('why' in first) why = first.why;
      else {
        // The proxies program endpoints a moment after they are ready (kube-proxy syncs at most
        // once a second, slower on a loaded node): until every echo has answered once, or the
        // settle time is over (a sticky exposure keeps answering from one), nothing is counted.
        const seen = new Set([first.pod]);
        const settleUntil = Date.now() + (o.settleMs ?? 5000);
        while (seen.size < names.size && Date.now() < settleUntil && !o.signal?.aborted) {
          const a = await get();
          if ('pod' in a) seen.add(a.pod);
          else await sleep(100, o.signal);
        }
        const pods: Record<string, number> = {};
        let unanswered = 0;
        for (let i = 0; i < o.count && !o.signal?.aborted; i++) {
          const a = await get();
          if ('pod' in a) pods[a.pod] = (pods[a.pod] ?? 0) + 1;
          else unanswered++;
        }
        return { ...empty(o, ''), mirrors: plan.mirrors, target, requests: o.count, pods, unanswered, error: null };
      }
    }
    await sleep(o.pollMs ?? 500, o.signal);
  }
  return empty(
    o,
    o.signal?.aborted ? 'interrupted' : `echo mirror not reachable within ${Math.round(o.waitMs / 1000)} s: ${why}`,
    {
      mirrors: plan.mirrors,
    },
  );
}
