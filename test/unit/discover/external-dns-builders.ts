// external-dns objects for the unit tests: DNSEndpoint in the shape of its CRD
// (externaldns.k8s.io/v1alpha1, fetched from sigs.k8s.io/external-dns by
// scripts/cluster/crds-extra.sh for the integration tests).
import type { KubeObject } from '../../../src/model/kube-object.js';

export const dnsEndpoint = (
  name: string,
  endpoints: Array<{ dnsName: string; targets: string[]; recordType?: string; recordTTL?: number }>,
  ns = 'default',
): KubeObject =>
  ({
    apiVersion: 'externaldns.k8s.io/v1alpha1',
    kind: 'DNSEndpoint',
    metadata: { name, namespace: ns },
    spec: { endpoints },
  }) as KubeObject;
