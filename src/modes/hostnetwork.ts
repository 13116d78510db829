// Mode hostnetwork (the seed article's gateway): a DaemonSet with hostNetwork on the
// nodes of --node-selector, running HAProxy (default) or nginx with a generated
// configuration (ConfigMap `<svc>-hostnet`) that forwards each Service port, bound as
// the same port on the node, to the Service's ClusterIP DNS name. PROXY protocol towards
// the backend with preserveSourceIP. With sticky the gateway balances over the Pods of a
// headless Service `<svc>-hostnet`, keyed on the client address. Pre-flight: the selector
// matches schedulable nodes and the host ports are free there.
import type { KubeObject } from '../model/kube-object.js';
import type { Node, Workload } from '../model/snapshot.js';
import {
  commonProblems,
  copyPort,
  fnv1a,
  matchesLabels,
  meta,
  names,
  protocolOf,
  type ServicePort,
  selectorProblems,
  servicePorts,
  stickyTimeoutOf,
  svcName,
  svcNamespace,
} from './common.js';
import { type GatewayConfigInput, type GatewayListener, haproxyConfig } from './haproxy-config.js';
import { nginxConfig } from './nginx-config.js';
import {
  DEFAULT_IMAGES,
  type ExposeFacts,
  type ExposeSpec,
  type GatewayImpl,
  type Labels,
  type Problem,
} from './spec.js';
import { userAffinityNote } from './sticky.js';

export const CONFIG_HASH_ANNOTATION = 'exposectl.dev/config-hash';

/**
 * external-dns's hostname annotation, under the prefix of v0.22+ and the one earlier
 * releases read (v0.22+ read it too with --enable-legacy-annotation-prefix): its pod source
 * (--source=pod) publishes each name with the addresses of the nodes the Pods run on.
 */
export const EXTERNAL_DNS_HOSTNAME_ANNOTATIONS = [
  'external-dns.kubernetes.io/hostname',
  'external-dns.alpha.kubernetes.io/hostname',
] as const;

/** A DNS name external-dns accepts: RFC 1123 labels, an optional leading `*.`, an optional trailing dot. */
const DNS_NAME = /^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.?$/i;

export function hostnameProblems(spec: ExposeSpec): Problem[] {
  return (spec.hostnames ?? [])
    .filter((h) => h.length > 253 || !DNS_NAME.test(h))
    .map((h) => ({ field: 'hostnames', message: `${JSON.stringify(h)} is not a DNS name` }));
}

/** Ports node components listen on outside any workload the facts can show. */
const NODE_COMPONENT_PORTS: Record<number, string> = {
  22: 'sshd',
  2379: 'etcd',
  2380: 'etcd peers',
  6443: 'kube-apiserver',
  10250: 'kubelet',
  10256: 'kube-proxy health',
  10257: 'kube-controller-manager',
  10259: 'kube-scheduler',
};

export function implOf(spec: ExposeSpec): GatewayImpl {
  return spec.gatewayImpl ?? 'haproxy';
}

/** The Service's ClusterIP DNS name. */
export function serviceDNSName(spec: ExposeSpec): string {
  return `${svcName(spec)}.${svcNamespace(spec)}.svc.cluster.local`;
}

/** The DNS name of the headless Service that lists the Pods (sticky: the gateway picks the Pod). */
export function endpointsDNSName(spec: ExposeSpec): string {
  return `${names.hostnet(svcName(spec))}.${svcNamespace(spec)}.svc.cluster.local`;
}

/**
 * Where a sticky gateway reaches a port's Pods: HAProxy reads address and port from the
 * SRV record of a named port; otherwise the port must be a number (nginx resolves A
 * records only). A Problem when neither works.
 */
export function stickyEndpoints(spec: ExposeSpec, p: ServicePort): GatewayListener['endpoints'] | Problem {
  const proto = protocolOf(p) === 'UDP' ? 'udp' : 'tcp';
  if (implOf(spec) === 'haproxy' && p.name) return { srv: `_${p.name}._${proto}.${endpointsDNSName(spec)}` };
  const target = p.targetPort ?? p.port;
  if (typeof target === 'number') return { host: endpointsDNSName(spec), port: target };
  if (/^\d+$/.test(target)) return { host: endpointsDNSName(spec), port: Number(target) };
  return {
    field: 'sticky',
    message: `port ${p.port} targets the container port named ${target}: ${implOf(spec) === 'nginx' ? 'nginx reaches Pods by address and port number' : 'HAProxy needs a port name (SRV record) or a targetPort number'}, so --sticky cannot find the Pods' port`,
  };
}

/** What the config generators need: every Service port, listened on the same port. */
export function gatewayConfigInput(spec: ExposeSpec): GatewayConfigInput {
  return {
    service: { namespace: svcNamespace(spec), name: svcName(spec) },
    listeners: servicePorts(spec.service).map((p) => {
      const l: GatewayListener = {
        listenPort: p.port,
        protocol: protocolOf(p) === 'UDP' ? 'UDP' : 'TCP',
        backendHost: serviceDNSName(spec),
        backendPort: p.port,
      };
      if (spec.sticky) {
        const ep = stickyEndpoints(spec, p);
        if (isProblemLike(ep)) throw new Error(`invalid spec: ${ep.message}`);
        l.endpoints = ep;
      }
      return l;
    }),
    proxyProtocol: spec.preserveSourceIP === true,
    ...(spec.sticky ? { sticky: { timeoutSeconds: stickyTimeoutOf(spec) } } : {}),
  };
}

function isProblemLike(x: GatewayListener['endpoints'] | Problem): x is Problem {
  return typeof x === 'object' && 'message' in x;
}

/**
 * With sticky: a headless Service (`clusterIP: None`) with the user's selector, so the
 * cluster DNS lists the Pods and the gateway balances over them itself, keyed on the
 * client. Through the ClusterIP, kube-proxy would balance again and key any affinity on
 * the gateway node, not the client.
 */
export function endpointsService(spec: ExposeSpec): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(spec, names.hostnet(svcName(spec))),
    spec: {
      clusterIP: 'None',
      selector: { ...(spec.service.spec?.selector ?? {}) },
      ports: servicePorts(spec.service).map(copyPort),
    },
  };
}

export function gatewayConfigText(spec: ExposeSpec): { file: string; text: string } {
  const input = gatewayConfigInput(spec);
  return implOf(spec) === 'nginx'
    ? { file: 'nginx.conf', text: nginxConfig(input) }
    : { file: 'haproxy.cfg', text: haproxyConfig(input) };
}

// ---------------------------------------------------------------------------------------
// Nodes and host ports

/** Taints a DaemonSet pod tolerates without being told (the DaemonSet controller adds them). */
const DAEMONSET_TOLERATED = new Set([
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/pid-pressure',
  'node.kubernetes.io/unschedulable',
  'node.kubernetes.io/network-unavailable',
]);

export function blockingTaints(node: Node): string[] {
  return (node.spec?.taints ?? [])
    .filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !DAEMONSET_TOLERATED.has(t.key))
    .map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
}

/** Nodes where the gateway DaemonSet would run. */
export function gatewayNodes(spec: ExposeSpec, nodes: Node[]): Node[] {
  return nodes.filter((n) => matchesLabels(spec.nodeSelector, n.metadata.labels) && blockingTaints(n).length === 0);
}

interface HostPortClaim {
  port: number;
  protocol: string;
}

type PodTemplateSpec = {
  hostNetwork?: boolean;
  nodeSelector?: Labels;
  containers?: Array<{ ports?: Array<{ containerPort?: number; hostPort?: number; protocol?: string }> }>;
  initContainers?: Array<{ ports?: Array<{ containerPort?: number; hostPort?: number; protocol?: string }> }>;
};

function templateOf(w: Workload): PodTemplateSpec {
  return (w.spec as { template?: { spec?: PodTemplateSpec } } | undefined)?.template?.spec ?? {};
}

/** The host ports a workload holds: every container port with hostNetwork, hostPorts otherwise. */
export function hostPortClaims(w: Workload): HostPortClaim[] {
  const t = templateOf(w);
  const out: HostPortClaim[] = [];
  for (const c of [...(t.containers ?? []), ...(t.initContainers ?? [])]) {
    for (const p of c.ports ?? []) {
      const port = t.hostNetwork ? (p.hostPort ?? p.containerPort) : p.hostPort;
      if (port) out.push({ port, protocol: p.protocol ?? 'TCP' });
    }
  }
  return out;
}

/** Can two equality selectors select the same node (no key with different values)? */
function selectorsCompatible(a: Labels | undefined, b: Labels | undefined): boolean {
  return Object.entries(a ?? {}).every(([k, v]) => b?.[k] === undefined || b[k] === v);
}

/** The gateway keeps the client on one Pod itself: it needs the Pods (a selector) and their port. */
function stickyProblems(spec: ExposeSpec, ports: ServicePort[]): Problem[] {
  const problems: Problem[] = [];
  if (spec.inPlace) {
    problems.push({
      field: 'inPlace',
      message:
        '--sticky in mode hostnetwork does not touch the Service: the gateway keys on the client and sends to the Pods itself; drop --in-place',
    });
  } else {
    problems.push(
      ...selectorProblems(spec).map((p) => ({
        ...p,
        field: 'sticky',
        message: `--sticky lists the Pods through a headless Service with the same selector, and Service ${svcName(spec)} has none`,
      })),
    );
  }
  if (implOf(spec) === 'nginx' && spec.stickyTimeout !== undefined) {
    problems.push({
      field: 'stickyTimeout',
      message:
        'open-source nginx has no sticky timeout (hash $remote_addr holds while the Pods stay the same): drop --sticky-timeout or use --gateway-impl haproxy',
    });
  }
  for (const p of ports) {
    const ep = stickyEndpoints(spec, p);
    if (isProblemLike(ep)) problems.push(ep);
  }
  return problems;
}

export function validateHostNetwork(spec: ExposeSpec, facts: ExposeFacts): Problem[] {
  const problems = commonProblems(spec);
  if (problems.some((p) => p.field === 'service')) return problems;
  const impl = spec.gatewayImpl;
  if (impl !== undefined && impl !== 'haproxy' && impl !== 'nginx') {
    problems.push({
      field: 'gatewayImpl',
      message: `gateway implementation must be haproxy or nginx, got ${String(impl)}`,
    });
    return problems;
  }
  const ports = servicePorts(spec.service);
  if (spec.sticky) problems.push(...stickyProblems(spec, ports));
  if (implOf(spec) === 'haproxy') {
    const udp = ports.filter((p) => protocolOf(p) === 'UDP');
    if (udp.length > 0)
      problems.push({
        field: 'gatewayImpl',
        message: `HAProxy cannot forward UDP (port ${udp.map((p) => p.port).join(', ')}): use --gateway-impl nginx`,
      });
  }
  const sctp = ports.filter((p) => protocolOf(p) === 'SCTP');
  if (sctp.length > 0)
    problems.push({
      field: 'service',
      message: `the hostNetwork gateway cannot forward SCTP (port ${sctp.map((p) => p.port).join(', ')})`,
    });
  problems.push(...hostnameProblems(spec));
  if (spec.gatewayImage !== undefined && !/^[^\s]+$/.test(spec.gatewayImage))
    problems.push({ field: 'gatewayImage', message: `"${spec.gatewayImage}" is not an image reference` });

  // Nodes.
  const selector = spec.nodeSelector;
  let chosen: Node[] | undefined;
  if (facts.nodes !== undefined) {
    const matching = facts.nodes.filter((n) => matchesLabels(selector, n.metadata.labels));
    chosen = gatewayNodes(spec, facts.nodes);
    const sel =
      Object.entries(selector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || '(none)';
    if (matching.length === 0) {
      problems.push({
        field: 'nodeSelector',
        message: `node selector ${sel} matches no node`,
        code: 'hostnetwork/no-gateway-nodes',
      });
    } else if (chosen.length === 0) {
      problems.push({
        field: 'nodeSelector',
        message: `every node matching ${sel} has a taint the gateway does not tolerate (${matching.map((n) => `${n.metadata.name}: ${blockingTaints(n).join(' ')}`).join('; ')})`,
        code: 'hostnetwork/no-gateway-nodes',
      });
    }
  }

  // Host ports on those nodes.
  const selfName = names.hostnet(svcName(spec));
  const ns = svcNamespace(spec);
  for (const w of facts.hostWorkloads ?? []) {
    if (w.kind === 'DaemonSet' && w.metadata.name === selfName && (w.metadata.namespace ?? 'default') === ns) continue;
    const claims = hostPortClaims(w);
    const wSel = templateOf(w).nodeSelector;
    let where: string;
    if (chosen !== undefined) {
      const shared = chosen.filter((n) => matchesLabels(wSel, n.metadata.labels));
      if (shared.length === 0) continue;
      where = `node${shared.length > 1 ? 's' : ''} ${shared.map((n) => n.metadata.name).join(', ')}`;
    } else {
      if (!selectorsCompatible(selector, wSel)) continue;
      where = 'the same nodes';
    }
    for (const p of ports) {
      const proto = protocolOf(p);
      if (claims.some((c) => c.port === p.port && c.protocol === proto)) {
        problems.push({
          field: 'nodeSelector',
          message: `host port ${p.port}/${proto} is already taken on ${where} by ${w.kind} ${w.metadata.namespace ?? 'default'}/${w.metadata.name}`,
          code: 'hostnetwork/port-conflict',
        });
      }
    }
  }
  return problems;
}

export function manifestsHostNetwork(spec: ExposeSpec, _facts: ExposeFacts): KubeObject[] {
  const impl = implOf(spec);
  const name = names.hostnet(svcName(spec));
  const { file, text } = gatewayConfigText(spec);
  const mountPath = impl === 'nginx' ? '/etc/nginx/exposectl' : '/usr/local/etc/haproxy';
  const command =
    impl === 'nginx'
      ? ['nginx', '-c', `${mountPath}/${file}`, '-g', 'daemon off;']
      : ['haproxy', '-W', '-db', '-f', `${mountPath}/${file}`];
  const podLabels = { 'app.kubernetes.io/name': 'exposectl-hostnet', 'app.kubernetes.io/instance': name };
  const ports = servicePorts(spec.service);
  const firstTCP = ports.find((p) => protocolOf(p) === 'TCP');
  const container: Record<string, unknown> = {
    name: impl,
    image: spec.gatewayImage ?? DEFAULT_IMAGES[impl],
    command,
    ports: ports.map((p) => ({ containerPort: p.port, hostPort: p.port, protocol: protocolOf(p) })),
  };
  if (firstTCP) container.readinessProbe = { tcpSocket: { port: firstTCP.port }, periodSeconds: 5 };
  container.resources = { requests: { cpu: '50m', memory: '64Mi' } };
  container.securityContext = {
    // Root so the process may bind ports below 1024 on the node; nothing else is granted.
    runAsUser: 0,
    allowPrivilegeEscalation: false,
    capabilities: {
      drop: ['ALL'],
      add: impl === 'nginx' ? ['NET_BIND_SERVICE', 'SETGID', 'SETUID'] : ['NET_BIND_SERVICE'],
    },
  };
  container.volumeMounts = [{ name: 'config', mountPath, readOnly: true }];

  const podSpec: Record<string, unknown> = { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' };
  if (spec.nodeSelector && Object.keys(spec.nodeSelector).length > 0) podSpec.nodeSelector = { ...spec.nodeSelector };
  podSpec.containers = [container];
  podSpec.volumes = [{ name: 'config', configMap: { name } }];

  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(spec, name), data: { [file]: text } },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta(spec, name),
      spec: {
        selector: { matchLabels: { ...podLabels } },
        template: {
          // The hash rolls the pods when the configuration changes.
          metadata: {
            labels: { ...podLabels },
            annotations: { [CONFIG_HASH_ANNOTATION]: fnv1a(text), ...hostnameAnnotations(spec) },
          },
          spec: podSpec,
        },
      },
    },
    ...(spec.sticky ? [endpointsService(spec)] : []),
  ];
}

function hostnameAnnotations(spec: ExposeSpec): Record<string, string> {
  const value = (spec.hostnames ?? []).join(',');
  return value === '' ? {} : Object.fromEntries(EXTERNAL_DNS_HOSTNAME_ANNOTATIONS.map((k) => [k, value]));
}

/** external-dns's pod source publishes a node's ExternalIPs (and IPv6 InternalIPs), never an IPv4 InternalIP. */
function publishedByPodSource(node: Node): boolean {
  return (node.status?.addresses ?? []).some(
    (a) => a.type === 'ExternalIP' || (a.type === 'InternalIP' && a.address.includes(':')),
  );
}

function hostnameNotes(spec: ExposeSpec, facts: ExposeFacts): string[] {
  if (!spec.hostnames || spec.hostnames.length === 0) return [];
  const notes = [
    `external-dns publishes ${spec.hostnames.join(', ')} for the gateway's nodes when it runs with --source=pod`,
  ];
  if (facts.nodes !== undefined) {
    const silent = gatewayNodes(spec, facts.nodes).filter((n) => !publishedByPodSource(n));
    if (silent.length > 0)
      notes.push(
        `${silent.map((n) => n.metadata.name).join(', ')} ${silent.length === 1 ? 'has' : 'have'} no ExternalIP: external-dns publishes no address of ${silent.length === 1 ? 'it' : 'them'} for the name (it never publishes an IPv4 InternalIP from the pod source)`,
      );
  }
  return notes;
}

export function notesHostNetwork(spec: ExposeSpec, facts: ExposeFacts): string[] {
  const notes: string[] = hostnameNotes(spec, facts);
  if (facts.nodes === undefined) notes.push('gateway nodes not checked (no cluster facts)');
  else {
    const nodes = gatewayNodes(spec, facts.nodes);
    if (nodes.length > 0)
      notes.push(
        `the gateway runs on ${nodes.map((n) => n.metadata.name).join(', ')}: clients connect to those nodes' addresses`,
      );
  }
  const busy = servicePorts(spec.service).filter((p) => NODE_COMPONENT_PORTS[p.port] !== undefined);
  if (busy.length > 0) {
    notes.push(
      `host port ${busy.map((p) => `${p.port} (${NODE_COMPONENT_PORTS[p.port]})`).join(', ')} is usually taken by a node component: choose nodes where it is free`,
    );
  }
  if (facts.hostWorkloads === undefined)
    notes.push('host ports not checked against other hostNetwork/hostPort workloads (no cluster facts)');
  if (spec.preserveSourceIP) {
    notes.push(
      implOf(spec) === 'nginx'
        ? 'the gateway sends PROXY protocol v1 to the Service: its pods must expect it on every port'
        : 'the gateway sends PROXY protocol v2 to the Service: its pods must expect it on every port',
    );
    if (servicePorts(spec.service).some((p) => protocolOf(p) === 'UDP'))
      notes.push("UDP ports are forwarded without PROXY protocol: the backend sees the gateway node's address");
  } else {
    notes.push("without --preserve-source-ip the Service sees the gateway node's address, not the client's");
  }
  const affinity = userAffinityNote(spec);
  if (affinity) notes.push(affinity);
  if (spec.sticky) {
    notes.push(
      implOf(spec) === 'nginx'
        ? 'sticky: nginx hashes the client address over the Pods it resolved at start (headless Service); restart the gateway after the Pods change'
        : `sticky: HAProxy hashes the client address over the Pods (headless Service, re-resolved) and remembers each client for ${stickyTimeoutOf(spec)}s per gateway node`,
    );
    notes.push(
      'sticky with several gateway nodes: each node picks and remembers on its own, so a client keeps its Pod while it keeps to one gateway node address',
    );
  }
  return notes;
}
