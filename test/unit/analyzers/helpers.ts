// Running the analyzers on small hand-written snapshots (builders from the discovery tests).

import { type RunOptions, runAnalyzers } from '../../../src/analyzers/registry.js';
import type { Check, Facts } from '../../../src/analyzers/types.js';
import { buildContext } from '../../../src/discover/context.js';
import { kindInfoOf } from '../../../src/kube/kinds.js';
import type { Finding } from '../../../src/model/finding.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import type { ProbeFacts } from '../../../src/model/probe-facts.js';
import { emptySnapshot, type Snapshot } from '../../../src/model/snapshot.js';

export * from '../../helpers/builders.js';

/** A snapshot holding the objects, every ConfigMap included (the source filter is tested elsewhere). */
export function snapshotOf(objects: KubeObject[], source: 'files' | 'cluster' = 'files'): Snapshot {
  const s = emptySnapshot({ kind: source, description: 'test' });
  for (const o of objects) {
    const info = kindInfoOf(o.apiVersion, o.kind);
    if (!info) throw new Error(`test object of unknown kind ${o.apiVersion} ${o.kind}`);
    info.add(s, info.strip ? info.strip(o) : o);
  }
  return s;
}

export const clock = { now: () => new Date('2026-11-27T12:00:00Z') };

export function factsOf(snapshot: Snapshot, probes: ProbeFacts = {}, extra: Partial<Facts> = {}): Facts {
  return { snapshot, ctx: buildContext(snapshot), probes, ...extra };
}

export function diagnose(
  snapshot: Snapshot,
  opts: RunOptions & { probes?: ProbeFacts; service?: { namespace: string; name: string } } = {},
): Finding[] {
  const { probes, service, ...run } = opts;
  return runAnalyzers(factsOf(snapshot, probes ?? {}, service ? { service } : {}), clock, run).findings;
}

/** (code, "Kind namespace/name") pairs, sorted: what the table tests compare. */
export function pairs(findings: Finding[]): Array<[string, string]> {
  return findings
    .map((f) => [f.code, `${f.subject.kind} ${f.subject.namespace ?? ''}/${f.subject.name}`] as [string, string])
    .sort((a, b) => (a.join() < b.join() ? -1 : 1));
}

export function check(code: string): Check {
  return code.slice(0, code.indexOf('/')) as Check;
}

// ---- more builders -----------------------------------------------------------------

const o = (
  apiVersion: string,
  kind: string,
  name: string,
  namespace: string | undefined,
  rest: Record<string, unknown>,
): KubeObject => ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...rest }) as KubeObject;

export const configMap = (
  name: string,
  data: Record<string, string>,
  namespace = 'default',
  labels?: Record<string, string>,
) =>
  ({
    ...o('v1', 'ConfigMap', name, namespace, { data }),
    ...(labels ? { metadata: { name, namespace, labels } } : {}),
  }) as KubeObject;

export const secret = (name: string, namespace = 'default') =>
  o('v1', 'Secret', name, namespace, { type: 'kubernetes.io/tls' });

/** A hostNetwork HAProxy DaemonSet mounting ConfigMap `<name>-cfg` with haproxy.cfg. */
export function haproxyGateway(name: string, cfg: string, namespace = 'default'): KubeObject[] {
  return [
    configMap(`${name}-cfg`, { 'haproxy.cfg': cfg }, namespace),
    o('apps/v1', 'DaemonSet', name, namespace, {
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            hostNetwork: true,
            containers: [{ name: 'haproxy', image: 'haproxy:3.2', ports: [{ containerPort: 80, hostPort: 80 }] }],
            volumes: [{ name: 'config', configMap: { name: `${name}-cfg` } }],
          },
        },
      },
    }),
  ];
}

export const haproxyTcp = (server: string, extra = '') =>
  `defaults\n    mode tcp\nfrontend fe\n    bind :80\n    default_backend be\nbackend be\n    server s1 ${server} ${extra}\n`;

/** An ingress-nginx controller Deployment, its ConfigMap, and its Service. */
export function ingressNginx(
  settings: Record<string, string>,
  svc: Record<string, unknown>,
  svcMeta: Record<string, unknown> = {},
): KubeObject[] {
  const ns = 'ingress-nginx';
  const labels = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };
  return [
    configMap('ingress-nginx-controller', settings, ns, labels),
    o('apps/v1', 'Deployment', 'ingress-nginx-controller', ns, {
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'controller',
                image: 'registry.k8s.io/ingress-nginx/controller:v1.12.0',
                args: ['/nginx-ingress-controller', '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller'],
                ports: [
                  { name: 'http', containerPort: 80 },
                  { name: 'https', containerPort: 443 },
                ],
              },
            ],
          },
        },
      },
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ingress-nginx-controller', namespace: ns, ...svcMeta },
      spec: {
        selector: labels,
        ports: [
          { name: 'http', port: 80, targetPort: 'http' },
          { name: 'https', port: 443, targetPort: 'https' },
        ],
        ...svc,
      },
    } as KubeObject,
  ];
}

export const serviceL2Status = (svc: string, nodeName: string) =>
  o('metallb.io/v1beta1', 'ServiceL2Status', `l2-${svc}`, 'metallb-system', {
    status: { node: nodeName, serviceName: svc, serviceNamespace: 'default' },
  });

export const bgpPeer = (name: string, address: string) =>
  o('metallb.io/v1beta2', 'BGPPeer', name, 'metallb-system', {
    spec: { peerAddress: address, peerASN: 64500, myASN: 64501 },
  });
