import { describe, expect, it } from 'vitest';
import { type AddressRange as AddrRange, capacity, parseAddressEntry, rangeToCidrs } from '../../../src/discover/ip.js';
import { emptySnapshot } from '../../../src/model/snapshot.js';
import { fitName } from '../../../src/modes/common.js';
import {
  EXPOSE_MODES,
  type ExposeSpec,
  factsFromSnapshot,
  MODES_REGISTRY,
  planExpose,
} from '../../../src/modes/index.js';
import { daemonSet, svc } from './helpers.js';

describe('registry', () => {
  it('has validate, manifests and notes for every expose mode', () => {
    expect(Object.keys(MODES_REGISTRY).sort()).toEqual([...EXPOSE_MODES].sort());
    for (const m of EXPOSE_MODES) {
      expect(typeof MODES_REGISTRY[m].validate).toBe('function');
      expect(typeof MODES_REGISTRY[m].manifests).toBe('function');
    }
  });

  it('an unknown mode is a problem', () => {
    expect(planExpose({ service: svc('web'), mode: 'cloud' as never }).problems[0]!.field).toBe('mode');
  });

  it('every mode produces manifests from a file alone (no cluster facts)', () => {
    const specs: ExposeSpec[] = [
      { service: svc('web'), mode: 'nodeport' },
      { service: svc('web'), mode: 'ingress', host: 'web.example.com' },
      { service: svc('web'), mode: 'l2', addresses: ['192.0.2.10-192.0.2.20'] },
      {
        service: svc('web'),
        mode: 'bgp',
        addresses: ['192.0.2.64/28'],
        peer: '192.0.2.1',
        peerASN: 64500,
        myASN: 64512,
      },
      { service: svc('web'), mode: 'hostnetwork' },
      { service: svc('web'), mode: 'gateway', gatewayClass: 'eg' },
    ];
    for (const s of specs) {
      const plan = planExpose(s, {});
      expect(plan.problems, s.mode).toEqual([]);
      expect(plan.manifests.length, s.mode).toBeGreaterThan(0);
      // Deterministic: the same plan twice, byte for byte.
      expect(JSON.stringify(planExpose(s, {}))).toBe(JSON.stringify(plan));
    }
  });

  it('problems come without manifests', () => {
    const plan = planExpose({ service: svc('web'), mode: 'nodeport', nodePort: 1 });
    expect(plan.problems.length).toBeGreaterThan(0);
    expect(plan.manifests).toEqual([]);
  });

  it('facts from a snapshot know every list and keep only host workloads', () => {
    const snap = emptySnapshot({ kind: 'cluster', description: 'test' });
    snap.workloads.push(
      daemonSet('plain', 'x', { ports: [{ containerPort: 80 }] }),
      daemonSet('host', 'x', { hostNetwork: true, ports: [{ containerPort: 80 }] }),
    );
    const facts = factsFromSnapshot(snap);
    expect(facts.hostWorkloads!.map((w) => w.metadata.name)).toEqual(['host']);
    expect(facts.nodePortRange).toEqual({ min: 30000, max: 32767 });
    for (const k of [
      'services',
      'nodes',
      'ingressClasses',
      'secrets',
      'gatewayClasses',
      'gateways',
      'pools',
      'l2Advertisements',
      'bgpAdvertisements',
      'bgpPeers',
    ] as const) {
      expect(facts[k], k).toEqual([]);
    }
  });
});

describe('address helpers', () => {
  const r = (s: string) => parseAddressEntry(s) as AddrRange;

  it('counts pool capacity, with and without avoidBuggyIPs', () => {
    expect(capacity([r('10.0.0.0/24')])).toBe(256n);
    expect(capacity([r('10.0.0.0/24')], true)).toBe(254n);
    expect(capacity([r('10.0.0.250-10.0.1.5')], true)).toBe(10n);
    expect(capacity([r('2001:db8::/64')])).toBe(2n ** 64n);
    expect(capacity([r('192.0.2.7')])).toBe(1n);
  });

  it('turns a range into the CIDRs MetalLB sees', () => {
    expect(rangeToCidrs(r('10.0.0.1-10.0.0.6'))).toEqual([
      { address: '10.0.0.1', prefix: 32 },
      { address: '10.0.0.2', prefix: 31 },
      { address: '10.0.0.4', prefix: 31 },
      { address: '10.0.0.6', prefix: 32 },
    ]);
    expect(rangeToCidrs(r('10.0.0.0/24'))).toEqual([{ address: '10.0.0.0', prefix: 24 }]);
    expect(rangeToCidrs(r('2001:db8::-2001:db8::3'))).toEqual([{ address: '2001:db8::', prefix: 126 }]);
  });

  it('takes a CIDR with host bits as its network', () => {
    expect(r('10.0.0.77/24').first).toBe(r('10.0.0.0/24').first);
  });

  it('refuses loose IPv4 forms', () => {
    expect(typeof parseAddressEntry('10.1')).toBe('string');
    expect(typeof parseAddressEntry('0x0a.0.0.1')).toBe('string');
  });

  it('fits long names deterministically', () => {
    const n = fitName(`exposectl-${'x'.repeat(40)}-${'y'.repeat(40)}`);
    expect(n.length).toBe(63);
    expect(fitName(`exposectl-${'x'.repeat(40)}-${'y'.repeat(40)}`)).toBe(n);
    expect(fitName('Web_API')).toBe('web-api');
  });
});

describe('flags', () => {
  it('every option has its flag', async () => {
    const { OPTION_FLAGS, flagOf } = await import('../../../src/modes/spec.js');
    expect(flagOf('nodePort')).toBe('--node-port');
    expect(flagOf('force')).toBe('--force');
    expect(flagOf('service')).toBe('service');
    expect(Object.values(OPTION_FLAGS).every((f) => /^--[a-z-]+$/.test(f))).toBe(true);
  });
});
