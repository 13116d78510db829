// The examples test/network/examples.test.ts runs in the L2 lab, with what each must print
// (n1, MAC 02:00:5e:00:02:11, holds the VIP 198.51.100.10 of shop/web). A module of its own:
// test/integration/examples.test.ts reads the commands to check that every example runs somewhere.
import { expect } from 'vitest';
import type { CliResult } from './arp/lab.js';

/** --watch, stopped by Ctrl-C once n1 answered: exit 0 and the summary naming n1 as the holder. */
function watchedN1(r: CliResult): void {
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('Holder at the end: 02:00:5e:00:02:11 (node n1).');
}

function bgpListened(r: CliResult, what: string): void {
  expect(r.code, r.stderr).toBe(0);
  expect(`${r.stderr}${r.stdout}`).toContain(`listening for BGP on ${what}`);
  expect(r.stdout).toMatch(/^No BGP peer connected\.$/m);
}

/** Runs in the order given; the BGP ones take their --duration. */
export const NETWORK_EXAMPLES: Array<{
  command: string;
  watch?: RegExp;
  holder?: string;
  check: (r: CliResult) => void;
}> = [
  ...['exposectl probe arp web --interface eth0', 'exposectl probe arp web --interface eth0 --fail-on error'].map(
    (command) => ({
      command,
      check: (r: CliResult) => {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/02:00:5e:00:02:11/);
        expect(r.stdout).toMatch(/\bn1\b/);
      },
    }),
  ),
  {
    command: 'exposectl probe arp --ip 198.51.100.10 --interface eth0 --count 5 --timeout 500ms -o json',
    check: (r) => {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ replies: [{ mac: '02:00:5e:00:02:11', count: 5 }] });
    },
  },
  // nodes.yaml: the lab's Nodes (their InternalIPs) and nothing else; the MAC is mapped to n1 through them.
  {
    command: 'exposectl probe arp --ip 198.51.100.10 --interface eth0 -f nodes.yaml',
    check: (r) => {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/02:00:5e:00:02:11.*\bn1\b/);
    },
  },
  {
    command: 'exposectl probe arp --ip 198.51.100.10 --interface bond0 --watch',
    watch: /answered by 02:00:5e:00:02:11/,
    check: watchedN1,
  },
  {
    command: 'sudo exposectl probe arp shop/web --interface bond0 --watch --interval 200ms',
    watch: /answered by 02:00:5e:00:02:11/,
    check: watchedN1,
  },
  ...['exposectl diagnose arp --probe --interface eth0', 'sudo exposectl diagnose arp --probe --interface eth0'].map(
    (command) => ({
      command,
      // n2 answers for the VIP while MetalLB names n1: only a real ARP probe can see that.
      holder: 'n2',
      check: (r: CliResult) => {
        expect([0, 3], `exit ${r.code}\n${r.stderr}`).toContain(r.code);
        expect(r.stderr).not.toMatch(/^error:/m);
        expect(r.stdout).toMatch(/arp\/holder-mismatch/);
      },
    }),
  ),
  // No BGP speaker dials in: each must bind the documented address, listen its --duration and say so.
  {
    command: 'exposectl probe bgp --listen 192.0.2.10:1179 --local-as 64500 --duration 60s',
    check: (r) => bgpListened(r, '192.0.2.10:1179 as AS 64500 for 60s'),
  },
  {
    command: 'sudo exposectl probe bgp --listen 192.0.2.10 --local-as 64500 --duration 60s',
    check: (r) => bgpListened(r, '192.0.2.10:179 as AS 64500 for 60s'),
  },
  {
    command:
      'exposectl probe bgp --listen 192.0.2.10:1179 --local-as 64500 --peer 192.0.2.11 --peer 192.0.2.12 --duration 30s --fail-on error',
    check: (r) => {
      expect(r.code, r.stderr).toBe(3);
      expect(r.stdout).toMatch(/^Peer 192\.0\.2\.11: Active, 0 route\(s\)$/m);
      expect(r.stdout).toMatch(/error\s+bgp\/session-down BGPPeer 192\.0\.2\.12/);
    },
  },
  {
    command: 'exposectl probe bgp --listen 192.0.2.10:1179 --local-as 64500 --max-prefixes 1000 --duration 30s',
    check: (r) => bgpListened(r, '192.0.2.10:1179 as AS 64500 for 30s'),
  },
  {
    command: 'exposectl probe bgp --listen 192.0.2.10:1179 --local-as 64500 --duration 60s --save bgp-observation.json',
    check: (r) => bgpListened(r, '192.0.2.10:1179 as AS 64500 for 60s'),
  },
  {
    command: 'exposectl probe bgp --listen [::]:1179 --local-as 4200000000 --duration 20s --no-compare -o json',
    check: (r) => {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        kind: 'BgpObservation',
        listen: { address: '::', port: 1179 },
        localAs: 4200000000,
        peers: [],
      });
    },
  },
  {
    command: 'exposectl diagnose bgp --probe --bgp-listen 192.0.2.10:1179 --bgp-local-as 64500 --bgp-duration 20s',
    check: (r) => {
      expect([0, 3], `exit ${r.code}\n${r.stderr}`).toContain(r.code);
      expect(`${r.stderr}${r.stdout}`).toMatch(/--probe: listening for BGP on 192\.0\.2\.10:1179 as AS 64500 for 20s/);
    },
  },
  // probe reach: the way into shop/web is its LoadBalancer address, which the client has no route to
  // (the lab announces it by ARP on the segment, and 198.51.100.0/24 is not the client's subnet).
  {
    command: 'exposectl probe reach web',
    check: (r) => {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^LoadBalancer 198\.51\.100\.10:80\s+unreachable\s/m);
    },
  },
  {
    command: 'exposectl probe reach 192.0.2.11:30080 https://shop.example.com/ --timeout 2s',
    check: (r) => {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^192\.0\.2\.11:30080\s+refused\s/m);
      expect(r.stdout).toMatch(/^https:\/\/shop\.example\.com\/\s+\S/m);
    },
  },
  {
    command: 'exposectl probe reach shop/web --count 20 --http -o json',
    check: (r) => {
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        kind: 'ReachProbe',
        service: { namespace: 'shop', name: 'web' },
        count: 20,
        results: [{ target: { address: '198.51.100.10', port: 80, scheme: 'http' }, outcomes: { unreachable: 20 } }],
        // the cluster is a file here: no echo mirror to name Pods through, and said why
        mirror: { requests: 0, error: expect.stringContaining('-f files') },
      });
    },
  },
  {
    command: 'exposectl probe reach shop/web --count 20 --no-mirror',
    check: (r) => {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^LoadBalancer 198\.51\.100\.10:80\s+unreachable 20\s/m);
      expect(r.stdout).not.toContain('echo mirror');
    },
  },
  {
    command: 'exposectl probe reach web --timeout 1s --fail-on error',
    check: (r) => {
      expect(r.code, r.stderr).toBe(3);
      expect(r.stdout).toMatch(
        /^ERROR reach\/unreachable: LoadBalancer 198\.51\.100\.10:80: no route to the address from here/m,
      );
    },
  },
];
