// Calico objects (crd.projectcalico.org/v1) for the unit tests: the shapes Calico's CRDs
// accept (test/crds/calico/), hand-written.
import type { KubeObject } from '../../../src/model/kube-object.js';

const calico = (kind: string, name: string, spec: Record<string, unknown>): KubeObject =>
  ({ apiVersion: 'crd.projectcalico.org/v1', kind, metadata: { name }, spec }) as KubeObject;

export const bgpConfig = (spec: Record<string, unknown>, name = 'default') => calico('BGPConfiguration', name, spec);
export const calicoPeer = (name: string, spec: Record<string, unknown>) => calico('BGPPeer', name, spec);
export const calicoPool = (name: string, spec: Record<string, unknown>) => calico('IPPool', name, spec);
export const cidrs = (...list: string[]) => list.map((cidr) => ({ cidr }));

/** calico-node as the manifests install it (kube-system DaemonSet, hostNetwork). */
export function calicoNode(backend?: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'calico-node', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'calico-node' } },
      template: {
        metadata: { labels: { 'k8s-app': 'calico-node' } },
        spec: {
          hostNetwork: true,
          containers: [
            {
              name: 'calico-node',
              image: 'docker.io/calico/node:v3.30.3',
              env: backend ? [{ name: 'CALICO_NETWORKING_BACKEND', value: backend }] : [],
            },
          ],
        },
      },
    },
  } as KubeObject;
}
