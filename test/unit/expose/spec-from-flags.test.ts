import { describe, expect, it } from 'vitest';
import { parseSelector, specFromFlags, splitList } from '../../../src/expose/spec-from-flags.js';
import type { Service } from '../../../src/model/snapshot.js';
import { parseServiceArg } from '../../../src/topology/service-arg.js';
import { UsageError } from '../../../src/util/errors.js';

const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } } as Service;

describe('specFromFlags', () => {
  it('maps flags to the spec, splitting lists and parsing selectors', () => {
    const spec = specFromFlags(svc, {
      mode: 'bgp',
      addresses: ['198.51.100.1-198.51.100.5,203.0.113.0/28'],
      communities: ['65000:100', 'large:1:2:3'],
      'advertise-node-selector': ['zone=a,rack=1'],
      'peer-asn': 64500,
      'my-asn': 64512,
      peer: '192.0.2.1',
      port: 'http',
      'preserve-source-ip': true,
      sticky: false,
    });
    expect(spec).toEqual({
      service: svc,
      mode: 'bgp',
      port: 'http',
      addresses: ['198.51.100.1-198.51.100.5', '203.0.113.0/28'],
      communities: ['65000:100', 'large:1:2:3'],
      nodeSelectors: [{ zone: 'a', rack: '1' }],
      peerASN: 64500,
      myASN: 64512,
      peer: '192.0.2.1',
      preserveSourceIP: true,
    });
  });

  it('merges repeated --node-selector and keeps numeric ports numeric', () => {
    const spec = specFromFlags(svc, {
      mode: 'hostnetwork',
      'node-selector': ['role=edge', 'zone=a'],
      port: '8080',
      'http-ports': ['80,web'],
    });
    expect(spec.nodeSelector).toEqual({ role: 'edge', zone: 'a' });
    expect(spec.port).toBe(8080);
    expect(spec.httpPorts).toEqual([80, 'web']);
  });
});

describe('parsing helpers', () => {
  it('splitList drops empty items and returns undefined for nothing', () => {
    expect(splitList(['a,,b', ' c '])).toEqual(['a', 'b', 'c']);
    expect(splitList([])).toBeUndefined();
    expect(splitList([','])).toBeUndefined();
  });

  it.each(['role', 'a=b=c', '=x', 'a b=c', 'x=$(id)'])('parseSelector rejects %j', (text) => {
    expect(() => parseSelector(text, '--node-selector')).toThrowError(UsageError);
  });

  it('parseServiceArg takes NAME or NAMESPACE/NAME', () => {
    expect(parseServiceArg('web', 'default')).toEqual({ namespace: 'default', name: 'web' });
    expect(parseServiceArg('shop/web', 'default')).toEqual({ namespace: 'shop', name: 'web' });
    for (const bad of ['a/b/c', 'Web', 'web;rm', ''])
      expect(() => parseServiceArg(bad, 'default')).toThrowError(UsageError);
  });
});
