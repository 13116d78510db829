import { describe, expect, it } from 'vitest';
import {
  birdConfig,
  labId,
  NODES,
  nextPodIp,
  nodeByName,
  nsName,
  podRoutes,
  podVethName,
} from '../../../scripts/lab/topology.ts';

describe('lab topology', () => {
  it('labId: the same folder always gives the same 6-hex id, another folder another one', () => {
    expect(labId('/tmp/lab1')).toMatch(/^[0-9a-f]{6}$/);
    expect(labId('/tmp/lab1')).toBe(labId('/tmp/lab1'));
    expect(labId('/tmp/lab2')).not.toBe(labId('/tmp/lab1'));
    expect(nsName('abc123', 'node-1')).toBe('xlab-abc123-node-1');
  });

  it('nodes: documentation addresses on the segment, Pod CIDRs as cluster:up sets spec.podCIDR', () => {
    expect(NODES.map((n) => [n.name, n.ip, n.podCIDR, n.podGateway])).toEqual([
      ['node-1', '192.0.2.11', '10.244.1.0/24', '10.244.1.1'],
      ['node-2', '192.0.2.12', '10.244.2.0/24', '10.244.2.1'],
      ['node-3', '192.0.2.13', '10.244.3.0/24', '10.244.3.1'],
    ]);
    expect(nodeByName('node-4')).toBeUndefined();
  });

  it("podRoutes: every other node's Pod CIDR through that node", () => {
    expect(podRoutes(NODES[1]!)).toEqual([
      { cidr: '10.244.1.0/24', via: '192.0.2.11' },
      { cidr: '10.244.3.0/24', via: '192.0.2.13' },
    ]);
  });

  it('nextPodIp: the lowest free host address from .2, none when .2-.254 are taken', () => {
    const n = NODES[0]!;
    expect(nextPodIp(n, new Set())).toBe('10.244.1.2');
    expect(nextPodIp(n, new Set(['10.244.1.2', '10.244.1.3', '10.244.1.5']))).toBe('10.244.1.4');
    const all = new Set(Array.from({ length: 253 }, (_, i) => `10.244.1.${i + 2}`));
    expect(nextPodIp(n, all)).toBeUndefined();
  });

  it('podVethName: at most 15 bytes (IFNAMSIZ), stable, different per Pod', () => {
    const a = podVethName('demo', 'web-7d9f-abcde');
    expect(a).toMatch(/^lv[0-9a-f]{10}$/);
    expect(a.length).toBeLessThanOrEqual(15);
    expect(podVethName('demo', 'web-7d9f-abcde')).toBe(a);
    expect(podVethName('demo2', 'web-7d9f-abcde')).not.toBe(a);
  });

  it('birdConfig: one BGP session per node with documentation ASNs, learned routes exported to the kernel with ECMP', () => {
    const c = birdConfig();
    for (const n of NODES) expect(c).toContain(`neighbor ${n.ip} as 64497;`);
    expect(c.match(/local 192\.0\.2\.1 as 64496;/g)).toHaveLength(3);
    expect(c).toContain('merge paths on;');
    expect(c).toContain('router id 192.0.2.1;');
  });
});
