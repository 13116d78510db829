// exposectl's edit of Calico's shared BGPConfiguration `default`: the guarded JSON patch
// that adds only missing serviceLoadBalancerIPs entries, records them, and removes on
// release only what it recorded. The ops are applied here with RFC 6902 semantics to
// check that the patch produces the planned result.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/model/kube-object.js';
import {
  CALICO_ADDED_ANNOTATION,
  calicoAddedRanges,
  calicoAddRanges,
  calicoRemoveRanges,
  type JsonPatchOp,
} from '../../../src/modes/calico.js';

const config = (spec: Record<string, unknown> | undefined, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'crd.projectcalico.org/v1',
  kind: 'BGPConfiguration',
  metadata: { name: 'default', resourceVersion: '7', ...(annotations ? { annotations } : {}) },
  ...(spec ? { spec } : {}),
});
const cidrs = (o: KubeObject | undefined) =>
  ((o?.spec?.serviceLoadBalancerIPs ?? []) as Array<{ cidr: string }>).map((e) => e.cidr);

/** RFC 6902 as the API server applies it (the subset exposectl sends): a failed test throws. */
function applyPatch(obj: KubeObject, ops: readonly JsonPatchOp[]): KubeObject {
  const doc = structuredClone(obj) as Record<string, unknown>;
  for (const op of ops) {
    const parts = op.path
      .split('/')
      .slice(1)
      .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = parts.pop()!;
    let parent = doc as Record<string, unknown> | unknown[];
    for (const p of parts) parent = (parent as Record<string, unknown>)[p] as Record<string, unknown>;
    if (op.op === 'test') {
      if (JSON.stringify((parent as Record<string, unknown>)[last]) !== JSON.stringify(op.value))
        throw new Error(`test ${op.path} failed`);
    } else if (op.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else if (Array.isArray(parent)) {
      if (last === '-') parent.push(op.value);
      else parent.splice(Number(last), op.op === 'replace' ? 1 : 0, op.value);
    } else parent[last] = op.value;
  }
  return doc as KubeObject;
}

describe("exposectl's edit of the default BGPConfiguration", () => {
  it("adds only the missing CIDR, after the admin's entries, and keeps every other field", () => {
    const live = config(
      {
        asNumber: 64512,
        serviceExternalIPs: [{ cidr: '203.0.113.0/28' }],
        serviceLoadBalancerIPs: [{ cidr: '192.0.2.128/25' }],
      },
      { team: 'net' },
    );
    const c = calicoAddRanges(live, ['198.51.100.0/28']);
    expect(c.create).toBeUndefined();
    expect(c.patch).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: '7' },
      { op: 'add', path: '/spec/serviceLoadBalancerIPs/-', value: { cidr: '198.51.100.0/28' } },
      { op: 'add', path: '/metadata/annotations/exposectl.dev~1added-service-lb-ips', value: '198.51.100.0/28' },
    ]);
    expect(applyPatch(live, c.patch)).toEqual(c.result);
    expect(c.result).toMatchObject({
      metadata: { annotations: { team: 'net', [CALICO_ADDED_ANNOTATION]: '198.51.100.0/28' } },
      spec: { asNumber: 64512, serviceExternalIPs: [{ cidr: '203.0.113.0/28' }] },
    });
    expect(cidrs(c.result)).toEqual(['192.0.2.128/25', '198.51.100.0/28']);
    expect(c.added).toEqual(['198.51.100.0/28']);
  });

  it("a CIDR already listed is neither added again nor recorded as exposectl's", () => {
    const live = config({ serviceLoadBalancerIPs: [{ cidr: '198.51.100.0/28' }] });
    const c = calicoAddRanges(live, ['198.51.100.0/28', ' 198.51.100.0/28 ']);
    expect(c.patch).toEqual([]);
    expect(c.result).toBe(live);
    expect(calicoAddedRanges(c.result)).toEqual([]);
    // Upper-case IPv6 the admin wrote is the same range.
    const v6 = config({ serviceLoadBalancerIPs: [{ cidr: '2001:DB8::/64' }] });
    expect(calicoAddRanges(v6, ['2001:db8::/64']).patch).toEqual([]);
  });

  it('no object: created with the entries and the record; no spec or no list: added as a whole, guarded', () => {
    const created = calicoAddRanges(undefined, ['198.51.100.0/28']);
    expect(created.patch).toEqual([]);
    expect(created.create).toEqual({
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'BGPConfiguration',
      metadata: { name: 'default', annotations: { [CALICO_ADDED_ANNOTATION]: '198.51.100.0/28' } },
      spec: { serviceLoadBalancerIPs: [{ cidr: '198.51.100.0/28' }] },
    });
    for (const live of [config(undefined), config({ asNumber: 65000 }, { team: 'net' })]) {
      const c = calicoAddRanges(live, ['198.51.100.0/28']);
      expect(c.patch[0]).toEqual({ op: 'test', path: '/metadata/resourceVersion', value: '7' });
      expect(applyPatch(live, c.patch)).toEqual(c.result);
      expect(cidrs(c.result)).toEqual(['198.51.100.0/28']);
      expect(calicoAddedRanges(c.result)).toEqual(['198.51.100.0/28']);
    }
  });

  it('a second exposure adds its CIDR to the record exposectl keeps', () => {
    const live = config(
      { serviceLoadBalancerIPs: [{ cidr: '198.51.100.0/28' }] },
      { [CALICO_ADDED_ANNOTATION]: '198.51.100.0/28' },
    );
    const c = calicoAddRanges(live, ['192.0.2.0/28']);
    expect(applyPatch(live, c.patch)).toEqual(c.result);
    expect(calicoAddedRanges(c.result)).toEqual(['198.51.100.0/28', '192.0.2.0/28']);
  });

  it('the patch fails on an object someone changed since it was read (the caller reads again)', () => {
    const live = config({ serviceLoadBalancerIPs: [{ cidr: '192.0.2.128/25' }] });
    const c = calicoAddRanges(live, ['198.51.100.0/28']);
    const changed = { ...live, metadata: { ...live.metadata, resourceVersion: '8' } };
    expect(() => applyPatch(changed, c.patch)).toThrow(/test \/metadata\/resourceVersion failed/);
  });

  it("release removes a CIDR exposectl added and drops it from the record; the admin's entries stay", () => {
    const live = config(
      {
        asNumber: 64512,
        serviceLoadBalancerIPs: [{ cidr: '192.0.2.128/25' }, { cidr: '198.51.100.0/28' }, { cidr: '192.0.2.0/28' }],
      },
      { team: 'net', [CALICO_ADDED_ANNOTATION]: '198.51.100.0/28,192.0.2.0/28' },
    );
    const c = calicoRemoveRanges(live, ['198.51.100.0/28']);
    expect(c.patch).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: '7' },
      { op: 'remove', path: '/spec/serviceLoadBalancerIPs/1' },
      { op: 'add', path: '/metadata/annotations/exposectl.dev~1added-service-lb-ips', value: '192.0.2.0/28' },
    ]);
    expect(applyPatch(live, c.patch)).toEqual(c.result);
    expect(cidrs(c.result)).toEqual(['192.0.2.128/25', '192.0.2.0/28']);
    expect(c.result?.metadata.annotations).toEqual({ team: 'net', [CALICO_ADDED_ANNOTATION]: '192.0.2.0/28' });
    expect(c.removed).toEqual(['198.51.100.0/28']);
  });

  it('release keeps an admin-listed range equal to the one exposectl was asked to release', () => {
    // The admin listed it before: exposectl never added it, so never recorded it.
    const live = config({ serviceLoadBalancerIPs: [{ cidr: '198.51.100.0/28' }] });
    const c = calicoRemoveRanges(live, ['198.51.100.0/28']);
    expect(c.patch).toEqual([]);
    expect(c.removed).toEqual([]);
    expect(cidrs(c.result)).toEqual(['198.51.100.0/28']);
  });

  it('release of the last entry exposectl added removes the list and the record, nothing else', () => {
    const live = config(
      { asNumber: 64512, serviceLoadBalancerIPs: [{ cidr: '198.51.100.0/28' }] },
      { [CALICO_ADDED_ANNOTATION]: '198.51.100.0/28' },
    );
    const c = calicoRemoveRanges(live, ['198.51.100.0/28']);
    expect(applyPatch(live, c.patch)).toEqual(c.result);
    expect(c.result?.spec).toEqual({ asNumber: 64512 });
    expect(c.result?.metadata.annotations).toEqual({});
  });

  it('a copy the admin added after exposectl stays: only one entry, the last, goes', () => {
    const live = config(
      { serviceLoadBalancerIPs: [{ cidr: '198.51.100.0/28' }, { cidr: '10.0.0.0/24' }, { cidr: '198.51.100.0/28' }] },
      { [CALICO_ADDED_ANNOTATION]: '198.51.100.0/28' },
    );
    const c = calicoRemoveRanges(live, ['198.51.100.0/28']);
    expect(applyPatch(live, c.patch)).toEqual(c.result);
    expect(cidrs(c.result)).toEqual(['198.51.100.0/28', '10.0.0.0/24']);
  });

  it('nothing to release, or no object: no patch', () => {
    expect(calicoRemoveRanges(undefined, ['198.51.100.0/28'])).toEqual({
      patch: [],
      result: undefined,
      added: [],
      removed: [],
    });
    const live = config(
      { serviceLoadBalancerIPs: [{ cidr: '198.51.100.0/28' }] },
      { [CALICO_ADDED_ANNOTATION]: '198.51.100.0/28' },
    );
    expect(calicoRemoveRanges(live, []).patch).toEqual([]);
    expect(calicoRemoveRanges(live, ['192.0.2.0/28']).patch).toEqual([]);
  });
});
