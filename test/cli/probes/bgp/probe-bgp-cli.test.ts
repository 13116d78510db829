// `exposectl probe bgp` end to end on loopback: the built CLI listens, a scripted speaker
// (from 127.0.0.2) establishes a session and advertises one of the demo's LoadBalancer
// addresses; the report lists the route and compares it with the demo files.
import { describe, expect, it } from 'vitest';
import { parseListen } from '../../../../src/actions/bgp-flags.js';
import { runCli } from '../../../helpers/cli.js';
import { schemaErrors } from '../../../helpers/schema.js';
import { freePort, speak } from '../../../unit/probes/bgp/speaker.js';

describe('probe bgp', () => {
  it('records what a speaker advertises and compares it with the files', async () => {
    const port = await freePort();
    const run = runCli([
      'probe',
      'bgp',
      '--listen',
      `127.0.0.1:${port}`,
      '--local-as',
      '64500',
      '--peer',
      '127.0.0.2',
      '--peer',
      '127.0.0.3',
      '--duration',
      '6s',
      '-f',
      'examples/demo',
      '-o',
      'json',
    ]);
    const socket = await speak(port, ['203.0.113.1/32'], '192.0.2.13');
    const { stdout, stderr, exitCode } = await run;
    socket.destroy();
    expect(exitCode, stderr).toBe(0);
    expect(stderr).toMatch(/listening for BGP on 127\.0\.0\.1:\d+ as AS 64500/);
    const report = JSON.parse(stdout) as {
      peers: Array<{
        address: string;
        state: string;
        routes: Array<{ prefix: string; nextHop: string; communities: string[] }>;
      }>;
      findings: Array<{ code: string; subject: { name: string } }>;
    };
    const peer = report.peers.find((p) => p.address === '127.0.0.2');
    expect(peer?.routes).toEqual([
      expect.objectContaining({ prefix: '203.0.113.1/32', nextHop: '192.0.2.13', communities: ['64512:100'] }),
    ]);
    const codes = report.findings.map((f) => f.code).sort();
    // 127.0.0.3 never connected. api (203.0.113.1) is advertised; its policy is Cluster, so its next hop needs no local endpoint.
    expect(codes).toEqual(['bgp/session-down']);
    const doc = JSON.parse(stdout);
    expect(schemaErrors('bgp-observation.schema.json', doc)).toEqual([]);
    // Broken documents are rejected, naming the place: a route without its prefix, an AS beyond 32 bits.
    const first = doc.peers.findIndex((p: { address: string }) => p.address === '127.0.0.2');
    const { prefix: _prefix, ...noPrefix } = doc.peers[first].routes[0];
    const peers = doc.peers.map((p: object, i: number) => (i === first ? { ...p, routes: [noPrefix] } : p));
    expect(schemaErrors('bgp-observation.schema.json', { ...doc, peers })).toEqual([
      `/peers/${first}/routes/0 must have required property 'prefix'`,
    ]);
    expect(schemaErrors('bgp-observation.schema.json', { ...doc, localAs: 2 ** 32 })).toEqual([
      '/localAs must be <= 4294967295',
    ]);
  });

  it('parses --listen', () => {
    expect(parseListen('192.0.2.1')).toEqual({ address: '192.0.2.1', port: 179 });
    expect(parseListen('192.0.2.1:1179')).toEqual({ address: '192.0.2.1', port: 1179 });
    expect(parseListen('[2001:db8::1]:1179')).toEqual({ address: '2001:db8::1', port: 1179 });
    expect(parseListen('::')).toEqual({ address: '::', port: 179 });
    for (const bad of ['host.example', '192.0.2.1:99999', '', '1.2.3'])
      expect(() => parseListen(bad)).toThrow(/is not ADDRESS\[:PORT\]/);
  });

  it('bad flags exit 2', async () => {
    const r = await runCli([
      'probe',
      'bgp',
      '--listen',
      'nowhere',
      '--local-as',
      '64500',
      '--duration',
      '1s',
      '--no-compare',
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--listen "nowhere" is not ADDRESS\[:PORT\]/);
  });
});
