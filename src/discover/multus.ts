// Pods on the LAN: Pods attached through Multus (k8s.cni.cncf.io/v1
// NetworkAttachmentDefinition) to a macvlan or ipvlan network, which clients reach at the
// Pod's own LAN address with no Service, no NAT and no proxy: rows of mode `lan`, the
// source IP preserved. Pure.
//
// Multus's rules (the Network Plumbing WG's multi-net spec, Multus's how-to-use.md):
// - `k8s.v1.cni.cncf.io/networks` on the Pod selects networks: a comma list of
//   `[namespace/]name[@interface]`, or a JSON array of {name, namespace?, interface?,
//   ips?, mac?}; without a namespace, the Pod's own.
// - `k8s.v1.cni.cncf.io/network-status` (older: `networks-status`), written by Multus once
//   the Pod is wired: a JSON array of {name: "namespace/name", interface, ips, mac, default}.
// - NetworkAttachmentDefinition.spec.config: a CNI configuration in JSON (`type` at the top
//   or the first of `plugins`); empty means a file of that name on each node, not in the API.
import type { Exposure, ExposurePort } from '../model/exposure.js';
import type { Custom, Pod } from '../model/snapshot.js';
import {
  absenceIsFact,
  annotationsOf,
  type DiscoveryContext,
  defineFacts,
  keyOf,
  nameOf,
  nsOf,
  uniq,
} from './context.js';
import { asArray, asInteger, asString, asStrings, field } from './fields.js';

export const MULTUS_GROUP = 'k8s.cni.cncf.io';
export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
export const NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/network-status';
export const LEGACY_NETWORK_STATUS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks-status';

/** CNI plugins that put the Pod's interface on the node's LAN segment. */
export const LAN_CNI_TYPES = ['macvlan', 'ipvlan'] as const;

export interface NetworkSelection {
  namespace: string;
  name: string;
  interface?: string;
  /** Static addresses asked for (JSON form, `ips`). */
  ips: string[];
}

export interface NetworkStatus {
  /** `namespace/name` as Multus writes it (the default network has the cluster network's name). */
  name: string;
  interface?: string;
  ips: string[];
  mac?: string;
  default: boolean;
}

export interface AttachmentConfig {
  /** The CNI plugin (`macvlan`, `ipvlan`, `bridge`, ...); undefined when spec.config is empty or unreadable. */
  cniType?: string;
  /** macvlan/ipvlan: the node interface the Pod's interface hangs off. */
  master?: string;
  mode?: string;
}

/** The networks a Pod asks for, or a message when the annotation cannot be read. */
export function parseNetworkSelections(value: string, podNamespace: string): NetworkSelection[] | string {
  const text = value.trim();
  if (text === '') return [];
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return `${NETWORKS_ANNOTATION} is not a JSON list`;
    }
    return asArray(parsed).flatMap((e) => {
      const name = asString(field(e, 'name'));
      if (!name) return [];
      const iface = asString(field(e, 'interface'));
      return [
        {
          namespace: asString(field(e, 'namespace')) ?? podNamespace,
          name,
          ...(iface ? { interface: iface } : {}),
          ips: asStrings(field(e, 'ips')).map((ip) => ip.replace(/\/\d+$/, '')),
        },
      ];
    });
  }
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const [ref = '', iface] = item.split('@');
      const slash = ref.indexOf('/');
      return {
        namespace: slash < 0 ? podNamespace : ref.slice(0, slash),
        name: slash < 0 ? ref : ref.slice(slash + 1),
        ...(iface ? { interface: iface } : {}),
        ips: [],
      };
    });
}

/** Multus's network-status of a Pod ([] when absent or unreadable). */
export function parseNetworkStatus(annotations: Record<string, string>): NetworkStatus[] {
  const text = annotations[NETWORK_STATUS_ANNOTATION] ?? annotations[LEGACY_NETWORK_STATUS_ANNOTATION];
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  return asArray(parsed).flatMap((e) => {
    const name = asString(field(e, 'name'));
    if (!name) return [];
    const iface = asString(field(e, 'interface'));
    const mac = asString(field(e, 'mac'));
    return [
      {
        name,
        ...(iface ? { interface: iface } : {}),
        ips: asStrings(field(e, 'ips')),
        ...(mac ? { mac } : {}),
        default: field(e, 'default') === true,
      },
    ];
  });
}

/** The CNI type (and master, mode) of a NetworkAttachmentDefinition's spec.config. */
export function attachmentConfig(nad: Custom): AttachmentConfig {
  const text = asString(field(nad, 'spec', 'config'));
  if (!text || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  const plugin = asString(field(parsed, 'type')) ? parsed : asArray(field(parsed, 'plugins'))[0];
  const cniType = asString(field(plugin, 'type'));
  const master = asString(field(plugin, 'master'));
  const mode = asString(field(plugin, 'mode'));
  return { ...(cniType ? { cniType } : {}), ...(master ? { master } : {}), ...(mode ? { mode } : {}) };
}

export interface LanAttachment {
  selection: NetworkSelection;
  /** undefined when the NetworkAttachmentDefinition is not in the snapshot. */
  definition?: Custom;
  config: AttachmentConfig;
  /** Multus's status of this attachment, when it wrote one. */
  status?: NetworkStatus;
}

export interface LanPodFact {
  pod: Pod;
  attachments: LanAttachment[];
  /** Set when the networks annotation cannot be read. */
  problem?: string;
  statusWritten: boolean;
}

export interface MultusFacts {
  definitions: Map<string, Custom>;
  /** Pods asking for at least one network that is (or may be: definition unknown) on the LAN. */
  lanPods: LanPodFact[];
}

function isLan(config: AttachmentConfig): boolean {
  return config.cniType !== undefined && (LAN_CNI_TYPES as readonly string[]).includes(config.cniType);
}

export const multusFacts = defineFacts('multus', (ctx): MultusFacts => {
  const definitions = new Map<string, Custom>();
  for (const d of ctx.snapshot.multus.networkAttachmentDefinitions) definitions.set(keyOf(nsOf(d), nameOf(d)), d);
  const lanPods: LanPodFact[] = [];
  for (const pod of ctx.snapshot.pods) {
    const annotations = annotationsOf(pod);
    const value = annotations[NETWORKS_ANNOTATION];
    if (value === undefined) continue;
    const selections = parseNetworkSelections(value, nsOf(pod));
    const status = parseNetworkStatus(annotations);
    const statusWritten =
      annotations[NETWORK_STATUS_ANNOTATION] !== undefined ||
      annotations[LEGACY_NETWORK_STATUS_ANNOTATION] !== undefined;
    if (typeof selections === 'string') {
      lanPods.push({ pod, attachments: [], problem: selections, statusWritten });
      continue;
    }
    const attachments = selections.map((selection): LanAttachment => {
      const definition = definitions.get(keyOf(selection.namespace, selection.name));
      const st = status.find(
        (s) =>
          !s.default &&
          s.name === `${selection.namespace}/${selection.name}` &&
          (selection.interface === undefined || s.interface === selection.interface),
      );
      return {
        selection,
        ...(definition ? { definition } : {}),
        config: definition ? attachmentConfig(definition) : {},
        ...(st ? { status: st } : {}),
      };
    });
    // A row when a network is on the LAN, or when its definition is missing (it may be).
    if (attachments.some((a) => isLan(a.config) || a.definition === undefined))
      lanPods.push({ pod, attachments, statusWritten });
  }
  return { definitions, lanPods };
});

function podReady(pod: Pod): boolean | undefined {
  const conditions = asArray(field(pod, 'status', 'conditions'));
  if (conditions.length === 0) return undefined;
  return conditions.some((c) => field(c, 'type') === 'Ready' && field(c, 'status') === 'True');
}

function containerPorts(pod: Pod): ExposurePort[] {
  const seen = new Set<string>();
  return asArray(field(pod, 'spec', 'containers')).flatMap((c) =>
    asArray(field(c, 'ports')).flatMap((p) => {
      const port = asInteger(field(p, 'containerPort'));
      if (port === undefined) return [];
      const protocol = asString(field(p, 'protocol')) ?? 'TCP';
      const key = `${port}/${protocol}`;
      if (seen.has(key)) return [];
      seen.add(key);
      const name = asString(field(p, 'name'));
      return [{ port, protocol, ...(name ? { name } : {}) }];
    }),
  );
}

export function lanExposure(ctx: DiscoveryContext, fact: LanPodFact): Exposure {
  const { pod } = fact;
  const lan = fact.attachments.filter((a) => isLan(a.config));
  const reasons: string[] = [];
  let status: Exposure['status'] = 'ready';
  const worse = (s: Exposure['status'], reason: string) => {
    const rank = { ready: 0, unknown: 1, degraded: 2, pending: 3, broken: 4 } as const;
    if (rank[s] > rank[status]) status = s;
    reasons.push(reason);
  };
  if (fact.problem) worse('broken', fact.problem);
  for (const a of fact.attachments.filter((x) => x.definition === undefined)) {
    const ref = `${a.selection.namespace}/${a.selection.name}`;
    if (absenceIsFact(ctx, `${MULTUS_GROUP}/NetworkAttachmentDefinition`, a.selection.namespace))
      worse(
        'broken',
        `NetworkAttachmentDefinition ${ref} ${ctx.live ? 'not found' : 'not in the input'}: Multus cannot wire the Pod`,
      );
    else worse('unknown', `NetworkAttachmentDefinition ${ref} not in the input`);
  }
  const addresses = uniq(lan.flatMap((a) => a.status?.ips ?? []));
  const requested = uniq(lan.flatMap((a) => a.selection.ips));
  const ready = podReady(pod);
  if (lan.length > 0 && addresses.length === 0) {
    if (ctx.live) worse('pending', 'Multus has written no LAN address in network-status yet');
    else if (!fact.statusWritten)
      worse('unknown', 'network-status not in the input (Multus writes it once the Pod runs)');
    else worse('broken', 'network-status holds no address of the LAN network');
  }
  if (ready === false) worse('pending', 'Pod not ready');
  else if (ready === undefined && ctx.live) worse('unknown', 'Pod readiness unknown');
  const types = uniq(lan.map((a) => a.config.cniType!));
  return {
    namespace: nsOf(pod),
    name: nameOf(pod),
    kind: 'Pod',
    service: null,
    mode: 'lan',
    implementation: types.length > 0 ? types.join('+') : null,
    // Before Multus writes its status, the static addresses asked for are what clients will use.
    addresses: addresses.length > 0 ? addresses : requested,
    ports: containerPorts(pod),
    endpoints: ready === undefined ? null : { ready: ready ? 1 : 0, total: 1 },
    // The Pod's own interface on the LAN: no NAT and no proxy between the client and it.
    sourceIP: 'preserved',
    status,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
  };
}

export function multusExposures(ctx: DiscoveryContext): Exposure[] {
  return multusFacts(ctx).lanPods.map((f) => lanExposure(ctx, f));
}

/** The LAN interfaces of a Pod's row, for the topology: network, interface, master, addresses. */
export function lanInterfaces(ctx: DiscoveryContext, pod: Pod): string[] {
  const fact = multusFacts(ctx).lanPods.find((f) => f.pod === pod);
  return (fact?.attachments ?? [])
    .filter((a) => isLan(a.config))
    .map(
      (a) =>
        `${a.config.cniType} ${a.selection.namespace}/${a.selection.name}${a.status?.interface ? ` on ${a.status.interface}` : ''}${a.config.master ? ` (master ${a.config.master}${a.config.mode ? `, mode ${a.config.mode}` : ''})` : ''}`,
    );
}
