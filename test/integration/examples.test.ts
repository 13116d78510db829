// The README and --help examples that need a live cluster (needsCluster in
// test/helpers/examples.ts) run here, as written, against the real control plane, in a
// namespace of their own: the kubeconfig's context points at it, and the `shop` namespace of
// an example (shop/web, -n shop) is that namespace. The objects they read are created first
// (Services web, api, db; IngressClass nginx, GatewayClass cilium, Secret shop-tls, a node
// labelled role=edge). The first expose example runs for real (so list, describe, topology
// and unexpose find an exposure); the others ask the API server with --dry-run=server so
// they leave nothing behind. `list -w` never ends: it runs until its first table arrived.
// test/cli/cli/examples.test.ts runs the offline ones, test/network/examples.test.ts the ones
// that need an interface, 192.0.2.10 or root; the first test here checks that the three
// files together run every example.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';
import { allExamples, needsCluster } from '../helpers/examples.js';
import { NETWORK_EXAMPLES } from '../network/examples-cases.js';
import { deploymentYaml, kubectl, testCluster, useNamespace } from './helpers.js';

const ns = useNamespace('examples');
const besideNs = useNamespace('examples-beside');
const cwd = mkdtempSync(join(tmpdir(), 'exposectl-cluster-examples-'));
const EDGE_NODE = 'node-3';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}
interface Case {
  command: string;
  /** run with --dry-run=server: ask the API server, change nothing */
  dryRunServer?: boolean;
  /** prepares what the example reads, before it runs */
  before?: (nsName: string) => Promise<void>;
  /** checks the cluster after it ran */
  after?: (nsName: string) => Promise<void>;
  /** runs until stopped: stop once stdout matches this */
  until?: (nsName: string) => RegExp;
  /**
   * waits out a long timeout: started before the other cases, in a namespace of its own that
   * holds the same Deployment and Service web, so that it runs while they do and they never see
   * the objects it makes
   */
  beside?: true;
  check: (r: Result, nsName: string) => void;
}

/** Exit 0 (or 3: findings at --fail-on) and no error line. */
function succeeded(r: Result, codes = [0]): void {
  expect(codes, `exit ${r.code}\n${r.stderr}`).toContain(r.code);
  expect(r.stderr).not.toMatch(/^error:/m);
}
function dryRunApplied(r: Result): void {
  succeeded(r);
  expect(r.stdout).toMatch(/serverside-applied \(server dry run\)/);
  expect(r.stdout).not.toMatch(/serverside-applied$/m);
}
function rbacApplied(r: Result): void {
  succeeded(r);
  expect(r.stdout).toMatch(
    /^clusterrole\.rbac\.authorization\.k8s\.io\/exposectl-\S+ (created|configured|unchanged)$/m,
  );
  expect(r.stdout).toMatch(
    /^clusterrolebinding\.rbac\.authorization\.k8s\.io\/exposectl-\S+ (created|configured|unchanged)$/m,
  );
}
function json(r: Result): Record<string, unknown> {
  succeeded(r, [0, 3]);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** In the order they run: expose first (one for real), unexpose last. */
const CASES: Case[] = [
  {
    command: 'exposectl expose web --mode nodeport --node-port 30080',
    check: (r) => {
      succeeded(r);
      expect(r.stdout).toMatch(/^service\/web-nodeport serverside-applied$/m);
    },
  },
  ...[
    'exposectl expose web --mode ingress --host shop.example.com --ingress-class nginx --tls-secret shop-tls',
    'exposectl expose web --mode l2 --addresses 198.51.100.10-198.51.100.20 --preserve-source-ip --wait',
    'exposectl expose api --mode bgp --addresses 203.0.113.0/28 --peer 192.0.2.1 --peer-asn 64500 --my-asn 64512',
    'exposectl expose db --mode hostnetwork --node-selector role=edge --preserve-source-ip',
    'exposectl expose web --mode ingress --host shop.example.com --ingress-class nginx --sticky --sticky-timeout 3600',
    'exposectl expose web --mode gateway --gateway-class cilium --host shop.example.com',
  ].map((command) => ({ command, dryRunServer: true, check: dryRunApplied })),
  {
    command: 'exposectl list',
    check: (r, n) => {
      succeeded(r);
      expect(r.stdout).toMatch(/^NAMESPACE\s+NAME\s+MODE/m);
      expect(r.stdout).toMatch(new RegExp(`^${n}\\s+service/web-nodeport\\s+nodeport\\s`, 'm'));
    },
  },
  {
    command: 'exposectl list -A -o wide',
    check: (r, n) => {
      succeeded(r);
      expect(r.stdout).toMatch(/^NAMESPACE\s+NAME\s+MODE\s.*\sSTATUS\s+STICKY\s+IMPLEMENTATION\s/m);
      expect(r.stdout).toMatch(new RegExp(`^${n}\\s+service/web-nodeport\\s+nodeport\\s`, 'm'));
    },
  },
  {
    command: 'exposectl list -A --mode bgp',
    check: (r) => {
      succeeded(r);
      for (const line of r.stdout.split('\n').slice(1).filter(Boolean)) expect(line).toMatch(/\sbgp\s/);
    },
  },
  {
    command: "exposectl list -A -l 'app.kubernetes.io/part-of=shop,tier notin (test)' --no-headers",
    check: (r, n) => {
      succeeded(r);
      expect(r.stdout).toMatch(new RegExp(`^${n}\\s+service/web\\s`, 'm'));
      expect(r.stdout).not.toMatch(/NAMESPACE|web-nodeport|service\/api\s|service\/db\s/);
    },
  },
  {
    command: 'exposectl list -A -w',
    until: (n) => new RegExp(`^${n}\\s+service/web-nodeport\\s`, 'm'),
    check: (r) => {
      expect(r.stdout).toMatch(/^NAMESPACE\s+NAME\s+MODE/m);
      expect(r.stderr).not.toMatch(/^error:/m);
    },
  },
  {
    command: 'exposectl describe web',
    check: (r, n) => {
      succeeded(r);
      expect(r.stdout).toMatch(/^Name:\s+web$/m);
      expect(r.stdout).toMatch(new RegExp(`^Namespace:\\s+${n}$`, 'm'));
    },
  },
  {
    command: 'exposectl describe shop/api -o json',
    check: (r, n) => {
      expect(json(r)).toMatchObject({ kind: 'ServiceDescription', service: { namespace: n, name: 'api' } });
    },
  },
  {
    command: 'exposectl diagnose',
    check: (r, n) => {
      succeeded(r, [0, 3]);
      expect(r.stdout).toContain(`Service ${n}/web-nodeport\n  warning source-ip/etp-cluster`);
      expect(r.stdout).toMatch(/^\d+ findings?: /m);
    },
  },
  {
    command: 'exposectl diagnose web',
    check: (r, n) => {
      succeeded(r, [0, 3]);
      expect(r.stdout).toContain(`Ways from a client to Service ${n}/web:`);
      expect(r.stdout).not.toContain('web-nodeport');
    },
  },
  {
    command: 'exposectl diagnose source-ip web',
    check: (r, n) => {
      succeeded(r, [0, 3]);
      expect(r.stdout).toContain(`-> Service ${n}/web [externalTrafficPolicy Local: client address kept]`);
    },
  },
  {
    command: 'exposectl diagnose affinity web',
    check: (r, n) => {
      succeeded(r, [0, 3]);
      expect(r.stdout).toContain(`Stickiness on the ways to Service ${n}/web:`);
    },
  },
  {
    command: 'exposectl probe endpoints web',
    check: (r) => {
      succeeded(r);
      expect(r.stdout).toMatch(/Endpoints: 2\/2 ready/);
      expect(r.stdout).toMatch(new RegExp(`^${EDGE_NODE}\\s+192\\.0\\.2\\.13\\s`, 'm'));
    },
  },
  {
    command: 'exposectl probe endpoints web --healthz',
    check: (r) => {
      succeeded(r);
      expect(r.stdout).toMatch(/^NODE\s+ADDRESS\s/m);
    },
  },
  {
    command: 'exposectl probe endpoints web -f cluster-dump/',
    before: async (n) => {
      mkdirSync(join(cwd, 'cluster-dump'), { recursive: true });
      writeFileSync(
        join(cwd, 'cluster-dump/objects.yaml'),
        (await kubectl(['get', 'services,endpointslices,pods,nodes', '-n', n, '-o', 'yaml'])).stdout,
      );
    },
    check: (r) => {
      succeeded(r);
      expect(r.stdout).toMatch(/Endpoints: 2\/2 ready/);
    },
  },
  {
    command: 'exposectl diagnose source-ip web --probe',
    beside: true,
    // Nothing plays the data plane here (and no pool gives the mirror an address): after the
    // default --echo-timeout of 90 s the probe says it could not prove it (exit 1), prints the
    // report, and leaves no echo object behind.
    check: (r) => {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^Warning: --probe: source-ip not proven: /m);
      expect(r.stdout).toMatch(/\/web\b/);
    },
    after: async (n) =>
      expect(
        (await kubectl(['get', 'pods,services', '-n', n, '-l', 'app.kubernetes.io/managed-by=exposectl', '-o', 'name']))
          .stdout,
      ).not.toMatch(/exposectl-echo/),
  },
  { command: 'exposectl rbac --read-only --bind group:sre | kubectl apply -f -', check: rbacApplied },
  { command: 'exposectl rbac --mode l2 --bind serviceaccount:ci/deployer | kubectl apply -f -', check: rbacApplied },
  {
    command: 'exposectl probe endpoints shop/web --healthz -o json',
    check: (r, n) => {
      expect(json(r)).toMatchObject({ kind: 'EndpointsProbe', service: { namespace: n, name: 'web' } });
    },
  },
  {
    command: 'exposectl probe endpoints web --healthz --fail-on warning',
    check: (r) => {
      succeeded(r, [0, 3]);
      expect(r.stdout).toMatch(/^NODE\s+ADDRESS/m);
    },
  },
  {
    command: 'exposectl topology shop/web',
    check: (r, n) => {
      succeeded(r);
      expect(r.stdout).toMatch(new RegExp(`Service ${n}/web `));
      expect(r.stdout).toMatch(/pod web-\S+ ready/);
    },
  },
  {
    command: 'exposectl topology -A -o html > topology.html',
    check: (r, n) => {
      succeeded(r);
      const html = readFileSync(join(cwd, 'topology.html'), 'utf8');
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain(`${n}/web`);
    },
  },
  {
    command: 'exposectl topology web -n shop -o mermaid',
    check: (r, n) => {
      succeeded(r);
      expect(r.stdout).toMatch(/^flowchart LR$/m);
      expect(r.stdout).toContain(`Service ${n}/web<br/>`);
    },
  },
  {
    command: 'exposectl topology web -o dot | dot -Tpng > web.png',
    check: (r) => {
      succeeded(r);
      expect(readFileSync(join(cwd, 'web.png')).subarray(1, 4).toString()).toBe('PNG');
    },
  },
  {
    command: 'exposectl rbac --mode nodeport -o yaml > need.yaml && kubectl auth can-i --list',
    check: (r) => {
      succeeded(r);
      expect(readFileSync(join(cwd, 'need.yaml'), 'utf8')).toMatch(/^kind: (Cluster)?Role$/m);
      expect(r.stdout).toMatch(/^Resources\s+Non-Resource URLs/m);
    },
  },
  {
    command: 'exposectl version',
    check: (r) => {
      succeeded(r);
      expect(r.stdout).toMatch(/^Client Version: exposectl /m);
      expect(r.stdout).toMatch(/^Server Version: v1\.35\.\d+$/m);
    },
  },
  {
    command: 'exposectl unexpose shop/web --dry-run=client',
    check: (r) => {
      succeeded(r);
      expect(r.stdout).toMatch(/^service\/web-nodeport deleted \(dry run\)$/m);
    },
  },
  {
    command: 'exposectl unexpose shop/web --dry-run=server',
    check: (r) => {
      succeeded(r);
      expect(r.stdout).toMatch(/^service\/web-nodeport deleted \(server dry run\)$/m);
    },
  },
  {
    command: 'exposectl unexpose web',
    check: (r) => {
      succeeded(r);
      expect(r.stdout).toMatch(/^service\/web-nodeport deleted$/m);
    },
  },
];

/** The example with the test namespace for `shop`, and --dry-run=server where asked. */
function asRun(c: Case, nsName: string): string {
  const command = c.command.replace(/(?<=\s)shop\//g, `${nsName}/`).replace(/(?<=\s-n )shop(?=\s|$)/g, nsName);
  return c.dryRunServer ? `${command} --dry-run=server` : command;
}

let kubeconfig = '';
function shell(command: string, detached = false, config = kubeconfig) {
  const c = testCluster();
  const script = `exposectl() { "${process.execPath}" "${join(REPO_ROOT, 'bin/run.js')}" "$@"; }; kubectl() { "${c.kubectl}" --cache-dir "${join(c.dir, 'kube-cache')}" "$@"; }; ${command}`;
  return execa('bash', ['-c', script], {
    cwd,
    env: { NO_COLOR: '', DEBUG: '', KUBECONFIG: config, HOME: cwd },
    reject: false,
    timeout: 120_000,
    detached,
  });
}

/** A kubeconfig (admin) whose context namespace is `nsName`. */
function kubeconfigFor(nsName: string, file: string): string {
  const admin = parse(readFileSync(testCluster().kubeconfig, 'utf8')) as {
    contexts: Array<{ context: Record<string, unknown> }>;
  };
  for (const ctx of admin.contexts) ctx.context.namespace = nsName;
  writeFileSync(join(cwd, file), JSON.stringify(admin));
  return join(cwd, file);
}

const WEB_SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web, labels: {app.kubernetes.io/part-of: shop, tier: frontend}}
spec: {type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
`;

/** The `beside` cases, started in beforeAll: their runs. */
const besideRuns = new Map<string, ReturnType<typeof shell>>();

const created: string[][] = [];
beforeAll(async () => {
  await kubectl(['apply', '--server-side', '-n', besideNs.name, '-f', '-'], {
    input: `${deploymentYaml('web', 2)}\n---\n${WEB_SERVICE}`,
  });
  await kubectl(['rollout', 'status', '-n', besideNs.name, 'deployment/web', '--timeout=120s']);
  const besideConfig = kubeconfigFor(besideNs.name, 'kubeconfig-beside');
  for (const c of CASES.filter((x) => x.beside))
    besideRuns.set(c.command, shell(asRun(c, besideNs.name), false, besideConfig));
  kubeconfig = kubeconfigFor(ns.name, 'kubeconfig');
  await kubectl(['apply', '--server-side', '-n', ns.name, '-f', '-'], {
    input: `${deploymentYaml('web', 2)}
---
${deploymentYaml('api', 1)}
---
${deploymentYaml('db', 1)}
---
${WEB_SERVICE}---
apiVersion: v1
kind: Service
metadata: {name: api, labels: {app.kubernetes.io/part-of: shop, tier: test}}
spec: {selector: {app: api}, ports: [{name: https, port: 443, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {selector: {app: db}, ports: [{name: pg, port: 5432, targetPort: http}]}
---
apiVersion: v1
kind: Secret
metadata: {name: shop-tls}
type: kubernetes.io/tls
stringData: {tls.crt: not-checked-by-a-dry-run, tls.key: not-checked-by-a-dry-run}
`,
  });
  // Cluster-scoped objects the examples name: made here (and removed after) unless present.
  for (const [kind, name, yaml] of [
    [
      'ingressclass',
      'nginx',
      'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}\n',
    ],
    [
      'gatewayclass',
      'cilium',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: cilium}\nspec: {controllerName: io.cilium/gateway-controller}\n',
    ],
  ] as const) {
    if ((await kubectl(['get', kind, name], { allowFailure: true })).exitCode !== 0) {
      await kubectl(['create', '-f', '-'], { input: yaml });
      created.push([kind, name]);
    }
  }
  await kubectl(['label', 'node', EDGE_NODE, 'role=edge', '--overwrite']);
  await kubectl(['rollout', 'status', '-n', ns.name, 'deployment/web', '--timeout=120s']);
});
afterAll(async () => {
  // What the `rbac ... | kubectl apply -f -` examples applied: the same objects, deleted.
  for (const c of CASES.filter((x) => x.command.endsWith('| kubectl apply -f -'))) {
    await shell(c.command.replace('kubectl apply -f -', 'kubectl delete --ignore-not-found -f -'));
  }
  for (const [kind, name] of created) await kubectl(['delete', kind!, name!, '--ignore-not-found']);
  await kubectl(['label', 'node', EDGE_NODE, 'role-']);
});

describe('README and --help examples against the real control plane', { timeout: 180_000 }, () => {
  it('together with test/cli/cli/examples.test.ts and test/network/examples.test.ts, cover every example', () => {
    const examples = allExamples();
    const cluster = [...new Set(examples.filter((e) => needsCluster(e.command) !== undefined).map((e) => e.command))];
    const run = [...CASES, ...NETWORK_EXAMPLES].map((c) => c.command);
    const uncovered = cluster.filter((command) => !run.includes(command));
    expect(uncovered, 'examples that need a cluster and run nowhere').toEqual([]);
    const stale = run.filter((command) => !cluster.includes(command));
    expect(stale, 'cases for examples the README and --help no longer show').toEqual([]);
  });

  // The `beside` cases last: the others run while they wait.
  const inOrder = [...CASES.filter((c) => !c.beside), ...CASES.filter((c) => c.beside)];
  it.each(inOrder.map((c) => [c.command, c] as const))('%s', async (_command, c) => {
    const besideRun = besideRuns.get(c.command);
    if (besideRun) {
      const r = await besideRun;
      c.check({ code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) }, besideNs.name);
      await c.after?.(besideNs.name);
      return;
    }
    const command = asRun(c, ns.name);
    await c.before?.(ns.name);
    if (!c.until) {
      const r = await shell(command);
      c.check({ code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) }, ns.name);
      await c.after?.(ns.name);
      return;
    }
    const child = shell(command, true); // its own process group: Ctrl-C reaches exposectl, not only bash
    let stdout = '';
    const until = c.until(ns.name);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching first document within 60 s:\n${stdout}`)), 60_000);
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (until.test(stdout)) {
          clearTimeout(timer);
          resolve();
        }
      });
    }).finally(() => process.kill(-child.pid!, 'SIGINT'));
    const r = await child;
    c.check({ code: r.exitCode ?? -1, stdout, stderr: String(r.stderr) }, ns.name);
  });
});
