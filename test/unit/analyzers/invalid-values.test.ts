// Values the API server would reject are findings (or a broken status in list), never
// silently skipped: a Service with nodePort 99999 in a manifest is never created.
import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import { invalidServiceValues } from '../../../src/discover/invalid-values.js';
import { diagnose, service, snap } from './helpers.js';

const withNodePort = (nodePort: unknown, name = 'web') => service(name, { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort }] });

describe('nodeport/out-of-range for values that are not ports at all', () => {
  for (const [value, shown] of [[99999, '99999'], [-1, '-1'], [0, '0'], [1.5, '1.5'], ['30080', '"30080" (a string, not a number)'], [true, 'true (a boolean, not a number)']] as const) {
    it(`nodePort ${JSON.stringify(value)}`, () => {
      const findings = diagnose(snap([withNodePort(value)])).filter((f) => f.code === 'nodeport/out-of-range');
      expect(findings).toHaveLength(1);
      expect(findings[0]!.message).toContain(`asks for nodePort ${shown} (port 80/TCP), outside the NodePort range 30000-32767`);
    });
  }

  it('a nodePort inside the range is no finding', () => {
    expect(diagnose(snap([withNodePort(30080)])).filter((f) => f.code === 'nodeport/out-of-range')).toEqual([]);
  });

  it('list shows the Service broken, naming the value', () => {
    const [e] = discoverExposures(snap([withNodePort('30080')]));
    expect(e).toMatchObject({ status: 'broken' });
    expect(e!.reason).toContain('the API server rejects the Service: spec.ports[0].nodePort "30080" is not a port number (1-65535)');
  });
});

describe('invalidServiceValues', () => {
  it('names each rejected port, protocol and address', () => {
    const svc = service('web', {
      type: 'LoadBalancer', loadBalancerIP: '192.0.2.300', externalIPs: ['198.51.100.7', 'not-an-ip'], clusterIP: '10.0.0.1',
      ports: [{ port: '80', protocol: 'HTTP', targetPort: 70000 }, { port: 443, protocol: 'TCP', targetPort: 'https' }, { port: 0, nodePort: -1 }],
    });
    expect(invalidServiceValues(svc as never)).toEqual([
      'spec.ports[0].port "80" is not a port number (1-65535)',
      'spec.ports[0].targetPort 70000 is neither a port number nor a port name',
      'spec.ports[0].protocol "HTTP" is not TCP, UDP or SCTP',
      'spec.ports[2].port 0 is not a port number (1-65535)',
      'spec.ports[2].nodePort -1 is not a port number (1-65535)',
      'spec.loadBalancerIP "192.0.2.300" is not an IP address',
      'spec.externalIPs[1] "not-an-ip" is not an IP address',
    ]);
  });

  it('a valid Service has none (clusterIP None, named targetPort, IPv6 addresses)', () => {
    const svc = service('web', { type: 'LoadBalancer', clusterIP: 'None', loadBalancerIP: '2001:db8::1', externalIPs: ['203.0.113.9'], ports: [{ port: 53, protocol: 'UDP', targetPort: 'dns', nodePort: 30053 }] });
    expect(invalidServiceValues(svc as never)).toEqual([]);
  });

  it('an exposure with an invalid port is broken, the row kept', () => {
    const exposures = discoverExposures(snap([service('web', { type: 'NodePort', ports: [{ port: 70000, protocol: 'TCP' }] })]));
    expect(exposures).toHaveLength(1);
    expect(exposures[0]).toMatchObject({ status: 'broken' });
    expect(exposures[0]!.reason).toContain('spec.ports[0].port 70000 is not a port number (1-65535)');
  });
});
