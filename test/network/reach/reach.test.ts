// `exposectl probe reach` from a "client" network namespace to "node" namespaces on one
// bridge (documentation addresses only): node n1 serves the Service's nodePort (an echo
// that names its Pod), node n2 drops it as kube-proxy does on a node without a local
// endpoint under externalTrafficPolicy Local (an iptables DROP rule), and nothing listens on
// another port of n2 (refused). The CLI reads the cluster from a file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors } from '../../helpers/schema.js';
import { Lab, requireLab, sh, waitForOutput } from '../arp/lab.js';
import { nodesYaml, webEndpointSliceYaml } from '../lab-facts.js';

const NODES = [
  { role: 'n1', ip: '192.0.2.41', mac: '02:00:5e:00:02:41' },
  { role: 'n2', ip: '192.0.2.42', mac: '02:00:5e:00:02:42' },
];

const FACTS = `
${nodesYaml(NODES)}
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080, nodePort: 30080, protocol: TCP }]
---
${webEndpointSliceYaml([{ ip: '10.244.1.5', node: 'n1', ready: true }])}
`;

const ECHO = `require('node:http').createServer((q, s) => s.end(JSON.stringify({ pod: 'web-1', node: 'n1' })))
  .listen(30080, '0.0.0.0', () => console.log('listening'));`;

let lab: Lab;
let file: string;

beforeAll(async () => {
  await requireLab(['ip', 'iptables']);
  lab = new Lab();
  await lab.create([{ role: 'client', ip: '192.0.2.10', mac: '02:00:5e:00:02:10' }, ...NODES]);
  file = lab.writeFile('cluster.yaml', FACTS);
  const echo = lab.spawnIn('n1', process.execPath, ['-e', ECHO]);
  await waitForOutput(echo, (t) => t.includes('listening'), 10_000);
  // What kube-proxy (iptables mode) writes on a node without a local endpoint: drop, no answer.
  await sh('ip', [
    'netns',
    'exec',
    lab.host('n2').ns,
    'iptables',
    '-A',
    'INPUT',
    '-p',
    'tcp',
    '--dport',
    '30080',
    '-j',
    'DROP',
  ]);
}, 120_000);

afterAll(async () => {
  await lab?.destroy();
});

describe('probe reach in network namespaces', () => {
  it('a Local NodePort: served on n1 (its Pod named), timed out on n2 (no local endpoint), a closed port refused', async () => {
    const r = await lab.cli('client', [
      'probe',
      'reach',
      'web',
      '192.0.2.42:30081',
      '-n',
      'shop',
      '-f',
      file,
      '--timeout',
      '700ms',
      '--count',
      '2',
      '-o',
      'json',
      '--fail-on',
      'error',
    ]);
    expect(r.code, r.stderr).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(schemaErrors('reach-probe.schema.json', doc)).toEqual([]);
    expect(
      doc.results.map((x: { target: { label: string }; outcomes: object; pods: object }) => [
        x.target.label,
        x.outcomes,
        x.pods,
      ]),
    ).toEqual([
      ['nodePort n1 192.0.2.41:30080', { connected: 2 }, { 'web-1': 2 }],
      ['nodePort n2 192.0.2.42:30080', { 'timed-out': 2 }, {}],
      ['192.0.2.42:30081', { refused: 2 }, {}],
    ]);
    expect(doc.results[0].first.localAddress).toBe('192.0.2.10');
    expect(doc.results[1].first.totalMs).toBeGreaterThanOrEqual(690);
    expect(doc.findings.map((f: { code: string; subject: { name: string } }) => [f.code, f.subject.name])).toEqual([
      ['reach/timed-out', 'web'],
      ['reach/refused', '192.0.2.42:30081'],
    ]);
    expect(doc.findings[0].message).toContain(
      'node n2 has no ready endpoint of the Service and externalTrafficPolicy is Local',
    );
  });

  it('text: one row per way in', async () => {
    const r = await lab.cli('client', ['probe', 'reach', 'shop/web', '-f', file, '--timeout', '500ms']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^nodePort n1 192\.0\.2\.41:30080\s+connected\s+\d+ ms\s+200\s+-\s+web-1$/m);
    expect(r.stdout).toMatch(/^nodePort n2 192\.0\.2\.42:30080\s+timed-out\s+-/m);
  });
});
