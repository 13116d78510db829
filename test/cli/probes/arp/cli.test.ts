// `exposectl probe arp` flag handling: every misuse exits 2 before anything is sent
// (the real probing is in test/network/arp).
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../helpers/cli.js';

const arp = (args: string[]) => runCli(['probe', 'arp', ...args], { env: { KUBECONFIG: '/nonexistent/kubeconfig' } });

describe('probe arp: usage errors exit 2', () => {
  it.each([
    [['--interface', 'eth0'], 'give a SERVICE or --ip'],
    [['web', '--ip', '198.51.100.10', '--interface', 'eth0'], 'give either SERVICE or --ip, not both'],
    [['--ip', '198.51.100.10'], 'Missing required flag interface'],
    [['--ip', '198.51.100.10', '-i', 'eth0', '--duration', '5s'], '--duration is for --watch'],
    [['--ip', '2001:db8::1', '-i', 'eth0'], 'ARP is IPv4 only'],
    [['--ip', 'example.com', '-i', 'eth0'], 'invalid IPv4 address'],
    [['--ip', '198.51.100.10', '-i', '-eth0'], 'invalid interface name'],
    [['--ip', '198.51.100.10', '-i', 'eth0', '--timeout', 'soon'], 'invalid duration'],
    [['--ip', '198.51.100.10', '-i', 'eth0', '--count', '0'], 'count'],
    [['--ip', '198.51.100.10', '-i', 'eth0', '--netns', '../x'], 'invalid network namespace name'],
    [['--ip', '198.51.100.10', '-i', 'eth0', '--fail-on', 'always'], 'fail-on'],
  ])('%j', async (args, message) => {
    const r = await arp(args as string[]);
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('help has examples and the exit status', async () => {
    const r = await runCli(['probe', 'arp', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain('--watch');
    expect(r.stdout).toMatch(/Exit status: 0 when the probe ran/);
  });
});
