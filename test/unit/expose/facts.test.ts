import { describe, expect, it } from 'vitest';
import { factsFromLoad } from '../../../src/expose/facts.js';
import { emptySnapshot } from '../../../src/model/snapshot.js';

describe('factsFromLoad', () => {
  it('keeps what was read (empty means none) and leaves unreadable kinds unknown', () => {
    const snapshot = emptySnapshot({ kind: 'cluster', description: 'test' });
    const facts = factsFromLoad({ snapshot, unreadable: [{ kind: 'IngressClass', resource: 'ingressclasses.networking.k8s.io', message: 'forbidden' }, { kind: 'DaemonSet', resource: 'daemonsets.apps', message: 'forbidden' }] });
    expect(facts.pools).toEqual([]);
    expect(facts.services).toEqual([]);
    expect('ingressClasses' in facts).toBe(false);
    expect('hostWorkloads' in facts).toBe(false);
  });
});
