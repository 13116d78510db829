import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/model/kube-object.js';
import { diagnose, pairs, snapshotOf } from './helpers.js';

const pod = (networks: string, namespace = 'iot'): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'camera', namespace, annotations: { 'k8s.v1.cni.cncf.io/networks': networks } },
    spec: { containers: [{ name: 'app', image: 'x' }] },
  }) as KubeObject;
const nad = (name: string, namespace: string): KubeObject =>
  ({
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name, namespace },
    spec: { config: '{"cniVersion":"0.3.1","type":"ipvlan","master":"eth1"}' },
  }) as KubeObject;
const lanFindings = (objects: KubeObject[], source: 'files' | 'cluster' = 'files') =>
  pairs(diagnose(snapshotOf(objects, source))).filter(([code]) => code.startsWith('lan/'));

describe('lan: the networks a Pod asks Multus for', () => {
  it('a network named without a namespace is looked up in the Pod namespace, with or without @interface', () => {
    expect(lanFindings([pod('lan@net1'), nad('lan', 'iot')])).toEqual([]);
    expect(lanFindings([pod('infra/lan'), nad('lan', 'infra')])).toEqual([]);
    expect(lanFindings([pod('lan'), nad('lan', 'infra'), nad('storage', 'iot')])).toEqual([
      ['lan/network-missing', 'Pod iot/camera'],
    ]);
  });

  it('each missing network is one finding, the message naming it and saying "not in the input" from files', () => {
    const findings = diagnose(snapshotOf([pod('lan, iot/storage'), nad('other', 'iot')]));
    const lan = findings.filter((f) => f.code === 'lan/network-missing');
    expect(lan.map((f) => f.message.match(/network (\S+)/)?.[1])).toEqual(['iot/lan', 'iot/storage']);
    expect(lan[0]?.message).toContain('is not in the input');
  });

  it('from files without any NetworkAttachmentDefinition in the namespace of the Pod, absence proves nothing', () => {
    expect(lanFindings([pod('lan')])).toEqual([]);
    expect(lanFindings([pod('lan'), nad('lan', 'infra')])).toEqual([]);
    expect(lanFindings([pod('lan'), nad('lan', 'infra'), nad('storage', 'iot')])).toEqual([
      ['lan/network-missing', 'Pod iot/camera'],
    ]);
  });

  it('live, a missing definition is a finding even when the cluster has none at all', () => {
    expect(lanFindings([pod('lan')], 'cluster')).toEqual([['lan/network-missing', 'Pod iot/camera']]);
  });

  it('an unreadable JSON annotation is lan/networks-invalid', () => {
    expect(lanFindings([pod('[{"name": "lan"'), nad('lan', 'iot')])).toEqual([
      ['lan/networks-invalid', 'Pod iot/camera'],
    ]);
  });

  it('diagnose SERVICE leaves Pods on the LAN out: no Service path leads to them', () => {
    const snapshot = snapshotOf([pod('lan'), nad('storage', 'iot')]);
    const scoped = diagnose(snapshot, { service: { namespace: 'iot', name: 'camera' } });
    expect(scoped.map((f) => f.code)).not.toContain('lan/network-missing');
    expect(diagnose(snapshot).map((f) => f.code)).toContain('lan/network-missing');
  });
});
