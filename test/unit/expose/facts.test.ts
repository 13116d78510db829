import { describe, expect, it } from 'vitest';
import { FACT_KINDS, factsFromLoad } from '../../../src/expose/facts.js';
import { KINDS, type KindInfo } from '../../../src/kube/kinds.js';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { emptySnapshot } from '../../../src/model/snapshot.js';
import { factsFromSnapshot } from '../../../src/modes/index.js';

describe('factsFromLoad', () => {
  it('keeps what was read (empty means none) and leaves unreadable kinds unknown', () => {
    const snapshot = emptySnapshot({ kind: 'cluster', description: 'test' });
    const facts = factsFromLoad({
      snapshot,
      unreadable: [
        { kind: 'IngressClass', resource: 'ingressclasses.networking.k8s.io', message: 'forbidden' },
        { kind: 'DaemonSet', resource: 'daemonsets.apps', message: 'forbidden' },
      ],
    });
    expect(facts.pools).toEqual([]);
    expect(facts.services).toEqual([]);
    expect('ingressClasses' in facts).toBe(false);
    expect('hostWorkloads' in facts).toBe(false);
  });
});

describe('FACT_KINDS', () => {
  // One object of every kind, hostNetwork workloads and a kept ConfigMap included, so every kind lands somewhere.
  const objectOf = (info: KindInfo): KubeObject => ({
    apiVersion: info.group ? `${info.group}/${info.versions[0]}` : info.versions[0]!,
    kind: info.kind,
    metadata: {
      name: info.kind === 'ConfigMap' ? 'kubevip' : `a-${info.kind.toLowerCase()}`,
      ...(info.namespaced ? { namespace: 'ns' } : {}),
    },
    spec: {
      template: {
        spec: { hostNetwork: true, containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 80 }] }] },
      },
    },
  });
  const snapshotOf = (kinds: readonly KindInfo[]) => {
    const snapshot = emptySnapshot({ kind: 'cluster', description: 'test' });
    for (const info of kinds) info.add(snapshot, objectOf(info));
    return snapshot;
  };

  it('reading only the fact kinds gives the same facts as reading every kind', () => {
    const all = factsFromSnapshot(snapshotOf(KINDS));
    expect(factsFromSnapshot(snapshotOf(FACT_KINDS))).toEqual(all);
    expect(all.hostWorkloads).toHaveLength(3); // the check above saw every fact filled
  });

  it('leaves out the kinds no check uses, the bulk of a big cluster', () => {
    const kinds = FACT_KINDS.map((k) => k.kind);
    expect(kinds).toContain('Service');
    for (const skipped of ['EndpointSlice', 'Pod', 'Ingress', 'ConfigMap']) expect(kinds).not.toContain(skipped);
  });
});
