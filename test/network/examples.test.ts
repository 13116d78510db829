// The README and --help examples that need a network interface (eth0, bond0), the address
// 192.0.2.10 on this host, or root, run here as written in the "client" namespace of an L2
// lab (test/network/arp/lab.ts): eth0 and bond0 (192.0.2.20) on a bridge with nodes n1 and n2, client
// 192.0.2.10, and the MetalLB VIP 198.51.100.10 of Service shop/web held by n1. They read
// the cluster from a file (-f, the lab's facts: -f is the example's cluster here), with the
// context namespace shop. `sudo` is dropped: the tests run as root. --watch runs until its
// first reply. The BGP examples listen for their --duration with no peer dialing in: they
// must bind the documented address and report that no session came up; they run at the same
// time (five at once), each in a client namespace of its own with the same address.
// test/integration/examples.test.ts checks that unit, integration and this file cover every example.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, Lab, requireLab, sh, waitForOutput } from './arp/lab.js';
import { NETWORK_EXAMPLES } from './examples-cases.js';
import { metallbL2Facts, nodesYaml, vipHolders } from './lab-facts.js';

const VIP = '198.51.100.10';
const NODES = [
  { role: 'n1', ip: '192.0.2.11', mac: '02:00:5e:00:02:11' },
  { role: 'n2', ip: '192.0.2.12', mac: '02:00:5e:00:02:12' },
];

let lab: Lab;
let file: string;
let kubeconfig: string;
let holdOnly: (roles: string[]) => Promise<void>;

beforeAll(async () => {
  await requireLab(['ip', 'arping', 'tcpdump', 'setpriv']);
  lab = new Lab();
  await lab.create([{ role: 'client', ip: '192.0.2.10', mac: '02:00:5e:00:02:10' }, ...NODES]);
  // bond0: a second link of the client on the same bridge, named as the example names it.
  const client = lab.host('client').ns;
  await sh('ip', [
    'link',
    'add',
    `b${lab.id}`,
    'netns',
    client,
    'type',
    'veth',
    'peer',
    'name',
    'pb',
    'netns',
    lab.nsName('br'),
  ]);
  await sh('ip', ['-n', client, 'link', 'set', `b${lab.id}`, 'name', 'bond0']);
  await sh('ip', ['-n', lab.nsName('br'), 'link', 'set', 'pb', 'master', 'br0', 'up']);
  await sh('ip', ['-n', client, 'link', 'set', 'bond0', 'up']);
  await sh('ip', ['-n', client, 'addr', 'add', '192.0.2.20/24', 'dev', 'bond0']);
  holdOnly = vipHolders(lab, VIP);
  lab.writeFile('nodes.yaml', nodesYaml(NODES));
  file = lab.writeFile('cluster.yaml', metallbL2Facts({ nodes: NODES, vip: VIP, holder: 'n1', localPolicy: true }));
  // Only the context's namespace is read (-f gives the objects): `web` is shop/web.
  kubeconfig = lab.writeFile(
    'kubeconfig',
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'lab',
      clusters: [{ name: 'lab', cluster: { server: 'https://192.0.2.1:6443' } }],
      users: [{ name: 'lab', user: {} }],
      contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'lab', namespace: 'shop' } }],
    }),
  );
}, 120_000);

afterAll(async () => {
  await lab?.destroy();
});

/** The example's words after `exposectl`, with its -f and --save files in the lab's folder and -f the lab's facts when it has none. */
function argsOf(command: string): string[] {
  const words = command
    .replace(/^sudo /, '')
    .split(' ')
    .slice(1);
  const inLab = words.map((w, i) => (words[i - 1] === '-f' || words[i - 1] === '--save' ? path.join(lab.dir, w) : w));
  return words.includes('-f') ? inLab : [...inLab, '-f', file];
}

/** The BGP examples listen for their whole --duration: they run at the same time, each in a client namespace of its own. */
const listens = (command: string) => /--(bgp-)?duration /.test(command);

describe('README and --help examples in network namespaces', { timeout: 120_000 }, () => {
  it.each(NETWORK_EXAMPLES.filter((e) => !listens(e.command)).map((e) => [e.command, e] as const))(
    '%s',
    async (command, e) => {
      await holdOnly([e.holder ?? 'n1']);
      const args = argsOf(command);
      if (!e.watch) {
        e.check(await lab.cli('client', args, { env: { KUBECONFIG: kubeconfig }, timeoutMs: 100_000 }));
        return;
      }
      const child = lab.spawnIn('client', process.execPath, [lab.cliPath, ...args], {
        NO_COLOR: '1',
        KUBECONFIG: kubeconfig,
      });
      const done = collect(child, 60_000);
      await waitForOutput(child, (text) => e.watch!.test(text), 30_000).finally(() => child.kill('SIGINT'));
      e.check(await done);
    },
  );
});

// A client namespace per example (192.0.2.10 on eth0, its own bridge): the examples bind the
// same documented addresses, so they cannot share one. No BGP speaker dials in.
describe.concurrent('README and --help BGP examples, each listening in a client of its own', {
  timeout: 120_000,
}, () => {
  it.each(NETWORK_EXAMPLES.filter((e) => listens(e.command)).map((e) => [e.command, e] as const))(
    '%s',
    async (command, e) => {
      const own = new Lab();
      try {
        await own.create([{ role: 'client', ip: '192.0.2.10', mac: '02:00:5e:00:02:10' }]);
        const args = argsOf(command);
        e.check(await own.cli('client', args, { env: { KUBECONFIG: kubeconfig }, timeoutMs: 100_000 }));
        // A file it saves (--save) lands in the lab's folder, and must hold the observation.
        const saved = args[args.indexOf('--save') + 1];
        if (args.includes('--save'))
          expect(JSON.parse(readFileSync(saved!, 'utf8'))).toMatchObject({ kind: 'BgpObservation' });
      } finally {
        await own.destroy();
      }
    },
  );
});
