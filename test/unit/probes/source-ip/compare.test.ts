// What the echo saw against the client's own address, and the analyzers' attribution of the
// hop that rewrote it (the source-ip probe's facts -> findings).
import { describe, expect, it } from 'vitest';
import type { SourceIpProbe } from '../../../../src/model/probe-facts.js';
import {
  describeSourceIpProbe,
  firstForwardedFor,
  forwardedClient,
  parseClientIp,
  sourceIpVerdict,
} from '../../../../src/probes/source-ip/compare.js';
import {
  diagnose,
  haproxyGateway,
  haproxyTcp,
  lbStatus,
  node,
  pairs,
  service,
  snapshotOf,
} from '../../analyzers/helpers.js';

const fact = (over: Partial<SourceIpProbe>): SourceIpProbe => ({
  service: { namespace: 'default', name: 'web' },
  target: '198.51.100.10:80',
  clientAddress: '192.0.2.50',
  seenAddress: '192.0.2.50',
  at: '2026-11-27T12:00:00Z',
  ...over,
});

describe('parseClientIp', () => {
  it.each([
    ['192.0.2.50:41234', '192.0.2.50'],
    ['[2001:db8::1]:41234', '2001:db8::1'],
    ['[::ffff:192.0.2.50]:41234', '192.0.2.50'],
    ['::ffff:192.0.2.50', '192.0.2.50'],
    ['192.0.2.50:41234\n', '192.0.2.50'],
  ])('%j -> %s', (text, ip) => expect(parseClientIp(text)).toBe(ip));

  it.each(['', 'NOW: 2026-11-27', '999.1.1.1:80', 'hello:80'])('%j is not an address', (text) =>
    expect(parseClientIp(text)).toBeNull(),
  );
});

describe('sourceIpVerdict and its line', () => {
  it('the echo saw the client: preserved', () => {
    expect(sourceIpVerdict(fact({}))).toBe('preserved');
    expect(describeSourceIpProbe(fact({}))).toBe(
      'source-ip probe: a request from 192.0.2.50 to 198.51.100.10:80 through the exposure of Service default/web reached the echo from 192.0.2.50: the client address survives',
    );
  });
  it('the echo saw another address: lost, unless X-Forwarded-For or a PROXY header carries the client', () => {
    expect(sourceIpVerdict(fact({ seenAddress: '192.0.2.11' }))).toBe('lost');
    expect(describeSourceIpProbe(fact({ seenAddress: '192.0.2.11' }))).toMatch(
      /reached the echo from 192\.0\.2\.11: the client address was LOST/,
    );
    expect(sourceIpVerdict(fact({ seenAddress: '10.244.1.5', forwardedFor: '192.0.2.50' }))).toBe('preserved');
    expect(describeSourceIpProbe(fact({ seenAddress: '10.244.1.5', forwardedFor: '192.0.2.50' }))).toMatch(
      /with 192\.0\.2\.50 in X-Forwarded-For \(TCP peer 10\.244\.1\.5, the proxy\): the client address survives/,
    );
    expect(sourceIpVerdict(fact({ seenAddress: '192.0.2.11', proxyProtocolAddress: '192.0.2.50' }))).toBe('preserved');
  });
  it('on an L7 path the forwarded header is the verdict, never the TCP peer (always the proxy there)', () => {
    const l7 = (over: Partial<SourceIpProbe>) => fact({ seenAddress: '192.0.2.11', ...over });
    // Traefik/ingress-nginx behind a SNATing front: the proxy forwarded a node address
    const snat = l7({ forwardedFor: '192.0.2.12', forwardedHeader: 'X-Forwarded-For' });
    expect(sourceIpVerdict(snat)).toBe('lost');
    expect(describeSourceIpProbe(snat)).toMatch(
      /reached the echo from 192\.0\.2\.12 \(in X-Forwarded-For; TCP peer 192\.0\.2\.11, the proxy\): the client address was LOST/,
    );
    // a proxy that adds no header: lost, even if the proxy runs where the client does
    const none = l7({ seenAddress: '192.0.2.50', forwardedFor: null });
    expect(sourceIpVerdict(none)).toBe('lost');
    expect(describeSourceIpProbe(none)).toMatch(
      /with neither X-Forwarded-For nor X-Real-IP: the client address was LOST/,
    );
    // only X-Real-IP (an nginx config with proxy_set_header X-Real-IP $remote_addr)
    const real = l7({ forwardedFor: '192.0.2.50', forwardedHeader: 'X-Real-IP' });
    expect(sourceIpVerdict(real)).toBe('preserved');
    expect(describeSourceIpProbe(real)).toMatch(/with 192\.0\.2\.50 in X-Real-IP/);
  });
  it('no answer: failed, with the reason', () => {
    const f = fact({
      seenAddress: null,
      clientAddress: '?',
      target: '?',
      error: 'not reachable within 5 s: no LoadBalancer address',
    });
    expect(sourceIpVerdict(f)).toBe('failed');
    expect(describeSourceIpProbe(f)).toBe(
      'source-ip probe: a request through the exposure of Service default/web got no answer from the echo (not reachable within 5 s: no LoadBalancer address): not proven',
    );
  });
  it('firstForwardedFor reads the first address of the header', () => {
    expect(firstForwardedFor('192.0.2.50, 10.244.0.1')).toBe('192.0.2.50');
    expect(firstForwardedFor('')).toBeNull();
    expect(firstForwardedFor(undefined)).toBeNull();
  });
  // What the proxies send: Traefik sets X-Forwarded-For (appending its peer) and X-Real-Ip;
  // ingress-nginx both; HAProxy's `option forwardfor` and Envoy only X-Forwarded-For; an
  // nginx config may set only X-Real-IP.
  it.each([
    ['Traefik, ingress-nginx', { xForwardedFor: '192.0.2.50', xRealIp: '192.0.2.50' }, '192.0.2.50', 'X-Forwarded-For'],
    [
      'a chain of proxies',
      { xForwardedFor: '192.0.2.50, 10.244.0.1', xRealIp: '10.244.0.1' },
      '192.0.2.50',
      'X-Forwarded-For',
    ],
    [
      'HAProxy option forwardfor, Envoy',
      { xForwardedFor: '2001:db8::5', xRealIp: null },
      '2001:db8::5',
      'X-Forwarded-For',
    ],
    ['nginx with only X-Real-IP', { xForwardedFor: null, xRealIp: '192.0.2.50\n' }, '192.0.2.50', 'X-Real-IP'],
    ['an unusable X-Forwarded-For', { xForwardedFor: 'unknown', xRealIp: '192.0.2.50' }, '192.0.2.50', 'X-Real-IP'],
  ])('forwardedClient: %s', (_, headers, address, header) =>
    expect(forwardedClient(headers)).toEqual({ address, header }),
  );
  it('forwardedClient: no header, no address', () =>
    expect(forwardedClient({ xForwardedFor: null, xRealIp: null })).toEqual({ address: null }));
});

describe('the hop that rewrote the address, from the probe facts', () => {
  const lb = (etp: string) =>
    service(
      'web',
      { type: 'LoadBalancer', externalTrafficPolicy: etp, clusterIP: '10.96.0.50' },
      {},
      lbStatus('198.51.100.10'),
    );
  const probeFindings = (objects: Parameters<typeof snapshotOf>[0], p: SourceIpProbe) =>
    diagnose(snapshotOf(objects, 'cluster'), {
      check: 'source-ip',
      probes: { sourceIpProbe: [p] },
      service: { namespace: 'default', name: 'web' },
    }).filter((f) => f.message.startsWith('Probe:'));

  it('seen = a node address under Cluster policy: source-ip/etp-cluster naming the node', () => {
    const f = probeFindings([lb('Cluster'), node('node-1', '192.0.2.11')], fact({ seenAddress: '192.0.2.11' }));
    expect(pairs(f)).toEqual([['source-ip/etp-cluster', 'Service default/web']]);
    expect(f[0]!.message).toContain('from 192.0.2.11, the address of node node-1');
  });
  it('seen = the client: no probe finding', () => {
    expect(probeFindings([lb('Local'), node('node-1', '192.0.2.11')], fact({}))).toEqual([]);
  });
  it('behind an HAProxy without send-proxy: source-ip/proxy-protocol-missing on the gateway', () => {
    const f = probeFindings(
      [lb('Local'), node('node-1', '192.0.2.11'), ...haproxyGateway('edge', haproxyTcp('10.96.0.50:80'))],
      fact({ seenAddress: '192.0.2.11' }),
    );
    expect(pairs(f)).toEqual([['source-ip/proxy-protocol-missing', 'DaemonSet default/edge']]);
  });
  it('L7 path: a ClusterIP backend is never blamed for SNAT; the proxy forwarding a node address is named', () => {
    const f = probeFindings(
      [service('web', { clusterIP: '10.96.0.50' }), node('node-1', '192.0.2.11')],
      fact({ seenAddress: '192.0.2.11', forwardedFor: '192.0.2.11', forwardedHeader: 'X-Forwarded-For' }),
    );
    expect(pairs(f)).toEqual([['source-ip/proxy-protocol-missing', 'Service default/web']]);
    expect(f[0]!.message).toContain('with 192.0.2.11, the address of node node-1, in X-Forwarded-For');
  });
  it('L7 path with the client in X-Forwarded-For: no probe finding', () => {
    const f = probeFindings(
      [service('web', { clusterIP: '10.96.0.50' }), node('node-1', '192.0.2.11')],
      fact({ seenAddress: '192.0.2.11', forwardedFor: '192.0.2.50', forwardedHeader: 'X-Forwarded-For' }),
    );
    expect(f).toEqual([]);
  });
  it('L7 path without a forwarded header: the proxy is said not to pass the client on', () => {
    const f = probeFindings(
      [service('web', { clusterIP: '10.96.0.50' })],
      fact({ seenAddress: '192.0.2.11', forwardedFor: null }),
    );
    expect(pairs(f)).toEqual([['source-ip/proxy-protocol-missing', 'Service default/web']]);
    expect(f[0]!.message).toContain('neither X-Forwarded-For nor X-Real-IP');
  });
  it('Local policy and still rewritten: an unknown hop, said so', () => {
    const f = probeFindings([lb('Local')], fact({ seenAddress: '203.0.113.9' }));
    expect(pairs(f)).toEqual([['source-ip/proxy-protocol-missing', 'Service default/web']]);
    expect(f[0]!.message).toContain('the snapshot does not show which');
  });
});
