// expose checks its flags before its first request: with the cluster down (a closed port)
// a wrong flag exits 2, not 1, and against a listening server no connection is even opened.
import * as fs from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { closedPort } from '../../helpers/net.js';

let tmp: string;
let listener: Server;
const sockets: Socket[] = [];
let connections = 0;

function kubeconfig(name: string, port: number): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'http://127.0.0.1:${port}'}}]
users: [{name: u, user: {token: not-a-secret}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`,
    { mode: 0o600 },
  );
  return file;
}

let closedConfig: string;
let listeningConfig: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exposectl-flags-'));
  listener = createServer((s) => {
    connections++;
    sockets.push(s);
  }); // accepts, never answers
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  closedConfig = kubeconfig('closed', await closedPort());
  listeningConfig = kubeconfig('listening', (listener.address() as { port: number }).port);
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => listener.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

const BAD: Array<[string[], RegExp]> = [
  [
    ['--mode', 'l2', '--addresses', '0.0.0.0/0'],
    /--addresses: 0\.0\.0\.0\/0 includes unspecified 0\.0\.0\.0\/8, loopback/,
  ],
  [['--mode', 'l2', '--addresses', '::/0'], /--addresses: ::\/0 includes unspecified ::\/128, loopback ::1\/128/],
  [
    ['--mode', 'bgp', '--addresses', '127.0.0.0/30', '--peer', '192.0.2.1', '--peer-asn', '64500', '--my-asn', '64512'],
    /--addresses: 127\.0\.0\.0\/30 includes loopback/,
  ],
  [['--mode', 'l2', '--addresses', '224.0.0.0/28'], /multicast/],
  [['--mode', 'l2', '--addresses', '255.255.255.255'], /broadcast/],
  [['--mode', 'l2', '--addresses', 'fe80::/64'], /link-local fe80::\/10/],
  [['--mode', 'l2', '--addresses', 'ff02::1'], /multicast ff00::\/8/],
  [['--mode', 'l2', '--ip', '127.0.0.1'], /--ip: 127\.0\.0\.1 is a loopback address/],
  [['--mode', 'l2', '--ip', '::1'], /--ip: ::1 is a loopback address/],
  [['--mode', 'l2', '--addresses', '198.51.100.300'], /--addresses: 198\.51\.100\.300: not an IP address/],
  [
    ['--mode', 'bgp', '--peer', '192.0.2.1', '--peer-asn', '0', '--my-asn', '64512', '--addresses', '203.0.113.0/28'],
    /--peer-asn: /,
  ],
  [['--mode', 'nodeport', '--host', 'x.example'], /--host does not apply to mode nodeport/],
  [
    ['--mode', 'hostnetwork', '--node-selector', 'not a selector'],
    /--node-selector: "not a selector" is not a label selector/,
  ],
  [['--mode', 'nodeport', '--sticky-timeout', '60'], /--sticky-timeout needs --sticky/],
  [['--mode', 'nodeport', '--wait', '--timeout', 'soon'], /timeout/],
];

// Each case runs the CLI (seconds of start-up on a loaded machine).
const CLI_TEST_TIMEOUT_MS = 90_000;

describe('expose with wrong flags and the cluster down', () => {
  it.each(BAD)(
    '%j exits 2 without opening a connection',
    async (flags, message) => {
      const before = connections;
      const r = await runCli(['expose', 'web', ...flags, '--kubeconfig', listeningConfig, '--request-timeout', '20s']);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
      expect(connections - before, 'connections opened to the API server').toBe(0);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'a closed port (cluster down): exit 2 for wrong flags and a bad Service name, not "cannot reach"',
    async () => {
      for (const args of [
        ['web', '--mode', 'l2', '--addresses', '0.0.0.0/0'],
        ['Web_1', '--mode', 'nodeport'],
      ]) {
        const r = await runCli(['expose', ...args, '--kubeconfig', closedConfig]);
        expect(r.exitCode, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/nothing was changed|invalid SERVICE/);
        expect(r.stderr).not.toMatch(/cannot reach the API server/);
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'right flags do reach for the cluster (the checks above are real)',
    async () => {
      const down = await runCli([
        'expose',
        'web',
        '--mode',
        'l2',
        '--addresses',
        '198.51.100.0/30',
        '--kubeconfig',
        closedConfig,
      ]);
      expect(down.exitCode, down.stderr).toBe(1);
      expect(down.stderr).toMatch(/cannot reach the API server at http:\/\/127\.0\.0\.1:\d+: connection refused/);
      const before = connections;
      const up = await runCli([
        'expose',
        'web',
        '--mode',
        'l2',
        '--addresses',
        '198.51.100.0/30',
        '--kubeconfig',
        listeningConfig,
        '--request-timeout',
        '1s',
      ]);
      expect(up.exitCode, up.stderr).toBe(1);
      expect(connections - before).toBeGreaterThan(0);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
