// Shell metacharacters against the real arping in network namespaces: an interface with
// every character a name may hold reaches arping intact (arguments as an array, no shell),
// and values with `;`, `$( )`, backquotes, pipes or newlines, given on the command line or
// found in the cluster facts (a Service's address, a Node's address), run nothing: the
// sentinel file they would create never appears.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodesYaml, webServiceYaml } from '../lab-facts.js';
import { Lab, requireLab, sh } from './lab.js';

const VIP = '198.51.100.10';
/** A valid interface name using every non-alphanumeric character the kernel and exposectl allow. */
const ODD_IFACE = 'e.t_h-0';

let lab: Lab;
let sentinel: string;
// Quoted, so that the shell syntax stays inside one YAML string.
const facts = (serviceIp: string, nodeIp: string) => `
${nodesYaml([{ role: 'n1', ip: JSON.stringify(nodeIp) }])}
${webServiceYaml({ vip: JSON.stringify(serviceIp) })}
`;

beforeAll(async () => {
  await requireLab(['ip', 'arping', 'tcpdump']);
  lab = new Lab();
  await lab.create([
    { role: 'client', ip: '192.0.2.10', mac: '02:00:5e:00:02:10' },
    { role: 'n1', ip: '192.0.2.21', mac: '02:00:5e:00:02:21' },
  ]);
  const ns = lab.host('client').ns;
  await sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'down']);
  await sh('ip', ['-n', ns, 'link', 'set', 'eth0', 'name', ODD_IFACE]);
  await sh('ip', ['-n', ns, 'link', 'set', ODD_IFACE, 'up']);
  await lab.addVip('n1', VIP);
  sentinel = path.join(lab.dir, 'pwned');
});

afterAll(async () => {
  await lab?.destroy();
});

describe('probe arp: arguments reach the real arping intact, metacharacters run nothing', () => {
  it(`an interface named ${ODD_IFACE} is passed as one argument: the holder answers`, async () => {
    const r = await lab.cli('client', [
      'probe',
      'arp',
      '--ip',
      VIP,
      '--interface',
      ODD_IFACE,
      '--count',
      '1',
      '--timeout',
      '300ms',
      '--no-resolve-nodes',
      '-o',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.interface).toBe(ODD_IFACE);
    expect(json.replies.map((x: { mac: string }) => x.mac)).toEqual(['02:00:5e:00:02:21']);
  });

  it('--netns names the namespace as one argument to ip netns exec', async () => {
    const r = await lab.cli('client', [
      'probe',
      'arp',
      '--ip',
      VIP,
      '--interface',
      ODD_IFACE,
      '--netns',
      lab.host('client').ns,
      '--count',
      '1',
      '--timeout',
      '300ms',
      '--no-resolve-nodes',
      '-o',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).replies.map((x: { mac: string }) => x.mac)).toEqual(['02:00:5e:00:02:21']);
  });

  it.each([
    ['--interface', (s: string) => ['--ip', VIP, '--interface', `${ODD_IFACE};touch ${s}`]],
    ['--interface $( )', (s: string) => ['--ip', VIP, '--interface', `$(touch ${s})`]],
    ['--ip', (s: string) => ['--ip', `${VIP}|touch ${s}`, '--interface', ODD_IFACE]],
    ['--ip with a newline', (s: string) => ['--ip', `${VIP}\ntouch ${s}`, '--interface', ODD_IFACE]],
    ['--netns', (s: string) => ['--ip', VIP, '--interface', ODD_IFACE, '--netns', `x\`touch ${s}\``]],
    [
      '--watch --interface',
      (s: string) => ['--watch', '--duration', '2s', '--ip', VIP, '--interface', `${ODD_IFACE}&&touch ${s}`],
    ],
  ])('%s with shell syntax: exit 2, nothing run', async (_, args) => {
    const r = await lab.cli('client', [
      'probe',
      'arp',
      '--count',
      '1',
      '--timeout',
      '300ms',
      '--no-resolve-nodes',
      ...args(sentinel),
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: invalid (interface name|IPv4 address|network namespace name) /);
    expect(existsSync(sentinel)).toBe(false);
  });

  it('a Service address from the files with shell syntax is no address: exit 1, nothing run', async () => {
    const file = lab.writeFile('bad-service.yaml', facts(`${VIP};touch ${sentinel}`, '192.0.2.21'));
    const r = await lab.cli('client', [
      'probe',
      'arp',
      'shop/web',
      '--interface',
      ODD_IFACE,
      '--count',
      '1',
      '--timeout',
      '300ms',
      '-f',
      file,
    ]);
    // Not an IPv4 address, so not an address to probe: the Service has none (exit 1, as for a pending one).
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^error: Service shop\/web has no IPv4 LoadBalancer address to probe/);
    expect(existsSync(sentinel)).toBe(false);
  });

  it('a Node address from the files with shell syntax is never asked; the probe still answers for the Service', async () => {
    const file = lab.writeFile('bad-node.yaml', facts(VIP, `192.0.2.21$(touch ${sentinel})`));
    const r = await lab.cli('client', [
      'probe',
      'arp',
      'shop/web',
      '--interface',
      ODD_IFACE,
      '--count',
      '1',
      '--timeout',
      '300ms',
      '-f',
      file,
      '-o',
      'json',
    ]);
    expect(existsSync(sentinel)).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).replies.map((x: { mac: string }) => x.mac)).toEqual(['02:00:5e:00:02:21']);
  });
});
