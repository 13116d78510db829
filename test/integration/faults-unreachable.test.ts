// Fault: the API server cannot be reached. Every command that reads or writes the cluster
// exits 1 within its --request-timeout (plus a small margin), with the server's address
// in a one-line error and no stack trace: for a closed port (connection refused) and for a
// server that accepts connections and never answers (nothing hangs).
//
// The kubeconfig is the test cluster's own (real credentials and CA), pointed elsewhere.
import * as fs from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../helpers/cli.js';
import { closedPort } from '../helpers/net.js';
import { testCluster } from './helpers.js';

const REQUEST_TIMEOUT_S = 4;
// From the silent server's first accepted connection to the CLI's exit: one request timeout
// plus this; two timeouts in a row (2 x 4 s) do not fit. Measured from the server's side,
// so the CLI's start-up (seconds on a loaded machine) does not count.
const MARGIN_MS = 3_500;
// A refused connection fails at once; this only says "nothing hangs" (start-up included:
// on a 2-core machine shared with other test runs it took up to a minute).
const REFUSED_BUDGET_MS = 90_000;

/** Every command that talks to the cluster, with the arguments that make it do so. */
const COMMANDS: string[][] = [
  ['list'],
  ['list', '-A', '-o', 'json'],
  ['describe', 'web'],
  ['topology'],
  ['topology', 'web', '-o', 'json'],
  ['diagnose'],
  ['diagnose', 'source-ip', 'web'],
  ['expose', 'web', '--mode', 'nodeport'],
  ['expose', 'web', '--mode', 'l2', '--addresses', '198.51.100.200/30', '--wait', '--timeout', '1m'],
  ['expose', 'web', '--mode', 'nodeport', '--dry-run=server'],
  ['expose', 'web', '--mode', 'nodeport', '--dry-run=client'],
  ['unexpose', 'web'],
  ['probe', 'endpoints', 'web'],
  ['probe', 'arp', 'web', '--interface', 'lo'],
  ['probe', 'bgp', '--listen', '127.0.0.1:1179', '--local-as', '64500', '--duration', '1s'],
];

let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'exposectl-unreachable-'));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A server that accepts connections and never answers; one per command, so commands can run at once. */
async function silentServer(): Promise<{
  url: string;
  firstAccept: () => number | undefined;
  close: () => Promise<void>;
}> {
  let firstAccept: number | undefined;
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    firstAccept ??= Date.now();
    sockets.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as { port: number }).port}`,
    firstAccept: () => firstAccept,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The test cluster's kubeconfig with its server replaced. */
function kubeconfigFor(server: string, name: string): string {
  const text = fs.readFileSync(testCluster().kubeconfig, 'utf8');
  const replaced = text.replace(/^(\s*server:\s*).*$/m, `$1${server}`);
  expect(replaced).toContain(`server: ${server}`);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, replaced, { mode: 0o600 });
  return file;
}

// The commands run five at a time (each waits for its timeout); the timings are measured per
// command from its own silent server's side.
describe.concurrent('API server unreachable: every command exits 1 in time, naming the server', () => {
  let closedUrl: string;
  let closedKubeconfig: string;
  beforeAll(async () => {
    closedUrl = `https://127.0.0.1:${await closedPort()}`;
    closedKubeconfig = kubeconfigFor(closedUrl, 'closed.kubeconfig');
  });

  async function run(args: string[], kubeconfig: string): Promise<CliResult & { elapsed: number }> {
    const started = Date.now();
    const r = await runCli([...args, '--kubeconfig', kubeconfig, '--request-timeout', `${REQUEST_TIMEOUT_S}s`], {
      timeoutMs: 120_000,
    });
    return { ...r, elapsed: Date.now() - started };
  }

  function expectOneLineError(r: CliResult, url: string, reason: RegExp): void {
    expect(r.exitCode, r.stderr).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors, r.stderr).toHaveLength(1);
    expect(errors[0]).toContain(url);
    expect(errors[0]).toMatch(reason);
    expect(r.stderr).toMatch(/^hint: /m);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  }

  it.each(COMMANDS.map((args, i) => [args.join(' '), args, i] as const))('exposectl %s', async (_, args, i) => {
    const refused = await run(args, closedKubeconfig);
    expectOneLineError(refused, closedUrl, /cannot reach the API server at \S+: connection refused/);
    expect(refused.elapsed, `refused after ${refused.elapsed} ms`).toBeLessThan(REFUSED_BUDGET_MS);

    const silent = await silentServer();
    try {
      const silentRun = await run(args, kubeconfigFor(silent.url, `silent-${i}.kubeconfig`));
      const firstAccept = silent.firstAccept();
      const sinceAccept = firstAccept === undefined ? undefined : Date.now() - firstAccept;
      expectOneLineError(
        silentRun,
        silent.url,
        new RegExp(`request to the API server at \\S+ timed out after ${REQUEST_TIMEOUT_S}s`),
      );
      console.log(
        `[unreachable] ${args.join(' ')}: refused: exit after ${refused.elapsed} ms; silent: exit ${sinceAccept} ms after connecting (${silentRun.elapsed} ms in all)`,
      );
      expect(sinceAccept, 'the CLI never connected to the silent server').toBeDefined();
      // It did wait for the timeout (loosely: this process may see the connection late when loaded).
      expect(sinceAccept!).toBeGreaterThan((REQUEST_TIMEOUT_S * 1000) / 2);
      expect(sinceAccept!, `silent server: exit ${sinceAccept} ms after connecting`).toBeLessThan(
        REQUEST_TIMEOUT_S * 1000 + MARGIN_MS,
      );
    } finally {
      await silent.close();
    }
  });
});
