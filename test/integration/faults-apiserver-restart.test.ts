// Fault: the API server is killed (SIGKILL: a crash) and started again, on a control plane
// of this file's own (the run's shared cluster is never touched).
//
// 1. In the middle of `expose` of a multi-object mode: a real admission webhook holds the
//    write of the second object, so the first one is stored and the rest are not when the
//    API server dies. The interrupted run exits 1 with one clear line; after the restart,
//    the same command converges to exactly the objects a clean run plans (no duplicate, no
//    leftover, nothing wrong), and MetalLB, the controllers and kwok make it serve.
// 2. `expose --wait` rides out a restart: the wait shows the API server as unreachable,
//    goes on polling, and returns 0 once the exposure serves after the restart.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli, startCli } from '../helpers/cli.js';
import { holdAdmission } from './admission-hold.js';
import { deploymentYaml, kubectl, kubectlJson, waitUntil } from './helpers.js';
import { useOwnCluster } from './own-cluster.js';

const own = useOwnCluster();
// An API server restart takes 10-15 s on an idle 2-core machine, much longer on a loaded one.
const TEST_TIMEOUT_MS = 400_000;
// Unique, so that a reused cluster (EXPOSECTL_TEST_OWN_CLUSTER_DIR) starts clean too.
const NS = `faults-${randomBytes(3).toString('hex')}`;

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    resourceVersion?: string;
    managedFields?: Array<{ manager: string; operation: string; time?: string; fieldsV1?: unknown }>;
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

/**
 * What exposectl's own write left on an object. Not the resourceVersion: controllers keep
 * writing status (MetalLB counts a pool's assigned addresses), which bumps it at any time.
 */
function ownWrite(o: Obj | undefined): string {
  if (!o) return 'absent';
  // Annotations are left out too: MetalLB annotates a Service with the pool it allocated from.
  const applied = (o.metadata.managedFields ?? []).filter((m) => m.manager === 'exposectl');
  return JSON.stringify({ labels: o.metadata.labels, spec: o.spec, data: o.data, applied });
}

/** kubectl resource names of the kinds the tested modes write. */
const RESOURCE: Record<string, string> = {
  IPAddressPool: 'ipaddresspools.metallb.io',
  L2Advertisement: 'l2advertisements.metallb.io',
  Service: 'services',
  ConfigMap: 'configmaps',
  DaemonSet: 'daemonsets.apps',
};

function cli(args: string[]): Promise<CliResult> {
  return runCli(args, { env: { KUBECONFIG: own.cluster.kubeconfig }, timeoutMs: 180_000 });
}

const k = (args: string[], input?: string) =>
  kubectl(args, { cluster: own.cluster, ...(input !== undefined ? { input } : {}) });
const kJson = <T>(args: string[]) => kubectlJson<T>(args, { cluster: own.cluster });

const backend = (name: string, replicas: number) => `
${deploymentYaml(name, replicas, { namespace: NS })}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${NS}}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: http}]
`;

beforeAll(async () => {
  await k(['create', 'namespace', NS]);
  await waitUntil(
    `serviceaccount default in namespace ${NS}`,
    async () =>
      (await kubectl(['get', 'serviceaccount', 'default', '-n', NS], { cluster: own.cluster, allowFailure: true }))
        .exitCode === 0,
  );
  await k(['apply', '-f', '-'], [backend('web', 2), backend('edge', 1), backend('late', 0)].join('---\n'));
}, 120_000);

afterAll(async () => {
  // Only matters on a reused cluster: a fresh one is stopped and removed by useOwnCluster.
  if (!own.cluster) return;
  await kubectl(
    [
      'delete',
      'ipaddresspools.metallb.io,l2advertisements.metallb.io',
      '-n',
      'metallb-system',
      '-l',
      `exposectl.dev/service-namespace=${NS}`,
      '--ignore-not-found',
    ],
    { cluster: own.cluster, allowFailure: true },
  );
  await kubectl(['delete', 'namespace', NS, '--wait=false', '--ignore-not-found'], {
    cluster: own.cluster,
    allowFailure: true,
  });
});

/** What a clean run would apply: the generator's plan, from the live Service and cluster facts. */
async function planned(args: string[]): Promise<Obj[]> {
  const r = await cli([...args, '--dry-run=client', '-o', 'json']);
  expect(r.exitCode, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { items: Obj[] }).items;
}

async function live(o: Obj): Promise<Obj | undefined> {
  const r = await kubectl(
    [
      'get',
      `${RESOURCE[o.kind]}/${o.metadata.name}`,
      '-n',
      o.metadata.namespace ?? NS,
      '--show-managed-fields',
      '-o',
      'json',
    ],
    { cluster: own.cluster, allowFailure: true },
  );
  return r.exitCode === 0 ? (JSON.parse(r.stdout) as Obj) : undefined;
}

/** Every object exposectl owns for the Service, wherever it lives, as kind/namespace/name. */
async function ownedObjects(service: string, kinds: string[]): Promise<string[]> {
  const selector = `exposectl.dev/service=${service},exposectl.dev/service-namespace=${NS}`;
  const list = await kJson<{ items: Obj[] }>([
    'get',
    kinds.map((kind) => RESOURCE[kind]).join(','),
    '-A',
    '-l',
    selector,
  ]);
  return list.items.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort();
}

const idOf = (o: Obj) => `${o.kind}/${o.metadata.namespace ?? NS}/${o.metadata.name}`;

function expectOneLineApiError(r: CliResult): void {
  expect(r.exitCode, r.stderr).toBe(1);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
  expect(errors, r.stderr).toHaveLength(1);
  console.log(`[faults] the interrupted run said: ${r.stderr.trimEnd()}`);
  expect(errors[0]).toContain(own.cluster.apiserverUrl);
  expect(errors[0]).toMatch(/cannot reach the API server|connection (reset|closed)|timed out/);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe.each([
  {
    mode: 'l2',
    service: 'web',
    flags: ['--mode', 'l2', '--addresses', '198.51.100.10/30'],
    kinds: ['IPAddressPool', 'L2Advertisement', 'Service'],
    hold: { group: 'metallb.io', version: 'v1beta1', resource: 'l2advertisements' },
    probe: `apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: webhook-probe, namespace: metallb-system, labels: {app.kubernetes.io/managed-by: exposectl}}
spec: {}
`,
  },
  {
    mode: 'hostnetwork',
    service: 'edge',
    flags: ['--mode', 'hostnetwork', '--node-selector', 'kubernetes.io/hostname=node-2'],
    kinds: ['ConfigMap', 'DaemonSet'],
    hold: { group: 'apps', version: 'v1', resource: 'daemonsets' },
    probe: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: webhook-probe, namespace: ${NS}, labels: {app.kubernetes.io/managed-by: exposectl}}
spec:
  selector: {matchLabels: {app: webhook-probe}}
  template:
    metadata: {labels: {app: webhook-probe}}
    spec: {containers: [{name: c, image: registry.invalid/probe:1}]}
`,
  },
])('API server killed in the middle of expose --mode $mode', ({ service, flags, kinds, hold: target, probe }) => {
  it(
    'the interrupted run exits 1 clearly; the same command then converges to the planned objects',
    async () => {
      const args = ['expose', service, '-n', NS, ...flags];
      const plan = await planned(args);
      expect(plan.map((o) => o.kind)).toEqual(kinds);
      expect(await ownedObjects(service, kinds), '--dry-run=client wrote to the cluster').toEqual([]);
      const heldKindAt = plan.findIndex((o) => RESOURCE[o.kind]?.split('.')[0] === target.resource);
      expect(heldKindAt).toBeGreaterThan(0); // something is stored before the held write

      const hold = await holdAdmission(own.cluster, { ...target, probe });
      let released = false;
      try {
        const first = startCli(args, { env: { KUBECONFIG: own.cluster.kubeconfig }, timeoutMs: 120_000 });
        // The held write arrives once the objects before it are stored; fail clearly if the run ends first.
        const request = await Promise.race([
          hold.held,
          first.then((r) => {
            throw new Error(
              `expose ended before its ${target.resource} write reached the API server (exit ${r.exitCode}):\n${r.stderr}`,
            );
          }),
        ]);
        expect(request.name).toBe(plan[heldKindAt]!.metadata.name);
        await own.killApiserver();
        const interrupted = await first;
        expectOneLineApiError({
          stdout: String(interrupted.stdout),
          stderr: String(interrupted.stderr),
          exitCode: interrupted.exitCode ?? -1,
        });
        // ... naming what it had stored, and how to finish.
        const stored = plan
          .slice(0, heldKindAt)
          .map(
            (o) =>
              `${o.kind.toLowerCase()}${o.apiVersion.includes('/') ? `.${o.apiVersion.split('/')[0]}` : ''}/${o.metadata.name}`,
          );
        expect(String(interrupted.stderr)).toContain(`; already applied: ${stored.join(', ')}`);
        expect(String(interrupted.stderr)).toMatch(/^hint: .*then run the same command again/m);

        await own.startApiserver();
        await hold.release();
        released = true;
      } finally {
        if (!released) await hold.release().catch(() => undefined);
      }

      // The crash left a partial exposure: what came before the held write, nothing after.
      expect(await ownedObjects(service, kinds)).toEqual(plan.slice(0, heldKindAt).map(idOf).sort());

      // The same command (waiting until it serves: MetalLB, the controllers and kwok work after the restart).
      const again = await cli([...args, '--wait', '--timeout', '2m']);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/^serving: /m);

      // Converged: exactly the planned objects, each with the planned labels, spec and data.
      expect(await ownedObjects(service, kinds)).toEqual(plan.map(idOf).sort());
      const before: Record<string, string | undefined> = {};
      for (const want of plan) {
        const got = await live(want);
        expect(got, idOf(want)).toBeDefined();
        expect(got, idOf(want)).toMatchObject({
          metadata: { labels: want.metadata.labels ?? {} },
          ...(want.spec ? { spec: want.spec } : {}),
          ...(want.data ? { data: want.data } : {}),
        });
        before[idOf(want)] = ownWrite(got);
      }

      // And once converged, running it again changes nothing.
      const third = await cli(args);
      expect(third.exitCode, third.stderr).toBe(0);
      for (const want of plan) expect(ownWrite(await live(want)), idOf(want)).toBe(before[idOf(want)]);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('expose --wait across an API server restart', () => {
  it(
    'shows the API server as unreachable, keeps polling, and returns 0 once the exposure serves',
    async () => {
      // No pods yet: the wait cannot end before the restart.
      const waiting = startCli(
        ['expose', 'late', '-n', NS, '--mode', 'l2', '--addresses', '198.51.100.20/30', '--wait', '--timeout', '3m'],
        { env: { KUBECONFIG: own.cluster.kubeconfig }, timeoutMs: 240_000 },
      );
      let stderr = '';
      let exited: number | undefined;
      void waiting.then((r) => (exited = r.exitCode ?? -1));
      waiting.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const progress = (what: RegExp, label: string) =>
        waitUntil(
          label,
          () => {
            if (exited !== undefined) throw new Error(`expose exited (${exited}) early:\n${stderr}`);
            return what.test(stderr);
          },
          { timeoutMs: 90_000, intervalMs: 100 },
        );

      await progress(
        /ready: +service\/\S+ address: 198\.51\.100\.2[0-3]/,
        'MetalLB assigned the address (before the restart)',
      );
      await progress(/waiting: service\/\S+ endpoints: no endpoints/, 'expose --wait waits for endpoints');
      await own.killApiserver();
      await progress(
        new RegExp(
          `waiting: API server: cannot reach the API server at ${own.cluster.apiserverUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: [^\\n]*; retrying`,
        ),
        'the wait reports the API server unreachable',
      );
      await own.startApiserver();
      await k(['scale', 'deployment/late', '-n', NS, '--replicas=1']);

      const r = await waiting;
      expect(r.exitCode, stderr).toBe(0);
      expect(String(r.stdout)).toMatch(/^serving: .*service\/\S+ endpoints 1\/1 ready/m);
      expect(stderr).toMatch(/ready: +service\/\S+ endpoints: 1\/1 ready/);
      // The outage and the recovery are both progress lines, in that order.
      expect(stderr).toMatch(/waiting: API server: [^\n]*retrying\n(.*\n)*.*ready: +API server: answering again/);
      expect(stderr).not.toMatch(/^error: /m);
    },
    TEST_TIMEOUT_MS,
  );
});
