// The lab kubelet: runs, for real, the Pods that carry the label exposectl.dev/lab-kubelet=true
// once the scheduler (or a DaemonSet) has put them on a lab node. kwok keeps the nodes
// Ready and leaves these Pods alone (cluster:up starts it with
// --disregard-status-with-label-selector for that label).
//
//   node scripts/lab/kubelet.ts --dir DIR      (started by lab:up, stopped by lab:down)
//
// For each such Pod: a network namespace behind its node (veth, the next free address of the
// node's podCIDR, routed; hostNetwork Pods run in the node's namespace), the program of its
// image (scripts/lab/pod-spec.ts) with the container's env and args, and a status written
// back: Running, podIP, Ready once the first containerPort listens. A dead process is
// restarted (restartCount). A Pod being deleted is stopped, its namespace removed and its
// object deleted with grace 0, as a kubelet does. Polls every second (no watch to keep alive).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Api, ApiError } from './api.ts';
import { clusterZone } from './dns-zone.ts';
import {
  cmdlineOf,
  commandExists,
  isAlive,
  killAll,
  LabError,
  log,
  parseFlags,
  pidsIn,
  resolveDir,
  runMain,
  sleep,
  startDetached,
  startTicksOf,
} from './host.ts';
import { adoptable, orphans, planPod } from './kubelet-plan.ts';
import { createPodNetwork, deletePodNetwork } from './network.ts';
import {
  configMapFolders,
  containerEnv,
  type EnvVar,
  FOREIGN_ECHO_IMAGES,
  GATEWAY_IMAGES,
  gatewayArgv,
  LAB_IMAGES,
  listensOn,
  nginxWithHostModules,
  type Program,
  programOf,
  type Volume,
  type VolumeMount,
} from './pod-spec.ts';
import { runningStatus, statusSignature, unrunnableStatus } from './pod-status.ts';
import { type LabState, labDir, readState, SERVICE_ZONE_FILE } from './state.ts';
import { LAB_KUBELET_LABEL, nextPodIp, nodeByName, nsName, podRole, podVethName } from './topology.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TOOL = 'lab:kubelet';

interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  volumeMounts?: VolumeMount[];
  env?: EnvVar[];
  ports?: Array<{ containerPort: number }>;
}

interface Pod {
  metadata: { name: string; namespace: string; uid: string; deletionTimestamp?: string; [k: string]: unknown };
  spec: { nodeName?: string; hostNetwork?: boolean; containers: Container[]; volumes?: Volume[]; [k: string]: unknown };
  status?: Record<string, unknown>;
}

/** What the kubelet runs for one Pod; persisted in DIR/lab/pods/ so a restarted kubelet carries on. */
interface Running {
  uid: string;
  namespace: string;
  name: string;
  node: string;
  hostNetwork: boolean;
  netns: string;
  veth?: string;
  ip: string;
  pid: number;
  cmdline: string[];
  /** The process's start time (host.ts startTicksOf): nginx renames itself, so its cmdline alone does not identify it. */
  startTicks?: string;
  restarts: number;
  startTime: string;
  startedAt: string;
  unrunnable?: string;
}

class Kubelet {
  private readonly running = new Map<string, Running>();
  private readonly podsDir: string;
  private readonly state: LabState;
  private readonly api: Api;
  private serviceZoneText = '';

  constructor(state: LabState, api: Api) {
    this.state = state;
    this.api = api;
    this.podsDir = path.join(labDir(state.dir), 'pods');
    fs.mkdirSync(this.podsDir, { recursive: true });
    for (const f of fs.readdirSync(this.podsDir)) {
      if (!f.endsWith('.json')) continue;
      const r = JSON.parse(fs.readFileSync(path.join(this.podsDir, f), 'utf8')) as Running;
      this.running.set(r.uid, r);
    }
  }

  private save(r: Running): void {
    fs.writeFileSync(path.join(this.podsDir, `${r.namespace}.${r.name}.json`), JSON.stringify(r));
  }

  private forget(r: Running): void {
    this.running.delete(r.uid);
    fs.rmSync(path.join(this.podsDir, `${r.namespace}.${r.name}.json`), { force: true });
  }

  async syncOnce(): Promise<void> {
    const all = await this.api.request<{ items: Pod[] }>('GET', '/api/v1/pods');
    const labelled = (p: Pod): boolean =>
      (p.metadata.labels as Record<string, string> | undefined)?.[LAB_KUBELET_LABEL.key] === LAB_KUBELET_LABEL.value;
    for (const pod of all.items) {
      if (
        !adoptable({
          labelled: labelled(pod),
          nodeName: pod.spec.nodeName,
          deleting: pod.metadata.deletionTimestamp !== undefined,
          image: pod.spec.containers[0]?.image,
        })
      )
        continue;
      await this.api
        .request(
          'PATCH',
          `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`,
          { metadata: { labels: { [LAB_KUBELET_LABEL.key]: LAB_KUBELET_LABEL.value } } },
          'application/merge-patch+json',
        )
        .then(() =>
          log(
            TOOL,
            `${pod.metadata.namespace}/${pod.metadata.name}: image ${pod.spec.containers[0]?.image} runs in the lab; labelled it to run it for real`,
          ),
        )
        .catch((e: unknown) =>
          log(TOOL, `${pod.metadata.namespace}/${pod.metadata.name}: could not label it: ${(e as Error).message}`),
        );
    }
    await this.writeServiceZone();
    const list = { items: all.items.filter(labelled) };
    for (const pod of list.items) {
      const container = pod.spec.containers[0];
      const r = this.running.get(pod.metadata.uid);
      const action = planPod(
        {
          nodeName: pod.spec.nodeName,
          deleting: pod.metadata.deletionTimestamp !== undefined,
          image: container?.image,
        },
        r && { unrunnable: r.unrunnable !== undefined, alive: isAlive(r.pid) },
      );
      if (action === 'ignore' || !container) continue;
      try {
        if (action === 'remove') {
          await this.remove(pod);
          continue;
        }
        if (action === 'start') await this.start(pod, container, programOf(container.image)!);
        if (action === 'reject') this.reject(pod, container);
        if (action === 'restart' && r) {
          log(TOOL, `${r.namespace}/${r.name}: process ${r.pid} exited; restarting`);
          r.restarts++;
          await this.launch(r, pod, container, programOf(container.image)!);
        }
        await this.report(pod, container, this.running.get(pod.metadata.uid)!);
      } catch (e) {
        log(TOOL, `${pod.metadata.namespace}/${pod.metadata.name}: ${(e as Error).message}`);
      }
    }
    for (const uid of orphans(this.running.keys(), new Set(list.items.map((p) => p.metadata.uid)))) {
      const r = this.running.get(uid)!;
      log(TOOL, `${r.namespace}/${r.name}: gone from the API; stopping it`);
      await this.teardown(r);
    }
  }

  /** The Services' DNS records (scripts/lab/dns-zone.ts), for the lab's cluster DNS (scripts/lab/dns.ts). */
  private async writeServiceZone(): Promise<void> {
    type Port = { name?: string; port: number; protocol?: string };
    const svcs = await this.api.request<{
      items: Array<{ metadata: { name: string; namespace: string }; spec: { clusterIP?: string; ports?: Port[] } }>;
    }>('GET', '/api/v1/services');
    // headless Services: their ready endpoints (what the sticky hostNetwork gateways balance over)
    const slices = svcs.items.some((s) => s.spec.clusterIP === 'None')
      ? await this.api.request<{
          items: Array<{
            metadata: { namespace: string; labels?: Record<string, string> };
            ports?: Port[] | null;
            endpoints?: Array<{ addresses: string[]; hostname?: string; conditions?: { ready?: boolean } }>;
          }>;
        }>('GET', '/apis/discovery.k8s.io/v1/endpointslices')
      : { items: [] };
    const readySlices = (ns: string, name: string) =>
      slices.items
        .filter((sl) => sl.metadata.namespace === ns && sl.metadata.labels?.['kubernetes.io/service-name'] === name)
        .map((sl) => ({
          ports: sl.ports ?? [],
          endpoints: (sl.endpoints ?? [])
            .filter((e) => e.conditions?.ready !== false)
            .flatMap((e) =>
              e.addresses.map((address) => ({ address, ...(e.hostname ? { hostname: e.hostname } : {}) })),
            )
            .sort((x, y) => x.address.localeCompare(y.address)),
        }));
    const zone = clusterZone(
      svcs.items.map((s) => ({
        namespace: s.metadata.namespace,
        name: s.metadata.name,
        ...(s.spec.clusterIP ? { clusterIP: s.spec.clusterIP } : {}),
        ports: s.spec.ports ?? [],
        ...(s.spec.clusterIP === 'None' ? { slices: readySlices(s.metadata.namespace, s.metadata.name) } : {}),
      })),
    );
    const text = `${JSON.stringify(zone, null, 1)}\n`;
    if (text === this.serviceZoneText) return;
    const file = path.join(labDir(this.state.dir), SERVICE_ZONE_FILE);
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
    this.serviceZoneText = text;
  }

  /** Writes the Pod's status when what it says differs from what runs. */
  private async report(pod: Pod, container: Container, r: Running): Promise<void> {
    const node = nodeByName(r.node)!;
    const now = new Date().toISOString();
    const status = r.unrunnable
      ? unrunnableStatus(node.ip, container, r.unrunnable, r.startTime)
      : runningStatus({
          hostIP: node.ip,
          podIP: r.ip,
          startTime: r.startTime,
          now,
          container: {
            name: container.name,
            image: container.image,
            ready: this.ready(r, container),
            restartCount: r.restarts,
            startedAt: r.startedAt,
            pid: r.pid,
          },
        });
    if (statusSignature(status) !== statusSignature(pod.status)) {
      // The API server set qosClass at creation and refuses to see it change.
      const body = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: pod.metadata,
        spec: pod.spec,
        status: { ...status, qosClass: pod.status?.qosClass },
      };
      await this.api
        .request('PUT', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, body)
        .catch((e: unknown) => {
          if (!(e instanceof ApiError && e.status === 409)) throw e; // changed meanwhile: next round
        });
    }
  }

  private ready(r: Running, container: Container): boolean {
    if (!isAlive(r.pid)) return false;
    const port = container.ports?.[0]?.containerPort;
    if (port === undefined) return true;
    // Go listens on 0.0.0.0 with a dual-stack socket, which /proc lists under tcp6.
    return ['tcp', 'tcp6'].some((f) => {
      try {
        return listensOn(fs.readFileSync(`/proc/${r.pid}/net/${f}`, 'utf8'), port);
      } catch {
        return false;
      }
    });
  }

  private reject(pod: Pod, container: Container): Running {
    const message = `the lab kubelet cannot run image ${container.image} (it runs ${[...Object.values(LAB_IMAGES), ...FOREIGN_ECHO_IMAGES, ...Object.keys(GATEWAY_IMAGES)].join(', ')})`;
    log(TOOL, `${pod.metadata.namespace}/${pod.metadata.name}: ${message}`);
    const now = new Date().toISOString();
    const r: Running = {
      uid: pod.metadata.uid,
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      node: pod.spec.nodeName!,
      hostNetwork: true,
      netns: '',
      ip: '',
      pid: 0,
      cmdline: [],
      restarts: 0,
      startTime: now,
      startedAt: now,
      unrunnable: message,
    };
    this.running.set(r.uid, r);
    this.save(r);
    return r;
  }

  /** The Pod's network (unless hostNetwork), then its process. */
  private async start(pod: Pod, container: Container, program: Program): Promise<Running> {
    const node = nodeByName(pod.spec.nodeName!)!;
    const nodeNs = nsName(this.state.id, node.name);
    const now = new Date().toISOString();
    const base = {
      uid: pod.metadata.uid,
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      node: node.name,
      pid: 0,
      cmdline: [],
      restarts: 0,
      startTime: now,
      startedAt: now,
    };
    let r: Running;
    if (pod.spec.hostNetwork) {
      r = { ...base, hostNetwork: true, netns: nodeNs, ip: node.ip };
    } else {
      const inUse = new Set([...this.running.values()].filter((x) => x.node === node.name).map((x) => x.ip));
      const ip = nextPodIp(node, inUse);
      if (!ip) throw new Error(`node ${node.name} has no free address left in ${node.podCIDR}`);
      const netns = nsName(this.state.id, podRole(pod.metadata.namespace, pod.metadata.name));
      const veth = podVethName(pod.metadata.namespace, pod.metadata.name);
      createPodNetwork({ nodeNs, podNs: netns, veth, ip });
      r = { ...base, hostNetwork: false, netns, veth, ip };
    }
    this.running.set(r.uid, r);
    await this.launch(r, pod, container, program);
    log(TOOL, `${r.namespace}/${r.name}: started on ${r.node} (${r.ip}, pid ${r.pid})`);
    return r;
  }

  /** The configMap volumes of a gateway container, written into DIR/lab/volumes/<namespace>.<pod>/<volume>/. */
  private async writeVolumes(r: Running, pod: Pod, container: Container): Promise<ReturnType<typeof configMapFolders>> {
    const folders = configMapFolders(
      container.volumeMounts,
      pod.spec.volumes,
      path.join(labDir(this.state.dir), 'volumes', `${r.namespace}.${r.name}`),
    );
    for (const f of folders) {
      const cm = await this.api.request<{ data?: Record<string, string> }>(
        'GET',
        `/api/v1/namespaces/${r.namespace}/configmaps/${f.configMap}`,
      );
      fs.rmSync(f.dir, { recursive: true, force: true });
      fs.mkdirSync(f.dir, { recursive: true });
      for (const [k, v] of Object.entries(cm.data ?? {})) fs.writeFileSync(path.join(f.dir, k), v);
    }
    return folders;
  }

  private async launch(r: Running, pod: Pod, container: Container, program: Program): Promise<void> {
    const node = nodeByName(r.node)!;
    if ((program === 'haproxy' || program === 'nginx') && !commandExists(program)) {
      throw new Error(
        `missing prerequisite: ${program} on the host (Debian package ${program === 'nginx' ? 'nginx-light with libnginx-mod-stream' : 'haproxy'}; bash .ci/system-packages.sh): the lab cannot run this hostNetwork gateway`,
      );
    }
    let gateway =
      program === 'haproxy' || program === 'nginx'
        ? gatewayArgv(container.command, container.args, await this.writeVolumes(r, pod, container))
        : [];
    if (program === 'nginx') {
      const dir = path.join(labDir(this.state.dir), 'volumes', `${r.namespace}.${r.name}`);
      const wrapped = nginxWithHostModules(gateway, path.join(dir, 'nginx-lab.conf'), path.join(dir, 'nginx.pid'));
      if (wrapped) {
        fs.writeFileSync(path.join(dir, 'nginx-lab.conf'), wrapped.text);
        gateway = wrapped.argv;
      }
    }
    // HOSTNAME as a container runtime sets it: the Pod's hostname (its name), or the node's with hostNetwork.
    const hostname = pod.spec.hostNetwork ? r.node : String(pod.spec.hostname ?? r.name);
    const env: Record<string, string> = {
      HOSTNAME: hostname,
      ...containerEnv(container.env, {
        name: r.name,
        namespace: r.namespace,
        nodeName: r.node,
        podIP: r.ip,
        hostIP: node.ip,
      }),
    };
    const expandedArgs = (container.args ?? []).map((a) =>
      a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n: string) => env[n] ?? m),
    );
    const [cmd, args]: [string, string[]] = {
      echo: (): [string, string[]] => [process.execPath, [path.join(HERE, 'echo-server.ts'), ...expandedArgs]],
      'kube-proxy': (): [string, string[]] => [path.join(this.state.labBinDir, 'kube-proxy'), expandedArgs],
      'metallb-speaker': (): [string, string[]] => [
        path.join(this.state.clusterBinDir, 'metallb-speaker'),
        expandedArgs,
      ],
      traefik: (): [string, string[]] => [path.join(this.state.labBinDir, 'traefik'), expandedArgs],
      // the host's HAProxy and nginx, with the DaemonSet's command line (mount paths rewritten)
      haproxy: (): [string, string[]] => ['haproxy', gateway],
      nginx: (): [string, string[]] => ['nginx', gateway],
    }[program]();
    const logFile = path.join(labDir(this.state.dir), 'logs', `${r.namespace}.${r.name}.log`);
    const started = startDetached(r.netns, cmd, args, logFile, {
      ...env,
      KUBECONFIG: this.state.kubeconfigInNamespaces,
    });
    r.pid = started.pid;
    r.cmdline = ['ip', 'netns', 'exec', r.netns, cmd, ...args];
    r.startTicks = startTicksOf(started.pid);
    r.startedAt = new Date().toISOString();
    this.save(r);
  }

  private async remove(pod: Pod): Promise<void> {
    const r = this.running.get(pod.metadata.uid);
    if (r) await this.teardown(r);
    await this.api
      .request('DELETE', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid },
      })
      .catch((e: unknown) => {
        if (!(e instanceof ApiError && (e.status === 404 || e.status === 409))) throw e;
      });
    log(TOOL, `${pod.metadata.namespace}/${pod.metadata.name}: stopped and deleted`);
  }

  async teardown(r: Running): Promise<void> {
    if (r.pid > 0 && isAlive(r.pid)) {
      // Only if the pid still runs what the kubelet started (a recycled pid is never signalled).
      const now = cmdlineOf(r.pid);
      const same =
        r.startTicks !== undefined
          ? startTicksOf(r.pid) === r.startTicks
          : now !== undefined &&
            (now.join('\0') === r.cmdline.join('\0') || now.join('\0') === r.cmdline.slice(4).join('\0'));
      if (same) await killAll([r.pid]);
    }
    if (!r.hostNetwork && r.netns) {
      await killAll(pidsIn(r.netns));
      deletePodNetwork({ nodeNs: nsName(this.state.id, r.node), podNs: r.netns, veth: r.veth });
    }
    this.forget(r);
  }
}

async function main(): Promise<void> {
  const { flags } = parseFlags(process.argv.slice(2), { values: ['--dir'], booleans: [] });
  const dir = flags.get('--dir');
  if (!dir) throw new LabError('--dir DIR is required');
  const state = readState(resolveDir(dir));
  if (!state) throw new Error(`no lab in ${dir} (no lab/lab.json)`);
  const api = new Api(state.dir);
  const kubelet = new Kubelet(state, api);
  let stopping = false;
  process.on('SIGTERM', () => {
    stopping = true;
  });
  process.on('SIGINT', () => {
    stopping = true;
  });
  log(TOOL, `running the Pods labelled ${LAB_KUBELET_LABEL.key}=${LAB_KUBELET_LABEL.value} on ${state.id}'s nodes`);
  while (!stopping) {
    try {
      await kubelet.syncOnce();
    } catch (e) {
      log(TOOL, `sync failed: ${(e as Error).message}`);
    }
    await sleep(1000);
  }
  api.close();
}

runMain(TOOL, 'usage: node scripts/lab/kubelet.ts --dir DIR', main);
