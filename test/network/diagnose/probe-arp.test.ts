// `diagnose arp --probe --interface IF` against real hosts: the ARP lab's network namespaces
// on a bridge (test/network/arp/lab.ts), each "node" answering ARP with its own kernel for
// the LoadBalancer address it holds. diagnose runs in the "client" namespace on the facts of
// a file (three Nodes, Service shop/web in L2 mode whose MetalLB ServiceL2Status names n1)
// and must report the arp/* codes from what really answered. As root:
//   npx vitest run --project network test/network/diagnose/probe-arp.test.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors } from '../../helpers/schema.js';
import { Lab, requireLab } from '../arp/lab.js';
import { metallbL2Facts, vipHolders } from '../lab-facts.js';

const VIP = '198.51.100.30';
const NODES = [
  { role: 'n1', ip: '192.0.2.31', mac: '02:00:5e:00:02:31' },
  { role: 'n2', ip: '192.0.2.32', mac: '02:00:5e:00:02:32' },
  { role: 'n3', ip: '192.0.2.33', mac: '02:00:5e:00:02:33' },
];

const FACTS = metallbL2Facts({ nodes: NODES, vip: VIP, holder: 'n1' });

let lab: Lab;
let file: string;
let holdOnly: (roles: string[]) => Promise<void>;

interface Report {
  findings: Array<{ code: string; subject: { kind: string; namespace: string | null; name: string }; message: string }>;
}

async function diagnose(): Promise<{ report: Report; stderr: string; code: number | null }> {
  const r = await lab.cli('client', [
    'diagnose',
    'arp',
    '-f',
    file,
    '--probe',
    '--interface',
    'eth0',
    '--arp-count',
    '2',
    '--probe-timeout',
    '300ms',
    '-o',
    'json',
    '--fail-on',
    'none',
  ]);
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`diagnose printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  expect(schemaErrors('diagnosis-report.schema.json', report)).toEqual([]);
  return { report, stderr: r.stderr, code: r.code };
}

const codes = (r: Report) => r.findings.map((f) => [f.code, `${f.subject.namespace}/${f.subject.name}`]);

beforeAll(async () => {
  await requireLab(['ip', 'arping']);
  lab = new Lab();
  holdOnly = vipHolders(lab, VIP);
  await lab.create([{ role: 'client', ip: '192.0.2.30', mac: '02:00:5e:00:02:30' }, ...NODES]);
  file = lab.writeFile('cluster.yaml', FACTS);
});

afterAll(async () => {
  await lab?.destroy();
});

describe('diagnose arp --probe (real ARP in network namespaces)', () => {
  it('the announcer n1 answers alone: no finding', async () => {
    await holdOnly(['n1']);
    const r = await diagnose();
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.findings).toEqual([]);
  });

  it('n1 and n3 answer: arp/multiple-replies naming both MACs and nodes', async () => {
    await holdOnly(['n1', 'n3']);
    const r = await diagnose();
    expect(codes(r.report)).toEqual([['arp/multiple-replies', 'shop/web']]);
    expect(r.report.findings[0]!.message).toContain('02:00:5e:00:02:31 (node n1), 02:00:5e:00:02:33 (node n3)');
  });

  it('only n2 answers while MetalLB names n1: arp/holder-mismatch', async () => {
    await holdOnly(['n2']);
    const r = await diagnose();
    expect(codes(r.report)).toEqual([['arp/holder-mismatch', 'shop/web']]);
    expect(r.report.findings[0]!.message).toContain(
      'answered by 02:00:5e:00:02:32 (node n2), but metallb reports node n1',
    );
  });

  it('nobody answers: arp/no-reply, and exit 3 with the default --fail-on error', async () => {
    await holdOnly([]);
    const r = await diagnose();
    expect(codes(r.report)).toEqual([['arp/no-reply', 'shop/web']]);
    const failing = await lab.cli('client', [
      'diagnose',
      'arp',
      '-f',
      file,
      '--probe',
      '--interface',
      'eth0',
      '--arp-count',
      '1',
      '--probe-timeout',
      '300ms',
    ]);
    expect(failing.code).toBe(3);
    expect(failing.stdout).toContain('arp/no-reply');
  });
});
