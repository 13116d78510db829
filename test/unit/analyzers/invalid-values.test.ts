// Values the API server would reject are findings (or a broken status in list), never
// silently skipped: a Service with nodePort 99999 in a manifest is never created.
import { describe, expect, it } from 'vitest';
import { discoverExposures } from '../../../src/discover/index.js';
import { invalidServiceValues } from '../../../src/discover/invalid-values.js';
import { diagnose, service, snap } from './helpers.js';

const withNodePort = (nodePort: unknown, name = 'web') =>
  service(name, { type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', nodePort }] });

describe('nodeport/out-of-range for values that are not ports at all', () => {
  for (const [value, shown] of [
    [99999, '99999'],
    [-1, '-1'],
    [0, '0'],
    [1.5, '1.5'],
    ['30080', '"30080" (a string, not a number)'],
    [true, 'true (a boolean, not a number)'],
  ] as const) {
    it(`nodePort ${JSON.stringify(value)}`, () => {
      const findings = diagnose(snap([withNodePort(value)])).filter((f) => f.code === 'nodeport/out-of-range');
      expect(findings).toHaveLength(1);
      expect(findings[0]!.message).toContain(
        `asks for nodePort ${shown} (port 80/TCP), outside the NodePort range 30000-32767`,
      );
    });
  }

  it('a nodePort inside the range is no finding', () => {
    expect(diagnose(snap([withNodePort(30080)])).filter((f) => f.code === 'nodeport/out-of-range')).toEqual([]);
  });

  it('list shows the Service broken, naming the value', () => {
    const [e] = discoverExposures(snap([withNodePort('30080')]));
    expect(e).toMatchObject({ status: 'broken' });
    expect(e!.reason).toContain(
      'the API server rejects the Service: spec.ports[0].nodePort "30080" is not a port number (1-65535)',
    );
  });
});

describe('invalidServiceValues', () => {
  it('names each rejected port, protocol and address', () => {
    const svc = service('web', {
      type: 'LoadBalancer',
      loadBalancerIP: '192.0.2.300',
      externalIPs: ['198.51.100.7', 'not-an-ip'],
      clusterIP: '10.0.0.1',
      ports: [
        { port: '80', protocol: 'HTTP', targetPort: 70000 },
        { port: 443, protocol: 'TCP', targetPort: 'https' },
        { port: 0, nodePort: -1 },
      ],
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
    const svc = service('web', {
      type: 'LoadBalancer',
      clusterIP: 'None',
      loadBalancerIP: '2001:db8::1',
      externalIPs: ['203.0.113.9'],
      ports: [{ port: 53, protocol: 'UDP', targetPort: 'dns', nodePort: 30053 }],
    });
    expect(invalidServiceValues(svc as never)).toEqual([]);
  });

  it('an exposure with an invalid port is broken, the row kept', () => {
    const exposures = discoverExposures(
      snap([service('web', { type: 'NodePort', ports: [{ port: 70000, protocol: 'TCP' }] })]),
    );
    expect(exposures).toHaveLength(1);
    expect(exposures[0]).toMatchObject({ status: 'broken' });
    expect(exposures[0]!.reason).toContain('spec.ports[0].port 70000 is not a port number (1-65535)');
  });
});

describe('input/invalid-value: every other rejected value is a diagnose finding', () => {
  const invalid = (spec: Record<string, unknown>) =>
    diagnose(snap([service('web', spec)])).filter((f) => f.code === 'input/invalid-value');

  for (const [what, spec, field, raw] of [
    ['a port of 70000', { ports: [{ port: 70000 }] }, 'spec.ports[0].port', '70000'],
    ['a port of 0', { ports: [{ port: 0 }] }, 'spec.ports[0].port', '0'],
    ['a port as a string', { ports: [{ port: '80' }] }, 'spec.ports[0].port', '"80"'],
    ['a fractional port', { ports: [{ port: 80.5 }] }, 'spec.ports[0].port', '80.5'],
    ['a missing port', { ports: [{ protocol: 'TCP' }] }, 'spec.ports[0].port', 'undefined'],
    ['a targetPort of -1', { ports: [{ port: 80, targetPort: -1 }] }, 'spec.ports[0].targetPort', '-1'],
    [
      'a targetPort name in upper case',
      { ports: [{ port: 80, targetPort: 'HTTP' }] },
      'spec.ports[0].targetPort',
      '"HTTP"',
    ],
    [
      'a targetPort name of 16 characters',
      { ports: [{ port: 80, targetPort: 'abcdefghijklmnop' }] },
      'spec.ports[0].targetPort',
      '"abcdefghijklmnop"',
    ],
    [
      'a targetPort name with "--"',
      { ports: [{ port: 80, targetPort: 'web--http' }] },
      'spec.ports[0].targetPort',
      '"web--http"',
    ],
    [
      'a targetPort name of digits only',
      { ports: [{ port: 80, targetPort: '8080' }] },
      'spec.ports[0].targetPort',
      '"8080"',
    ],
    ['protocol HTTP', { ports: [{ port: 80, protocol: 'HTTP' }] }, 'spec.ports[0].protocol', '"HTTP"'],
    ['protocol tcp in lower case', { ports: [{ port: 80, protocol: 'tcp' }] }, 'spec.ports[0].protocol', '"tcp"'],
    [
      'a loadBalancerIP that does not parse',
      { type: 'LoadBalancer', loadBalancerIP: '192.0.2.300', ports: [{ port: 80 }] },
      'spec.loadBalancerIP',
      '"192.0.2.300"',
    ],
    [
      'an externalIP that is a name',
      { externalIPs: ['203.0.113.9', 'lb.example.com'], ports: [{ port: 80 }] },
      'spec.externalIPs[1]',
      '"lb.example.com"',
    ],
    [
      'an externalIP that is a CIDR',
      { externalIPs: ['203.0.113.0/24'], ports: [{ port: 80 }] },
      'spec.externalIPs[0]',
      '"203.0.113.0/24"',
    ],
    ['a clusterIP that is a word', { clusterIP: 'none', ports: [{ port: 80 }] }, 'spec.clusterIP', '"none"'],
    [
      'a nodePort on a ClusterIP Service',
      { ports: [{ port: 80, nodePort: 99999 }] },
      'spec.ports[0].nodePort',
      '99999',
    ],
  ] as const) {
    it(`${what}: an error naming ${field} and ${raw}`, () => {
      const findings = invalid(spec);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        severity: 'error',
        check: 'input',
        subject: { kind: 'Service', namespace: 'default', name: 'web' },
      });
      expect(findings[0]!.message).toContain(`Service default/web has ${field} ${raw}, which `);
      expect(findings[0]!.message).toContain('the API server rejects the Service');
      expect(findings[0]!.fix).toMatch(new RegExp(`^Set ${field.replace(/[[\]]/g, '\\$&')} to .{10,}\\.$`));
    });
  }

  it('one finding per bad value', () => {
    const findings = invalid({
      type: 'LoadBalancer',
      loadBalancerIP: 'x',
      ports: [{ port: '80', protocol: 'HTTP', targetPort: 70000 }],
    });
    expect(findings.map((f) => f.message.split(', which ')[0]).sort()).toEqual([
      'Service default/web has spec.loadBalancerIP "x"',
      'Service default/web has spec.ports[0].port "80"',
      'Service default/web has spec.ports[0].protocol "HTTP"',
      'Service default/web has spec.ports[0].targetPort 70000',
    ]);
  });

  it("a NodePort Service's bad nodePort is nodeport/out-of-range only, not reported twice", () => {
    const all = diagnose(snap([withNodePort(99999)]));
    expect(all.filter((f) => f.code === 'input/invalid-value')).toEqual([]);
    expect(all.filter((f) => f.code === 'nodeport/out-of-range')).toHaveLength(1);
  });

  it('valid values raise nothing: named targetPorts, UDP/SCTP, IPv4 and IPv6, clusterIP None or empty', () => {
    for (const spec of [
      {
        type: 'LoadBalancer',
        clusterIP: 'None',
        loadBalancerIP: '2001:db8::1',
        externalIPs: ['203.0.113.9'],
        ports: [{ port: 53, protocol: 'UDP', targetPort: 'dns', nodePort: 30053 }],
      },
      {
        clusterIP: '',
        ports: [
          { port: 1, protocol: 'SCTP', targetPort: 65535 },
          { port: 65535, targetPort: 'a-1' },
        ],
      },
      { clusterIP: '10.96.0.10', ports: [{ port: 443, targetPort: 'https-web-12345' }] },
      {},
    ])
      expect(invalid(spec)).toEqual([]);
  });
});
