// ConfigMaps that workloads name in their arguments (ingress-nginx --configmap,
// --tcp-services-configmap, --udp-services-configmap; HAProxy's --configmap and
// --configmap-tcp-services): kept in the snapshot whatever their content or labels, since
// keepConfigMap (src/kube/kinds.ts) only sees one object at a time. Pure.
import type { KubeObject } from '../model/kube-object.js';

const FLAGS = ['configmap', 'tcp-services-configmap', 'udp-services-configmap', 'configmap-tcp-services'];

function containerArgs(w: KubeObject): string[] {
  const spec = (w.spec ?? {}) as { template?: { spec?: { containers?: unknown[]; initContainers?: unknown[] } } };
  const pod = spec.template?.spec ?? {};
  return [...(pod.containers ?? []), ...(pod.initContainers ?? [])].flatMap((c) => {
    const { command, args } = (c ?? {}) as { command?: unknown; args?: unknown };
    return [...(Array.isArray(command) ? command : []), ...(Array.isArray(args) ? args : [])].filter(
      (a): a is string => typeof a === 'string',
    );
  });
}

/** "namespace/name" of every ConfigMap the workloads name with a config-map flag. */
export function configMapsNamedBy(workloads: readonly KubeObject[]): Set<string> {
  const out = new Set<string>();
  for (const w of workloads) {
    const ns = w.metadata.namespace ?? 'default';
    const args = containerArgs(w);
    args.forEach((a, i) => {
      for (const flag of FLAGS) {
        for (const dash of ['--', '-']) {
          const f = `${dash}${flag}`;
          const value = a.startsWith(`${f}=`) ? a.slice(f.length + 1) : a === f ? args[i + 1] : undefined;
          if (!value) continue;
          const ref = value.replace(/^\$\(POD_NAMESPACE\)/, ns);
          out.add(ref.includes('/') ? ref : `${ns}/${ref}`);
        }
      }
    });
  }
  return out;
}

const refOf = (o: KubeObject) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

/** The ConfigMaps set aside by keepConfigMap that a workload names: they belong in the snapshot. */
export function namedConfigMaps(setAside: readonly KubeObject[], workloads: readonly KubeObject[]): KubeObject[] {
  if (setAside.length === 0) return [];
  const named = configMapsNamedBy(workloads);
  return setAside.filter((c) => named.has(refOf(c)));
}
