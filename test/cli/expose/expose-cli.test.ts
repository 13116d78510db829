// `expose --dry-run=client -f` needs no cluster: every mode prints a valid v1 List.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const SVC = 'test/fixtures/web-service.yaml';

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

const MODES: Array<[string, string[], string[]]> = [
  ['nodeport', ['--node-port', '30080'], ['Service']],
  ['ingress', ['--host', 'shop.example', '--ingress-class', 'nginx'], ['Ingress']],
  ['l2', ['--addresses', '198.51.100.10-198.51.100.20'], ['IPAddressPool', 'L2Advertisement', 'Service']],
  [
    'bgp',
    ['--addresses', '203.0.113.0/28', '--peer', '192.0.2.1', '--peer-asn', '64500', '--my-asn', '64512'],
    ['IPAddressPool', 'BGPPeer', 'BGPAdvertisement', 'Service'],
  ],
  ['hostnetwork', ['--node-selector', 'role=edge', '--preserve-source-ip'], ['ConfigMap', 'DaemonSet']],
  ['gateway', ['--gateway-class', 'cilium', '--host', 'shop.example'], ['Gateway', 'HTTPRoute']],
];

describe('expose --dry-run=client -f (no cluster)', () => {
  it.each(MODES)('%s prints a v1 List of labelled objects', async (mode, args, kinds) => {
    const { stdout, stderr, exitCode } = await runCli([
      'expose',
      '--mode',
      mode,
      ...args,
      '-f',
      SVC,
      '--dry-run=client',
      '-o',
      'json',
    ]);
    expect(stderr).not.toMatch(/error/i);
    expect(exitCode).toBe(0);
    const list = JSON.parse(stdout) as { apiVersion: string; kind: string; items: Obj[] };
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('List');
    expect(list.items.map((o) => o.kind)).toEqual(kinds);
    for (const o of list.items) {
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'exposectl',
        'exposectl.dev/service': 'web',
      });
    }
  });

  it('-o yaml and -o name and the default text', async () => {
    const yaml = await runCli(['expose', '--mode', 'nodeport', '-f', SVC, '--dry-run=client', '-o', 'yaml']);
    expect(yaml.stdout).toMatch(/^apiVersion: v1\nkind: List\nitems:\n/);
    const name = await runCli([
      'expose',
      '--mode',
      'l2',
      '--addresses',
      '198.51.100.10/32',
      '-f',
      SVC,
      '--dry-run=client',
      '-o',
      'name',
    ]);
    expect(name.stdout.trim().split('\n')).toEqual([
      'ipaddresspool.metallb.io/exposectl-shop-web',
      'l2advertisement.metallb.io/exposectl-shop-web',
      'service/web-lb',
    ]);
    const text = await runCli(['expose', '--mode', 'nodeport', '--node-port', '30080', '-f', SVC, '--dry-run=client']);
    expect(text.stdout).toBe('service/web-nodeport planned (dry run)');
    expect(text.stderr).toMatch(/Note: .*no cluster facts/);
  });

  it.each([
    [
      ['--mode', 'l2', '--addresses', '198.51.100.10-198.51.100.20', '--ip', '203.0.113.5'],
      /--ip: .*203\.0\.113\.5.*not in/,
    ],
    [['--mode', 'nodeport', '--node-port', '80'], /--node-port: /],
    [['--mode', 'l2', '--addresses', '198.51.100.300'], /--addresses: /],
    [
      ['--mode', 'bgp', '--addresses', '203.0.113.0/28', '--peer', '192.0.2.1', '--peer-asn', '0', '--my-asn', '64512'],
      /--peer-asn: /,
    ],
    [['--mode', 'nodeport', '--host', 'x.example'], /--host does not apply to mode nodeport/],
    [
      ['--mode', 'hostnetwork', '--node-selector', 'not a selector'],
      /--node-selector: "not a selector" is not a label selector/,
    ],
    [['--mode', 'nodeport', '--wait'], /--wait cannot be used with --dry-run=client/],
  ])('bad input %j exits 2 and names the flag', async (args, message) => {
    const { stdout, stderr, exitCode } = await runCli(['expose', ...args, '-f', SVC, '--dry-run=client']);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('without -f it needs a Service name', async () => {
    const { stderr, exitCode } = await runCli(['expose', '--mode', 'nodeport']);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/name the Service to expose/);
  });
});
