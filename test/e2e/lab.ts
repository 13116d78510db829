// Helpers of the end-to-end tests: the lab the global setup started (inject('exposectlLabDir')),
// echo Pods, real requests from the lab's client namespace, and the CLI run as a user would.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, inject } from 'vitest';
import { type LabState, readState } from '../../scripts/lab/state.ts';
import { CLIENT, NODES, nsName } from '../../scripts/lab/topology.ts';
import type { ReachMirror } from '../../src/model/reach.js';
import { REPO_ROOT } from '../helpers/cli.js';

const run = promisify(execFile);
const ENV = { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`, NO_COLOR: '1' };

export { CLIENT, NODES };

export function lab(): LabState {
  const dir = inject('exposectlLabDir');
  const s = readState(dir);
  if (!s) throw new Error(`no lab state in ${dir}/lab/lab.json`);
  return s;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function exec(cmd: string, args: string[], timeoutMs = 120_000): Promise<Result> {
  try {
    const r = await run(cmd, args, { env: ENV, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, cwd: REPO_ROOT });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof err.code === 'number' ? err.code : -1,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? err.message,
    };
  }
}

/** exposectl on the host, against the lab's API server. */
export function cli(args: string[], timeoutMs?: number): Promise<Result> {
  return exec(
    process.execPath,
    [path.join(REPO_ROOT, 'bin/run.js'), ...args, '--kubeconfig', lab().kubeconfig],
    timeoutMs,
  );
}

/** exposectl inside a lab namespace (probes that need the lab's network), with the in-namespace kubeconfig. */
export function cliIn(role: string, args: string[], timeoutMs?: number): Promise<Result> {
  const s = lab();
  return exec(
    'ip',
    [
      'netns',
      'exec',
      nsName(s.id, role),
      process.execPath,
      path.join(REPO_ROOT, 'bin/run.js'),
      ...args,
      '--kubeconfig',
      s.kubeconfigInNamespaces,
    ],
    timeoutMs,
  );
}

export function inNs(role: string, cmd: string, args: string[], timeoutMs?: number): Promise<Result> {
  return exec('ip', ['netns', 'exec', nsName(lab().id, role), cmd, ...args], timeoutMs);
}

export async function kubectl(args: string[], input?: string): Promise<string> {
  const s = lab();
  const kubectlBin = path.join(s.clusterBinDir, 'kubectl');
  return new Promise((resolve, reject) => {
    const child = execFile(
      kubectlBin,
      ['--kubeconfig', s.kubeconfig, ...args],
      { env: ENV, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`));
        else resolve(stdout);
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export async function kubectlJson<T>(args: string[]): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
}

/** What an echo Pod answered. */
export interface Echo {
  pod: string;
  namespace: string;
  node: string;
  podIP: string;
  client: { address: string; port: number };
  /** The client address of a PROXY protocol header the Pod received (a gateway with --preserve-source-ip). */
  proxyProtocol?: { address: string; port: number };
  headers: Record<string, string>;
}

/**
 * One HTTP request from the client namespace (a new connection each time); undefined when it
 * times out, is refused or gets an HTTP error (a proxy's 404 before its route is programmed).
 */
export async function request(url: string, timeoutS = 3, extra: string[] = []): Promise<Echo | undefined> {
  const r = await inNs(CLIENT.role, 'curl', ['-sf', '-m', String(timeoutS), ...extra, url], (timeoutS + 5) * 1000);
  if (r.code !== 0) return undefined;
  return JSON.parse(r.stdout) as Echo;
}

/**
 * The first answer within `withinS` seconds: kube-proxy, the speakers and Traefik program a
 * new Service a moment after its endpoints are ready (`expose --wait` waits for the
 * endpoints, not for every node's rules), as a user's first request may also find.
 */
export async function answer(
  url: string,
  opts: { timeoutS?: number; withinS?: number; extra?: string[] } = {},
): Promise<Echo | undefined> {
  const deadline = Date.now() + (opts.withinS ?? 20) * 1000;
  for (;;) {
    const e = await request(url, opts.timeoutS ?? 3, opts.extra ?? []);
    if (e || Date.now() > deadline) return e;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A fresh namespace with N echo Pods and Service NAME (npm run lab:echo); removed after the file. */
export function useEcho(
  prefix: string,
  name = 'web',
): { ns: string; pods: () => Promise<Array<{ name: string; node: string; ip: string }>> } {
  const ns = `${prefix}-${randomBytes(2).toString('hex')}`;
  afterAll(async () => {
    // unexpose first: the pools and advertisements exposectl made live in metallb-system.
    await cli(['unexpose', `${ns}/${name}`]).catch(() => undefined);
    await kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  });
  return {
    ns,
    pods: async () => {
      const list = await kubectlJson<{
        items: Array<{ metadata: { name: string }; spec: { nodeName: string }; status: { podIP: string } }>;
      }>(['get', 'pods', '-n', ns, '-l', `app=${name}`]);
      return list.items.map((p) => ({ name: p.metadata.name, node: p.spec.nodeName, ip: p.status.podIP }));
    },
  };
}

export async function labEcho(ns: string, name: string, replicas: number): Promise<void> {
  const r = await exec(
    process.execPath,
    [
      path.join(REPO_ROOT, 'scripts/lab/echo.ts'),
      '--dir',
      lab().dir,
      '-n',
      ns,
      '--name',
      name,
      '--replicas',
      String(replicas),
    ],
    180_000,
  );
  expect(
    r.code,
    `lab:echo failed:\n${r.stderr}\n${r.stdout}\nkubelet log:\n${tailFile(path.join(lab().dir, 'lab/logs/kubelet.log'))}`,
  ).toBe(0);
}

export function tailFile(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(none)';
  }
}

/** The `list -o json` item of an exposing object. */
export async function listItem(
  ns: string,
  name: string,
): Promise<{
  sourceIP: string;
  status: string;
  addresses: string[];
  mode: string;
  ports: Array<{ port: number; nodePort?: number }>;
}> {
  const r = await cli(['list', '-n', ns, '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  const items = (
    JSON.parse(r.stdout) as {
      items: Array<{
        name: string;
        sourceIP: string;
        status: string;
        addresses: string[];
        mode: string;
        ports: Array<{ port: number; nodePort?: number }>;
      }>;
    }
  ).items;
  const it = items.find((i) => i.name === name);
  if (!it) throw new Error(`list -n ${ns} has no ${name}: ${items.map((i) => i.name).join(', ')}`);
  return it;
}

/** Addresses a node may masquerade client traffic to: its segment address, its own address in its Pod network. */
export const NODE_SOURCES = new Set(NODES.flatMap((n) => [n.ip, n.podGateway]));

/** What `diagnose source-ip SERVICE --probe`, run from the client namespace, proved: the address its echo saw. */
export async function sourceIpProof(
  ns: string,
  svc: string,
): Promise<{ seen: string | undefined; verdict: 'preserved' | 'lost' | 'failed'; text: string }> {
  const r = await cliIn(
    CLIENT.role,
    ['diagnose', 'source-ip', `${ns}/${svc}`, '--probe', '--echo-timeout', '90s', '-o', 'json'],
    180_000,
  );
  const text = `${r.stderr}\n${r.stdout}`;
  const line =
    r.stderr.split('\n').find((l) => l.startsWith('source-ip probe:') && l.includes('reached the echo')) ?? '';
  const seen = /reached the echo from ([0-9a-f.:]*[0-9a-f])/.exec(line)?.[1];
  const verdict = /survives/.test(line) ? 'preserved' : /LOST/.test(line) ? 'lost' : 'failed';
  return { seen, verdict, text };
}

/** `probe endpoints SERVICE [--healthz] -o json`, run from the client namespace (--healthz asks every node's real kube-proxy). */
export async function endpointsProbe(
  ns: string,
  svc: string,
  healthz: boolean,
): Promise<{
  blackholeNodes: string[];
  nodes: Array<{
    node: string;
    ready: number;
    dropsTraffic: boolean;
    healthz?: { status: number | null; localEndpoints: number | null };
  }>;
  text: string;
}> {
  const r = await cliIn(CLIENT.role, [
    'probe',
    'endpoints',
    `${ns}/${svc}`,
    ...(healthz ? ['--healthz'] : []),
    '-o',
    'json',
  ]);
  expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
  return {
    ...(JSON.parse(r.stdout) as {
      blackholeNodes: string[];
      nodes: Array<{ node: string; ready: number; dropsTraffic: boolean }>;
    }),
    text: r.stdout,
  };
}

/**
 * N requests from the client (a new connection each), the Pods that answered. Stickiness
 * takes effect once the proxies have synced the new setting (kube-proxy, Traefik), so
 * windows of N are taken until one lands on a single Pod or `withinS` has passed; the last
 * window is returned.
 */
export async function podsAnswering(
  url: string,
  n: number,
  opts: { withinS?: number; extra?: string[] } = {},
): Promise<string[]> {
  const deadline = Date.now() + (opts.withinS ?? 20) * 1000;
  for (;;) {
    const seen: string[] = [];
    for (let i = 0; i < n; i++) {
      const e = await answer(url, { extra: opts.extra ?? [] });
      expect(e, `request ${i + 1} of ${n} to ${url} got no answer`).toBeDefined();
      seen.push(e!.pod);
    }
    if (new Set(seen).size === 1 || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** What `probe reach` saw (its -o json document), as the tests of test/e2e/modes/reach.test.ts read it. */
export interface ReachDoc {
  service: { namespace: string; name: string } | null;
  knownPods: string[] | null;
  results: Array<{
    target: { label: string; address: string; port: number; scheme: string; node?: string; host?: string };
    first: { outcome: string; tls?: { nameMatches: boolean | null; subject: string | null } };
    outcomes: Record<string, number>;
    statuses: Record<string, number>;
    pods: Record<string, number>;
  }>;
  mirror: ReachMirror | null;
  findings: Array<{ code: string; message: string; subject: { kind: string; name: string } }>;
}

/** `probe reach ARGS -o json`, run from the client namespace; exit 0 expected (findings do not fail it). */
export async function reachFromClient(args: string[]): Promise<ReachDoc & { text: string }> {
  const r = await cliIn(CLIENT.role, ['probe', 'reach', ...args, '-o', 'json'], 180_000);
  expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
  return { ...(JSON.parse(r.stdout) as ReachDoc), text: `${r.stderr}\n${r.stdout}` };
}
