// Fixtures and golden-file comparison for the mode generator tests.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import type { KubeObject } from '../../../src/model/kube-object.js';
import type { Custom, Node, Service, Workload } from '../../../src/model/snapshot.js';
import { type ExposeFacts, type ExposeSpec, type Problem, planExpose } from '../../../src/modes/index.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Multi-document YAML of the objects, as `expose -o yaml` would print them. */
export function toYAML(objects: KubeObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/** Compare with test/unit/modes/golden/<name>.yaml exactly; UPDATE_GOLDEN=1 rewrites it. */
export function expectGolden(name: string, objects: KubeObject[]): void {
  const file = join(GOLDEN_DIR, `${name}.yaml`);
  const text = toYAML(objects);
  if (UPDATE) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file))
    throw new Error(`golden file ${file} is missing: run UPDATE_GOLDEN=1 npx vitest run test/unit/modes and review it`);
  expect(text, `manifests differ from golden ${name}.yaml (UPDATE_GOLDEN=1 regenerates after review)`).toBe(
    readFileSync(file, 'utf8'),
  );
}

export interface PortSpec {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export function svc(
  name: string,
  opts: {
    namespace?: string;
    ports?: PortSpec[];
    selector?: Record<string, string> | null;
    type?: string;
    annotations?: Record<string, string>;
    etp?: string;
    ip?: string;
    ipFamilies?: string[];
  } = {},
): Service {
  const spec: Record<string, unknown> = {
    ports: opts.ports ?? [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
  };
  if (opts.selector !== null) spec.selector = opts.selector ?? { app: name };
  if (opts.type) spec.type = opts.type;
  if (opts.etp) spec.externalTrafficPolicy = opts.etp;
  if (opts.ipFamilies) spec.ipFamilies = opts.ipFamilies;
  const s: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: opts.namespace ?? 'shop',
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
    },
    spec,
  };
  if (opts.ip) s.status = { loadBalancer: { ingress: [{ ip: opts.ip }] } };
  return s as unknown as Service;
}

export function pool(
  name: string,
  addresses: string[],
  extra: Record<string, unknown> = {},
  labels?: Record<string, string>,
): Custom {
  return {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name, namespace: 'metallb-system', ...(labels ? { labels } : {}) },
    spec: { addresses, ...extra },
  };
}

export function l2ad(name: string, pools?: string[]): Custom {
  return {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'L2Advertisement',
    metadata: { name, namespace: 'metallb-system' },
    spec: pools ? { ipAddressPools: pools } : {},
  };
}

export function bgpad(name: string, pools?: string[]): Custom {
  return {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'BGPAdvertisement',
    metadata: { name, namespace: 'metallb-system' },
    spec: pools ? { ipAddressPools: pools } : {},
  };
}

export function peer(name: string, address: string, peerASN: number, myASN: number): Custom {
  return {
    apiVersion: 'metallb.io/v1beta2',
    kind: 'BGPPeer',
    metadata: { name, namespace: 'metallb-system' },
    spec: { peerAddress: address, peerASN, myASN },
  };
}

export function node(
  name: string,
  labels: Record<string, string> = {},
  taints: Array<{ key: string; value?: string; effect: string }> = [],
): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: taints.length ? { taints } : {},
  } as unknown as Node;
}

export function daemonSet(
  name: string,
  namespace: string,
  opts: {
    hostNetwork?: boolean;
    nodeSelector?: Record<string, string>;
    ports: Array<{ containerPort: number; hostPort?: number; protocol?: string }>;
  },
): Workload {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(opts.hostNetwork ? { hostNetwork: true } : {}),
          ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}),
          containers: [{ name: 'c', image: 'x', ports: opts.ports }],
        },
      },
    },
  } as unknown as Workload;
}

export function named(kind: string, name: string, namespace?: string, extra: Record<string, unknown> = {}): Custom {
  return { apiVersion: 'v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...extra };
}

/** A problem case: the problems must include one on `field` whose message contains `message`. */
export interface ProblemCase {
  name: string;
  spec: Partial<ExposeSpec>;
  facts?: ExposeFacts;
  field: string;
  message: string | RegExp;
  code?: string;
}

export function expectProblem(base: ExposeSpec, c: ProblemCase): Problem[] {
  const plan = planExpose({ ...base, ...c.spec } as ExposeSpec, c.facts ?? {});
  const hit = plan.problems.find(
    (p) =>
      p.field === c.field &&
      (typeof c.message === 'string' ? p.message.includes(c.message) : c.message.test(p.message)),
  );
  expect(
    hit,
    `expected a problem on ${c.field} matching ${String(c.message)}; got ${JSON.stringify(plan.problems)}`,
  ).toBeDefined();
  if (c.code !== undefined) expect(hit!.code).toBe(c.code);
  expect(plan.manifests).toEqual([]);
  return plan.problems;
}

/** Plan that must succeed; returns the manifests. */
export function expectOK(spec: ExposeSpec, facts: ExposeFacts = {}): { manifests: KubeObject[]; notes: string[] } {
  const plan = planExpose(spec, facts);
  expect(plan.problems, `unexpected problems: ${JSON.stringify(plan.problems)}`).toEqual([]);
  return { manifests: plan.manifests, notes: plan.notes };
}

/** Every generated object carries the ownership labels (the in-place patch never does). */
export function expectOwnedLabels(objects: KubeObject[], svcName: string): void {
  for (const o of objects) {
    if (o.metadata.annotations?.['exposectl.dev/in-place'] !== undefined) {
      expect(
        o.metadata.labels?.['app.kubernetes.io/managed-by'],
        `${o.kind} ${o.metadata.name} is a user Service patch`,
      ).toBeUndefined();
      continue;
    }
    expect(o.metadata.labels?.['app.kubernetes.io/managed-by'], `${o.kind} ${o.metadata.name}`).toBe('exposectl');
    expect(o.metadata.labels?.['exposectl.dev/service'], `${o.kind} ${o.metadata.name}`).toBe(svcName);
    if (o.apiVersion.startsWith('metallb.io/')) expect(o.metadata.namespace).toBe('metallb-system');
  }
}
