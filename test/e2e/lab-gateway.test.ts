// The lab's hostNetwork gateway, without a control plane: exposectl's own HAProxy and nginx
// configs (`expose --mode hostnetwork --dry-run client` from a manifest) run the way the lab
// kubelet runs the gateway DaemonSet (configMap volume in a folder, command line rewritten,
// nginx with the host's stream module) in the node namespaces, find the Service by its
// cluster DNS name through the lab's DNS, and forward a real request from the client to an
// echo Pod, which sees the gateway node's address. lab:down's clean-up removes the DNS set-up.
// Needs root, haproxy, nginx-light and libnginx-mod-stream (.ci/system-packages.sh).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterZone } from '../../scripts/lab/dns-zone.ts';
import { startDetached, waitFor } from '../../scripts/lab/host.ts';
import { createNetwork, createPodNetwork, destroyNetwork, etcNetns, LAB_DNS } from '../../scripts/lab/network.ts';
import { configMapFolders, gatewayArgv, nginxWithHostModules } from '../../scripts/lab/pod-spec.ts';
import { CLIENT, labId, NODES, nsName } from '../../scripts/lab/topology.ts';
import { REPO_ROOT } from '../helpers/cli.js';

const run = promisify(execFile);
const ENV = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`, NO_COLOR: '1' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exposectl-labgw-'));
const id = labId(dir);
// Without kube-proxy there is no ClusterIP: the Service's name resolves to the Pod itself, listening on the Service port.
const POD = { node: NODES[2]!, ip: '10.244.3.2' };

async function inNs(
  role: string,
  cmd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('ip', ['netns', 'exec', nsName(id, role), cmd, ...args], { env: ENV, timeout: 20_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** The gateway objects exposectl generates for Service demo/web (port 80). */
async function gatewayObjects(impl: 'haproxy' | 'nginx'): Promise<{
  data: Record<string, string>;
  pod: {
    containers: Array<{ command: string[]; args?: string[]; volumeMounts: Array<{ name: string; mountPath: string }> }>;
    volumes: Array<{ name: string; configMap?: { name: string } }>;
  };
}> {
  const svc = path.join(dir, 'svc.yaml');
  fs.writeFileSync(
    svc,
    'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: demo}\nspec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: 80}]}\n',
  );
  const r = await run(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin/run.js'),
      'expose',
      'demo/web',
      '--mode',
      'hostnetwork',
      '--gateway-impl',
      impl,
      '-f',
      svc,
      '--dry-run',
      'client',
      '-o',
      'json',
    ],
    { env: ENV },
  );
  const items = (
    JSON.parse(r.stdout) as {
      items: Array<{ kind: string; data?: Record<string, string>; spec?: { template: { spec: never } } }>;
    }
  ).items;
  return {
    data: items.find((i) => i.kind === 'ConfigMap')!.data!,
    pod: items.find((i) => i.kind === 'DaemonSet')!.spec!.template.spec,
  };
}

/** Starts the gateway the way the lab kubelet does, in the node's namespace. */
async function startGateway(impl: 'haproxy' | 'nginx', node: string): Promise<string> {
  const { data, pod } = await gatewayObjects(impl);
  const c = pod.containers[0]!;
  const podDir = path.join(dir, 'volumes', impl);
  const folders = configMapFolders(c.volumeMounts, pod.volumes, podDir);
  for (const f of folders) {
    fs.mkdirSync(f.dir, { recursive: true });
    for (const [k, v] of Object.entries(data)) fs.writeFileSync(path.join(f.dir, k), v);
  }
  let argv = gatewayArgv(c.command, c.args, folders);
  if (impl === 'nginx') {
    const w = nginxWithHostModules(argv, path.join(podDir, 'nginx-lab.conf'), path.join(podDir, 'nginx.pid'))!;
    fs.writeFileSync(path.join(podDir, 'nginx-lab.conf'), w.text);
    argv = w.argv;
  }
  const log = path.join(dir, 'logs', `${impl}.log`);
  startDetached(nsName(id, node), impl, argv, log);
  return log;
}

beforeAll(async () => {
  createNetwork(id);
  const hosts = path.join(dir, 'services.zone.json');
  fs.writeFileSync(hosts, JSON.stringify(clusterZone([{ namespace: 'demo', name: 'web', clusterIP: POD.ip }])));
  for (const n of NODES)
    startDetached(
      nsName(id, n.name),
      process.execPath,
      [path.join(REPO_ROOT, 'scripts/lab/dns.ts'), hosts, LAB_DNS.host, String(LAB_DNS.port)],
      path.join(dir, 'logs', `dns-${n.name}.log`),
    );
  const podNs = nsName(id, 'pod-demo.web-1');
  createPodNetwork({ nodeNs: nsName(id, POD.node.name), podNs, veth: `lvgw${id}`, ip: POD.ip });
  startDetached(
    podNs,
    process.execPath,
    [path.join(REPO_ROOT, 'scripts/lab/echo-server.ts'), 'netexec', '--http-port=80'],
    path.join(dir, 'logs', 'echo.log'),
    { POD_NAME: 'web-1', NODE_NAME: POD.node.name, POD_IP: POD.ip },
  );
  for (const n of NODES) {
    await waitFor(
      `the lab DNS in ${n.name}`,
      async () => (await inNs(n.name, 'getent', ['hosts', 'web.demo.svc.cluster.local'])).stdout.startsWith(POD.ip),
      15_000,
    );
  }
}, 60_000);

afterAll(async () => {
  const removed = await destroyNetwork(id);
  expect(removed.stuck).toEqual([]);
  for (const n of NODES) expect(fs.existsSync(etcNetns(nsName(id, n.name)))).toBe(false);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the lab's hostNetwork gateway programs", () => {
  it("the node resolves the Service's cluster DNS name through the lab DNS; an unknown name does not resolve", async () => {
    expect((await inNs('node-1', 'getent', ['hosts', 'web.demo.svc.cluster.local'])).stdout).toMatch(
      new RegExp(`^${POD.ip.replaceAll('.', '\\.')}\\s`),
    );
    expect((await inNs('node-1', 'getent', ['hosts', 'nothing.demo.svc.cluster.local'])).code).not.toBe(0);
  });

  for (const [impl, node] of [
    ['haproxy', NODES[1]!],
    ['nginx', NODES[0]!],
  ] as const) {
    it(`${impl}, with exposectl's config, forwards the client's request on ${node.name}:80 to the Pod, which sees ${node.name}'s address`, async () => {
      const log = await startGateway(impl, node.name);
      let body = '';
      await waitFor(
        `${impl} answering on ${node.ip}:80`,
        async () => {
          const r = await inNs(CLIENT.role, 'curl', ['-s', '-m', '2', `http://${node.ip}/`]);
          body = r.stdout;
          return r.code === 0 && body.length > 0;
        },
        20_000,
        () => fs.readFileSync(log, 'utf8'),
      );
      const echo = JSON.parse(body) as { pod: string; node: string; client: { address: string } };
      expect(echo.pod).toBe('web-1');
      expect(echo.client.address).toBe(node.ip);
      // and the agnhost netexec paths the source-ip probe uses
      expect((await inNs(CLIENT.role, 'curl', ['-s', '-m', '2', `http://${node.ip}/clientip`])).stdout).toMatch(
        new RegExp(`^${node.ip.replaceAll('.', '\\.')}:\\d+$`),
      );
    });
  }
});
