// `exposectl probe arp` against real hosts: network namespaces on a bridge, each "node"
// answering ARP with its own kernel for the addresses it holds. The CLI runs in the
// "client" namespace, reads the cluster facts from a file (three Nodes, Service shop/web
// whose MetalLB ServiceL2Status names node n1 as announcer), and must name who answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors } from '../../helpers/schema.js';
import { metallbL2Facts, vipHolders } from '../lab-facts.js';
import { collect, Lab, requireLab, sh, waitForOutput } from './lab.js';

const VIP = '198.51.100.10';
const NODES = [
  { role: 'n1', ip: '192.0.2.21', mac: '02:00:5e:00:02:21' },
  { role: 'n2', ip: '192.0.2.22', mac: '02:00:5e:00:02:22' },
  { role: 'n3', ip: '192.0.2.23', mac: '02:00:5e:00:02:23' },
];

const facts = (holder: string) => metallbL2Facts({ nodes: NODES, vip: VIP, holder, localPolicy: true });

let lab: Lab;
let file: string;
let holdOnly: (roles: string[]) => Promise<void>;

async function probe(args: string[]) {
  const r = await lab.cli('client', [
    'probe',
    'arp',
    'shop/web',
    '--interface',
    'eth0',
    '--count',
    '2',
    '--timeout',
    '300ms',
    '-f',
    file,
    '-o',
    'json',
    ...args,
  ]);
  const json = r.stdout.trim().startsWith('{') ? JSON.parse(r.stdout) : null;
  // Every document the probe prints holds to the published schema.
  if (json) expect(schemaErrors('arp-probe.schema.json', json)).toEqual([]);
  return { ...r, json };
}

beforeAll(async () => {
  await requireLab(['ip', 'arping', 'tcpdump', 'setpriv']);
  lab = new Lab();
  holdOnly = vipHolders(lab, VIP);
  await lab.create([{ role: 'client', ip: '192.0.2.10', mac: '02:00:5e:00:02:10' }, ...NODES]);
  file = lab.writeFile('cluster.yaml', facts('n1'));
});

afterAll(async () => {
  await lab?.destroy();
});

describe('probe arp (real ARP in network namespaces)', () => {
  it('one holder: names its MAC and node; it is the announcer, so no finding', async () => {
    await holdOnly(['n1']);
    const r = await probe([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.replies.map((x: { mac: string; node: string }) => [x.mac, x.node])).toEqual([
      ['02:00:5e:00:02:21', 'n1'],
    ]);
    expect(r.json.replies[0].count).toBe(2);
    // Each reply is timed from its own request: the second request goes out after the first one's 300 ms window.
    const { firstMs, lastMs } = r.json.replies[0];
    expect(lastMs - firstMs).toBeGreaterThanOrEqual(290);
    expect(lastMs).toBeLessThan(r.json.durationMs);
    expect(r.json.announcer).toMatchObject({ implementation: 'metallb', node: 'n1' });
    expect(r.json.findings).toEqual([]);
  });

  it('another node holds the address than MetalLB reports: arp/holder-mismatch', async () => {
    await holdOnly(['n2']);
    const r = await probe([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.replies.map((x: { node: string }) => x.node)).toEqual(['n2']);
    expect(r.json.findings.map((f: { code: string }) => f.code)).toEqual(['arp/holder-mismatch']);
  });

  it('two holders: every MAC is collected (not just the first) and arp/multiple-replies', async () => {
    await holdOnly(['n1', 'n3']);
    const r = await probe(['--fail-on', 'error']);
    expect(r.json.replies.map((x: { node: string }) => x.node).sort()).toEqual(['n1', 'n3']);
    expect(r.json.replies.every((x: { count: number }) => x.count === 2)).toBe(true);
    expect(r.json.findings.map((f: { code: string }) => f.code)).toEqual(['arp/multiple-replies']);
    // The schema rejects a reply whose MAC is not a MAC and a document without its findings.
    const { findings: _findings, ...noFindings } = r.json;
    expect(schemaErrors('arp-probe.schema.json', noFindings)).toEqual([" must have required property 'findings'"]);
    expect(
      schemaErrors('arp-probe.schema.json', {
        ...r.json,
        replies: [{ ...r.json.replies[0], mac: '02-00-5E-00-02-21' }],
      }),
    ).toEqual(['/replies/0/mac must match pattern "^[0-9a-f]{2}(:[0-9a-f]{2}){5}$"']);
    expect(r.code).toBe(3);
  });

  it('nobody holds it: arp/no-reply; exit 0 by default (a probe reports), 3 with --fail-on error', async () => {
    await holdOnly([]);
    const r = await probe([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.replies).toEqual([]);
    expect(r.json.findings.map((f: { code: string }) => f.code)).toEqual(['arp/no-reply']);
    expect((await probe(['--fail-on', 'error'])).code).toBe(3);
  });

  it('--ip without cluster facts, text output', async () => {
    await holdOnly(['n2']);
    const r = await lab.cli('client', ['probe', 'arp', '--ip', VIP, '-i', 'eth0', '-c', '1', '--timeout', '300ms']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('02:00:5e:00:02:22');
    expect(r.stdout).toContain('No findings.');
  });

  it('--watch: reports the failover from n1 to n2 with the gratuitous ARP and its timing', async () => {
    await holdOnly(['n1']);
    const child = lab.spawnIn(
      'client',
      process.execPath,
      [
        lab.cliPath,
        'probe',
        'arp',
        'shop/web',
        '-i',
        'eth0',
        '-f',
        file,
        '--watch',
        '--interval',
        '200ms',
        '--duration',
        '8s',
        '-o',
        'json',
      ],
      { NO_COLOR: '1', KUBECONFIG: '/nonexistent' },
    );
    const done = collect(child, 30_000);
    await waitForOutput(child, (t) => t.includes('"type":"holder"'), 15_000);
    await new Promise((r) => setTimeout(r, 500));
    const movedAt = Date.now();
    await holdOnly([]);
    await new Promise((r) => setTimeout(r, 400));
    await holdOnly(['n2']);
    await lab.gratuitousArp('n2', VIP);
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    // NDJSON: one line per event, the summary last.
    const docs = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const d of docs) expect(schemaErrors('arp-watch.schema.json', d), JSON.stringify(d)).toEqual([]);
    const summary = docs.at(-1);
    const evs = docs.slice(0, -1);
    expect(evs[0]).toMatchObject({
      type: 'holder',
      from: [],
      to: ['02:00:5e:00:02:21'],
      nodes: { '02:00:5e:00:02:21': 'n1' },
    });
    const garp = evs.find((e: { type: string }) => e.type === 'gratuitous');
    expect(garp).toMatchObject({ mac: '02:00:5e:00:02:22', nodes: { '02:00:5e:00:02:22': 'n2' } });
    const change = evs.find((e: { type: string; from: string[] }) => e.type === 'holder' && e.from.length > 0);
    expect(change).toMatchObject({ from: ['02:00:5e:00:02:21'], to: ['02:00:5e:00:02:22'] });
    // Last reply of n1 before the move, first of n2 after the re-add: at least the 400 ms gap, well under the test's timeline.
    expect(change.failoverMs).toBeGreaterThanOrEqual(300);
    expect(change.failoverMs).toBeLessThan(5000);
    expect(Date.parse(change.lastFromAt)).toBeLessThanOrEqual(movedAt + 250);
    expect(change.gratuitousAt).not.toBeNull();
    expect(evs.some((e: { type: string }) => e.type === 'no-reply')).toBe(true);
    expect(summary).toMatchObject({
      kind: 'ArpWatch',
      ip: VIP,
      holders: ['02:00:5e:00:02:22'],
      gratuitousListened: true,
      nodeOfMac: { '02:00:5e:00:02:21': 'n1', '02:00:5e:00:02:22': 'n2' },
    });
    expect(summary.failovers).toHaveLength(1);
    expect(summary.failovers[0].failoverMs).toBe(change.failoverMs);
    // A line that is neither a known event nor the summary is rejected.
    expect(schemaErrors('arp-watch.schema.json', { ...change, type: 'moved' })).toContain(
      '/type must be equal to one of the allowed values',
    );
    expect(
      schemaErrors('arp-watch.schema.json', { ...summary, failovers: [{ ...summary.failovers[0], failoverMs: -5 }] }),
    ).toContain('/failovers/0/failoverMs must be >= 0');
  });

  it('--watch stops on Ctrl-C (SIGINT) with its summary and exit 0, leaving no arping or tcpdump behind', async () => {
    await holdOnly(['n3']);
    const child = lab.spawnIn(
      'client',
      process.execPath,
      [lab.cliPath, 'probe', 'arp', '--ip', VIP, '-i', 'eth0', '--watch', '--interval', '200ms'],
      { NO_COLOR: '1', KUBECONFIG: '/nonexistent' },
    );
    const done = collect(child, 30_000);
    await waitForOutput(child, (t) => t.includes('answered by 02:00:5e:00:02:23'), 15_000);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Holder at the end: 02:00:5e:00:02:23.');
    expect(r.stdout).toContain('Failovers: none.');
    const left = (await sh('ip', ['netns', 'pids', lab.host('client').ns])).trim();
    expect(left).toBe('');
  });

  it('bad input exits 2 before anything runs', async () => {
    const r = await lab.cli('client', ['probe', 'arp', '--ip', '198.51.100.10/24', '-i', 'eth0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid IPv4 address');
    const i = await lab.cli('client', ['probe', 'arp', '--ip', VIP, '-i', 'eth0;reboot']);
    expect(i.code).toBe(2);
    expect(i.stderr).toContain('invalid interface name');
  });

  it('an interface that does not exist: exit 1, named', async () => {
    const r = await lab.cli('client', ['probe', 'arp', '--ip', VIP, '-i', 'nosuch0', '-c', '1', '--timeout', '200ms']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('interface nosuch0 does not exist');
  });

  it('without the privilege to send ARP (as nobody): exit 1 with a clear message', async () => {
    const node = lab.publicNode();
    const r = await lab.cli('client', ['probe', 'arp', '--ip', VIP, '-i', 'eth0', '-c', '1', '--timeout', '200ms'], {
      prefix: [
        'setpriv',
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        'env',
        `PATH=${node.replace(/\/node$/, '')}:/usr/sbin:/usr/bin:/sbin:/bin`,
        'HOME=/tmp',
        node,
      ],
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('error: no privilege to send ARP requests: raw sockets need root or CAP_NET_RAW');
    expect(r.stderr).toContain('hint:');
    const w = await lab.cli('client', ['probe', 'arp', '--ip', VIP, '-i', 'eth0', '--watch', '--duration', '2s'], {
      prefix: [
        'setpriv',
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        'env',
        `PATH=${node.replace(/\/node$/, '')}:/usr/sbin:/usr/bin:/sbin:/bin`,
        'HOME=/tmp',
        node,
      ],
    });
    expect(w.code, w.stderr).toBe(1);
    expect(w.stderr).toContain('error: no privilege to send ARP requests');
  });

  it('without arping on PATH: exit 1 naming it', async () => {
    const node = lab.publicNode();
    const r = await lab.cli('client', ['probe', 'arp', '--ip', VIP, '-i', 'eth0'], {
      prefix: ['env', `PATH=${node.replace(/\/node$/, '')}:/usr/bin:/bin`, node],
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('error: arping is not installed');
    expect(r.stderr).toContain('apt-get install arping');
  });
});
